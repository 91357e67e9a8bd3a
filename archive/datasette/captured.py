"""The archive's captures, served: a capture's bytes from its WARC (photos and styles, with safe
headers), the article page's photos pointed at them, and the "原貌 · as captured" page — the
captured page with its captured images and styles, replayed by ReplayWeb.page (vendored, see
replayweb.py) from a WARC of the article's captures that we stream, with a capture calendar.

Read-only. Never serves captured HTML as HTML from our own routes (ReplayWeb.page replays it in
its own frame); a bad id, a missing file or a tampered row is a 404, never a 500.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import logging
import re
from itertools import groupby
from pathlib import Path
from urllib.parse import quote, urlencode

import lxml.html
from datasette.utils.asgi import Response

from archive.captures import capture_path, decoded_payload, read_capture
from archive.datasette import replayweb
from archive.datasette.sanitize import clean_html, safe_url
from archive.datasette.urls import article_url
from archive.page_captures import (
    CaptureRow,
    article_captures,
    article_pages,
    capture_by_uuid,
    latest_captures,
    page_versions,
    photo_urls,
    record_spans,
    span_chunks,
)
from archive.writer import warc_folder

logger = logging.getLogger(__name__)

MAX_SERVED_BYTES = 32 << 20  # a capture larger than this is not served from our route
# Types served as themselves; anything else (captured HTML included) is a download.
SERVED_TYPES = re.compile(r"^(image/[a-z0-9.+-]+|text/css|font/[a-z0-9.+-]+)$")
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # No scripts, no plugins, nothing loaded by what we serve (an SVG included).
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                               "sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}
UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
TS_RE = re.compile(r"^\d{14}$")
NOT_ARCHIVED = "图片未存档 · photo not archived ↗"


def not_found(message: str = "Not found") -> Response:
    return Response.text(message, status=404, headers={"X-Content-Type-Options": "nosniff"})


def capture_route(datasette, database: str, cap: CaptureRow) -> str:
    return datasette.urls.path(f"/-/capture/{quote(database, safe='')}/{cap.uuid}")


def as_captured_route(datasette, database: str, article_id: str, ts: str | None = None) -> str:
    path = f"/-/as-captured/{quote(database, safe='')}/{quote(article_id, safe='')}"
    return datasette.urls.path(path) + (f"?{urlencode({'ts': ts})}" if ts else "")


def _database(datasette, name: str):
    try:
        db = datasette.get_database(name)
    except KeyError:
        return None
    return db if db.path else None


# -- a capture's bytes ----------------------------------------------------------------------
def _served(folder: Path, cap: CaptureRow) -> tuple[bytes, str] | None:
    path = capture_path(folder, cap.warc_file)
    if path is None or cap.length > MAX_SERVED_BYTES:
        return None
    res = read_capture(folder, path.name, cap.offset, limit=MAX_SERVED_BYTES)
    body = decoded_payload(res.body, res.headers, MAX_SERVED_BYTES)
    content_type = next((v for k, v in res.headers.items() if k.lower() == "content-type"), "")
    return body, content_type


async def capture(request, datasette):
    """`/-/capture/<database>/<uuid>`: a capture's payload with its captured content type."""
    db = _database(datasette, request.url_vars["database"])
    if db is None:
        return not_found()
    uuid = request.url_vars["uuid"].lower()
    try:
        cap = await db.execute_fn(lambda conn: capture_by_uuid(conn, uuid))
        if cap is None:
            return not_found()
        served = await asyncio.to_thread(_served, warc_folder(db.path), cap)
    except Exception as e:  # a missing file or table, a corrupt or oversized record: a 404
        logger.warning("capture %s not served: %r", uuid, e)
        return not_found()
    if served is None:
        return not_found()
    body, captured_type = served
    mime = captured_type.split(";")[0].strip().lower()
    headers = {**SAFE_HEADERS, "Cache-Control": "public, max-age=31536000, immutable"}
    original = safe_url(cap.url)
    if original:
        headers["Link"] = f'<{quote(original, safe=":/?&=%#~+,;@!$")}>; rel="original"'
    if SERVED_TYPES.match(mime):
        content_type = captured_type.strip()
    else:
        content_type = "application/octet-stream"
        headers["Content-Disposition"] = f'attachment; filename="capture-{cap.uuid}"'
    return Response(body, status=200, headers=headers, content_type=content_type)


