"""Page readers: what a people.cn page says. `parse_article(url, body, content_type)` picks the
reader from the page itself and returns an Article or raises a PageError. Pure: no network, no
clock, no database.

Readers, in the order they are tried: one per people.cn template generation (chosen from the
page, not the hostname: channels run their own templates), then — for a page no template
claims — a check that it is an article at all, then the template-blind reader (cues.py) for
people.cn hosts, the generic extractor for other outlets (and for a people.cn page the
template-blind reader cannot read).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from peoplecn import urls
from peoplecn.pages.cues import CuesReader
from peoplecn.pages.encoding import Decoded, decode_page
from peoplecn.pages.generic import GenericReader, unarchived
from peoplecn.pages.limits import MAX_LINKS, PARSER_MAX_DEPTH
from peoplecn.pages.pagekind import not_an_article
from peoplecn.pages.people_2016 import People2016Reader
from peoplecn.pages.people_2020 import People2020Reader
from peoplecn.pages.people_en import PeopleEnReader
from peoplecn.pages.people_n import PeopleNReader
from peoplecn.pages.record import (
    Article,
    ExtractionFailed,
    Image,
    Link,
    MissingField,
    NotAnArticle,
    PageError,
    UnknownTemplate,
)

TEMPLATE_READERS = (People2020Reader, People2016Reader, PeopleNReader, PeopleEnReader)
READERS = (*TEMPLATE_READERS, CuesReader, GenericReader)
# `xietong parse --reader NAME`: every reader by its `template` name
READER_NAMES = {reader.NAME: reader for reader in READERS}

__all__ = [
    "Article", "ExtractionFailed", "Image", "Link", "MissingField", "NotAnArticle", "PageError",
    "READERS", "READER_NAMES", "UnknownTemplate", "merge_pages", "parse_article", "parse_with",
    "read_with",
]


def _selector(url: str, decoded: Decoded) -> Selector:
    return Selector(text=decoded.text or "<html></html>")


def parse_article(url: str, body: bytes, content_type: str | None = None) -> Article:
    decoded = decode_page(body, content_type)
    sel = _selector(url, decoded)
    for reader in TEMPLATE_READERS:
        if reader.matches(sel):
            try:
                return _with_depth(reader(url, sel, decoded).article(), sel)
            except MissingField:
                # the page shows a template's marker but not its parts (a 2000s page reusing
                # an id, a redesign): read it as a page of unknown layout
                break
    reason = not_an_article(sel, decoded.text)
    if reason:
        raise NotAnArticle(url, reason)
    if not urls.is_people_host(urlsplit(unarchived(url)).hostname):
        return _with_depth(GenericReader(url, sel, decoded).article(), sel)
    try:
        return _with_depth(CuesReader(url, sel, decoded).article(), sel)
    except PageError as cues_error:
        try:
            return _with_depth(GenericReader(url, sel, decoded).article(), sel)
        except PageError:
            raise cues_error from None


def read_with(name: str, url: str, body: bytes, content_type: str | None = None) -> Article:
    """Read a page with the reader called `name` (a READER_NAMES key) — for a page that is an
    article at all: the template-blind and generic readers refuse lists and feeds first."""
    reader = READER_NAMES[name]
    decoded = decode_page(body, content_type)
    sel = _selector(url, decoded)
    if reader not in TEMPLATE_READERS:
        reason = not_an_article(sel, decoded.text)
        if reason:
            raise NotAnArticle(url, reason)
    return _with_depth(reader(url, sel, decoded).article(), sel)


def parse_with(reader: type, url: str, body: bytes, content_type: str | None = None) -> Article:
    """Read a page with one given reader, whatever the page looks like (tests, debugging)."""
    decoded = decode_page(body, content_type)
    sel = _selector(url, decoded)
    return _with_depth(reader(url, sel, decoded).article(), sel)


def nesting_depth(sel: Selector) -> int:
    """How deep the parsed page's elements nest (one linear walk)."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(sel.root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _with_depth(article: Article, sel: Selector) -> Article:
    # The parser drops whatever lies deeper than its limit: say so rather than lose it quietly.
    depth = nesting_depth(sel)
    if depth < PARSER_MAX_DEPTH - 8:
        return article
    return replace(article, truncated={**(article.truncated or {}), "nesting": depth})


def _cuts(pages: list[Article], **more: int) -> dict | None:
    cut: dict[str, int] = {}
    for page in pages:
        for key, n in (page.truncated or {}).items():
            cut[key] = max(cut.get(key, 0), n) if key == "nesting" else cut.get(key, 0) + n
    for key, n in more.items():
        if n:
            cut[key] = cut.get(key, 0) + n
    return cut or None


def merge_pages(first: Article, rest: list[Article]) -> Article:
    """One article from its pages, in page order: text, photos, links and HTML appended; at
    most MAX_LINKS links, what is cut counted in `truncated`."""
    pages = sorted([first, *rest], key=lambda a: a.page_no)
    links: list[Link] = []
    seen: set[Link] = set()
    over = 0
    for page in pages:
        for link in page.links:
            if link in seen:
                continue
            seen.add(link)
            if len(links) < MAX_LINKS:
                links.append(link)
            else:
                over += 1
    head = pages[0]
    edition = next((p for p in pages if p.print_edition), head)
    return replace(
        head,
        paragraphs=[p for page in pages for p in page.paragraphs],
        body_html="".join(page.body_html for page in pages),
        images=[img for page in pages for img in page.images],
        links=links,
        editors=head.editors or next((p.editors for p in pages if p.editors), []),
        print_edition=edition.print_edition,
        print_date=edition.print_date,
        print_page=edition.print_page,
        mojibake=any(p.mojibake for p in pages),
        truncated=_cuts(pages, links=over) if rest else head.truncated,
    )
