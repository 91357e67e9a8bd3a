"""A page as the reader sees it: its text lines in document order, each with the block that
holds it, its links, photos and emphasis — the material the template-blind reader (cues.py)
reads every field from. One walk over the DOM; nothing here is quadratic in the page.

A line ends at every block element (p, div, td, li, h1 …) and at a paragraph break made of
line breaks: two <br>, or one <br> followed by an indented line (　　…), as the 2000s pages
print their paragraphs. Scripts, styles, forms and what the page hides (hidden.py) are not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from peoplecn.pages.page import Page
from peoplecn.pages.strings import clean

BLOCK_TAGS = frozenset({
    "p", "div", "td", "th", "tr", "table", "tbody", "thead", "tfoot", "li", "ul", "ol", "dl",
    "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "center", "section", "article", "header",
    "footer", "aside", "nav", "main", "blockquote", "figure", "figcaption", "pre", "hr",
    "body", "html", "address", "caption", "form", "fieldset", "details", "summary",
})
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "object", "embed", "video", "audio", "select",
    "textarea", "button", "input", "option", "template", "svg", "math", "head", "title",
    "canvas", "map", "frameset", "frame", "label",
})
_INDENT = re.compile(r"^[\r\n\t ]*(?:\u3000|\xa0\xa0|&nbsp;)")
_WS = re.compile(r"[ \t\r\n\xa0\u3000]+")


class Anchor:
    __slots__ = ("href", "element", "offset", "parts", "img_alt", "_text")

    def __init__(self, href: str, element, offset: int = 0):
        self.href = href
        self.element = element
        self.offset = offset  # where its text starts in the line's raw text
        self.parts: list[str] = []
        self.img_alt = ""
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:  # asked for many times, made once (after the walk)
            self._text = _WS.sub(" ", "".join(self.parts)).strip()
        return self._text


class Line:
    __slots__ = ("index", "pos", "owner", "parts", "anchors", "images", "image_anchors",
                 "link_chars", "emphasised", "bold", "breaks", "length", "raw", "text", "size")

    def __init__(self, pos: int, owner):
        self.index = -1  # position in Lines.lines
        self.pos = pos  # walk position: inside element E iff E.start <= pos < E.end
        self.owner = owner  # the innermost block element holding the line
        self.parts: list[str] = []
        self.anchors: list[Anchor] = []
        self.images: list = []
        self.image_anchors: list[Anchor | None] = []
        self.link_chars = 0
        self.emphasised = 0  # characters set in <em>/<i>
        self.bold = 0  # characters set in <strong>/<b>
        self.breaks = 0  # <br> seen since the last text
        self.length = 0  # of the raw text so far (an anchor's offset)
        self.raw = ""
        self.text = ""  # whitespace collapsed, trimmed
        self.size = 0  # characters, whitespace not counted

    @property
    def link_share(self) -> float:
        return self.link_chars / self.size if self.size else 0.0


def letters(s: str) -> int:
    """Characters that are not whitespace."""
    return len("".join(s.split()))


@dataclass
class Lines:
    lines: list[Line]
    start: dict  # element → walk position of its start
    end: dict  # element → walk position after its end
    owner_lines: dict  # block element → how many lines it holds directly

    def inside(self, line: Line, element) -> bool:
        s = self.start.get(element)
        return s is not None and s <= line.pos < self.end.get(element, s)


class _Walk:
    """The state of one walk: the lines so far, the open blocks, links and emphasis."""

    __slots__ = ("root", "lines", "owners", "blocks", "anchors", "em", "bold", "pos", "cur")

    def __init__(self, root):
        self.root = root
        self.lines: list[Line] = []
        self.owners: dict = {}
        self.blocks: list = [root]
        self.anchors: list[Anchor] = []
        self.em = self.bold = 0
        self.pos = 0
        self.cur: Line | None = None

    def flush(self) -> None:
        cur = self.cur
        cur.raw = raw = "".join(cur.parts)
        cur.text = text = clean(raw)  # the readers' rule: U+3000 inside a line stays
        cur.size = letters(text)
        if cur.size or cur.images:
            cur.index = len(self.lines)
            self.lines.append(cur)
            self.owners[cur.owner] = self.owners.get(cur.owner, 0) + 1
        self.cur = None

    def add(self, text: str) -> None:
        cur = self.cur
        if cur is not None:
            if text.isspace():
                cur.parts.append(text)
                cur.length += len(text)
                return
            if cur.breaks:
                if cur.breaks >= 2 or _INDENT.match(text):
                    self.flush()
                    cur = self.cur = Line(self.pos, self.blocks[-1])
                cur.breaks = 0
        elif text.isspace():
            return
        else:
            cur = self.cur = Line(self.pos, self.blocks[-1])
        offset = cur.length
        cur.parts.append(text)
        cur.length += len(text)
        if self.anchors:
            a = self.anchors[-1]
            if not a.parts and (not cur.anchors or cur.anchors[-1] is not a):
                a.offset = offset
                cur.anchors.append(a)
            a.parts.append(text)
            cur.link_chars += letters(text)
        if self.em or self.bold:
            n = len(text.strip())
            cur.emphasised += n if self.em else 0
            cur.bold += n if self.bold else 0

    def image(self, el) -> None:
        if self.cur is not None and self.cur.breaks >= 2:
            self.flush()
        if self.cur is None:
            self.cur = Line(self.pos, self.blocks[-1])
        ln = self.cur
        ln.images.append(el)
        a = self.anchors[-1] if self.anchors else None
        if a is not None:
            a.img_alt = a.img_alt or (el.get("alt") or "")
            if not ln.anchors or ln.anchors[-1] is not a:
                a.offset = ln.length
                ln.anchors.append(a)
        ln.image_anchors.append(a)

    def open(self, el, tag: str) -> None:
        if tag == "a":
            if el.get("href") is not None:
                self.anchors.append(Anchor(el.get("href") or "", el))
        elif tag in ("em", "i"):
            self.em += 1
        elif tag in ("strong", "b"):
            self.bold += 1

    def close(self, el, tag: str) -> None:
        if tag == "a":
            if self.anchors and self.anchors[-1].element is el:
                self.anchors.pop()
        elif tag in ("em", "i"):
            self.em -= 1
        elif tag in ("strong", "b"):
            self.bold -= 1


def read_lines(page: Page) -> Lines:
    """Every text line of the page's <body> (or root), in document order: one walk."""
    root = page.body
    hidden = page.hidden.elements
    walk = _Walk(root)
    blocks, start, end = walk.blocks, {}, {}
    skipped: set = set()
    pos = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        pos += 1
        if event == "start":
            start[el] = walk.pos = pos
            if tag in SKIP_TAGS or el in hidden or type(tag) is not str:
                walker.skip_subtree()
                skipped.add(el)
                continue
            if tag in BLOCK_TAGS:
                if walk.cur is not None:
                    walk.flush()
                blocks.append(el)
            elif tag == "br":
                if walk.cur is not None:
                    walk.cur.breaks += 1
                continue
            elif tag == "img":
                walk.image(el)
                continue
            else:
                walk.open(el, tag)
            if el.text:
                walk.add(el.text)
            continue
        end[el] = walk.pos = pos
        if el in skipped or tag in ("br", "img"):
            pass
        elif tag in BLOCK_TAGS:
            if walk.cur is not None:
                walk.flush()
            if blocks[-1] is el:
                blocks.pop()
        else:
            walk.close(el, tag)
        if el.tail and el is not root:
            walk.add(el.tail)
    if walk.cur is not None:
        walk.flush()
    return Lines(lines=walk.lines, start=start, end=end, owner_lines=walk.owners)
