"""One crawl at a time per archive: an exclusive, non-blocking lock on `<archive>.lock`
(flock: the kernel drops it when the holder dies, so a killed cron run leaves no stale lock).
Re-entrant within a process, so `crawl all` holds it across its spiders.

The Scrapy extension takes it for `scrapy crawl` and Scrapyd runs too; it never waits.
Settings read: XIETONG_ARCHIVE.
"""

from __future__ import annotations

import fcntl
import logging
import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import CloseSpider

logger = logging.getLogger(__name__)

_held: dict[str, list] = {}  # resolved lock path → [file, holders]


class Locked(RuntimeError):
    """Another process is crawling into the same archive."""


class LockUnavailable(RuntimeError):
    """The lock file cannot be made (a read-only or full disk, a folder that is a file)."""


def lock_path(archive: str | Path) -> Path:
    # Beside the real file: an archive reached through a symlink and directly is one archive.
    return Path(f"{Path(archive).resolve()}.lock")


def acquire(archive: str | Path, what: str = "") -> None:
    path = lock_path(archive)
    key = str(path.resolve())
    if key in _held:
        _held[key][1] += 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f = open(path, "a+")  # noqa: SIM115 (kept open while the lock is held)
    except OSError as e:
        raise LockUnavailable(f"cannot create the lock file {path}: {e.strerror}") from None
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or "another process"
        f.close()
        raise Locked(f"another crawl is already running on {archive} ({holder}); "
                     "this run stops without crawling") from None
    try:
        f.seek(0)
        f.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        f.write(f"pid {os.getpid()}, started {started}{': ' + what if what else ''}\n")
        f.flush()
    except OSError:
        pass  # the holder's note is a courtesy; a full disk must not stop the lock itself
    _held[key] = [f, 1]


def release(archive: str | Path) -> None:
    key = str(lock_path(archive).resolve())
    entry = _held.get(key)
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] == 0:
        f = _held.pop(key)[0]
        try:
            f.seek(0)
            f.truncate()
        except OSError:
            pass
        fcntl.flock(f, fcntl.LOCK_UN)
        f.close()


class CrawlLock:
    """Scrapy extension: hold the archive's lock while the spider runs; if another process
    holds it, close the spider at once with the reason `locked`."""

    def __init__(self, archive: str):
        self.archive = archive
        self.held = False

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.settings.get("XIETONG_ARCHIVE"))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        try:
            acquire(self.archive, f"spider {spider.name}")
        except (Locked, LockUnavailable) as e:
            logger.error("%s", e)
            raise CloseSpider("locked") from None
        self.held = True

    def closed(self, spider, reason):
        if self.held:
            release(self.archive)
            self.held = False


@contextmanager
def held(archive: str | Path, what: str = ""):
    """Hold the archive's lock for the block; raises Locked at once if another process has it."""
    acquire(archive, what)
    try:
        yield
    finally:
        release(archive)
