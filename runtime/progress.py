"""A Scrapy extension that keeps one live progress line on stderr (pages fetched, articles
new/changed/unchanged, skipped, errors, rate) and prints a one-line summary at the end.

Enabled by the setting XIETONG_PROGRESS (the `xietong` command turns it on).
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, crawler, interval: float = 0.5):
        self.stats = crawler.stats
        self.interval = interval
        self.started = time.monotonic()
        self.loop = None
        self.tty = sys.stderr.isatty()

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XIETONG_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        s = self.stats.get_value
        elapsed = max(time.monotonic() - self.started, 1e-6)
        requisites = s("xietong/requisites/fetched", 0)  # photos and styles: not pages
        fetched = s("downloader/response_count", 0) - requisites
        # Scrapy counts a spider's exception twice: under spider_exceptions/count and under
        # its type; the count is the one to add.
        errors = s("xietong/parse_errors", 0) + s("spider_exceptions/count", 0) + sum(
            v for k, v in self.stats.get_stats().items()
            if k.startswith(("downloader/response_status_count/4",
                             "downloader/response_status_count/5"))
        )
        return (
            f"fetched {fetched} pages · new {s('xietong/articles_new', 0)} · "
            f"changed {s('xietong/articles_changed', 0)} · "
            f"unchanged {s('xietong/articles_unchanged', 0)} · "
            f"not relevant {s('xietong/articles_irrelevant', 0)} · errors {errors} · "
            f"{fetched / elapsed:.1f} pages/s · {requisites} photos and styles"
        )

    def tick(self) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[2K" + self.line())
            sys.stderr.flush()

    def opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=True)

    def closed(self, spider, reason) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        elapsed = time.monotonic() - self.started
        end = "\r\x1b[2K" if self.tty else ""
        sys.stderr.write(f"{end}{spider.name}: {reason} in {elapsed:.1f}s — {self.line()}\n")
        sys.stderr.flush()
