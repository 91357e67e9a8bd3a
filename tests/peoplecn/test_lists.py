"""List, topic and search-API readers (peoplecn/lists.py, peoplecn/search_api.py) on the sample
site's pages as bytes: pure functions, no crawler."""

from __future__ import annotations

import json

import pytest

from peoplecn import search_api as client
from peoplecn.lists import read_list
from peoplecn.pages import Article
from sample_site import lists, search_api

HE_LIST = "http://he.people.com.cn/GB/197051/379555/index.html"
TOPIC = "http://politics.people.com.cn/GB/8198/441926/index.html"


def page(site, url):
    res = site.get(url)
    return read_list(url, res.body, res.headers["Content-Type"])


@pytest.mark.parametrize("url", [HE_LIST, TOPIC])
def test_entries_in_page_order_with_their_titles(site, url):
    spec = next(s for s in site.listings if s.url == url)
    shown = lists.members(spec, site.articles)[:spec.page_size]
    got = page(site, url)
    assert [(e.url, e.title) for e in got.entries] == [(a["url"], a["title"]) for a in shown]


def test_gbk_list_decodes_and_links_resolve_against_the_page(site):
    res = site.get(HE_LIST)
    assert "charset=GB2312" in res.headers["Content-Type"]
    got = read_list(HE_LIST, res.body, None)  # declared in the page only
    assert got.title == "京津冀"
    assert all(e.url.startswith("http://he.people.com.cn/n2/") for e in got.entries)


def test_next_page_until_the_last(site):
    first = page(site, TOPIC)
    assert first.title == "京津冀协同发展十年"
    assert first.next_url == TOPIC.replace("index.html", "index2.html")  # no #fy01
    last = page(site, TOPIC.replace("index.html", "index3.html"))
    assert last.next_url is None and last.entries


def test_a_page_without_a_list_has_no_entries():
    got = read_list("http://he.people.com.cn/", b"<html><title>x</title><body>hi</body></html>")
    assert got.entries == [] and got.next_url is None


def test_search_request_body_is_what_the_api_takes(site):
    body = client.request_body("京津冀", 1609430400000, 1700000000000, page=3)
    assert body["startTime"] == 1609430400000 and isinstance(body["endTime"], int)
    assert (body["page"], body["limit"], body["sortType"]) == (3, 100, 2)
    status, data = search_api.answer(site.articles, "POST", json.dumps(body).encode())
    assert status == 200 and data["code"] == "0"
    # the API refuses string times (reference §10), so the body must keep them integers
    bad = {**body, "startTime": "1609430400000"}
    assert search_api.answer(site.articles, "POST", json.dumps(bad).encode())[0] == 400


def test_a_record_with_full_text_becomes_an_article(site):
    url = "http://bj.people.com.cn/n2/2025/0612/c82838-41253307.html"
    spec = site.articles[url]
    record = search_api.record(spec, "京津冀")
    assert "<em>京津冀</em>" in record["title"]
    article = client.article_from_record(record)
    assert isinstance(article, Article)
    assert (article.url, article.id, article.title) == (url, "bj-41253307", spec["title"])
    assert article.published_at == "2025-06-12T16:45:00+08:00"
    assert article.paragraphs[0].startswith("家住廊坊的刘阿姨")
    assert len(article.paragraphs) == 3  # the photo's caption is not a paragraph
    assert article.images[0].caption == spec["body"][2]["caption"]
    assert (article.source, article.editors, article.authors) == (spec["source"], spec["editors"],
                                                                  ["王昊"])


def test_a_record_without_full_text_gives_no_article(site):
    url = "http://tj.people.com.cn/n2/2024/1108/c375366-41012286.html"
    assert client.article_from_record(search_api.record(site.articles[url], "京津冀")) is None


def test_an_api_error_is_a_typed_error():
    with pytest.raises(client.SearchError):
        client.read_results(b'{"code": "500", "msg": "busy"}')
    with pytest.raises(client.SearchError):
        client.read_results(b"<html>405</html>")
