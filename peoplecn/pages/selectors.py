"""Selectors compiled once: a template module's CSS (or XPath) becomes an `lxml.etree.XPath`
when the module is imported, never per page or per call (issue 23: ~53 parsel css()/xpath()
calls per page were ~38% of reading). Pure.
"""

from __future__ import annotations

from functools import cache

from lxml import etree
from lxml.cssselect import CSSSelector


@cache
def compiled(expr: str) -> etree.XPath | None:
    """An XPath (an expression starting with "/", "(" or "./") or CSS selector, compiled;
    None for an empty one. A bad selector is a programming error: it raises at import."""
    expr = expr.strip()
    if not expr:
        return None
    if expr.startswith(("/", "(", "./")):
        return etree.XPath(expr, smart_strings=False)
    return CSSSelector(expr, translator="html")


def select(expr: str, root) -> list:
    """The elements `expr` matches under `root`, in document order."""
    found = compiled(expr)
    return found(root) if found is not None else []


def first(expr: str, root):
    found = select(expr, root)
    return found[0] if found else None
