"""`/<database>/-/export.csv` and `.json`: the articles a list or a ranked search shows, every
one of them (the list's whole selection, archive/datasette/selection.py), in columns a
researcher can open — id, url, title, date, source, channel, series, places, topics, excerpt,
reprint_of — and with `_full=1` the full record too: pre-title, subtitle, byline, reporters,
editors, photos' captions and the text. CSV is UTF-8 with a BOM (Excel then reads the Chinese),
joins lists with "; " and never starts a cell with a formula character; JSON has real arrays.

Bounded: at most EXPORT_LIMIT articles, fetched in batches of BATCH, each batch read and
formatted in Datasette's SQL thread under the SQL time limit; memory holds the article ids
and one batch. Read-only.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import AsgiStream, Response

from archive.datasette.cells import list_values
from archive.datasette.excerpts import excerpt
from archive.datasette.selection import read_selection
from archive.schema import json_list
from archive.search import SEARCH_TABLE, fts_query
from archive.spreadsheet import spreadsheet_safe

EXPORT_LIMIT = 100_000
BATCH = 500
FIELDS = ["id", "url", "title", "date", "source", "channel", "series", "places", "topics",
          "excerpt", "reprint_of"]
# The full record (`_full=1`): what a reader needs to quote an article without opening it.
FULL_FIELDS = ["pre_title", "subtitle", "byline", "authors", "editors", "photos", "text"]
_SOURCE = {"date": "published_at", "text": "body", "photos": "images"}  # field → column
LISTS = {"places", "topics", "authors", "editors", "photos"}
EXCERPT_WIDTH = 200
FILENAME_SEARCH = 40  # characters of the search in the download's file name
TITLE_WEIGHT = 10.0


def _caption(image: dict) -> str:
    """A photo as its caption (and credit), or its address when it has no caption."""
    text = (image.get("caption") or "").strip() or (image.get("src") or "")
    credit = (image.get("credit") or "").strip()
    return f"{text}（{credit}）" if credit else text


async def export(datasette, request):
    database = request.url_vars["database"]
    fmt = request.url_vars["format"]
    if database not in datasette.databases or database == "_internal":
        return Response.text("no such database", status=404)
    if not await datasette.permission_allowed(request.actor, "view-table",
                                              resource=(database, "articles"), default=True):
        return Response.text("forbidden", status=403)
    db = datasette.get_database(database)
    if not await db.table_exists("articles"):
        return Response.text("this database has no articles table", status=404)
    search_arg = "q" if "q" in request.args else "_search"
    columns = set(await db.table_columns("articles"))
    selection = read_selection(request.args, columns, search_arg,
                               tables=set(await db.table_names()))
    if selection.problems:
        return Response.text("; ".join(f"{p.field}={p.typed}: {p.message}"
                                       for p in selection.problems), status=400)
    search = selection.search
    ranked = bool(search) and request.args.get("_rank") == "1"
    full = request.args.get("_full") == "1"
    fields = FIELDS + FULL_FIELDS if full else FIELDS
    clauses, params = selection.where("a", searches=[] if ranked else None, qualify=ranked)
    if ranked:  # bm25 needs the MATCH on the joined search table itself
        clauses.append(f"{SEARCH_TABLE} match :xt_q")
        params["xt_q"] = fts_query(search)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    if ranked:
        sql = (f"select a.rowid from {SEARCH_TABLE} join articles a on a.rowid = "
               f"{SEARCH_TABLE}.rowid{where} order by bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, 1)"
               f" limit {EXPORT_LIMIT}")
    else:
        sql = (f"select a.rowid from articles a{where} "
               f"order by a.published_at desc, a.id limit {EXPORT_LIMIT}")
    try:
        rowids = [r[0] for r in (await db.execute(sql, params, truncate=False)).rows]
    except QueryInterrupted:
        return Response.text("the selection took too long; narrow it down", status=503)
    limit_ms = datasette.setting("sql_time_limit_ms")
    wanted = [c for c in ("id", "url", "title", "published_at", "source", "channel",
                          "series", "places", "topics", "body", "reprint_of",
                          *((_SOURCE.get(f, f) for f in FULL_FIELDS) if full else ()))
              if c in columns]

    def batch_rows(conn, ids: list[int]) -> list[dict]:
        with sqlite_timelimit(conn, limit_ms):
            cursor = conn.execute(
                f"select rowid, {', '.join(wanted)} from articles "
                f"where rowid in ({', '.join('?' * len(ids))})", ids)
            found = {r[0]: dict(zip(wanted, r[1:], strict=True)) for r in cursor.fetchall()}
        out = []
        for rowid in ids:
            row = found.get(rowid)
            if row is None:
                continue
            record = {}
            for field in fields:
                value = row.get(_SOURCE.get(field, field))
                if field == "photos":
                    value = [_caption(i) for i in json_list(value) if isinstance(i, dict)]
                elif field in LISTS:
                    value = list_values(value)
                elif field == "date" and value:
                    value = str(value)[:16].replace("T", " ")
                elif field == "excerpt":
                    value = excerpt(row.get("body"), search, EXCERPT_WIDTH).striptags()
                record[field] = value
            out.append(record)
        return out

    def csv_text(records: list[dict], header: bool) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields)
        if header:
            writer.writeheader()
        for record in records:
            writer.writerow({k: spreadsheet_safe("; ".join(v) if isinstance(v, list) else v)
                             for k, v in record.items()})
        return buffer.getvalue()

    def json_text(records: list[dict], first: bool) -> str:
        return "".join(("" if first and i == 0 else ",\n")
                       + json.dumps(r, ensure_ascii=False) for i, r in enumerate(records))

    async def stream(writer):
        await writer.write("\ufeff" + csv_text([], True) if fmt == "csv" else "[\n")
        first = True
        for start in range(0, len(rowids), BATCH):
            ids = rowids[start:start + BATCH]

            def work(conn, ids=ids, first=first):
                records = batch_rows(conn, ids)
                return csv_text(records, False) if fmt == "csv" else json_text(records, first)

            try:
                chunk = await db.execute_fn(work)
            except Exception:  # a batch over the time limit ends the file where it is
                break
            if chunk:
                await writer.write(chunk)
                first = False
        if fmt == "json":
            await writer.write("\n]\n")

    # A header, so bounded: the search's first words name the file, not all of it.
    name = ("xietong-articles" + (f"-{search[:FILENAME_SEARCH]}" if search else "")
            + ("-full" if full else ""))
    filename = f"{name}.{fmt}"
    headers = {
        "content-disposition": f"attachment; filename=\"xietong-articles.{fmt}\"; "
                               f"filename*=UTF-8''{quote(filename)}",
        "x-xietong-articles": str(len(rowids)),
        # What was exported, in the header a script can read (RFC 8187-style UTF-8 escape).
        "x-xietong-selection": quote(selection.summary() or "all articles"),
    }
    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/json; charset=utf-8")
    return AsgiStream(stream, headers=headers, content_type=content_type)
