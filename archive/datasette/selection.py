"""The list's selection — what a reader asked for: the search, the date range (`_from`, `_to`),
and the filters on source, channel, series, place, topic or any other column in Datasette's
own syntax (`source=…`, `places__arraycontains=…`, `published_at__startswith=…`) — read once
from a request, checked, turned into SQL, and written back into the links of every view
derived from the list (timeline, feeds, exports, ranked search, and later ones).

It never guesses and never pretends: a value it cannot read (a date it does not know, a
reversed range, a column the table lacks, a lookup Datasette does not have) is refused with a
message for the page to show beside the field, and left out of the SQL, the chips and the
carried links alike. Read-only; builds SQL text only from checked column names, every value
goes in as a parameter.

Public interface (docs/search.md, "The selection"): `read_selection`, `Selection` (its `where`,
`pairs`, `link`, `chips`, `problem`, `summary`), `Problem`, `ExtraFilter` + `register_filter`
for filters that are not columns (e.g. issue 19's `entity=`), `canonical_pairs`, `list_pairs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from datasette.filters import FilterArguments, Filters
from datasette.utils import escape_sqlite

from archive.datasette.cells import COLUMN_LABELS
from archive.date_input import DateBound, DateError, read_date, reversed_range
from archive.gazetteer import gazetteer
from archive.search import SEARCH_TABLE, fts_query

FROM, TO = "_from", "_to"
DATE_COLUMN = "published_at"
PLACE_FILTER = "places__arraycontains"
# Search arguments: the list's (Datasette's) and the derived pages' own.
SEARCH_ARGS = ("_search", "q")

LOOKUP_LABELS = {
    "exact": "=", "not": "≠", "contains": "含 contains", "startswith": "始于 starts with",
    "endswith": "止于 ends with", "arraycontains": "含 contains",
    "arraynotcontains": "不含 does not contain", "gte": "≥", "lte": "≤", "gt": ">", "lt": "<",
    "isnull": "为空 is empty", "notnull": "非空 is not empty", "isblank": "为空 is blank",
    "notblank": "非空 is not blank", "in": "∈", "notin": "∉", "like": "like",
    "notlike": "not like", "glob": "glob", "date": "日期 on",
}
# The five filters a reader names (issue 21): a short label on their chips.
NAMED = {"source": "来源 source", "channel": "频道 channel", "series": "系列 series",
         PLACE_FILTER: "地点 place", "topics__arraycontains": "主题 topic"}


@dataclass(frozen=True)
class Problem:
    field: str  # the query argument (`_from`, `source__foo` …)
    typed: str
    message: str  # bilingual, said beside the field


@dataclass(frozen=True)
class ExtraFilter:
    """A filter that is not a column of `articles`, e.g. `entity=person:张三` (issue 19).
    `where(value, alias, param)` gives (SQL clause on table alias `alias`, its parameters, all
    named from `param`) or raises ValueError with a message for the page; `needs` are the
    tables the archive must have for it to apply.

    Datasette's table view reads any argument without a leading `_` as a column filter, so on
    the list (and its JSON, CSV and Atom) the filter is spelled `list_key` (`_entity`), which
    the plugin's filters_from_request applies there; `entity=` sent to the list is redirected
    to it. Every view reads both spellings; the list's links write `list_key`."""

    key: str
    label: str  # bilingual, for its chip: "实体 entity"
    where: Callable[[str, str, str], tuple[str, dict]]
    needs: tuple[str, ...] = ()

    @property
    def list_key(self) -> str:
        return self.key if self.key.startswith("_") else "_" + self.key


EXTRA_FILTERS: dict[str, ExtraFilter] = {}


def register_filter(spec: ExtraFilter) -> None:
    """Make `spec.key` a filter of every view that reads a selection."""
    EXTRA_FILTERS[spec.key] = spec


def extra_filter(key: str) -> ExtraFilter | None:
    """The registered filter an argument names, in either spelling (`entity`, `_entity`)."""
    return EXTRA_FILTERS.get(key) or next(
        (spec for spec in EXTRA_FILTERS.values() if spec.list_key == key), None)


@dataclass
class ColumnFilter:
    key: str  # as in the query string: column or column__lookup
    value: str
    note: str | None = None  # what was changed to apply it (通州 → 通州区)


