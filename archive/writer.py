"""The one writer of a crawl: buffers captures, article records, status events, series listings
and per-URL state writes as a Batch, and writes each batch — WARC bytes synced to disk first,
then one transaction for every row of the batch. A crawl killed at any moment leaves whole
batches or nothing, never a row naming bytes that are not on disk.

Knows nothing of Scrapy; runtime/services.py builds it for a crawl, and a distributed crawl's
coordinator hands it the batches its workers sent (`write`).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from archive import crawl_state, series, store
from archive.batch import Batch, SeriesListing, StateWrite, StatusEvent
from archive.captures import Capture, WarcStore
from archive.schema import open_archive
from archive.status import set_status, status_from_capture
from peoplecn import urls


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def warc_folder(archive_path: str | Path) -> Path:
    return Path(archive_path).parent / "warc"


def warc_prefix(name: str = "") -> str:
    """A WARC file name prefix no other writer uses: the start time (and the worker's name)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"xietong-{stamp}-{name}" if name else f"xietong-{stamp}"


def _page_key(url: str) -> tuple[str, int] | None:
    aid = urls.article_id(url)
    return (aid, urls.page_number(url)) if aid else None


class CaptureLog:
    """What every writer does as responses and records arrive: the WARC record is written at
    once, the latest 200 capture of each article page is remembered, and each record is given
    the captures of its pages. Everything else waits in `pending` until `flush`, which a
    subclass defines (into SQLite here; into Redis for a distributed worker)."""

    def __init__(self, warc: WarcStore, crawl_id: int | None, batch_size: int):
        self.warc = warc
        self.crawl_id = crawl_id
        self.batch_size = batch_size
        self.pending = Batch()
        self.latest: dict[tuple[str, int], str] = {}  # (article id, page) → capture id

    def capture(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
                body: bytes, request_headers: list[tuple[str, str]], method: str) -> Capture:
        cap = self.warc.write(url, status, reason, headers, body, request_headers, method,
                              utc_now(), self.crawl_id)
        location = next((v for k, v in headers if k.lower() == "location"), None)
        self.pending.captures.append((cap, urljoin(url, location) if location else None))
        key = _page_key(url)
        if key and status == 200:
            self.latest[key] = cap.id
        return cap

    def add_record(self, record: dict) -> None:
        # The captures a record was read from are the latest 200s of its pages in this run: a
        # distributed worker resolves them too, since an article's pages stay in one worker.
        pages = record.get("page_urls") or [record["url"]]
        record["capture_ids"] = [c for c in (self.latest.get(_page_key(u)) for u in pages) if c]
        self.pending.records.append(record)
        if len(self.pending.records) >= self.batch_size:
            self.flush()

    def add_event(self, event: StatusEvent) -> None:
        self.pending.events.append(event)

    def add_listing(self, listing: SeriesListing) -> None:
        self.pending.listings.append(listing)

    def add_state(self, write: StateWrite) -> None:
        self.pending.state.append(write)

    def take(self) -> Batch:
        """The pending batch, leaving an empty one in its place."""
        batch, self.pending = self.pending, Batch()
        return batch

    def flush(self) -> None:
        raise NotImplementedError


class ArchiveWriter(CaptureLog):
    def __init__(self, path: str | Path, batch_size: int = 50):
        self.path = Path(path)
        self.db = open_archive(self.path)
        super().__init__(WarcStore(warc_folder(self.path), prefix=warc_prefix()), None,
                         batch_size)
        self.outcomes: Counter[str] = Counter()  # new | changed | unchanged | replaced

    def start(self, spider: str, arguments: dict) -> int:
        with self.db.atomic():
            self.crawl_id = store.start_crawl(self.db, spider, utc_now(), arguments)
        return self.crawl_id

    def flush(self) -> None:
        if self.pending:
            self.warc.sync()  # bytes first: no committed row may point past the end of a WARC
            self.write(self.take())

    def write(self, batch: Batch, seen_at: str | None = None) -> None:
        """Every row of `batch` in one transaction. Its WARC bytes must already be on disk."""
        seen_at = seen_at or utc_now()
        db = self.db
        with db.atomic():
            for write in batch.state:
                crawl_state.STATE_WRITES[write.op](db, **write.kwargs)
            for listing in batch.listings:
                series.save_listing(db, listing.name, listing.index_url,
                                    list(listing.members), seen_at)
            db["captures"].insert_all((c.row() for c, _ in batch.captures), pk="id")
            for record in batch.records:
                # A kicker naming a series the archive already knows joins it (the readers
                # cannot know the archive).
                record = series.known_series(db, record)
                if record.get("series") and record.get("id"):
                    series.join_series(db, record["id"], record["series"], seen_at,
                                       record.get("series_order"))
                self.outcomes[store.save_article(db, record, seen_at)] += 1
            for cap, location in batch.captures:
                evidence = status_from_capture(cap.url, cap.status, location)
                if evidence:
                    set_status(db, urls.article_id(cap.url), evidence[0], cap.fetched_at,
                               evidence[1], cap.id)
            for event in batch.events:
                set_status(db, event.article_id, event.status, seen_at, event.detail)
            store.resolve_links(db)

    def finish(self, **fields) -> None:
        self.flush()
        with self.db.atomic():
            store.finish_crawl(self.db, self.crawl_id, finished_at=utc_now(), **fields)

    def close(self) -> None:
        self.warc.close()
        self.db.close()
