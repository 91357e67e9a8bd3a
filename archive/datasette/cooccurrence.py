"""`/-/cooccurrence`: which people, organisations, documents and places are named together in
the same articles of a selection (the list's whole selection: archive/datasette/selection.py,
read through derived.py), with counts — for every pair, or, when the selection names an
`entity=` (its articles are those naming it), for that name's partners; `.csv` (BOM,
formula-safe) and `.json` export it.

Bounded: pairs are counted over at most SAMPLE articles of the selection (the newest), in one
statement under the SQL time limit; the page says how many were read. Read-only.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

from archive.datasette.derived import read_view, refusal, selection_record
from archive.datasette.entity_filter import KEY as ENTITY
from archive.datasette.selection import place_name
from archive.spreadsheet import spreadsheet_safe

SAMPLE = 2_000
ROWS = 200
KIND_LABELS = {"people": "人物 person", "organisations": "机构 organisation",
               "documents": "文件 document", "places": "地点 place"}
FIELDS = ["kind_a", "name_a", "kind_b", "name_b", "articles"]


def pairs_sql(where: str, focus: bool) -> str:
    """The pairs of names that share articles among the newest SAMPLE of the selection."""
    pair = ("x.name in (select value from json_each(:xt_focus)) and y.name not in "
            "(select value from json_each(:xt_focus))" if focus
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
    view = await read_view(datasette, request, (), needs=("article_entities", "article_places"),
                           missing="this archive has no entities yet: run `xietong reparse` on it")
    selection = view.selection
    focus = [value for spec, value in selection.extras if spec.key == ENTITY]
    # a place may be named by another spelling (通州 finds 通州区, as the filter does)
    names = list(dict.fromkeys(n for value in focus for n in (value, place_name(value)[0])))
    clauses, params = selection.where("a")
    where = " and ".join(clauses) or "1"
    sql = pairs_sql(where, bool(focus))
    error, rows, chosen = None, [], 0
    try:
        rows = [dict(r) for r in (await view.db.execute(
            sql, {**params, "xt_focus": json.dumps(names, ensure_ascii=False)})).rows]
        chosen = (await view.db.execute(
            f"select count(*) from (select 1 from articles a where {where} limit {SAMPLE})",
            params)).single_value()
    except QueryInterrupted:
        error = "统计超时 · counting took too long; narrow the selection"
    return view, focus, sql, rows, chosen, error


def _both(row: dict) -> list[tuple[str, str]]:
    """The list's filters for the articles naming both names of a pair (people, organisations,
    documents and places are columns of lists)."""
    return [(f"{row['kind_a']}__arraycontains", row["name_a"]),
            (f"{row['kind_b']}__arraycontains", row["name_b"])]


async def cooccurrence(datasette, request):
    view, focus, sql, rows, chosen, error = await _pairs(datasette, request)
    selection = view.selection
    others = [(k, v) for k, v in selection.pairs("q") if k != ENTITY]

    def focus_url(name: str) -> str:
        return datasette.urls.path("/-/cooccurrence") + "?" + urlencode(
            [*others, (ENTITY, name), *view.db_pair])

    context = {
        "database": view.database, "focus": ", ".join(focus), "rows": rows, "sample": SAMPLE,
        "chosen": chosen, "error": error, "sql": sql, "q": selection.search,
        "labels": KIND_LABELS, "selection": selection,
        "typed_from": view.typed("_from"), "typed_to": view.typed("_to"),
        "active": view.chips(datasette, "/-/cooccurrence"), "refused": view.refused,
        "hidden_pairs": [*((k, v) for k, v in selection.filter_pairs() if k != ENTITY),
                         *view.db_pair],
        "focus_url": focus_url,
        "timeline_url": view.link(datasette, "/-/timeline"),
        "list_url": view.list_link(datasette),
        "list_link": lambda row: view.list_link(datasette, _both(row)),
        "export": {fmt: view.link(datasette, f"/-/cooccurrence.{fmt}")
                   for fmt in ("csv", "json")},
    }
    return Response.html(await datasette.render_template(
        "xietong_cooccurrence.html", context, request=request))


async def cooccurrence_export(datasette, request):
    view, focus, sql, rows, chosen, error = await _pairs(datasette, request)
    refused = refusal(view.selection)
    if refused:
        return refused
    if error:
        return Response.text(error, status=503)
    if request.url_vars["format"] == "json":
        return Response(json.dumps({"entity": focus[0] if len(focus) == 1 else (focus or None),
                                    "selection": selection_record(view.selection),
                                    "articles_read": chosen, "pairs": rows},
                                   ensure_ascii=False, indent=1),
                        content_type="application/json; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(row[k]) for k in FIELDS})
    return Response("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition":
                             'attachment; filename="xietong-cooccurrence.csv"'})
