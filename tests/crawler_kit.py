"""Scrapy crawlers for the middle-layer tests (tests/runtime, tests/spiders, tests/pipelines),
after alltheplaces' pipeline tests: `scrapy.utils.test.get_crawler` with the project's own
settings and a throwaway archive, so every component is built by its `from_crawler` exactly as
in a crawl, then fed real Requests, Responses and items.

Where the behaviour is about the network, `run_crawl` runs the real engine over real HTTP on
127.0.0.1. Twisted's reactor runs once per process, so it runs here in a daemon thread (the
asyncio reactor, as `xietong crawl` uses), started the first time a crawler is made; a crawler
that runs on it is built and run in that thread, where its SQLite connections must stay.

Not a conftest: test modules import it (tests/ is on sys.path, like conftest itself).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, Request
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler
from twisted.internet import threads
from twisted.internet.defer import Deferred, maybeDeferred

from runtime import settings as project_settings
from sample_site.replay import ReplayServer

# Quiet and quick: no delays (Crawl-delay is still obeyed), no AutoThrottle, no log noise.
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
        "RETRY_TIMES": 1, "DOWNLOAD_TIMEOUT": 10}

_reactor_lock = threading.Lock()
_reactor: Any = None


def reactor():
    """The process's Twisted reactor, running in a daemon thread (started on first use)."""
    global _reactor
    with _reactor_lock:
        if _reactor is None:
            ready = threading.Event()
            box: dict[str, Any] = {}

            def run() -> None:
                if not is_reactor_installed():
                    from twisted.internet import asyncioreactor

                    loop = asyncio.new_event_loop()
                    asyncio.set_event_loop(loop)  # this thread only: the main one keeps its own
                    asyncioreactor.install(eventloop=loop)
                from twisted.internet import reactor as installed

                box["reactor"] = installed
                ready.set()
                installed.run(installSignalHandlers=False)

            threading.Thread(target=run, name="twisted-reactor", daemon=True).start()
            if not ready.wait(10):
                raise RuntimeError("the Twisted reactor did not start")
            _reactor = box["reactor"]
    return _reactor


def in_reactor(fn: Callable, *args, timeout: float = 60, **kwargs):
    """Call `fn` in the reactor thread and wait for its result (a Deferred's too)."""
    r = reactor()

    def call() -> Deferred:
        return maybeDeferred(fn, *args, **kwargs).addTimeout(timeout, r)

    return threads.blockingCallFromThread(r, call)


def settings_for(archive: Path, **overrides) -> dict:
    """The project's settings (runtime/settings.py), writing into `archive`, plus overrides."""
    values = {name: getattr(project_settings, name) for name in dir(project_settings)
              if name.isupper()}
    return {**values, **FAST, "XIETONG_ARCHIVE": str(archive), **overrides}


def crawler_for(archive: Path, spidercls: type[scrapy.Spider] | None = None, **overrides):
    """An unstarted crawler with the project's settings: its extensions (CrawlServices,
    CrawlLock, CrawlReport) are built; components are made with `Component.from_crawler`."""
    reactor()  # settle the reactor first, so every crawler is configured as a real crawl is
    # No periodic stats logging: spider_opened is sent here, outside the reactor's thread.
    return get_crawler(spidercls, settings_for(archive, LOGSTATS_INTERVAL=0, **overrides))


def open_spider(crawler, **spider_args) -> scrapy.Spider:
    """Make the crawler's spider with its arguments and send spider_opened, as the engine does."""
    spider = crawler.spidercls.from_crawler(crawler, **spider_args)
    crawler.spider = spider
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
    return spider


def close_spider(crawler, reason: str = "finished") -> None:
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason=reason)


def response_for(url: str, resource=None, *, status: int = 200, body: bytes = b"",
                 headers: dict | None = None, meta: dict | None = None,
                 request: Request | None = None, **request_kwargs) -> HtmlResponse:
    """A real Scrapy response to `request` (or to a GET of `url` with `meta`), from a sample
    site Resource or from status, headers and body."""
    if resource is not None:
        status, headers, body = resource.status, resource.headers, resource.body
    request = request or Request(url, meta=meta or {}, **request_kwargs)
    return HtmlResponse(url, status=status, headers=headers or {}, body=body, request=request)


