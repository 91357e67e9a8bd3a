"""A page as every reader gets it: its URL, its decoded text and ONE parsed tree — the template
reader, the template-blind reader filling in after it, and the page-requisite list all read the
same tree (issue 23: a page used to be parsed twice). Pure; never mutate the tree, it is shared.

The tree is lxml's own (no parsel, no per-call selector objects): selectors are compiled once per
module (selectors.py). The parser's depth limit is read from its error log, not by walking the
tree again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lxml import etree

from peoplecn.pages.encoding import Decoded, decode_page
from peoplecn.pages.hidden import HiddenText, hidden_text

_EMPTY = b"<html></html>"
_LOCAL = threading.local()  # an lxml parser is not to be shared between threads


def _parser() -> etree.HTMLParser:
    # As parsel parses (recover, huge_tree: libxml2 stops building the tree at
    # PARSER_MAX_DEPTH); comments and processing instructions are never text: not kept.
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(recover=True, huge_tree=True,
                                                  encoding="utf-8", remove_comments=True,
                                                  remove_pis=True)
    return parser


@dataclass(eq=False)
class Page:
    url: str
    decoded: Decoded
    root: etree._Element
    too_deep: bool = False  # the parser stopped at its depth limit: deeper text is not here
    _hidden: HiddenText | None = field(default=None, repr=False)

    @property
    def hidden(self) -> HiddenText:
        """What the page itself hides (style, <style> rules, hidden, aria-hidden)."""
        if self._hidden is None:
            self._hidden = hidden_text(self.root)
        return self._hidden

    @property
    def body(self) -> etree._Element:
        found = self.root.find("body") if self.root.tag == "html" else None
        return found if found is not None else self.root


def _parse(decoded: Decoded) -> tuple[etree._Element, bool]:
    data = decoded.utf8  # the bytes as they came, when they are the text's UTF-8
    if data is None or not data.strip():
        data = decoded.text.strip().replace("\x00", "").encode("utf-8", "replace") or _EMPTY
    parser = _parser()
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        root = None
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message
                   for e in parser.error_log)
    if root is None:
        root = etree.fromstring(_EMPTY, parser=parser)
    return root, too_deep


def parse_page(url: str, body: bytes, content_type: str | None = None) -> Page:
    """Decode the bytes the way a browser would and parse them once."""
    decoded = decode_page(body, content_type)
    root, too_deep = _parse(decoded)
    return Page(url=url, decoded=decoded, root=root, too_deep=too_deep)
