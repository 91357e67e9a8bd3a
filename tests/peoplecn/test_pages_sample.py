"""Page readers on every page of the bundled sample site, read as the bytes the replay server
serves, against what the page's content file says (the words were written there, the markup
is the template's: the reader has to find them back)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from peoplecn.pages import merge_pages, parse_article
from sample_site.site import build_site, page_url

SITE = build_site()
SPECS = sorted(SITE.articles.values(), key=lambda s: s["url"])
IDS = [s["_file"] for s in SPECS]


def served(url: str):
    res = SITE.get(url)
    return parse_article(url, res.body, res.headers["Content-Type"])


def plain(html: str) -> str:
    return re.sub(r"[ \t\n\xa0]+", " ", re.sub(r"<[^>]+>", "", html)).strip(" \u3000")


# The 来源 text as printed → (source, source_channel): 人民网's own pieces keep 人民网 as the
# outlet and name the channel apart; pieces 人民网 republished keep their own outlet.
SOURCES = {
    "人民网-云南频道": ("人民网", "云南频道"),
    "人民网-人民日报": ("人民日报", None),
    "人民网-《人民日报》": ("人民日报", None),  # a paper's name printed as a title
    "人民网－人民日报": ("人民日报", None),
    "人民网-北京频道": ("人民网", "北京频道"),
    "人民网－北京频道": ("人民网", "北京频道"),
    "人民网-天津频道": ("人民网", "天津频道"),
    "人民网－天津频道": ("人民网", "天津频道"),
    "人民网-河北频道": ("人民网", "河北频道"),
    "人民网－河北频道": ("人民网", "河北频道"),
    "人民网-社会频道": ("人民网", "社会频道"),
    "人民网-陕西频道": ("人民网", "陕西频道"),
    "人民网－人民雄安网": ("人民雄安网", None),
    "人民网－四川频道": ("人民网", "四川频道"),
    "人民网－文化频道": ("人民网", "文化频道"),
    "人民网－福建频道": ("人民网", "福建频道"),
    "新华网": ("新华网", None),
    "People's Daily Online": ("People's Daily Online", None),
}


def expected_source(raw: str) -> tuple[str, str | None]:
    """SOURCES, or for a 来源 text added to the sample site since: the same rule, spelled out."""
    if raw in SOURCES:
        return SOURCES[raw]
    site, _, rest = raw.replace("－", "-").partition("-")
    if site != "人民网" or not rest:
        return raw, None
    return ("人民网", rest) if rest.endswith("频道") else (rest, None)


@pytest.fixture(scope="module", params=SPECS, ids=IDS)
def case(request):
    spec = request.param
    return spec, served(spec["url"])


def test_identity(case):
    spec, art = case
    host = spec["url"].split("/")[2]
    # the content id ends the URL: …/c192235-40745301.html, …/GB/197051/8923456.html,
    # …/eng20070712_398765.html
    cid = re.split(r"[-/_]", spec["url"].removesuffix(".html"))[-1]
    assert (art.url, art.site, art.content_id) == (spec["url"], host, cid)
    # pre-2012 /GB/ ids are kept apart from the n2 ids of the same host (peoplecn/urls.py)
    marker = "gb" if "/GB/" in spec["url"] else ""
    assert art.id == f"{host.split('.')[0]}-{marker}{cid}"


def test_title_block(case):
    spec, art = case
    assert art.title == spec["title"]
    assert art.pre_title == (spec.get("pre_title") or None)
    assert art.subtitle == (spec.get("subtitle") or None)
    assert art.channel == spec.get("channel")


def test_published_at(case):
    spec, art = case
    day, hm = spec["published"].split(" ")
    assert art.published_at == f"{day}T{hm}:00+08:00"


def test_source(case):
    spec, art = case
    assert art.source_raw == spec["source"]
    assert (art.source, art.source_channel) == expected_source(spec["source"])
    assert art.source_url == (spec["source_url"] or None)


def test_editors(case):
    spec, art = case
    # padded two-character names ("杨  阳") are one name
    assert art.editors == [e.replace(" ", "") if re.fullmatch(r"\w  \w", e) else e
                           for e in spec.get("editors", [])]


def test_byline_kept_raw(case):
    spec, art = case
    assert art.byline == (spec.get("byline") or None)


def test_paragraphs(case):
    spec, art = case
    expected = [plain(p) for p in spec["body"] if isinstance(p, str)]
    assert art.paragraphs == expected


def test_images_and_captions(case):
    spec, art = case
    expected = [(urljoin(spec["url"], p["img"]), p.get("caption"))
                for p in spec["body"] if isinstance(p, dict)]
    assert [(i.src, i.caption) for i in art.images] == expected


def test_related_and_recommended_links(case):
    spec, art = case
    related = spec.get("related", []) + [
        e["url"] for e in spec.get("external", []) if e.get("block", "related") == "related"]
    recommended = [r["url"] for r in spec.get("recommended", [])] + [
        e["url"] for e in spec.get("external", []) if e.get("block") == "recommended"]
    assert [link.url for link in art.links if link.kind == "related"] == related
    assert [link.url for link in art.links if link.kind == "recommended"] == recommended
    for link in art.links:
        target = SITE.articles.get(SITE.redirects.get(link.url, link.url))
        if target and link.kind != "body":
            assert link.text == target["title"]


def test_body_links(case):
    spec, art = case
    hrefs = [h for p in spec["body"] if isinstance(p, str)
             for h in re.findall(r'href="([^"]+)"', p)]
    assert [link.url for link in art.links if link.kind == "body"] == hrefs


def test_encoding(case):
    spec, art = case
    gbk = spec.get("charset") == "gbk"
    assert art.charset == ("gb18030" if gbk else "utf-8")
    assert not art.mojibake
    assert art.language == spec.get("language", "en" if spec["template"] == "en" else "zh")
    assert art.declared_charset == ("gb2312" if gbk else "utf-8")


def test_boilerplate_is_not_body(case):
    _, art = case
    body = art.body
    for widget in ("责编", "分享让更多人看到", "showPlayer", "相关链接", "推荐阅读", "客户端下载",
                   "picbig", "小字号"):
        assert widget not in body


# The sample site's markup → the reader that reads it: a template reader for the templates we
# know, the template-blind reader for the layouts no template claims (sample_site/layouts.py).
READ_BY = {"2020": "people_2020", "2016": "people_2016", "n2013": "people_n", "en": "people_en",
           "health2024": "cues", "finance2024": "cues", "regional2022": "cues", "en2007": "cues",
           "gb2009": "cues", "gb2008": "cues", "gb2011": "people_n"}


def test_template_is_read_from_the_page(case):
    spec, art = case
    assert art.template == READ_BY[spec["template"]]
    assert art.confidence >= (0.9 if art.template != "cues" else 0.8)


def test_gbk_pages_are_served_as_gbk_bytes():
    gbk = [s for s in SPECS if s.get("charset") == "gbk"]
    assert len(gbk) >= 3
    for spec in gbk:
        res = SITE.get(spec["url"])
        assert res.headers["Content-Type"] == "text/html; charset=GB2312"
        assert b"charset=GB2312" in res.body
        with pytest.raises(UnicodeDecodeError):
            res.body.decode("utf-8")
        assert spec["title"].encode("gbk") in res.body
        art = parse_article(spec["url"], res.body, None)  # meta declaration alone is enough
        assert art.title == spec["title"] and "\ufffd" not in art.body


def test_multi_page_article_is_merged_in_order():
    spec = next(s for s in SPECS if s.get("pages"))
    pages = [served(page_url(spec["url"], n)) for n in range(1, len(spec["pages"]) + 2)]
    assert [p.page_no for p in pages] == list(range(1, len(pages) + 1))
    assert pages[0].page_urls == [page_url(spec["url"], n) for n in range(1, len(pages) + 1)]
    merged = merge_pages(pages[0], list(reversed(pages[1:])))
    expected = [plain(p) for body in [spec["body"], *spec["pages"]] for p in body
                if isinstance(p, str)]
    assert merged.paragraphs == expected
    assert merged.url == spec["url"]
    assert len(merged.images) == sum(isinstance(p, dict) for b in [spec["body"], *spec["pages"]]
                                     for p in b)
