"""Citations, served: the article page's "引用 · cite" block and Highwire `citation_*` meta tags
(Zotero's connector saves the page in one click), and downloads — `/<db>/-/cite/<id>.<fmt>` for
one article and `/<db>/-/cite.<fmt>` for the list's selection (query + filters), as RIS, BibTeX,
CSL-JSON or GB/T 7714 text. Every citation names the article's permanent archived address
(its id is host + content id, which no reparse or migration changes) and when it was captured.

Read-only. Bounded: a selection cites at most CITE_LIMIT articles, read in batches of BATCH,
formatted off the event loop.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

from datasette.database import QueryInterrupted
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import AsgiStream, Response

from archive import citations
from archive.citations import Cited
from archive.datasette.selection import read_selection
from archive.datasette.urls import article_url

CITE_LIMIT = 10_000
BATCH = 500
FORMATS = {
    # extension: (label, content type, formatter of a batch)
    "ris": ("RIS", "application/x-research-info-systems; charset=utf-8", citations.ris),
    "bib": ("BibTeX", "application/x-bibtex; charset=utf-8", citations.bibtex),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", None),
    "txt": ("GB/T 7714", "text/plain; charset=utf-8",
            lambda items: "".join(citations.gbt7714(c) + "\n" for c in items)),
}
ROW_COLUMNS = ("id", "url", "title", "published_at", "authors", "site", "channel", "source",
               "language", "print_edition", "print_date", "print_page", "capture_ids")


def archived_url(datasette, request, database: str, article_id: str) -> str:
    """The article's permanent address on this server, absolute (as the request reached it)."""
    return datasette.absolute_url(request, article_url(datasette, database, article_id))


def _first_capture(row: dict) -> str | None:
    try:
        ids = json.loads(row.get("capture_ids") or "[]")
    except ValueError:
        return None
    return ids[0] if isinstance(ids, list) and ids and isinstance(ids[0], str) else None


def _cited_rows(conn, columns: set[str], where: str, params) -> list[dict]:
    """Rows of `articles` (the columns this archive has) with their first capture's time."""
    wanted = [c for c in ROW_COLUMNS if c in columns]
    cursor = conn.execute(f"select rowid, {', '.join(wanted)} from articles where {where}",
                          params)
    rows = [dict(zip(["_rowid", *wanted], r, strict=True)) for r in cursor.fetchall()]
    captures = [c for c in (_first_capture(r) for r in rows) if c]
    times = {}
    has_captures = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = 'captures'").fetchone()
    if captures and has_captures:
        times = dict(conn.execute(
            f"select id, fetched_at from captures where id in ({', '.join('?' * len(captures))})",
            captures).fetchall())
    for row in rows:
        row["captured_at"] = times.get(_first_capture(row))
    return rows


def _cited(datasette, request, database: str, rows: list[dict]) -> list[Cited]:
    return [Cited(r, archived_url(datasette, request, database, r["id"]), r["captured_at"])
            for r in rows]


def _format(fmt: str, items: list[Cited], first: bool) -> str:
    if fmt == "json":  # one JSON array across batches
        return "".join(("" if first and i == 0 else ",\n")
                       + json.dumps(citations.csl_item(c), ensure_ascii=False)
                       for i, c in enumerate(items))
    text = FORMATS[fmt][2](items)
    return text if first or not text else ("\n" if fmt == "ris" else "") + text


async def _articles_db(datasette, request, database: str):
    if database not in datasette.databases or database == "_internal":
        return None, Response.text("no such database", status=404)
    if not await datasette.permission_allowed(request.actor, "view-table",
                                              resource=(database, "articles"), default=True):
        return None, Response.text("forbidden", status=403)
    db = datasette.get_database(database)
    if not await db.table_exists("articles"):
        return None, Response.text("this database has no articles table", status=404)
    return db, None


def _download(fmt: str, name: str, count: int, stream) -> AsgiStream:
    filename = f"{name}.{fmt}"
    headers = {"content-disposition": f"attachment; filename=\"xietong-citations.{fmt}\"; "
                                      f"filename*=UTF-8''{quote(filename)}",
               "x-xietong-citations": str(count)}
    return AsgiStream(stream, headers=headers, content_type=FORMATS[fmt][1])


async def cite_one(datasette, request):
    """`/<database>/-/cite/<article id>.<fmt>`: one article's citation as a file."""
    database, fmt = request.url_vars["database"], request.url_vars["format"]
    db, refused = await _articles_db(datasette, request, database)
    if refused:
        return refused
    article_id = tilde_decode(request.url_vars["article_id"])
    columns = set(await db.table_columns("articles"))
    rows = await db.execute_fn(lambda conn: _cited_rows(conn, columns, "id = ?", [article_id]))
    if not rows:
        return Response.text("no such article", status=404)
    text = await asyncio.to_thread(_format, fmt, _cited(datasette, request, database, rows), True)

    async def stream(writer):
        await writer.write("[\n" + text + "\n]\n" if fmt == "json" else text)

    return _download(fmt, f"xietong-{article_id}", 1, stream)


