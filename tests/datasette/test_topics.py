"""The topic lexicon and its tagger."""

from __future__ import annotations

from archive.topics import lexicon, read_topics


def test_the_lexicon_has_the_issues_topics_with_both_labels():
    topics = read_topics()
    ids = {t.id for t in topics}
    assert {"transport", "industry", "non_capital", "ecology", "medical", "education",
            "social_security"} <= ids
    assert all(t.zh and t.en and t.keywords for t in topics)
    assert len({t.zh for t in topics}) == len(topics)


def test_a_title_keyword_alone_is_enough():
    found = lexicon().find("京张高铁开通运营", "一段与主题无关的文字。")
    assert [t.id for t in found] == ["transport"]


def test_one_passing_mention_in_the_text_is_not():
    assert lexicon().find("标题", "文中只提到一次医院。") == []


def test_strongest_first():
    text = "医院、医疗、就医、医保。学校。学校。学校。"
    assert [t.id for t in lexicon().find("", text)] == ["medical", "education"]


def test_english_label_of_a_stored_label():
    assert lexicon().english("交通一体化") == "Transport integration"
    assert lexicon().english("不存在") is None
