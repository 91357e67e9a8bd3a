"""What a page reader returns: the article record, and the typed errors a reader may raise.

Field names here are the column names of the `articles` and `links` tables. A reader returns an
Article or raises a PageError subclass; it never lets any other exception out.
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


class NotAnArticle(PageError):
    """A list, a homepage, a feed, an error page: readable, but not one article."""

    kind = "not_an_article"


class ExtractionFailed(PageError):
    """The generic extractor (a third-party library) gave up on the page."""

    kind = "extraction_failed"


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
    caption: str | None = None  # as printed, credit included
    credit: str | None = None  # photographer/agency from the caption: "人民网记者 毛婧" (…摄)


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
    series: str | None  # one spelling per series (people_text.normalise_series)
    published_at: str | None  # ISO 8601, +08:00 (a bare date when the page gives no time)
    source: str | None  # outlet, normalised: 人民网－人民日报 → 人民日报
    source_url: str | None  # the 来源 link: the original publication
    byline: str | None  # as printed
    authors: list[str]
    editors: list[str]
    paragraphs: list[str]
    images: list[Image]
    links: list[Link]
    language: str
    template: str
    charset: str  # the charset the text was decoded with
    page_urls: list[str] = field(default_factory=list)  # every page, page 1 first
    page_no: int = 1
    mojibake: bool = False  # the decoded text looks garbled: bytes and charset disagree
    declared_charset: str | None = None  # what the HTTP header or the page declared
    confidence: float = 1.0  # 1.0 known template … 0.5 generic extractor
    series_order: int | None = None  # the ordinal within the series, when printed
    column_name: str | None = None  # the column a headline suffix names: （人民眼） → 人民眼
    source_raw: str | None = None  # the 来源 text as printed
    source_channel: str | None = None  # the people.cn channel named on the 来源 line
    print_edition: str | None = None  # 《 人民日报 》（ 2024年02月26日 01 版）→ 人民日报
    print_date: str | None = None  # → 2024-02-26
    print_page: str | None = None  # → 01
    contributors: list[dict] = field(default_factory=list)  # [{name, role}] from the byline
    date_method: str | None = None  # which candidate published_at came from
    date_confidence: str | None = None  # high | medium | low
    date_conflict: bool = False  # the candidates disagree on the day
    date_candidates: list[dict] = field(default_factory=list)  # [{method, value}]
    body_html: str = ""  # the body as sanitised HTML (nh3): p, h2–h4, strong/em, a, figure
    # What the reader's caps left out (peoplecn/pages/limits.py): {"links": 9000, …}, else None
    truncated: dict | None = None
    original_title: str | None = None  # 原标题：… — the headline the piece first ran under
    # Which reader read each field ({"title": "people_2020", "related": "cues", …}): the
    # template reader, or the template-blind one where the template found nothing (issue 22)
    field_sources: dict = field(default_factory=dict)
    # Fields both readers read and read differently (the template's value kept): counted in
    # crawls.field_disagreements, not stored with the article; `compared`: both read the page
    disagreements: list[str] = field(default_factory=list)
    compared: bool = False

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict:
        return asdict(self)
