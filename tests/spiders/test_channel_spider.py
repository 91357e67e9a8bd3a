"""The `channel` spider (spiders/channel.py) fed the sample site's real list pages: it reads each
configured column from page 1 (conditionally), asks for the articles it has not fetched or that
now show a new headline, and turns the page only while a page brought something new."""

from __future__ import annotations

from crawler_kit import crawler_for, open_spider, response_for, start_requests
from scrapy.http import Request

from spiders.channel import ChannelSpider

HE_LIST = "http://he.people.com.cn/GB/197051/379555/index.html"  # 3 pages


def spider_for(tmp_path, settings: dict | None = None, **args) -> ChannelSpider:
    return open_spider(crawler_for(tmp_path / "archive.db", ChannelSpider, **(settings or {})),
                       **args)


def list_page(spider, site, url: str, page: int = 1, **meta):
    request = Request(url, callback=spider.parse_list, meta={"kind": "list", "page": page,
                                                              **meta})
    return list(spider.parse_list(response_for(url, site.get(url), request=request)))


def test_every_configured_column_is_read_from_page_one_conditionally(tmp_path):
    spider = spider_for(tmp_path)
    requests = start_requests(spider)
    assert [r.url for r in requests] == [c.url for c in spider.profile.channels]
    assert all(r.meta == {"kind": "list", "page": 1, "conditional": True} and r.priority == 10
               for r in requests)
    given = spider_for(tmp_path, lists=f"{HE_LIST} ")
    assert [r.url for r in start_requests(given)] == [HE_LIST]


def test_a_page_asks_for_its_new_articles_and_the_next_page(site, tmp_path):
    spider = spider_for(tmp_path)
    out = list_page(spider, site, HE_LIST)
    articles = [r for r in out if r.meta.get("kind") == "article"]
    (next_page,) = [r for r in out if r.meta.get("kind") == "list"]
    assert len(articles) == 4 and all(r.callback == spider.parse_page for r in articles)
    assert next_page.url.endswith("/index2.html") and next_page.meta["page"] == 2
    assert next_page.meta["conditional"] is False  # only page 1 is asked conditionally


def test_a_page_with_nothing_new_ends_the_column(site, tmp_path):
    spider = spider_for(tmp_path)
    for request in list_page(spider, site, HE_LIST):
        if request.meta.get("kind") == "article":
            spider.state.record_fetch(request.url, "article", 200, body=b"x")
    spider.state.writer.flush()  # committed with the writer's batch (issue 18)
    assert list_page(spider, site, HE_LIST) == []
    assert spider.crawler.stats.get_value("xietong/articles_not_due") == 4


def test_the_page_limit_stops_the_column(site, tmp_path):
    spider = spider_for(tmp_path, settings={"XIETONG_LIST_MAX_PAGES": 1})
    assert all(r.meta["kind"] == "article" for r in list_page(spider, site, HE_LIST))


def test_an_unchanged_or_empty_column_is_counted(site, tmp_path):
    spider = spider_for(tmp_path)
    request = Request(HE_LIST, meta={"kind": "list", "page": 1})
    assert list(spider.parse_list(response_for(HE_LIST, status=304, request=request))) == []
    assert list_page(spider, site, HE_LIST, fetch_outcome="unchanged") == []
    empty = response_for(HE_LIST, body=b"<html><body><p>no list</p></body></html>",
                         meta={"kind": "list", "page": 1})
    assert list(spider.parse_list(empty)) == []
    stats = spider.crawler.stats.get_stats()
    assert (stats["xietong/lists_unchanged"], stats["xietong/lists_empty"]) == (2, 1)
