"""What a page reader returns: the article record, and the typed errors a reader may raise.

Field names here are the column names of the `articles` and `links` tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class PageError(Exception):
    """A page could not be read as an article; `kind` is counted in crawl stats."""

    kind = "page_error"

    def __init__(self, url: str, message: str):
        super().__init__(f"{url}: {message}")
        self.url = url


class UnknownTemplate(PageError):
    kind = "unknown_template"


class MissingField(PageError):
    kind = "missing_field"

    def __init__(self, url: str, field_name: str):
        super().__init__(url, f"required field {field_name!r} not found")
        self.field_name = field_name


@dataclass(frozen=True)
class Link:
    url: str  # absolute
    text: str  # anchor text
    kind: str  # related | recommended | body


@dataclass(frozen=True)
class Image:
    src: str  # absolute
    caption: str | None = None


@dataclass
class Article:
    url: str  # canonical page-1 URL
    id: str
    content_id: str
    site: str  # host name
    channel: str | None
    title: str
    pre_title: str | None
    subtitle: str | None
    series: str | None
    published_at: str | None  # ISO 8601, +08:00
    source: str | None
    source_url: str | None
    byline: str | None  # as printed
    authors: list[str]
    editors: list[str]
    paragraphs: list[str]
    images: list[Image]
    links: list[Link]
    language: str
    template: str
    charset: str
    page_urls: list[str] = field(default_factory=list)  # every page, page 1 first
    page_no: int = 1
    mojibake: bool = False  # U+FFFD in the decoded text: the bytes did not match the charset

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict:
        return asdict(self)
