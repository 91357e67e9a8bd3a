"""A hostile site for the reliability tests: a loopback HTTP proxy (like sample_site's replay
server, whose pages it serves for everything else) that answers some people.cn URLs the way a
broken or malicious server would — a 60 MB page streamed with no length, a page announcing its
60 MB, a gzip bomb (1 GiB of zeros in 1 MB), an article with 200,000 links, a page that
dribbles, a 500, a body cut short. Every loop in it is bounded in bytes or seconds.

It binds 127.0.0.1 only and forwards nothing. Not a conftest: test modules import it.
"""

from __future__ import annotations

import copy
import threading
import time
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sample_site.site import SampleSite, normalize_key

MB = 1 << 20
ARTICLE = "http://he.people.com.cn/n2/2024/0301/c192235-{}.html"
HUGE = ARTICLE.format(49000001)  # 60 MB, streamed until the client hangs up
HUGE_DECLARED = ARTICLE.format(49000002)  # Content-Length: 60 MB
BOMB = ARTICLE.format(49000003)  # gzip: 1 MB on the wire, 1 GiB inflated
LINKS = ARTICLE.format(49000004)  # a real article with 200,000 in-text links
SLOW = ARTICLE.format(49000005)  # headers, then a byte every half second
ERROR = ARTICLE.format(49000006)  # 500 every time
TRUNCATED = ARTICLE.format(49000007)  # Content-Length 100 kB, 1 kB sent, then closed
HOSTILE = (HUGE, HUGE_DECLARED, BOMB, LINKS, SLOW, ERROR, TRUNCATED)
LINK_COUNT = 200_000


@cache
def gzip_bomb(size: int = 1 << 30) -> bytes:
    """`size` bytes of zeros, gzipped (about a thousandth of that)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(MB)
    parts = [z.compress(chunk) for _ in range(size // MB)]
    return b"".join(parts) + z.flush()


def hostile_site(site: SampleSite) -> SampleSite:
    """A copy of the sample site whose seed also links to every hostile URL; each of them is
    an article there too (so pages render their titles), answered by the hostile server."""
    site = copy.deepcopy(site)
    seed = site.articles[site.seed]
    for url in HOSTILE:
        spec = copy.deepcopy(seed)
        spec.update(url=url, related=[], recommended=[], title=f"京津冀 {url[-13:-5]}")
        spec.pop("_file", None)
        site.articles[url] = spec
    seed["related"] = [*seed["related"], *HOSTILE]
    site.put_article(seed)
    return site


def links_page(site: SampleSite) -> bytes:
    """The LINKS article as the sample site renders it, with 200,000 article links in its text."""
    html = site.get(LINKS).body.decode("utf-8")
    anchors = "".join(f'<a href="c192235-{40000000 + n}.html">{n}</a>' for n in range(LINK_COUNT))
    text = html.index("在北京城市副中心", html.index("rm_txt_con"))
    first = html.index("</p>", text)  # after the first body paragraph
    return (html[:first] + "</p><p>雄安新区 " + anchors + html[first:]).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: _HostileHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = normalize_key(self.path if self.path.startswith("http") else
                            f"http://{self.headers.get('Host')}{self.path}")
        self.server.seen.append(url)
        try:
            getattr(self, self.server.routes.get(url, "_sample"))(url)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up, as it should on a page over its limit

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _sample(self, url: str) -> None:
        res = self.server.site.get(url)
        self._head(res.status, {**res.headers, "Content-Length": str(len(res.body))})
        self.wfile.write(res.body)

    def _huge(self, url: str) -> None:  # no length: read until the server closes
        self.close_connection = True
        self._head(200, {"Content-Type": "text/html; charset=utf-8", "Connection": "close"})
        self.wfile.write(b"<html><body><p>")
        line = ("京津冀协同发展 雄安新区 " * 2000).encode("utf-8")
        for _ in range(60 * MB // len(line)):
            self.wfile.write(line)

    def _huge_declared(self, url: str) -> None:
        self.close_connection = True
        self._head(200, {"Content-Type": "text/html; charset=utf-8",
                         "Content-Length": str(60 * MB)})
        self.wfile.write(b"<html>" + b" " * MB)  # the crawler should not even wait for this

    def _bomb(self, url: str) -> None:
        body = gzip_bomb()
        self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                         "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _links(self, url: str) -> None:
        body = self.server.links_body
        self._head(200, {"Content-Type": "text/html; charset=utf-8",
                         "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _slow(self, url: str) -> None:
        self.close_connection = True
        self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": "100"})
        for _ in range(40):  # 20 s at most
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(0.5)

    def _error(self, url: str) -> None:
        body = b"<html><body>500 Internal Server Error</body></html>"
        self._head(500, {"Content-Type": "text/html", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _truncated(self, url: str) -> None:
        self.close_connection = True
        self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": "100000"})
        self.wfile.write(b"<html><body><p>" + b"x" * 1000)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 keep stderr quiet
        pass


class _HostileHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a crawler hanging up on a hostile page is the expected outcome, not news

    def __init__(self, site: SampleSite):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.seen: list[str] = []
        self.links_body = links_page(site)
        self.routes = {normalize_key(HUGE): "_huge", normalize_key(HUGE_DECLARED):
                       "_huge_declared", normalize_key(BOMB): "_bomb",
                       normalize_key(LINKS): "_links", normalize_key(SLOW): "_slow",
                       normalize_key(ERROR): "_error", normalize_key(TRUNCATED): "_truncated"}


class HostileServer:
    """The hostile site on 127.0.0.1 in a background thread; a context manager."""

    def __init__(self, site: SampleSite):
        self.site = hostile_site(site)
        self._httpd = _HostileHTTPServer(self.site)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def proxy_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def seen(self) -> list[str]:
        return list(self._httpd.seen)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
