"""What a view derived from the articles list (the time view, the concordance, the terms, the
co-occurrence table) reads before anything else: which archive it is about (`db=`, else the
first), whether the reader may see its articles and whether it has the tables the view needs,
and the list's selection (archive/datasette/selection.py) read with that archive's columns
and tables — so the view applies, says and carries exactly what the list does.

It never reads the selection any other way and never applies a refused part: a page says the
refusals (beside the date boxes, the rest with the chips), an export answers 400 with them.
Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasette.database import Database
from datasette.utils.asgi import BadRequest, Forbidden, NotFound, Response

from archive.datasette.selection import FROM, TO, Problem, Selection, read_selection
from archive.search import understood_query


@dataclass
class DerivedView:
    database: str
    db: Database
    selection: Selection
    db_pair: list[tuple[str, str]]  # `db=` for links when the server has several archives

    def link(self, datasette, path: str, extra: list[tuple[str, str]] | tuple = ()) -> str:
        """`path` (a derived view) with the whole selection, the search as `q`."""
        return self.selection.link(datasette.urls.path(path), "q",
                                   extra=[*extra, *self.db_pair])

    def list_link(self, datasette, extra: list[tuple[str, str]] | tuple = ()) -> str:
        """The articles list of the same selection."""
        return self.selection.link(datasette.urls.table(self.database, "articles"),
                                   extra=extra)

    def chips(self, datasette, path: str, keep: list[tuple[str, str]] | tuple = ()
              ) -> list[dict]:
        """The applied filters as chips whose links drop one and keep the rest (search too)."""
        return self.selection.chips(datasette.urls.path(path), "q", searches=True,
                                    keep=[*keep, *self.db_pair])

    def typed(self, name: str) -> str:
        """What a date box shows: the refused text (to be corrected), else the date read."""
        return typed_date(self.selection, name)

    @property
    def refused(self) -> list[Problem]:
        """Refusals other than the dates (the date boxes say theirs)."""
        return [p for p in self.selection.problems if p.field not in (FROM, TO)]


def typed_date(selection: Selection, name: str) -> str:
    """What the `_from` / `_to` box shows: the refused text (so it can be corrected), else the
    date as read (2024年3月 → 2024-03), else nothing."""
    refused = next((p.typed for p in selection.problems if p.field == name), None)
    if refused is not None:
        return refused
    bound = selection.date_from if name == FROM else selection.date_to
    return bound.iso if bound else ""


def selection_record(selection: Selection) -> dict:
    """The selection an export counted, for its JSON."""
    return {"searches": selection.searches,
            "from": selection.date_from.iso if selection.date_from else None,
            "to": selection.date_to.iso if selection.date_to else None,
            "filters": [{"key": k, "value": v} for k, v in selection.filter_pairs()],
            "summary": selection.summary()}


def understood(q: str) -> dict:
    """How a search was read, for the `understood` macro: `reading` (None when it is what was
    typed), `additions` [(typed, added, sources)], `excluded`, `notes`."""
    query = understood_query(q)
    reading = query.reading()
    return {"reading": reading if q and reading != " ".join(q.split()) else None,
            "additions": [(t.typed, t.added, t.sources) for t in query.terms if t.added],
            "excluded": [alt.text() for alt in query.excluded], "notes": query.notes}


def archive_name(datasette, request) -> str | None:
    """`?db=` or the first database that is not Datasette's own; None when there is none."""
    name = request.args.get("db") or next(
        (n for n in datasette.databases if n != "_internal"), None)
    return name if name in datasette.databases and name != "_internal" else None


async def read_view(datasette, request, own: tuple[str, ...], needs: tuple[str, ...] = (),
                    missing: str = "", max_searches: int = 1) -> DerivedView:
    """The archive and selection of a derived view's request. `own`: the view's own arguments
    (never filters); `needs`: tables besides `articles`, `missing` said when one is absent."""
    database = archive_name(datasette, request)
    if database is None:
        raise NotFound("no such database")
    db = datasette.get_database(database)
    tables = set(await db.table_names())
    if "articles" not in tables:
        raise NotFound("this archive has no articles")
    if not await datasette.permission_allowed(request.actor, "view-table",
                                              resource=(database, "articles"), default=True):
        raise Forbidden("the articles of this archive are not shown to you")
    if any(t not in tables for t in needs):
        raise BadRequest(missing or f"this archive has no {', '.join(needs)}")
    selection = read_selection(request.args, set(await db.table_columns("articles")), "q",
                               max_searches=max_searches, tables=tables, own=("db", *own))
    several = len([n for n in datasette.databases if n != "_internal"]) > 1
    return DerivedView(database, db, selection, [("db", database)] if several else [])


def refusal(selection: Selection) -> Response | None:
    """An export's answer to a selection it cannot apply whole: 400 with every message (a
    script must never get all rows for a filter it thinks it applied)."""
    if not selection.problems:
        return None
    return Response.text("; ".join(f"{p.field}={p.typed}: {p.message}"
                                   for p in selection.problems), status=400)
