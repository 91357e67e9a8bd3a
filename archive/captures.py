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
import zlib
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


def read_capture(folder: Path, warc_file: str, offset: int,
                 limit: int | None = None) -> CapturedResponse:
    """The response record at (file, offset), its payload exactly as received (TooLarge past
    `limit` bytes, when one is given)."""
    with open(Path(folder) / warc_file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response":
            raise ValueError(f"{warc_file}@{offset} is a {record.rec_type} record")
        # raw_stream: the payload as stored, not decoded, so digests match byte for byte
        if limit is None:
            body = record.raw_stream.read()
        else:
            parts, size = [], 0
            while size <= limit and (part := record.raw_stream.read(min(1 << 20, limit + 1))):
                parts.append(part)
                size += len(part)
            if size > limit:
                raise TooLarge(f"{warc_file}@{offset} holds more than {limit} bytes")
            body = b"".join(parts)
        headers = dict(record.http_headers.headers)
        return CapturedResponse(url=record.rec_headers.get_header("WARC-Target-URI"),
                                status=int(record.http_headers.get_statuscode()),
                                headers=headers, body=body)


def capture_path(folder: Path, warc_file: str) -> Path | None:
    """The WARC file a captures row names, if it is a file inside the archive's WARC folder
    (a row from a tampered archive cannot point anywhere else)."""
    try:
        root = Path(folder).resolve()
        path = (root / warc_file).resolve()
    except (OSError, ValueError):
        return None
    if path.parent != root or not path.is_file():
        return None
    return path


def record_span(fh, offset: int, members: int = 1) -> int:
    """Where the `members` gzip members starting at `offset` end (one WARC record each: a
    capture is its response record and the request record after it)."""
    pos = offset
    for _ in range(members):
        fh.seek(pos)
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not inflate.eof:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            # max_length bounds memory: only the end of the member is wanted, not its bytes
            inflate.decompress(inflate.unconsumed_tail + chunk, 1 << 16)
            while inflate.unconsumed_tail and not inflate.eof:
                inflate.decompress(inflate.unconsumed_tail, 1 << 16)
        pos = fh.tell() - len(inflate.unused_data)
    return pos


class TooLarge(ValueError):
    """A payload that decodes to more than the caller allows."""


def decoded_payload(body: bytes, headers: dict[str, str], limit: int | None = None) -> bytes:
    """A payload as the server meant it: Content-Encoding (gzip, deflate, br) undone, never
    to more than `limit` bytes (TooLarge: a decompression bomb stops here)."""
    encoding = next((v for k, v in headers.items() if k.lower() == "content-encoding"), "")
    encoding = encoding.lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        inflate = zlib.decompressobj(wbits)
        out = inflate.decompress(body, (limit + 1) if limit else 0)
        if limit and (len(out) > limit or inflate.unconsumed_tail):
            raise TooLarge(f"decodes to more than {limit} bytes")
        return out
    if encoding == "br":
        import brotli  # Scrapy's own optional dependency: present when the site sent br

        out = brotli.decompress(body)
        if limit and len(out) > limit:
            raise TooLarge(f"decodes to more than {limit} bytes")
        return out
    return body
