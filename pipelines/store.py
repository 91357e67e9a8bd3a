"""Store articles in the SQLite archive: batched, one transaction per batch, and one `crawls`
row per run with its counts and every Scrapy stat.

Settings read: XIETONG_ARCHIVE (path), XIETONG_BATCH_SIZE.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import signals

from archive import store
from archive.schema import open_archive


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = crawler.settings.get("XIETONG_ARCHIVE")
        self.batch_size = crawler.settings.getint("XIETONG_BATCH_SIZE", 50)
        self.batch: list[dict] = []
        self.db = None
        self.crawl_id = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.db = open_archive(self.path)
        spider = self.crawler.spider
        args = spider.arguments() if hasattr(spider, "arguments") else {}
        with self.db.atomic():
            self.crawl_id = store.start_crawl(self.db, spider.name, now(), args)

    def process_item(self, item: dict):
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if not self.batch:
            return
        seen_at = now()
        with self.db.atomic():
            for item in self.batch:
                outcome = store.save_article(self.db, item, seen_at)
                self.stats.inc_value(f"xietong/articles_{outcome}")
            store.resolve_links(self.db)
        self.batch = []

    def close_spider(self):
        self.flush()

    def spider_closed(self, spider, reason):
        # After close_spider: the finish reason is known only here.
        stats = self.stats.get_stats()
        codes = {k.rsplit("/", 1)[1]: v for k, v in stats.items()
                 if k.startswith("downloader/response_status_count/")}
        with self.db.atomic():
            store.finish_crawl(
                self.db, self.crawl_id,
                finished_at=now(),
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
        self.db.close()
