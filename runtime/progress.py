"""A Scrapy extension that shows a crawl's progress (pages fetched, articles new/changed/
unchanged, not relevant, errors, rate) on stderr and prints a one-line summary at the end, with
the errors by cause (runtime/failures.py).

On a terminal the line is redrawn in place twice a second. Anywhere else — cron mail, journald,
a log file — a plain line is written every XIETONG_PROGRESS_INTERVAL seconds, so a long
unattended crawl shows it is alive; never a carriage return or an escape sequence there.

Enabled by the setting XIETONG_PROGRESS (the `xietong` command turns it on). Settings read:
XIETONG_PROGRESS, XIETONG_PROGRESS_INTERVAL.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from runtime import failures

TTY_INTERVAL = 0.5  # s between redraws of the line on a terminal


class Progress:
    def __init__(self, crawler, interval: float):
        self.stats = crawler.stats
        self.tty = sys.stderr.isatty()
        self.interval = TTY_INTERVAL if self.tty else interval
        self.started = time.monotonic()
        self.loop = None
        self.spider = "crawl"
        self.said = False  # the summary line is written

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("XIETONG_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, s.getfloat("XIETONG_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self, causes: bool = False) -> str:
        s = self.stats.get_value
        elapsed = max(time.monotonic() - self.started, 1e-6)
        requisites = s("xietong/requisites/fetched", 0)  # photos and styles: not pages
        fetched = s("downloader/response_count", 0) - requisites
        # read again and the same, or not read at all because it answered 304
        unchanged = s("xietong/articles_unchanged", 0) + s("xietong/articles_not_modified", 0)
        ledger = failures.by_cause(self.stats.get_stats())
        errors = f"errors {sum(ledger.values())}"
        if causes and ledger:
            errors += f" ({failures.describe(ledger)})"
        # Articles read so far; new/changed/unchanged are counted as their batches commit.
        read = s("xietong/articles_from_api", 0) + sum(
            v for k, v in self.stats.get_stats().items() if k.startswith("xietong/read_by/"))
        return (
            f"fetched {fetched} pages · read {read} articles · "
            f"new {s('xietong/articles_new', 0)} · "
            f"changed {s('xietong/articles_changed', 0)} · "
            f"unchanged {unchanged} · "
            f"not relevant {s('xietong/articles_irrelevant', 0)} · {errors} · "
            f"{fetched / elapsed:.1f} pages/s · {requisites} photos and styles"
        )

    def tick(self) -> None:
        if self.tty:
            sys.stderr.write("\r\x1b[2K" + self.line())
        else:
            elapsed = time.monotonic() - self.started
            sys.stderr.write(f"{self.spider}: {elapsed:.0f}s — {self.line(causes=True)}\n")
        sys.stderr.flush()

    def opened(self, spider) -> None:
        self.spider = spider.name
        self.loop = task.LoopingCall(self.tick)
        # On a terminal at once; elsewhere after the first interval (a short run prints only
        # its summary).
        self.loop.start(self.interval, now=self.tty)

    def closed(self, spider, reason) -> None:
        if self.said:
            return  # once (a stop that cannot wait closes the run itself: runtime/stop.py)
        self.said = True
        if self.loop and self.loop.running:
            self.loop.stop()
        elapsed = time.monotonic() - self.started
        end = "\r\x1b[2K" if self.tty else ""
        sys.stderr.write(f"{end}{spider.name}: {reason} in {elapsed:.1f}s — "
                         f"{self.line(causes=True)}\n")
        sys.stderr.flush()
