"""Which reader reads a page, decided from the page itself (never the hostname: channels run
their own templates), and the agreement step after a template reader.

In order: one template reader per people.cn generation (the first whose marker the page shows),
its empty fields filled in by the template-blind reader (agreement.py); for a page no template
claims, a check that it is an article at all (pagekind.py), then the template-blind reader for
people.cn hosts — the generic extractor for other outlets, and for a people.cn page the
template-blind reader cannot read. Pure: bytes and a URL in, an Article or a PageError out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from peoplecn import urls
from peoplecn.pages import assemble
from peoplecn.pages.agreement import agree
from peoplecn.pages.cues import CuesReader
from peoplecn.pages.fields import Fields
from peoplecn.pages.fillin import compared, worth_filling
from peoplecn.pages.generic import GenericReader, unarchived
from peoplecn.pages.page import Page, parse_page
from peoplecn.pages.pagekind import not_an_article
from peoplecn.pages.people_2016 import People2016Reader
from peoplecn.pages.people_2020 import People2020Reader
from peoplecn.pages.people_en import PeopleEnReader
from peoplecn.pages.people_n import PeopleNReader
from peoplecn.pages.record import Article, MissingField, NotAnArticle, PageError
from peoplecn.pages.selectors import release
from peoplecn.pages.template import TemplateReader
from peoplecn.requisites import Requisite, requisites_in

TEMPLATE_READERS = (People2020Reader, People2016Reader, PeopleNReader, PeopleEnReader)
READERS = (*TEMPLATE_READERS, CuesReader, GenericReader)
# `xietong parse --reader NAME`: every reader by its `template` name
READER_NAMES = {reader.NAME: reader for reader in READERS}


def blind_fields(page: Page) -> Fields | None:
    """The template-blind reader's fields of a page a template reader claimed, without the
    body's HTML (only its text is compared); None if it cannot read the page."""
    try:
        return CuesReader(page, with_html=False).fields()
    except PageError:
        return None


def _agreed(page: Page, template: TemplateReader, fields: Fields, agreement: bool,
            compare_all: bool) -> Article:
    """The template's fields, filled in and compared by the template-blind reader where the
    page gives it something to read (fillin.py)."""
    wanted = worth_filling(fields, page, template.headline(),
                           template.container()) if agreement else []
    both = agreement and (bool(wanted) or compare_all or compared(page.url, fields))
    merged, sources, disagreements = agree(fields, template.NAME,
                                           blind_fields(page) if both else None, fill=wanted)
    art = assemble.article(merged, page, template.NAME, template.CONFIDENCE, page.url,
                           sources, disagreements)
    art.compared = both
    return art


def read_page(page: Page, agreement: bool = True, compare_all: bool = False) -> Article:
    """The article a parsed page holds, read as the crawler reads it. For the benchmark:
    `agreement=False` is the template reader alone, `compare_all` has both readers read
    every page in full (as they do a sample of pages)."""
    for reader in TEMPLATE_READERS:
        if reader.matches(page):
            template = reader(page)
            try:
                fields = template.fields()
            except MissingField:
                # the page shows a template's marker but not its parts (a 2000s page reusing
                # an id, a redesign): read it as a page of unknown layout
                break
            return _agreed(page, template, fields, agreement, compare_all)
    reason = not_an_article(page)
    if reason:
        raise NotAnArticle(page.url, reason)
    if not urls.is_people_host(urlsplit(unarchived(page.url)).hostname):
        return GenericReader(page).article()
    try:
        return CuesReader(page).article()
    except PageError as cues_error:
        try:
            return GenericReader(page).article()
        except PageError:
            raise cues_error from None


def parse_article(url: str, body: bytes, content_type: str | None = None) -> Article:
    """What the crawler keeps of a page: `read_page` of its one parse."""
    page = parse_page(url, body, content_type)
    try:
        return read_page(page)
    finally:
        release(page.root)  # the selectors' class index lets go of the page's tree


@dataclass
class Reading:
    """What one fetched page gives the crawler: its article, and what the page loads
    (stylesheets, images) — both from the page's one parse."""

    article: Article
    requisites: list[Requisite] = field(default_factory=list)

    def requisite_pairs(self) -> list[list[str]]:
        """The requisites as [url, kind] pairs: plain data, for a request's meta."""
        return [[r.url, r.kind] for r in self.requisites]


def read_response(url: str, body: bytes, content_type: str | None = None,
                  requisites: bool = False) -> Reading:
    """The crawler's one call per page: `parse_article`, and with `requisites` the page's
    requisites from the same tree (never a second parse)."""
    page = parse_page(url, body, content_type)
    try:
        article = read_page(page)
        return Reading(article, requisites_in(url, page.root) if requisites else [])
    finally:
        release(page.root)


def read_with(name: str, url: str, body: bytes, content_type: str | None = None) -> Article:
    """Read a page with the reader called `name` (a READER_NAMES key) alone — for a page that
    is an article at all: the template-blind and generic readers refuse lists and feeds first."""
    reader = READER_NAMES[name]
    page = parse_page(url, body, content_type)
    if reader not in TEMPLATE_READERS:
        reason = not_an_article(page)
        if reason:
            raise NotAnArticle(url, reason)
    return reader(page).article()


def parse_with(reader: type, url: str, body: bytes, content_type: str | None = None) -> Article:
    """Read a page with one given reader alone, whatever the page looks like (tests, debugging)."""
    return reader.read(url, body, content_type)
