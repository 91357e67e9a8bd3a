"""Build the read-only Datasette that serves an archive: metadata from metadata.yaml, the CJK
search plugin (registered by entry point), SQL time limits. Never opens the file for writing.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from datasette.app import Datasette

METADATA = Path(__file__).parent / "datasette" / "metadata.yaml"
SETTINGS = {
    "sql_time_limit_ms": 2000,  # a runaway query ends instead of stalling the server
    "facet_time_limit_ms": 500,
    "default_page_size": 25,
    "max_returned_rows": 1000,
    "allow_download": True,
}


def metadata_for(db_path: str | Path) -> dict:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    tables = meta.pop("tables")
    meta["databases"] = {Path(db_path).stem: {"tables": tables}}
    return meta


def make_datasette(db_path: str | Path) -> Datasette:
    if not Path(db_path).exists():
        raise FileNotFoundError(f"no archive at {db_path}: run `xietong crawl` or `xietong demo`")
    return Datasette([str(db_path)], metadata=metadata_for(db_path), settings=SETTINGS)
