"""Downloader middlewares for politeness and fetch-once crawling:

- CrawlDelayMiddleware: obey robots.txt Crawl-delay (Scrapy reads it but does not apply it).
- RetryAfterMiddleware: on 429/503 wait what Retry-After says (or back off), then retry.
- StateMiddleware: conditional requests from the per-URL state, and every answer recorded there
  (an answer that will be read is held until what it produces is stored: runtime/state.py).
- PageSizeMiddleware, BoundedDecompressionMiddleware: pages bounded by XIETONG_PAGE_MAXSIZE as
  sent and as decompressed; a page over it is recorded (url_state error `too_large: …`, stat
  xietong/too_large), never read.

They never change a response's bytes. Settings read: ROBOTSTXT_USER_AGENT, USER_AGENT,
XIETONG_CRAWL_DELAY_MAX, RETRY_TIMES, XIETONG_RETRY_AFTER_CODES, XIETONG_RETRY_BACKOFF,
XIETONG_RETRY_AFTER_MAX, XIETONG_PAGE_MAXSIZE, and Scrapy's DOWNLOAD_MAXSIZE/WARNSIZE.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

import scrapy
from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import CancelledError
from twisted.internet.task import deferLater

from peoplecn import urls
from runtime import failures
from runtime.services import WRITE_ERRORS, CrawlServices, services, write_failed
from runtime.state import HELD, held

logger = logging.getLogger(__name__)


def _slot(crawler, request):
    downloader = crawler.engine.downloader
    return downloader.slots.get(downloader.get_slot_key(request))


class CrawlDelayMiddleware:
    """Keeps each host's download slot at least its robots.txt Crawl-delay apart, capped at
    XIETONG_CRAWL_DELAY_MAX seconds (0 ignores Crawl-delay). AutoThrottle may raise the delay,
    never lower it below this; jitter is off for such hosts so no gap falls short."""

    def __init__(self, crawler):
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("XIETONG_CRAWL_DELAY_MAX")
        self.agent = (crawler.settings.get("ROBOTSTXT_USER_AGENT")
                      or crawler.settings.get("USER_AGENT"))
        self.delays: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        # Connected after AutoThrottle's handler, so this floor is applied after its adjustment.
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        delay = robotparser.crawl_delay(self.agent)
        if delay and self.cap > 0:
            host = urlparse_cached(request).hostname
            self.delays[host] = min(float(delay), self.cap)
            self.crawler.stats.set_value(f"xietong/crawl_delay/{host}", self.delays[host])
            logger.info("robots.txt of %s asks for %.1f s between requests", host, delay)

    def _floor(self, request) -> None:
        delay = self.delays.get(urlparse_cached(request).hostname)
        if delay is None:
            return
        slot = _slot(self.crawler, request)
        if slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0

    def process_request(self, request):
        self._floor(request)

    def response_downloaded(self, response, request, spider):
        self._floor(request)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """429/503 (XIETONG_RETRY_AFTER_CODES): hold the whole host for Retry-After seconds — or
    XIETONG_RETRY_BACKOFF × 2^attempt without one — then retry, up to RETRY_TIMES. A wait over
    XIETONG_RETRY_AFTER_MAX is not waited: the URL is left for the next run."""

    def __init__(self, crawler):
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.codes = {int(c) for c in s.getlist("XIETONG_RETRY_AFTER_CODES")}
        self.backoff = s.getfloat("XIETONG_RETRY_BACKOFF")
        self.max_wait = s.getfloat("XIETONG_RETRY_AFTER_MAX")
        self.max_retries = s.getint("RETRY_TIMES")
        self.hold: dict[str, float] = {}  # host → monotonic time before which nothing is sent
        self.waits: set = set()  # Deferreds of requests waiting out a Retry-After

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        host = urlparse_cached(request).hostname
        wait = self.hold.get(host, 0) - time.monotonic()
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed, at run time

            waiting = deferLater(reactor, wait)
            self.waits.add(waiting)
            try:
                await maybe_deferred_to_future(waiting)
            except CancelledError:
                raise failures.StoppedRequest("the run was stopped during a wait") from None
            finally:
                self.waits.discard(waiting)

    def stop_waiting(self) -> int:
        """The run is stopping (runtime/stop.py): every request waiting out a Retry-After is
        dropped, unsent. Returns how many."""
        waits, self.waits = self.waits, set()
        for waiting in waits:
            waiting.cancel()
        return len(waits)

    def process_response(self, request, response):
        if response.status not in self.codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        stated = retry_after_seconds(response.headers.get("Retry-After"))
        wait = stated if stated is not None else self.backoff * 2 ** attempt
        self.stats.inc_value(f"xietong/retry_after/{response.status}")
        retry = None
        if wait <= self.max_wait:
            retry = get_retry_request(request, spider=self.crawler.spider,
                                      reason=f"{response.status} (waited {wait:g} s)",
                                      max_retry_times=self.max_retries)
        if retry is None:
            # Given up: Scrapy's RetryMiddleware must not retry it at once behind our back.
            request.meta["dont_retry"] = True
            self.stats.inc_value("xietong/retry_after/given_up")
            logger.warning("%s answered %s (Retry-After %s); left for the next run",
                           request.url, response.status, stated)
            return response
        host = urlparse_cached(request).hostname
        self.hold[host] = max(self.hold.get(host, 0), time.monotonic() + wait)
        self.stats.inc_value("xietong/retry_after/waited_seconds", wait)
        logger.info("%s answered %s: waiting %.1f s (%s) before retry %d of %d", request.url,
                    response.status, wait, "Retry-After" if stated is not None else "back-off",
                    attempt + 1, self.max_retries)
        return retry


def page_kind(request) -> str | None:
    """The url_state kind of a request: its meta `kind`, or `article` for an article URL."""
    kind = request.meta.get("kind")
    if kind is None and urls.is_article_url(request.url):
        kind = "article"
    return kind


def is_over_size(exception: Exception) -> bool:
    """Scrapy's download handler cancelled the download at DOWNLOAD_MAXSIZE / download_maxsize:
    with a message when the Content-Length announced too much, with none when the body grew
    past it (Scrapy 2.19's http11 handler cancels nothing else)."""
    return isinstance(exception, DownloadCancelledError) and (
        "max size" in str(exception) or not str(exception))


class StateMiddleware:
    """Sends If-None-Match / If-Modified-Since for requests marked `conditional` (a 304 then
    reaches the spider), and records every answer to a request marked with a `kind` — or to an
    article URL — in url_state; `fetch_outcome` in meta tells the spider new / changed /
    unchanged / failed."""

    def __init__(self, state, crawler):
        self.state = state
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(services(crawler).state, crawler)

    def _record(self, request, *args, **kwargs) -> str:
        """state.record_fetch; a write that fails stops the run and drops the request."""
        try:
            return self.state.record_fetch(*args, **kwargs)
        except WRITE_ERRORS as e:
            write_failed(self.crawler, e, f"crawl state of {request.url}")
            raise IgnoreRequest(f"state not written: {e}") from None

    def _kind(self, request) -> str | None:
        return page_kind(request)

    def process_request(self, request):
        if not request.meta.get("conditional"):
            return None
        etag, modified = self.state.validators(request.url)
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)
        if etag or modified:
            allowed = request.meta.get("handle_httpstatus_list", [])
            request.meta["handle_httpstatus_list"] = [*allowed, 304]
        return None

    def process_response(self, request, response):
        kind = self._kind(request)
        if kind is None:
            return response
        # An answer that will be read is held with the request (runtime/state.py): committed
        # with the article it becomes, or after the callback when it becomes none — never
        # before. A failed one is recorded at once.
        read = 200 <= response.status < 300 or response.status in request.meta.get(
            "handle_httpstatus_list", ())
        hold = held(request) if read else None
        # A redirected request is recorded under every URL it passed, so the old address is
        # known too and not fetched again next run.
        for url in [*request.meta.get("redirect_urls", []), request.url]:
            outcome = self._record(request, url, kind, response.status, response.headers,
                                   response.body, hold=hold)
        request.meta["fetch_outcome"] = outcome
        self.stats.inc_value(f"xietong/fetched/{kind}")
        if response.status == 304:
            self.stats.inc_value(f"xietong/not_modified/{kind}")
        if outcome == "failed":
            self.stats.inc_value(f"xietong/failed/{kind}")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, failures.StoppedRequest):
            return None  # never sent: the run was told to stop (runtime/stop.py)
        if is_over_size(exception):
            if not request.meta.get("requisite"):
                self.too_large(request,
                               f"over {request.meta.get('download_maxsize')} bytes as sent")
                self.stats.inc_value("xietong/too_large/as_sent")
            return None
        kind = self._kind(request)
        if kind is not None:
            self._record(request, request.url, kind, None, error=type(exception).__name__)
            self.stats.inc_value(f"xietong/failed/{kind}")
        return None

    def too_large(self, request, detail: str) -> None:
        """A response over its size limit: counted, and recorded in url_state as a failed
        fetch whose error says why (it is tried again next run, and refused again). A page
        requisite (meta `requisite`) has its own limit and record (spiders/requisites.py)."""
        if request.meta.get("requisite"):
            return
        self.stats.inc_value("xietong/too_large")
        logger.warning("%s is too large, not read: %s", request.url, detail)
        kind = self._kind(request)
        if kind is not None:
            self.stats.inc_value(f"xietong/too_large/{kind}")
            self.stats.inc_value(f"xietong/failed/{kind}")
            self._record(request, request.url, kind, None, error=f"too_large: {detail}")


