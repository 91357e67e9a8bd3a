"""Page readers: what a people.cn page says. `parse_article(url, body, content_type)` picks the
reader from the page itself and returns an Article or raises a PageError. Pure: no network, no
clock, no database.

The family (docs/extraction.md): reader.py (the protocol), page.py (one decode, one parse),
template.py + template_body.py (template readers are selector maps: people_2020.py,
people_2016.py, people_n.py, people_en.py), cues/ (the template-blind reader), generic.py
(other outlets), agreement.py (field by field), assemble.py (fields → record), dispatch.py
(which reader reads a page), merge.py (multi-page articles).
"""

from __future__ import annotations

from peoplecn.pages.dispatch import (
    READER_NAMES,
    READERS,
    TEMPLATE_READERS,
    Reading,
    parse_article,
    parse_with,
    read_page,
    read_response,
    read_with,
)
from peoplecn.pages.merge import merge_pages
from peoplecn.pages.page import Page, parse_page
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

__all__ = [
    "Article", "ExtractionFailed", "Image", "Link", "MissingField", "NotAnArticle", "Page",
    "PageError", "READERS", "READER_NAMES", "Reading", "TEMPLATE_READERS", "UnknownTemplate",
    "merge_pages", "parse_article", "parse_page", "parse_with", "read_page", "read_response",
    "read_with",
]
