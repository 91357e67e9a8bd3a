"""Downloader middlewares for politeness and fetch-once crawling:

- CrawlDelayMiddleware: obey robots.txt Crawl-delay (Scrapy reads it but does not apply it).
- RetryAfterMiddleware: on 429/503 wait what Retry-After says (or back off), then retry.
- StateMiddleware: conditional requests from the per-URL state, and every answer recorded there.

They never change a response's bytes. Settings read: ROBOTSTXT_USER_AGENT, USER_AGENT,
XIETONG_CRAWL_DELAY_MAX, RETRY_TIMES, XIETONG_RETRY_AFTER_CODES, XIETONG_RETRY_BACKOFF,
XIETONG_RETRY_AFTER_MAX.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater

from peoplecn import urls
from runtime.services import services

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

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        host = urlparse_cached(request).hostname
        wait = self.hold.get(host, 0) - time.monotonic()
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed, at run time

            await maybe_deferred_to_future(deferLater(reactor, wait))

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


class StateMiddleware:
    """Sends If-None-Match / If-Modified-Since for requests marked `conditional` (a 304 then
    reaches the spider), and records every answer to a request marked with a `kind` — or to an
    article URL — in url_state; `fetch_outcome` in meta tells the spider new / changed /
    unchanged / failed."""

    def __init__(self, state, stats):
        self.state = state
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(services(crawler).state, crawler.stats)

    def _kind(self, request) -> str | None:
        kind = request.meta.get("kind")
        if kind is None and urls.is_article_url(request.url):
            kind = "article"
        return kind

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
        # A redirected request is recorded under every URL it passed, so the old address is
        # known too and not fetched again next run.
        for url in [*request.meta.get("redirect_urls", []), request.url]:
            outcome = self.state.record_fetch(url, kind, response.status, response.headers,
                                         response.body)
        request.meta["fetch_outcome"] = outcome
        self.stats.inc_value(f"xietong/fetched/{kind}")
        if response.status == 304:
            self.stats.inc_value(f"xietong/not_modified/{kind}")
        if outcome == "failed":
            self.stats.inc_value(f"xietong/failed/{kind}")
        return response

    def process_exception(self, request, exception):
        kind = self._kind(request)
        if kind is not None:
            self.state.record_fetch(request.url, kind, None,
                                                 error=type(exception).__name__)
            self.stats.inc_value(f"xietong/failed/{kind}")
        return None
