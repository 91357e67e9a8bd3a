"""Fetching an archived article's page requisites (spiders/requisites.py), as the spiders mix it in:
its photos and its page's stylesheets and images, each asked for once across the archive, under
their own size limit; imported stylesheets two levels deep; every answer — stored, missing, too
large, not allowed — recorded so it is not asked again.
"""

from __future__ import annotations

from collections import Counter

import pytest
from crawler_kit import crawler_for, open_spider, read_page, response_for
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from runtime.services import services
from spiders.related import RelatedSpider
from spiders.requisites import settled

CSS = "http://www.people.com.cn/img/2020wbc/css/page202102.css"


def spider_for(tmp_path, **settings) -> RelatedSpider:
    crawler = crawler_for(tmp_path / "archive.db", RelatedSpider, **settings)
    return open_spider(crawler, depth="0")


def state(spider):
    """The crawl's state, its writes committed (they go with the writer's batches: issue 18).
    Requisites keep state even in a full run."""
    found = services(spider.crawler).state
    found.writer.flush()
    return found


def requisites(spider, site) -> list[Request]:
    _, requests = read_page(spider, site, site.seed)
    return requests


def test_an_archived_articles_photos_and_page_requisites_are_asked_for(site, tmp_path):
    spider = spider_for(tmp_path, XIETONG_REQUISITE_MAX_BYTES=12345)
    requests = requisites(spider, site)
    kinds = Counter(r.meta["requisite"] for r in requests)
    photos = [r.url for r in requests if r.meta["requisite"] == "photo"]
    assert kinds["photo"] == len(photos) == 3 and kinds["stylesheet"] == 1 and kinds["image"]
    assert photos == [i.src for i in read_page(spider, site, site.seed)[0][0].article.images]
    for r in requests:
        assert r.meta["download_maxsize"] == 12345 and r.priority == 1
        assert r.headers[b"Referer"] == site.seed.encode()
        assert (r.callback, r.errback) == (spider.parse_requisite, spider.requisite_failed)


@pytest.mark.parametrize("settings, kinds", [
    ({"XIETONG_REQUISITES_PAGE": False}, {"photo": 3}),
    ({"XIETONG_REQUISITES": False}, {}),
    ({"XIETONG_REQUISITES_PER_PAGE": 2}, {"photo": 3, "stylesheet": 1, "image": 1}),
])
def test_the_settings_choose_what_is_fetched(site, tmp_path, settings, kinds):
    requests = requisites(spider_for(tmp_path, **settings), site)
    assert Counter(r.meta["requisite"] for r in requests) == kinds


def test_a_requisite_is_fetched_once_across_the_archive_unless_refetching(site, tmp_path):
    spider = spider_for(tmp_path)
    first = requisites(spider, site)
    for request in first[:2]:
        assert list(spider.parse_requisite(response_for(
            request.url, body=b"jpeg", request=request,
            headers={"Content-Type": "image/jpeg"}))) == []
    state(spider)  # committed
    assert [r.url for r in requisites(spider, site)] == [r.url for r in first[2:]]
    assert spider.crawler.stats.get_value("xietong/requisites/known") == 2
    refetching = spider_for(tmp_path, XIETONG_REQUISITES_REFETCH=True)
    assert len(requisites(refetching, site)) == len(first)


def _stylesheet(spider, url: str, depth: int, css: bytes):
    request = Request(url, meta={"requisite": "stylesheet", "requisite_depth": depth})
    return list(spider.parse_requisite(response_for(
        url, body=css, request=request, headers={"Content-Type": "text/css"})))


def test_imported_stylesheets_are_followed_two_levels_deep(tmp_path):
    spider = spider_for(tmp_path)
    css = b'@import url("more.css");\n.logo { background: url(../imgs/logo.png); }'
    found = _stylesheet(spider, CSS, 0, css)
    assert {(r.url, r.meta["requisite"], r.meta["requisite_depth"]) for r in found} == {
        ("http://www.people.com.cn/img/2020wbc/css/more.css", "stylesheet", 1),
        ("http://www.people.com.cn/img/2020wbc/imgs/logo.png", "image", 1)}
    assert _stylesheet(spider, CSS.replace("page", "deep"), 2, css) == []  # no third level
    assert state(spider).get(CSS)["kind"] == "requisite"
    assert spider.crawler.stats.get_value("xietong/requisites/fetched/stylesheet") == 2


def _failed(spider, error, url: str = "http://he.people.com.cn/a.jpg"):
    request = Request(url, meta={"requisite": "photo", "download_maxsize": 8000})
    failure = Failure(error)
    failure.request = request  # as Scrapy hands it to an errback
    spider.requisite_failed(failure)
    return state(spider).get(url)


def test_every_failure_is_recorded_by_its_cause(tmp_path):
    spider = spider_for(tmp_path, XIETONG_REQUISITE_MAX_BYTES=8000)
    url = "http://he.people.com.cn/a.jpg"
    missing = response_for(url, status=404, request=Request(url))
    assert _failed(spider, HttpError(missing))["status"] == 404
    big = _failed(spider, DownloadCancelledError(
        "Received 9000 bytes which is larger than download max size (8000)"), url + "?big")
    assert big["error"] == "too_large: 9000 bytes > limit 8000"
    assert _failed(spider, IgnoreRequest("Forbidden by robots.txt"), url + "?robots") is None
    assert _failed(spider, TimeoutError("slow"), url + "?slow")["error"] == "TimeoutError"
    stats = spider.crawler.stats.get_stats()
    assert (stats["xietong/requisites/http_errors"], stats["xietong/requisites/too_large"],
            stats["xietong/requisites/not_allowed"], stats["xietong/requisites/failed"]) == \
        (1, 1, 1, 2)
    # a missing or too large requisite is settled: not asked for again; a timeout is not
    assert settled(state(spider).get(url)) and settled(big)
    assert not settled(state(spider).get(url + "?slow"))
