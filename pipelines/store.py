"""Store what the spiders found through the crawl's one writer (runtime/services.py; batched,
WARC synced before each batch commits): articles, status events and series listings. Logs the
run in `crawls`: started when the spider opens, finished with its counts when it closes.

Settings read: none (the writer is built from settings by runtime/services.py).
"""

from __future__ import annotations

from scrapy import signals

from runtime.items import ArticleItem, SeriesListing, StatusEvent
from runtime.report import crawl_totals, failure_of
from runtime.services import WRITE_ERRORS, services, write_failed


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = services(crawler).writer
        self.finished = False
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _write(self, what: str, write, *args) -> bool:
        """Run one write; a failure stops the run (runtime/services.py write_failed)."""
        try:
            write(*args)
            return True
        except WRITE_ERRORS as e:
            write_failed(self.crawler, e, what)
            return False

    def open_spider(self):
        spider = self.crawler.spider
        args = spider.arguments() if hasattr(spider, "arguments") else {}
        self._write("the crawls row", self.writer.start, spider.name, args)

    @property
    def stopped_by_a_failed_write(self) -> bool:
        # After a failed write nothing more is committed (issue 18): a batch that was lost may
        # hold captures a later batch's articles name, and their state. The next run fetches
        # again what was not committed.
        return bool(self.stats.get_value("xietong/write_failed"))

    def _last_batch(self) -> None:
        if self.stopped_by_a_failed_write:
            self.writer.take()  # dropped: never committed
        else:
            self._write("the last batch", self.writer.flush)

    def process_item(self, item):
        if self.stopped_by_a_failed_write:
            return item
        if isinstance(item, ArticleItem):
            self._write(f"article {item.id}", self._add_article, item)
        elif isinstance(item, StatusEvent):
            self.writer.add_event(item)
        elif isinstance(item, SeriesListing):
            self.writer.add_listing(item)
            self.stats.inc_value("xietong/series_listings")
        self._count()
        return item

    def _add_article(self, item: ArticleItem) -> None:
        # The state of the fetches it came from first: the writer flushes only after a record,
        # so both are in the batch that commits the record (runtime/state.py).
        for write in item.state_writes:
            self.writer.add_state(write)
        self.writer.add_record(item.record())

    def _count(self) -> None:
        for outcome, n in self.writer.outcomes.items():
            self.stats.set_value(f"xietong/articles_{outcome}", n)

    def close_spider(self):
        self._last_batch()
        self._count()

    def spider_closed(self, spider, reason):
        # After close_spider: the finish reason is known only here. Once: a stop that could
        # not wait (runtime/stop.py) closes the run itself, and the engine may try after it.
        if self.finished:
            return
        self.finished = True
        self._last_batch()
        self._count()
        stats = self.stats.get_stats()
        if self.writer.crawl_id is not None:
            self._write("the crawls row", lambda: self.writer.finish(
                finish_reason=reason, failure=failure_of(self.crawler, reason),
                **crawl_totals(stats, self.writer.outcomes),
                stats={k: v if isinstance(v, int | float) else str(v)
                       for k, v in stats.items()}))
        self.writer.close()
