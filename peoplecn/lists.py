"""Readers for people.cn index pages: channel column lists and topic (专题) / series pages
(reference §8–§9). URL + bytes in, the page's title, its article entries in page order and the
next page out. Pure: no network, no clock, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from parsel import Selector
from w3lib.encoding import html_to_unicode

from peoplecn import urls

# Item anchors of the list layouts seen or reported (§8): the finance-style headingNews blocks
# (hidden by inline style until a script shows them — parsed anyway), ul.list_16, p2j_list and
# the regional li > a lists. Tried in order; the first that yields article links wins.
ITEM_SELECTORS = (
    "div.headingNews div.hdNews h5 a",
    "ul.list_16 li > a",
    "div.p2j_list li > a",
    "div.ej_list_box li > a",
    "div.list_16 li > a",
    "div.p6 li > a",
    "div.leftItem li > a",
)
NEXT_TEXT = "下一页"
_SPACES = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"(--|——|_)[^-—_]*人民网\s*$")


@dataclass(frozen=True)
class Entry:
    url: str  # canonical article URL
    title: str  # as the list shows it


@dataclass
class ListPage:
    url: str
    title: str  # the page's name: the column or topic (<title> without the site suffix)
    entries: list[Entry] = field(default_factory=list)
    next_url: str | None = None  # the 下一页 link, fragment dropped


def decode(body: bytes, content_type: str | None) -> str:
    # w3lib maps GB2312/GBK declarations to GB18030 (reference §3).
    _, text = html_to_unicode(content_type, body)
    return text


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip(" \u3000")


def read_list(url: str, body: bytes, content_type: str | None = None) -> ListPage:
    sel = Selector(text=decode(body, content_type))
    head = _clean(sel.css("title::text").get(""))
    page = ListPage(url=url, title=_clean(_TITLE_SUFFIX.sub("", head)) or head)
    seen: set[str] = set()
    for css in ITEM_SELECTORS:
        for a in sel.css(css):
            # One href on the live homepage holds a newline (reference §8): strip whitespace.
            href = re.sub(r"\s+", "", a.attrib.get("href", ""))
            article = urls.canonical_article_url(urljoin(url, href)) if href else None
            if article and article not in seen:
                seen.add(article)
                page.entries.append(Entry(article, _clean(" ".join(a.css("::text").getall()))))
        if page.entries:
            break
    for a in sel.css("a"):
        if _clean(" ".join(a.css("::text").getall())) == NEXT_TEXT and a.attrib.get("href"):
            page.next_url = urldefrag(urljoin(url, a.attrib["href"].strip())).url
            break
    return page
