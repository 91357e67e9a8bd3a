"""The crawl benchmark's baseline: fetch a given list of URLs with the project's download
settings (same concurrency, robots.txt, proxy) and throw every response away — no parsing, no
captures, no per-URL state, no pipelines.

Run by benchmarks/crawl.py as `scrapy runspider benchmarks/null_spider.py -a urls=FILE`.
"""

from __future__ import annotations

from pathlib import Path

import scrapy


class NullSpider(scrapy.Spider):
    name = "null"
    custom_settings = {
        "DOWNLOADER_MIDDLEWARES": {
            "runtime.capture.CaptureMiddleware": None,
            "runtime.middlewares.CrawlDelayMiddleware": None,
            "runtime.middlewares.RetryAfterMiddleware": None,
            "runtime.middlewares.StateMiddleware": None,
        },
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {"runtime.lock.CrawlLock": None, "runtime.report.CrawlReport": None},
    }

    def __init__(self, urls: str, **kwargs):
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text().split()

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        self.crawler.stats.inc_value("null/pages")
        return None