async def selected_rowids(datasette, database: str, request, limit: int) -> list[int]:
    """The rowids of the articles the list shows for this request — its query (`_search`, or
    `q` as the ranked search passes it) and filters, read by the list's own selection
    (archive/datasette/selection.py) — newest first, at most `limit`. The one place this
    module reads a selection. A value the selection refuses is a ValueError with its message."""
    db = datasette.get_database(database)
    search_arg = "q" if "q" in request.args else "_search"
    selection = read_selection(request.args, set(await db.table_columns("articles")),
                               search_arg, tables=set(await db.table_names()))
    if selection.problems:
        raise ValueError("; ".join(f"{p.field}={p.typed}: {p.message}"
                                   for p in selection.problems))
    clauses, params = selection.where("a")
    where = (" where " + " and ".join(clauses)) if clauses else ""
    result = await db.execute(
        f"select a.rowid from articles a{where} order by a.published_at desc, a.id "
        f"limit {int(limit)}", params, truncate=False)
    return [r[0] for r in result.rows]


async def cite_selection(datasette, request):
    """`/<database>/-/cite.<fmt>?<the list's query and filters>`: every selected article's
    citation in one file (at most CITE_LIMIT; the header x-xietong-citations says how many)."""
    database, fmt = request.url_vars["database"], request.url_vars["format"]
    db, refused = await _articles_db(datasette, request, database)
    if refused:
        return refused
    try:
        rowids = await selected_rowids(datasette, database, request, CITE_LIMIT)
    except QueryInterrupted:
        return Response.text("the selection took too long; narrow it down", status=503)
    except ValueError as e:
        return Response.text(str(e), status=400)
    columns = set(await db.table_columns("articles"))

    async def stream(writer):
        if fmt == "json":
            await writer.write("[\n")
        first = True
        for start in range(0, len(rowids), BATCH):
            ids = rowids[start:start + BATCH]
            try:
                rows = await db.execute_fn(lambda conn, ids=ids: _cited_rows(
                    conn, columns, f"rowid in ({', '.join('?' * len(ids))})", ids))
            except Exception:  # a batch over the time limit ends the file where it is
                break
            order = {rowid: i for i, rowid in enumerate(ids)}
            rows.sort(key=lambda r, order=order: order.get(r.get("_rowid"), 0))
            text = await asyncio.to_thread(_format, fmt,
                                           _cited(datasette, request, database, rows), first)
            if text:
                await writer.write(text)
                first = False
        if fmt == "json":
            await writer.write("\n]\n")

    search = (request.args.get("q") or request.args.get("_search") or "").strip()
    return _download(fmt, "xietong-citations" + (f"-{search}" if search else ""), len(rowids),
                     stream)


def meta_tags(row: dict, cited: Cited) -> list[tuple[str, str]]:
    """Highwire Press `citation_*` tags (what Zotero's connector and Google Scholar read), and
    PRISM's aggregation type, by which Zotero files the page as a newspaper article."""
    item = citations.csl_item(cited)
    issued = item.get("issued", {}).get("date-parts", [None])[0]
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", a["literal"]) for a in item.get("author", [])]
    if issued:
        tags += [("citation_date", "{:04d}/{:02d}/{:02d}".format(*issued)),
                 ("citation_publication_date", "{:04d}/{:02d}/{:02d}".format(*issued))]
    tags += [("citation_publisher", item["publisher"]),
             ("prism.publicationName", item["container-title"]),
             ("prism.aggregationtype", "newsletter"),
             ("citation_language", item["language"])]
    if item.get("section"):
        tags.append(("prism.section", item["section"]))
    if item.get(citations.CSL_URL):
        tags.append(("citation_public_url", item[citations.CSL_URL]))
    tags.append(("citation_fulltext_html_url", cited.archived_url))
    if issued and item.get("page"):
        tags.append(("citation_firstpage", item["page"]))
    return [(name, value) for name, value in tags if value]


async def article_cite_context(datasette, request, database: str, row: dict) -> dict:
    """What the article page shows in its cite block and puts in its <head>."""
    db = datasette.get_database(database)
    columns = set(row)
    rows = await db.execute_fn(lambda conn: _cited_rows(conn, columns, "id = ?", [row["id"]]))
    if not rows:
        return {}
    cited = _cited(datasette, request, database, rows)[0]
    base = f"{datasette.urls.database(database)}/-/cite/{tilde_encode(row['id'])}"
    gbt, bib, ris = await asyncio.to_thread(
        lambda: (citations.gbt7714(cited), citations.bibtex([cited]), citations.ris([cited])))
    return {
        "permalink": cited.archived_url,
        "captured_at": cited.captured_at,
        "gbt7714": gbt,
        "bibtex": bib,
        "ris": ris,
        "meta": meta_tags(row, cited),
        "downloads": [{"label": FORMATS[f][0], "url": f"{base}.{f}", "format": f}
                      for f in FORMATS],
    }


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/cite/(?P<article_id>[^/]+)\.(?P<format>ris|bib|json|txt)$",
     cite_one),
    (r"^/(?P<database>[^/]+)/-/cite\.(?P<format>ris|bib|json|txt)$", cite_selection),
]
