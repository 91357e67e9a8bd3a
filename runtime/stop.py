"""Stopping a crawl on SIGTERM (how systemd and Scrapyd stop a job) or Ctrl-C, cleanly and
within seconds. Scrapy's own graceful stop waits for every request its downloader holds; behind
a 5 s per-host delay, a robots.txt Crawl-delay or a Retry-After wait that can be minutes.

On the signal (Scrapy's own handler still runs: a second signal still kills at once), this
extension drops the requests that wait to be sent — never sent, so no failure and nothing
recorded; the next run asks for them — and the Retry-After waits, and lets the requests on the
wire finish. If the spider has still not closed GRACE seconds later, it closes the run itself:
every handler of spider_closed runs (the writer commits its complete batches, the crawls row
says the run was stopped), then the reactor stops. Either way `xietong crawl` exits 1 with one
line saying the run was stopped. What was complete is committed; nothing half-done is.

Reads no settings. `requested()` tells `crawl all` not to start its next spider.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from scrapy import signals
from twisted.python.failure import Failure

from runtime.failures import StoppedRequest

logger = logging.getLogger(__name__)

GRACE = 5.0  # s the requests on the wire get before the run closes without them
_requested = False


def requested() -> bool:
    """A stop signal arrived in this process."""
    return _requested


class CleanStop:
    def __init__(self, crawler):
        self.crawler = crawler
        self.closed = False
        self.stopping_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider) -> None:
        from twisted.internet import reactor  # the one Scrapy installed, at run time

        # Scrapy installs its handlers when the reactor has started; ours wraps them after.
        reactor.callWhenRunning(reactor.callLater, 0, self._install)

    def _install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # a reactor in a thread (tests): signals reach only the main thread
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(signum)
            signal.signal(signum, self._handler(previous))

    def _handler(self, previous):
        def on_signal(signum, frame):
            global _requested
            from twisted.internet import reactor

            _requested = True
            if self.stopping_since is None:
                self.stopping_since = time.monotonic()
                reactor.callFromThread(self._stop)
            if callable(previous):
                previous(signum, frame)  # Scrapy's: the graceful stop, or the kill
        return on_signal

    def _stop(self) -> None:
        from twisted.internet import reactor

        if self.closed or self.crawler.engine is None:
            return
        dropped = self._drop_waiting()
        logger.warning("stopping: %d request(s) not yet sent are left for the next run; "
                       "requests on the wire get %.0f s", dropped, GRACE)
        self.crawler.stats.set_value("xietong/stop_dropped", dropped)
        reactor.callLater(GRACE, self._force)

    def _drop_waiting(self) -> int:
        """Fail every request waiting in a download slot (its delay not yet over) or in a
        Retry-After wait with StoppedRequest: the engine then has nothing to wait for but
        what is on the wire."""
        from runtime.middlewares import RetryAfterMiddleware

        dropped = 0
        downloader = self.crawler.engine.downloader
        for slot in list(downloader.slots.values()):
            while slot.queue:
                request, waiting = slot.queue.popleft()
                waiting.errback(Failure(StoppedRequest("the run was stopped")))
                dropped += 1
        retry_after = self.crawler.get_downloader_middleware(RetryAfterMiddleware)
        if retry_after is not None:
            dropped += retry_after.stop_waiting()
        return dropped

    def _force(self) -> None:
        from twisted.internet import reactor

        engine = self.crawler.engine
        if self.closed or engine is None or engine.spider is None:
            return
        logger.warning("requests still on the wire after %.0f s: the run closes without them",
                       GRACE)
        # As the engine would close it (scrapy/core/engine.py close_spider_async), less the
        # wait: every spider_closed handler, then the stats' finish reason.
        self.crawler.signals.send_catch_log(signal=signals.spider_closed, spider=engine.spider,
                                           reason="shutdown")
        self.crawler.stats.set_value("finish_reason", "shutdown")
        if reactor.running:
            reactor.stop()

    def spider_closed(self, spider, reason) -> None:
        self.closed = True
