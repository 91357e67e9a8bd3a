"""Cells a spreadsheet will not run: every CSV xietong writes — Datasette's own `.csv` of any
table or query, `/-/export.csv`, `xietong export` — passes its cells through `spreadsheet_safe`.
Text starting with = + - @, a tab or a carriage return is a formula (or the start of one) to
Excel and LibreOffice; it gets a leading apostrophe, as OWASP advises for CSV files. Numbers
stay numbers. Pure; the JSON and JSONL exports keep the text as it is.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """A csv.writer whose rows are made spreadsheet-safe first (writerow's return value is
    passed on: Datasette's writer returns a coroutine from its asynchronous file)."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_safe(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
