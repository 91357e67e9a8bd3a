"""Time views: `/-/timeline` counts articles per month — all of them, or those matching up to
MAX_SEARCHES searches side by side (?q=雄安&q=通州) as counts and as a share of all articles
that month — on an axis with every month from the first to the last (empty ones as zeros).
Each bar opens the list of its articles. The bar chart geometry is computed here and drawn by
templates/xietong_chart.html (SVG made on the server, nothing to load).

Bounded: a search is counted through the FTS index (`rowid in (… match …)`), totals through the
published_at index, each under Datasette's SQL time limit; at most MAX_MONTHS months are drawn.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response

from archive.datasette.list_page import date_bound
from archive.datasette.selected import ENTITY_SQL
from archive.search import SEARCH_TABLE, fts_query, understood_query

MAX_SEARCHES = 4
MAX_MONTHS = 600  # fifty years
COLOURS = ["#2d6da3", "#d0632b", "#3a9a5b", "#8e5cb5"]
MONTH_SQL = "substr(published_at, 1, 7)"
VALID_MONTH = "published_at glob '[12][0-9][0-9][0-9]-[01][0-9]*'"


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
    """Geometry of a grouped bar chart: one slot per month, one bar per series in it.
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
            shown = f"{value:.1f} %" if percent else f"{value:,}"
            bars.append({"x": round(x0 + slot * 0.09 + k * bar, 1), "y": round(10 + height - h, 1),
                         "w": round(bar, 1), "h": h, "colour": s["colour"],
                         "href": s["href"].get(month), "title": f"{month} {s['label']}: {shown}"})
        if (every == 1 or (every == 12 and month.endswith("-01"))
                or (every == 3 and int(month[5:7]) % 3 == 1)) or i == 0:
            labels.append({"x": round(x0 + slot / 2, 1),
                           "text": month if every < 12 else month[:4]})
    top = f"{top_value:.1f} %" if percent else f"{top_value:,}"
    return {"width": width, "height": height + 10 + bottom, "axis_y": 10 + height,
            "left": left, "bars": bars, "labels": labels, "top": top,
            "legend": [{"label": s["label"], "colour": s["colour"]} for s in series]}


async def _month_counts(db, search: str | None, start: str | None, end: str | None,
                       entity: str | None = None):
    where, params = [VALID_MONTH], {}
    if entity:  # issue 19: articles naming a person, organisation, document or place
        where.append(ENTITY_SQL.format(name="entity"))
        params["entity"] = entity
    if search:
        where.append(f"rowid in (select rowid from {SEARCH_TABLE} "
                     f"where {SEARCH_TABLE} match :q)")
        params["q"] = fts_query(search)
    if start:
        where.append("published_at >= :start")
        params["start"] = start
    if end:
        where.append("published_at < :end")
        params["end"] = end + "~"
    rows = await db.execute(
        f"select {MONTH_SQL} as month, count(*) as n from articles "
        f"where {' and '.join(where)} group by month", params)
    return {r["month"]: r["n"] for r in rows.rows}


async def timeline(datasette, request):
    database = request.args.get("db") or next(
        (n for n in datasette.databases if n != "_internal"), None)
    if database not in datasette.databases or database == "_internal":
        return Response.text("no such database", status=404)
    db = datasette.get_database(database)
    if not await db.table_exists("articles") or not await datasette.permission_allowed(
            request.actor, "view-table", resource=(database, "articles"), default=True):
        return Response.text("no articles to count", status=404)
    searches = list(dict.fromkeys(q.strip() for q in request.args.getlist("q") if q.strip()))
    searches = searches[:MAX_SEARCHES]
    start = date_bound(request.args.get("_from"))
    end = date_bound(request.args.get("_to"))
    entity = (request.args.get("entity") or "").strip() or None
    queries = list(searches)  # what the form shows: the entity is not a search
    if entity and not await db.table_exists("article_entities"):
        entity = None
    error = None
    try:
        totals = await _month_counts(db, None, start, end)
        counts = [await _month_counts(db, q, start, end, entity) for q in searches]
        if entity and not searches:  # the entity alone is the series
            searches, counts = [entity], [await _month_counts(db, None, start, end, entity)]
    except QueryInterrupted:
        totals, counts, error = {}, [], "统计超时 · counting took too long; narrow the dates"
    months = months_between(min(totals), max(totals)) if totals else []
    articles = datasette.urls.table(database, "articles")

    def list_url(month: str, q: str | None) -> str:
        if entity and q == entity and q not in request.args.getlist("q"):
            return articles + "?" + urlencode([("published_month", month)])  # see the chips
        pairs = ([("_search", q)] if q else []) + [("published_month", month)]
        return articles + "?" + urlencode(pairs)

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
              "counts": [sum(n for m, n in c.items() if m.startswith(y)) for c in counts]}
             for y in years]
    context = {
        "database": database, "searches": searches, "months": months, "error": error,
        "date_from": start or "", "date_to": end or "",
        "chart": bar_chart(months, series) if months else None,
        "share_chart": bar_chart(months, shares, percent=True) if months and shares else None,
        "years": table, "totals": totals, "counts": counts, "list_url": list_url,
        "colours": COLOURS, "max_searches": MAX_SEARCHES,
        "additions": [a for q in searches for a in understood_query(q).additions()],
        "empty_months": sum(1 for m in months if not totals.get(m)),
        "this_year": str(date.today().year),
        "search_urls": [articles + "?" + urlencode({"_search": q}) for q in searches],
        "entity": entity, "queries": queries,
    }
    return Response.html(await datasette.render_template(
        "xietong_timeline.html", context, request=request))


def coverage_chart(datasette, rows, database: str) -> dict:
    """The chart of the coverage_by_month query (month, articles), each bar a link."""
    articles = datasette.urls.table(database, "articles")
    values = {r["month"]: r["articles"] for r in rows}
    href = {m: articles + "?" + urlencode({"published_month": m}) for m, n in values.items() if n}
    return bar_chart(list(values), [{"label": "文章 articles", "colour": COLOURS[0],
                                     "values": values, "href": href}])
