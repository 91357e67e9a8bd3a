"""Publication dates with provenance: every candidate a page offers (its date line, meta
publishdate, the URL, …), the one chosen, how sure we are, and whether the candidates disagree.

Pure: never reads the clock, so a page without a date gets no date — never the crawl time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peoplecn import urls
from peoplecn.pages.people_text import iso

# Other outlets' URL dates (reference §14): news.cn /20240424/, xinhuanet and hebnews
# /2012-06/04/, bjd /202402/25/, enorth /2024/02/25/.
_URL_DATES = (
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
    re.compile(r"/(\d{4})/(\d{2})/?(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})/(\d{2})/"),
)
_EN_DATE = re.compile(
    r"(\d{1,2}):(\d{2}),\s*(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+(\d{1,2}),\s*(\d{4})"
)
_MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
_TEXT_DATE_TIME = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2})[:：](\d{2})(?::(\d{2}))?"),
)


@dataclass
class DateChoice:
    published_at: str | None = None
    method: str | None = None
    confidence: str | None = None  # high | medium | low
    conflict: bool = False
    candidates: list[dict] = field(default_factory=list)  # [{method, value}] in priority order


def url_date(url: str) -> str | None:
    """YYYY-MM-DD from a people.cn article path or another outlet's dated path."""
    day = urls.url_date(url)
    if day:
        y, m, d = (int(x) for x in day.split("-"))
        return iso(y, m, d)
    path = url.split("?", 1)[0]
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            value = iso(*(int(g) for g in m.groups()))
            if value:
                return value
    return None


def english_date_time(line: str | None) -> str | None:
    """'11:35, November 23, 2022' → '2022-11-23T11:35:00+08:00' (en.people.cn: Beijing time)."""
    m = _EN_DATE.search(line or "")
    if not m:
        return None
    h, mi, month, d, y = m.groups()
    return iso(int(y), _MONTHS[month], int(d), int(h), int(mi))


def text_date_time(text: str | None) -> str | None:
    """The first date and time printed in a text ('2012-06-04 09:20:26', '2024年02月25日18:19')."""
    best = None
    for pattern in _TEXT_DATE_TIME:
        for m in pattern.finditer(text or ""):
            y, mo, d, h, mi, s = m.groups()
            value = iso(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
            if value and (best is None or m.start() < best[0]):
                best = (m.start(), value)
            if value:
                break
    return best[1] if best else None


_MONTH = (r"(January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
_EN_DATE_FIRST = re.compile(_MONTH + r"\s+(\d{1,2}),?\s*(\d{4}),?\s+(\d{1,2}):(\d{2})")
# "Updated: Feb 27, 2024 15:08" (abbreviated months, either order)
_SHORT = {m[:3]: i for m, i in _MONTHS.items()}
_EN_SHORT = re.compile(r"(?:(\d{1,2}):(\d{2}),?\s+)?\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
                       r"|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s*(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?")
_SLASH_DATE_TIME = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\s+(\d{1,2}):(\d{2})")
_DATES_ONLY = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
)
_EN_DATE_ONLY = re.compile(_MONTH + r"\s+(\d{1,2}),\s*(\d{4})")


def printed_date_time(text: str | None) -> str | None:
    """A date with a time in any way people.cn has printed one: 2024年02月25日18:19,
    2024-02-25 18:19(:00), 2024/02/25 18:19, 11:35, November 23, 2022 (en.people.cn, also
    after UPDATED:), November 23, 2022 11:35."""
    if not text:
        return None
    found = text_date_time(text) or english_date_time(text)
    if found:
        return found
    m = _EN_DATE_FIRST.search(text)
    if m:
        month, d, y, h, mi = m.groups()
        return iso(int(y), _MONTHS[month], int(d), int(h), int(mi))
    m = _SLASH_DATE_TIME.search(text)
    if m:
        return iso(*(int(g) for g in m.groups()))
    for m in _EN_SHORT.finditer(text):
        h1, mi1, month, d, y, h2, mi2 = m.groups()
        if h1 or h2:
            return iso(int(y), _SHORT[month], int(d), int(h1 or h2), int(mi1 or mi2))
    return None


def printed_date(text: str | None) -> str | None:
    """A bare date printed without a time (2009年03月05日, 2009-03-05, March 5, 2009)."""
    for pattern in _DATES_ONLY:
        for m in pattern.finditer(text or ""):
            value = iso(*(int(g) for g in m.groups()))
            if value:
                return value
    m = _EN_DATE_ONLY.search(text or "")
    return iso(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2))) if m else None


def choose(candidates: list[tuple[str, str | None]]) -> DateChoice:
    """Pick the first candidate (callers list them best first) and say how far to trust it.

    high: a date with a time, and every other candidate names the same day.
    medium: a time with nothing to confirm it, or a bare date that another candidate confirms.
    low: the candidates disagree, or all we have is one bare date (the URL's, say).
    """
    found = [{"method": m, "value": v} for m, v in candidates if v]
    if not found:
        return DateChoice()
    chosen = found[0]
    days = {c["value"][:10] for c in found}
    conflict = len(days) > 1
    has_time = "T" in chosen["value"]
    if conflict:
        confidence = "low"
    elif has_time and len(found) > 1:
        confidence = "high"
    elif has_time or len(found) > 1:
        confidence = "medium"
    else:
        confidence = "low"
    return DateChoice(chosen["value"], chosen["method"], confidence, conflict, found)
