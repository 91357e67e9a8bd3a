"""The services one crawl shares — its archive writer and its per-URL crawl state — built once,
from settings, by a Scrapy extension; middlewares, pipelines and spiders reach them through
`services(crawler)` (Scrapy's public `crawler.get_extension`), never through attributes hung on
the crawler. A distributed worker names other classes in the same settings (Redis-backed ones).

Settings read: XIETONG_WRITER, XIETONG_STATE (class paths), and those of the classes they name:
XIETONG_ARCHIVE, XIETONG_BATCH_SIZE (ArchiveWriterService), those of runtime/state.py.
"""

from __future__ import annotations

import logging
import sqlite3

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler, load_object

from archive.writer import ArchiveWriter
from runtime import checks, failures
from runtime import settings as project_settings

logger = logging.getLogger(__name__)

# What a failed write raises: a full or read-only disk (OSError), a full or damaged SQLite file.
WRITE_ERRORS = (OSError, sqlite3.Error)


def write_failed(crawler, error: BaseException, what: str) -> None:
    """A write to the archive or its WARC files failed. The run stops now, cleanly (nothing
    half written: WARC records are whole, transactions roll back), and fails: stat
    xietong/write_failed names the first failure; `xietong crawl` exits 1 saying so, and the
    crawls row does too when it can still be written."""
    stats = crawler.stats
    stats.inc_value("xietong/write_errors")
    failures.count(stats, "write")
    if stats.get_value("xietong/write_failed"):
        return
    message = f"{what}: {error}"
    stats.set_value("xietong/write_failed", message)
    logger.error("a write failed; the run stops: %s", message)
    if crawler.engine is not None:
        deferred_from_coro(_stop(crawler.engine))


async def _stop(engine) -> None:
    try:
        await engine.close_spider_async(reason="write_failed")
    except RuntimeError:  # not open yet, or already gone: nothing to stop
        pass


class ArchiveWriterService(ArchiveWriter):
    """The archive writer of a crawl that writes SQLite itself (a single process)."""

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s["XIETONG_ARCHIVE"], batch_size=s.getint("XIETONG_BATCH_SIZE"))


class CrawlServices:
    """Scrapy extension (EXTENSIONS): builds the writer and the state when the crawl starts;
    the state learns the spider's name when it opens and is closed with it. The writer is
    finished and closed by the store pipeline, which knows the run's stats."""

    def __init__(self, crawler):
        s = crawler.settings
        # Before anything is opened: `xietong crawl` has checked already (exit 2); a crawl
        # started by `scrapy crawl` or Scrapyd stops here, with the one line.
        checks.check(s, project_settings.kinds)
        self.writer = build_from_crawler(load_object(s["XIETONG_WRITER"]), crawler)
        self.state = build_from_crawler(load_object(s["XIETONG_STATE"]), crawler,
                                        writer=self.writer)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        self.state.spider = spider.name

    def closed(self, spider, reason):
        self.state.close()


def services(crawler) -> CrawlServices:
    """The crawl's services; a clear error when the settings leave the extension out."""
    found = crawler.get_extension(CrawlServices)
    if found is None:
        raise RuntimeError("xietong's CrawlServices extension is not enabled (EXTENSIONS in "
                           "runtime/settings.py): nothing can reach the archive")
    return found
