"""Served SQL that cannot hurt the server: SQLite limits on every connection Datasette opens
(string and blob length, SQL length, columns, expression depth …), a cap on SQLite's own heap,
a cap on the bytes one query may hand back, no fts3_tokenizer, and every error answered as a
4xx with a message.

Datasette's time limit cannot interrupt one huge function call (`printf('%.*c', 9e8, 'x')`,
`randomblob(3e8)`); the length limit stops the allocation, and printf/format — which SQLite
would still spin through for seconds before giving NULL — refuse a width over MAX_WIDTH first.
Never writes anything.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import weakref

from datasette.utils.asgi import Base400

logger = logging.getLogger(__name__)

MB = 1 << 20
# Any one value: above the largest an archive holds (pages are capped at XIETONG_PAGE_MAXSIZE).
MAX_VALUE_BYTES = 32 * MB
RESULT_BYTES = 64 * MB  # the values one query may return, all rows together
HEAP_BYTES = 512 * MB  # SQLite's own memory in the serving process, every connection together
LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_VALUE_BYTES,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 100_000,
    sqlite3.SQLITE_LIMIT_COLUMN: 200,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 200,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 50,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 100,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 1_000,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 10_000,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 10,
}

MAX_WIDTH = 1_000_000  # printf/format width or precision
_CONVERSION = re.compile(r"%[-+ 0#,!]*(\*|\d*)(?:\.(\*|\d*))?l{0,2}([a-zA-Z%])")
_builtin = threading.local()  # per thread: a plain connection whose printf is SQLite's own

_spent: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # cursor → bytes returned


class ResultTooLarge(sqlite3.OperationalError):
    """A query's rows passed RESULT_BYTES (an OperationalError, so Datasette reports it as a
    query error)."""


def _size(value) -> int:
    return len(value) if isinstance(value, str | bytes) else 8


def budget_row(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
    """Datasette's row factory (sqlite3.Row), counting what each query returns: Datasette
    opens a cursor per query, so the count is per query."""
    spent = _spent.get(cursor, 0) + sum(map(_size, row))
    if spent > RESULT_BYTES:
        raise ResultTooLarge(f"the result is larger than {RESULT_BYTES // MB} MB: ask for "
                             "fewer rows or shorter columns")
    _spent[cursor] = spent
    return sqlite3.Row(cursor, row)


def _width_checked(fmt, *args):
    """SQLite's printf, after checking every width and precision of `fmt` (literal or `*`)."""
    if fmt is None:
        return None
    fmt = str(fmt)
    values = iter(args)
    for width, precision, kind in _CONVERSION.findall(fmt):
        for part in (width, precision):
            n = next(values, 0) if part == "*" else (int(part) if part else 0)
            try:
                too_wide = abs(int(n)) > MAX_WIDTH
            except (TypeError, ValueError):
                too_wide = False
            if too_wide:
                raise ValueError(f"printf width or precision over {MAX_WIDTH}")
        if kind != "%":
            next(values, None)
    conn = getattr(_builtin, "conn", None)
    if conn is None:
        conn = _builtin.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    marks = ", ".join("?" * (1 + len(args)))
    return conn.execute(f"select printf({marks})", [fmt, *args]).fetchone()[0]


# Functions no served query may call: fts3_tokenizer('simple') hands out a pointer into the
# server's memory, and its two-argument form registers one (SQLite's own docs call it a
# security risk). SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER only gates the second form and Python
# 3.11 cannot set it: an authorizer refuses both when a statement is prepared.
REFUSED_FUNCTIONS = {"fts3_tokenizer"}


def refuse_functions(action: int, arg1, arg2, database, trigger) -> int:
    if action == sqlite3.SQLITE_FUNCTION and str(arg2 or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def limit_connection(conn: sqlite3.Connection) -> None:
    """Apply the limits to one connection (Datasette's prepare_connection)."""
    conn.set_authorizer(refuse_functions)
    for category, value in LIMITS.items():
        conn.setlimit(category, value)
    conn.row_factory = budget_row
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_BYTES}")
    for name in ("printf", "format"):
        conn.create_function(name, -1, _width_checked, deterministic=True)


def client_error(exception: Exception) -> tuple[int, str] | None:
    """(status, one-line message) for an exception Datasette would answer with a 500; None for
    those it answers itself with a 4xx. The request, not the server, is what went wrong here:
    a query over a limit, a number out of range, a method the page does not take."""
    if isinstance(exception, Base400) or getattr(exception, "status", 500) < 500:
        return None
    if isinstance(exception, sqlite3.Error):
        return 400, f"the query could not be answered: {exception}"
    if isinstance(exception, OverflowError | ValueError):
        return 400, f"a value in the request is out of range: {exception}"
    if isinstance(exception, MemoryError):
        return 400, "the request needs more memory than this server gives one request"
    if isinstance(exception, AssertionError) and "POST" in str(exception):
        # Datasette asserts that only canned queries take POST: the client's mistake.
        return 405, "this page answers GET only (POST goes to a canned query)"
    return 400, f"this request could not be answered ({type(exception).__name__})"


# What one HTML page of a custom SQL query renders (issue 21): Datasette fetches up to
# max_returned_rows and would render every cell; a page of 1000 article bodies was 19.5 MB and
# took a browser 27 s. The rows past either cap stay one click away as JSON or CSV.
PAGE_ROWS = 200
PAGE_CHARS = 1_000_000


def capped_rows(display_rows: list) -> dict:
    """The first rows of a query page that fit PAGE_ROWS and PAGE_CHARS (at least one row), how
    many that is, and whether any were left out. A cell is rendered once, here."""
    shown, chars = [], 0
    for row in display_rows[:PAGE_ROWS]:
        size = sum(len(str(cell)) for cell in row)  # a lazy cell renders (once) here
        if shown and chars + size > PAGE_CHARS:
            break
        shown.append(row)
        chars += size
    return {"rows": shown, "total": len(display_rows), "cut": len(shown) < len(display_rows),
            "max_rows": PAGE_ROWS, "max_mb": PAGE_CHARS / 1_000_000}
