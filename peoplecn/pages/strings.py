"""The string basics every page rule shares: markup whitespace collapsed, the paragraph indent
trimmed, Chinese characters told apart. Pure; no regular expression here can fail on any input.
"""

from __future__ import annotations

import re

SPACES = re.compile(r"[ \t\r\n\xa0\u3000]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# only what changes: runs of markup whitespace, and any tab, line break or no-break space (a
# pattern that also matched every single space made clean() slow on English text)
_LETTERS = bytes(range(0x41, 0x5b)) + bytes(range(0x61, 0x7b))
_CJK_LEADS = bytes(range(0xE3, 0xEA))
_MARKUP_SPACE = re.compile(r"[\t\r\n\xa0][ \t\r\n\xa0]*| [ \t\r\n\xa0]+")


def clean(s: str | None) -> str:
    """Collapse markup whitespace; trim the U+3000 paragraph indent."""
    if not s:
        return ""
    return _MARKUP_SPACE.sub(" ", s).strip(" \u3000")


def language_of(s: str) -> str:
    """zh or en, from the first two thousand characters: CJK characters (counted by their UTF-8
    lead bytes E3–E9: U+3000–U+9FFF) against Latin letters — byte counts done in C (a regular
    expression's per-match work was a third of assembling a record)."""
    b = s[:2000].encode("utf-8", "replace")
    han = len(b) - len(b.translate(None, _CJK_LEADS))
    latin = len(b) - len(b.translate(None, _LETTERS))
    return "zh" if han >= latin / 4 else "en"
