"""The `channel` spider: read the profile's channel column lists (newest first) page by page,
and fetch the articles not fetched before — or shown under a new headline. A list is read on
every run; it stops at the first page with nothing new (or a page unchanged since last time).

Arguments: `lists` (URLs, comma-separated; default: the profile's channels), and those of
spiders/base.py. Settings read: XIETONG_LIST_MAX_PAGES, and those of spiders/base.py.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from peoplecn.lists import read_list
from spiders.base import ArticleSpider


class ChannelSpider(ArticleSpider):
    name = "channel"

    def __init__(self, lists: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._lists = re.split(r"[,\s]+", lists.strip()) if lists else None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.lists = spider._lists or [c.url for c in spider.profile.channels]
        spider.max_pages = crawler.settings.getint("XIETONG_LIST_MAX_PAGES")
        return spider

    def arguments(self) -> dict:
        return {**super().arguments(), "lists": self.lists}

    async def start(self):
        for url in self.lists:
            yield self.list_request(url, page=1)
        for request in self.due_revisits():
            yield request
        for request in self.missing_photo_requests():
            yield request

    def list_request(self, url: str, page: int) -> scrapy.Request:
        # Page 1 is asked conditionally: a 304 means the column has nothing new.
        return scrapy.Request(url, callback=self.parse_list, priority=10,
                              meta={"kind": "list", "page": page, "conditional": page == 1})

    def parse_list(self, response: Response):
        if response.status == 304 or response.meta.get("fetch_outcome") == "unchanged":
            self.crawler.stats.inc_value("xietong/lists_unchanged")
            return
        listing = read_list(response.url, response.body,
                            response.headers.get("Content-Type", b"").decode("latin-1"))
        if not listing.entries:
            self.logger.warning("no articles found on list page %s", response.url)
            self.crawler.stats.inc_value("xietong/lists_empty")
            return
        new = 0
        for entry in listing.entries:
            request = self.article_request(entry.url, list_title=entry.title)
            if request is not None:
                new += 1
                yield request
        page = response.meta["page"]
        if new and listing.next_url and page < self.max_pages:
            yield self.list_request(listing.next_url, page + 1)
