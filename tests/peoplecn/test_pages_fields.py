"""The fields the page readers add beyond the basic record — people with roles, series and
ordinals, print edition, photo credits, date provenance, sanitised HTML — on sample pages of
every template, against values read off each page's content file by hand."""

from __future__ import annotations

import re

import pytest

from peoplecn import urls
from peoplecn.pages import merge_pages, parse_article
from sample_site.site import build_site

SITE = build_site()
BY_FILE = {s["_file"]: s for s in SITE.articles.values()}


def read(spec: dict):
    res = SITE.get(spec["url"])
    first = parse_article(spec["url"], res.body, res.headers["Content-Type"])
    rest = [parse_article(u, SITE.get(u).body, SITE.get(u).headers["Content-Type"])
            for u in first.page_urls[1:]]
    return merge_pages(first, rest)


R = "人民网记者"
EXPECTED = {
    # people_2020: series from the pre-title; a byline that names a team, not a person
    "he-seed.toml": dict(
        template="people_2020", series=("京津冀协同发展十年", None),
        contributors=[("人民网京津冀联合采访组", None)],
        credits=["人民网记者 孟兆安"] * 3, edition=(None, None, None),
        source=("人民网－人民雄安网", "人民雄安网", None)),
    # people_2020: the series from a headline suffix with its ordinal, a 人民日报 piece with
    # its print edition on the last of two pages, a video player and a QR block to strip
    "finance-2024-sscard-series.toml": dict(
        template="people_2020", series=("京津冀协同发展十年", 5),
        contributors=[("王昊", "本报记者"), ("宋阳", "本报记者")],
        credits=["本报记者 宋阳", "新华社记者 李明"], edition=("人民日报", "2024-02-26", "18"),
        source=("人民网－人民日报", "人民日报", None)),
    "politics-2024-shujie.toml": dict(
        template="people_2020", series=("京津冀协同发展十年", None),
        contributors=[("王晓东", "本报记者"), ("刘洋", "本报记者")],
        credits=[], edition=(None, None, None),
        source=("人民网－人民日报", "人民日报", None)),
    # people_2016
    "bj-2016-wholesale-market.toml": dict(
        template="people_2016", series=(None, None),
        contributors=[("秦川", R), ("毛婧", R)],
        credits=["人民网记者 毛婧"], edition=(None, None, None),
        source=("人民网-北京频道", "人民网", "北京频道")),
    # the pre-title 记者走基层 is a kicker with no series mark: a pre-title, not a series
    "he-2018-three-counties.toml": dict(
        template="people_2016", series=(None, None),
        contributors=[("张雷", R), ("李晓明", R)],
        credits=["人民网记者 李晓明", "人民网记者 张雷", "人民网记者 张雷", "人民网记者 李晓明"],
        edition=(None, None, None), source=("人民网-河北频道", "人民网", "河北频道")),
    "he-2016-caofeidian.toml": dict(
        template="people_2016", series=(None, None), contributors=[("李明", "新华社记者")],
        credits=None, edition=(None, None, None), source=("新华网", "新华网", None)),
    # people_n (2012–15): GBK bytes, the byline printed as the first paragraph, 责任编辑 with a
    # padded name, the series named in two spellings with its ordinal
    "he-2014-strategy.toml": dict(
        template="people_n", series=("聚焦京津冀协同发展", 1),
        contributors=[("史力", "本报记者")], credits=["本报记者 史力"],
        edition=("人民日报", "2014-02-28", "04"), source=("人民网－人民日报", "人民日报", None)),
    "bj-2015-tongzhou.toml": dict(
        template="people_n", series=("聚焦京津冀协同发展", 2),
        contributors=[("程蕾", R)], credits=["人民网记者 程蕾"], edition=(None, None, None),
        source=("人民网-北京频道", "人民网", "北京频道")),
    # layouts no template reader claims, read by the template-blind reader (cues)
    "health-2024-test-results.toml": dict(
        template="cues", series=(None, None), contributors=[("李彤", R)],
        credits=["人民网记者 李彤"], edition=(None, None, None),
        source=("人民网-健康频道", "人民网", "健康频道")),
    # a kicker (一季度经济观察) that is no series, a closing byline, the print edition
    "finance-2024-industry-chains.toml": dict(
        template="cues", series=(None, None), contributors=[("王芳", "本报记者"),
                                                             ("李强", "本报记者")],
        credits=[], edition=("人民日报", "2024-03-18", "01"),
        source=("人民网-《人民日报》", "人民日报", None)),
    # the reporter named only in the dateline （记者韩笑）
    "tj-2022-industrial-parks.toml": dict(
        template="cues", series=(None, None), contributors=[("韩笑", "记者")],
        credits=["人民网记者 韩笑"], edition=(None, None, None),
        source=("人民网-天津频道", "人民网", "天津频道")),
    "en-2007-capital-region.toml": dict(
        template="cues", series=(None, None), contributors=[("Zhou Yan", None)], credits=[],
        edition=(None, None, None), source=("Xinhua", "Xinhua", None)),
    "he-2009-tourism-gb.toml": dict(
        template="cues", series=(None, None), contributors=[("赵刚", "本报记者")],
        credits=["本报记者 赵刚"], edition=(None, None, None),
        source=("河北日报", "河北日报", None)),
    # people_en
    "en-2024-ten-years.toml": dict(
        template="people_en", series=(None, None), contributors=[("Zhang Min", None)],
        credits=["People's Daily Online/Zhang Min"], edition=(None, None, None),
        source=("People's Daily Online", "People's Daily Online", None)),
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request):
    return EXPECTED[request.param], BY_FILE[request.param], read(BY_FILE[request.param])


