"""Time views: `/-/timeline` counts articles per month — all of them, or those matching up to
MAX_SEARCHES searches side by side (?q=雄安&q=通州) as counts and as a share of all articles
that month — within the list's whole selection (source, channel, series, place, topic, date
range …: archive/datasette/selection.py), on an axis with every month from the first to the
last (empty ones as zeros). Each bar opens the list of its articles with the same selection.
`/-/timeline.csv` and `.json` export the numbers: per month and search, matching articles, all
articles (of the selection without the search) and their share.

The bar charts' geometry is computed here and drawn by templates/xietong_chart.html: an SVG
made on the server for wide screens, and a list of horizontal bars for phones.
Bounded: a search is counted through the FTS index (`rowid in (… match …)`), totals through the
published_at index, each under Datasette's SQL time limit; at most MAX_MONTHS months are drawn.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote, urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

from archive.datasette.derived import (
    DerivedView,
    read_view,
    refusal,
    selection_record,
    typed_date,
    understood,
)
from archive.datasette.selection import Selection
from archive.spreadsheet import spreadsheet_safe

MAX_SEARCHES = 4
MAX_MONTHS = 600  # fifty years
COLOURS = ["#2d6da3", "#d0632b", "#3a9a5b", "#8e5cb5"]
MONTH_SQL = "substr(a.published_at, 1, 7)"
VALID_MONTH = "a.published_at glob '[12][0-9][0-9][0-9]-[01][0-9]*'"
EXPORT_COLUMNS = ["month", "query", "matching", "all_articles", "share"]
PLACEHOLDERS = ["雄安", "通州", "天津港", "冬奥"]


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last, both included (at most MAX_MONTHS)."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while len(out) < MAX_MONTHS:
        month = f"{y:04d}-{m:02d}"
        if month > last:
            break
        out.append(month)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def bar_chart(months: list[str], series: list[dict], width: int = 1240, height: int = 180,
              percent: bool = False) -> dict:
    """Geometry of a grouped bar chart: one slot per month, one bar per series in it, and the
    same numbers as rows of horizontal bars (`rows`, for narrow screens).
    `series`: [{label, colour, values: {month: number}, href: {month: url}}]."""
    left, bottom = 44, 34
    top_value = max([v for s in series for v in s["values"].values()] + [0]) or 1
    slot = (width - left - 6) / max(1, len(months))
    bar = max(1.0, slot * 0.82 / max(1, len(series)))
    bars, labels = [], []
    every = 1 if len(months) <= 24 else (3 if len(months) <= 48 else 12)
    for i, month in enumerate(months):
        x0 = left + i * slot
        for k, s in enumerate(series):
            value = s["values"].get(month, 0)
            h = round(value / top_value * height, 1)
            bars.append({"x": round(x0 + slot * 0.09 + k * bar, 1), "y": round(10 + height - h, 1),
                         "w": round(bar, 1), "h": h, "colour": s["colour"],
                         "href": s["href"].get(month),
                         "title": f"{month} {s['label']}: {_shown(value, percent)}"})
        if (every == 1 or (every == 12 and month.endswith("-01"))
                or (every == 3 and int(month[5:7]) % 3 == 1)) or i == 0:
            labels.append({"x": round(x0 + slot / 2, 1),
                           "text": month if every < 12 else month[:4]})
    return {"width": width, "height": height + 10 + bottom, "axis_y": 10 + height,
            "left": left, "bars": bars, "labels": labels, "top": _shown(top_value, percent),
            "legend": [{"label": s["label"], "colour": s["colour"]} for s in series],
            "rows": bar_rows(months, series, top_value, percent)}


def _shown(value, percent: bool) -> str:
    return f"{value:.1f} %" if percent else f"{value:,}"


def bar_rows(months: list[str], series: list[dict], top_value, percent: bool) -> list[dict]:
    """One row per month with a bar per series, its width a share of the largest value; a run
    of months where every series is zero is one row ("2008-02 – 2013-05: 0")."""
    rows: list[dict] = []
    for month in months:
        values = [s["values"].get(month, 0) for s in series]
        if not any(values):
            if rows and rows[-1]["empty"]:
                rows[-1]["last"] = month
            else:
                rows.append({"month": month, "last": month, "empty": True, "bars": []})
            continue
        rows.append({"month": month, "last": month, "empty": False, "bars": [
            {"width": round(100 * v / top_value, 1), "shown": _shown(v, percent),
             "colour": s["colour"], "href": s["href"].get(month) if v else None,
             "label": s["label"]} for s, v in zip(series, values, strict=True)]})
    return rows


async def _month_counts(db, selection: Selection, search: str | None) -> dict[str, int]:
    clauses, params = selection.where("a", searches=[search] if search else [])
    rows = await db.execute(
        f"select {MONTH_SQL} as month, count(*) as n from articles a "
        f"where {' and '.join([VALID_MONTH, *clauses])} group by month", params)
    return {r["month"]: r["n"] for r in rows.rows}


async def timeline(datasette, request):
    fmt = request.url_vars.get("format")
    view = await read_view(datasette, request, (), max_searches=MAX_SEARCHES)
    db, selection = view.db, view.selection
    if fmt and selection.dropped_searches:
        return Response.text(f"at most {MAX_SEARCHES} searches (q): "
                             + ", ".join(selection.dropped_searches) + " not counted",
                             status=400)
    refused = refusal(selection) if fmt else None
    if refused:
        return refused
    searches = selection.searches
    error = None
    try:
        totals = await _month_counts(db, selection, None)
        counts = [await _month_counts(db, selection, q) for q in searches]
    except QueryInterrupted:
        totals, counts, error = {}, [], "统计超时 · counting took too long; narrow the selection"
        if fmt:
            return Response.text(error, status=503)
    months = months_between(min(totals), max(totals)) if totals else []
    if fmt:
        return _export(fmt, selection, months, totals, counts)
    return Response.html(await datasette.render_template(
        "xietong_timeline.html", _page(datasette, view, months, totals, counts, error),
        request=request))


def _page(datasette, view: DerivedView, months: list[str], totals: dict, counts: list[dict],
          error: str | None) -> dict:
    database, selection, db_pair = view.database, view.selection, view.db_pair
    searches = selection.searches
    articles = datasette.urls.table(database, "articles")
    base = datasette.urls.path("/-/timeline")

    def list_url(month: str | None, q: str | None, year: str | None = None) -> str:
        extra = [("_search", q)] if q else []
        extra += [("published_month", month)] if month else []
        extra += [("published_at__startswith", year)] if year else []
        return selection.link(articles, searches=False, extra=extra)

    if searches:
        series = [{"label": q, "colour": COLOURS[i], "values": c,
                   "href": {m: list_url(m, q) for m in c}}
                  for i, (q, c) in enumerate(zip(searches, counts, strict=True))]
        shares = [{**s, "values": {m: 100 * n / totals[m] for m, n in s["values"].items()
                                   if totals.get(m)}} for s in series]
    else:
        series = [{"label": "全部文章 all articles", "colour": COLOURS[0], "values": totals,
                   "href": {m: list_url(m, None) for m in totals}}]
        shares = []
    years = sorted({m[:4] for m in months})
    table = [{"year": y, "total": sum(n for m, n in totals.items() if m.startswith(y)),
              "counts": [sum(n for m, n in c.items() if m.startswith(y)) for c in counts],
              "url": list_url(None, None, y),
              "urls": [list_url(None, q, y) for q in searches]}
             for y in years]
    queries = [{"typed": q, **understood(q)} for q in searches]
    return {
        "database": database, "searches": searches, "months": months, "error": error,
        "selection": selection, "queries": queries,
        "typed_from": typed_date(selection, "_from"), "typed_to": typed_date(selection, "_to"),
        "chips": selection.chips(base, "q", searches=True, keep=db_pair),
        "filter_values": {f.key: f.value for f in selection.filters},
        "chart": bar_chart(months, series) if months else None,
        "share_chart": bar_chart(months, shares, percent=True) if months and shares else None,
        "years": table, "totals": totals, "counts": counts, "list_url": list_url,
        "colours": COLOURS, "max_searches": MAX_SEARCHES, "placeholders": PLACEHOLDERS,
        "empty_months": sum(1 for m in months if not totals.get(m)),
        "search_urls": [list_url(None, q) for q in searches],
        "list_link": selection.link(articles, searches=False,
                                    extra=[("_search", searches[0])] if len(searches) == 1
                                    else ()),
        "exports": {fmt: selection.link(f"{base}.{fmt}", "q", extra=db_pair)
                    for fmt in ("csv", "json")},
        "db_pair": db_pair,
    }


def timeline_rows(months: list[str], totals: dict, searches: list[str],
                  counts: list[dict]) -> list[dict]:
    """Per month and search: matching, all articles (the selection without the search) and
    their share (None for a month without articles). Without searches, one row per month."""
    rows = []
    for month in months:
        total = totals.get(month, 0)
        for q, c in zip(searches, counts, strict=True) if searches else [("", totals)]:
            matching = c.get(month, 0)
            rows.append({"month": month, "query": q, "matching": matching,
                         "all_articles": total,
                         "share": round(matching / total, 6) if total else None})
    return rows


def _export(fmt: str, selection: Selection, months: list[str], totals: dict,
            counts: list[dict]) -> Response:
    rows = timeline_rows(months, totals, selection.searches, counts)
    name = "xietong-timeline" + "".join(f"-{q}" for q in selection.searches) + f".{fmt}"
    headers = {"content-disposition": f"attachment; filename=\"xietong-timeline.{fmt}\"; "
                                      f"filename*=UTF-8''{quote(name)}"}
    if fmt == "json":
        body = {"selection": selection_record(selection),
                "columns": {"matching": "articles of the month matching the query",
                            "all_articles": "articles of the month in the selection "
                                            "(filters and dates, without the searches)",
                            "share": "matching / all_articles (null without articles)"},
                "rows": rows}
        return Response(json.dumps(body, ensure_ascii=False, indent=1),
                        content_type="application/json; charset=utf-8", headers=headers)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) if k == "query" else ("" if v is None else v)
                         for k, v in row.items()})
    return Response("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers=headers)


def coverage_chart(datasette, rows, database: str) -> dict:
    """The chart of the coverage_by_month query (month, articles), each bar a link."""
    articles = datasette.urls.table(database, "articles")
    values = {r["month"]: r["articles"] for r in rows}
    href = {m: articles + "?" + urlencode({"published_month": m}) for m, n in values.items() if n}
    return bar_chart(list(values), [{"label": "文章 articles", "colour": COLOURS[0],
                                     "values": values, "href": href}])
