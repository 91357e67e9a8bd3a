"""The worker side of a distributed crawl: what a worker would write to the archive
goes to Redis instead, in batches, for the one archive writer to drain.

Each worker writes its own WARC files and fsyncs them before it pushes the capture rows that
point into them, so a drained row never names bytes that are not on disk. A worker never writes
to SQLite; it only reads the per-URL state from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections import Counter
from datetime import UTC, datetime

from scrapy.exceptions import DropItem

from archive.captures import WarcStore
from archive.writer import CaptureLog, utc_now, warc_folder
from runtime.state import CrawlState


def batch_key(prefix: str) -> str:
    return f"{prefix}:batches"


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class RedisWriter(CaptureLog):
    """ArchiveWriter's interface for a worker: captures go to this worker's own WARC files,
    rows (captures, records, status events, per-URL state, series listings) go to Redis as one
    JSON batch per flush. `start` joins the crawl the coordinator opened; `finish` tells the
    drain this worker is done, with its Scrapy stats."""

    def __init__(self, server, prefix: str, archive_path: str, crawl_id: int,
                 batch_size: int = 50, name: str | None = None):
        self.server = server
        self.key = batch_key(prefix)
        self.name = name or worker_name()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.warc = WarcStore(warc_folder(archive_path), prefix=f"xietong-{stamp}-{self.name}")
        self.batch_size = batch_size
        self.crawl_id = crawl_id
        self.outcomes: Counter[str] = Counter()  # known only to the drain; kept for the pipeline
        self.latest: dict[tuple[str, int], str] = {}
        self._reset()

    def _reset(self) -> None:
        self.captures: list[dict] = []
        self.records: list[dict] = []
        self.events: list[dict] = []
        self.state_ops: list[list] = []  # [function name, keyword arguments]
        self.listings: list[dict] = []

    def start(self, spider: str, arguments: dict) -> int:
        return self.crawl_id

    def _keep(self, cap, location: str | None) -> None:
        # Capture ids are resolved here, not in the drain (CaptureLog.add_record): the pages of
        # one article are fetched by one worker (the scheduler keeps an article's further pages
        # local), so this worker saw them all.
        self.captures.append({"row": cap.row(), "location": location})

    def add_state(self, op: str, **kwargs) -> None:
        self.state_ops.append([op, kwargs])

    def add_listing(self, listing: dict) -> None:
        self.listings.append(listing)

    def flush(self, done: dict | None = None) -> None:
        if not (self.captures or self.records or self.events or self.state_ops
                or self.listings or done):
            return
        self.warc.sync()  # bytes first, as ArchiveWriter does: rows never outrun the WARC
        batch = {"worker": self.name, "captures": self.captures, "records": self.records,
                 "events": self.events, "state": self.state_ops, "listings": self.listings,
                 "seen_at": utc_now()}
        if done is not None:
            batch["done"] = done
        self.server.rpush(self.key, json.dumps(batch, ensure_ascii=False, default=_jsonable))
        self._reset()

    def finish(self, **fields) -> None:
        self.flush(done=fields)

    def close(self) -> None:
        self.warc.close()


def _jsonable(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | tuple):
        return list(value)
    return str(value)


class WorkerState(CrawlState):
    """The per-URL state as a worker sees it: read from the archive (read-only), every write
    sent to the drain with the batch. Outcomes are judged from the state as last drained."""

    def __init__(self, crawler, writer: RedisWriter):
        super().__init__(crawler)
        self.writer = writer

    def worth_fetching(self, url: str, list_title: str | None = None) -> bool:
        retitled = False
        if list_title:
            state = self.get(url)
            retitled = bool(state and state.get("list_title") not in (None, list_title))
            self.writer.add_state("note_list_title", url=url, title=list_title)
        return retitled or super().worth_fetching(url)

    def record_fetch(self, url: str, kind: str, status: int | None, headers=None,
                     body: bytes = b"", error: str | None = None) -> str:
        def header(name: str) -> str | None:
            value = headers.get(name) if headers is not None else None
            return value.decode("latin-1") if value else None

        content_hash = hashlib.sha256(body).hexdigest() if status == 200 else None
        self.writer.add_state(
            "record_fetch", url=url, kind=kind, spider=self.crawler.spider.name, now=utc_now(),
            status=status, etag=header("ETag"), last_modified=header("Last-Modified"),
            content_hash=content_hash, error=error,
            revisit_days=list(self.revisit_days) if kind == "article" else None)
        return _outcome(self.get(url), status, content_hash)

    def record_api_copy(self, url: str, content: str) -> str:
        content_hash = hashlib.sha256(content.encode()).hexdigest()
        self.writer.add_state(
            "record_fetch", url=url, kind="article", spider=self.crawler.spider.name,
            now=utc_now(), status=200, content_hash=content_hash,
            revisit_days=list(self.revisit_days))
        return _outcome(self.get(url), 200, content_hash)

    def retry_next_run(self, url: str) -> None:
        self.writer.add_state("mark_due", url=url, now=utc_now())


def _outcome(state: dict | None, status: int | None, content_hash: str | None) -> str:
    """What archive.crawl_state.record_fetch will decide, from the state before it."""
    if status == 304 and state:
        return "unchanged"
    if status is None or status >= 400:
        return "failed"
    if state is None or state.get("content_hash") is None:
        return "new"
    return "unchanged" if state["content_hash"] == content_hash else "changed"


class ListingPipeline:
    """In a worker, in place of SeriesPipeline: a series listing goes to the drain (which also
    joins each article to the series its pre-title names). Settings read: none."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: dict):
        listing = item.get("series_listing") if isinstance(item, dict) else None
        if listing is None:
            return item
        from pipelines.store import writer_for

        writer_for(self.crawler).add_listing(listing)
        self.crawler.stats.inc_value("xietong/series_listings")
        raise DropItem(f"series listing sent to the drain: {listing['name']}",
                       log_level="DEBUG")
