"""The string basics every page rule shares: markup whitespace collapsed, the paragraph indent
trimmed, Chinese characters told apart. Pure; no regular expression here can fail on any input.
"""

from __future__ import annotations

import re

SPACES = re.compile(r"[ \t\r\n\xa0\u3000]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# only what changes: runs of markup whitespace, and any tab, line break or no-break space (a
# pattern that also matched every single space made clean() slow on English text)
_MARKUP_SPACE = re.compile(r"[ \t\r\n\xa0]*[\t\r\n\xa0][ \t\r\n\xa0]*| {2,}")


def clean(s: str | None) -> str:
    """Collapse markup whitespace; trim the U+3000 paragraph indent."""
    if not s:
        return ""
    return _MARKUP_SPACE.sub(" ", s).strip(" \u3000")
