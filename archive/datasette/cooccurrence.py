"""`/-/cooccurrence`: which people, organisations, documents and places are named together in
the same articles of a selection (the list's query and filters), with counts — for every pair,
or for the partners of one `entity=`; `.csv` (BOM, formula-safe) and `.json` export it.

Bounded: pairs are counted over at most SAMPLE articles of the selection (the newest), in one
statement under the SQL time limit; the page says how many were read. Read-only.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import BadRequest, Response

from archive.datasette import selected
from archive.datasette.export import spreadsheet_safe

SAMPLE = 2_000
ROWS = 200
KIND_LABELS = {"people": "人物 person", "organisations": "机构 organisation",
               "documents": "文件 document", "places": "地点 place"}
FIELDS = ["kind_a", "name_a", "kind_b", "name_b", "articles"]


def pairs_sql(where: str, focus: bool) -> str:
    """The pairs of names that share articles among the newest SAMPLE of the selection."""
    pair = ("x.name = :xt_focus and (y.kind, y.name) != (x.kind, x.name)" if focus
            else "(x.kind, x.name) < (y.kind, y.name)")
    return (
        f"with chosen as materialized (select a.id from articles a where {where}\n"
        f"  order by a.published_at desc limit {SAMPLE}),\n"
        "named as materialized (select distinct article_id, kind, name from article_entities\n"
        "  where article_id in (select id from chosen)\n"
        "  union select article_id, 'places', place from article_places\n"
        "  where article_id in (select id from chosen))\n"
        "select x.kind as kind_a, x.name as name_a, y.kind as kind_b, y.name as name_b,\n"
        "  count(*) as articles\n"
        "from named x join named y on y.article_id = x.article_id and " + pair + "\n"
        f"group by 1, 2, 3, 4 order by articles desc, 2, 4 limit {ROWS}")


async def _pairs(datasette, request):
    database = selected.default_database(datasette, request)
    if database is None or not await selected.has_tables(
            datasette, database, "articles", "article_entities", "article_places"):
        raise BadRequest("this archive has no entities yet: run `xietong reparse` on it")
    if not await datasette.permission_allowed(request.actor, "view-table",
                                              resource=(database, "articles"), default=True):
        raise BadRequest("the articles of this archive are not shown to you")
    focus = (request.args.get("entity") or "").strip()
    clauses, params, _ = await selected.selection(datasette, database, request)
    if focus:  # the entity is the pairs' focus here, not a filter of the articles
        clauses = [c for c in clauses if ":xt_entity" not in c]
    where = " and ".join(clauses) or "1"
    sql = pairs_sql(where, bool(focus))
    db = datasette.get_database(database)
    error, rows, chosen = None, [], 0
    try:
        rows = [dict(r) for r in (await db.execute(sql, {**params, "xt_focus": focus})).rows]
        chosen = (await db.execute(
            f"select count(*) from (select 1 from articles a where {where} limit {SAMPLE})",
            params)).single_value()
    except QueryInterrupted:
        error = "统计超时 · counting took too long; narrow the selection"
    return database, focus, sql, rows, chosen, error


def _list_link(datasette, database: str, row: dict) -> str:
    column = {"places": "places"}.get(row["kind_a"], row["kind_a"])
    other = {"places": "places"}.get(row["kind_b"], row["kind_b"])
    pairs = [(f"{column}__arraycontains", row["name_a"])]
    if other == column:
        return datasette.urls.table(database, "articles") + "?" + urlencode(
            pairs + [("_search", f'"{row["name_b"]}"')])
    return datasette.urls.table(database, "articles") + "?" + urlencode(
        pairs + [(f"{other}__arraycontains", row["name_b"])])


async def cooccurrence(datasette, request):
    database, focus, sql, rows, chosen, error = await _pairs(datasette, request)
    carried = [p for p in selected.carried(request) if p[0] != "entity"]
    q = (request.args.get("q") or "").strip()

    def focus_url(name: str) -> str:
        return datasette.urls.path("/-/cooccurrence") + "?" + urlencode(
            [("q", q)] * bool(q) + carried + [("entity", name)])

    context = {
        "database": database, "focus": focus, "rows": rows, "sample": SAMPLE, "chosen": chosen,
        "error": error, "sql": sql, "q": q, "labels": KIND_LABELS,
        "active": selected.chips(datasette, request), "hidden_pairs": carried,
        "focus_url": focus_url,
        "timeline_url": lambda name: datasette.urls.path("/-/timeline") + "?" + urlencode(
            {"entity": name}),
        "list_link": lambda row: _list_link(datasette, database, row),
        "export": {fmt: datasette.urls.path(f"/-/cooccurrence.{fmt}") + "?" + urlencode(
            [("q", q)] * bool(q) + carried + [("entity", focus)] * bool(focus))
            for fmt in ("csv", "json")},
    }
    return Response.html(await datasette.render_template(
        "xietong_cooccurrence.html", context, request=request))


async def cooccurrence_export(datasette, request):
    database, focus, sql, rows, chosen, error = await _pairs(datasette, request)
    if error:
        return Response.text(error, status=503)
    if request.url_vars["format"] == "json":
        return Response(json.dumps({"entity": focus or None, "articles_read": chosen,
                                    "pairs": rows}, ensure_ascii=False, indent=1),
                        content_type="application/json; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(row[k]) for k in FIELDS})
    return Response("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition":
                             'attachment; filename="xietong-cooccurrence.csv"'})
