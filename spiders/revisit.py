"""The `revisit` spider: fetch again every article already in the archive, to see whether it
changed (a new version), disappeared (404/410: gone), was redirected away (redirected) or now
shows something else (replaced). It follows no links and applies no relevance filter.

Redirects are not followed blindly: one to the same article (a new catalog) is followed, any
other is left to the capture, which records where it led (archive/status.py).

Arguments: `ids` (comma-separated article ids; default all), `limit` (at most this many, the
longest unrevisited first). Settings read: XIETONG_ARCHIVE and those of RelatedSpider.
"""

from __future__ import annotations

from urllib.parse import urljoin

import scrapy
import sqlite_utils
from scrapy.http import Response

from peoplecn import urls
from runtime.items import StatusEvent
from spiders.related import RelatedSpider

REDIRECTS = [301, 302, 303, 307, 308]


class RevisitSpider(RelatedSpider):
    name = "revisit"

    def __init__(self, ids: str | None = None, limit: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._ids = [i.strip() for i in ids.split(",")] if ids else None
        self._limit = int(limit) if limit else None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.seeds = spider._archived_urls(crawler.settings.get("XIETONG_ARCHIVE"))
        spider.depth = 0
        spider.keywords = []
        return spider

    def _archived_urls(self, path: str) -> list[str]:
        db = sqlite_utils.Database(path)
        if "articles" not in db.table_names():
            return []
        where, params = "", []
        if self._ids:
            where = f"where id in ({','.join('?' * len(self._ids))})"
            params = self._ids
        sql = f"select url from articles {where} order by coalesce(changed_at, '')"
        if self._limit:
            sql += f" limit {self._limit:d}"
        found = [u for (u,) in db.execute(sql, params)]
        db.close()
        return found

    def arguments(self) -> dict:
        return {"ids": self._ids, "limit": self._limit, "articles": len(self.seeds)}

    def _article_request(self, url: str, hops: int, seed: bool = False) -> scrapy.Request:
        request = super()._article_request(url, hops, seed)
        request.meta.update(dont_redirect=True, handle_httpstatus_list=[*REDIRECTS, 404, 410])
        return request

    def _read(self, response: Response):
        article = super()._read(response)
        if article is None:
            response.meta["unreadable"] = True
        return article

    def parse_page(self, response: Response):
        if response.status in REDIRECTS:
            target = urljoin(response.url, response.headers.get("Location", b"").decode())
            if urls.article_id(target) == urls.article_id(response.url):
                yield response.request.replace(url=target)  # moved within the site
            return  # otherwise the capture records where it went
        if response.status != 200:
            return  # 404/410: the capture records the article as gone
        yield from super().parse_page(response)
        if response.meta.get("unreadable") and urls.page_number(response.url) == 1:
            yield StatusEvent(urls.article_id(response.url), "replaced",
                              "the page no longer reads as an article")
