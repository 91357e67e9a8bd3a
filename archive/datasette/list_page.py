"""The articles list as a researcher reads it: the date range filter (`_from`, `_to`), how the
search was read and what it added, the active filters with a way to drop each, what was
refused and why (beside its field), links that carry the same selection (archive/datasette/
selection.py) to the ranked search, the exports, the feed and the time view, whether a place
search agrees with the place facet, and suggestions when nothing matched.
Read-only; every query is bounded by Datasette's time limits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils.asgi import BadRequest

from archive.datasette.selection import FROM, PLACE_FILTER, TO, extra_filter, read_selection
from archive.date_input import DateError, read_date, reversed_range
from archive.gazetteer import gazetteer
from archive.query import Term
from archive.search import SEARCH_TABLE, fts_query, understood_query
from archive.spellings import PLACE

DATE_COLUMN = "published_at"
# Arguments of the list that are the page's own settings (sort, facets, columns, size), not
# its selection: kept when a filter is dropped or the search is sent again; never `_next`.
NOT_PAGE_ARGS = ("_search", "_from", "_to", "_next")
# Why a text search for a place and the place facet may count differently.
PLACE_COUNTS_DIFFER = (
    "检索按字面找标题和正文里的字；地点分面数的是地名表标注的文章：标注也读引题、副题和图片说明，"
    "较长的地名优先（“河北区域”不是“河北区”），并跳过跨词的字（“确保定期”里没有“保定”）。"
    " · The search finds the characters in the title and text; the place facet counts the "
    "articles the gazetteer tagged, which also reads the pre-title, subtitle and photo "
    "captions, prefers the longer name (河北区域 is not 河北区) and skips characters that "
    "straddle two words (确保定期 holds no 保定).")


def date_range_filter(request, table_columns: set[str]) -> FilterArguments | None:
    """`_from` / `_to` as where clauses on published_at: from the first moment of the first
    period to the last of the second, so `_from=2017&_to=2017` is all of 2017 (archive/
    date_input.py reads the forms people type). Dates are ISO text, so a plain comparison uses
    the published_at index. A date that cannot be read, or a reversed range, is not applied:
    the HTML page says so beside the field, any other format (JSON, CSV, Atom) is a 400."""
    if DATE_COLUMN not in table_columns:
        return None
    try:
        start, end = read_date(request.args.get(FROM)), read_date(request.args.get(TO))
        if reversed_range(start, end):
            raise DateError(f"结束早于开始 · the end ({end.iso}) is before the start "
                            f"({start.iso})")
    except DateError as e:
        if (request.url_vars.get("format") or "html") != "html":
            raise BadRequest(str(e)) from None
        return None
    if not (start or end):
        return None
    clauses, params = [], {}
    if start:
        clauses.append(f"{DATE_COLUMN} >= :xt_from")
        params["xt_from"] = start.iso
    if end:
        clauses.append(f"{DATE_COLUMN} < :xt_to")
        params["xt_to"] = end.last
    return FilterArguments(clauses, params)


class ListPage:
    """What the articles list template asks for, on one request."""

    def __init__(self, datasette, database: str, table: str, request, columns: set[str],
                 tables: set[str]):
        self.ds, self.database, self.table, self.request = datasette, database, table, request
        self.columns = columns
        self.has_place_table = "article_places" in tables
        self.selection = read_selection(request.args, columns, "_search", tables=tables,
                                        on_list=True)
        # Datasette searches the first _search only.
        self.search = (request.args.get("_search") or "").strip()
        self.query = understood_query(self.search)
        self.date_from = (request.args.get(FROM) or "").strip()  # as typed
        self.date_to = (request.args.get(TO) or "").strip()
        self.table_url = datasette.urls.table(database, table)

    @property
    def grid(self) -> bool:
        args = self.request.args
        return args.get("_view") == "grid" or "_col" in args or "_nocol" in args

    @property
    def page_pairs(self) -> list[tuple[str, str]]:
        args = self.request.args
        return [(k, v) for k in args.keys() if k.startswith("_") and k not in NOT_PAGE_ARGS
                and not extra_filter(k) for v in args.getlist(k)]

    @property
    def hidden_pairs(self) -> list[tuple[str, str]]:
        """What the search form keeps when it is sent again: filters, sort, facets."""
        return [*self.selection.filter_pairs(), *self.page_pairs]

    def problem(self, name: str) -> str | None:
        return self.selection.problem(name)

    @property
    def refused(self) -> list:
        """Refused filters other than the dates (those are said beside their boxes)."""
        return [p for p in self.selection.problems if p.field not in (FROM, TO)]

    @property
    def reading(self) -> str | None:
        """How the search was read, when that is not simply what was typed."""
        reading = self.query.reading()
        return reading if self.search and reading != " ".join(self.search.split()) else None

    @property
    def additions(self) -> list[tuple[str, list[str], list[str]]]:
        return [(t.typed, t.added, t.sources) for t in self.query.terms if t.added]

    @property
    def excluded(self) -> list[str]:
        return [alt.text() for alt in self.query.excluded]

    @property
    def only_exclusions(self) -> bool:
        return bool(self.search) and not self.query.groups and bool(self.query.excluded)

    def active_filters(self) -> list[dict]:
        return self.selection.chips(self.table_url, "_search", searches=True,
                                    keep=self.page_pairs)

    def _url(self, base: str, pairs) -> str:
        query = urlencode(list(pairs))
        return base + ("?" + query if query else "")

    @property
    def ranked_url(self) -> str:
        return self.selection.link(self.ds.urls.path("/-/search"), "q")

    def export_url(self, fmt: str, full: bool = False) -> str:
        return self.selection.link(f"{self.ds.urls.database(self.database)}/-/export.{fmt}",
                                   extra=[("_full", "1")] if full else ())

    def cite_url(self, fmt: str) -> str:
        """The selection's citations as a file (issue 20, archive/datasette/cite.py)."""
        return self.selection.link(f"{self.ds.urls.database(self.database)}/-/cite.{fmt}")

    @property
    def timeline_url(self) -> str:
        return self.derived_url("/-/timeline")

    def _databases(self) -> list[str]:
        return [n for n in self.ds.databases if n != "_internal"]

    def derived_url(self, path: str) -> str:
        """A view derived from the list (concordance, terms, co-occurrence) with the whole
        selection, the search as `q`."""
        extra = [("db", self.database)] if len(self._databases()) > 1 else []
        return self.selection.link(self.ds.urls.path(path), "q", extra=extra)

    @property
    def grid_url(self) -> str:
        return self.selection.link(self.table_url, extra=[*self.page_pairs, ("_view", "grid")])

    @property
    def list_url(self) -> str:
        pairs = [p for p in self.page_pairs if p[0] not in ("_view", "_col", "_nocol")]
        return self.selection.link(self.table_url, extra=pairs)

    @property
    def feed_url(self) -> str:
        """The list's own selection as an Atom feed, newest first (feeds.py renders the table)."""
        return self.selection.link(f"{self.table_url}.atom",
                                   extra=[("_sort_desc", DATE_COLUMN), ("_nofacet", "1")])

    @property
    def hide_reprints_url(self) -> str | None:
        if "reprint_of__isnull" in self.request.args or "reprint_of" not in self.columns:
            return None
        return self.selection.link(self.table_url,
                                   extra=[*self.page_pairs, ("reprint_of__isnull", "1")])

    @property
    def place_notes(self) -> list[str]:
        return [f.note for f in self.selection.filters if f.note]

    async def _count(self, search: str) -> int | None:
        db = self.ds.get_database(self.database)
        try:
            result = await db.execute(
                f"select count(*) from {SEARCH_TABLE} where {SEARCH_TABLE} match :q",
                {"q": fts_query(search)})
        except QueryInterrupted:
            return None
        return result.single_value()

    def _searched_place(self) -> str | None:
        """The gazetteer place a one-term search names (通州, Tongzhou, 城市副中心 → 通州区)."""
        groups = self.query.groups
        if len(groups) != 1 or len(groups[0]) != 1 or self.query.excluded:
            return None
        term = groups[0][0]
        if not isinstance(term, Term) or term.quoted:
            return None
        if term.added and PLACE not in term.sources:
            return None
        for spelling in term.spellings:
            for place in gazetteer().find(spelling):
                if spelling in (place.name, *place.aliases):
                    return place.name
        return None

    async def place_check(self, found: int | None) -> dict | None:
        """When the search is one place name: the place facet's count for it within the same
        filters, a link to it, and why the two numbers differ if they do."""
        place = self._searched_place()
        if place is None or "places" not in self.columns or found is None:
            return None
        clauses, params = self.selection.where("a", searches=[])
        if self.has_place_table:  # its index finds the few candidates; the column decides
            clauses.append("a.id in (select article_id from article_places where place = "
                           ":xt_place)")
        clauses.append(":xt_place in (select value from json_each(case when a.places like "
                       "'[%' and json_valid(a.places) then a.places else '[]' end))")
        params["xt_place"] = place
        db = self.ds.get_database(self.database)
        try:
            count = (await db.execute(f"select count(*) from articles a where "
                                      f"{' and '.join(clauses)}", params)).single_value()
        except QueryInterrupted:
            return None
        url = self.selection.link(self.table_url, searches=False, extra=[(PLACE_FILTER, place)]
                                  if (PLACE_FILTER, place) not in self.selection.pairs() else ())
        return {"place": place, "count": count, "url": url, "same": count == found,
                "why": PLACE_COUNTS_DIFFER}

    async def suggestions(self) -> list[dict]:
        """When nothing matched: wider searches that do find something, with their counts."""
        out = []
        if not self.search:
            return out
        if self.selection.narrowed:
            n = await self._count(self.search)
            if n:
                out.append({"text": f"不加筛选 · without the filters: {self.search}", "count": n,
                            "url": self._url(self.table_url, [("_search", self.search)])})
        groups = self.query.groups
        if len(groups) > 1:
            either = " OR ".join(alt.text() for g in groups for alt in g)
            n = await self._count(either)
            if n:
                out.append({"text": f"任一词 · any of the words: {either}", "count": n,
                            "url": self._url(self.table_url, [("_search", either)])})
        if self.excluded and groups:
            kept = " ".join(g[0].text() for g in groups)
            n = await self._count(kept)
            if n:
                out.append({"text": f"不排除 · without leaving anything out: {kept}", "count": n,
                            "url": self._url(self.table_url, [("_search", kept)])})
        return out
