"""`/-/search?q=…`: one search over every searchable table of every database, ranked by bm25
with a title counting ten times the text, each hit with a highlighted excerpt. Query words go to
FTS5 only through escape_fts (archive/search.py); the page is built from escaped values.
Excerpts are cut in a worker thread, never on the server's event loop.
"""

from __future__ import annotations

import asyncio

from datasette.utils import escape_sqlite, tilde_encode
from datasette.utils.asgi import BadRequest, Response

from archive.datasette.excerpts import excerpt

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages cost an OFFSET scan each; 10,000 ranked hits is plenty
TITLE_WEIGHT = 10.0
META_COLUMNS = ("published_at", "source", "channel", "series")


async def searchable_tables(datasette, actor=None):
    """(database, table, fts_table, fts_pk) for every table with a search index that the actor
    may see."""
    found = []
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        hidden = set(await db.hidden_table_names())
        for table in await db.table_names():
            if table in hidden or not await datasette.permission_allowed(
                    actor, "view-table", resource=(name, table), default=True):
                continue
            meta = datasette.table_metadata(name, table)
            fts = meta.get("fts_table") or await db.fts_table(table)
            if fts:
                found.append((name, table, fts, meta.get("fts_pk", "rowid")))
    return found


async def _search_table(datasette, database, table, fts, fts_pk, q, page):
    db = datasette.get_database(database)
    fts_columns = await db.table_columns(fts)
    columns = await db.table_columns(table)
    weights = ", ".join(str(TITLE_WEIGHT if c == "title" else 1.0) for c in fts_columns)
    match = f"{escape_sqlite(fts)} match escape_fts(:q)"
    count = (await db.execute(f"select count(*) from {escape_sqlite(fts)} where {match}",
                              {"q": q})).single_value()
    rows = (await db.execute(
        f"select t.rowid as _rowid, t.*, bm25({escape_sqlite(fts)}, {weights}) as _rank "
        f"from {escape_sqlite(fts)} join {escape_sqlite(table)} t "
        f"on t.{escape_sqlite(fts_pk)} = {escape_sqlite(fts)}.rowid where {match} "
        f"order by _rank limit {PAGE_SIZE} offset {PAGE_SIZE * (page - 1)}", {"q": q})).rows
    label = datasette.table_metadata(database, table).get("label_column") or (
        "title" if "title" in columns else None)
    text_column = "body" if "body" in columns else next(
        (c for c in fts_columns if c in columns and c != label), None)
    pks = await db.primary_keys(table)

    def hits():  # in a thread: a long article's excerpt must not hold up other requests
        out = []
        for row in rows:
            key = (",".join(tilde_encode(str(row[pk])) for pk in pks) if pks
                   else str(row["_rowid"]))
            out.append({
                "url": datasette.urls.row(database, table, key),
                "title": excerpt(row[label], q, width=200) if label else key,
                "excerpt": excerpt(row[text_column], q) if text_column else "",
                "meta": [str(row[c])[:10] if c == "published_at" else row[c]
                         for c in META_COLUMNS if c in columns and row[c]],
            })
        return out

    return {"database": database, "table": table, "count": count,
            "hits": await asyncio.to_thread(hits),
            "label": datasette.table_metadata(database, table).get("title") or table,
            "table_url": datasette.urls.table(database, table)}


async def search_all(datasette, request):
    q = (request.args.get("q") or "").strip()
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        page = 1
    if not 1 <= page <= MAX_PAGE:
        raise BadRequest(f"page must be between 1 and {MAX_PAGE}")
    results = []
    if q:
        for database, table, fts, fts_pk in await searchable_tables(datasette, request.actor):
            results.append(await _search_table(datasette, database, table, fts, fts_pk, q, page))
    feeds = {name: datasette.urls.database(name) + "/search_feed.atom"
             for name in datasette.databases
             if name != "_internal"
             and await datasette.get_canned_query(name, "search_feed", request.actor)}
    return Response.html(await datasette.render_template(
        "xietong_search.html",
        {"q": q, "page": page, "page_size": PAGE_SIZE, "results": results, "feeds": feeds},
        request=request,
    ))
