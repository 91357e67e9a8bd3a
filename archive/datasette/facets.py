"""Facets for Datasette. `year` counts rows by the first four characters of a date column and
filters with `column__startswith=YYYY`. `one_pass` counts every configured facet of the articles
list — plain columns, years and JSON lists — from a single read of the matching rows, where
Datasette runs one query per facet (each finding and reading every matching row again). Both
are read-only and run under the facet time limit.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


def _value_entry(facet: Facet, args: dict, key: str, value: str, count: int, label=None):
    selected = args.get(key) == value
    path = (path_with_removed_args(facet.request, {key: value}) if selected
            else path_with_added_args(facet.request, {key: value}))
    return {
        "value": value, "label": label if label is not None else value, "count": count,
        "toggle_url": facet.ds.absolute_url(facet.request, facet.ds.urls.path(path)),
        "selected": selected,
    }


class YearFacet(Facet):
    type = "year"

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (f"select substr({col}, 1, 4) as value, count(*) as count from ({self.sql}) "
                   f"where {col} glob '[0-9][0-9][0-9][0-9]*' group by value "
                   "order by value desc")
            try:
                rows = await self.ds.execute(
                    self.database, sql, self.params, truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = [_value_entry(self, args, key, row["value"], row["count"])
                      for row in rows.rows]
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": path_with_removed_args(self.request, {"_facet_year": column}),
                "truncated": False,
            })
        return results, timed_out


def one_pass_specs(config) -> list[tuple[str, str]]:
    """(kind, column) from a `one_pass` config: `channel`, `{period: published_month}` (a
    column listed newest first), `{year: published_at}`, `{array: places}`."""
    specs = []
    for item in config if isinstance(config, list) else []:
        if isinstance(item, str):
            specs.append(("column", item))
        elif isinstance(item, dict) and len(item) == 1:
            kind, column = next(iter(item.items()))
            if kind in ("column", "period", "year", "array") and isinstance(column, str):
                specs.append((kind, column))
    return specs


# Facet counts of whole tables, by (database, SQL, state of the files): a commit changes the
# -wal file and a checkpoint the database file, so a changed archive is counted again.
_WHOLE_TABLE: dict[tuple, list[tuple]] = {}


def _files_state(path: str) -> tuple:
    state = []
    for name in (path, f"{path}-wal"):
        try:
            st = os.stat(name)
            state.append((st.st_mtime_ns, st.st_size))
        except OSError:
            state.append(None)
    return tuple(state)


class OnePassFacet(Facet):
    """Configured as `{one_pass: [channel, {year: published_at}, {array: places}, …]}`. The
    matching rows' facet columns are read once into a materialized CTE (SQLite's temporary
    storage: memory up to its cache size, then a file) and every facet is a GROUP BY over that
    small table, all in one statement under the facet time limit (the SQL time limit, and kept
    until the archive changes, for the unfiltered table)."""

    type = "one_pass"

    def one_pass_sql(self, specs: list[tuple[str, str]], size: int) -> str:
        columns = list(dict.fromkeys(column for _, column in specs))
        select = ", ".join(escape_sqlite(c) for c in columns)
        parts = []
        for i, (kind, column) in enumerate(specs):
            c = f"m.{escape_sqlite(column)}"
            # The first size + 1 values of each facet (one more tells that there are more):
            # most frequent first, years and months newest first.
            if kind in ("column", "period"):
                order = "value desc" if kind == "period" else "n desc, value"
                part = (f"select {i} as facet, {c} as value, count(*) as n from m "
                        f"where {c} is not null and {c} != '' group by {c} "
                        f"order by {order} limit {size + 1}")
            elif kind == "year":
                part = (f"select {i} as facet, substr({c}, 1, 4) as value, count(*) as n "
                        f"from m where {c} glob '[0-9][0-9][0-9][0-9]*' group by value "
                        "order by value desc limit 1000")
            else:
                # A cell that is not a JSON array counts for nothing instead of failing the
                # statement. Unlike Datasette's array facet, an item listed twice in one row
                # counts twice: the crawler's lists hold each name once, and leaving out
                # count(distinct) halves the time of this part.
                part = (f"select {i} as facet, j.value as value, count(*) as n "
                        f"from m, json_each(case when {c} like '[%' and json_valid({c}) "
                        f"then {c} else '[]' end) j group by j.value "
                        f"order by n desc, value limit {size + 1}")
            parts.append(f"select * from ({part})")
        return (f"with m as materialized (select {select} from ({self.sql})) "
                + " union all ".join(parts))

    async def facet_results(self):
        configs = self.get_configs()
        specs = [s for c in configs for s in one_pass_specs(c["config"])]
        if not specs:
            return [], []
        size = self.get_facet_size()
        sql = self.one_pass_sql(specs, size)
        db = self.ds.get_database(self.database)
        # The unfiltered list (everyone's first page) reads every row: it gets the SQL time
        # limit instead of the facet one, and its counts are kept until the archive changes.
        whole = not self.params and " where " not in self.sql.lower()
        key = (self.database, sql, _files_state(db.path)) if whole and db.path else None
        rows = _WHOLE_TABLE.get(key) if key else None
        if rows is None:
            limit = self.ds.setting("sql_time_limit_ms" if whole else "facet_time_limit_ms")
            try:
                rows = (await self.ds.execute(self.database, sql, self.params, truncate=False,
                                              custom_time_limit=limit)).rows
            except QueryInterrupted:
                return [], [column for _, column in specs]
            if key:
                if len(_WHOLE_TABLE) >= 16:
                    _WHOLE_TABLE.pop(next(iter(_WHOLE_TABLE)))
                _WHOLE_TABLE[key] = [tuple(r) for r in rows]
        values: list[list[tuple]] = [[] for _ in specs]
        for facet, value, n in rows:
            values[facet].append((value, n))
        links = _Toggles(self)
        return [self._result(kind, column, values[i], size, links)
                for i, (kind, column) in enumerate(specs)], []

    def _result(self, kind: str, column: str, values: list[tuple], size: int,
                links: _Toggles) -> dict:
        shown = values if kind == "year" else values[:size]
        key = {"year": f"{column}__startswith", "array": f"{column}__arraycontains"}.get(
            kind, column)
        return {
            "name": column, "type": "column" if kind == "period" else kind,
            "results": [links.entry(key, str(value), n) for value, n in shown],
            "hideable": False, "toggle_url": self.ds.urls.path(path_with_removed_args(
                self.request, {})),
            "truncated": len(values) > len(shown),
        }


class _Toggles:
    """The facet values' links, as Datasette's path_with_added_args / _removed_args make
    them, with the query string parsed once instead of once per value."""

    def __init__(self, facet: Facet):
        self.facet = facet
        self.pairs = parse_qsl(facet.request.query_string)
        self.args = dict(self.pairs)
        self.path = facet.request.path

    def entry(self, key: str, value: str, count: int) -> dict:
        selected = self.args.get(key) == value
        if selected:
            pairs = [(k, v) for k, v in self.pairs if not (k == key and v == value)]
        else:
            pairs = [*[(k, v) for k, v in self.pairs], (key, value)]
        query = urlencode(pairs)
        path = self.path + (f"?{query}" if query else "")
        return {"value": value, "label": value, "count": count, "selected": selected,
                "toggle_url": self.facet.ds.absolute_url(self.facet.request,
                                                         self.facet.ds.urls.path(path))}