def test_template(case):
    want, _, art = case
    assert art.template == want["template"]


def test_series_and_order(case):
    want, _, art = case
    assert (art.series, art.series_order) == want["series"]


def test_contributors_and_authors(case):
    want, spec, art = case
    assert [(c["name"], c["role"]) for c in art.contributors] == want["contributors"]
    assert art.authors == [name for name, _ in want["contributors"]]
    assert art.byline == spec.get("byline")


def test_photo_credits(case):
    want, _, art = case
    if want["credits"] is not None:
        assert [i.credit for i in art.images] == want["credits"]
    for img in art.images:
        assert img.src.startswith("http://") and img.caption


def test_print_edition_is_a_field_not_text(case):
    want, _, art = case
    assert (art.print_edition, art.print_date, art.print_page) == want["edition"]
    assert "版）" not in art.body and "paper_num" not in art.body_html


def test_source_normalised(case):
    want, _, art = case
    assert (art.source_raw, art.source, art.source_channel) == want["source"]


def test_date_provenance(case):
    _, spec, art = case
    day, hm = spec["published"].split(" ")
    assert art.published_at == f"{day}T{hm}:00+08:00"
    # high needs a second candidate that agrees: a /GB/ URL carries no date
    confirmed = len(art.date_candidates) > 1
    assert (art.date_method, art.date_confidence, art.date_conflict) == \
        ("date_line", "high" if confirmed else "medium", False)
    assert art.date_candidates[0] == {"method": "date_line", "value": art.published_at}
    if urls.url_date(spec["url"]):
        assert {"method": "url", "value": day} in art.date_candidates


def test_body_html(case):
    _, _, art = case
    html = art.body_html
    # one <p>/<h*> per paragraph, one figure per photo, nothing else
    assert len(re.findall(r"<(?:p|h[2-4])>", html)) == len(art.paragraphs)
    assert html.count("<figure>") == len(art.images)
    assert re.findall(r'<img src="([^"]+)"', html) == [i.src for i in art.images]
    for junk in ("<script", "showPlayer", "video.people.cn", "<video", "扫码", "责编", "责任编辑",
                 "Web editor", "分享到", "style=", "class=", "<p>\u3000"):  # indents go
        assert junk not in html
    for para in art.paragraphs[:3]:
        assert para[:10] in re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")


def test_one_series_however_spelled():
    names = {(BY_FILE[f]["pre_title"] if "pre_title" in BY_FILE[f] else BY_FILE[f]["title"]):
             read(BY_FILE[f]).series
             for f in ("he-seed.toml", "finance-2024-sscard-series.toml",
                       "he-2014-strategy.toml", "bj-2015-tongzhou.toml")}
    assert len(names) == 4  # four different spellings …
    assert set(names.values()) == {"京津冀协同发展十年", "聚焦京津冀协同发展"}  # … two series


def test_multi_page_print_edition_and_html_merge():
    spec = BY_FILE["finance-2024-sscard-series.toml"]
    first = parse_article(spec["url"], SITE.get(spec["url"]).body)
    assert first.print_edition is None  # the note is on the last page
    art = read(spec)
    assert art.print_edition == "人民日报"
    assert art.body_html.count("<figure>") == 2 and art.body_html.endswith("</p>")
