"""The walk of `parse_page` (issue 22): spider → page readers → spider, with no detour through
the crawl runtime, the archive or the pipelines while a page is read. Traced with
sys.setprofile on a real spider (Scrapy's get_crawler) reading a real sample page: every call
into our own packages, in order, until the spider hands the article on."""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from sample_site.site import build_site
from spiders.base import ArticleSpider

ROOT = Path(__file__).resolve().parents[2]
OURS = {"spiders", "peoplecn", "runtime", "archive", "pipelines", "xietong"}


class WalkSpider(ArticleSpider):
    name = "walk"

    def article_read(self, article, meta):
        self.read, self.meta = article, meta
        return iter(())


def _package(filename: str) -> str | None:
    try:
        top = Path(filename).resolve().relative_to(ROOT).parts[0]
    except (ValueError, IndexError):
        return None
    return top if top in OURS else None


def walk_of(spider, response) -> list[str]:
    """Our packages entered while `parse_page` reads `response`, in order, repeats folded."""
    seen: list[str] = []

    def profile(frame, event, arg):
        if event == "call":
            package = _package(frame.f_code.co_filename)
            if package and (not seen or seen[-1] != package):
                seen.append(package)

    sys.setprofile(profile)
    try:
        list(spider.parse_page(response))
    finally:
        sys.setprofile(None)
    return seen


def test_parse_page_goes_spider_readers_spider():
    site = build_site()
    url = site.seed
    crawler = get_crawler(WalkSpider, settings_dict={
        "XIETONG_PROFILE": "jingjinji", "XIETONG_REQUISITES": True,
        "XIETONG_REQUISITES_PAGE": True})
    spider = WalkSpider.from_crawler(crawler, incremental="false")
    res = site.get(url)
    response = HtmlResponse(url, body=res.body, headers=res.headers,
                            request=Request(url, meta={"kind": "article"}))
    walk = walk_of(spider, response)
    assert spider.read.url == url  # the page was read, and handed on
    assert spider.meta["page_requisites"][0]  # with its stylesheets and images
    # one visit to the readers (the article and the page's requisites from one parse); no
    # runtime, archive or pipelines on the way
    assert walk == ["spiders", "peoplecn", "spiders"], walk
