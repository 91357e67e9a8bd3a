"""Datasette's own CSV — the `.csv` of every table, row, canned query and SQL query, which the
grid view links to — made spreadsheet-safe (archive/spreadsheet.py), as `/-/export.csv` and
`xietong export` are.

Datasette 0.65 has no hook for CSV cells: DataView.as_csv writes every CSV through
`csv.writer`, looked up in the `csv` module datasette/views/base.py imported. `install` gives
that module a `csv` whose writer neutralises each cell, everything else unchanged; it refuses
(an error at startup, not unsafe files) if Datasette no longer writes CSV that way. Changes
no data, only the CSV text.
"""

from __future__ import annotations

import csv
import types

from datasette.views import base

from archive.spreadsheet import SafeCsvWriter


def safe_writer(fileobj, *args, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(csv.writer(fileobj, *args, **kwargs))


def install() -> None:
    """Once per process: Datasette's CSV views write through `safe_writer`."""
    if getattr(base.csv, "xietong_safe", False):
        return
    if base.csv is not csv or not hasattr(base.DataView, "as_csv"):
        raise RuntimeError("Datasette no longer writes its CSV through datasette/views/base.py "
                           "csv.writer: xietong cannot make it spreadsheet-safe")
    safe = types.ModuleType("csv", "the csv module, with spreadsheet-safe writers (xietong)")
    safe.__dict__.update({k: v for k, v in vars(csv).items() if not k.startswith("__")})
    safe.writer = safe_writer
    safe.xietong_safe = True
    base.csv = safe
