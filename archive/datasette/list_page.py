"""The articles list as a researcher reads it: the date range filter (`_from`, `_to`), what the
search understood and added, the active filters with a way to drop each, links that carry the
same selection to the ranked search, the exports and the time view, and suggestions when
nothing matched. Read-only; every query is bounded by Datasette's time limits.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments, Filters
from datasette.utils import path_with_removed_args

from archive.datasette.cells import COLUMN_LABELS
from archive.search import SEARCH_TABLE, fts_query, understood_query

DATE_COLUMN = "published_at"
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")
# The selection arguments a page passes on to another: column filters, search, date range.
CARRIED = ("_search", "_from", "_to")

LOOKUP_LABELS = {
    "exact": "=", "not": "≠", "contains": "含 contains", "startswith": "始于 starts with",
    "arraycontains": "含 contains", "gte": "≥", "lte": "≤", "gt": ">", "lt": "<",
    "isnull": "为空 is empty", "notnull": "非空 is not empty", "in": "∈",
}


def date_bound(value: str | None) -> str | None:
    """`2017`, `2017-03` or `2017-03-05` (a year, month or day), else None."""
    value = (value or "").strip()
    return value if _DATE.match(value) else None


def date_range_filter(request, table_columns: set[str]) -> FilterArguments | None:
    """`_from` / `_to` as where clauses on published_at: from the first day of the first period
    to the last moment of the second, so `_from=2017&_to=2017` is all of 2017. Dates are ISO
    text, so a plain comparison uses the published_at index; `~` sorts after every character
    an ISO date has."""
    start, end = date_bound(request.args.get("_from")), date_bound(request.args.get("_to"))
    if DATE_COLUMN not in table_columns or not (start or end):
        return None
    clauses, params, said = [], {}, []
    if start:
        clauses.append(f"{DATE_COLUMN} >= :xt_from")
        params["xt_from"] = start
        said.append(f"from {start}")
    if end:
        clauses.append(f"{DATE_COLUMN} < :xt_to")
        params["xt_to"] = end + "~"
        said.append(f"to {end}")
    return FilterArguments(clauses, params, [f"published {' '.join(said)}"])


def selection_pairs(request, drop=()) -> list[tuple[str, str]]:
    """The request's selection — column filters, search, date range — as query pairs."""
    # An empty search or date box (the form sends every field) selects nothing.
    return [(key, v) for key in request.args.keys() if key not in drop
            and (not key.startswith("_") or key in CARRIED) for v in request.args.getlist(key)
            if v.strip() or key not in CARRIED]


def active_filters(datasette, request, drop=()) -> list[dict]:
    """The request's filters as chips: a label in both languages and the link that drops it."""
    out = []
    for key, value in selection_pairs(request, drop=drop):
        if key in ("_from", "_to"):
            label = ("从 from " if key == "_from" else "到 to ") + value
        else:
            column, _, lookup = key.partition("__")
            label = f"{_label(column)} {LOOKUP_LABELS.get(lookup or 'exact', lookup)} {value}"
        out.append({"label": label, "remove": datasette.urls.path(
            path_with_removed_args(request, {key: value}))})
    return out


def _label(column: str) -> str:
    zh = COLUMN_LABELS.get(column)
    return f"{zh} {column}" if zh else column


