"""The selection the research views work on — the list's query, filters and date range — read
through one function, so the concordance, the terms and the co-occurrence views select
exactly what the articles list shows (and follow the list if the way it reads its filters
changes). Also `entity=`: articles that name a person, organisation, document or place.
Read-only.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils import tilde_encode

from archive.datasette.selection import read_selection
from archive.search import fts_query

# Articles that name an entity: through article_entities' and article_places' name indexes.
ENTITY_SQL = ("rowid in (select a.rowid from articles a join article_entities e "
              "on e.article_id = a.id where e.name = :{name} union select a.rowid from "
              "articles a join article_places p on p.article_id = a.id where p.place = :{name})")


def default_database(datasette, request) -> str | None:
    """`?db=` or the first database that is not Datasette's own."""
    name = request.args.get("db") or next(
        (n for n in datasette.databases if n != "_internal"), None)
    return name if name in datasette.databases and name != "_internal" else None


async def has_tables(datasette, database: str, *tables: str) -> bool:
    db = datasette.get_database(database)
    return all([await db.table_exists(t) for t in tables])


async def _read(datasette, database: str, request, search_arg: str = "q"):
    db = datasette.get_database(database)
    return read_selection(request.args, set(await db.table_columns("articles")), search_arg,
                          tables=set(await db.table_names()), own=VIEW_ARGS)


async def selection(datasette, database: str, request, search_arg: str = "q"
                    ) -> tuple[list[str], dict, str]:
    """The request's selection on `articles` (aliased `a`): (where clauses, params, search)."""
    chosen = await _read(datasette, database, request, search_arg)
    clauses, params = chosen.where("a")
    return clauses, params, chosen.search


def match_clause(query: str, name: str = "xt_term") -> tuple[str, dict]:
    """Articles matching a search (the FTS index), as a clause on `a`."""
    return (f"a.rowid in (select rowid from articles_fts where articles_fts match :{name})",
            {name: fts_query(query)})


# The research views' own arguments: never filters, never carried to another view.
VIEW_ARGS = ("q", "page", "sort", "width", "term", "window", "stop", "stopwords", "min",
             "numbers", "db", "_search")


_ENTITY_TABLES = {"article_entities", "article_places"}


def _named(request) -> set[str]:
    # the merge's stop-gap (the next commits read the selection once, with the table's columns)
    return {k.partition("__")[0] for k in request.args.keys()}


def carried(request, drop=()) -> list[tuple[str, str]]:
    """The selection's query pairs (filters, dates, entity), for links to other views."""
    chosen = read_selection(request.args, _named(request), "q", tables=_ENTITY_TABLES,
                            own=(*VIEW_ARGS, *drop))
    return chosen.pairs("q", searches=False)


def chips(datasette, request) -> list[dict]:
    """The active filters as chips that drop themselves (as on the list)."""
    chosen = read_selection(request.args, _named(request), "q", tables=_ENTITY_TABLES,
                            own=VIEW_ARGS)
    return chosen.chips(request.path, "q", searches=True)


def article_url(datasette, database: str, article_id: str, query: str | None = None,
                mark: int | None = None) -> str:
    """The article page, with the query marked and, when known, the n-th mark in view."""
    url = datasette.urls.row(database, "articles", tilde_encode(str(article_id)))
    if query:
        url += "?" + urlencode({"q": query})
        if mark:
            url += "#xt-first-mark" if mark == 1 else f"#xt-mark-{mark}"
    return url


def list_url(datasette, database: str, request, search: str | None) -> str:
    """The articles list of the same selection."""
    pairs = [("_search", search)] if search else []
    pairs += [p for p in carried(request) if p[0] != "entity"]
    return datasette.urls.table(database, "articles") + ("?" + urlencode(pairs) if pairs else "")
