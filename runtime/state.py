"""The crawl's view of per-URL state (archive/crawl_state.py), one per crawler (built by
runtime/services.py): spiders ask it whether a URL is worth fetching, the state middleware tells
it what each fetch found. Each write is committed at once, so a killed crawl loses nothing it
learned. A distributed worker's subclass sends the writes to the coordinator instead (`_write`).

Settings read: XIETONG_ARCHIVE, XIETONG_REVISIT_MIN_DAYS, XIETONG_REVISIT_MAX_DAYS.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from archive import crawl_state
from archive.schema import open_archive
from peoplecn import urls


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CrawlState:
    def __init__(self, archive: str, revisit_days: tuple[float, float]):
        self.db = open_archive(archive)
        self.revisit_days = revisit_days  # (min, max) days between fetches of an article
        self.spider: str | None = None  # the crawl's spider, set when it opens

    @classmethod
    def from_crawler(cls, crawler, writer=None):
        s = crawler.settings
        return cls(s["XIETONG_ARCHIVE"], (s.getfloat("XIETONG_REVISIT_MIN_DAYS"),
                                          s.getfloat("XIETONG_REVISIT_MAX_DAYS")))

    def _write(self, op: str, **kwargs):
        """Apply one state write (archive.crawl_state.STATE_WRITES) and commit it."""
        with self.db.conn:
            return crawl_state.STATE_WRITES[op](self.db, **kwargs)

    def get(self, url: str) -> dict | None:
        return crawl_state.get(self.db, url)

    def worth_fetching(self, url: str, list_title: str | None = None) -> bool:
        """Never fetched, due again, or a list now shows it under another headline."""
        state = self.get(url)
        retitled = False
        if list_title:
            retitled = bool(state and state.get("list_title") not in (None, list_title))
            self._write("note_list_title", url=url, title=list_title)
        return retitled or crawl_state.is_due(state, utc_now())

    def record_fetch(self, url: str, kind: str, status: int | None, headers=None,
                     body: bytes = b"", error: str | None = None) -> str:
        """Record one answer (or none: `error`); returns new, changed, unchanged or failed."""
        def header(name: str) -> str | None:
            value = headers.get(name) if headers is not None else None
            return value.decode("latin-1") if value else None

        content_hash = hashlib.sha256(body).hexdigest() if status == 200 else None
        return self._fetched(url, kind, status, content_hash, etag=header("ETag"),
                             last_modified=header("Last-Modified"), error=error)

    def record_api_copy(self, url: str, content: str) -> str:
        """An article archived from the search API's full text: fetched, as far as the
        schedule is concerned (its page waits for the revisit)."""
        return self._fetched(url, "article", 200, hashlib.sha256(content.encode()).hexdigest())

    def _fetched(self, url: str, kind: str, status: int | None, content_hash: str | None,
                 **fields) -> str:
        """Record one fetch; returns its outcome (archive.crawl_state.record_fetch decides)."""
        return self._write("record_fetch", url=url, kind=kind, spider=self.spider,
                           now=utc_now(), status=status, content_hash=content_hash,
                           revisit_days=list(self.revisit_days) if kind == "article" else None,
                           **fields)

    def retry_next_run(self, url: str) -> None:
        self._write("mark_due", url=url, now=utc_now())

    def validators(self, url: str) -> tuple[str | None, str | None]:
        state = self.get(url)
        if not state or state.get("status") not in (200, 304):
            return None, None
        return state.get("etag"), state.get("last_modified")

    def due_articles(self, limit: int) -> list[str]:
        """Articles this spider fetched before whose revisit has come, most overdue first."""
        return crawl_state.due_articles(self.db, self.spider, utc_now(), limit)

    def archived_links(self, url: str, kinds: set[str]) -> list[str] | None:
        """The stored links of an archived article, or None if it is not archived."""
        article_id = urls.article_id(url)
        if not article_id or not crawl_state.is_archived(self.db, article_id):
            return None
        return crawl_state.archived_links(self.db, article_id, kinds)

    def close(self) -> None:
        self.db.close()
