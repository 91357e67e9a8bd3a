"""A loopback HTTP proxy that answers for people.cn hostnames from a SampleSite, so spiders run
unchanged (real URLs, Scrapy's ordinary proxy support) with no network.

It only ever binds 127.0.0.1 and never forwards a request anywhere: unknown URLs get a 404.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sample_site.site import Resource, SampleSite, normalize_key


@dataclass(frozen=True)
class Exchange:
    """One request answered: when (monotonic seconds), what, and the status sent."""

    at: float
    method: str
    url: str
    status: int
    conditional: bool  # it carried If-None-Match or If-Modified-Since
    user_agent: str


class _Handler(BaseHTTPRequestHandler):
    server: _ReplayHTTPServer
    protocol_version = "HTTP/1.1"

    def _url(self) -> str:
        # A proxy request carries the absolute URL; a direct one only the path (use Host).
        if self.path.startswith(("http://", "https://")):
            return self.path
        host = self.headers.get("Host", "localhost")
        return f"http://{host}{self.path}"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802 (the search API)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(send_body=True, post_body=body)

    def _answer(self, send_body: bool, post_body: bytes | None = None) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)  # a slow site, so tests can stop a crawl midway
        url = normalize_key(self._url())
        self.server.log_request_url(self.command, url)
        site = self.server.site
        res = site.get(url) if post_body is None else site.post(url, post_body)
        res = _conditional(res, self.headers)
        self.server.log_exchange(self.command, url, res.status, self.headers)
        self.send_response(res.status)
        for name, value in res.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(res.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(res.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 keep stderr quiet
        pass


def _conditional(res: Resource, headers) -> Resource:
    """Give every 200 an ETag, and answer a request that already has these bytes with 304
    (If-None-Match first; If-Modified-Since only without it, as RFC 9110 says)."""
    if res.status != 200:
        return res
    etag = '"' + hashlib.sha256(res.body).hexdigest()[:20] + '"'
    res = Resource(res.status, {**res.headers, "ETag": etag}, res.body)
    keep = {k: v for k, v in res.headers.items() if k in ("ETag", "Last-Modified")}
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        if etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*":
            return Resource(304, keep)
        return res
    since, modified = headers.get("If-Modified-Since"), res.headers.get("Last-Modified")
    if since and modified:
        try:
            if parsedate_to_datetime(modified) <= parsedate_to_datetime(since):
                return Resource(304, keep)
        except (TypeError, ValueError):
            pass
    return res


class _ReplayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: SampleSite, port: int, latency: float = 0.0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.site = site
        self.latency = latency
        self.requests: list[tuple[str, str]] = []
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def handle_error(self, request, client_address) -> None:
        # A client that stops reading midway (Scrapy past a download size limit) is no error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def log_request_url(self, method: str, url: str) -> None:
        with self._lock:
            self.requests.append((method, url))

    def log_exchange(self, method: str, url: str, status: int, headers) -> None:
        conditional = bool(headers.get("If-None-Match") or headers.get("If-Modified-Since"))
        with self._lock:
            self.exchanges.append(Exchange(time.monotonic(), method, url, status, conditional,
                                           headers.get("User-Agent", "")))


class ReplayServer:
    """Serve `site` on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, site: SampleSite, port: int = 0, latency: float = 0.0):
        self._httpd = _ReplayHTTPServer(site, port, latency)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def site(self) -> SampleSite:
        return self._httpd.site

    @property
    def proxy_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, URL) of every request answered so far, in order."""
        return list(self._httpd.requests)

    @property
    def exchanges(self) -> list[Exchange]:
        """Every request answered so far with its time and status, in order."""
        return list(self._httpd.exchanges)

    def fetched_paths(self) -> list[str]:
        return [urlsplit(u).path for _, u in self.requests]

    def start(self) -> ReplayServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
