"""Template readers: a people.cn template generation is a selector map — class attributes that
each template module sets (people_2020.py …), compiled once when the module is imported. The
fields are read here, the body by template_body.py. Pure: a Page in, Fields out; a page without
what the template needs raises MissingField, never another exception.

Selector map (CSS, or XPath when it starts with "/", "(" or "./"): MARKER (only on this
template), HEAD (the block of h3.pre/h1/h4.sub), TITLE (candidates, first with text wins),
PRE_TITLE, SUBTITLE, BYLINE (+ BYLINE_PATTERN, a regex whose group 1 is the byline), DATE_LINE
(+ DATE_FORMAT "zh" or "en"), SOURCE (else the date line's link), BODY (candidates), EDITOR,
PAGER (links), CRUMBS, RELATED / RECOMMENDED (items whose links they are; RECOMMENDED_TITLE:
one link per item, titled by that selector), RELATED_HEADS / RECOMMENDED_HEADS (headings of
link blocks); NAME (the `template` value), CONFIDENCE (0–1), CHANNEL_FROM_TITLE.
"""

from __future__ import annotations

import re

from lxml import etree

from peoplecn import urls
from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.fields import Body, Fields
from peoplecn.pages.limits import MAX_PAGES
from peoplecn.pages.page import Page
from peoplecn.pages.pagelinks import absolute, headed_links, iter_links
from peoplecn.pages.reader import ReaderBase
from peoplecn.pages.record import Link, MissingField
from peoplecn.pages.selectors import compiled, first, select
from peoplecn.pages.template_body import walk_body

_ORIGINAL_TITLE = ".//*[text()[contains(., '原标题') or contains(., '原题')]]"
_HAS_ORIGINAL_TITLE = etree.XPath(
    "boolean(.//text()[contains(., '原标题') or contains(., '原题')])")
_META = {name: f"//meta[@name='{name}']/@content" for name in ("publishdate", "source",
                                                               "contentid")}
_HEAD_TITLE = "//title"


