"""An archived article as a page: the captures of its pages (every version) and of what those
pages need to be seen as captured — photos, stylesheets, images and what the stylesheets pull in
(peoplecn/requisites.py reads them from the captured bytes themselves, so nothing about
requisites is stored besides their captures). Also the latest capture of each photo, for the
article page, and the captures' WARC records copied verbatim into one stream.

Read-only over a sqlite3 connection (or a sqlite_utils.Database: the same `execute`). Never
fetches anything. Reads are capped: a page or stylesheet is read only to the requisite limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.captures import capture_path, decoded_payload, read_capture, record_span
from archive.schema import json_list
from peoplecn.requisites import (
    article_requisites,
    page_requisites,
    stylesheet_requisites,
)

COLUMNS = "id, url, fetched_at, status, content_type, digest, length, warc_file, offset"
READ_LIMIT = 16 << 20  # a page or stylesheet larger than this is not parsed for requisites
STYLESHEET_DEPTH = 2  # as the crawler: a page's stylesheet, and one it imports


@dataclass(frozen=True)
class CaptureRow:
    id: str
    url: str
    fetched_at: str
    status: int
    content_type: str | None
    digest: str
    length: int
    warc_file: str
    offset: int

    @property
    def uuid(self) -> str:
        """The record id without its `<urn:uuid:…>` wrapping, as our routes name it."""
        return self.id.removeprefix("<urn:uuid:").removesuffix(">")

    @property
    def timestamp(self) -> str:
        """14-digit WARC/Memento timestamp (YYYYMMDDhhmmss) of the fetch."""
        return "".join(c for c in self.fetched_at if c.isdigit())[:14]


def _rows(conn, sql: str, params) -> list[CaptureRow]:
    return [CaptureRow(*r) for r in conn.execute(sql, params).fetchall()]


def capture_by_uuid(conn, uuid: str) -> CaptureRow | None:
    rows = _rows(conn, f"select {COLUMNS} from captures where id = ?", [f"<urn:uuid:{uuid}>"])
    return rows[0] if rows else None


def latest_captures(conn, urls: list[str]) -> dict[str, CaptureRow]:
    """The latest 200 capture of each URL that has one."""
    out: dict[str, CaptureRow] = {}
    for start in range(0, len(urls), 500):  # SQLite's variable limit
        chunk = urls[start:start + 500]
        for row in _rows(conn, f"select {COLUMNS} from captures where status = 200 and url in "
                               f"({','.join('?' * len(chunk))}) order by fetched_at", chunk):
            out[row.url] = row  # ordered by time: the last one wins
    return out


def article_pages(conn, article_id: str) -> tuple[dict, list[str]] | None:
    """(article row: id, url, title, images, capture_ids; its page URLs in order), or None."""
    found = conn.execute("select id, url, title, images, capture_ids from articles where id = ?",
                         [article_id]).fetchone()
    if found is None:
        return None
    article = dict(zip(("id", "url", "title", "images", "capture_ids"), found, strict=True))
    ids = json_list(article["capture_ids"])
    urls = [article["url"]]
    if ids:
        by_id = {r[0]: r[1] for r in conn.execute(
            f"select id, url from captures where id in ({','.join('?' * len(ids))})", ids)}
        urls += [by_id[i] for i in ids if i in by_id and by_id[i] not in urls]
    return article, urls


def page_versions(conn, page_urls: list[str]) -> list[CaptureRow]:
    """Every 200 capture of the article's pages, oldest first (the capture calendar)."""
    if not page_urls:
        return []
    return _rows(conn, f"select {COLUMNS} from captures where status = 200 and url in "
                       f"({','.join('?' * len(page_urls))}) order by fetched_at, url", page_urls)


def photo_urls(article: dict) -> list[str]:
    return [i["src"] for i in json_list(article.get("images"))
            if isinstance(i, dict) and isinstance(i.get("src"), str)]


def _payload(folder: Path, cap: CaptureRow) -> bytes | None:
    """A capture's body, decoded, if it is small enough to parse here."""
    if cap.length > READ_LIMIT:
        return None
    try:
        res = read_capture(folder, cap.warc_file, cap.offset)
        return decoded_payload(res.body, res.headers, READ_LIMIT)
    except (OSError, ValueError, EOFError):
        return None


def requisite_captures(conn, folder: Path, article: dict,
                       pages: list[CaptureRow]) -> list[CaptureRow]:
    """The latest capture of every requisite the article's captured pages name (any version),
    stylesheets followed to what they pull in. Requisites never captured are left out."""
    found = []
    for cap in pages:
        body = _payload(folder, cap)
        if body is not None:
            found.append(page_requisites(cap.url, body))
    wanted = article_requisites(photo_urls(article), found, page_assets=True, per_page=10_000)
    out: dict[str, CaptureRow] = {}
    for depth in range(STYLESHEET_DEPTH + 1):
        captured = latest_captures(conn, [r.url for r in wanted if r.url not in out])
        out.update(captured)
        wanted = []
        for url, cap in captured.items():
            if depth < STYLESHEET_DEPTH and "css" in (cap.content_type or "").lower():
                body = _payload(folder, cap)
                wanted += stylesheet_requisites(url, body) if body is not None else []
        if not wanted:
            break
    return list(out.values())


def article_captures(conn, folder: Path, article_id: str) -> tuple[dict, list[CaptureRow],
                                                                     list[CaptureRow]] | None:
    """(article, its page captures oldest first, the requisite captures), or None."""
    found = article_pages(conn, article_id)
    if found is None:
        return None
    article, urls = found
    pages = page_versions(conn, urls)
    return article, pages, requisite_captures(conn, folder, article, pages)


def record_spans(folder: Path, caps: list[CaptureRow]) -> list[tuple[Path, int, int]]:
    """(file, start, end) of the WARC records (response, then its request) of each capture:
    copied in order they make a valid .warc.gz of their own. Captures whose file is missing,
    unreadable or outside the WARC folder are left out."""
    spans = []
    for cap in caps:
        path = capture_path(folder, cap.warc_file)
        if path is None:
            continue
        try:
            with open(path, "rb") as fh:
                spans.append((path, cap.offset, record_span(fh, cap.offset, members=2)))
        except (OSError, zlib.error):
            continue
    return spans


def span_chunks(spans: list[tuple[Path, int, int]], chunk: int = 1 << 16) -> Iterator[bytes]:
    """The bytes of `spans`, in order, streamed in chunks."""
    for path, start, end in spans:
        with open(path, "rb") as fh:
            fh.seek(start)
            left = end - start
            while left > 0:
                data = fh.read(min(chunk, left))
                if not data:
                    return  # the file shrank under us: stop rather than send a bad length
                left -= len(data)
                yield data
