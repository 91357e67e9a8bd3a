"""The crawl's view of per-URL state (archive/crawl_state.py), one per crawler (built by
runtime/services.py): spiders ask it whether a URL is worth fetching, the state middleware tells
it what each fetch found.

State follows the archive (issue 18): reads come from what the archive has committed, and every
write goes to the crawl's writer, which commits it in the same transaction as the batch it
travels with — never before the captures and rows it speaks of. A fetch whose result becomes an
article is *held* (`hold`: a list on the request) until the article reaches the writer, so a URL
is recorded as fetched only together with what it produced; a fetch that failed is recorded at
once, as failed, with its cause. A crawl killed or stopped by a full disk between the two leaves
the URL unrecorded: the next run fetches it again. Never commits anything itself.

Settings read: XIETONG_ARCHIVE, XIETONG_REVISIT_MIN_DAYS, XIETONG_REVISIT_MAX_DAYS.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from archive import crawl_state
from archive.batch import StateWrite
from archive.schema import open_archive
from peoplecn import urls

# request.meta key: the state writes held for what the response will produce (StateWrite list)
HELD = "xietong_held_state"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def held(request) -> list:
    """The state writes held for a request's result (shared by the further pages of an
    article, which carry the list on)."""
    return request.meta.setdefault(HELD, [])


class CrawlState:
    def __init__(self, archive: str, revisit_days: tuple[float, float], writer):
        self.db = open_archive(archive)
        self.revisit_days = revisit_days  # (min, max) days between fetches of an article
        self.writer = writer  # archive.writer.CaptureLog: commits writes with its batches
        self.spider: str | None = None  # the crawl's spider, set when it opens

    @classmethod
    def from_crawler(cls, crawler, writer=None):
        s = crawler.settings
        return cls(s["XIETONG_ARCHIVE"], (s.getfloat("XIETONG_REVISIT_MIN_DAYS"),
                                          s.getfloat("XIETONG_REVISIT_MAX_DAYS")), writer)

    def _write(self, op: str, hold: list | None = None, **kwargs) -> None:
        """One state write (archive.crawl_state.STATE_WRITES), for the writer's next batch —
        or `hold` it, for the batch that stores what the fetch produced."""
        write = StateWrite(op, kwargs)
        if hold is not None:
            hold.append(write)
        else:
            self.writer.add_state(write)

    def release(self, writes: list | None) -> None:
        """Held writes whose fetch produced nothing to store (a 304, an off-topic article, a
        list page): for the writer's next batch. Emptied, so they are sent once."""
        for write in writes or ():
            self.writer.add_state(write)
        if writes:
            writes.clear()

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
                     body: bytes = b"", error: str | None = None,
                     hold: list | None = None) -> str:
        """Record one answer (or none: `error`); returns new, changed, unchanged or failed,
        judged against the state the archive has committed."""
        def header(name: str) -> str | None:
            value = headers.get(name) if headers is not None else None
            return value.decode("latin-1") if value else None

        content_hash = hashlib.sha256(body).hexdigest() if status == 200 else None
        return self._fetched(url, kind, status, content_hash, etag=header("ETag"),
                             last_modified=header("Last-Modified"), error=error, hold=hold)

    def record_api_copy(self, url: str, content: str, hold: list | None = None) -> str:
        """An article archived from the search API's full text: fetched, as far as the
        schedule is concerned (its page waits for the revisit)."""
        return self._fetched(url, "article", 200, hashlib.sha256(content.encode()).hexdigest(),
                             hold=hold)

    def unreadable(self, response, why: str) -> None:
        """A page that answered but could not be read: what was held for it is dropped and it
        is recorded as failed (due again at once; no validators, so it is fetched whole)."""
        writes = response.meta.get(HELD)
        if writes:
            writes.clear()
        for url in [*response.meta.get("redirect_urls", []), response.url]:
            self._fetched(url, response.meta.get("kind") or "article", response.status, None,
                          error=f"unreadable: {why}")

    def _fetched(self, url: str, kind: str, status: int | None, content_hash: str | None,
                 hold: list | None = None, **fields) -> str:
        outcome = crawl_state.fetch_outcome(self.get(url), status, content_hash,
                                            fields.get("error"))
        self._write("record_fetch", hold=hold, url=url, kind=kind, spider=self.spider,
                    now=utc_now(), status=status, content_hash=content_hash,
                    revisit_days=list(self.revisit_days) if kind == "article" else None,
                    **fields)
        return outcome

    def validators(self, url: str) -> tuple[str | None, str | None]:
        state = self.get(url)
        if not state or state.get("status") not in (200, 304) or state.get("error"):
            return None, None
        return state.get("etag"), state.get("last_modified")

    def due_articles(self, limit: int) -> list[str]:
        """Articles this spider fetched before whose revisit has come, most overdue first —
        and articles a list showed that no run has fetched yet."""
        return crawl_state.due_articles(self.db, self.spider, utc_now(), limit)

    def missing_photos(self) -> list[tuple[str, str]]:
        """(photo, article URL): photos archived articles show that the archive has no
        capture of (and no standing answer for: 404, 410, too large)."""
        return crawl_state.missing_photos(self.db)

    def has_capture(self, url: str) -> bool:
        return crawl_state.has_capture(self.db, url)

    def archived_links(self, url: str, kinds: set[str]) -> list[str] | None:
        """The stored links of an archived article, or None if it is not archived."""
        article_id = urls.article_id(url)
        if not article_id or not crawl_state.is_archived(self.db, article_id):
            return None
        return crawl_state.archived_links(self.db, article_id, kinds)

    def close(self) -> None:
        self.db.close()
