"""The `series` spider (spiders/series.py) fed the sample site's real topic pages: every page of
a topic is read, its members recorded in order — the oldest is 1, so numbers stay put as the
series grows — and the members not fetched before are asked for."""

from __future__ import annotations

from crawler_kit import crawler_for, open_spider, response_for, start_requests
from scrapy.http import Request

from peoplecn import urls
from runtime.items import SeriesListing
from spiders.series import SeriesSpider

TOPIC = "http://politics.people.com.cn/GB/8198/441926/index.html"  # 3 pages


def spider_for(tmp_path, **args) -> SeriesSpider:
    return open_spider(crawler_for(tmp_path / "archive.db", SeriesSpider), **args)


def read_index(spider, site, request: Request):
    return list(spider.parse_index(response_for(request.url, site.get(request.url),
                                                request=request)))


def test_each_topic_is_asked_for_from_page_one_conditionally(tmp_path):
    spider = spider_for(tmp_path)
    requests = start_requests(spider)
    assert [(r.url, r.meta["name"]) for r in requests] == \
        [(s.url, s.name) for s in spider.profile.series]
    assert all(r.meta["conditional"] and r.meta["kind"] == "topic" for r in requests)


def test_all_pages_are_read_and_the_members_numbered_oldest_first(site, tmp_path):
    spider = spider_for(tmp_path, pages=TOPIC)
    (request,) = start_requests(spider)
    pages = 0
    while True:
        pages += 1
        out = read_index(spider, site, request)
        follow = [r for r in out if isinstance(r, Request) and r.meta.get("kind") == "topic"]
        if not follow:
            break
        (request,) = follow
        assert not request.meta.get("conditional")
    (listing,) = [x for x in out if isinstance(x, SeriesListing)]
    articles = [r for r in out if isinstance(r, Request)]
    assert pages == 3 and listing.index_url == TOPIC
    assert listing.name == "京津冀协同发展十年"  # the page's own title when none is configured
    positions = [p for _, p in listing.members]
    assert positions == list(range(len(positions), 0, -1))  # newest first on the page
    assert [aid for aid, _ in listing.members] == [urls.article_id(r.url) for r in articles]


def test_an_unchanged_topic_is_not_read_again(site, tmp_path):
    spider = spider_for(tmp_path, pages=TOPIC)
    (request,) = start_requests(spider)
    assert list(spider.parse_index(response_for(TOPIC, status=304, request=request))) == []
    assert spider.crawler.stats.get_value("xietong/lists_unchanged") == 1
