"""The `series` spider: read each topic (专题) or series index page of the profile and all its
pages (index.html, index2.html …) on every run, record the series with its members in order,
and fetch the member articles not fetched before — or shown under a new headline.

Arguments: `pages` (index URLs, comma-separated; default: the profile's series), and those of
spiders/base.py. Settings read: XIETONG_LIST_MAX_PAGES, and those of spiders/base.py.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from peoplecn import urls
from peoplecn.lists import read_list
from runtime.items import SeriesListing
from spiders.base import ArticleSpider


class SeriesSpider(ArticleSpider):
    name = "series"

    def __init__(self, pages: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._pages = re.split(r"[,\s]+", pages.strip()) if pages else None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        configured = [(s.url, s.name) for s in spider.profile.series]
        spider.indexes = [(u, "") for u in spider._pages] if spider._pages else configured
        spider.max_pages = crawler.settings.getint("XIETONG_LIST_MAX_PAGES")
        return spider

    def arguments(self) -> dict:
        return {**super().arguments(), "pages": [u for u, _ in self.indexes]}

    async def start(self):
        for url, name in self.indexes:
            # Page 1 conditionally: a 304 means the topic and its order are as last recorded.
            yield scrapy.Request(url, callback=self.parse_index, priority=10, meta={
                "kind": "topic", "conditional": True, "index_url": url, "name": name,
                "entries": [], "page": 1})
        for request in self.due_revisits():
            yield request
        for request in self.missing_photo_requests():
            yield request

    def parse_index(self, response: Response):
        meta = response.meta
        if meta["page"] == 1 and (response.status == 304 or meta.get("fetch_outcome") ==
                                  "unchanged"):
            self.crawler.stats.inc_value("xietong/lists_unchanged")
            return
        listing = read_list(response.url, response.body,
                            response.headers.get("Content-Type", b"").decode("latin-1"))
        name = meta["name"] or listing.title
        entries = [*meta["entries"], *listing.entries]
        if listing.next_url and meta["page"] < self.max_pages:
            # Later pages unconditionally: every member is needed to number them.
            yield scrapy.Request(listing.next_url, callback=self.parse_index, priority=10,
                                 meta={**{k: meta[k] for k in ("kind", "index_url")},
                                       "name": name, "entries": entries,
                                       "page": meta["page"] + 1})
            return
        if not entries:
            self.logger.warning("no articles found on series page %s", meta["index_url"])
            self.crawler.stats.inc_value("xietong/lists_empty")
            return
        # The index lists newest first; position 1 is the oldest, so numbers stay put as the
        # series grows.
        total = len(entries)
        yield SeriesListing(name, meta["index_url"], tuple(
            (urls.article_id(e.url), total - i) for i, e in enumerate(entries)))
        for entry in entries:
            request = self.article_request(entry.url, list_title=entry.title)
            if request is not None:
                yield request
