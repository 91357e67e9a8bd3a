"""Datasette plugin: makes the standard search box and `?_search=` use the bigram query
translation of archive.search. Only replaces the SQL function `escape_fts`; never writes.
"""

from __future__ import annotations

from datasette import hookimpl

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