class PageSizeMiddleware:
    """Every request without its own `download_maxsize` gets XIETONG_PAGE_MAXSIZE: Scrapy's
    download handler then stops reading at it, and decompression stops at it too."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("XIETONG_PAGE_MAXSIZE"))

    def process_request(self, request):
        request.meta.setdefault("download_maxsize", self.maxsize)


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's own decompression (it stops at the request's download_maxsize: a gzip bomb
    costs the limit, not a gigabyte); a response that would pass it is recorded as too large
    in url_state before Scrapy drops it — the built-in one drops it unrecorded."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as e:
            if isinstance(e.__cause__, ValueError):  # _DecompressionMaxSizeExceeded
                failures.count(self.crawler.stats, "too_large", request)
                failures.done(self.crawler.stats, request)
                state = self.crawler.get_downloader_middleware(StateMiddleware) \
                    if self.crawler else None
                detail = (f"{len(response.body)} bytes that decompress to over "
                          f"{request.meta.get('download_maxsize', self._max_size)}")
                if state is not None:
                    state.too_large(request, detail)
            raise

    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        mw.crawler = crawler
        return mw


class HeldStateRelease:
    """Spider middleware: when a response's callback has yielded everything, the state writes
    held for it (StateMiddleware) that no article took and no further page of the same article
    carries on are released to the writer — a 304, an off-topic article, a list page. An
    ArticleItem that takes them (`state_writes`) has them committed with its record
    (pipelines/store.py). Changes no output."""

    def __init__(self, state):
        self.state = state

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.get_extension(CrawlServices) is None:
            raise NotConfigured  # no crawl state at all (e.g. the null spider of benchmarks/)
        return cls(services(crawler).state)

    def _taken(self, writes: list, output) -> bool:
        if isinstance(output, scrapy.Request):
            return output.meta.get(HELD) is writes
        return getattr(output, "state_writes", None) is writes

    def process_spider_output(self, response, result):
        writes = response.meta.get(HELD)
        taken = False
        for output in result:
            taken = taken or (writes is not None and self._taken(writes, output))
            yield output
        if not taken:
            self.state.release(writes)

    async def process_spider_output_async(self, response, result):
        writes = response.meta.get(HELD)
        taken = False
        async for output in result:
            taken = taken or (writes is not None and self._taken(writes, output))
            yield output
        if not taken:
            self.state.release(writes)
