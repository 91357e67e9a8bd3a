"""`/-/search?q=…`: one search over every searchable table of every database, ranked by bm25
with a title counting ten times the text, each hit with a highlighted excerpt. The articles
table also takes the list's selection (channel=…, published_at__startswith=…, _from, _to …),
so "rank by relevance" keeps the filters. Query words go to FTS5 only as a parameter built by
archive.search; the page is built from escaped values.
Excerpts are cut in a worker thread, never on the server's event loop.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils import escape_sqlite, tilde_encode
from datasette.utils.asgi import BadRequest, Response

from archive.datasette.cells import list_values
from archive.datasette.excerpts import excerpt
from archive.datasette.selection import Selection, read_selection
from archive.datasette.urls import series_url
from archive.search import fts_query, understood_query

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages cost an OFFSET scan each; 10,000 ranked hits is plenty
TITLE_WEIGHT = 10.0
ENTRY_COLUMNS = ("published_at", "source", "channel", "series", "places", "reprint_of")


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
            if fts and meta.get("search_all", True):  # `search_all: false`: its own search only
                found.append((name, table, fts, meta.get("fts_pk", "rowid")))
    return found


async def _search_table(datasette, selection: Selection, database, table, fts, fts_pk, q,
                        page):
    db = datasette.get_database(database)
    fts_columns = await db.table_columns(fts)
    columns = await db.table_columns(table)
    weights = ", ".join(str(TITLE_WEIGHT if c == "title" else 1.0) for c in fts_columns)
    f, t = escape_sqlite(fts), escape_sqlite(table)
    where, params = [f"{f} match :q"], {"q": fts_query(q)}
    if table == "articles":
        # The list's filters; the search itself is the match above.
        clauses, extra = selection.where("a", searches=[], qualify=True)
        where += clauses
        params.update(extra)
    joined = f"from {f} join {t} a on a.{escape_sqlite(fts_pk)} = {f}.rowid " \
             f"where {' and '.join(where)}"
    try:
        count = (await db.execute(f"select count(*) {joined}", params)).single_value()
        rows = (await db.execute(
            f"select a.rowid as _rowid, a.*, bm25({f}, {weights}) as _rank {joined} "
            f"order by _rank limit {PAGE_SIZE} offset {PAGE_SIZE * (page - 1)}", params)).rows
    except QueryInterrupted:
        return {"database": database, "table": table, "count": None, "hits": [],
                "timed_out": True, "label": table, "table_url": datasette.urls.table(
                    database, table)}
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
            keys = set(row.keys())
            value = {c: row[c] for c in ENTRY_COLUMNS if c in keys}
            reprint = value.get("reprint_of")
            out.append({
                "url": datasette.urls.row(database, table, key) + "?" + urlencode({"q": q}),
                "title": excerpt(row[label], q, width=200) if label else key,
                "excerpt": excerpt(row[text_column], q, 160) if text_column else "",
                "date": value.get("published_at"), "channel": value.get("channel"),
                "source": value.get("source"), "series": value.get("series"),
                "series_url": series_url(datasette, database, value["series"])
                if value.get("series") else None,
                "places": list_values(value.get("places")),
                "reprint_url": datasette.urls.row(database, table, tilde_encode(str(reprint)))
                if reprint else None,
            })
        return out

    articles = table == "articles"
    table_url = (selection.link(datasette.urls.table(database, table)) if articles
                 else datasette.urls.table(database, table) + "?" + urlencode({"_search": q}))
    return {"database": database, "table": table, "count": count,
            "hits": await asyncio.to_thread(hits),
            "label": datasette.table_metadata(database, table).get("title") or table,
            "table_url": table_url,
            "export": {name: selection.link(f"{datasette.urls.database(database)}/-/export.{fmt}",
                                            "q", extra=[("_rank", "1"), *full])
                       for name, fmt, full in (("csv", "csv", []), ("json", "json", []),
                                               ("csv_full", "csv", [("_full", "1")]))}
            if articles else None,
            "feed": selection.link(datasette.urls.table(database, table) + ".atom",
                                   extra=[("_sort_desc", "published_at"), ("_nofacet", "1")])
            if articles else None,
            "timeline": selection.link(datasette.urls.path("/-/timeline"), "q",
                                       extra=[("db", database)]) if articles else None,
            "concordance": selection.link(datasette.urls.path("/-/concordance"), "q",
                                          extra=[("db", database)]) if articles else None}


async def search_all(datasette, request):
    try:
        page = int(request.args.get("page") or 1)
    except ValueError:
        page = 1
    if not 1 <= page <= MAX_PAGE:
        raise BadRequest(f"page must be between 1 and {MAX_PAGE}")
    selection = await _selection(datasette, request)
    q = selection.search
    results = []
    if q:
        for database, table, fts, fts_pk in await searchable_tables(datasette, request.actor):
            results.append(await _search_table(datasette, selection, database, table, fts,
                                               fts_pk, q, page))
    understood = understood_query(q)
    base = datasette.urls.path("/-/search")
    reading = understood.reading()
    return Response.html(await datasette.render_template(
        "xietong_search.html",
        {"q": q, "page": page, "page_size": PAGE_SIZE, "results": results,
         "additions": [(t.typed, t.added, t.sources) for t in understood.terms if t.added],
         "excluded": [alt.text() for alt in understood.excluded],
         "reading": reading if q and reading != " ".join(q.split()) else None,
         "notes": understood.notes,
         "active": selection.chips(base, "q", searches=True),
         "refused": selection.problems,
         "hidden_pairs": [p for p in selection.pairs("q") if p[0] != "q"],
         "next_url": selection.link(base, "q", extra=[("page", str(page + 1))]),
         "bare_url": base + "?" + urlencode({"q": q})},
        request=request,
    ))


async def _selection(datasette, request) -> Selection:
    """The list's selection as the ranked search reads it (`q` is the search), against the
    articles table of the first database that has one."""
    for name, db in datasette.databases.items():
        if name != "_internal" and await db.table_exists("articles"):
            return read_selection(request.args, set(await db.table_columns("articles")), "q",
                                  tables=set(await db.table_names()), own=("page",))
    return read_selection(request.args, set(), "q", own=("page",))
