"""The one writer of a crawl: buffers captures, article records and status events, and writes
them in batches — WARC bytes synced to disk first, then one transaction for every row of the
batch. A crawl killed at any moment leaves whole batches or nothing, never a row naming bytes
that are not on disk.

Knows nothing of Scrapy; the Scrapy side is pipelines/store.py and runtime/capture.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from archive import store
from archive.captures import Capture, WarcStore
from archive.schema import open_archive
from archive.status import set_status, status_from_capture
from peoplecn import urls


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def warc_folder(archive_path: str | Path) -> Path:
    return Path(archive_path).parent / "warc"


def _page_key(url: str) -> tuple[str, int] | None:
    aid = urls.article_id(url)
    return (aid, urls.page_number(url)) if aid else None


class CaptureLog:
    """What every writer does as responses and records arrive: the WARC record is written at
    once, the latest 200 capture of each article page is remembered, and each record is given
    the captures of its pages. A subclass sets `warc`, `crawl_id`, `latest`, `records`,
    `events`, `batch_size`, and says how a capture row is kept (`_keep`) and written (`flush`).
    """

    def capture(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
                body: bytes, request_headers: list[tuple[str, str]], method: str) -> Capture:
        cap = self.warc.write(url, status, reason, headers, body, request_headers, method,
                              utc_now(), self.crawl_id)
        location = next((v for k, v in headers if k.lower() == "location"), None)
        self._keep(cap, urljoin(url, location) if location else None)
        key = _page_key(url)
        if key and status == 200:
            self.latest[key] = cap.id
        return cap

    def add_record(self, record: dict) -> None:
        pages = record.get("page_urls") or [record["url"]]
        record["capture_ids"] = [c for c in (self.latest.get(_page_key(u)) for u in pages) if c]
        self.records.append(record)
        if len(self.records) >= self.batch_size:
            self.flush()

    def add_event(self, event: dict) -> None:
        self.events.append(event)

    def _keep(self, cap: Capture, location: str | None) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError


class ArchiveWriter(CaptureLog):
    def __init__(self, path: str | Path, batch_size: int = 50):
        self.path = Path(path)
        self.db = open_archive(self.path)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.warc = WarcStore(warc_folder(self.path), prefix=f"xietong-{stamp}")
        self.batch_size = batch_size
        self.crawl_id: int | None = None
        self.captures: list[tuple[Capture, str | None]] = []  # with the Location header
        self.records: list[dict] = []
        self.events: list[dict] = []
        self.latest: dict[tuple[str, int], str] = {}  # (article id, page) → capture id
        self.outcomes: Counter[str] = Counter()

    def start(self, spider: str, arguments: dict) -> int:
        with self.db.atomic():
            self.crawl_id = store.start_crawl(self.db, spider, utc_now(), arguments)
        return self.crawl_id

    def _keep(self, cap: Capture, location: str | None) -> None:
        self.captures.append((cap, location))

    def flush(self) -> None:
        if not (self.captures or self.records or self.events):
            return
        self.warc.sync()  # bytes first: no committed row may point past the end of a WARC
        seen_at = utc_now()
        with self.db.atomic():
            self.db["captures"].insert_all((c.row() for c, _ in self.captures), pk="id")
            for record in self.records:
                self.outcomes[store.save_article(self.db, record, seen_at)] += 1
            for cap, location in self.captures:
                evidence = status_from_capture(cap.url, cap.status, location)
                if evidence:
                    set_status(self.db, urls.article_id(cap.url), evidence[0], cap.fetched_at,
                               evidence[1], cap.id)
            for event in self.events:
                set_status(self.db, event["id"], event["status_event"], seen_at,
                           event.get("detail"))
            store.resolve_links(self.db)
        self.captures, self.records, self.events = [], [], []

    def finish(self, **fields) -> None:
        self.flush()
        with self.db.atomic():
            store.finish_crawl(self.db, self.crawl_id, finished_at=utc_now(), **fields)

    def close(self) -> None:
        self.warc.close()
        self.db.close()
