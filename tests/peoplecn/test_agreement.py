"""Field-level agreement (issue 22): a page a template reader claims is read by it, every field it
left empty is filled in from the template-blind reader, `field_sources` names the reader of each
field, and where both read a field differently the template's value stands and the field is
named in `disagreements` (counted per crawl in crawls.field_disagreements)."""

from __future__ import annotations

from test_pages_habits import URL, page, text

from peoplecn.pages import Link, parse_article, parse_page, read_page
from peoplecn.pages.agreement import agree, sources_of
from peoplecn.pages.fields import Body, Fields
from sample_site.site import build_site

SITE = build_site()
BY_FILE = {s["_file"]: s for s in SITE.articles.values()}


def served(name: str):
    spec = BY_FILE[name]
    res = SITE.get(spec["url"])
    return spec, res.body, res.headers["Content-Type"]


def test_a_related_box_the_template_does_not_know_is_filled_in():
    spec, body, ctype = served("he-2020-cross-border-bus.toml")
    art = parse_article(spec["url"], body, ctype)
    assert art.template == "people_2020"
    assert [x.url for x in art.links if x.kind == "related"] == spec["related"]
    assert art.field_sources["related"] == "cues"
    assert {art.field_sources[f] for f in ("title", "body", "byline", "published_at",
                                          "source", "editors", "original_title")} == {
        "people_2020"}
    assert art.disagreements == []
    alone = read_page(parse_page(spec["url"], body, ctype), agreement=False)
    assert [x for x in alone.links if x.kind == "related"] == []  # the template alone: none
    assert "related" not in alone.field_sources


def test_a_pre_title_the_template_map_cannot_see_is_filled_in():
    spec, body, ctype = served("bj-2011-intercity-extension.toml")
    art = parse_article(spec["url"], body, ctype)
    assert (art.template, art.pre_title) == ("people_n", spec["pre_title"])
    assert art.field_sources["pre_title"] == "cues"
    assert art.field_sources["related"] == "cues"  # a headless run outside any <p>
    assert art.field_sources["byline"] == "people_n"  # ■ 本报记者 … closing the text


def test_where_the_readers_disagree_the_template_stands_and_it_is_counted():
    # an editor line inside the text: the template reads div.edit, the template-blind reader
    # the first editor line after the headline (and ends the text there)
    body = page(text("<p>（编辑：赵六）</p>", at=2))
    art = parse_article(URL, body, "text/html; charset=utf-8")
    assert art.editors == ["王一", "李二"] and len(art.paragraphs) == 3
    assert art.disagreements == ["editors", "body"]
    assert art.field_sources["editors"] == "people_2020"


def test_a_page_the_template_blind_reader_cannot_read_keeps_the_template_alone():
    body = page("<p>短文。</p>")  # too little text for the template-blind reader
    art = parse_article(URL, body, "text/html; charset=utf-8")
    assert art.template == "people_2020" and art.paragraphs == ["短文。"]
    assert set(art.field_sources.values()) == {"people_2020"} and art.disagreements == []


def _fields(**kw) -> Fields:
    return Fields(title=kw.pop("title", "标题"), body=Body(paragraphs=["正文。"]), **kw)


def test_agree_fills_only_empty_fields_and_names_disagreements():
    link = Link(url="http://he.people.com.cn/n2/2024/0101/c1-1.html", text="t", kind="related")
    own = _fields(byline="本报记者 王芳", source_raw="人民网", date_line=None)
    blind = _fields(title="另一个标题", byline="本报记者  王  芳", source_raw="新华网",
                    source_url="http://www.news.cn/", related=[link],
                    date_line="2024-01-01T08:00:00+08:00")
    merged, sources, disagreements = agree(own, "people_2020", blind)
    assert merged.related == [link] and merged.date_line == "2024-01-01T08:00:00+08:00"
    assert merged.byline == "本报记者 王芳"  # same words, other spacing: no disagreement
    assert merged.source_url is None  # another outlet's link is not this one's
    assert (merged.title, merged.source_raw) == ("标题", "人民网")
    assert disagreements == ["title", "source"]
    assert sources["related"] == sources["published_at"] == "cues"
    assert sources["title"] == "people_2020" and "source_url" not in sources
    assert agree(own, "people_2020", None) == (own, sources_of(own, "people_2020"), [])


def test_a_source_link_is_filled_in_for_the_same_outlet():
    own = _fields(source_raw="新华网")
    blind = _fields(source_raw="新华网", source_url="http://www.news.cn/")
    merged, sources, _ = agree(own, "people_2016", blind)
    assert merged.source_url == "http://www.news.cn/" and sources["source_url"] == "cues"