def read_page(spider, site, url: str, **meta) -> tuple[list, list[Request]]:
    """What `spider` yields reading the sample `site`'s page at `url` (its parse_page callback
    fed the page's real bytes and headers): (items, requests)."""
    request = Request(url, callback=spider.parse_page, meta={"hops": 0, "seed": True, **meta})
    out = list(spider.parse_page(response_for(url, site.get(url), request=request)))
    return ([x for x in out if not isinstance(x, Request)],
            [x for x in out if isinstance(x, Request)])


def start_requests(spider) -> list:
    """What the spider's async `start()` yields (it may read the archive: same thread)."""
    async def gather():
        return [r async for r in spider.start()]
    return asyncio.run(gather())


@contextmanager
def _proxy(proxy: str | None) -> Iterator[None]:
    """Scrapy's HttpProxyMiddleware reads the proxy from the environment, as curl does."""
    names = ("http_proxy", "https_proxy", "no_proxy")
    saved = {n: os.environ.get(n) for n in names}
    for n in names:
        os.environ.pop(n, None)
    if proxy:
        os.environ["http_proxy"] = os.environ["https_proxy"] = proxy
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def run_crawl(archive: Path, spidercls: type[scrapy.Spider], settings: dict | None = None,
              proxy: str | None = None, timeout: float = 60, **spider_args):
    """Crawl with the real engine (project settings + `settings`) until the spider closes;
    returns the finished crawler (its `.stats`, `.spider`)."""
    def crawl():
        crawler = get_crawler(spidercls, settings_for(archive, **(settings or {})))
        return crawler.crawl(**spider_args).addCallback(lambda _: crawler)

    with _proxy(proxy):
        return in_reactor(crawl, timeout=timeout)


def crawl_site(site, archive: Path, spidercls: type[scrapy.Spider], settings: dict | None = None,
               **spider_args):
    """`run_crawl` of the sample `site` through its replay proxy on 127.0.0.1, as `xietong crawl
    --proxy` runs; the crawler also carries what the server answered (`exchanges`)."""
    with ReplayServer(site) as replay:
        crawler = run_crawl(archive, spidercls, settings, proxy=replay.proxy_url, **spider_args)
        crawler.exchanges = replay.exchanges
    return crawler


def crawl_seed(site, archive: Path, depth: int = 0, **settings):
    """The related spider from the sample site's seed to `depth` (no photos): a real archive."""
    from spiders.related import RelatedSpider

    return crawl_site(site, archive, RelatedSpider, {"XIETONG_REQUISITES": False, **settings},
                      seeds=site.seed, depth=str(depth))


class FetchSpider(scrapy.Spider):
    """Fetches what it is given — `requests`: URLs, or (URL, Request keyword arguments) pairs;
    `meta` for all — and keeps every response that reaches it (`received`) and every failure
    (`failures`). Yields nothing."""

    name = "fetch"

    def __init__(self, requests=(), meta: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.wanted = [(r, {}) if isinstance(r, str) else r for r in requests]
        self.meta = dict(meta or {})
        self.received: list = []
        self.failures: list = []

    async def start(self):
        for url, kwargs in self.wanted:
            kwargs = dict(kwargs)
            meta = {**self.meta, **kwargs.pop("meta", {})}
            yield Request(url, meta=meta, callback=self.parse, errback=self.failed,
                          dont_filter=True, **kwargs)

    def parse(self, response):
        self.received.append(response)

    def failed(self, failure):
        self.failures.append(failure)


class LocalServer:
    """A plain HTTP server on 127.0.0.1 (port 0) answering from `routes`: path → a function
    (handler, path) that writes the whole answer. Records (monotonic time, path, headers) of
    every request. A context manager; `url(path)` is the address of a path."""

    def __init__(self, routes: dict[str, Callable]):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                import time

                with outer._lock:
                    outer.seen.append((time.monotonic(), self.path, dict(self.headers)))
                route = outer.routes.get(self.path.split("?")[0])
                try:
                    if route is None:
                        send(self, 404, b"not here", {"Content-Type": "text/plain"})
                    else:
                        route(self, self.path)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler hung up, as it does on a page over its limit

            def log_message(self, format, *args) -> None:  # noqa: A002 keep stderr quiet
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # a client hanging up midway is what some tests are about

        self.routes = routes
        self.seen: list[tuple[float, str, dict]] = []
        self._lock = threading.Lock()
        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def paths(self) -> list[str]:
        with self._lock:
            return [p for _, p, _ in self.seen]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes,
         headers: dict[str, str] | None = None, length: bool = True) -> None:
    """Write one whole answer; without `length` the body runs until the connection closes."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    else:
        handler.close_connection = True
        handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
