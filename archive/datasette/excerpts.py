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

import lxml.html
from lxml.etree import ParserError
from markupsafe import Markup, escape

from archive.search import _HAN_RUN, _words, understood_query


def query_pieces(query: str | None) -> list[str]:
    """The Han runs and words of a query, longest first (雄安新区 2024 → 雄安新区, 2024),
    with the spellings the search added (Tongzhou → 通州 …); excluded terms are not marked."""
    pieces = set()
    for spelling in understood_query(query).pieces():
        for i, part in enumerate(_HAN_RUN.split(spelling)):
            if i % 2:
                pieces.add(part)
            elif _words(part):
                # Words of one spelling stay together: Xiong'an is "Xiong an", not "an".
                pieces.add(" ".join(_words(part)))
    return sorted(pieces, key=lambda p: (-len(p), p))


def _pattern(pieces: list[str]) -> re.Pattern | None:
    if not pieces:
        return None
    alternatives = [
        re.escape(p) if _HAN_RUN.fullmatch(p)
        else r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, p.split())) + r"(?![^\W_])"
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


def _mark_text(text: str, pattern: re.Pattern) -> tuple[str, list]:
    """`text` cut at the matches: the text before the first, and one <mark> element per match
    carrying the text that follows it as its tail."""
    lead, marks, at = text, [], 0
    for m in pattern.finditer(text):
        if marks:
            marks[-1].tail = text[at:m.start()]
        else:
            lead = text[:m.start()]
        mark = lxml.html.Element("mark")
        mark.text = m.group()
        marks.append(mark)
        at = m.end()
    if marks:
        marks[-1].tail = text[at:]
    return lead, marks


def highlight_html(html: str | None, query: str | None) -> str:
    """Clean article HTML with the query's matches in its text wrapped in <mark>: text nodes
    only, never markup or attributes. The caller cleans the result again (sanitize.clean_html
    allows <mark>), so nothing here can add anything but marks."""
    pattern = _pattern(query_pieces(query))
    if not html or not pattern:
        return html or ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return html
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if element.text:
            element.text, marks = _mark_text(element.text, pattern)
            for i, mark in enumerate(marks):
                element.insert(i, mark)
        if element is not root and element.tail:
            element.tail, marks = _mark_text(element.tail, pattern)
            parent = element.getparent()
            at = parent.index(element)
            for i, mark in enumerate(marks, 1):
                parent.insert(at + i, mark)
    inner = (escape(root.text) if root.text else "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)
    return str(inner)
