"""A downloader middleware that hands every response, as received (before decompression,
redirects and retries act on it), to the crawl's writer (runtime/services.py) for a byte-exact
WARC capture.

It drops credentials from the stored request headers and never changes the response. A capture
that cannot be written (a full disk) stops the run (runtime/services.py write_failed) and the
response is dropped: nothing is read that is not kept.
"""

from __future__ import annotations

from http import HTTPStatus

from scrapy.exceptions import IgnoreRequest

from runtime.services import WRITE_ERRORS, services, write_failed

SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie"}
# Scrapy has already removed the chunking; keeping the header would make WARC readers
# de-chunk the stored body a second time.
HOP_HEADERS = {"transfer-encoding"}


def _pairs(headers, drop: set[str]) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        if key.lower() in drop:
            continue
        out.extend((key, v.decode("latin-1")) for v in values)
    return out


class CaptureMiddleware:
    def __init__(self, writer, crawler):
        self.writer = writer
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(services(crawler).writer, crawler)

    def process_response(self, request, response):
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        try:
            cap = self.writer.capture(
                response.url, response.status, reason, _pairs(response.headers, HOP_HEADERS),
                response.body, _pairs(request.headers, SECRET_HEADERS), request.method,
            )
        except WRITE_ERRORS as e:
            write_failed(self.crawler, e, f"capture of {response.url}")
            raise IgnoreRequest(f"not captured: {e}") from None
        self.stats.inc_value("xietong/captures")
        request.meta["capture_id"] = cap.id
        return response
