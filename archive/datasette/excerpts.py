"""Highlighted excerpts for search results: find a query's words in a text, cut a window around
the best cluster of them and wrap each in <mark>. Everything else is HTML-escaped; pure.

Matching follows archive/search.py: Han runs are found as substrings, other words whole and
case-insensitively, so what is marked is what the search matched on.

Bounded work (issue 14): an excerpt reads at most SCAN_CHARS characters of a text and weighs at
most MAX_MATCHES matches, in one pass, so a 60 MB article costs what a long one does.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from markupsafe import Markup, escape

from archive.search import _HAN_RUN, _words


def query_pieces(query: str | None) -> list[str]:
    """The Han runs and words of a query, longest first (雄安新区 2024 → 雄安新区, 2024)."""
    pieces = set()
    for term in (query or "").split():
        for i, part in enumerate(_HAN_RUN.split(term)):
            if i % 2:
                pieces.add(part)
            else:
                pieces.update(w for w in _words(part) if w)
    return sorted(pieces, key=lambda p: (-len(p), p))


def _pattern(pieces: list[str]) -> re.Pattern | None:
    if not pieces:
        return None
    alternatives = [
        re.escape(p) if _HAN_RUN.fullmatch(p) else rf"(?<![^\W_]){re.escape(p)}(?![^\W_])"
        for p in pieces
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    out, at = [], 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def highlight(text: str | None, query: str | None) -> Markup:
    """The whole text, escaped, with every match of the query marked."""
    text = text or ""
    pattern = _pattern(query_pieces(query))
    spans = [m.span() for m in pattern.finditer(text)] if pattern else []
    return _marked(text, spans)


SCAN_CHARS = 200_000  # an excerpt is cut from the first 200k characters of a text …
MAX_MATCHES = 1_000  # … weighing its first 1000 matches


def best_window(spans: list[tuple[int, int, str]], width: int, lead: int,
                length: int) -> tuple[int, int]:
    """The window [start, end) of `width` characters, starting `lead` before a match, that
    holds the most distinct match texts (the earliest of equals). `spans` are (start, end,
    key) in text order, not overlapping. One pass: both window edges only move forward."""
    best, best_count = (0, 0), -1
    inside: Counter[str] = Counter()  # keys of spans[left:right], the spans in the window
    left = right = 0
    for start_i, _, _ in spans:
        start = max(0, start_i - lead)
        end = min(length, start + width)
        while right < len(spans) and spans[right][1] <= end:
            if right >= left:
                inside[spans[right][2]] += 1
            right += 1
        while spans[left][0] < start:
            if left < right:
                inside[spans[left][2]] -= 1
                if not inside[spans[left][2]]:
                    del inside[spans[left][2]]
            left += 1
        if len(inside) > best_count:
            best, best_count = (start, end), len(inside)
    return best


def excerpt(text: str | None, query: str | None, width: int = 120) -> Markup:
    """About `width` characters of `text` around the densest cluster of matches, marked.

    With no match (the title matched, or the query was all punctuation) the opening is shown.
    """
    full = text or ""
    text = " ".join(full[:SCAN_CHARS].split())
    longer = len(full) > SCAN_CHARS
    pattern = _pattern(query_pieces(query))
    matches = list(islice(pattern.finditer(text), MAX_MATCHES)) if pattern else []
    if not matches:
        cut = text[:width]
        return escape(cut) + ("…" if longer or len(text) > width else "")
    spans = [(m.start(), m.end(), m.group().lower()) for m in matches]
    start, end = best_window(spans, width, width // 4, len(text))
    marks = [(max(s, start) - start, min(e, end) - start)
             for s, e, _ in spans if e > start and s < end]
    body = _marked(text[start:end], marks)
    more = longer or end < len(text)
    return (Markup("…") if start else Markup("")) + body + ("…" if more else "")
