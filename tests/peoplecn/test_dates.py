"""Publication dates with provenance: candidates, the choice, its confidence, disagreements —
and never the crawl time. On sample pages changed to disagree, and on literal strings."""

from __future__ import annotations

import pytest

from peoplecn.pages import dates, parse_article
from peoplecn.pages import people_text as t

URL = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


def served(site, url):
    res = site.get(url)
    return parse_article(url, res.body, res.headers["Content-Type"])


def test_date_line_that_disagrees_with_the_url_is_flagged(fresh_site):
    spec = dict(fresh_site.articles[URL], published="2024-02-26 00:10")  # filed the day before
    fresh_site.put_article(spec)
    art = served(fresh_site, URL)
    assert art.published_at == "2024-02-26T00:10:00+08:00"  # the printed line still wins
    assert (art.date_method, art.date_conflict, art.date_confidence) == \
        ("date_line", True, "low")
    assert art.date_candidates == [
        {"method": "date_line", "value": "2024-02-26T00:10:00+08:00"},
        {"method": "meta_publishdate", "value": "2024-02-26"},
        {"method": "url", "value": "2024-02-25"},
    ]


def test_page_without_date_line_falls_back_to_meta_then_url():
    page = (b'<html><head><meta name="publishdate" content="2024-02-25"></head><body>'
            b'<div class="rm_txt cf"><div class="col col-1"><h1>T</h1></div></div>'
            b'<div class="rm_txt_con cf"><p>' + "正文内容。".encode() * 20 + b"</p></div>"
            b"</body></html>")
    art = parse_article(URL, page)
    assert (art.published_at, art.date_method, art.date_confidence) == \
        ("2024-02-25", "meta_publishdate", "medium")
    art = parse_article(URL, page.replace(b"2024-02-25", b""))
    assert (art.published_at, art.date_method, art.date_confidence) == \
        ("2024-02-25", "url", "low")


def test_no_date_anywhere_gives_no_date_not_the_crawl_time():
    page = ('<html><head><title>无日期</title></head><body><div class="rm_txt_con"><p>' +
            "没有日期的一段话。" * 20 + "</p></div></body></html>").encode()
    art = parse_article("http://example.com/story.html", page)
    assert art.published_at is None and art.date_method is None and art.date_candidates == []


@pytest.mark.parametrize("line, iso", [
    ("2024年02月25日18:19 | 来源：", "2024-02-25T18:19:00+08:00"),
    ("2019年6月5日8:08\xa0\xa0来源：", "2019-06-05T08:08:00+08:00"),
    ("2024年13月45日18:19", None),  # not a date
    ("来源：人民网", None),
])
def test_datetime_from_line(line, iso):
    assert t.datetime_from_line(line) == iso


@pytest.mark.parametrize("url, day", [
    ("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", "2024-02-25"),
    ("http://www.people.com.cn/n/2013/1227/c373005-23961344.html", "2013-12-27"),
    ("http://www.news.cn/20240424/b3e483975ed64224afba3567f940a0b0/c.html", "2024-04-24"),
    ("http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm", "2012-06-04"),
    ("http://hebei.hebnews.cn/2024-02/26/content_9147123.htm", "2024-02-26"),
    ("http://www.bjd.com.cn/a/202402/25/WS65dab1c2e4b0d8bb1c0e6b1a.html", "2024-02-25"),
    ("http://news.enorth.com.cn/system/2024/02/25/055123456.shtml", "2024-02-25"),
    ("http://example.com/about.html", None),
])
def test_url_dates(url, day):
    assert dates.url_date(url) == day


def test_english_and_text_dates():
    assert dates.english_date_time("11:35, November 23, 2022") == "2022-11-23T11:35:00+08:00"
    assert dates.text_date_time("新华网河北频道 ( 2012-06-04 09:20:26 )") == \
        "2012-06-04T09:20:26+08:00"
    assert dates.text_date_time("2024年02月25日18:19") == "2024-02-25T18:19:00+08:00"


def test_choose():
    assert dates.choose([]).published_at is None
    one = dates.choose([("date_line", "2024-02-25T18:19:00+08:00"), ("url", None)])
    assert (one.method, one.confidence, one.conflict) == ("date_line", "medium", False)
    bare = dates.choose([("url", "2024-02-25")])
    assert (bare.published_at, bare.confidence) == ("2024-02-25", "low")
