"""The downloader middlewares of runtime/middlewares.py, each built by its from_crawler from the
project's settings: the page size limit and bounded decompression over real HTTP on 127.0.0.1
(only the real download handler stops a download), Crawl-delay and Retry-After by the gaps the
server sees, and the per-URL state fed real Requests and Responses.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import sqlite_utils
from crawler_kit import (
    FetchSpider,
    LocalServer,
    close_spider,
    crawl_seed,
    crawler_for,
    open_spider,
    response_for,
    run_crawl,
    send,
)
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, NotConfigured
from scrapy.http import Request
from scrapy.robotstxt import ProtegoRobotParser

from runtime import settings as project
from runtime.middlewares import (
    CrawlDelayMiddleware,
    PageSizeMiddleware,
    RetryAfterMiddleware,
    StateMiddleware,
    retry_after_seconds,
)
from runtime.state import HELD
from sample_site.site import Resource

MB = 1 << 20
# Over the page limit, under Scrapy's own: only PageSizeMiddleware can stop it.
BETWEEN = project.XIETONG_PAGE_MAXSIZE + MB


def url_state(archive, url: str) -> dict | None:
    rows = list(sqlite_utils.Database(archive).query("select * from url_state where url = ?",
                                                     [url]))
    return rows[0] if rows else None


# -- PageSizeMiddleware ------------------------------------------------------------------------
def test_the_hostile_size_lies_between_the_two_limits():
    assert project.XIETONG_PAGE_MAXSIZE < BETWEEN < project.DOWNLOAD_MAXSIZE


def _page(size: int):
    def route(handler, path):
        body = b"<html><body><p>" + b"x" * (size - 15)
        send(handler, 200, body, {"Content-Type": "text/html"}, length="streamed" not in path)
    return route


def test_a_page_between_the_page_limit_and_scrapys_is_stopped_and_recorded(tmp_path):
    archive = tmp_path / "archive.db"
    routes = {"/announced": _page(BETWEEN), "/streamed": _page(BETWEEN),
              "/own-limit": _page(BETWEEN), "/small": _page(1000)}
    with LocalServer(routes) as server:
        crawler = run_crawl(archive, FetchSpider, meta={"kind": "list"}, requests=[
            server.url("/announced"), server.url("/streamed"), server.url("/small"),
            # a request with its own limit (a photo) keeps it
            (server.url("/own-limit"), {"meta": {"download_maxsize": project.DOWNLOAD_MAXSIZE}}),
        ])
        asked = server.paths()
    assert {"/announced", "/streamed", "/small", "/own-limit"} <= set(asked)
    received = {r.url.rsplit("/", 1)[1]: len(r.body) for r in crawler.spider.received}
    assert received == {"small": 1000, "own-limit": BETWEEN}
    for path in ("/announced", "/streamed"):
        state = url_state(archive, server.url(path))
        assert state["status"] is None and state["error"].startswith("too_large: over"), state
        assert state["content_hash"] is None
    stats = crawler.stats.get_stats()
    assert stats["xietong/too_large"] == 2 and stats["xietong/too_large/list"] == 2
    assert stats["xietong/failed/list"] == 2


def test_the_related_spider_records_a_page_between_the_limits_and_archives_the_rest(
        fresh_site, tmp_path):
    """The real spider, as `xietong crawl related` runs it: one of the seed's related articles
    answers with its own page padded to 9 MB (announced in Content-Length)."""
    seed = fresh_site.articles[fresh_site.seed]
    big = seed["related"][0]
    page = fresh_site.get(big)
    padded = page.body.replace(b"</body>", b"<!--" + b" " * BETWEEN + b"--></body>")
    fresh_site.canned[big] = [Resource(200, page.headers, padded)]
    archive = tmp_path / "archive.db"
    crawler = crawl_seed(fresh_site, archive, depth=1)
    db = sqlite_utils.Database(archive)
    ids = {r["id"] for r in db["articles"].rows}
    assert "he-40745301" in ids and len(ids) >= 3
    assert "politics-40181236" not in ids
    state = url_state(archive, big)
    assert state["status"] is None and state["error"].startswith("too_large"), state
    (row,) = db["crawls"].rows
    assert row["pages_too_large"] == 1 and row["finish_reason"] == "finished"
    assert crawler.stats.get_value("xietong/too_large/article") == 1


def test_page_size_middleware_gives_a_request_the_page_limit_unless_it_has_one(tmp_path):
    crawler = crawler_for(tmp_path / "a.db", XIETONG_PAGE_MAXSIZE=12345)
    mw = PageSizeMiddleware.from_crawler(crawler)
    page = Request("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html")
    photo = Request("http://he.people.com.cn/a.jpg", meta={"download_maxsize": 999})
    mw.process_request(page)
    mw.process_request(photo)
    assert page.meta["download_maxsize"] == 12345 and photo.meta["download_maxsize"] == 999


# -- BoundedDecompressionMiddleware ------------------------------------------------------------
def _gzipped(size: int):
    body = gzip.compress(b"<html><body><p>" + b"0" * size)

    def route(handler, path):
        send(handler, 200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    return route, body


def test_a_gzip_page_over_the_limit_decompressed_is_recorded_one_under_is_read(tmp_path):
    bomb, bomb_body = _gzipped(BETWEEN)  # ~9 kB on the wire, 9 MB inflated
    small, _ = _gzipped(5000)
    archive = tmp_path / "archive.db"
    with LocalServer({"/bomb": bomb, "/small": small}) as server:
        crawler = run_crawl(archive, FetchSpider, meta={"kind": "list"},
                            requests=[server.url("/bomb"), server.url("/small")])
    (response,) = crawler.spider.received
    assert response.url.endswith("/small") and response.body.endswith(b"0" * 5000)
    state = url_state(archive, server.url("/bomb"))
    assert state["status"] is None
    assert state["error"] == (f"too_large: {len(bomb_body)} bytes that decompress to over "
                              f"{project.XIETONG_PAGE_MAXSIZE}")
    assert crawler.stats.get_value("xietong/too_large/list") == 1


# -- CrawlDelayMiddleware ----------------------------------------------------------------------
def _robots(delay: float):
    def route(handler, path):
        send(handler, 200, f"User-agent: *\nCrawl-delay: {delay}\n".encode(),
             {"Content-Type": "text/plain"})
    return route


def _ok(handler, path):
    send(handler, 200, b"<html><body><p>ok</p></body></html>", {"Content-Type": "text/html"})


def _gaps(server, prefix: str = "/p") -> list[float]:
    times = [t for t, p, _ in server.seen if p.startswith(prefix)]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


@pytest.mark.parametrize("asked, cap, kept", [(0.5, 600, 0.5), (5, 0.4, 0.4)])
def test_crawl_delay_spaces_requests_to_the_host_up_to_the_cap(tmp_path, asked, cap, kept):
    routes = {"/robots.txt": _robots(asked), **{f"/p{n}": _ok for n in range(3)}}
    with LocalServer(routes) as server:
        crawler = run_crawl(tmp_path / "a.db", FetchSpider,
                            settings={"XIETONG_CRAWL_DELAY_MAX": cap},
                            requests=[server.url(f"/p{n}") for n in range(3)])
    assert len(crawler.spider.received) == 3
    assert crawler.stats.get_value("xietong/crawl_delay/127.0.0.1") == kept
    # Scrapy spaces the sends; the server sees arrivals, which a slow first connection can
    # bring closer by a few hundredths. Without the floor the gaps are milliseconds.
    gaps = _gaps(server)
    assert len(gaps) == 2 and min(gaps) >= kept * 0.8, gaps


def _robots_parsed(crawler, robots: bytes, url: str = "http://bj.people.com.cn/robots.txt"):
    parser = ProtegoRobotParser.from_crawler(crawler, robots)
    crawler.signals.send_catch_log(signals.robots_parsed, robotparser=parser,
                                   request=Request(url))


def test_crawl_delay_is_noted_per_host_and_zero_cap_ignores_it(tmp_path):
    crawler = crawler_for(tmp_path / "a.db")
    mw = CrawlDelayMiddleware.from_crawler(crawler)  # kept: signals hold handlers weakly
    _robots_parsed(crawler, b"User-agent: *\nCrawl-delay: 7\n")
    _robots_parsed(crawler, b"User-agent: *\nDisallow: /x\n", "http://he.people.com.cn/robots.txt")
    assert {k: v for k, v in crawler.stats.get_stats().items() if "crawl_delay" in k} == \
        {"xietong/crawl_delay/bj.people.com.cn": 7.0}
    ignoring = crawler_for(tmp_path / "b.db", XIETONG_CRAWL_DELAY_MAX=0)
    ignored = CrawlDelayMiddleware.from_crawler(ignoring)
    _robots_parsed(ignoring, b"User-agent: *\nCrawl-delay: 7\n")
    assert not any("crawl_delay" in k for k in ignoring.stats.get_stats())
    assert (mw.delays, ignored.delays) == ({"bj.people.com.cn": 7.0}, {})


def test_crawl_delay_is_off_when_robots_txt_is_not_obeyed(tmp_path):
    with pytest.raises(NotConfigured):
        CrawlDelayMiddleware.from_crawler(crawler_for(tmp_path / "a.db", ROBOTSTXT_OBEY=False))


# -- RetryAfterMiddleware ----------------------------------------------------------------------
def test_a_503_holds_the_host_for_the_back_off_then_is_retried(tmp_path):
    answers = iter([503, 200])

    def busy(handler, path):
        status = next(answers, 200)
        send(handler, status, b"busy" if status == 503 else b"<html>ok</html>",
             {"Content-Type": "text/html"})

    with LocalServer({"/p-busy": busy}) as server:
        crawler = run_crawl(tmp_path / "a.db", FetchSpider, requests=[server.url("/p-busy")],
                            settings={"XIETONG_RETRY_BACKOFF": 0.5})
    assert [r.status for r in crawler.spider.received] == [200]
    (gap,) = _gaps(server)
    assert gap >= 0.45, gap
    stats = crawler.stats.get_stats()
    assert stats["xietong/retry_after/503"] == 1
    assert stats["xietong/retry_after/waited_seconds"] == 0.5


@pytest.fixture
def retry_after(tmp_path):
    crawler = crawler_for(tmp_path / "a.db", XIETONG_RETRY_BACKOFF=30,
                          XIETONG_RETRY_AFTER_MAX=900, RETRY_TIMES=project.RETRY_TIMES)
    open_spider(crawler)
    yield RetryAfterMiddleware.from_crawler(crawler), crawler
    close_spider(crawler)


def test_retry_after_seconds_or_date_is_waited_then_retried(retry_after):
    mw, crawler = retry_after
    url = "http://bj.people.com.cn/GB/25527/376731/376732/index.html"
    request = Request(url)
    retry = mw.process_response(request, response_for(url, status=429, request=request,
                                                      headers={"Retry-After": "120"}))
    assert isinstance(retry, Request) and retry.url == url and retry.meta["retry_times"] == 1
    stats = crawler.stats.get_stats()
    assert stats["xietong/retry_after/429"] == 1
    assert stats["xietong/retry_after/waited_seconds"] == 120
    # no Retry-After: XIETONG_RETRY_BACKOFF × 2^attempt
    again = mw.process_response(retry, response_for(url, status=503, request=retry))
    assert again.meta["retry_times"] == 2
    assert crawler.stats.get_value("xietong/retry_after/waited_seconds") == 120 + 60


def test_a_wait_over_the_maximum_is_not_waited_and_not_retried(retry_after):
    mw, crawler = retry_after
    url = "http://bj.people.com.cn/n2/2024/0112/c14540-40710366.html"
    request = Request(url)
    response = response_for(url, status=429, request=request, headers={"Retry-After": "3600"})
    assert mw.process_response(request, response) is response
    assert request.meta["dont_retry"] is True
    assert crawler.stats.get_value("xietong/retry_after/given_up") == 1
    ok = response_for(url, request=Request(url))
    assert mw.process_response(ok.request, ok) is ok  # other statuses pass untouched


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(later, now=now.timestamp()) == pytest.approx(90)
    assert retry_after_seconds("Fri, 01 Mar 2024 11:00:00 GMT", now=now.timestamp()) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


# -- StateMiddleware ---------------------------------------------------------------------------
LIST = "http://bj.people.com.cn/GB/25527/376731/376732/index.html"
ARTICLE = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


@pytest.fixture
def state_mw(tmp_path):
    archive = tmp_path / "archive.db"
    crawler = crawler_for(archive)
    open_spider(crawler)
    yield StateMiddleware.from_crawler(crawler), crawler, archive
    close_spider(crawler)


def committed(mw) -> None:
    """The writer's batch committed — where the crawl's state writes go (issue 18)."""
    mw.state.writer.flush()


def _answer(mw, url, meta=None, status=200, body=b"<html>a</html>", headers=None):
    """One answer through the middleware, its held state released (as HeldStateRelease does
    once the callback has produced nothing to store) and committed."""
    request = Request(url, meta=dict(meta or {}))
    response = response_for(url, status=status, body=body, headers=headers, request=request)
    assert mw.process_response(request, response) is response
    mw.state.release(request.meta.get(HELD))
    committed(mw)
    return request.meta.get("fetch_outcome")


def test_an_answer_to_be_read_is_held_until_what_it_produces_is_stored(state_mw):
    mw, _, archive = state_mw
    request = Request(ARTICLE)
    mw.process_response(request, response_for(ARTICLE, body=b"<html>a</html>",
                                              request=request))
    committed(mw)
    assert url_state(archive, ARTICLE) is None and len(request.meta[HELD]) == 1
    failed = Request(LIST, meta={"kind": "list"})  # a failure is recorded at once
    mw.process_response(failed, response_for(LIST, status=500, request=failed))
    committed(mw)
    assert url_state(archive, LIST)["status"] == 500 and not failed.meta.get(HELD)


def test_every_answer_to_a_page_is_recorded_with_its_outcome(state_mw):
    mw, crawler, archive = state_mw
    validators = {"ETag": '"v1"', "Last-Modified": "Fri, 01 Mar 2024 08:00:00 GMT"}
    assert _answer(mw, LIST, {"kind": "list"}, headers=validators) == "new"
    assert _answer(mw, LIST, {"kind": "list"}, headers=validators) == "unchanged"
    assert _answer(mw, LIST, {"kind": "list"}, body=b"<html>b</html>") == "changed"
    assert _answer(mw, LIST, {"kind": "list"}, status=500) == "failed"
    state = url_state(archive, LIST)
    assert (state["kind"], state["status"], state["fetch_count"]) == ("list", 500, 4)
    assert state["spider"] == crawler.spider.name
    # an article URL is recorded as an article without being marked
    assert _answer(mw, ARTICLE) == "new" and url_state(archive, ARTICLE)["kind"] == "article"
    stats = crawler.stats.get_stats()
    assert (stats["xietong/fetched/list"], stats["xietong/failed/list"]) == (4, 1)
    assert stats["xietong/fetched/article"] == 1


def test_a_redirected_page_is_recorded_under_every_address_it_passed(state_mw):
    mw, _, archive = state_mw
    old = "http://tj.people.com.cn/n2/2023/0608/c375555-40451127.html"
    new = "http://tj.people.com.cn/n2/2023/0608/c375366-40451127.html"
    _answer(mw, new, {"redirect_urls": [old]})
    assert url_state(archive, old)["status"] == url_state(archive, new)["status"] == 200


def test_a_request_of_no_kind_is_not_recorded(state_mw):
    mw, _, archive = state_mw
    assert _answer(mw, "http://www.people.com.cn/img/2020wbc/css/page.css") is None
    assert url_state(archive, "http://www.people.com.cn/img/2020wbc/css/page.css") is None


def test_a_conditional_request_carries_the_validators_of_the_last_answer(state_mw):
    mw, _, _ = state_mw
    fresh = Request(LIST, meta={"kind": "list", "conditional": True})
    mw.process_request(fresh)  # never fetched: nothing to send
    assert b"If-None-Match" not in fresh.headers and "handle_httpstatus_list" not in fresh.meta
    _answer(mw, LIST, {"kind": "list"},
            headers={"ETag": '"v1"', "Last-Modified": "Fri, 01 Mar 2024 08:00:00 GMT"})
    again = Request(LIST, meta={"kind": "list", "conditional": True})
    plain = Request(LIST, meta={"kind": "list"})
    mw.process_request(again)
    mw.process_request(plain)
    assert again.headers[b"If-None-Match"] == b'"v1"'
    assert again.headers[b"If-Modified-Since"] == b"Fri, 01 Mar 2024 08:00:00 GMT"
    assert 304 in again.meta["handle_httpstatus_list"]
    assert b"If-None-Match" not in plain.headers
    assert _answer(mw, LIST, {"kind": "list"}, status=304, body=b"") == "unchanged"


def test_a_download_cut_at_the_limit_or_failed_is_recorded(state_mw):
    mw, crawler, archive = state_mw
    cut = Request(ARTICLE, meta={"download_maxsize": 100})
    mw.process_exception(cut, DownloadCancelledError("Received 200 bytes which is larger than "
                                                     "download max size (100)"))
    committed(mw)
    assert url_state(archive, ARTICLE)["error"] == "too_large: over 100 bytes as sent"
    mw.process_exception(Request(LIST, meta={"kind": "list"}), TimeoutError("took too long"))
    committed(mw)
    assert url_state(archive, LIST)["error"] == "TimeoutError"
    photo = Request("http://he.people.com.cn/a.jpg", meta={"requisite": "photo"})
    mw.process_exception(photo, DownloadCancelledError(""))  # its own record (requisites.py)
    assert url_state(archive, "http://he.people.com.cn/a.jpg") is None
    stats = crawler.stats.get_stats()
    assert stats["xietong/too_large"] == 1 and stats["xietong/failed/list"] == 1
