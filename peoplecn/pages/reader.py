"""The reader protocol: bytes and a URL in, an article record (or a typed PageError) out — and
nothing else, ever. Every reader is a small class over one parsed Page: a template reader (a
selector map, template.py), the template-blind reader (cues/), the generic one (generic.py).
dispatch.py decides which reads a page; assemble.py makes their fields a record.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from peoplecn.pages.agreement import sources_of
from peoplecn.pages.assemble import article
from peoplecn.pages.fields import Fields
from peoplecn.pages.page import Page, parse_page
from peoplecn.pages.record import Article


@runtime_checkable
class Reader(Protocol):
    NAME: ClassVar[str]
    CONFIDENCE: ClassVar[float]

    @classmethod
    def read(cls, url: str, body: bytes, content_type: str | None = None) -> Article:
        """The page's article record; raises a PageError subclass, nothing else."""

    @classmethod
    def matches(cls, page: Page) -> bool:
        """Does this reader claim the page (a template's marker is there)?"""

    def fields(self) -> Fields:
        """What the page says, field by field (before the record is made)."""


class ReaderBase:
    """What every reader shares: the page it reads; `read` and `article` by one rule."""

    NAME: ClassVar[str] = ""
    CONFIDENCE: ClassVar[float] = 1.0

    def __init__(self, page: Page):
        self.page = page
        self.url = page.url
        self.root = page.root

    @classmethod
    def matches(cls, page: Page) -> bool:
        return True

    def fields(self) -> Fields:
        raise NotImplementedError

    def article(self) -> Article:
        """This reader's record of the page, every field its own."""
        fields = self.fields()
        return article(fields, self.page, self.NAME, self.CONFIDENCE, self.url,
                       sources=sources_of(fields, self.NAME))

    @classmethod
    def read(cls, url: str, body: bytes, content_type: str | None = None) -> Article:
        return cls(parse_page(url, body, content_type)).article()

