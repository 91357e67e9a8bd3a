"""Build the read-only Datasette that serves an archive: metadata from metadata.yaml (facets
kept only for columns the archive has), canned queries, our templates and stylesheet, the plugin
(registered by entry point; its SQLite limits are in archive/datasette/limits.py), SQL time
limits. A file on a read-only medium (or with no write bits) is served immutable. Never opens
the file for writing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml
from datasette.app import Datasette

from archive.datasette.queries import canned_queries
from archive.schema import ArchiveError, check_archive, connect_read_only, is_read_only

HERE = Path(__file__).parent / "datasette"
METADATA = HERE / "metadata.yaml"
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SETTINGS = {
    "sql_time_limit_ms": 2000,  # a runaway query ends instead of stalling the server
    "facet_time_limit_ms": 500,
    "default_page_size": 25,
    "max_returned_rows": 1000,
    "allow_download": True,
    "suggest_facets": False,  # the configured facets are the useful ones; suggestions are noise
    "truncate_cells_html": 200,  # a whole article body in a grid cell helps nobody
}
PLUGINS = {
    "datasette-cluster-map": {"latitude_column": "latitude", "longitude_column": "longitude"},
}


def serving_mode(db_path: str | Path) -> str | None:
    """One line for the user when the archive is served immutable, else None."""
    if not is_read_only(db_path):
        return None
    wal = Path(f"{db_path}-wal")
    unread = wal.exists() and wal.stat().st_size > 0
    return (f"{db_path} is read-only: serving it immutable"
            + (f" ({wal.name} is not read: checkpoint the archive before copying it)"
               if unread else ""))


def _columns(db_path: Path) -> dict[str, set[str]]:
    conn = connect_read_only(db_path)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {t: {r[1] for r in conn.execute(f"pragma table_info([{t}])")} for t in tables}
    finally:
        conn.close()


def _facet_column(facet) -> str:
    return facet if isinstance(facet, str) else next(iter(facet.values()))


def _facets_on(facets: list, columns: set[str]) -> list:
    kept = []
    for facet in facets:
        if isinstance(facet, dict) and "one_pass" in facet:
            inner = [f for f in facet["one_pass"] if _facet_column(f) in columns]
            if inner:
                kept.append({"one_pass": inner})
        elif _facet_column(facet) in columns:
            kept.append(facet)
    return kept


def metadata_for(db_path: str | Path) -> dict:
    db_path = Path(db_path)
    name = db_path.stem
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    meta["description_html"] = meta["description_html"].replace("{database}", name)
    tables = meta.pop("tables")
    columns = _columns(db_path) if db_path.exists() else {}
    for table, table_meta in tables.items():
        if "facets" in table_meta and table in columns:
            # A facet on a missing column is an error page; archives from before a column
            # was added (status, places …) get the others.
            table_meta["facets"] = _facets_on(table_meta["facets"], columns[table])
    meta["databases"] = {name: {"tables": tables}}
    if db_path.exists():
        meta["databases"][name]["queries"] = canned_queries(db_path, name)
    meta["plugins"] = PLUGINS
    return meta


def make_datasette(db_path: str | Path, allow_sql: bool = True) -> Datasette:
    """The Datasette of one archive. `allow_sql` False: no arbitrary SQL (tables, search and
    canned queries stay). Raises ArchiveError for a missing, foreign or unreadable file."""
    check_archive(db_path, must_exist=True)
    immutable = is_read_only(db_path)
    try:
        meta = metadata_for(db_path)
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"{db_path} cannot be read as an archive ({e})") from None
    if not allow_sql:
        meta["allow_sql"] = False
    return Datasette(
        [] if immutable else [str(db_path)], immutables=[str(db_path)] if immutable else [],
        metadata=meta, settings=SETTINGS,
        template_dir=str(TEMPLATES), static_mounts=[("xietong-static", str(STATIC))],
    )
