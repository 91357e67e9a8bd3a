"""Excerpts with marked matches, the sanitiser, and list cells: everything escaped but our own
markup."""

from __future__ import annotations

import pytest

from archive.datasette.cells import list_cell
from archive.datasette.excerpts import excerpt, highlight, query_pattern
from archive.datasette.sanitize import clean_html, safe_url


def test_the_query_pattern_follows_the_search_rules():
    # every spelling of what the search requires (Xiongan → Xiong'an, 雄安), the longest first,
    # never what it leaves out
    pattern = query_pattern('雄安新区 Xiongan "NEAR( -天津')
    text = "雄安新区在雄安，Xiong'an 即 Xiongan；NEAR 天津"
    assert [m.group() for m in pattern.finditer(text)] == [
        "雄安新区", "雄安", "Xiong'an", "Xiongan", "NEAR"]
    assert highlight("Xiong'an is an area", "Xiongan") == "<mark>Xiong&#39;an</mark> is an area"
    assert query_pattern("") is None and query_pattern(None) is None


def test_the_query_pattern_matches_as_the_index_does():
    # a plain Chinese word: its substrings, so counts are substring counts
    text = "雄安新区雄安站雄"
    assert len(query_pattern("雄安").findall(text)) == text.count("雄安")
    # a prefix finds whole words that begin so; a Latin word beside Han text is still a word
    assert query_pattern("xiong*").findall("Xiongan, 在Xiongan；axiong") == ["Xiongan",
                                                                              "Xiongan"]
    # a term of digits and Han is one sequence (not every 年), a phrase keeps its order
    assert query_pattern("2024年").findall("2024年3月，12024年，2025年") == ["2024年"]
    assert query_pattern('"雄安 新区"').findall("雄安新区，雄安、新区") == ["雄安、新区"]
    # OR and NEAR: every term; NOT: none of what is left out
    assert query_pattern("雄安 OR 天津").findall("雄安天津") == ["雄安", "天津"]
    assert query_pattern("NEAR(雄安 北京, 5)").findall("北京到雄安") == ["北京", "雄安"]
    assert query_pattern("京津冀 -天津").findall("京津冀天津") == ["京津冀"]


def test_added_spellings_are_marked():
    assert highlight("北京城市副中心在通州。", "Tongzhou") == (
        "北京<mark>城市副中心</mark>在<mark>通州</mark>。")
    assert highlight("雄安新区", "雄安新區") == "<mark>雄安新区</mark>"


def test_excerpt_marks_every_match_near_the_densest_cluster():
    text = "开头的句子。" * 40 + "雄安新区建设加快，雄安站通车。" + "结尾的句子。" * 40
    out = excerpt(text, "雄安")
    assert out.count("<mark>雄安</mark>") == 2
    assert out.startswith("…") and out.endswith("…")
    assert len(out.replace("<mark>", "").replace("</mark>", "")) < 140


def test_excerpt_escapes_everything_but_the_marks():
    out = excerpt('<script>alert("x")</script> 雄安 <img src=x onerror=alert(1)>', "雄安")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "<mark>雄安</mark>" in out


def test_english_words_match_whole_and_in_any_case():
    out = highlight("Xiongan and XIONGAN but not Xiongans", "xiongan")
    assert out == "<mark>Xiongan</mark> and <mark>XIONGAN</mark> but not Xiongans"


def test_without_a_match_the_opening_is_shown():
    assert excerpt("一" * 300, "雄安") == "一" * 120 + "…"


def test_a_query_with_markup_is_text():
    assert highlight("a<b>c", "<b>") == "a&lt;<mark>b</mark>&gt;c"


@pytest.mark.parametrize("payload", [
    '<script>alert(1)</script>', '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<p onclick="alert(1)">x</p>', '<svg><script>alert(1)</script></svg>', '<iframe src="http://e"></iframe>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>', '<img src="data:text/html,<script>alert(1)</script>">',
    '<style>body{display:none}</style>', '<form action="javascript:alert(1)"><input></form>',
])
def test_clean_html_removes_every_way_to_run_code(payload):
    out = clean_html(f"<p>正文{payload}</p>").lower()
    assert "<script" not in out and "javascript:" not in out and "onerror" not in out
    assert "onclick" not in out and "<iframe" not in out and "data:" not in out
    assert "<style" not in out and "<form" not in out


def test_clean_html_keeps_the_article_markup():
    html = ('<p>段落<strong>加粗</strong></p><figure><img src="http://he.people.com.cn/a.jpg" '
            'alt=""><figcaption>图注</figcaption></figure><a href="http://a.cn/">链接</a>')
    out = clean_html(html)
    assert '<img src="http://he.people.com.cn/a.jpg" alt="">' in out
    assert "<figcaption>图注</figcaption>" in out and "<strong>加粗</strong>" in out
    assert 'href="http://a.cn/"' in out


@pytest.mark.parametrize(("url", "safe"), [
    ("http://he.people.com.cn/n2/a.html", True), ("https://a.cn/", True),
    ("/archive/articles/he-1", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("java\tscript:alert(1)", False), ("//evil.example/", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("", False), (None, False),
])
def test_safe_url(url, safe):
    assert (safe_url(url) is not None) == safe


def test_list_cells_show_lists():
    assert list_cell('["张三", "<b>李四</b>"]', "authors") == (
        '<ul class="xt-list"><li>张三</li><li>&lt;b&gt;李四&lt;/b&gt;</li></ul>')
    assert "Transport integration" in list_cell('["交通一体化"]', "topics")
    assert list_cell("not a list", "title") is None and list_cell(None, "x") is None


def test_photo_cells_link_only_http():
    cell = list_cell('[{"src": "javascript:alert(1)", "caption": "<i>图</i>"}, '
                     '{"src": "http://a.cn/b.jpg", "caption": "雄安"}]', "images")
    assert "javascript" not in cell and "&lt;i&gt;图&lt;/i&gt;" in cell
    assert 'href="http://a.cn/b.jpg"' in cell
