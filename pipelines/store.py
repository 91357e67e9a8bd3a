"""Store what the spiders found through the crawl's one writer (runtime/services.py; batched,
WARC synced before each batch commits): articles, status events and series listings. Logs the
run in `crawls`: started when the spider opens, finished with its counts when it closes.

Settings read: none (the writer is built from settings by runtime/services.py).
"""

from __future__ import annotations

from scrapy import signals

from runtime.items import ArticleItem, SeriesListing, StatusEvent
from runtime.report import crawl_totals
from runtime.services import services


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = services(crawler).writer
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        args = spider.arguments() if hasattr(spider, "arguments") else {}
        self.writer.start(spider.name, args)

    def process_item(self, item):
        if isinstance(item, ArticleItem):
            self.writer.add_record(item.record())
        elif isinstance(item, StatusEvent):
            self.writer.add_event(item)
        elif isinstance(item, SeriesListing):
            self.writer.add_listing(item)
            self.stats.inc_value("xietong/series_listings")
        self._count()
        return item

    def _count(self) -> None:
        for outcome, n in self.writer.outcomes.items():
            self.stats.set_value(f"xietong/articles_{outcome}", n)

    def close_spider(self):
        self.writer.flush()
        self._count()

    def spider_closed(self, spider, reason):
        # After close_spider: the finish reason is known only here.
        self.writer.flush()
        self._count()
        stats = self.stats.get_stats()
        self.writer.finish(finish_reason=reason, **crawl_totals(stats, self.writer.outcomes),
                           stats={k: v if isinstance(v, int | float) else str(v)
                                  for k, v in stats.items()})
        self.writer.close()
