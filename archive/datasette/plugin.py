"""Datasette plugin of the archive. It makes the standard search box and `?_search=` use the
bigram query translation of archive.search (by replacing the SQL function `escape_fts`), and adds
what configuration cannot: the article page's data, excerpts, list cells, a year facet, Atom
output, the all-tables search page, menu links. Never writes to the archive.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode

from archive.datasette import article_page, cells, feeds, limits, search_page
from archive.datasette.excerpts import excerpt, highlight
from archive.datasette.facets import YearFacet
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
def handle_exception(datasette, request, exception):
    # Every served error a 4xx with a message (issue 14): a query over a limit, a POST to a
    # table, a page number out of range — rendered by Datasette's own error page.
    found = limits.client_error(exception)
    if found is None:
        return None
    from datasette.handle_exception import handle_exception as datasette_page
    from datasette.views.base import DatasetteError

    return datasette_page(datasette, request, DatasetteError(found[1], status=found[0]))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["xt_excerpt"] = excerpt
    env.filters["xt_highlight"] = highlight
    env.filters["xt_tilde"] = lambda value: tilde_encode(str(value))
    env.filters["xt_by_column"] = lambda cells_: {c["column"]: c for c in cells_}
    env.filters["xt_reading_order"] = cells.reading_order
    env.globals["xt_labels"] = cells.COLUMN_LABELS


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is None:
        linked = cells.query_cell(row, value, column, database, datasette)
        if linked is not None:
            return linked
    return cells.list_cell(value, column)


@hookimpl
def register_facet_classes():
    return [YearFacet]


@hookimpl
def register_output_renderer():
    return {"extension": "atom", "render": feeds.render, "can_render": feeds.can_render}


@hookimpl
def register_routes():
    return [(r"^/-/search$", search_page.search_all)]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row" and table == "articles" and request is not None:
        article_id = tilde_decode(request.url_vars["pks"])

        async def article():
            return {"article": await article_page.article_context(
                datasette, database, article_id, request.args.get("q"))}

        return article
    return {}


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/xietong-static/xietong.css")]


@hookimpl
def menu_links(datasette):
    links = [{"href": datasette.urls.path("/-/search"), "label": "全文检索 · Search all"}]
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
