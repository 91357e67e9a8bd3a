"""Dates as people type them into a From or To box — 2024, 2024-03, 2024/03, 2024.3, 2024年,
2024年3月, 2024年3月5日, 2024-03-05, 20240305, full-width digits too — read as an ISO year, month
or day, or refused with a message that says what would be read. Pure; never guesses: 2024-13
and 3月 are refused, not rounded to something near.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

FORMS = "2024、2024-03、2024/03、2024年3月、2024年3月5日"
_SEP = r"\s*[-/.．]\s*"
_PATTERNS = [
    re.compile(r"(\d{4})\s*年?"),
    re.compile(rf"(\d{{4}})(?:{_SEP}|\s*年\s*)(\d{{1,2}})\s*月?"),
    re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})?"),  # 20240305, 202403
]
MIN_YEAR, MAX_YEAR = 1000, 2999


class DateError(ValueError):
    """A typed date that is not one of the forms, or not a real day; the message says so."""


@dataclass(frozen=True)
class DateBound:
    typed: str
    iso: str  # YYYY, YYYY-MM or YYYY-MM-DD

    @property
    def last(self) -> str:
        """Sorts after every ISO timestamp inside the period (`~` follows every character an
        ISO date has): the exclusive end of a range that includes this period."""
        return self.iso + "~"


def read_date(typed: str | None) -> DateBound | None:
    """The date in `typed`, None for an empty box; raises DateError for anything else."""
    text = unicodedata.normalize("NFKC", typed or "").strip()
    if not text:
        return None
    for pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            parts = [int(g) for g in m.groups() if g is not None]
            return DateBound(typed.strip(), _iso(text, parts))
    raise DateError(f"看不懂的日期 · not a date: “{typed.strip()[:40]}”。"
                    f"可以写 · write it as {FORMS}")


def _iso(text: str, parts: list[int]) -> str:
    year = parts[0]
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"年份不对 · no such year: “{text[:40]}”")
    if len(parts) == 1:
        return f"{year:04d}"
    if not 1 <= parts[1] <= 12:
        raise DateError(f"没有这个月 · no such month: “{text[:40]}” (1–12)")
    if len(parts) == 2:
        return f"{year:04d}-{parts[1]:02d}"
    try:
        return date(year, parts[1], parts[2]).isoformat()
    except ValueError:
        raise DateError(f"没有这一天 · no such day: “{text[:40]}”") from None


def reversed_range(start: DateBound | None, end: DateBound | None) -> bool:
    """True when `start` begins after the whole of `end` (2025 → 2017); 2024-03 → 2024 is not
    reversed, the month lies inside the year."""
    return bool(start and end and start.iso > end.last)
