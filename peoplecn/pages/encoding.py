"""Bytes → text the way a browser would for people.cn (reference §3): BOM, then the HTTP header,
then <meta>/<?xml>, then detection (strict UTF-8, strict GB18030, charset-normalizer).

GB2312/GBK declarations are decoded as GB18030 (w3lib's mapping): Python's own gb2312 codec
turns real pages into U+FFFD and wrong dashes. Never guess from the first "charset=" in the page
(Wayback pages put a script's charset="utf-8" before the page's own <meta>).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import read_bom, resolve_encoding

# Characters that the strict GB2312 codec produces where GBK means something else (reference §3).
_THIRD_PARTY_FIXES = (("\u2015", "\u2014"), ("\u30fb", "\u00b7"))
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
# Codecs whose bytes under 0x80 are ASCII (every byte of a multi-byte character is ≥ 0x40):
# a control character in the text is a control byte in the bytes.
_ASCII_SAFE = ("utf-8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis",
               "euc_jp", "euc_kr", "cp1252", "iso8859-1", "latin-1", "ascii")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
# UTF-8 read as cp1252/latin-1: "Ã©", "æ–°" … (a lead byte's character, then a continuation's).
_LATIN_MOJIBAKE = re.compile(
    "[\u00c0-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str  # the codec actually used
    declared: str | None  # the label the header or the page declared, lower case, as written
    mojibake: bool  # the text looks garbled whatever we did
    # the bytes themselves when they are exactly the UTF-8 of `text` (the parser reads them as
    # they came, no encoding back), else None
    utf8: bytes | None = None


def _label(raw: bytes | str | None) -> str | None:
    if not raw:
        return None
    label = raw.decode("ascii", "replace") if isinstance(raw, bytes) else raw
    return label.strip().lower() or None


def declared_in_header(content_type: str | None) -> str | None:
    m = _HEADER_CHARSET.search(content_type or "")
    return _label(m.group(1)) if m else None


def declared_in_page(body: bytes) -> str | None:
    """The charset of the first <meta> (or <?xml>) that names one, in the first 8 KiB."""
    head = body[:8192]
    m = _XML_DECL.match(head)
    if m:
        return _label(m.group(1))
    for tag in _META_TAG.finditer(head):
        m = _META_CHARSET.search(tag.group(0))
        if m:
            return _label(m.group(1))
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = resolve_encoding(label)
        return codecs.lookup(name).name if name else None
    except (LookupError, TypeError, ValueError):
        return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(body: bytes) -> tuple[str, str] | None:
    for codec in ("utf-8", "gb18030"):
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    best = from_bytes(body[:65536]).best()
    codec = _codec(best.encoding) if best else None
    text = _strict(body, codec) if codec else None
    return (text, codec) if text is not None else None


def looks_garbled(text: str, body: bytes | None = None, codec: str | None = None) -> bool:
    """U+FFFD, the famous 锟斤拷 (U+FFFD round-tripped through GBK), or UTF-8 read as latin-1.
    (Given the UTF-8 `body` the text came from, a text with no U+00C0–U+00EF — no 0xC3 byte —
    is not searched for the last: that search scans every character.)"""
    if "\ufffd" in text or "锟斤拷" in text:
        return True
    if codec == "utf-8" and body is not None and b"\xc3" not in body:
        return False
    return len(_LATIN_MOJIBAKE.findall(text)) >= 3


def decode_page(body: bytes, content_type: str | None = None) -> Decoded:
    in_header, in_page = declared_in_header(content_type), declared_in_page(body)
    declared = in_header or in_page
    bom_codec, bom = read_bom(body)
    if bom_codec and bom:
        text, codec = body[len(bom):].decode(bom_codec, errors="replace"), bom_codec
    else:
        text, codec = _decode(body, _codec(in_header) or _codec(in_page))
    # str.translate walks CJK text character by character in Python's slow path (2.3 of 6 ms
    # on a real page, issue 23): two replace() calls do the same in C.
    pristine = codec == "utf-8" and not bom
    for wrong, right in _THIRD_PARTY_FIXES:
        if wrong in text:
            text, pristine = text.replace(wrong, right), False
    # C0 control characters are never text, and lxml refuses them in names and values. (Bytes
    # without one decode to a text without one: checked in C, not character by character.)
    if not (codec in _ASCII_SAFE and not bom
            and len(body.translate(None, _CONTROL_BYTES)) == len(body)):
        text, pristine = _CONTROLS.sub("", text), False
    return Decoded(text=text, charset=codec, declared=declared,
                   mojibake=looks_garbled(text, None if bom else body, codec),
                   utf8=body if pristine else None)


def _decode(body: bytes, codec: str | None) -> tuple[str, str]:
    if codec and codec != "utf-8" and not body.isascii():
        as_utf8 = _strict(body, "utf-8")
        if as_utf8 is not None:
            # Declared GB2312 (or another legacy charset) but the bytes are valid UTF-8: a page
            # re-saved as UTF-8 without its declaration being updated (the shared corpus pages
            # are such). Real GBK text with Chinese in it is practically never valid UTF-8.
            return as_utf8, "utf-8"
    if codec:
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    found = _detected(body)
    if found:
        return found
    # Nothing reads the bytes cleanly: decode as declared (or UTF-8) and let the mojibake
    # flag tell the archive.
    codec = codec or "utf-8"
    return body.decode(codec, errors="replace"), codec
