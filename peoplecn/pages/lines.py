"""A page as the reader sees it: its text lines in document order, each with the block that
holds it, its links, photos and emphasis — the material the template-blind reader (cues.py)
reads every field from. One walk over the DOM; nothing here is quadratic in the page.

A line ends at every block element (p, div, td, li, h1 …) and at a paragraph break made of
line breaks: two <br>, or one <br> followed by an indented line (　　…), as the 2000s pages
print their paragraphs. Scripts, styles, forms and what the page hides (hidden.py) are not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


@dataclass(eq=False)
class Anchor:
    href: str
    element: etree._Element
    offset: int  # where its text starts in the line's raw text
    parts: list[str] = field(default_factory=list)
    img_alt: str = ""

    @property
    def text(self) -> str:
        return _WS.sub(" ", "".join(self.parts)).strip()


@dataclass(eq=False)
class Line:
    index: int  # position in Lines.lines
    pos: int  # walk position: inside element E iff E.start <= pos < E.end
    owner: etree._Element  # the innermost block element holding the line
    parts: list[str] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    images: list[etree._Element] = field(default_factory=list)
    image_anchors: list[Anchor | None] = field(default_factory=list)
    link_chars: int = 0
    emphasised: int = 0  # characters set in <em>/<i>
    bold: int = 0  # characters set in <strong>/<b>
    breaks: int = 0  # <br> seen since the last text
    length: int = 0  # of the raw text so far (an anchor's offset)
    raw: str = ""
    text: str = ""  # whitespace collapsed, trimmed
    size: int = 0  # characters, whitespace not counted

    @property
    def link_share(self) -> float:
        return self.link_chars / self.size if self.size else 0.0


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

    def __init__(self, root):
        self.root = root
        self.lines: list[Line] = []
        self.start: dict = {}
        self.end: dict = {}
        self.owners: dict = {}
        self.blocks: list = [root]
        self.anchors: list[Anchor] = []
        self.em = self.bold = 0
        self.pos = 0
        self.cur: Line | None = None

    def flush(self) -> None:
        cur = self.cur
        if cur is not None:
            cur.raw = "".join(cur.parts)
            cur.text = clean(cur.raw)  # the readers' rule: U+3000 inside a line stays
            cur.size = len(_WS.sub("", cur.text))
            if cur.size or cur.images:
                cur.index = len(self.lines)
                self.lines.append(cur)
                self.owners[cur.owner] = self.owners.get(cur.owner, 0) + 1
        self.cur = None

    def line(self) -> Line:
        if self.cur is None:
            self.cur = Line(index=-1, pos=self.pos, owner=self.blocks[-1])
        return self.cur

    def add(self, text: str | None) -> None:
        if not text:
            return
        cur = self.cur
        if not text.strip():
            if cur is not None:
                cur.parts.append(text)
                cur.length += len(text)
            return
        if cur is not None and cur.breaks and (cur.breaks >= 2 or _INDENT.match(text)):
            self.flush()
        ln = self.line()
        ln.breaks = 0
        offset = ln.length
        ln.parts.append(text)
        ln.length += len(text)
        if self.anchors:
            a = self.anchors[-1]
            if not a.parts and (not ln.anchors or ln.anchors[-1] is not a):
                a.offset = offset
                ln.anchors.append(a)
            a.parts.append(text)
            ln.link_chars += len(_WS.sub("", text))
        if self.em or self.bold:
            n = len(text.strip())
            ln.emphasised += n if self.em else 0
            ln.bold += n if self.bold else 0

    def image(self, el) -> None:
        if self.cur is not None and self.cur.breaks >= 2:
            self.flush()
        ln = self.line()
        ln.images.append(el)
        a = self.anchors[-1] if self.anchors else None
        if a is not None:
            a.img_alt = a.img_alt or (el.get("alt") or "")
            if not ln.anchors or ln.anchors[-1] is not a:
                a.offset = ln.length
                ln.anchors.append(a)
        ln.image_anchors.append(a)

    def open(self, el, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.flush()
            self.blocks.append(el)
        elif tag == "a" and el.get("href") is not None:
            self.anchors.append(Anchor(href=el.get("href") or "", element=el, offset=0))
        elif tag in ("em", "i"):
            self.em += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        self.add(el.text)

    def close(self, el, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.flush()
            if self.blocks and self.blocks[-1] is el:
                self.blocks.pop()
        elif tag == "a" and self.anchors and self.anchors[-1].element is el:
            self.anchors.pop()
        elif tag in ("em", "i"):
            self.em -= 1
        elif tag in ("strong", "b"):
            self.bold -= 1
        if el is not self.root:
            self.add(el.tail)


def read_lines(page: Page) -> Lines:
    """Every text line of the page's <body> (or root), in document order: one walk."""
    root = page.body
    hidden = page.hidden.elements
    walk = _Walk(root)
    start, end = walk.start, walk.end
    skipped: set = set()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        walk.pos += 1
        if event == "start":
            start[el] = walk.pos
            if tag in SKIP_TAGS or el in hidden:
                walker.skip_subtree()
                skipped.add(el)
            elif tag == "br":
                if walk.cur is not None:
                    walk.cur.breaks += 1
            elif tag == "img":
                walk.image(el)
            else:
                walk.open(el, tag)
        else:
            end[el] = walk.pos
            if el in skipped:
                walk.add(el.tail)
            elif tag not in ("br", "img"):
                walk.close(el, tag)
            elif el is not root:
                walk.add(el.tail)
    walk.flush()
    return Lines(lines=walk.lines, start=start, end=end, owner_lines=walk.owners)
