"""The capture middleware (runtime/capture.py) in a real crawl over 127.0.0.1: every response is
kept in the WARC as it came off the wire — compressed bytes compressed, chunking undone and its
header dropped, credentials never stored — and a capture that cannot be written stops the run.
"""

from __future__ import annotations

import gzip

import sqlite_utils
from crawler_kit import (
    FetchSpider,
    LocalServer,
    close_spider,
    crawler_for,
    open_spider,
    response_for,
    run_crawl,
    send,
)
from warcio.archiveiterator import ArchiveIterator

from runtime.capture import CaptureMiddleware
from runtime.services import ArchiveWriterService

PAGE = b"<html><body><p>" + "京津冀协同发展".encode() * 200 + b"</p></body></html>"
GZIPPED = gzip.compress(PAGE)
SECRETS = {"Authorization": "Basic c2VjcmV0", "Cookie": "session=secret",
           "Proxy-Authorization": "Basic c2VjcmV0"}


def _gzipped(handler, path):
    send(handler, 200, GZIPPED, {"Content-Type": "text/html; charset=utf-8",
                                 "Content-Encoding": "gzip"})


def _chunked(handler, path):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for start in range(0, len(PAGE), 1000):
        part = PAGE[start:start + 1000]
        handler.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


def warc_records(archive) -> dict[str, dict]:
    """URL → {"response": (http headers, payload), "request": headers} from the archive's WARCs."""
    found: dict[str, dict] = {}
    for path in sorted((archive.parent / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                url = record.rec_headers.get_header("WARC-Target-URI")
                entry = found.setdefault(url, {})
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                if record.rec_type == "response":
                    entry["response"] = (headers, record.raw_stream.read())
                    entry["id"] = record.rec_headers.get_header("WARC-Record-ID")
                elif record.rec_type == "request":
                    entry["request"] = headers
    return found


def test_every_response_is_captured_as_sent_without_credentials(tmp_path):
    archive = tmp_path / "archive.db"
    with LocalServer({"/gzipped": _gzipped, "/chunked": _chunked}) as server:
        crawler = run_crawl(archive, FetchSpider, requests=[
            (server.url("/gzipped"), {"headers": SECRETS}), server.url("/chunked")])
    received = {r.url: r for r in crawler.spider.received}
    assert received[server.url("/gzipped")].body == PAGE  # decompressed for the spider …
    records = warc_records(archive)
    headers, payload = records[server.url("/gzipped")]["response"]
    assert payload == GZIPPED and headers["content-encoding"] == "gzip"  # … kept as sent
    request = records[server.url("/gzipped")]["request"]
    assert request["user-agent"].startswith("xietong/")
    assert not {k.lower() for k in SECRETS} & set(request)
    headers, payload = records[server.url("/chunked")]["response"]
    assert payload == PAGE and "transfer-encoding" not in headers
    assert server.url("/robots.txt") in records  # robots.txt is a response like any other
    captures = {r["url"]: r for r in sqlite_utils.Database(archive)["captures"].rows}
    for url, response in received.items():
        assert response.meta["capture_id"] == captures[url]["id"] == records[url]["id"]
        assert captures[url]["status"] == 200
    assert crawler.stats.get_value("xietong/captures") == 3


def test_a_hop_by_hop_header_is_not_kept_so_readers_do_not_unchunk_twice(tmp_path):
    # Twisted's HTTP client drops Transfer-Encoding itself; another download handler need not.
    archive = tmp_path / "archive.db"
    crawler = crawler_for(archive)
    open_spider(crawler)
    url = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"
    response = response_for(url, body=PAGE, headers={"Transfer-Encoding": "chunked",
                                                     "Content-Type": "text/html"})
    assert CaptureMiddleware.from_crawler(crawler).process_response(
        response.request, response) is response
    close_spider(crawler)
    headers, payload = warc_records(archive)[url]["response"]
    assert payload == PAGE and headers == {"content-type": "text/html"}


class FullDisk(ArchiveWriterService):
    """The archive writer on a disk that just filled up."""

    def capture(self, *args, **kwargs):
        raise OSError(28, "No space left on device")


def test_a_capture_that_cannot_be_written_stops_the_run_and_the_page_is_not_read(tmp_path):
    with LocalServer({f"/p{n}": _gzipped for n in range(5)}) as server:
        crawler = run_crawl(tmp_path / "archive.db", FetchSpider,
                            settings={"XIETONG_WRITER": FullDisk, "ROBOTSTXT_OBEY": False},
                            requests=[server.url(f"/p{n}") for n in range(5)])
    assert crawler.spider.received == []  # nothing is read that is not kept
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "write_failed"
    assert stats["xietong/write_failed"].startswith(f"capture of {server.url('/p')}")
    assert "No space left on device" in stats["xietong/write_failed"]
    assert stats.get("xietong/captures") is None
