"""What the home page and a database's page lead with: the collection — how many articles
from when to when, the search box, the series, coverage per month, the newest articles — and
then the tables, the reading ones first and the crawler's internal ones last.
Read-only; every query is bounded by Datasette's time limits.
"""

from __future__ import annotations

from datasette.database import QueryInterrupted

from archive.datasette.queries import COVERAGE_SQL
from archive.datasette.timeline import coverage_chart

# Tables a reader opens, in this order; the crawler's bookkeeping follows, then `_` tables.
READING_TABLES = ["articles", "series", "series_articles", "article_places", "links"]
INTERNAL_TABLES = ["article_versions", "article_status", "crawls", "url_state", "captures"]


def table_order(name: str) -> tuple:
    if name in READING_TABLES:
        return (0, READING_TABLES.index(name))
    if name.startswith("_") or name.startswith("articles_fts"):
        return (3, name)
    if name in INTERNAL_TABLES:
        return (2, INTERNAL_TABLES.index(name))
    return (1, name)


async def _rows(db, sql: str, params=None) -> list[dict]:
    try:
        return [dict(r) for r in (await db.execute(sql, params or {})).rows]
    except QueryInterrupted:
        return []


async def collection(datasette, database: str) -> dict | None:
    """The home page's data for one database, or None if it holds no articles."""
    db = datasette.get_database(database)
    if not await db.table_exists("articles"):
        return None
    span = (await _rows(db, "select count(*) as n, min(substr(published_at, 1, 10)) as first, "
                            "max(substr(published_at, 1, 10)) as last from articles"))[0]
    series = await _rows(db, "select series, count(*) as articles, "
                             "max(substr(published_at, 1, 10)) as last from articles "
                             "where coalesce(series, '') != '' group by series "
                             "order by last desc limit 8")
    newest = await _rows(db, "select id, title, substr(published_at, 1, 10) as date, source "
                             "from articles order by published_at desc limit 6")
    months = await _rows(db, COVERAGE_SQL)
    counts = await db.table_counts(limit=50)
    hidden = set(await db.hidden_table_names())
    tables = []
    for name in sorted(await db.table_names(), key=table_order):
        meta = datasette.table_metadata(database, name)
        tables.append({"name": name, "title": meta.get("title"),
                       "description": meta.get("description"), "count": counts.get(name),
                       "hidden": name in hidden, "internal": table_order(name)[0] >= 2})
    return {
        "database": database, "articles": span["n"], "first": span["first"],
        "last": span["last"], "series": series, "newest": newest,
        "chart": coverage_chart(datasette, months, database) if months else None,
        "tables": tables,
    }


async def home_context(datasette, database: str | None) -> dict:
    names = [database] if database else [n for n in datasette.databases if n != "_internal"]
    for name in names:
        found = await collection(datasette, name)
        if found:
            return {"xt_home": found}
    return {"xt_home": None}