# -- the article page -------------------------------------------------------------------------
async def photo_captures(datasette, database: str, row: dict) -> dict[str, str]:
    """Photo URL → our route to its latest capture, for the article's photos that have one."""
    db = _database(datasette, database)
    urls = photo_urls(row)
    if db is None or not urls or "captures" not in await db.table_names():
        return {}
    found = await db.execute_fn(lambda conn: latest_captures(conn, urls))
    return {url: capture_route(datasette, database, cap) for url, cap in found.items()}


def rewrite_photos(html, photos: dict[str, str]):
    """Cleaned body HTML with each photo served from the archive and linked to its original;
    a photo never archived becomes a link to it (no request leaves our server). Cleaned again
    with nh3 last, so nothing here can add markup that was not allowed."""
    if not html:
        return html
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    for img in list(root.iter("img")):
        original = img.get("src") or ""
        inside_link = any(a.tag == "a" for a in img.iterancestors())
        if original in photos:
            img.set("src", photos[original])
            if not inside_link:
                link = lxml.html.Element("a", href=original, title="原图 · original photo")
                img.addprevious(link)
                link.append(img)  # moves the photo (and its tail) into the link
                link.tail, img.tail = img.tail, None
            continue
        note = lxml.html.Element("a", href=original, title="原图 · original photo")
        note.text = NOT_ARCHIVED
        note.tail = img.tail
        img.getparent().replace(img, note)
    inner = (root.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in root)
    return clean_html(inner)


async def article_captures_context(datasette, database: str, row: dict, context: dict,
                                   photos: dict[str, str]) -> dict:
    """What the article page adds for its captures: the photos listed apart from the body
    served from the archive (`photos`: original URL → our route, from photo_captures; the
    body's own photos are rewritten before it is built), and the link to the page as captured
    (when its pages were captured)."""
    for image in context.get("images") or []:
        image["archived"] = photos.get(image.get("src") or "")
    db = _database(datasette, database)
    versions = []
    if db is not None and "captures" in await db.table_names():
        versions = await db.execute_fn(lambda conn: page_versions(conn, [row["url"]]))
    context["as_captured"] = (as_captured_route(datasette, database, row["id"])
                              if versions else None)
    context["captures_count"] = len(versions)
    return context


# -- the page as captured -------------------------------------------------------------------
def capture_calendar(versions: list[CaptureRow], selected: str | None) -> list[dict]:
    """Months with captures of page 1, each a grid of weeks; a day lists its captures, each
    marked when its bytes differ from the capture before (a new version)."""
    previous = None
    marked = []
    for cap in versions:
        marked.append({"ts": cap.timestamp, "time": cap.fetched_at[11:16],
                       "changed": previous is not None and cap.digest != previous,
                       "selected": cap.timestamp == selected})
        previous = cap.digest
    months = []
    for (year, month), caps in groupby(marked, key=lambda c: (int(c["ts"][:4]),
                                                              int(c["ts"][4:6]))):
        by_day: dict[int, list[dict]] = {}
        for c in caps:
            by_day.setdefault(int(c["ts"][6:8]), []).append(c)
        weeks = [[{"day": d, "captures": by_day.get(d, [])} for d in week]
                 for week in calendar.Calendar().monthdayscalendar(year, month)]
        months.append({"label": f"{year}-{month:02d}", "weeks": weeks})
    return months


async def as_captured(request, datasette):
    """`/-/as-captured/<database>/<article id>`: the captured page, replayed, with its
    capture calendar (`?ts=YYYYMMDDhhmmss` picks a capture)."""
    database = request.url_vars["database"]
    article_id = request.url_vars["article_id"]
    db = _database(datasette, database)
    if db is None or "captures" not in await db.table_names():
        return not_found()
    try:
        found = await db.execute_fn(lambda conn: article_pages(conn, article_id))
    except Exception as e:  # an archive from before captures: nothing to replay
        logger.warning("as-captured %s: %r", article_id, e)
        return not_found()
    if found is None:
        return not_found("No such article")
    article, pages = found
    versions = await db.execute_fn(lambda conn: page_versions(conn, [article["url"]]))
    if not versions:
        return not_found("This article has no capture of its page")
    every = await db.execute_fn(lambda conn: page_versions(conn, pages))
    ts = request.args.get("ts") or ""
    selected = ts if TS_RE.match(ts) and any(v.timestamp == ts for v in versions) \
        else versions[-1].timestamp
    # The WARC's address changes with its captures, so a browser never replays a stale copy.
    stamp = hashlib.sha256("".join(c.id for c in every).encode()).hexdigest()[:12]
    source = datasette.urls.path(
        f"/-/as-captured/{quote(database, safe='')}/{quote(article_id, safe='')}.warc.gz"
        f"?v={stamp}")
    context = {
        "database": database,
        "article": article,
        "article_link": article_url(datasette, database, article["id"]),
        "original": safe_url(article["url"]),
        "selected": selected,
        "selected_at": next(v.fetched_at for v in versions if v.timestamp == selected),
        "months": capture_calendar(versions, selected),
        "count": len(versions),
        "calendar_link": as_captured_route(datasette, database, article_id),
        "replay_ready": replayweb.installed(),
        "replay_base": datasette.urls.path("/-/replay/"),
        "source": source,
    }
    html = await datasette.render_template("xietong_as_captured.html", context, request=request)
    return Response.html(html)


