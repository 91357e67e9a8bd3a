"""Datasette plugin of the archive. It makes the standard search box and `?_search=` use the
query translation of archive.search (by replacing the SQL function `escape_fts`), and adds
what configuration cannot: the articles list page's data and date range, one-pass facets, the
article page's data, excerpts, list and object cells, a year facet, Atom output, the ranked
search, the time view, the exports, the home page's data, menu links, and the captures'
routes (captured.py). Never writes to the archive."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import escape

from archive.datasette import (
    article_page,
    captured,
    cells,
    cite,
    concordance,
    cooccurrence,
    csv_safe,
    entity_filter,  # noqa: F401 (registers `entity=` as a filter of every selection)
    errors,
    export,
    feeds,
    home,
    limits,
    reuse_pages,
    search_page,
    terms_page,
    timeline,
)
from archive.datasette.excerpts import excerpt, highlight
from archive.datasette.facets import OnePassFacet, YearFacet
from archive.datasette.list_page import ListPage, date_range_filter
from archive.datasette.sanitize import safe_url
from archive.datasette.selection import canonical_pairs, extra_filter_arguments, list_pairs
from archive.datasette.urls import series_url
from archive.search import fts_query


def escape_fts(query) -> str:
    # SQLite hands over whatever the SQL passed (NULL, numbers); an exception here would be a 500.
    return fts_query("" if query is None else str(query))


# Datasette's table search runs `rowid in (select rowid from <fts_table> where <fts_table> match
# escape_fts(:search))` (datasette/filters.py). Datasette registers its own escape_fts in its
# prepare_connection (datasette/sql_functions.py); trylast makes ours run after it and win.
@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    limits.limit_connection(conn)  # after Datasette's own: its row factory is replaced


@hookimpl
def startup(datasette):
    csv_safe.install()  # Datasette's own .csv of every table and query: no formula survives
    errors.take_over()  # no traceback with locals in the log for every 404


@hookimpl
def handle_exception(datasette, request, exception):
    # Every served error a 4xx with a message and one log line (issues 14, 18): a query over a
    # limit, a POST to a table, a page number out of range, a page that does not exist.
    return lambda: errors.error_response(datasette, request, exception)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["xt_series_url"] = lambda name, database: series_url(datasette, database, name)
    env.filters["xt_list_values"] = cells.list_values
    env.filters["xt_excerpt"] = excerpt
    env.filters["xt_highlight"] = highlight
    env.filters["xt_tilde"] = lambda value: tilde_encode(str(value))
    env.filters["xt_by_column"] = lambda cells_: {c["column"]: c for c in cells_}
    env.filters["xt_reading_order"] = cells.reading_order
    env.globals["xt_labels"] = cells.COLUMN_LABELS
    env.globals["xt_coverage_chart"] = lambda rows, database: timeline.coverage_chart(
        datasette, rows, database)
    env.filters["xt_safe_url"] = safe_url
    env.globals["xt_capped_rows"] = limits.capped_rows


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is None:
        linked = cells.query_cell(row, value, column, database, datasette)
        if linked is not None:
            return linked
    if isinstance(value, str) and value[:1] in ("[", "{"):
        # Made when the page shows the cell: the articles list asks Datasette for every
        # column of its 25 rows but shows none of them as cells.
        return cells.LazyCell(lambda: cells.list_cell(value, column)
                              or cells.object_cell(value) or escape(value))
    return None


@hookimpl
def register_facet_classes():
    return [YearFacet, OnePassFacet]


@hookimpl
def filters_from_request(request, database, table, datasette):
    async def inner():
        if not table or database not in datasette.databases:
            return None
        db = datasette.get_database(database)
        if not await db.table_exists(table):
            return None
        dated = date_range_filter(request, set(await db.table_columns(table)))
        return extra_filter_arguments(request.args, table, dated, set(await db.table_names()))

    return inner


@hookimpl
def register_output_renderer():
    return {"extension": "atom", "render": feeds.render, "can_render": feeds.can_render}


@hookimpl
def register_routes():
    return [
        (r"^/-/search$", search_page.search_all),
        (r"^/-/timeline(\.(?P<format>csv|json))?$", timeline.timeline),
        (r"^/-/concordance$", concordance.concordance),
        (r"^/-/concordance\.(?P<format>csv|json)$", concordance.concordance_export),
        (r"^/-/terms$", terms_page.terms),
        (r"^/-/terms\.(?P<format>csv|json)$", terms_page.terms_export),
        (r"^/-/cooccurrence$", cooccurrence.cooccurrence),
        (r"^/-/cooccurrence\.(?P<format>csv|json)$", cooccurrence.cooccurrence_export),
        (r"^/(?P<database>[^/]+)/-/export\.(?P<format>csv|json)$", export.export),
        *captured.ROUTES,
        *cite.ROUTES,
        *reuse_pages.ROUTES,
    ]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row" and table == "articles" and request is not None:
        article_id = tilde_decode(request.url_vars["pks"])

        async def article():
            context = await article_page.article_context(
                datasette, database, article_id, request.args.get("q"))
            if context:  # issue 20: the cite block, citation_* tags, similar articles
                context["cite"] = await cite.article_cite_context(
                    datasette, request, database, context["row"])
                context["similar"] = await reuse_pages.similar_context(
                    datasette, database, context["row"])
            return {"article": context}

        return article
    if view_name in ("index", "database") and request is not None:
        return lambda: home.home_context(datasette, database if view_name == "database"
                                         else None)
    if view_name == "table" and table == "articles" and request is not None:
        async def list_page():
            db = datasette.get_database(database)
            return {"xt_list": ListPage(datasette, database, table, request,
                                        set(await db.table_columns(table)),
                                        set(await db.table_names()))}

        return list_page
    return {}


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/xietong-static/xietong.css"),
            datasette.urls.path("/xietong-static/xietong-captured.css")]


@hookimpl
def menu_links(datasette):
    links = [{"href": datasette.urls.path("/-/search"), "label": "全文检索 · Search all"},
             {"href": datasette.urls.path("/-/timeline"), "label": "按月分布 · Per month"},
             {"href": datasette.urls.path("/-/concordance"), "label": "语境索引 · Concordance"},
             {"href": datasette.urls.path("/-/terms"), "label": "词语与搭配 · Terms"},
             {"href": datasette.urls.path("/-/cooccurrence"),
              "label": "共现 · Who appears together"}]
    for name in datasette.databases:
        if name == "_internal":
            continue
        base = datasette.urls.database(name)
        links += [
            {"href": f"{base}/articles", "label": "文章 · Articles"},
            {"href": f"{base}/series_list", "label": "系列 · Series"},
            {"href": f"{base}/coverage_by_month", "label": "按月报道量 · Coverage by month"},
            {"href": f"{base}/places_map", "label": "地图 · Map"},
            {"href": f"{base}/new_articles.atom", "label": "Atom 订阅 · Feed"},
        ]
    return links


# Search and date boxes left empty still come with the form (`?_search=&_from=`), and
# Datasette reads an empty `_search` as a search that matches nothing: such a request is sent
# on to the same address without them. The derived views' forms send every box (the time
# view's filters, the co-occurrence's name): there any empty value is no filter. A place
# filter written with another spelling of the place (places__arraycontains=通州) goes to the
# gazetteer's name, the one the column holds; on the list a registered filter goes to the
# list's spelling of it (entity= → _entity=: Datasette's table view would take it for a
# column).
EMPTY_DROPPED = ("_search", "_from", "_to")
ALL_EMPTY_DROPPED = tuple(f"/-/{view}{fmt}" for view in ("timeline", "concordance", "terms",
                                                          "cooccurrence")
                          for fmt in ("", ".csv", ".json"))
LIST_PATH = re.compile(r"/articles(\.(json|csv|atom))?$")


def _location(path: str, pairs: list[tuple[str, str]]) -> str | None:
    """Where a GET should go instead, if anywhere: without empty boxes, with the place's
    name, or (a canned feed asked for filters) to the list's own feed."""
    kept = _canonical(path, pairs)
    asked = kept if kept is not None else pairs
    feed = feeds.selection_feed(path, list_pairs(asked) or asked)  # the list's feed
    if feed:
        return feed
    if kept is None:
        return None
    query = urlencode(kept)
    return path + (f"?{query}" if query else "")


