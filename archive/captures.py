"""Byte-exact captures: every HTTP response a crawl receives, with its headers, in gzipped WARC
files (warcio), one gzip member per record so any capture reads back from (file, offset).

The WARC file is flushed and fsynced before the rows that point into it are committed
(`WarcStore.sync`), so a row never names bytes that are not on disk. A record is written whole
or not at all: a write that fails (a full disk) is cut back to the end of the last complete
record, so every WARC file reads to its end. Never deletes a WARC file.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

MAX_WARC_BYTES = 1 << 30  # start a new file after 1 GiB, as most WARC tools expect


@dataclass(frozen=True)
class Capture:
    id: str  # the WARC-Record-ID of the response record
    url: str
    fetched_at: str
    status: int
    content_type: str | None
    digest: str  # "sha256:<hex>" of the payload (the body as received)
    length: int
    warc_file: str  # relative to the archive's folder
    offset: int
    crawl_id: int | None = None

    def row(self) -> dict:
        return dict(self.__dict__)


def payload_digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


class WarcStore:
    """Appends captures to `{folder}/{prefix}-{n:05d}.warc.gz` files."""

    def __init__(self, folder: Path, prefix: str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self._n = 0
        self._fd: int | None = None
        self._size = 0  # bytes of whole records in the open file
        self._name = ""

    def _open_next(self) -> None:
        self.close()
        while True:
            self._n += 1
            self._name = f"{self.prefix}-{self._n:05d}.warc.gz"
            if not (self.folder / self._name).exists():
                break
        self._fd = os.open(self.folder / self._name, os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                           0o644)
        self._size = os.lseek(self._fd, 0, os.SEEK_END)

    def _append(self, data: bytes) -> int:
        """Append `data` whole, or cut the file back to where it was and raise (OSError)."""
        start = self._size
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError:
            os.ftruncate(self._fd, start)  # frees, never needs, space: works on a full disk
            raise
        self._size = start + len(data)
        return start

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
              body: bytes, request_headers: list[tuple[str, str]], method: str,
              fetched_at: str, crawl_id: int | None = None) -> Capture:
        if self._fd is None or self._size > MAX_WARC_BYTES:
            self._open_next()
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        date = fetched_at.replace("+00:00", "Z")
        # Both records are made in memory (a page is at most XIETONG_PAGE_MAXSIZE) and then
        # appended in one piece, so a failed write leaves no half record behind.
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Record-ID": record_id, "WARC-Date": date},
        ))
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        writer.write_record(writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers,
                                          is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
        ))
        offset = self._append(buffer.getvalue())
        content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
        return Capture(id=record_id, url=url, fetched_at=fetched_at, status=status,
                       content_type=content_type, digest=payload_digest(body), length=len(body),
                       warc_file=self._name, offset=offset, crawl_id=crawl_id)

    def sync(self) -> None:
        """Make every record written so far durable (before rows naming them commit)."""
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None


@dataclass(frozen=True)
class CapturedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


def read_capture(folder: Path, warc_file: str, offset: int) -> CapturedResponse:
    """The response record at (file, offset), its payload exactly as received."""
    with open(Path(folder) / warc_file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response":
            raise ValueError(f"{warc_file}@{offset} is a {record.rec_type} record")
        # raw_stream: the payload as stored, not decoded, so digests match byte for byte
        body = record.raw_stream.read()
        headers = dict(record.http_headers.headers)
        return CapturedResponse(url=record.rec_headers.get_header("WARC-Target-URI"),
                                status=int(record.http_headers.get_statuscode()),
                                headers=headers, body=body)
