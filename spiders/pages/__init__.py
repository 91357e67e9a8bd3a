"""Page readers: what a people.cn page says. `parse_article(url, body, content_type)` picks the
reader from the page itself (not the hostname: channels run their own templates) and returns an
Article or raises a PageError. Pure: no network, no clock, no database.
"""

from __future__ import annotations

from dataclasses import replace

from parsel import Selector

from spiders.pages.encoding import decode_page
from spiders.pages.people_2016 import People2016Reader
from spiders.pages.people_2020 import People2020Reader
from spiders.pages.record import Article, Image, Link, MissingField, PageError, UnknownTemplate

READERS = (People2020Reader, People2016Reader)

__all__ = [
    "Article", "Image", "Link", "MissingField", "PageError", "UnknownTemplate",
    "merge_pages", "parse_article",
]


def parse_article(url: str, body: bytes, content_type: str | None = None) -> Article:
    text, charset = decode_page(body, content_type)
    sel = Selector(text=text)
    for reader in READERS:
        if reader.matches(sel):
            return reader(url, sel, charset, mojibake="\ufffd" in text).article()
    raise UnknownTemplate(url, "no page reader recognises this page")


def merge_pages(first: Article, rest: list[Article]) -> Article:
    """One article from its pages, in page order: text, photos and links appended."""
    pages = sorted([first, *rest], key=lambda a: a.page_no)
    links: list[Link] = []
    for page in pages:
        links.extend(link for link in page.links if link not in links)
    images: list[Image] = [img for page in pages for img in page.images]
    return replace(
        pages[0],
        paragraphs=[p for page in pages for p in page.paragraphs],
        images=images,
        links=links,
        mojibake=any(p.mojibake for p in pages),
    )
