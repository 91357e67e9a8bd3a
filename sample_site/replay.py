"""A loopback HTTP proxy that answers for people.cn hostnames from a SampleSite, so spiders run
unchanged (real URLs, Scrapy's ordinary proxy support) with no network.

It only ever binds 127.0.0.1 and never forwards a request anywhere: unknown URLs get a 404.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sample_site.site import SampleSite, normalize_key


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

    def _answer(self, send_body: bool) -> None:
        url = normalize_key(self._url())
        self.server.log_request_url(self.command, url)
        res = self.server.site.get(url)
        self.send_response(res.status)
        for name, value in res.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(res.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(res.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 keep stderr quiet
        pass


class _ReplayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: SampleSite, port: int):
        super().__init__(("127.0.0.1", port), _Handler)
        self.site = site
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def log_request_url(self, method: str, url: str) -> None:
        with self._lock:
            self.requests.append((method, url))


class ReplayServer:
    """Serve `site` on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, site: SampleSite, port: int = 0):
        self._httpd = _ReplayHTTPServer(site, port)
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
