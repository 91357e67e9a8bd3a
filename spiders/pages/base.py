"""The shared shape of a people.cn page reader: one method per field, selectors as class
attributes that each template module sets. Pure: URL + decoded text in, Article out.

Class attributes a template sets (CSS): `MARKER` (present only on this template), `HEAD` (the
block holding h3.pre/h1/h4.sub/byline), `BYLINE`, `DATE_LINE`, `BODY`, `EDITOR`, `PAGER`.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from spiders import urls
from spiders.pages import people_text as text
from spiders.pages.record import Article, Image, Link, MissingField

# Inside the body container these are widgets, not article text (reference §5 strip list).
SKIP_INSIDE_BODY = (
    "bza", "box_pic", "zdfy", "edit", "paper_num", "rm_download", "tjewm", "box_down",
)
SKIP_TAGS = {"script", "style", "center", "table", "iframe", "video", "noscript"}
RELATED_MARKERS = (
    "【相关链接】", "相关链接", "【相关阅读】", "相关阅读", "【相关新闻】", "相关新闻",
)
_CENTERED = re.compile(r"text-align\s*:\s*center", re.I)


class TemplateReader:
    NAME = ""
    MARKER = ""
    HEAD = ""
    BYLINE = ""
    DATE_LINE = ""
    BODY = ""
    EDITOR = ""
    PAGER = "div.zdfy a::attr(href)"

    def __init__(self, url: str, sel: Selector, charset: str, mojibake: bool):
        self.url = url
        self.sel = sel
        self.charset = charset
        self.mojibake = mojibake
        self._body = None

    @classmethod
    def matches(cls, sel: Selector) -> bool:
        return bool(sel.css(cls.MARKER))

    # -- head ---------------------------------------------------------------------------
    def title(self) -> str:
        title = text.clean(" ".join(self.sel.css(f"{self.HEAD} > h1 ::text").getall()))
        if not title:
            title = text.title_from_head(self.sel.css("title::text").get(""))
        if not title:
            raise MissingField(self.url, "title")
        return title

    def pre_title(self) -> str | None:
        return text.clean(" ".join(self.sel.css(f"{self.HEAD} > h3.pre ::text").getall())) or None

    def subtitle(self) -> str | None:
        return text.clean(" ".join(self.sel.css(f"{self.HEAD} > h4.sub ::text").getall())) or None

    def byline(self) -> str | None:
        raw = " ".join(self.sel.css(f"{self.BYLINE} ::text").getall()).strip()
        return raw or None

    def channel(self) -> str | None:
        crumbs = [text.clean(c) for c in self.sel.css("#rwb_navpath a ::text").getall()]
        crumbs = [c for c in crumbs if c]
        if len(crumbs) > 1:
            return crumbs[1]
        return text.channel_from_head(self.sel.css("title::text").get(""))

    def _date_line(self) -> Selector:
        return self.sel.css(self.DATE_LINE)

    def published_at(self) -> str | None:
        line = " ".join(self._date_line().css("::text").getall())
        return (
            text.datetime_from_line(line)
            or text.date_only(self.sel.css('meta[name="publishdate"]::attr(content)').get())
            or urls.url_date(self.url)
        )

    def source(self) -> str | None:
        line = self._date_line()
        name = text.clean(" ".join(line.css("a ::text").getall()))
        if not name:
            name = text.source_from_line(" ".join(line.css("::text").getall()))
        if not name:
            meta = self.sel.css('meta[name="source"]::attr(content)').get("")
            name = text.clean(meta.split("：", 1)[-1]) if meta else ""
        return name or None

    def source_url(self) -> str | None:
        href = self._date_line().css("a::attr(href)").get()
        return urljoin(self.url, href.strip()) if href else None

    def editors(self) -> list[str]:
        return text.editors_from_line(" ".join(self.sel.css(f"{self.EDITOR} ::text").getall()))

    # -- body ---------------------------------------------------------------------------
    def _body_parts(self) -> tuple[list[str], list[Image], list[Link], list[Link]]:
        """Walk the body's paragraphs once: text, images with captions, in-body links, and the
        【相关链接】 list that regional 2020s pages print inside the body."""
        if self._body is not None:
            return self._body
        container = self.sel.css(self.BODY)
        if not container:
            raise MissingField(self.url, "body")
        paragraphs, images, body_links, related = [], [], [], []
        in_related = False
        last_was_image = False
        for p in container[0].xpath(".//p"):
            if self._skipped(p):
                continue
            imgs = [urljoin(self.url, s.strip()) for s in p.css("img::attr(src)").getall()
                    if not s.strip().startswith(("/img/", "http://www.people.com.cn/img/"))]
            line = text.clean(text.visible_text(p))
            if imgs:
                images.extend(Image(src=s) for s in imgs)
                last_was_image = True
                if line:
                    paragraphs.append(line)
                continue
            if not line:
                continue
            if last_was_image and self._is_caption(p, line):
                images[-1] = Image(src=images[-1].src, caption=line)
                last_was_image = False
                continue
            last_was_image = False
            if line in RELATED_MARKERS or line.strip("【】[]") in RELATED_MARKERS:
                in_related = True
                continue
            if in_related and p.css("a[href]"):
                related.extend(self._links(p, "related"))
                continue
            if text.is_print_edition(line) or self._is_promo(p, line):
                continue
            paragraphs.append(line)
            body_links.extend(link for link in self._links(p, "body")
                              if urls.is_article_url(link.url))
        if not paragraphs:
            raise MissingField(self.url, "body")
        self._body = (paragraphs, images, body_links, related)
        return self._body

    @staticmethod
    def _skipped(p: Selector) -> bool:
        for anc in p.xpath("ancestor-or-self::*"):
            if anc.root.tag in SKIP_TAGS:
                return True
            classes = set((anc.attrib.get("class") or "").split())
            if classes & set(SKIP_INSIDE_BODY):
                return True
        return False

    @staticmethod
    def _is_caption(p: Selector, line: str) -> bool:
        # A caption is the short centred line right after a photo; a centred line that is all
        # bold is a heading or a verse title (see the 2016 culture sample), not a caption.
        if "pictext" in (p.attrib.get("class") or ""):
            return True
        bold = text.clean(" ".join(p.css("strong ::text, b ::text").getall()))
        return bool(_CENTERED.search(p.attrib.get("style") or "")) and len(line) <= 150 \
            and bold != line

    @staticmethod
    def _is_promo(p: Selector, line: str) -> bool:
        # "点击进入“文艺星青年”>>": a paragraph that is only a link to a column index page
        # (2016 culture sample), an advertisement for the channel rather than article text.
        hrefs = p.css("a::attr(href)").getall()
        return (len(hrefs) == 1 and line.endswith((">>", "》》", "＞＞"))
                and not urls.is_article_url(hrefs[0]))

    def _links(self, sel: Selector, kind: str) -> list[Link]:
        out = []
        for a in sel.css("a[href]"):
            href = a.attrib["href"].strip()
            if not href or href.startswith(("javascript:", "#", "mailto:")):
                continue
            out.append(Link(url=urljoin(self.url, href), text=text.clean(
                " ".join(a.css("::text").getall())), kind=kind))
        return out

    def paragraphs(self) -> list[str]:
        return self._body_parts()[0]

    def images(self) -> list[Image]:
        return self._body_parts()[1]

    def related_links(self) -> list[Link]:
        return self._body_parts()[3]

    def recommended_links(self) -> list[Link]:
        return []

    def links(self) -> list[Link]:
        own = {urls.canonical_article_url(self.url)}
        seen, out = set(), []
        for link in [*self.related_links(), *self.recommended_links(), *self._body_parts()[2]]:
            if urls.canonical_article_url(link.url) in own:
                continue  # pagination and photo links back to this article
            if (link.url, link.kind) not in seen:
                seen.add((link.url, link.kind))
                out.append(link)
        return out

    def page_urls(self) -> list[str]:
        pages = []
        for href in self.sel.css(self.PAGER).getall():
            u = urljoin(self.url, href.strip())
            if urls.is_article_url(u) and u not in pages:
                pages.append(u)
        return pages if len(pages) > 1 else []

    # -- the record ---------------------------------------------------------------------
    def article(self) -> Article:
        canonical = urls.canonical_article_url(self.url) or self.url
        title = self.title()
        paragraphs = self.paragraphs()
        byline = self.byline()
        pre_title = self.pre_title()
        return Article(
            url=canonical,
            id=urls.article_id(self.url) or canonical,
            content_id=urls.content_id(self.url)
            or self.sel.css('meta[name="contentid"]::attr(content)').get(""),
            site=canonical.split("/")[2],
            channel=self.channel(),
            title=title,
            pre_title=pre_title,
            subtitle=self.subtitle(),
            series=text.series_from_pre_title(pre_title),
            published_at=self.published_at(),
            source=self.source(),
            source_url=self.source_url(),
            byline=byline,
            authors=text.authors_from_byline(byline),
            editors=self.editors(),
            paragraphs=paragraphs,
            images=self.images(),
            links=self.links(),
            language=text.language_of(title + "".join(paragraphs)),
            template=self.NAME,
            charset=self.charset,
            page_urls=self.page_urls(),
            page_no=urls.page_number(self.url),
            mojibake=self.mojibake,
        )
