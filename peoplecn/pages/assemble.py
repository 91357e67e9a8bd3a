"""The record every reader's fields become: one rule for all readers — bylines to contributors,
series from pre-title / headline / topic, the date chosen among the candidates, the 来源 text
split into outlet and channel, the body's HTML sanitised in one call. Pure.
"""

from __future__ import annotations

import re

from peoplecn import urls
from peoplecn.pages import dates, series
from peoplecn.pages import people_text as text
from peoplecn.pages.fields import Body, Fields
from peoplecn.pages.limits import MAX_LINKS, PARSER_MAX_DEPTH
from peoplecn.pages.page import Page
from peoplecn.pages.record import Article, Link
from peoplecn.pages.sanitize import clean_html, figure_html
from peoplecn.pages.strings import language_of

_INDENT = re.compile(r"(<(?:p|h[2-4]|blockquote)>)(?:\s|\u3000|&nbsp;)+")


def body_html(body: Body, base_url: str) -> str:
    """The body as safe HTML: its fragments and figures, sanitised in one nh3 call."""
    parts = []
    for part in body.html:
        if isinstance(part, int):
            img = body.images[part]
            parts.append(figure_html(img.src, img.caption))
        elif part:
            parts.append(part)
    return _INDENT.sub(_opening, clean_html("".join(parts), base_url))


def _opening(m: re.Match) -> str:
    return m.group(1)  # (a function: a template string is parsed again at every match)


def _links(fields: Fields, own: str, cut: dict) -> list[Link]:
    seen, out = set(), []
    for link in [*fields.related, *fields.recommended, *fields.body.body_links]:
        if (urls.canonical_article_url(link.url) or link.url) == own:
            continue  # pagination and photo links back to this article
        if (link.url, link.kind) not in seen:
            seen.add((link.url, link.kind))
            out.append(link)
    if len(out) > MAX_LINKS:
        cut["links"] = cut.get("links", 0) + len(out) - MAX_LINKS
    return out[:MAX_LINKS]


def _contributors(fields: Fields, language: str) -> list[dict]:
    if language == "en":
        return text.contributors_en(fields.byline) if fields.byline else []
    paragraphs = fields.body.paragraphs
    # No names in the byline: wire copy names its reporters in the dateline ("…电（记者贺航）")
    # or at the very end ("（记者宋晨、田中全）").
    return (text.contributors_from_byline(fields.byline)
            or text.contributors_from_byline(text.byline_from_dateline(paragraphs[0]))
            or text.contributors_from_byline(text.byline_from_tail(paragraphs[-1])))


def _truncated(page: Page, cut: dict) -> dict | None:
    cut = dict(cut)
    if page.too_deep:  # the parser drops what lies deeper than its limit: say so
        cut["nesting"] = PARSER_MAX_DEPTH
    return cut or None


def article(fields: Fields, page: Page, template: str, confidence: float, url: str,
            sources: dict | None = None, disagreements: list[str] | None = None) -> Article:
    """The record; `url` is the page's address as the reader took it (a Wayback capture's
    prefix removed)."""
    canonical = urls.canonical_article_url(url) or url
    paragraphs = fields.body.paragraphs
    language = language_of(fields.title + "".join(paragraphs))
    contributors = _contributors(fields, language)
    name, order = series.series_of(fields.pre_title, fields.title, fields.topic)
    source, source_channel = text.normalise_source(fields.source_raw)
    when = dates.choose([("date_line", fields.date_line), *fields.other_dates,
                         ("url", dates.url_date(url))])
    edition = fields.print_edition or (None, None, None)
    cut = dict(fields.body.cut)
    links = _links(fields, canonical, cut)
    return Article(
        url=canonical, id=urls.article_id(url) or canonical,
        content_id=urls.content_id(url) or fields.content_id,
        site=(canonical.split("/") + ["", "", ""])[2], channel=fields.channel,
        title=fields.title, pre_title=fields.pre_title, subtitle=fields.subtitle,
        series=name, series_order=order, column_name=series.column_from_title(fields.title),
        published_at=when.published_at, date_method=when.method,
        date_confidence=when.confidence, date_conflict=when.conflict,
        date_candidates=when.candidates,
        source=source, source_channel=source_channel, source_raw=fields.source_raw,
        source_url=fields.source_url,
        print_edition=edition[0], print_date=edition[1], print_page=edition[2],
        byline=fields.byline, authors=[c["name"] for c in contributors],
        contributors=contributors, editors=fields.editors,
        paragraphs=paragraphs, body_html=body_html(fields.body, url),
        images=fields.body.images, links=links, language=language,
        template=template, confidence=confidence,
        charset=page.decoded.charset, declared_charset=page.decoded.declared,
        page_urls=fields.page_urls, page_no=urls.page_number(url),
        mojibake=page.decoded.mojibake, truncated=_truncated(page, cut),
        original_title=fields.original_title,
        field_sources=sources or {},
        disagreements=disagreements or [],
    )
