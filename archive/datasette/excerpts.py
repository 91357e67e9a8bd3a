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
from functools import lru_cache
from itertools import islice

import lxml.html
from lxml.etree import ParserError
from markupsafe import Markup, escape

from archive.search import _HAN_RUN, _words, understood_query

# A letter or digit of a word FTS5 keeps whole (Latin, digits …): Han characters are not, as
# every Han character is a token boundary in the index (archive/search.py).
_WORD_CHAR = r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"


def _spelling_regex(spelling: str, prefix: bool) -> str | None:
    """One spelling as the search matches it: Han runs as substrings, other words whole (a
    prefix word may continue), the parts of a phrase in order with separators between."""
    parts: list[tuple[bool, str]] = []  # (is Han, text)
    for i, piece in enumerate(_HAN_RUN.split(spelling)):
        if i % 2:
            parts.append((True, piece))
        else:
            parts += [(False, w) for w in _words(piece)]
    if not parts:
        return None
    out = []
    for j, (han, text) in enumerate(parts):
        if j:  # two words, or two Han runs, were apart in the spelling: apart in the text
            out.append(r"[\W_]+" if parts[j - 1][0] == han else r"[\W_]*")
        out.append(re.escape(text))
    regex = "".join(out)
    if not parts[0][0]:
        regex = f"(?<!{_WORD_CHAR})" + regex
    if not parts[-1][0]:
        regex += f"{_WORD_CHAR}*" if prefix else f"(?!{_WORD_CHAR})"
    return regex


@lru_cache(maxsize=1024)
def query_pattern(query: str | None) -> re.Pattern | None:
    """What a query's search matches in a text, as one pattern: every spelling of every term
    it requires (those inside NEAR and OR too, the spellings the search added, a prefix's whole
    word), longest first; what it leaves out is not matched. For a plain Chinese word, the
    matches are its substrings — the concordance's count is the substring count. The list's
    excerpts, the article's marks and the concordance's hits all come from here, so a
    concordance line's n-th hit is the article page's n-th mark."""
    found: dict[str, int] = {}
    for term in understood_query(query).terms:
        for spelling in term.spellings:
            regex = _spelling_regex(spelling, term.prefix and spelling == term.typed)
            if regex:
                found.setdefault(regex, len(spelling))
    if not found:
        return None
    return re.compile("|".join(sorted(found, key=lambda r: (-found[r], r))), re.IGNORECASE)


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
    pattern = query_pattern(query)
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
    pattern = query_pattern(query)
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
    pattern = query_pattern(query)
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