def _canonical(path: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    every = path.endswith(ALL_EMPTY_DROPPED)
    kept = [(k, v) for k, v in pairs if v.strip() or not (every or k in EMPTY_DROPPED)]
    named = canonical_pairs(kept)
    if named is not None:
        kept = named
    if LIST_PATH.search(path) and not path.startswith("/-/"):
        kept = list_pairs(kept) or kept
    return kept if kept != pairs else None


# Response headers stay small (issue 18): Datasette's `Link: <…?_search=…&_format=json>` repeats
# the whole query, and a 10,000-character search made it a 90 KB header that HTTP clients
# refuse (Python's http.client stops at 64 KiB). A Link header over LINK_MAX is left out (it is
# advisory: the page links to its JSON too); any other header over HEADER_MAX as well, except
# those a response cannot go without.
LINK_MAX = 2048
HEADER_MAX = 8192
NEEDED_HEADERS = {b"content-type", b"location", b"content-length"}


def bounded_headers(headers) -> list:
    kept = []
    for name, value in headers:
        key = bytes(name).lower()
        limit = LINK_MAX if key == b"link" else HEADER_MAX
        if len(value) <= limit or key in NEEDED_HEADERS:
            kept.append([name, value])
    return kept


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def dropping_empty_boxes(scope, receive, send):
            if scope.get("type") == "http":
                send = _with_bounded_headers(send)
            if scope.get("type") == "http" and scope.get("method") == "GET":
                pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"),
                                  keep_blank_values=True)
                path = scope.get("raw_path", scope["path"].encode()).decode("utf-8", "replace")
                location = _location(path, pairs)
                if location is not None:
                    await send({"type": "http.response.start", "status": 302,
                                "headers": [[b"location", location.encode("utf-8")],
                                            [b"content-type", b"text/plain"]]})
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return dropping_empty_boxes

    return wrap


def _with_bounded_headers(send):
    async def sending(message):
        if message.get("type") == "http.response.start":
            message = {**message, "headers": bounded_headers(message.get("headers", []))}
        await send(message)
    return sending
