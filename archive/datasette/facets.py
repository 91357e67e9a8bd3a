"""Facets for Datasette. `year` counts rows by the first four characters of a date column and
filters with `column__startswith=YYYY`. `one_pass` counts every configured facet of the articles
list — plain columns, years and JSON lists — in a single read of the matching rows, where
Datasette runs one query per facet (each reading every matching row again). Both are read-only
and run under the facet time limit.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import (
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
    sqlite_timelimit,
)


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


def _list_values(value) -> list[str]:
    if not isinstance(value, str) or not value.startswith("["):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    return list(dict.fromkeys(str(i) for i in items if isinstance(i, str | int | float)))


class OnePassFacet(Facet):
    """Configured as `{one_pass: [channel, {year: published_at}, {array: places}, …]}`. The
    counts are kept as they stream by, so memory grows with the number of distinct values,
    not of matching rows."""

    type = "one_pass"

    async def facet_results(self):
        configs = self.get_configs()
        if not configs:
            return [], []
        specs = [s for c in configs for s in one_pass_specs(c["config"])]
        if not specs:
            return [], []
        columns = list(dict.fromkeys(column for _, column in specs))
        select = ", ".join(escape_sqlite(c) for c in columns)
        sql = f"select {select} from ({self.sql})"
        params = self.params
        limit_ms = self.ds.setting("facet_time_limit_ms")

        def count(conn):
            counters = {spec: Counter() for spec in specs}
            index = {c: i for i, c in enumerate(columns)}
            with sqlite_timelimit(conn, limit_ms):
                cursor = conn.execute(sql, params)
                while batch := cursor.fetchmany(2000):
                    for row in batch:
                        for spec, counter in counters.items():
                            kind, column = spec
                            value = row[index[column]]
                            if value is None or value == "":
                                continue
                            if kind in ("column", "period"):
                                counter[value] += 1
                            elif kind == "year":
                                year = str(value)[:4]
                                if year.isdigit():
                                    counter[year] += 1
                            else:
                                counter.update(_list_values(value))
            return counters

        db = self.ds.get_database(self.database)
        try:
            counters = await db.execute_fn(count)
        except sqlite3.OperationalError as e:
            if "interrupted" in str(e):
                return [], [column for _, column in specs]
            raise
        return [self._result(kind, column, counters[(kind, column)])
                for kind, column in specs], []

    def _result(self, kind: str, column: str, counter: Counter) -> dict:
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        if kind in ("year", "period"):
            ordered = sorted(counter.items(), key=lambda kv: str(kv[0]), reverse=True)
        else:
            ordered = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
        key = {"year": f"{column}__startswith", "array": f"{column}__arraycontains"}.get(
            kind, column)
        shown = ordered if kind == "year" else ordered[:size]
        return {
            "name": column, "type": "column" if kind == "period" else kind,
            "results": [_value_entry(self, args, key, str(value), n) for value, n in shown],
            "hideable": False, "toggle_url": self.ds.urls.path(path_with_removed_args(
                self.request, {})),
            "truncated": len(ordered) > len(shown),
        }
