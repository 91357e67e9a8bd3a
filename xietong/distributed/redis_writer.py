"""The worker side of a distributed crawl: what a worker would write to the archive goes to
Redis instead, one JSON Batch (archive/batch.py) per flush, for the coordinator to drain.

Each worker writes its own WARC files and fsyncs them before it pushes the capture rows that
point into them, so a drained row never names bytes that are not on disk. A worker never writes
to SQLite; it only reads the per-URL state from it.

The worker's settings name these classes as XIETONG_WRITER and XIETONG_STATE
(worker.py worker_settings); runtime/services.py builds them.
"""

from __future__ import annotations

import json
import os
import socket
from collections import Counter

import redis

from archive.captures import WarcStore
from archive.writer import CaptureLog, utc_now, warc_folder, warc_prefix
from runtime.state import CrawlState
from xietong.distributed.jobs import keys


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class RedisWriter(CaptureLog):
    """The archive writer's interface for a worker: captures go to this worker's own WARC
    files, rows go to Redis as one batch per flush. `start` joins the crawl the coordinator
    opened; `finish` tells the coordinator this worker is done, with its Scrapy stats.

    Settings read: XIETONG_REDIS_URL, XIETONG_REDIS_PREFIX, XIETONG_WORKER_NAME,
    XIETONG_CRAWL_ID, XIETONG_ARCHIVE (its folder holds warc/), XIETONG_BATCH_SIZE."""

    def __init__(self, server: redis.Redis, prefix: str, archive_path: str, crawl_id: int,
                 batch_size: int, name: str):
        super().__init__(WarcStore(warc_folder(archive_path), prefix=warc_prefix(name)),
                         crawl_id, batch_size)
        self.server = server
        self.key = keys(prefix)["batches"]
        self.name = name
        self.outcomes: Counter[str] = Counter()  # known only to the coordinator

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(redis.Redis.from_url(s["XIETONG_REDIS_URL"]), s["XIETONG_REDIS_PREFIX"],
                   s["XIETONG_ARCHIVE"], s.getint("XIETONG_CRAWL_ID"),
                   s.getint("XIETONG_BATCH_SIZE"), s["XIETONG_WORKER_NAME"])

    def start(self, spider: str, arguments: dict) -> int:
        return self.crawl_id

    def flush(self, done: dict | None = None) -> None:
        if not self.pending and done is None:
            return
        self.warc.sync()  # bytes first, as ArchiveWriter does: rows never outrun the WARC
        message = {"worker": self.name, "seen_at": utc_now(), **self.take().to_json()}
        if done is not None:
            message["done"] = done
        self.server.rpush(self.key, json.dumps(message, ensure_ascii=False, default=_jsonable))

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
    """The per-URL state as a worker sees it: read from the archive, every write sent to the
    coordinator with the batch it belongs to (through the RedisWriter, like any crawl's state
    since issue 18). Outcomes are judged from the state as last drained."""
