"""Store articles in the SQLite archive through the crawl's one ArchiveWriter (batched; WARC
synced before each batch commits), and log the run in `crawls` with its counts and stats.

Settings read: XIETONG_ARCHIVE (path), XIETONG_BATCH_SIZE.
"""

from __future__ import annotations

from scrapy import signals

from archive.writer import ArchiveWriter


def writer_for(crawler) -> ArchiveWriter:
    """The crawl's writer, shared by this pipeline and the capture middleware."""
    if getattr(crawler, "_xietong_writer", None) is None:
        crawler._xietong_writer = ArchiveWriter(
            crawler.settings.get("XIETONG_ARCHIVE"),
            batch_size=crawler.settings.getint("XIETONG_BATCH_SIZE", 50),
        )
    return crawler._xietong_writer


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = writer_for(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        args = spider.arguments() if hasattr(spider, "arguments") else {}
        self.writer.start(spider.name, args)

    def process_item(self, item: dict):
        if "status_event" in item:
            self.writer.add_event(item)
        else:
            self.writer.add_record(item)
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
        codes = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                 if k.startswith("downloader/response_status_count/")}
        self.writer.finish(
            finish_reason=reason,
            pages_fetched=stats.get("downloader/response_count", 0),
            articles_new=stats.get("xietong/articles_new", 0),
            articles_changed=stats.get("xietong/articles_changed", 0),
            articles_unchanged=stats.get("xietong/articles_unchanged", 0),
            articles_irrelevant=stats.get("xietong/articles_irrelevant", 0),
            parse_errors=stats.get("xietong/parse_errors", 0),
            http_errors=sum(v for c, v in codes.items() if c.isdigit() and int(c) >= 400),
            stats={k: v if isinstance(v, int | float) else str(v) for k, v in stats.items()},
        )
        self.writer.close()
