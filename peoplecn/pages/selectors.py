"""Selectors compiled once: a template module's selectors become matchers when the module is
imported, never per page or per call (issue 23: ~53 parsel css()/xpath() calls per page were
~38% of reading). Pure.

The template maps use plain CSS — tags, #ids, .classes, descendant and child combinators, comma
lists — compiled here to lxml's own C iteration: the first part (or the last one naming an id,
from the parser's ID table), then each next part among the descendants of the matches. lxml's
XPath evaluates a predicate on every element of a page (~0.1–0.2 ms per selector on a 35 KB
page, twenty selectors a page); this costs microseconds. An expression starting with "/", "(" or
"./" is XPath, compiled with lxml.etree.XPath. Anything else CSS can say is refused when the
template is imported, never silently half-matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

_COMPOUND = re.compile(r"^([a-z][a-z0-9]*|\*)?((?:[.#][A-Za-z_][\w-]*)*)$")
_PART = re.compile(r"([.#])([A-Za-z_][\w-]*)")
_ID = etree.XPath("id($name)")
_CLASSES = etree.XPath("//@class")  # an attribute step: fast, and .getparent() gives the element
# The page being read: its root, its {class: [elements]} index and the elements each selector
# prefix matched (the template maps share prefixes: "div.rm_txt div.col-1 > h1", "… > h3.pre").
_DOC: dict = {"root": None, "classes": None, "memo": None}


def _document(root) -> dict:
    if _DOC["root"] is not root:
        index: dict[str, list] = {}
        for attr in _CLASSES(root):
            el = attr.getparent()
            for token in attr.split():
                index.setdefault(token, []).append(el)
        _DOC.update(root=root, classes=index, memo={})
    return _DOC


def _by_class(root, name: str) -> list:
    """The elements of `root`'s document with class `name`, in document order: an index made
    once per document (the page being read), not a walk per selector."""
    return _document(root)["classes"].get(name, [])


@dataclass(frozen=True)
class Compound:
    """One element test: a tag, an id, classes (all optional)."""

    tag: str | None
    id: str | None
    classes: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> Compound:
        m = _COMPOUND.match(text)
        if not m or not text:
            raise ValueError(f"unsupported selector part: {text!r}")
        ids = [name for mark, name in _PART.findall(m.group(2)) if mark == "#"]
        classes = frozenset(name for mark, name in _PART.findall(m.group(2)) if mark == ".")
        tag = m.group(1) if m.group(1) != "*" else None
        return cls(tag, ids[0] if ids else None, classes)

    def matches(self, el) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes:
            names = el.get("class")
            return bool(names) and self.classes.issubset(names.split())
        return True


class Css:
    """One selector of a comma list: compounds joined by " " (descendant) or ">" (child)."""

    def __init__(self, text: str):
        tokens = re.sub(r"\s*>\s*", " > ", text.strip()).split()
        self.parts: list[Compound] = []
        self.joins: list[str] = []  # joins[i] joins parts[i] and parts[i + 1]
        for token in tokens:
            if token == ">":
                if not self.parts or len(self.joins) == len(self.parts):
                    raise ValueError(f"unsupported selector: {text!r}")
                self.joins.append(">")
                continue
            if len(self.joins) < len(self.parts):
                self.joins.append(" ")
            self.parts.append(Compound.parse(token))
        if not self.parts or len(self.joins) != len(self.parts) - 1:
            raise ValueError(f"unsupported selector: {text!r}")
        # "div.a > p" → ("div.a", "div.a>p"): each prefix's key, for the per-page memo
        keys, key = [], ""
        for i, token in enumerate(t for t in tokens if t != ">"):
            key = token if i == 0 else f"{key}{self.joins[i - 1]}{token}"
            keys.append(key)
        self.keys = keys

    def _by_id(self, root, k: int) -> list:
        """Elements matching parts[:k + 1] where parts[k] names an id: the parser's ID table,
        then the parts before it checked upwards."""
        found = _ID(root, name=self.parts[k].id)
        inside = root.getparent() is None  # the whole document: everything is inside
        return [el for el in found if self.parts[k].matches(el) and self._chain(el, k)
                and (inside or el is root or root in el.iterancestors())]

    def _chain(self, el, i: int) -> bool:
        """Do parts[:i] match above `el` (whose own part, i, matched)?"""
        if i == 0:
            return True
        part, join = self.parts[i - 1], self.joins[i - 1]
        if join == ">":
            parent = el.getparent()
            return parent is not None and part.matches(parent) and self._chain(parent, i - 1)
        return any(part.matches(anc) and self._chain(anc, i - 1) for anc in el.iterancestors())

    @staticmethod
    def _below(el, part: Compound, join: str):
        if join == ">":
            return (c for c in el if isinstance(c.tag, str) and part.matches(c))
        found = el.iter(part.tag) if part.tag is not None else el.iter()
        return (c for c in found if c is not el and isinstance(c.tag, str) and part.matches(c))

    def __call__(self, root) -> list:
        """Left to right: the first part (or the last that names an id, found by the parser's
        ID table), then each next part among the descendants (children) of the matches."""
        memo = _document(root)["memo"] if root.getparent() is None else None
        if memo is not None and self.keys[-1] in memo:
            return memo[self.keys[-1]]
        ids = [i for i, part in enumerate(self.parts) if part.id is not None]
        k = ids[-1] if ids else 0
        first = self.parts[0]
        if memo is not None and not ids:
            done = next((i for i in range(len(self.parts) - 1, -1, -1) if self.keys[i] in memo),
                        None)
            if done is not None:
                return self._from(root, memo[self.keys[done]], done, memo)
        if ids:
            current = self._by_id(root, k)
        elif first.classes and root.getparent() is None:
            some = next(iter(first.classes))
            current = [el for el in _by_class(root, some) if first.matches(el)]
        else:
            found = root.iter(first.tag) if first.tag is not None else root.iter()
            current = [el for el in found if isinstance(el.tag, str) and first.matches(el)]
        if memo is not None:
            memo[self.keys[k]] = current
        return self._from(root, current, k, memo)

    def _from(self, root, current: list, k: int, memo: dict | None) -> list:
        """The matches of the whole selector, from those of its parts up to k."""
        for i in range(k + 1, len(self.parts)):
            if current:
                step = {c: None for el in current
                        for c in self._below(el, self.parts[i], self.joins[i - 1])}
                current = list(step) if len(current) == 1 else _in_order(root, step)
            if memo is not None:
                memo[self.keys[i]] = current
        return current


def _in_order(root, elements) -> list:
    if len(elements) < 2:
        return list(elements)
    order = {el: n for n, el in enumerate(root.iter())}
    return sorted(elements, key=order.__getitem__)


class CssList:
    """A comma list of selectors: their elements in document order, each once."""

    def __init__(self, text: str):
        self.selectors = [Css(part) for part in text.split(",")]

    def __call__(self, root) -> list:
        if len(self.selectors) == 1:
            return self.selectors[0](root)
        found = {el: None for selector in self.selectors for el in selector(root)}
        return _in_order(root, found)


def release(root) -> None:
    """Let go of `root`'s index (and so of its tree) once its page is read."""
    if _DOC["root"] is root:
        _DOC.update(root=None, classes=None, memo=None)


@lru_cache(maxsize=1024)  # bounded: page stylesheets compile their selectors here too
def compiled(expr: str):
    """An XPath (an expression starting with "/", "(" or "./") or CSS selector, compiled;
    None for an empty one. A bad selector raises (at import, for a template's map)."""
    expr = expr.strip()
    if not expr:
        return None
    if expr.startswith(("/", "(", "./")):
        return etree.XPath(expr, smart_strings=False)
    return CssList(expr)


def select(expr: str, root) -> list:
    """What `expr` matches under `root` (elements, or XPath's strings), in document order."""
    found = compiled(expr)
    return found(root) if found is not None else []


def first(expr: str, root):
    found = select(expr, root)
    return found[0] if found else None