@dataclass
class Selection:
    searches: list[str] = field(default_factory=list)
    date_from: DateBound | None = None
    date_to: DateBound | None = None
    filters: list[ColumnFilter] = field(default_factory=list)
    extras: list[tuple[ExtraFilter, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped_searches: list[str] = field(default_factory=list)  # past the page's limit
    on_list: bool = False  # links written by the list: registered filters in its spelling

    @property
    def search(self) -> str:
        return self.searches[0] if self.searches else ""

    def problem(self, name: str) -> str | None:
        """The message for one field, if its value was refused."""
        return next((p.message for p in self.problems if p.field == name), None)

    @property
    def narrowed(self) -> bool:
        """Anything besides the search: dates or filters."""
        return bool(self.date_from or self.date_to or self.filters or self.extras)

    def where(self, alias: str = "a", searches: list[str] | None = None,
              qualify: bool = False) -> tuple[list[str], dict]:
        """SQL clauses (to be ANDed) and parameters of the selection on `articles` as `alias`.
        `searches`: those to match (default: the selection's; each must match). `qualify`:
        column filters go through a subquery, for a FROM that joins a table whose columns
        share names with articles' (articles_fts has title and body)."""
        clauses, params = [], {}
        if self.filters:
            found, found_params = Filters(
                [(f.key, f.value) for f in self.filters]).build_where_clauses(alias)
            if qualify:
                clauses.append(f"{alias}.rowid in (select rowid from articles where "
                               + " and ".join(f"({c})" for c in found) + ")")
            else:
                clauses += [f"({c})" for c in found]
            params.update(found_params)
        if self.date_from:
            clauses.append(f"{alias}.{DATE_COLUMN} >= :xt_from")
            params["xt_from"] = self.date_from.iso
        if self.date_to:
            clauses.append(f"{alias}.{DATE_COLUMN} < :xt_to")
            params["xt_to"] = self.date_to.last
        for i, (spec, value) in enumerate(self.extras):
            clause, extra = spec.where(value, alias, f"xt_x{i}")
            clauses.append(f"({clause})")
            params.update(extra)
        for i, search in enumerate(self.searches if searches is None else searches):
            clauses.append(f"{alias}.rowid in (select rowid from {SEARCH_TABLE} "
                           f"where {SEARCH_TABLE} match :xt_q{i})")
            params[f"xt_q{i}"] = fts_query(search)
        return clauses, params

    def filter_pairs(self) -> list[tuple[str, str]]:
        """The applied column and extra filters as query pairs (no search, no dates)."""
        return [*((f.key, f.value) for f in self.filters),
                *((spec.list_key if self.on_list else spec.key, value)
                  for spec, value in self.extras)]

    def pairs(self, search_arg: str = "_search", searches: bool = True) -> list[tuple[str, str]]:
        """What was applied, as query pairs for a link: searches (under `search_arg`), filters,
        extras, dates (as read: 2024年3月 is carried as 2024-03)."""
        out = [(search_arg, s) for s in self.searches] if searches else []
        out += self.filter_pairs()
        if self.date_from:
            out.append((FROM, self.date_from.iso))
        if self.date_to:
            out.append((TO, self.date_to.iso))
        return out

    def link(self, base: str, search_arg: str = "_search", searches: bool = True,
             extra: list[tuple[str, str]] | tuple = ()) -> str:
        query = urlencode([*self.pairs(search_arg, searches), *extra])
        return base + ("?" + query if query else "")

    def chips(self, base: str, search_arg: str = "_search", searches: bool = False,
              keep: list[tuple[str, str]] | tuple = ()) -> list[dict]:
        """The applied filters (and dates) as chips: a label in both languages and the link
        to `base` with the selection less that one (plus `keep`, e.g. the page's own
        settings)."""
        pairs = self.pairs(search_arg, searches)
        out = []
        for i, (key, value) in enumerate(pairs):
            if key == search_arg:
                continue
            rest = [p for j, p in enumerate(pairs) if j != i] + list(keep)
            out.append({"label": self._label(key, value), "note": self._note(key, value),
                        "remove": base + ("?" + urlencode(rest) if rest else "")})
        return out

    def _label(self, key: str, value: str) -> str:
        if key == FROM:
            return f"从 from {value}"
        if key == TO:
            return f"到 to {value}"
        if extra_filter(key):
            return f"{extra_filter(key).label} {value}"
        if key in NAMED:
            return f"{NAMED[key]}: {value}"
        column, _, lookup = key.partition("__")
        zh = COLUMN_LABELS.get(column)
        name = f"{zh} {column}" if zh else column
        return f"{name} {LOOKUP_LABELS.get(lookup or 'exact', lookup)} {value}".strip()

    def _note(self, key: str, value: str) -> str | None:
        return next((f.note for f in self.filters if f.key == key and f.value == value), None)

    def summary(self) -> str:
        """One line: the searches, then every chip's label."""
        parts = [" vs ".join(self.searches)] if self.searches else []
        parts += [c["label"] for c in self.chips("")]
        return " · ".join(parts)


def place_name(value: str) -> tuple[str, str | None]:
    """A place filter's value as the gazetteer's name (what the places column holds), and a
    note when it was a spelling of it: 通州 → 通州区."""
    known = gazetteer()
    if known.get(value):
        return value, None
    found = known.find(value)
    if len(found) == 1 and found[0].name != value and value in (found[0].name,
                                                                *found[0].aliases):
        name = found[0].name
        return name, f"{value} → {name}（地名表 gazetteer）"
    return value, None


def _date(args, name: str, problems: list[Problem]) -> DateBound | None:
    typed = args.get(name) or ""
    try:
        return read_date(typed)
    except DateError as e:
        problems.append(Problem(name, typed, str(e)))
        return None


def read_selection(args, columns: set[str], search_arg: str = "_search",
                   max_searches: int = 1, tables: set[str] | frozenset = frozenset(),
                   own: tuple[str, ...] = (), on_list: bool = False) -> Selection:
    """The selection in `args` (a request's args: `.get`, `.getlist`, `.keys`) on a table with
    `columns` (an archive with `tables`). Every argument without a leading `_`, other than the
    page's `own` ones, is a filter; `search_arg` holds the search(es), at most `max_searches`
    (the rest are kept in `dropped_searches` for the page to say so). `on_list`: read for the
    list, whose links spell registered filters its way."""
    problems: list[Problem] = []
    searches = list(dict.fromkeys(s.strip() for s in args.getlist(search_arg) if s.strip()))
    selection = Selection(searches=searches[:max_searches],
                          dropped_searches=searches[max_searches:], problems=problems,
                          on_list=on_list)
    selection.date_from = _date(args, FROM, problems)
    selection.date_to = _date(args, TO, problems)
    if reversed_range(selection.date_from, selection.date_to):
        problems.append(Problem(TO, args.get(TO) or "",
                                f"结束早于开始 · the end ({selection.date_to.iso}) is before the "
                                f"start ({selection.date_from.iso}): swap them?"))
        selection.date_from = selection.date_to = None
    lookups = Filters._filters_by_key
    for key in args.keys():
        spec = extra_filter(key)
        if key.startswith("_") and not spec or key in SEARCH_ARGS or key in own:
            continue
        for value in args.getlist(key):
            if spec:
                missing = [t for t in spec.needs if t not in tables]
                if missing:
                    problems.append(Problem(key, value, f"{spec.label}: 存档没有 · the archive "
                                                        f"has no {', '.join(missing)}"))
                    continue
                try:
                    spec.where(value, "a", "xt_check")
                except ValueError as e:
                    problems.append(Problem(key, value, str(e)))
                    continue
                selection.extras.append((spec, value))
                continue
            column, _, lookup = key.partition("__")
            if column not in columns:
                problems.append(Problem(key, value, f"没有这一列 · no column “{column}”: "
                                                    "not applied"))
            elif (lookup or "exact") not in lookups:
                problems.append(Problem(key, value, f"不认识的筛选方式 · unknown filter "
                                                    f"“__{lookup}”: not applied"))
            else:
                note = None
                if key == PLACE_FILTER:
                    value, note = place_name(value)
                selection.filters.append(ColumnFilter(key, value, note))
    return selection


def canonical_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """A query string's pairs as the list applies them, or None when they already are: a
    place filter written with another spelling of a place gets the gazetteer's name (the
    places column holds names only), so `places__arraycontains=通州` becomes 通州区."""
    out, changed = [], False
    for key, value in pairs:
        if key == PLACE_FILTER:
            name, _ = place_name(value)
            changed |= name != value
            value = name
        out.append((key, value))
    return out if changed else None


def list_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """A list URL's pairs with registered filters in the list's spelling (`entity=` →
    `_entity=`: Datasette's table view would take `entity` for a column), or None when they
    already are."""
    out = [(EXTRA_FILTERS[k].list_key if k in EXTRA_FILTERS else k, v) for k, v in pairs]
    return out if out != pairs else None


def extra_filter_arguments(args, table: str, dated: FilterArguments | None,
                           tables: set[str] | frozenset = frozenset()) -> FilterArguments | None:
    """The list's share of the registered extra filters — in their list spelling (`_entity`):
    Datasette's table view reads the other as a column — added to the date range's clauses,
    for the plugin's filters_from_request on the articles table of an archive with `tables`.
    A value a filter refuses, or one whose tables the archive lacks, is not applied (the list
    says why)."""
    clauses = list(dated.where_clauses) if dated else []
    params = dict(dated.params) if dated else {}
    for i, spec in enumerate(EXTRA_FILTERS.values()):
        if table != "articles" or any(t not in tables for t in spec.needs):
            continue
        for j, value in enumerate(args.getlist(spec.list_key)):
            try:
                clause, extra = spec.where(value, escape_sqlite(table), f"xt_x{i}_{j}")
            except ValueError:
                continue
            clauses.append(f"({clause})")
            params.update(extra)
    return FilterArguments(clauses, params) if clauses else None
