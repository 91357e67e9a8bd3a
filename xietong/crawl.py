"""Run one spider in this process with the project settings plus the caller's overrides.

A Twisted reactor runs once per process, so callers that need several crawls (the demo, the
tests) start `xietong crawl` as a subprocess each time.
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


def run_crawl(spider: str, archive: Path, spider_args: dict, overrides: dict,
              proxy: str | None = None) -> int:
    """Crawl into `archive`; returns a process exit code (0 when the run finished cleanly)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "xietong.settings")
    if proxy:
        # Scrapy's HttpProxyMiddleware takes proxies from the environment, as curl does.
        os.environ["http_proxy"] = proxy
        os.environ["https_proxy"] = proxy
        os.environ.pop("no_proxy", None)
    archive.parent.mkdir(parents=True, exist_ok=True)
    settings = get_project_settings()
    settings.set("XIETONG_ARCHIVE", str(archive), priority="cmdline")
    settings.set("EXTENSIONS", {"xietong.progress.Progress": 500}, priority="cmdline")
    settings.set("XIETONG_PROGRESS", True, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **{k: v for k, v in spider_args.items() if v is not None})
    process.start()
    reason = crawler.stats.get_value("finish_reason")
    return 0 if reason == "finished" else 1
