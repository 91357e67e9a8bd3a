"""The `revisit` spider (spiders/revisit.py) over an archive from a real crawl: it asks again for
every archived article (or those named), follows a redirect only within the same article, and
says when a page no longer reads as an article; gone and redirected pages are left to the
capture, which records where they led."""

from __future__ import annotations

import pytest
import sqlite_utils
from crawler_kit import crawl_seed, crawler_for, open_spider, response_for, start_requests
from scrapy.http import Request

from peoplecn import urls
from runtime.items import ArticleItem, StatusEvent
from spiders.revisit import RevisitSpider


@pytest.fixture(scope="module")
def archive(site, tmp_path_factory):
    path = tmp_path_factory.mktemp("revisit") / "archive.db"
    crawl_seed(site, path, depth=1)
    return path


def spider_for(archive, **args) -> RevisitSpider:
    return open_spider(crawler_for(archive, RevisitSpider), **args)


def articles_asked(spider) -> list[Request]:
    """Its start requests less the photos the archive lacks (every spider fetches those first:
    issue 18; this archive was crawled without photos)."""
    return [r for r in start_requests(spider) if not r.meta.get("requisite")]


def test_every_archived_article_is_asked_for_without_following_redirects(archive):
    archived = {r["url"] for r in sqlite_utils.Database(archive)["articles"].rows}
    spider = spider_for(archive)
    requests = articles_asked(spider)
    assert len(archived) > 3 and {r.url for r in requests} == archived
    for r in requests:
        assert r.meta["dont_redirect"] and {301, 302, 404, 410} <= set(
            r.meta["handle_httpstatus_list"])
    assert (spider.depth, spider.keywords) == (0, [])


def test_the_articles_named_or_at_most_the_limit(site, archive):
    named = spider_for(archive, ids="he-40745301")
    assert [r.url for r in articles_asked(named)] == [site.seed]
    assert len(articles_asked(spider_for(archive, limit="2"))) == 2


def answer(spider, url: str, status: int, body: bytes = b"", headers=None) -> list:
    (request,) = [r for r in start_requests(spider) if r.url == url]
    return list(spider.parse_page(response_for(url, status=status, body=body,
                                               headers=headers, request=request)))


def test_a_redirect_is_followed_only_within_the_same_article(site, archive):
    spider = spider_for(archive, ids="he-40745301")
    moved = site.seed.replace("c192235-", "c197051-")  # a new catalog, the same article
    (follow,) = answer(spider, site.seed, 301, headers={"Location": moved})
    assert isinstance(follow, Request) and follow.url == moved
    assert answer(spider, site.seed, 302, headers={"Location": "http://www.people.com.cn/"}) == []
    assert answer(spider, site.seed, 404) == [] and answer(spider, site.seed, 410) == []


def test_a_page_that_no_longer_reads_as_an_article_is_reported_replaced(site, archive):
    spider = spider_for(archive, ids="he-40745301")
    out = answer(spider, site.seed, 200, "<html><body><p>页面已更换</p></body></html>".encode(),
                 {"Content-Type": "text/html; charset=utf-8"})
    (event,) = [x for x in out if isinstance(x, StatusEvent)]
    assert (event.article_id, event.status) == ("he-40745301", "replaced")


def test_a_page_that_still_reads_is_archived_again_and_nothing_followed(site, archive):
    spider = spider_for(archive, ids="he-40745301")
    res = site.get(site.seed)
    out = answer(spider, site.seed, 200, res.body, res.headers)
    (item,) = [x for x in out if isinstance(x, ArticleItem)]
    assert item.id == urls.article_id(site.seed)
    assert not [r for r in out if isinstance(r, Request) and not r.meta.get("requisite")]
