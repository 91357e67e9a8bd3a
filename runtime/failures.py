"""The run's one failure ledger: every request that did not end in a stored result is counted
once, by cause, in the stats — `xietong/errors/<cause>` and the total `xietong/errors` — from
which the progress line, the summary and the crawls row (`errors`, `errors_by_cause`) read it,
and `judge` decides whether the run failed.

Causes: `http_<status>` (a final answer of 400 or more, after retries), `connection`, `timeout`,
`dns`, `robots` (robots.txt forbids it), `too_large`, `parse` (a page that could not be read),
`write` (a capture, row or state that could not be written), `spider` (an unexpected error in a
spider callback). A request that is retried is counted only for its last try; robots.txt
itself, requests filtered on purpose (offsite, duplicates) and requests a stop dropped are not
failures. Never changes a request or a response.

Settings read: XIETONG_FAILURE_MAX_SHARE, XIETONG_FAILURE_MIN_COUNT (in `judge`'s callers).
"""

from __future__ import annotations

from collections.abc import Mapping

from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as tx

TOTAL = "xietong/errors"
PREFIX = "xietong/errors/"
REQUISITES = "xietong/errors_requisites"  # of the total: photos, stylesheets, images …
REQUISITE_PREFIX = REQUISITES + "/"  # … by cause
PAGES_DONE = "xietong/pages_done"  # pages (not requisites) that reached a final outcome
ROBOTS = "robots"
# Answers about the page itself, not the run: a dead link, a page robots.txt keeps us from.
# Counted, but they never fail a run on their own (a live site always has some).
NOT_THE_RUNS_FAULT = {"http_404", "http_410", ROBOTS}

_DNS = (CannotResolveHostError, tx.DNSLookupError)
_TIMEOUT = (DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError)


class StoppedRequest(IgnoreRequest):
    """A request the crawl dropped because it was told to stop (runtime/stop.py): not sent,
    not a failure, not recorded."""


def cause_of(exception: BaseException) -> str | None:
    """The ledger's cause for a download that ended in `exception`; None when it is no
    failure (filtered on purpose, or dropped by a stop)."""
    if isinstance(exception, IgnoreRequest):
        return ROBOTS if "robots.txt" in str(exception) else None
    if isinstance(exception, DownloadCancelledError) and (
            "max size" in str(exception) or not str(exception)):
        return "too_large"  # Scrapy stopped reading at download_maxsize
    if isinstance(exception, _DNS):
        return "dns"
    if isinstance(exception, _TIMEOUT):
        return "timeout"
    return "connection"  # refused, reset, lost, cut short: the site or the network


def count(stats, cause: str, request=None) -> None:
    """One request (or a write, a callback) that did not end in a stored result."""
    stats.inc_value(TOTAL)
    stats.inc_value(PREFIX + cause)
    if request is not None and request.meta.get("requisite"):
        stats.inc_value(REQUISITES)
        stats.inc_value(REQUISITE_PREFIX + cause)


def done(stats, request) -> None:
    """A page request reached its final outcome (answered, or failed for good): the
    denominator of `judge`."""
    if not request.meta.get("requisite"):
        stats.inc_value(PAGES_DONE)


def by_cause(stats: Mapping, prefix: str = PREFIX) -> dict[str, int]:
    """The ledger, {cause: n}: every failure, or (REQUISITE_PREFIX) those of requisites."""
    return {k.removeprefix(prefix): v for k, v in sorted(stats.items())
            if k.startswith(prefix) and v}


def pages_by_cause(stats: Mapping) -> dict[str, int]:
    """The ledger less the requisites' failures: what judges a run."""
    requisites = by_cause(stats, REQUISITE_PREFIX)
    return {c: n - requisites.get(c, 0) for c, n in by_cause(stats).items()
            if n - requisites.get(c, 0)}


def describe(causes: Mapping[str, int]) -> str:
    """'connection 20, http_503 3' — largest first."""
    return ", ".join(f"{c} {n}" for c, n in sorted(causes.items(), key=lambda kv: -kv[1]))


def judge(stats: Mapping, max_share: float, min_count: int) -> str | None:
    """Why the run failed on its failures, in one line; None when it did not. Failed: it asked
    for pages and not one ended in a result (robots.txt forbidding the seed included), or the
    failures that are the run's fault (not 404/410, not robots.txt) passed `max_share` of the
    pages asked for, and are at least `min_count`. Photos and other requisites are counted in
    the ledger but judge nothing: old articles often show photos that are gone."""
    causes = pages_by_cause(stats)
    pages_failed = sum(causes.values())
    asked = stats.get(PAGES_DONE, 0)
    if asked and pages_failed >= asked:
        which = f"all {asked} page requests" if asked != 1 else "its one page request"
        return f"reached nothing it was asked for: {which} failed ({describe(causes)})"
    serious = sum(n for c, n in causes.items() if c not in NOT_THE_RUNS_FAULT)
    if asked and serious >= max(min_count, 1) and serious / asked > max_share:
        return (f"{serious} of {asked} page requests failed ({describe(causes)}), over the "
                f"{max_share:.0%} allowed (XIETONG_FAILURE_MAX_SHARE)")
    return None


class FailureLedgerMiddleware:
    """Downloader middleware below Scrapy's retries (DOWNLOADER_MIDDLEWARES), so it sees each
    request's final answer or final error once; also counts errors raised in spider callbacks.
    Parse, write and decompression failures are counted where they happen (`count`)."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.stats)
        crawler.signals.connect(mw.spider_error, signal=signals.spider_error)
        return mw

    @staticmethod
    def _robots_txt(request) -> bool:
        return request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt")

    def process_response(self, request, response):
        if self._robots_txt(request):
            return response
        handled = request.meta.get("handle_httpstatus_list", ())
        if response.status >= 400 and response.status not in handled and not \
                request.meta.get("handle_httpstatus_all"):
            count(self.stats, f"http_{response.status}", request)
        done(self.stats, request)
        return response

    def process_exception(self, request, exception):
        cause = cause_of(exception)
        if cause is not None and not self._robots_txt(request):
            count(self.stats, cause, request)
            done(self.stats, request)
        return None

    def spider_error(self, failure, response, spider):
        count(self.stats, "spider")
