"""The canned queries served with an archive: coverage by month (drawn as a chart by
templates/query.html), the series list and each series in order, the map of places, and the
Atom feeds of new articles and of a saved search. The SQL adapts to the tables and columns the
archive has (series tables, series_order), so it runs on older and newer archives alike.
"""

from __future__ import annotations

import sqlite3

from archive.schema import connect_read_only

FEED_LIMIT = 50

_FEED_COLUMNS = """
    a.url as atom_id,
    a.title as atom_title,
    coalesce(a.published_at, a.first_seen_at) as atom_updated,
    a.published_at as atom_published,
    '{articles}/' || a.id as atom_link,
    a.url as atom_related,
    coalesce(a.source, a.byline) as atom_author_name,
    substr(replace(a.body, char(10), ' '), 1, 280) as atom_summary,
    a.id as article_id,
    a.title,
    a.published_at
"""


# Every month from the first to the last dated article, with zeros for the empty ones (the
# recursion stops at the last month; dates outside 1900–2099 are left out as misreadings).
COVERAGE_SQL = """with recursive
bounds as (select min(published_month) as first, max(published_month) as last from articles
  where published_month glob '[12][09][0-9][0-9]-[01][0-9]'),
months(month) as (select first from bounds where first is not null
  union all select strftime('%Y-%m', month || '-01', '+1 month') from months, bounds
  where month < bounds.last),
counts as (select published_month as month, count(*) as articles from articles
  group by published_month)
select months.month, coalesce(counts.articles, 0) as articles
from months left join counts on counts.month = months.month
order by months.month"""


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"pragma table_info([{table}])")}


def series_members_sql(has_series_tables: bool, has_series_order: bool) -> str:
    """Articles of the series :series with their position (null when unknown)."""
    order = "a.series_order" if has_series_order else "null"
    sql = f"select a.id as article_id, {order} as position from articles a where a.series = :series"
    if has_series_tables:
        sql += (" union all select sa.article_id, sa.position from series_articles sa"
                " join series s on s.id = sa.series where (s.id = :series or s.name = :series)"
                " and sa.article_id not in (select id from articles where series = :series)")
    return sql


# Positions (from an index page or a printed ordinal) order a series only when every member has
# one; a partial set would interleave numbered and dated members, so dates decide then.
SERIES_ORDER = ("order by case when (select count(*) from members where position is null) = 0"
                " then m.position end, a.published_at, a.id")


def canned_queries(db_path, database: str) -> dict:
    conn = connect_read_only(db_path)  # immutable on a read-only medium
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        article_columns = _columns(conn, "articles") if "articles" in tables else set()
    finally:
        conn.close()
    has_series_tables = {"series", "series_articles"} <= tables
    members = series_members_sql(has_series_tables, "series_order" in article_columns)
    articles = f"/{database}/articles"
    feed_columns = _FEED_COLUMNS.format(articles=articles)
    queries = {
        "coverage_by_month": {
            "title": "按月报道量 · Coverage by month",
            "description": "每月发表的文章数，没有文章的月份为 0；点击柱子打开那个月的文章。"
                           "Articles published per month, empty months as zeros; click a bar "
                           "to open that month's articles.",
            "sql": COVERAGE_SQL,
        },
        "series_list": {
            "title": "系列报道 · Series",
            "description": "每个系列的文章数与起止日期；点击系列名查看全部文章。Every series with "
                           "its number of articles and first and last dates; open one to read it "
                           "in order.",
            "sql": "select series, count(*) as articles,\n"
                   "  min(substr(published_at, 1, 10)) as first,\n"
                   "  max(substr(published_at, 1, 10)) as last\n"
                   "from articles where coalesce(series, '') != ''\n"
                   "group by series order by last desc",
        },
        "series_articles": {
            "title": "系列文章 · A series in order",
            "description": "一个系列的全部文章，按系列顺序（无序号时按日期）。"
                           "Every article of a series, "
                           "in series order (by date where no position is known).",
            "sql": f"with members as ({members})\n"
                   "select case when (select count(*) from members where position is null) = 0"
                   "\n  then m.position else row_number() over (order by a.published_at, a.id)"
                   " end as number, m.position as printed,\n"
                   "  substr(a.published_at, 1, 10) as date, a.title,\n"
                   "  a.id as article_id, a.source, a.url\n"
                   "from members m join articles a on a.id = m.article_id\n"
                   f"{SERIES_ORDER}",
        },
        "places_map": {
            "title": "地点地图 · Places on a map",
            "description": "文章提到的地点，点击标记打开文章。Places the articles mention; a "
                           "marker's popup links to the article.",
            "sql": "select p.latitude, p.longitude,\n"
                   "  json_object('title', a.title, 'link', "
                   f"'{articles}/' || a.id,\n"
                   "    'description', p.place || ' · ' || coalesce(substr(a.published_at, 1, 10),"
                   " '')) as popup,\n"
                   "  p.place, p.kind, a.title, a.id as article_id\n"
                   "from article_places p join articles a on a.id = p.article_id\n"
                   "order by a.published_at desc",
        } if "article_places" in tables else None,
        "new_articles": {
            "title": "最新文章 · Newest articles",
            "description": f"最新发表的 {FEED_LIMIT} 篇文章；订阅 Atom。The {FEED_LIMIT} most "
                           "recently published articles; subscribe with the Atom link.",
            "sql": f"select {feed_columns}\nfrom articles a\n"
                   f"order by a.published_at desc, a.id limit {FEED_LIMIT}",
        },
        "search_feed": {
            "title": "检索订阅 · Saved search",
            "description": "任意检索词的最新文章，可用 Atom 订阅（.atom?q=…）。The newest articles "
                           "matching any search, as a feed: add .atom to this page's address.",
            "sql": f"select {feed_columns}\nfrom articles a\n"
                   "where a.rowid in (select rowid from articles_fts\n"
                   "  where articles_fts match escape_fts(:q))\n"
                   f"order by a.published_at desc, a.id limit {FEED_LIMIT}",
        },
    }
    for query in queries.values():
        if query:
            query["hide_sql"] = True  # the SQL stays one click away (show SQL)
    return {name: q for name, q in queries.items() if q}
