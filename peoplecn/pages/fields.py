"""What a reader reads off a page, field by field, before the record is made (assemble.py):
the unit in which two readers are compared and one fills in for the other (agreement.py).
Plain data; nothing here reads a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peoplecn.pages.record import Image, Link


@dataclass
class Body:
    """The article text as one walk of the text container found it."""

    paragraphs: list[str] = field(default_factory=list)
    # unsanitised HTML fragments, or an int: the index of an image; sanitised once (assemble)
    html: list = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    body_links: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)  # printed inside the text
    recommended: list[Link] = field(default_factory=list)  # 推荐阅读 printed inside the text
    print_edition: tuple[str, str, str] | None = None
    topic: str | None = None  # a column/topic the body links to ("点击进入“…”>>")
    byline: str | None = None  # a byline printed as a body paragraph (wire copy, closing line)
    editors: list[str] = field(default_factory=list)  # a 责编 line printed as a paragraph
    original_title: str | None = None  # an 原标题： line met in the text (never text itself)
    cut: dict[str, int] = field(default_factory=dict)  # what the caps left out (limits.py)

    def add_paragraph(self, text: str, html: str) -> None:
        self.paragraphs.append(text)
        self.html.append(html)

    def add_image(self, image: Image) -> None:
        self.html.append(len(self.images))
        self.images.append(image)

    def drop_last_paragraph(self) -> str:
        """Take back the last paragraph (a closing byline): its text, its HTML gone too."""
        last = max(i for i, part in enumerate(self.html) if isinstance(part, str))
        del self.html[last]
        return self.paragraphs.pop()


@dataclass
class Fields:
    title: str
    body: Body
    pre_title: str | None = None
    subtitle: str | None = None
    original_title: str | None = None  # 原标题：… (the headline the piece first ran under)
    byline: str | None = None
    channel: str | None = None
    date_line: str | None = None  # the printed date (ISO 8601, +08:00), if any
    other_dates: list[tuple[str, str | None]] = field(default_factory=list)  # meta, htmldate …
    source_raw: str | None = None
    source_url: str | None = None
    editors: list[str] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)  # in the text first, then boxes
    recommended: list[Link] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)
    print_edition: tuple[str, str, str] | None = None  # (paper, day, page)
    topic: str | None = None  # a column/topic the page links the piece to
    content_id: str = ""  # the page's own <meta name="contentid">


# The fields one reader may fill in for another, and compare (agreement.py). The body (text,
# HTML, photos) is one reader's whole: never patched from another.
FILLABLE = ("pre_title", "subtitle", "original_title", "byline", "channel", "date_line",
            "source_raw", "source_url", "editors", "related", "recommended", "page_urls",
            "print_edition")
COMPARED = ("title", *FILLABLE, "paragraphs")
