"""Links as every reader keeps them: absolute http(s) URLs only, the anchor's own words, links
in a block a heading (相关新闻, 推荐阅读, Related Stories …) introduces. Pure; lxml elements in,
Link records out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from peoplecn import urls
from peoplecn.pages.record import Link
from peoplecn.pages.strings import clean

_HEADINGS = etree.XPath("//h2 | //h3 | //h4 | //h5 | //div[@class='title']")
_NEXT = etree.XPath("following-sibling::*[1]")
_NOT_WEB = ("javascript:", "#", "mailto:", "data:")


@lru_cache(maxsize=4096)  # a page links the same addresses from its pager, photos, boxes
def absolute(base: str, href: str | None) -> str | None:
    """`href` made absolute against `base` — only web addresses: no javascript:, data:,
    mailto: … in a record."""
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
    except ValueError:
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


def is_asset(src: str) -> bool:
    """Logos, icons, QR codes: people.cn serves its own page furniture from /img/."""
    return urlsplit(src).path.startswith("/img/")


def same_article(base: str, url: str | None) -> bool:
    own = urls.canonical_article_url(base) or base
    return bool(url) and (urls.canonical_article_url(url) or url) == own


def own_words(a) -> str:
    """An anchor's own text nodes (its text and its children's tails), as parsel's `a ::text`
    without descendants gave them."""
    return clean(" ".join(t for t in (a.text, *(child.tail for child in a)) if t is not None))


def iter_links(elements: Iterable, kind: str, base: str) -> Iterator[Link]:
    """The links under `elements`, one at a time."""
    for a in (a for root in elements for a in root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_NOT_WEB):
            continue
        url = absolute(base, href)
        if url:
            yield Link(url=url, text=own_words(a), kind=kind)


def headed_links(root, words: tuple[str, ...], kind: str, base: str, text_of) -> list[Link]:
    """Links in a block headed by one of `words`: h2–h5 or div.title, then the block after it.
    `text_of(el)` is the reader's visible text of an element."""
    out: list[Link] = []
    for head in _HEADINGS(root):
        if clean(text_of(head)).strip("【】[] ") in words:
            out.extend(iter_links(_NEXT(head), kind, base))
    return out