class StreamedBytes(Response):
    """A response of known length whose body is read chunk by chunk from a blocking iterator
    (files), so memory stays bounded whatever its size. HEAD gets the headers alone."""

    def __init__(self, chunks, length: int, headers: dict, content_type: str, head: bool):
        super().__init__(b"", status=200, headers=headers, content_type=content_type)
        self.chunks, self.length, self.head = chunks, length, head

    async def asgi_send(self, send):
        headers = [[k.lower().encode(), v.encode()] for k, v in self.headers.items()]
        headers += [[b"content-type", self.content_type.encode()],
                    [b"content-length", str(self.length).encode()]]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        iterator = iter(() if self.head else self.chunks)
        while (chunk := await asyncio.to_thread(next, iterator, None)) is not None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


async def as_captured_warc(request, datasette):
    """`/-/as-captured/<database>/<article id>.warc.gz`: the article's page captures (every
    version) and requisite captures, their WARC records copied byte for byte, streamed. Its
    length is sent first: ReplayWeb.page reads it before it loads the file."""
    db = _database(datasette, request.url_vars["database"])
    if db is None:
        return not_found()
    folder = warc_folder(db.path)
    article_id = request.url_vars["article_id"]
    try:
        found = await db.execute_fn(lambda conn: article_captures(conn, folder, article_id))
    except Exception as e:
        logger.warning("as-captured WARC %s: %r", article_id, e)
        return not_found()
    if found is None or not found[1]:
        return not_found()
    _, pages, requisites = found
    spans = await asyncio.to_thread(record_spans, folder, [*pages, *requisites])
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600",
               "Content-Disposition": f'attachment; filename="{quote(article_id)}.warc.gz"'}
    return StreamedBytes(span_chunks(spans), sum(end - start for _, start, end in spans),
                         headers, "application/warc", head=request.method == "HEAD")


# -- ReplayWeb.page's own files --------------------------------------------------------------
INDEX_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>ReplayWeb.page</title>
<script src="./ui.js"></script></head>
<body><replay-app-main></replay-app-main></body></html>
"""


async def replay_file(request, datasette):
    """`/-/replay/…`: the vendored ui.js and sw.js (the service worker's scope is /-/replay/),
    and the page its frame loads before the service worker answers."""
    name = request.url_vars.get("file") or ""
    if name in ("", "index.html"):
        return Response.html(INDEX_HTML, headers={"X-Content-Type-Options": "nosniff"})
    path = replayweb.FOLDER / name
    if name not in ("ui.js", "sw.js") or not path.is_file():
        return not_found("ReplayWeb.page is not installed: run `python3 tasks.py demo` (it "
                         "downloads it from the npm registry)")
    body = await asyncio.to_thread(path.read_bytes)
    return Response(body, headers={"X-Content-Type-Options": "nosniff",
                                   "Cache-Control": "public, max-age=86400"},
                    content_type="application/javascript; charset=utf-8")


ROUTES = [
    (rf"^/-/capture/(?P<database>[^/]+)/(?P<uuid>{UUID_RE})$", capture),
    (r"^/-/as-captured/(?P<database>[^/]+)/(?P<article_id>[^/]+)\.warc\.gz$", as_captured_warc),
    (r"^/-/as-captured/(?P<database>[^/]+)/(?P<article_id>[^/]+)$", as_captured),
    (r"^/-/replay/(?P<file>(ui\.js|sw\.js|index\.html)?)$", replay_file),
    # Anything else under our prefixes is a 404 (ReplayWeb.page asks /-/replay/w/… of the
    # server until its service worker answers; Datasette would take such paths for a table).
    (r"^/-/(capture|as-captured|replay)/.*$", lambda: not_found()),
]
