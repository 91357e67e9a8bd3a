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


def read_lines(page: Page) -> Lines:
    """Every text line of the page's <body> (or root), in document order."""
    root = page.body
    hidden = page.hidden.elements
    lines: list[Line] = []
    start: dict = {}
    end: dict = {}
    owners: dict = {}
    blocks: list = [root]
    anchors: list[Anchor] = []
    style = {"em": 0, "b": 0}
    skipped: set = set()
    pos = 0
    cur: Line | None = None

    def flush():
        nonlocal cur
        if cur is not None:
            cur.raw = "".join(cur.parts)
            cur.text = clean(cur.raw)  # the readers' rule: U+3000 inside a line stays
            cur.size = len(_WS.sub("", cur.text))
            if cur.size or cur.images:
                cur.index = len(lines)
                lines.append(cur)
                owners[cur.owner] = owners.get(cur.owner, 0) + 1
        cur = None

    def line() -> Line:
        nonlocal cur
        if cur is None:
            cur = Line(index=-1, pos=pos, owner=blocks[-1])
        return cur

    def add(text: str | None):
        if not text:
            return
        if not text.strip():
            if cur is not None:
                cur.parts.append(text)
                cur.length += len(text)
            return
        if cur is not None and cur.breaks and (cur.breaks >= 2 or _INDENT.match(text)):
            flush()
        ln = line()
        ln.breaks = 0
        offset = ln.length
        ln.parts.append(text)
        ln.length += len(text)
        n = len(text.strip())
        if anchors:
            a = anchors[-1]
            if not a.parts and (not ln.anchors or ln.anchors[-1] is not a):
                a.offset = offset
                ln.anchors.append(a)
            a.parts.append(text)
            ln.link_chars += len(_WS.sub("", text))
        if style["em"]:
            ln.emphasised += n
        if style["b"]:
            ln.bold += n

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event in ("comment", "pi"):
            add(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        pos += 1
        if event == "start":
            start[el] = pos
            if tag in SKIP_TAGS or el in hidden:
                walker.skip_subtree()
                skipped.add(el)
                continue
            if tag in BLOCK_TAGS:
                flush()
                blocks.append(el)
            elif tag == "br":
                if cur is not None:
                    cur.breaks += 1
                continue
            elif tag == "img":
                if cur is not None and cur.breaks >= 2:
                    flush()
                ln = line()
                ln.images.append(el)
                a = anchors[-1] if anchors else None
                if a is not None:
                    a.img_alt = a.img_alt or (el.get("alt") or "")
                    if not ln.anchors or ln.anchors[-1] is not a:
                        a.offset = ln.length
                        ln.anchors.append(a)
                ln.image_anchors.append(a)
                continue
            elif tag == "a" and el.get("href") is not None:
                anchors.append(Anchor(href=el.get("href") or "", element=el, offset=0))
            elif tag in ("em", "i"):
                style["em"] += 1
            elif tag in ("strong", "b"):
                style["b"] += 1
            add(el.text)
        else:
            end[el] = pos
            if el in skipped:
                add(el.tail)
                continue
            if tag in BLOCK_TAGS:
                flush()
                if blocks and blocks[-1] is el:
                    blocks.pop()
            elif tag == "a" and anchors and anchors[-1].element is el:
                anchors.pop()
            elif tag in ("em", "i"):
                style["em"] -= 1
            elif tag in ("strong", "b"):
                style["b"] -= 1
            if el is not root:
                add(el.tail)
    flush()
    return Lines(lines=lines, start=start, end=end, owner_lines=owners)
