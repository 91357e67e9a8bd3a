"""Atom output (`.atom`) for any query that returns the columns datasette-atom uses: atom_id,
atom_title, atom_updated, and optionally atom_published, atom_link, atom_related,
atom_author_name, atom_summary, atom_content, atom_content_html (cleaned with nh3 again) —
and for the articles list itself (`/<db>/articles.atom?…`), so a feed is the list's whole
selection: search, filters and date range, applied by the list's own machinery. The saved
search feeds with more than `q` are sent there. Entries keep the query's order. An empty
result is an empty feed, never an error.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlencode, urljoin
from xml.etree import ElementTree as ET

from datasette.utils import tilde_encode
from datasette.utils.asgi import Response

from archive.datasette.sanitize import clean_html, safe_url
from archive.datasette.selection import read_selection

ATOM = "http://www.w3.org/2005/Atom"
REQUIRED = {"atom_id", "atom_title", "atom_updated"}
ARTICLE_COLUMNS = {"id", "url", "title", "published_at"}  # the articles table as a feed
FEED_SIZE = "50"
CANNED_FEEDS = ("/new_articles.atom", "/search_feed.atom")
BEIJING = timezone(timedelta(hours=8))  # people.cn prints Beijing time without a zone


def can_render(columns, table=None) -> bool:
    return REQUIRED.issubset(columns) or (table == "articles" and ARTICLE_COLUMNS <= set(columns))


def selection_feed(path: str, pairs: list[tuple[str, str]]) -> str | None:
    """Where a canned feed asked for with more than its `q` is answered: the articles list's
    feed, which honours every filter and the date range (None: the canned feed will do)."""
    if not path.endswith(CANNED_FEEDS) or not pairs or (
            path.endswith("/search_feed.atom") and all(k == "q" for k, _ in pairs)):
        return None
    base = path.rsplit("/", 1)[0]
    carried = [("_search" if k == "q" else k, v) for k, v in pairs]
    return f"{base}/articles.atom?" + urlencode(
        [*carried, ("_sort_desc", "published_at"), ("_size", FEED_SIZE), ("_nofacet", "1")])


def rfc3339(value) -> str | None:
    """An Atom date from what the archive stores: ISO 8601, or a bare date (Beijing time)."""
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.isoformat()


def _xml_text(value) -> str:
    # XML 1.0 has no place for control characters; a stray one would make the feed unreadable.
    return "".join(c for c in str(value) if c >= " " or c in "\t\n\r")


def _add(parent, tag: str, text=None, **attrs):
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}",
                       {k: _xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _xml_text(text)
    return el


async def render(datasette, request, database, query_name, columns, rows, data, table=None):
    if not can_render(columns, table):
        return Response.text("this query does not return atom_id, atom_title and atom_updated",
                             status=400)
    title = "xietong 协同"
    if query_name:
        query = await datasette.get_canned_query(database, query_name, request.actor) or {}
        title = query.get("title") or query_name
    searched = request.args.get("q")
    if searched:
        title += f" · {searched}"
    if not REQUIRED.issubset(columns):  # the articles list: its rows as entries
        page = datasette.urls.table(database, "articles")
        selection = read_selection(request.args, set(columns))
        rows = [_article_entry(dict(zip(columns, row, strict=False)), page) for row in rows]
        columns = list(rows[0]) if rows else sorted(REQUIRED)
        rows = [list(r.values()) for r in rows]
        title = "文章 · Articles" + (f" — {selection.summary()}" if selection.summary() else "")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", request.url)
    _add(feed, "title", title)
    _add(feed, "link", rel="self", href=request.url)
    _add(feed, "generator", "xietong (Datasette)")
    entries = [_entry(request, dict(zip(columns, row, strict=False))) for row in rows]
    updated = [e["updated"] for e in entries if e["updated"]]
    _add(feed, "updated", max(updated) if updated else datetime.now(UTC).isoformat())
    for entry in entries:
        _write_entry(feed, entry)
    # A browser shows the feed through atom.xsl as a page; feed readers ignore the stylesheet.
    stylesheet = datasette.urls.path("/xietong-static/atom.xsl")
    body = ("<?xml version='1.0' encoding='utf-8'?>\n"
            f'<?xml-stylesheet type="text/xsl" href="{stylesheet}"?>\n'
            + ET.tostring(feed, encoding="unicode"))
    # Chromium shows application/atom+xml as source text and applies a stylesheet only to an
    # XML type: a browser (it asks for text/html) gets application/xml, a feed reader Atom's.
    browser = "text/html" in request.headers.get("accept", "")
    content_type = "application/xml" if browser else "application/atom+xml"
    return Response(body, content_type=f"{content_type}; charset=utf-8",
                    headers={"Vary": "Accept"})


def _article_entry(row: dict, page: str) -> dict:
    """An articles row in the feed's columns (the canned feeds' _FEED_COLUMNS)."""
    body = " ".join((row.get("body") or "").split())
    return {"atom_id": row.get("url"), "atom_title": row.get("title"),
            "atom_updated": row.get("published_at") or row.get("first_seen_at"),
            "atom_published": row.get("published_at"),
            "atom_link": f"{page}/{tilde_encode(str(row.get('id')))}",
            "atom_related": row.get("url"),
            "atom_author_name": row.get("source") or row.get("byline"),
            "atom_summary": body[:280]}


def _entry(request, row: dict) -> dict:
    def absolute(url):
        url = safe_url(url)
        return urljoin(request.url, url) if url else None

    return {
        "id": row["atom_id"],
        "title": row["atom_title"] or "",
        "updated": rfc3339(row["atom_updated"]),
        "published": rfc3339(row.get("atom_published")) if row.get("atom_published") else None,
        "link": absolute(row.get("atom_link")),
        "related": absolute(row.get("atom_related")),
        "author": row.get("atom_author_name"),
        "summary": row.get("atom_summary"),
        "content": row.get("atom_content"),
        "content_html": row.get("atom_content_html"),
    }


def _write_entry(feed, e: dict) -> None:
    entry = _add(feed, "entry")
    _add(entry, "id", e["id"])
    _add(entry, "title", e["title"])
    _add(entry, "updated", e["updated"] or datetime.now(UTC).isoformat())
    if e["published"]:
        _add(entry, "published", e["published"])
    if e["link"]:
        _add(entry, "link", rel="alternate", href=e["link"])
    if e["related"]:
        _add(entry, "link", rel="related", href=e["related"])
    if e["author"]:
        _add(_add(entry, "author"), "name", e["author"])
    if e["summary"]:
        _add(entry, "summary", e["summary"], type="text")
    if e["content_html"]:
        _add(entry, "content", str(clean_html(e["content_html"])), type="html")
    elif e["content"]:
        _add(entry, "content", e["content"], type="text")