class ListPage:
    """What the articles list template asks for, on one request."""

    def __init__(self, datasette, database: str, table: str, request):
        self.ds, self.database, self.table, self.request = datasette, database, table, request
        self.search = (request.args.get("_search") or "").strip()
        self.query = understood_query(self.search)
        self.date_from = date_bound(request.args.get("_from")) or ""
        self.date_to = date_bound(request.args.get("_to")) or ""
        self.table_url = datasette.urls.table(database, table)

    @property
    def grid(self) -> bool:
        args = self.request.args
        return args.get("_view") == "grid" or "_col" in args or "_nocol" in args

    def _url(self, base: str, pairs) -> str:
        query = urlencode(list(pairs))
        return base + ("?" + query if query else "")

    @property
    def hidden_pairs(self) -> list[tuple[str, str]]:
        """What the search form keeps when it is sent again: filters, sort, facets."""
        args = self.request.args
        return [(key, v) for key in args.keys()
                if key not in ("_search", "_from", "_to", "_next") for v in args.getlist(key)]

    @property
    def additions(self) -> list[tuple[str, list[str]]]:
        return self.query.additions()

    @property
    def excluded(self) -> list[str]:
        return [t.typed for t in self.query.excluded]

    @property
    def only_exclusions(self) -> bool:
        return bool(self.search) and not self.query.groups and bool(self.query.excluded)

    def active_filters(self) -> list[dict]:
        return active_filters(self.ds, self.request, drop=("_search",))

    @property
    def ranked_url(self) -> str:
        pairs = [("q", v) if k == "_search" else (k, v) for k, v in selection_pairs(self.request)]
        return self._url(self.ds.urls.path("/-/search"), pairs)

    def export_url(self, fmt: str) -> str:
        return self._url(f"{self.ds.urls.database(self.database)}/-/export.{fmt}",
                         selection_pairs(self.request))

    @property
    def timeline_url(self) -> str:
        pairs = [("q", self.search)] if self.search else []
        return self._url(self.ds.urls.path("/-/timeline"), pairs)

    @property
    def concordance_url(self) -> str:
        return self._url(self.ds.urls.path("/-/concordance"), self._research_pairs())

    @property
    def terms_url(self) -> str:
        return self._url(self.ds.urls.path("/-/terms"), self._research_pairs())

    @property
    def cooccurrence_url(self) -> str:
        return self._url(self.ds.urls.path("/-/cooccurrence"), self._research_pairs())

    def _research_pairs(self) -> list[tuple[str, str]]:
        # The research views (issue 19) take the search as q and the filters as they are.
        return [("q", v) if k == "_search" else (k, v) for k, v in selection_pairs(self.request)]

    @property
    def grid_url(self) -> str:
        return self._url(self.table_url, [*selection_pairs(self.request), ("_view", "grid")])

    @property
    def list_url(self) -> str:
        return self._url(self.table_url, selection_pairs(self.request))

    @property
    def feed_url(self) -> str:
        base = self.ds.urls.database(self.database)
        if self.search:
            return f"{base}/search_feed.atom?" + urlencode({"q": self.search})
        return f"{base}/new_articles.atom"

    @property
    def hide_reprints_url(self) -> str | None:
        if "reprint_of__isnull" in self.request.args:
            return None
        return self._url(self.table_url, [*selection_pairs(self.request),
                                          ("reprint_of__isnull", "1")])

    async def _count(self, search: str) -> int | None:
        db = self.ds.get_database(self.database)
        try:
            result = await db.execute(
                f"select count(*) from {SEARCH_TABLE} where {SEARCH_TABLE} match :q",
                {"q": fts_query(search)})
        except QueryInterrupted:
            return None
        return result.single_value()

    async def suggestions(self) -> list[dict]:
        """When nothing matched: wider searches that do find something, with their counts."""
        out = []
        if not self.search:
            return out
        narrowed = [p for p in selection_pairs(self.request) if p[0] != "_search"]
        if narrowed:
            n = await self._count(self.search)
            if n:
                out.append({"text": f"不加筛选 · without the filters: {self.search}", "count": n,
                            "url": self._url(self.table_url, [("_search", self.search)])})
        if len(self.query.groups) > 1:
            either = " OR ".join(
                " OR ".join(f'"{t.typed}"' if t.quoted else t.typed for t in g)
                for g in self.query.groups)
            n = await self._count(either)
            if n:
                out.append({"text": f"任一词 · any of the words: {either}", "count": n,
                            "url": self._url(self.table_url, [("_search", either)])})
        if self.excluded and self.query.groups:
            kept = " ".join(t.typed if not t.quoted else f'"{t.typed}"'
                            for g in self.query.groups for t in g[:1])
            n = await self._count(kept)
            if n:
                out.append({"text": f"不排除 · without leaving anything out: {kept}", "count": n,
                            "url": self._url(self.table_url, [("_search", kept)])})
        return out


async def selection_where(datasette, database: str, table: str, request, search_arg: str):
    """The request's selection as SQL on `table` (aliased `a`): column filters in Datasette's
    own syntax (channel=…, published_at__startswith=…, places__arraycontains=…), the date
    range, and the search (`search_arg`). Filters on columns the table lacks are ignored.
    Returns (where clauses, params, search text)."""
    db = datasette.get_database(database)
    columns = set(await db.table_columns(table))
    pairs = [(k, v) for k in request.args.keys() if not k.startswith("_")
             for v in request.args.getlist(k) if k.split("__")[0] in columns]
    clauses, params = Filters(sorted(pairs)).build_where_clauses(table)
    clauses = [f"({c})" for c in clauses]
    dated = date_range_filter(request, columns)
    if dated:
        clauses += dated.where_clauses
        params.update(dated.params)
    search = (request.args.get(search_arg) or "").strip()
    if search:
        clauses.append(f"a.rowid in (select rowid from {SEARCH_TABLE} "
                       f"where {SEARCH_TABLE} match :xt_q)")
        params["xt_q"] = fts_query(search)
    return clauses, params, search
