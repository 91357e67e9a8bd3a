"""The `search` spider: ask the search.people.cn API for each of the profile's search keys, in
time windows newest first, and archive what it finds — from the API's full text
(contentOriginal) when the record has it, else by fetching the page.

The index stops paging at 1000 pages (reference §10), so a window that needs more is split in
two until each half fits. After a complete run the next one starts where it ended, less an
overlap (XIETONG_SEARCH_OVERLAP_DAYS) for late-indexed articles.

Arguments: `keys` (comma-separated; default: the profile's), `since` (YYYY-MM-DD: ignore the
last run and search from here), and those of spiders/base.py. Settings read:
XIETONG_SEARCH_LIMIT, XIETONG_SEARCH_MAX_PAGES, XIETONG_SEARCH_OVERLAP_DAYS,
XIETONG_SEARCH_MIN_WINDOW_HOURS, and those of spiders/base.py.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import scrapy
from scrapy.http import Response

from peoplecn import search_api
from runtime import failures
from runtime.state import HELD
from spiders.base import ArticleSpider


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class SearchSpider(ArticleSpider):
    name = "search"

    def __init__(self, keys: str | None = None, since: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._keys = [k.strip() for k in keys.split(",") if k.strip()] if keys else None
        self._since = since

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.keys = spider._keys or spider.profile.search_keys
        spider.limit = min(s.getint("XIETONG_SEARCH_LIMIT"), search_api.LIMIT)
        spider.max_pages = s.getint("XIETONG_SEARCH_MAX_PAGES")
        spider.overlap = timedelta(days=s.getfloat("XIETONG_SEARCH_OVERLAP_DAYS"))
        spider.min_window_ms = int(s.getfloat("XIETONG_SEARCH_MIN_WINDOW_HOURS") * 3600_000)
        spider.seen: set[str] = set()
        spider.failed_keys: set[str] = set()
        return spider

    def arguments(self) -> dict:
        return {**super().arguments(), "keys": self.keys, "since": self._since}

    def _done_url(self, key: str) -> str:
        return f"{search_api.ENDPOINT}#key={key}"

    def _window_start(self, key: str) -> datetime:
        since = self._since or self.profile.search_since
        start = datetime.combine(date.fromisoformat(since), datetime.min.time(), UTC)
        if self._since is None and self.state is not None:
            done = self.state.get(self._done_url(key))
            if done and done.get("status") == 200 and done.get("last_fetched_at"):
                start = max(start, datetime.fromisoformat(done["last_fetched_at"]) - self.overlap)
        return start

    async def start(self):
        end = _ms(datetime.now(UTC))
        for key in self.keys:
            yield self.search_request(key, _ms(self._window_start(key)), end, page=1)
        for request in self.due_revisits():
            yield request
        for request in self.missing_photo_requests():
            yield request

    def search_request(self, key: str, start: int, end: int, page: int) -> scrapy.Request:
        body = search_api.request_body(key, start, end, page, self.limit)
        return scrapy.Request(
            search_api.ENDPOINT, method="POST", body=json.dumps(body, ensure_ascii=False),
            headers=search_api.headers(key), callback=self.parse_results,
            errback=self.search_failed, priority=10,
            meta={"kind": "search", "key": key, "window": (start, end), "page": page},
        )

    def search_failed(self, failure):
        key = failure.request.meta["key"]
        self.failed_keys.add(key)
        self.logger.error("search for %r failed: %s", key, failure.value)

    def parse_results(self, response: Response):
        key, (start, end), page = (response.meta[k] for k in ("key", "window", "page"))
        try:
            results = search_api.read_results(response.body)
        except search_api.SearchError as e:
            self.failed_keys.add(key)
            self.crawler.stats.inc_value("xietong/search_errors")
            failures.count(self.crawler.stats, "parse", response.request)
            self.logger.error("search for %r, page %d: %s", key, page, e)
            return
        if page == 1:
            if results.pages > self.max_pages and end - start > self.min_window_ms:
                # More than the index will page through: split the window and ask again.
                middle = (start + end) // 2
                self.crawler.stats.inc_value("xietong/search_windows_split")
                yield self.search_request(key, middle + 1, end, page=1)
                yield self.search_request(key, start, middle, page=1)
                return
            if results.pages > self.max_pages:
                self.logger.warning("search for %r: %d pages in a %d-minute window; only the "
                                    "first %d are reachable", key, results.pages,
                                    (end - start) // 60_000, self.max_pages)
            for n in range(2, min(results.pages, self.max_pages) + 1):
                yield self.search_request(key, start, end, page=n)
        for record in results.records:
            yield from self._record(record)

    def _record(self, record: dict):
        url = search_api.record_url(record)
        if url is None or url in self.seen:
            return
        self.seen.add(url)
        if self.state is not None and not self.state.worth_fetching(url):
            self.crawler.stats.inc_value("xietong/articles_not_due")
            return
        article = search_api.article_from_record(record)
        if article is None:
            yield self.article_request(url)
            return
        self.crawler.stats.inc_value("xietong/articles_from_api")
        writes: list = []
        if self.state is not None:
            self.state.record_api_copy(url, record["contentOriginal"], hold=writes)
        items = list(self.archive(article, {HELD: writes}))
        if not items:  # off topic: nothing stored, its state stands on its own
            self.crawl_state.release(writes)
        yield from items

    def closed(self, reason: str) -> None:
        if self.state is None or reason != "finished":
            return
        for key in self.keys:
            if key not in self.failed_keys:
                self.state.record_fetch(self._done_url(key), "search", 200)
