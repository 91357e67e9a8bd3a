"""How a typed query is read (archive/query.py) and which spellings it gains
(archive/spellings.py): operators in the case people type them, NEAR, a trailing *, the page's
account of the reading, and the bilingual policy lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.policy_terms import read_policy_terms
from archive.query import Near, parse_query
from archive.search import understood_query
from archive.spellings import POLICY, lookup_name, name_key


@pytest.mark.parametrize(("typed", "reading"), [
    ("雄安 AND 北京", "雄安 北京"), ("雄安 and 北京", "雄安 北京"), ("雄安 && 北京", "雄安 北京"),
    ("雄安 or 通州", "雄安 OR 通州"), ("雄安 | 通州 天津", "(雄安 OR 通州) 天津"),
    ("雄安 NOT 天津", "雄安 -天津"), ("雄安 not 天津", "雄安 -天津"),
    ("雄安 AND NOT 天津", "雄安 -天津"), ("(雄安 OR 通州) AND 北京", "(雄安 OR 通州) 北京"),
    ("NEAR(雄安 北京, 5)", "NEAR(雄安 北京, 5)"), ("雄安 NEAR 北京", "NEAR(雄安 北京, 10)"),
    ("雄安 NEAR/3 北京 NEAR/3 天津", "NEAR(雄安 北京 天津, 3)"), ("xiong*", "xiong*"),
    ("协同*", "协同"), ('"城市副中心" -"北京"', '"城市副中心" -"北京"'),
    # an operator without a term where it needs one is a word
    ("a AND", "a AND"), ("OR a", "OR a"), ("雄安 OR", "雄安 OR"), ("NEAR", "NEAR"),
    ("NOT", "NOT"),
])
def test_the_reading_of_a_query(typed, reading):
    assert parse_query(typed).reading() == reading


def test_the_page_is_told_how_the_query_was_read():
    notes = " ".join(parse_query("雄安 and 北京 or 天津 not 河北 协同* Xiong*").notes)
    for said in ("every word is required", "or read as OR", "read as -x",
                 "no * needed", "beginning with Xiong"):
        assert said in notes
    assert parse_query("雄安 北京").notes == []
    assert "apart" in " ".join(parse_query("NEAR(雄安 北京)").notes)


def test_near_holds_its_terms_and_distance():
    [[near]] = parse_query("NEAR(雄安 \"新区\", 7)").groups
    assert isinstance(near, Near) and near.distance == 7
    assert [(t.typed, t.quoted) for t in near.terms] == [("雄安", False), ("新区", True)]
    assert parse_query("NEAR(雄安 北京, 99999)").groups[0][0].distance == 200


def test_near_terms_gain_spellings_too():
    [[near]] = understood_query("Tongzhou NEAR 学校").groups
    assert near.terms[0].added == ["通州", "城市副中心"]


def test_a_prefix_gains_no_names_spellings():
    assert understood_query("xiong*").additions() == []


# --- the policy lexicon --------------------------------------------------------------------

TSV = Path(__file__).resolve().parents[2] / "archive" / "data" / "policy_terms.tsv"


def test_the_policy_lexicon_is_a_few_hundred_entries_with_its_source():
    terms = read_policy_terms()
    assert len(terms) >= 300
    assert all(t.zh and t.en for t in terms)
    zh = [s for t in terms for s in t.zh]
    assert len(zh) == len(set(zh)), "a Chinese spelling listed twice"
    head = TSV.read_text(encoding="utf-8").split("\nzh\t", 1)[0]
    assert "Source:" in head and "written for xietong" in head
    for word in ("京津冀", "协同发展", "疏解", "非首都功能", "城市副中心", "医院", "学校",
                 "交通一体化"):
        assert word in zh, word


@pytest.mark.parametrize(("english", "chinese"), [
    ("hospital", "医院"), ("Hospitals", "医院"), ("school", "学校"), ("schools", "学校"),
    ("Beijing-Tianjin-Hebei", "京津冀"), ("non-capital functions", "非首都功能"),
    ("sub-center", "副中心"), ("transport integration", "交通一体化"), ("jingjinji", "京津冀"),
    ("universities", "大学"), ("policies", "政策"),
])
def test_english_and_pinyin_policy_words_find_the_chinese(english, chinese):
    spellings, source = lookup_name(english)
    assert chinese in spellings and POLICY in source


def test_short_forms_are_not_keys():
    assert lookup_name("AI") is None and len(name_key("FTZ")) < 4
