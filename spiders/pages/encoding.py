"""Bytes → text the way a browser would for people.cn: BOM, HTTP header, <meta>, strict UTF-8,
then GB18030 (reference §3).

GB2312/GBK declarations are decoded as GB18030 (w3lib's mapping): Python's own gb2312 codec
turns real pages into U+FFFD and wrong dashes. Never guess from the first "charset=" in the page.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

# Characters that the strict GB2312 codec produces where GBK means something else (reference §3).
_THIRD_PARTY_FIXES = str.maketrans({"\u2015": "\u2014", "\u30fb": "\u00b7"})


def _detect(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, charset actually used)."""
    charset, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    if charset.startswith("gb") and not body.isascii() and _detect(body) == "utf-8":
        # Declared GB2312 but the bytes are valid UTF-8: a page re-saved as UTF-8 without its
        # declaration being updated (the shared corpus pages are such). Real GBK text with
        # Chinese in it is practically never valid UTF-8, so this does not misread GBK pages.
        return body.decode("utf-8").translate(_THIRD_PARTY_FIXES), "utf-8"
    if charset in ("cp1252", "ascii"):  # w3lib's fallbacks for undeclared pages
        charset = _detect(body)
        text = body.decode(charset, errors="replace")
    return text.translate(_THIRD_PARTY_FIXES), charset