class TemplateReader(ReaderBase):
    MARKER = ""
    HEAD = ""
    TITLE: tuple[str, ...] = ()
    PRE_TITLE = ""
    SUBTITLE = ""
    BYLINE = ""
    BYLINE_PATTERN = ""
    DATE_LINE = ""
    DATE_FORMAT = "zh"
    SOURCE = ""
    BODY: tuple[str, ...] = ()
    EDITOR = ""
    PAGER = "div.zdfy a"
    CRUMBS = "#rwb_navpath a"
    CHANNEL_FROM_TITLE = True
    RELATED = ""
    RELATED_HEADS: tuple[str, ...] = ()
    RECOMMENDED = ""
    RECOMMENDED_TITLE = ""
    RECOMMENDED_HEADS: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.HEAD:  # the head block's parts, unless the template names them itself
            cls.TITLE = cls.TITLE or (f"{cls.HEAD} > h1",)
            cls.PRE_TITLE = cls.PRE_TITLE or f"{cls.HEAD} > h3.pre"
            cls.SUBTITLE = cls.SUBTITLE or f"{cls.HEAD} > h4.sub"
        names = ("MARKER", "HEAD", "PRE_TITLE", "SUBTITLE", "BYLINE", "DATE_LINE", "SOURCE",
                 "EDITOR", "PAGER", "CRUMBS", "RELATED", "RECOMMENDED", "RECOMMENDED_TITLE")
        for expr in (*(getattr(cls, n) for n in names), *cls.TITLE, *cls.BODY):
            compiled(expr)  # compile now: a bad selector fails when the module is imported

    def __init__(self, page: Page):
        super().__init__(page)
        self.hidden = page.hidden
        self._container = None

    @classmethod
    def matches(cls, page: Page) -> bool:
        return first(cls.MARKER, page.root) is not None

    # -- text of selected elements ------------------------------------------------------
    def _nodes(self, expr: str) -> list[str]:
        """The text nodes under every element `expr` selects (hidden ones left out)."""
        return [t for el in select(expr, self.root) if not self.hidden.is_hidden(el)
                for t in self.hidden.texts(el)]

    def _text(self, expr: str) -> str:
        return text.clean(" ".join(self._nodes(expr)))

    def _meta(self, name: str) -> str:
        found = select(_META[name], self.root)
        return found[0] if found else ""

    def _head_title(self) -> str:
        el = first(_HEAD_TITLE, self.root)
        return (el.text or "") if el is not None else ""

    # -- head ---------------------------------------------------------------------------
    def title(self) -> str:
        found = next((t for t in (self._text(c) for c in self.TITLE) if t), "")
        found = found or text.title_from_head(self._head_title())
        if not found:
            raise MissingField(self.url, "title")
        return found

    def byline(self, body_byline: str | None) -> str | None:
        raw = " ".join(self._nodes(self.BYLINE)).strip()
        if self.BYLINE_PATTERN:
            m = re.search(self.BYLINE_PATTERN, text.clean(raw))
            raw = m.group(1) if m else ""
        return raw or body_byline

    def channel(self) -> str | None:
        crumbs = [c for c in (text.clean(t) for t in self._nodes(self.CRUMBS)) if c]
        if len(crumbs) > 1:
            return crumbs[1]
        return text.channel_from_head(self._head_title()) if self.CHANNEL_FROM_TITLE else None

    def original_title(self, container, body: Body) -> str | None:
        """An 原标题：… line in the text (the body walk keeps it out), in the head block, or
        one the page hides in either — shown or hidden, it is a field."""
        if body.original_title:
            return body.original_title
        head = first(self.HEAD, self.root) if self.HEAD else None
        blocks = [b for b in (head, container) if b is not None]
        hidden = [el for el in self.hidden.elements
                  if any(b is el or b in el.iterancestors() for b in blocks)]
        for block in [head] * (head is not None) + hidden:
            if not _HAS_ORIGINAL_TITLE(block):
                continue  # (a test of the block's text nodes first: the next looks at elements)
            for el in [block, *select(_ORIGINAL_TITLE, block)]:
                found = text.original_title(self.hidden.text(el))
                if found:
                    return found
        return None

    # -- date and source ----------------------------------------------------------------
    def date_line(self) -> str | None:
        line = " ".join(self._nodes(self.DATE_LINE))
        if self.DATE_FORMAT == "en":
            return dates.english_date_time(line)
        return text.datetime_from_line(line)

    def source(self) -> tuple[str | None, str | None]:
        """The 来源 outlet and its link: SOURCE's (else the date line's) link, its text, the
        date line's 来源： text, then <meta name="source">."""
        name, links = "", []
        for where in (self.SOURCE, self.DATE_LINE):
            links = [a for el in select(where, self.root) for a in el.iter("a")] if where else []
            name = text.clean(" ".join(t for a in links for t in self.hidden.texts(a)))
            if where and not name and where == self.SOURCE:
                name = self._text(where)
                name = text.source_from_line(name) or name.removeprefix("来源：")
            if name:
                break
        if not name:
            name = text.source_from_line(" ".join(self._nodes(self.DATE_LINE)))
        if not name:
            meta = self._meta("source")
            name = text.clean(re.split(r"[：:]", meta, maxsplit=1)[-1]) if meta else ""
        hrefs = [a.get("href") for a in links if a.get("href") is not None]
        return name or None, absolute(self.url, hrefs[0]) if hrefs else None

    # -- links --------------------------------------------------------------------------
    def _item_links(self, expr: str, kind: str, title_expr: str = "") -> list[Link]:
        items = select(expr, self.root) if expr else []
        if not title_expr:
            return list(iter_links(items, kind, self.url))
        out = []
        for item in items:
            href = next((a.get("href") for a in item.iter("a") if a.get("href")), None)
            url = absolute(self.url, href)
            if url:
                title = text.clean(" ".join(t for el in select(title_expr, item)
                                            for t in self.hidden.texts(el)))
                alt = next((img.get("alt") or "" for img in item.iter("img")), "")
                out.append(Link(url=url, text=title or text.clean(alt.split("\n")[0]),
                                kind=kind))
        return out

    def _headed(self, words: tuple[str, ...], kind: str) -> list[Link]:
        if not words:
            return []
        return headed_links(self.root, words, kind, self.url, self.hidden.text)

    def page_urls(self, cut: dict) -> list[str]:
        pages, seen = [], set()
        for a in select(self.PAGER, self.root) if self.PAGER else []:
            u = absolute(self.url, a.get("href"))
            if u and urls.is_article_url(u) and u not in seen:
                seen.add(u)
                pages.append(u)
        if len(pages) > MAX_PAGES:
            cut["pages"] = len(pages) - MAX_PAGES
        return pages[:MAX_PAGES] if len(pages) > 1 else []

    # -- the fields ---------------------------------------------------------------------
    def container(self):
        if self._container is None:
            found = (first(expr, self.root) for expr in self.BODY)
            self._container = next((el for el in found if el is not None), None)
            if self._container is None:
                raise MissingField(self.url, "body")
        return self._container

    def headline(self):
        """The element the headline is printed in, if the map names one."""
        return next((el for el in (first(c, self.root) for c in self.TITLE) if el is not None),
                    None)

    def fields(self) -> Fields:
        container = self.container()
        body = walk_body(container, self.page)
        if not body.paragraphs:
            raise MissingField(self.url, "body")
        source_raw, source_url = self.source()
        editors = text.editors_from_line(" ".join(self._nodes(self.EDITOR)))
        return Fields(
            title=self.title(), body=body,
            pre_title=self._text(self.PRE_TITLE) or None if self.PRE_TITLE else None,
            subtitle=self._text(self.SUBTITLE) or None if self.SUBTITLE else None,
            original_title=self.original_title(container, body),
            byline=self.byline(body.byline), channel=self.channel(),
            date_line=self.date_line(),
            other_dates=[("meta_publishdate", text.date_only(self._meta("publishdate")))],
            source_raw=source_raw, source_url=source_url,
            editors=editors or body.editors,
            related=[*body.related, *self._item_links(self.RELATED, "related"),
                     *self._headed(self.RELATED_HEADS, "related")],
            recommended=[*self._item_links(self.RECOMMENDED, "recommended",
                                           self.RECOMMENDED_TITLE),
                         *self._headed(self.RECOMMENDED_HEADS, "recommended")],
            page_urls=self.page_urls(body.cut), print_edition=body.print_edition,
            topic=body.topic, content_id=self._meta("contentid"),
        )
