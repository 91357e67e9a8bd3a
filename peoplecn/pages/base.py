"""The shared shape of a people.cn page reader: one method per field, selectors as class
attributes that each template module sets. Pure: URL + decoded text in, Article out; a page
without what a template needs raises MissingField, never another exception.

Class attributes a template sets (CSS): `MARKER` (present only on this template), `HEAD` (the
block holding h3.pre/h1/h4.sub), `BYLINE`, `DATE_LINE`, `BODY` (candidates, first found wins),
`EDITOR`, `PAGER`, `CRUMBS`; `NAME` (the `template` value) and `CONFIDENCE` (0–1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from itertools import islice
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList

from peoplecn import urls
from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.encoding import Decoded
from peoplecn.pages.limits import MAX_LINKS, MAX_PAGES, MAX_PARAGRAPHS
from peoplecn.pages.record import Article, Image, Link, MissingField
from peoplecn.pages.sanitize import clean_html, figure_html

# Inside the body container these are widgets, not article text (reference §5 strip list).
SKIP_INSIDE_BODY = {
    "bza", "box_pic", "zdfy", "edit", "editor", "paper_num", "rm_download", "tjewm", "box_down",
    "rm_relevant", "ops_share", "share", "origin", "route",
}
SKIP_IDS = {"rwb_tjyd", "ops_share", "p_editor", "jiansuo"}
SKIP_TAGS = {"script", "style", "center", "table", "iframe", "video", "noscript", "form",
             "object", "embed", "button", "select", "textarea"}
RELATED_MARKERS = ("相关链接", "相关阅读", "相关新闻", "延伸阅读", "相关报道")
# "相关新闻：<a>…</a>": the heading and its first link in one paragraph
_RELATED_INLINE = re.compile(rf"^[【\[]?\s*(?:{'|'.join(RELATED_MARKERS)})\s*[】\]]?\s*[：:]")
BLOCKS = (".//p | .//h2 | .//h3 | .//h4 | "
          ".//table[contains(concat(' ', normalize-space(@class), ' '), ' pci_c ')]")
_CENTERED = re.compile(r"text-align\s*:\s*center", re.I)
_INDENT = re.compile(r"(<(?:p|h[2-4])>)(?:\s|\u3000|&nbsp;)+")
_TOPIC = re.compile(r"点击进入\s*[“\"「《]?([^”\"」》>]{2,30})")


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    html: list = field(default_factory=list)  # str, or an int: the index of an image
    images: list[Image] = field(default_factory=list)
    body_links: list[Link] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    print_edition: tuple[str, str, str] | None = None
    topic: str | None = None  # a column/topic the body links to ("点击进入“…”>>")
    byline: str | None = None  # a byline printed as a body paragraph (wire copy)
    editors: list[str] = field(default_factory=list)  # a 责编 line printed as a paragraph
    cut: dict[str, int] = field(default_factory=dict)  # what the caps left out (limits.py)


class TemplateReader:
    NAME = ""
    CONFIDENCE = 1.0
    MARKER = ""
    HEAD = ""
    BYLINE = ""
    DATE_LINE = ""
    BODY: tuple[str, ...] = ()
    EDITOR = ""
    PAGER = "div.zdfy a::attr(href)"
    CRUMBS = "#rwb_navpath a"

    def __init__(self, url: str, sel: Selector, decoded: Decoded):
        self.url = url
        self.sel = sel
        self.decoded = decoded
        self._body: Body | None = None

    @classmethod
    def matches(cls, sel: Selector) -> bool:
        return bool(sel.css(cls.MARKER))

    def _all(self, css: str, suffix: str) -> list[str]:
        """Values of `suffix` (" ::text", "::attr(href)") under every selector of a group."""
        if not css:
            return []
        return self.sel.css(", ".join(part.strip() + suffix for part in css.split(","))).getall()

    def _text(self, css: str) -> str:
        return text.clean(" ".join(self._all(css, " ::text")))

    # -- head ---------------------------------------------------------------------------
    def title(self) -> str:
        title = self._text(f"{self.HEAD} > h1") if self.HEAD else ""
        if not title:
            title = text.title_from_head(self.sel.css("title::text").get(""))
        if not title:
            raise MissingField(self.url, "title")
        return title

    def pre_title(self) -> str | None:
        return self._text(f"{self.HEAD} > h3.pre") or None if self.HEAD else None

    def subtitle(self) -> str | None:
        return self._text(f"{self.HEAD} > h4.sub") or None if self.HEAD else None

    def byline(self) -> str | None:
        raw = " ".join(self._all(self.BYLINE, " ::text")).strip()
        return raw or self.body().byline

    def channel(self) -> str | None:
        crumbs = [text.clean(c) for c in self._all(self.CRUMBS, " ::text")]
        crumbs = [c for c in crumbs if c]
        if len(crumbs) > 1:
            return crumbs[1]
        return text.channel_from_head(self.sel.css("title::text").get(""))

    # -- date ---------------------------------------------------------------------------
    def date_line(self) -> str:
        return " ".join(self._all(self.DATE_LINE, " ::text"))

    def date_candidates(self) -> list[tuple[str, str | None]]:
        """Best first: the printed date line, then meta publishdate, then the URL."""
        return [
            ("date_line", text.datetime_from_line(self.date_line())),
            ("meta_publishdate",
             text.date_only(self.sel.css('meta[name="publishdate"]::attr(content)').get())),
            ("url", dates.url_date(self.url)),
        ]

    # -- source -------------------------------------------------------------------------
    def source_raw(self) -> str | None:
        line = self.sel.css(self.DATE_LINE) if self.DATE_LINE else []
        name = text.clean(" ".join(line.css("a ::text").getall())) if line else ""
        if not name:
            name = text.source_from_line(self.date_line())
        if not name:
            meta = self.sel.css('meta[name="source"]::attr(content)').get("")
            name = text.clean(re.split(r"[：:]", meta, maxsplit=1)[-1]) if meta else ""
        return name or None

    def source_url(self) -> str | None:
        hrefs = self._all(self.DATE_LINE, " a::attr(href)")
        return self._absolute(hrefs[0]) if hrefs else None

    def _absolute(self, href: str | None) -> str | None:
        if not href or not href.strip():
            return None
        try:
            url = urljoin(self.url, href.strip())
        except ValueError:
            return None
        # only web addresses: no javascript:, data:, mailto: … in a record
        return url if url.lower().startswith(("http://", "https://")) else None

    def editors(self) -> list[str]:
        line = " ".join(self._all(self.EDITOR, " ::text"))
        return text.editors_from_line(line) or self.body().editors

    # -- body ---------------------------------------------------------------------------
    def container(self) -> Selector:
        for css in self.BODY:
            found = self.sel.css(css)
            if found:
                return found[0]
        raise MissingField(self.url, "body")

    def body(self) -> Body:
        """Walk the body's blocks once: text, sanitised HTML, images with captions, in-body
        links, the 【相关链接】 list that regional 2020s pages print inside the body, and the
        print-edition note."""
        if self._body is None:
            self._body = self._walk(self.container())
            if not self._body.paragraphs:
                raise MissingField(self.url, "body")
        return self._body

    def _walk(self, container: Selector) -> Body:
        body = Body()
        in_related = False
        last_was_image = False
        blocks = container.xpath(BLOCKS)
        if len(blocks) > MAX_PARAGRAPHS:
            body.cut["paragraphs"] = len(blocks) - MAX_PARAGRAPHS
        skipped: dict = {}
        for el in blocks[:MAX_PARAGRAPHS]:
            tag = el.root.tag
            if self._skipped(el, skipped):
                continue
            if tag == "table":
                self._photo_table(el, body)
                last_was_image = False
                continue
            line = text.clean(text.visible_text(el))
            for span in el.css("#paper_num"):
                note = text.clean(text.visible_text(span))
                body.print_edition = body.print_edition or text.print_edition(note)
                line = text.clean(line.replace(note, ""))
            imgs = [src for src in (self._absolute(s) for s in el.css("img::attr(src)").getall())
                    if src and not self._is_asset(src)]
            if imgs:
                for src in imgs:
                    body.html.append(len(body.images))
                    body.images.append(Image(src=src))
                last_was_image = True
                if line and self._is_caption(el, line):
                    self._caption(body, line)
                    last_was_image = False
                elif line:
                    self._paragraph(el, line, body)
                continue
            if not line:
                continue
            if last_was_image and self._is_caption(el, line):
                self._caption(body, line)
                last_was_image = False
                continue
            last_was_image = False
            if line.strip("【】[] ：:") in RELATED_MARKERS and not el.css("a[href]"):
                in_related = True
                continue
            if (in_related or _RELATED_INLINE.match(line)) and any(
                    a.get("href") is not None for a in el.root.iter("a")):
                in_related = True
                body.related.extend(self._links(el, "related"))
                continue
            if text.is_print_edition(line):
                body.print_edition = body.print_edition or text.print_edition(line)
                continue
            if self._is_editor_line(line):
                body.editors = body.editors or text.editors_from_line(line)
                continue
            if self._is_promo(el, line):
                m = _TOPIC.search(line)
                body.topic = body.topic or (m.group(1).strip() if m else None)
                continue
            if not body.byline and len(body.paragraphs) < 2 and text.is_byline_line(line):
                # wire copy prints its byline as a paragraph: "新华社记者" (2020s politics sample)
                body.byline = text.visible_text(el).strip(" \u3000\t\r\n\xa0")
                continue
            self._paragraph(el, line, body)
        closing = text.byline_only(body.paragraphs[-1]) if len(body.paragraphs) > 1 else None
        if closing:
            # a print piece closes with its byline: "（本报记者 王芳 李强）" is not text
            body.paragraphs.pop()
            del body.html[max(i for i, part in enumerate(body.html) if isinstance(part, str))]
            body.byline = body.byline or closing
        return body

    def _paragraph(self, el: Selector, line: str, body: Body) -> None:
        body.paragraphs.append(line)
        for span in el.css("#paper_num"):
            span.root.drop_tree()
        if sum(1 for _ in islice(el.root.iter("a"), MAX_LINKS + 1)) > MAX_LINKS:
            # A paragraph of more links than an article keeps: its text, without their markup
            # (the sanitiser would build a tree of every one of them).
            body.html.append(f"<p>{escape(line)}</p>")
        else:
            body.html.append(_INDENT.sub(r"\1", clean_html(el.get(), self.url)))
        for link in self._iter_links(el, "body"):
            if not urls.is_article_url(link.url):
                continue
            if len(body.body_links) < MAX_LINKS:
                body.body_links.append(link)
            else:  # counted, not kept: a page of 200k links costs what one of 1000 does
                body.cut["links"] = body.cut.get("links", 0) + 1

    def _caption(self, body: Body, line: str) -> None:
        last = body.images[-1]
        body.images[-1] = Image(src=last.src, caption=line, credit=text.credit_from_caption(line))

    def _photo_table(self, table: Selector, body: Body) -> None:
        """table.pci_c: a photo with its caption in the cells below (reference §5)."""
        imgs = [s for s in (self._absolute(x) for x in table.css("img::attr(src)").getall())
                if s and not self._is_asset(s)]
        caption = text.clean(text.visible_text(table)) or None
        for n, src in enumerate(imgs, 1):
            cap = caption if n == len(imgs) else None
            body.html.append(len(body.images))
            body.images.append(Image(src=src, caption=cap, credit=text.credit_from_caption(cap)))

    @staticmethod
    def _is_asset(src: str) -> bool:
        """Logos, icons, QR codes: people.cn serves its own page furniture from /img/."""
        return urlsplit(src).path.startswith("/img/")

    @staticmethod
    def _skipped(el: Selector, known: dict | None = None) -> bool:
        # lxml's own ancestor walk: a parsel xpath() per block was a sixth of reading a page.
        # `known` remembers each ancestor's answer, so deeply nested blocks cost one look each
        # rather than one per level (linear, not quadratic, in the page's depth).
        node = el.root
        if node.tag in SKIP_TAGS and node.tag != "table" or TemplateReader._skip_here(node):
            return True
        known = {} if known is None else known
        path = []
        answer = False
        for anc in node.iterancestors():
            if anc in known:
                answer = known[anc]
                break
            path.append(anc)
            if anc.tag in SKIP_TAGS or TemplateReader._skip_here(anc):
                answer = True
                break
        for anc in path:
            known[anc] = answer
        return answer

    @staticmethod
    def _skip_here(node) -> bool:
        classes = set((node.get("class") or "").split())
        return bool(classes & SKIP_INSIDE_BODY) or (node.get("id") or "") in SKIP_IDS

    @staticmethod
    def _is_caption(p: Selector, line: str) -> bool:
        # A caption is the short centred line right after a photo (or a line set in <em>, as
        # en.people.cn does); a centred line that is all bold is a heading or a verse title
        # (see the 2016 culture sample), not a caption.
        if "pictext" in (p.attrib.get("class") or ""):
            return True
        if len(line) > 300:
            return False
        emphasised = text.clean(" ".join(p.css("em ::text, i ::text").getall()))
        if emphasised and emphasised == line:
            return True
        bold = text.clean(" ".join(p.css("strong ::text, b ::text").getall()))
        return bool(_CENTERED.search(p.attrib.get("style") or "")) and len(line) <= 150 \
            and bold != line

    @staticmethod
    def _is_editor_line(line: str) -> bool:
        return len(line) < 80 and line[:1] in "(（" and bool(text.editors_from_line(line))

    @staticmethod
    def _is_promo(p: Selector, line: str) -> bool:
        # "点击进入“文艺星青年”>>": a paragraph that is only a link to a column index page
        # (2016 culture sample), an advertisement for the channel rather than article text.
        hrefs = list(islice((h for a in p.root.iter("a") if (h := a.get("href")) is not None), 2))
        return (len(hrefs) == 1 and line.endswith((">>", "》》", "＞＞"))
                and not urls.is_article_url(hrefs[0]))

    def _links(self, sel: Selector, kind: str) -> list[Link]:
        return list(self._iter_links(sel, kind))

    def _iter_links(self, sel: Selector, kind: str):
        """The links under `sel` (a Selector or a list of them), one at a time (lxml directly:
        no Selector per anchor)."""
        roots = [s.root for s in sel] if isinstance(sel, SelectorList) else [sel.root]
        for a in (a for root in roots for a in root.iter("a")):
            href = (a.get("href") or "").strip()
            if not href or href.lower().startswith(("javascript:", "#", "mailto:", "data:")):
                continue
            url = self._absolute(href)
            if url:
                # the anchor's own text nodes, as `a ::text` without descendants would give
                own = [t for t in (a.text, *(child.tail for child in a)) if t is not None]
                yield Link(url=url, text=text.clean(" ".join(own)), kind=kind)

    def _headed_links(self, words: tuple[str, ...], kind: str) -> list[Link]:
        """Links in a block headed 相关新闻 / 推荐阅读 …: h2–h5 or div.title, then a list."""
        out = []
        for head in self.sel.xpath("//h2 | //h3 | //h4 | //h5 | //div[@class='title']"):
            if text.clean(text.visible_text(head)).strip("【】[] ") not in words:
                continue
            block = head.xpath("following-sibling::*[1]")
            out.extend(self._links(block, kind) if block else [])
        return out

    def body_html(self) -> str:
        body = self.body()
        parts = []
        for part in body.html:
            if isinstance(part, int):
                img = body.images[part]
                parts.append(figure_html(img.src, img.caption))
            elif part:
                parts.append(part)
        return clean_html("".join(parts), self.url)

    def paragraphs(self) -> list[str]:
        return self.body().paragraphs

    def images(self) -> list[Image]:
        return self.body().images

    def related_links(self) -> list[Link]:
        return self.body().related

    def recommended_links(self) -> list[Link]:
        return []

    def links(self) -> list[Link]:
        own = {urls.canonical_article_url(self.url) or self.url}
        seen, out = set(), []
        for link in [*self.related_links(), *self.recommended_links(), *self.body().body_links]:
            if (urls.canonical_article_url(link.url) or link.url) in own:
                continue  # pagination and photo links back to this article
            if (link.url, link.kind) not in seen:
                seen.add((link.url, link.kind))
                out.append(link)
        if len(out) > MAX_LINKS:
            self.body().cut["links"] = self.body().cut.get("links", 0) + len(out) - MAX_LINKS
        return out[:MAX_LINKS]

    def page_urls(self) -> list[str]:
        pages, seen = [], set()
        for href in self.sel.css(self.PAGER).getall() if self.PAGER else []:  # full selectors
            u = self._absolute(href)
            if u and urls.is_article_url(u) and u not in seen:
                seen.add(u)
                pages.append(u)
        if len(pages) > MAX_PAGES:
            self.body().cut["pages"] = len(pages) - MAX_PAGES
        return pages[:MAX_PAGES] if len(pages) > 1 else []

    def topic(self) -> str | None:
        return self.body().topic

    def language(self, title: str, paragraphs: list[str]) -> str:
        return text.language_of(title + "".join(paragraphs))

    # -- the record ---------------------------------------------------------------------
    def article(self) -> Article:
        canonical = urls.canonical_article_url(self.url) or self.url
        title = self.title()
        paragraphs = self.paragraphs()
        byline = self.byline()
        # No names in the byline: wire copy names its reporters in the dateline
        # ("…电（记者贺航）") or at the very end ("（记者宋晨、田中全）").
        contributors = (text.contributors_from_byline(byline)
                        or text.contributors_from_byline(text.byline_from_dateline(paragraphs[0]))
                        or text.contributors_from_byline(text.byline_from_tail(paragraphs[-1])))
        pre_title = self.pre_title()
        series, series_order = text.series_of(pre_title, title, self.topic())
        raw_source = self.source_raw()
        source, source_channel = text.normalise_source(raw_source)
        when = dates.choose(self.date_candidates())
        edition = self.body().print_edition or (None, None, None)
        return Article(
            url=canonical,
            id=urls.article_id(self.url) or canonical,
            content_id=urls.content_id(self.url)
            or self.sel.css('meta[name="contentid"]::attr(content)').get(""),
            site=(canonical.split("/") + ["", "", ""])[2],
            channel=self.channel(),
            title=title,
            pre_title=pre_title,
            subtitle=self.subtitle(),
            series=series,
            series_order=series_order,
            column_name=text.column_from_title(title),
            published_at=when.published_at,
            date_method=when.method,
            date_confidence=when.confidence,
            date_conflict=when.conflict,
            date_candidates=when.candidates,
            source=source,
            source_channel=source_channel,
            source_raw=raw_source,
            source_url=self.source_url(),
            print_edition=edition[0],
            print_date=edition[1],
            print_page=edition[2],
            byline=byline,
            authors=[c["name"] for c in contributors],
            contributors=contributors,
            editors=self.editors(),
            paragraphs=paragraphs,
            body_html=self.body_html(),
            images=self.images(),
            links=self.links(),
            language=self.language(title, paragraphs),
            template=self.NAME,
            confidence=self.CONFIDENCE,
            charset=self.decoded.charset,
            declared_charset=self.decoded.declared,
            page_urls=self.page_urls(),
            page_no=urls.page_number(self.url),
            mojibake=self.decoded.mojibake,
            truncated=self._truncated(),
        )

    def _truncated(self) -> dict | None:
        try:
            return dict(self.body().cut) or None
        except MissingField:  # a reader (generic) that reads its body otherwise
            return None
