"""Build the read-only Datasette that serves an archive: metadata from metadata.yaml (facets
kept only for columns the archive has), canned queries, our templates and stylesheet, the plugin
(registered by entry point), SQL time limits. Never opens the file for writing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml
from datasette.app import Datasette

from archive.datasette.queries import canned_queries

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


def _columns(db_path: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
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


def make_datasette(db_path: str | Path) -> Datasette:
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no archive at {db_path}: run `xietong crawl` or `xietong demo`")
    return Datasette(
        [str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS,
        template_dir=str(TEMPLATES), static_mounts=[("xietong-static", str(STATIC))],
    )
