"""Text the page itself hides, which no reader may read as the article's: an inline style
(display:none, visibility:hidden), a rule of the page's own <style> blocks that hides a tag, a
class or an id, the `hidden` attribute, and `aria-hidden="true"` on a block of text. Real
people.cn pages hide an 原标题 line this way (sample: he-2020-cross-border-bus.toml).

One pass of compiled XPath per page; the elements are kept in a set. Never mutates the tree
(it is shared by every reader of the page). External stylesheets are not read: a reader is pure.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from peoplecn.pages.selectors import compiled

_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# attribute steps only: lxml evaluates `//*[@style or …]` element by element, ~10× slower
_STYLED = etree.XPath("//@style[contains(., 'none') or contains(., 'hidden')"
                      " or contains(., 'NONE') or contains(., 'HIDDEN')]")
_FLAGGED = etree.XPath("//@hidden | //@aria-hidden")
_STYLES = etree.XPath("//style/text()", smart_strings=False)
# aria-hidden hides a block of text, never a wrapper of blocks (a saved DOM may carry it on
# the whole page while a dialog was open)
_HOLDS_BLOCKS = etree.XPath("boolean(.//p | .//div | .//table | .//ul | .//ol | .//h1 | .//h2)")
_VISIBLE = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]",
                       smart_strings=False)
_COMMENTS = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
_SIMPLE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]*)?(?:[.#][A-Za-z_][\w-]*)*$")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9]*")
CSS_READ_LIMIT = 256 * 1024  # of a page's <style> text: bounded work per page
MAX_RULES = 64  # hiding rules applied per page
NOT_TEXT = frozenset({"script", "style"})


def _top_level(css: str) -> str:
    """The CSS without @media/@supports/… blocks: what they hide depends on the screen."""
    out, depth, at_block = [], 0, False
    for chunk in re.split(r"([{}])", css):
        if chunk == "{":
            depth += 1
            if depth == 1 and at_block:
                continue
        elif chunk == "}":
            depth -= 1
            if depth == 0 and at_block:
                at_block = False
                continue
        elif depth == 0:
            at_block = chunk.strip().rsplit(";", 1)[-1].strip().startswith("@")
        if not at_block:
            out.append(chunk)
    return "".join(out)


@lru_cache(maxsize=32)  # the pages of one template share their stylesheet
def hiding_selectors(css: str) -> list[str]:
    """The simple selectors (tag, .class, #id, tag.class …) a stylesheet hides."""
    css = _top_level(_COMMENTS.sub("", css[:CSS_READ_LIMIT]))
    found = []
    for m in _RULE.finditer(css):
        if not _HIDING.search(m.group(2)):
            continue
        for part in m.group(1).split(","):
            part = _TAG.sub(lambda t: t.group(0).lower(), part.strip())  # P.x is p.x in HTML
            if part and _SIMPLE.match(part) and part not in found:
                found.append(part)
    return found[:MAX_RULES]


def _compiled(selector: str):
    try:
        return compiled(selector)
    except ValueError:
        return None


def _hidden_by_attributes(root) -> list:
    out = [style.getparent() for style in _STYLED(root) if _HIDING.search(style)]
    for attr in _FLAGGED(root):
        el = attr.getparent()
        if attr.attrname == "hidden":
            out.append(el)
        elif attr.strip().lower() == "true" and not _HOLDS_BLOCKS(el):
            out.append(el)  # aria-hidden on a block of text
    return out


@dataclass
class HiddenText:
    elements: set = field(default_factory=set)  # hidden with everything inside them
    holders: set = field(default_factory=set)  # ancestors of a hidden element
    _known: dict = field(default_factory=dict)

    def is_hidden(self, el) -> bool:
        """Is `el`, or a block around it, hidden? (Each element is looked at once.)"""
        if not self.elements:
            return False
        path, answer = [], False
        node = el
        while node is not None:
            if node in self._known:
                answer = self._known[node]
                break
            path.append(node)
            if node in self.elements:
                answer = True
                break
            node = node.getparent()
        for n in path:
            self._known[n] = answer
        return answer

    def texts(self, el) -> list[str]:
        """The text nodes a reader sees in `el`, in order: no script or style, nothing hidden."""
        if el not in self.holders:
            if next(el.iter("script", "style"), None) is None:
                return list(el.itertext())  # lxml's C iteration: no predicate per node
            return _VISIBLE(el)
        parts: list[str] = []
        self._collect(el, parts)
        return parts

    def text(self, el) -> str:
        return "".join(self.texts(el))

    def _collect(self, el, parts: list[str]) -> None:
        if el.text and el.tag not in NOT_TEXT:
            parts.append(el.text)
        for child in el:
            if child not in self.elements and isinstance(child.tag, str):
                self._collect(child, parts)
            if child.tail:
                parts.append(child.tail)

    def html(self, el, drop=()) -> str:
        """`el` serialised without what is hidden inside it (nor the elements in `drop`)."""
        if el not in self.holders and not drop:
            return etree.tostring(el, encoding="unicode", with_tail=False, method="html")
        twin = copy.deepcopy(el)
        gone = self.elements | set(drop)
        doomed = [b for a, b in zip(el.iter(), twin.iter(), strict=True)
                  if a in gone and b is not twin]
        for b in doomed:
            _remove_keep_tail(b)
        return etree.tostring(twin, encoding="unicode", with_tail=False, method="html")


def _remove_keep_tail(el) -> None:
    parent, tail = el.getparent(), el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def hidden_text(root) -> HiddenText:
    """What `root`'s page hides, found once."""
    elements = set(_hidden_by_attributes(root))
    css = "".join(_STYLES(root))[:CSS_READ_LIMIT]
    for selector in hiding_selectors(css) if css else ():  # (a cached list: not mutated)
        compiled = _compiled(selector)
        if compiled is not None:
            elements.update(el for el in compiled(root) if el.tag not in ("html", "body"))
    holders: set = set()
    for el in elements:
        for anc in el.iterancestors():
            if anc in holders:
                break
            holders.add(anc)
    return HiddenText(elements=elements, holders=holders)
