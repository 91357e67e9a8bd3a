"""A downloader middleware that hands every response, as received (before decompression,
redirects and retries act on it), to the crawl's writer (runtime/services.py) for a byte-exact
WARC capture.

It drops credentials from the stored request headers and never changes the response.
"""

from __future__ import annotations

from http import HTTPStatus

from runtime.services import services

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
    def __init__(self, writer, stats):
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(services(crawler).writer, crawler.stats)

    def process_response(self, request, response):
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        cap = self.writer.capture(
            response.url, response.status, reason, _pairs(response.headers, HOP_HEADERS),
            response.body, _pairs(request.headers, SECRET_HEADERS), request.method,
        )
        self.stats.inc_value("xietong/captures")
        request.meta["capture_id"] = cap.id
        return response
