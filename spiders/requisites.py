"""Fetching an archived article's page requisites — its photos and, by default, its pages'
stylesheets and other images on people.cn hosts (peoplecn/requisites.py says which) — so the
archive can show the page as it was once people.cn has forgotten it.

Each requisite is fetched once across the archive (a photo many articles show is fetched
once; per-URL state remembers it) and never again unless XIETONG_REQUISITES_REFETCH is set,
with the politeness of every request (robots.txt, the host's delay, people.cn hosts only). A
response over XIETONG_REQUISITE_MAX_BYTES is cut off by Scrapy (`download_maxsize`) and recorded
in url_state as `too_large`, never stored. The capture middleware stores every response, so these
callbacks only keep the state and the counts (stats `xietong/requisites/*`).

Settings read: XIETONG_REQUISITES, XIETONG_REQUISITES_PAGE, XIETONG_REQUISITES_PER_PAGE,
XIETONG_REQUISITE_MAX_BYTES, XIETONG_REQUISITES_REFETCH.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError

from peoplecn.requisites import (
    PHOTO,
    STYLESHEET,
    Requisite,
    article_requisites,
    requisite_url,
    stylesheet_requisites,
)
from runtime.services import WRITE_ERRORS, services, write_failed

KIND = "requisite"  # url_state.kind of a requisite
PRIORITY = 1  # ahead of every article request: an article's photos follow it at once
STYLESHEET_DEPTH = 2  # a page's stylesheet (1) may import one (2); deeper is not followed
SETTLED_STATUSES = {200, 404, 410}  # answers that stand: not asked again
TOO_LARGE = "too_large"
SIZE_RE = re.compile(r"(\d+) bytes which is larger than download max size \((\d+)\)"
                     r"|(\d+) B decompressed so far\) exceeded DOWNLOAD_MAXSIZE \((\d+) B\)")


@dataclass(frozen=True)
class RequisitePolicy:
    photos: bool  # XIETONG_REQUISITES
    page: bool  # XIETONG_REQUISITES_PAGE
    per_page: int  # XIETONG_REQUISITES_PER_PAGE
    max_bytes: int  # XIETONG_REQUISITE_MAX_BYTES
    refetch: bool  # XIETONG_REQUISITES_REFETCH

    @classmethod
    def from_settings(cls, s) -> RequisitePolicy:
        return cls(s.getbool("XIETONG_REQUISITES"), s.getbool("XIETONG_REQUISITES_PAGE"),
                   s.getint("XIETONG_REQUISITES_PER_PAGE"),
                   s.getint("XIETONG_REQUISITE_MAX_BYTES"),
                   s.getbool("XIETONG_REQUISITES_REFETCH"))


def settled(state: dict | None) -> bool:
    """A requisite fetched before whose answer stands: stored, missing (404/410), too large."""
    if not state:
        return False
    return state.get("status") in SETTLED_STATUSES or str(state.get("error") or "").startswith(
        TOO_LARGE)


def too_large_detail(failure, limit: int) -> str:
    m = SIZE_RE.search(str(failure.value))
    if m:
        size, limit_ = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"{TOO_LARGE}: {size} bytes > limit {limit_}"
    return f"{TOO_LARGE}: more than {limit} bytes"


class RequisiteFetching:
    """Mixed into ArticleSpider: `wants_page_requisites` while reading pages, `requisite_requests`
    for an archived article, and the callbacks of those requests (spider methods, so requests
    survive disk and Redis queues)."""

    _requisite_policy: RequisitePolicy | None = None

    @property
    def requisite_policy(self) -> RequisitePolicy:
        if self._requisite_policy is None:
            self._requisite_policy = RequisitePolicy.from_settings(self.crawler.settings)
        return self._requisite_policy

    @property
    def wants_page_requisites(self) -> bool:
        """Are a page's stylesheets and images wanted? The page reader then lists them from the
        tree it read (peoplecn.pages.read_response): a page is parsed once."""
        policy = self.requisite_policy
        return policy.photos and policy.page

    def requisite_requests(self, article, meta: dict):
        policy = self.requisite_policy
        if not policy.photos:
            return
        pages = [[Requisite(u, k) for u, k in page]
                 for page in meta.get("page_requisites") or []]
        wanted = article_requisites([i.src for i in article.images], pages, policy.page,
                                    policy.per_page)
        for requisite in wanted:
            request = self._requisite_request(requisite, article.url, depth=0)
            if request is not None:
                yield request

    def missing_photo_requests(self):
        """Requests for the photos archived articles show and the archive lacks — a run
        stopped (a full disk, a kill) after an article was stored but before its photos were
        — whatever url_state says and whatever XIETONG_REQUISITES_REFETCH is. Every spider
        starts with them."""
        if not self.requisite_policy.photos:
            return
        state = services(self.crawler).state
        for src, article_url in state.missing_photos():
            url = requisite_url(article_url, src)
            if url is None:
                continue  # not on a people.cn host: never fetched
            request = self._requisite_request(Requisite(url, PHOTO), article_url, depth=0,
                                              force=True)
            if request.url != src and state.has_capture(request.url):
                continue  # captured under its escaped spelling
            self.crawler.stats.inc_value("xietong/requisites/missing")
            yield request

    def _requisite_request(self, requisite: Requisite, referer: str, depth: int,
                           force: bool = False):
        stats = self.crawler.stats
        if not (force or self.requisite_policy.refetch) and settled(
                services(self.crawler).state.get(requisite.url)):
            stats.inc_value("xietong/requisites/known")
            return None
        return scrapy.Request(
            requisite.url, callback=self.parse_requisite, errback=self.requisite_failed,
            priority=PRIORITY, headers={"Referer": referer},
            meta={"requisite": requisite.kind, "requisite_depth": depth,
                  "download_maxsize": self.requisite_policy.max_bytes})

    def _record_requisite(self, request, status, headers=None, body=b"", error=None) -> None:
        state = services(self.crawler).state
        try:
            for url in [*request.meta.get("redirect_urls", []), request.url]:
                state.record_fetch(url, KIND, status, headers, body, error=error)
        except WRITE_ERRORS as e:  # a full disk: the run stops, counted, no traceback
            write_failed(self.crawler, e, f"crawl state of {request.url}")

    def parse_requisite(self, response):
        self._record_requisite(response.request, response.status, response.headers, response.body)
        stats = self.crawler.stats
        stats.inc_value("xietong/requisites/fetched")
        stats.inc_value(f"xietong/requisites/fetched/{response.meta['requisite']}")
        depth = response.meta.get("requisite_depth", 0) + 1
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if (response.meta["requisite"] == STYLESHEET and "css" in content_type
                and depth <= STYLESHEET_DEPTH and self.requisite_policy.page):
            for requisite in stylesheet_requisites(response.url, response.body):
                request = self._requisite_request(requisite, response.url, depth)
                if request is not None:
                    yield request

    def requisite_failed(self, failure):
        request = failure.request
        stats = self.crawler.stats
        if failure.check(HttpError):
            response = failure.value.response
            self._record_requisite(request, response.status, response.headers)
            stats.inc_value("xietong/requisites/fetched")
            stats.inc_value("xietong/requisites/http_errors")
            stats.inc_value("xietong/requisites/failed")
        elif failure.check(DownloadCancelledError, CancelledError) or (
                failure.check(IgnoreRequest) and "exceeded DOWNLOAD_MAXSIZE" in str(failure.value)):
            # Scrapy stopped reading at download_maxsize (or stopped decompressing there: a
            # gzip bomb, whose compressed bytes the capture kept): recorded, never used.
            detail = too_large_detail(failure, self.requisite_policy.max_bytes)
            if failure.check(IgnoreRequest):
                stats.inc_value("xietong/requisites/fetched")  # it came, and was captured
            self._record_requisite(request, None, error=detail)
            stats.inc_value("xietong/requisites/too_large")
            self.logger.warning("requisite over the size limit, %s: %s", detail, request.url)
        elif failure.check(IgnoreRequest):
            stats.inc_value("xietong/requisites/not_allowed")  # robots.txt, or another site
        else:
            self._record_requisite(request, None, error=type(failure.value).__name__)
            stats.inc_value("xietong/requisites/failed")
            self.logger.info("requisite not fetched (%s): %s", failure.value, request.url)
