"""The crawl's view of per-URL state (archive/crawl_state.py), one per crawler: spiders ask it
whether a URL is worth fetching, the state middleware tells it what each fetch found. Each write
is committed at once, so a killed crawl loses nothing it learned.

Settings read: XIETONG_ARCHIVE, XIETONG_REVISIT_MIN_DAYS, XIETONG_REVISIT_MAX_DAYS.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scrapy import signals

from archive import crawl_state
from archive.schema import open_archive
from peoplecn import urls


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def state_for(crawler) -> CrawlState:
    """The crawler's one CrawlState, opened on first use and closed with the spider."""
    if getattr(crawler, "_xietong_state", None) is None:
        crawler._xietong_state = CrawlState(crawler)
    return crawler._xietong_state


class CrawlState:
    def __init__(self, crawler):
        s = crawler.settings
        self.db = open_archive(s.get("XIETONG_ARCHIVE"))
        self.revisit_days = (s.getfloat("XIETONG_REVISIT_MIN_DAYS", 1.0),
                             s.getfloat("XIETONG_REVISIT_MAX_DAYS", 90.0))
        self.crawler = crawler
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def get(self, url: str) -> dict | None:
        return crawl_state.get(self.db, url)

    def worth_fetching(self, url: str, list_title: str | None = None) -> bool:
        """Never fetched, due again, or a list now shows it under another headline."""
        retitled = False
        if list_title:
            with self.db.conn:
                retitled = crawl_state.note_list_title(self.db, url, list_title)
        return retitled or crawl_state.is_due(self.get(url), utc_now())

    def record_fetch(self, url: str, kind: str, status: int | None, headers=None,
                     body: bytes = b"", error: str | None = None) -> str:
        def header(name: str) -> str | None:
            value = headers.get(name) if headers is not None else None
            return value.decode("latin-1") if value else None

        with self.db.conn:
            return crawl_state.record_fetch(
                self.db, url, kind=kind, spider=self.crawler.spider.name, now=utc_now(),
                status=status, etag=header("ETag"), last_modified=header("Last-Modified"),
                content_hash=hashlib.sha256(body).hexdigest() if status == 200 else None,
                error=error, revisit_days=self.revisit_days if kind == "article" else None,
            )

    def record_api_copy(self, url: str, content: str) -> str:
        """An article archived from the search API's full text: fetched, as far as the
        schedule is concerned (its page waits for the revisit)."""
        with self.db.conn:
            return crawl_state.record_fetch(
                self.db, url, kind="article", spider=self.crawler.spider.name, now=utc_now(),
                status=200, content_hash=hashlib.sha256(content.encode()).hexdigest(),
                revisit_days=self.revisit_days)

    def retry_next_run(self, url: str) -> None:
        with self.db.conn:
            crawl_state.mark_due(self.db, url, utc_now())

    def validators(self, url: str) -> tuple[str | None, str | None]:
        state = self.get(url)
        if not state or state.get("status") not in (200, 304):
            return None, None
        return state.get("etag"), state.get("last_modified")

    def due_articles(self, limit: int) -> list[str]:
        return crawl_state.due_articles(self.db, self.crawler.spider.name, utc_now(), limit)

    def archived_links(self, url: str, kinds: set[str]) -> list[str] | None:
        """The stored links of an archived article, or None if it is not archived."""
        article_id = urls.article_id(url)
        if not article_id or not crawl_state.is_archived(self.db, article_id):
            return None
        return crawl_state.archived_links(self.db, article_id, kinds)

    def close(self, spider=None) -> None:
        self.db.close()
