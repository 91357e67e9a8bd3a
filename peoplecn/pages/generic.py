"""Fallback reader for pages of unknown shape: people.cn channels with their own templates, and
other outlets reached through related links (news.cn, he.xinhuanet.com, hebnews.cn …). The text
comes from trafilatura; dates, source, bylines and editors from the usual Chinese labels near
the title and after the text. Marked `confidence` 0.5: check these rows before citing them.

Wayback captures are read as the page they archive (web.archive.org prefixes removed).
"""

from __future__ import annotations

import functools
import logging
import re
from html import escape

from peoplecn import urls
from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.fields import Body, Fields
from peoplecn.pages.page import Page
from peoplecn.pages.pagelinks import absolute, headed_links, is_asset
from peoplecn.pages.reader import ReaderBase
from peoplecn.pages.record import ExtractionFailed, Image, Link, MissingField, NotAnArticle
from peoplecn.pages.selectors import first, select

_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d+(?:[a-z]{2}_)?/", re.I)
_WAYBACK_PATH = re.compile(r"^/web/\d+(?:[a-z]{2}_)?/")
# "作者： 记者王敬照" (a second name may follow; a next label such as "编辑：" may not)
_AUTHOR = re.compile(
    r"(?:作者|记者)\s*[：:]\s*"
    r"([^\s|｜]{1,12}(?:[ \u3000]+[^\s|｜：:]{1,8}(?![^\s|｜：:]|\s*[：:]))?)"
)
_CONTENT_ID = re.compile(r"(?:content_|c_|/)(\d{5,})\.s?html?$")
MIN_LETTERS = 60  # less than this is a caption or a teaser, not an article
# trafilatura logs an ERROR for every page it cannot parse; here that is a typed PageError,
# counted in the crawl stats, so its own log line would only be noise.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def unarchived(url: str) -> str:
    return _WAYBACK.sub("", _WAYBACK_PATH.sub("", url or ""))


class GenericReader(ReaderBase):
    NAME = "generic"
    CONFIDENCE = 0.5

    def __init__(self, page: Page):
        super().__init__(page)
        self.url = unarchived(page.url)
        self._doc = None
        self._text: str | None = None

    def _extracted(self):
        if self._doc is None:
            import trafilatura  # imported on first use: it is slow to import, rarely needed

            try:
                self._doc = trafilatura.bare_extraction(
                    self.page.decoded.text, url=self.url, with_metadata=True,
                    include_tables=False, include_images=True, include_links=True,
                    output_format="python",
                )
            except Exception as e:  # a third-party library: its failure is a page error
                raise ExtractionFailed(self.url, f"trafilatura: {type(e).__name__}") from None
            if self._doc is None or self._doc.body is None:
                raise NotAnArticle(self.url, "no article text found")
        return self._doc

    def _page_text(self) -> str:
        if self._text is None:
            self._text = self.page.hidden.text(self.page.body)
        return self._text

    def _near_title(self, title: str) -> str:
        """The page text from the headline on (date and source lines follow the headline)."""
        full = self._page_text()
        at = full.find(title[:12]) if title else -1
        return full[at: at + 3000] if at >= 0 else full[:3000]

    def _after_text(self, body: Body) -> str:
        full = self._page_text()
        tail = body.paragraphs[-1][-12:] if body.paragraphs else ""
        at = full.rfind(tail) if tail else -1
        return full[at + len(tail): at + len(tail) + 600] if at >= 0 else ""

    def title(self) -> str:
        doc = self._extracted()
        h1 = " ".join(t for el in select("//h1", self.root) for t in self.page.hidden.texts(el))
        title = text.clean(doc.title) or text.clean(h1)
        head = first("//title", self.root)
        title = text.title_from_head(title) or text.clean(head.text if head is not None else "")
        if not title:
            raise MissingField(self.url, "title")
        return title

    def body(self) -> Body:
        body = Body()
        for el in self._extracted().body.iter("p", "head", "item", "quote", "graphic"):
            if el.tag == "graphic":
                src = absolute(self.url, unarchived(el.get("src") or ""))
                if src and not is_asset(src):
                    caption = text.clean(el.get("title") or el.get("alt") or "") or None
                    body.add_image(Image(src=src, caption=caption,
                                         credit=text.credit_from_caption(caption)))
                continue
            line = text.clean("".join(el.itertext()))
            if not line or text.is_print_edition(line) or text.original_title(line) or (
                    len(line) < 80 and line[:1] in "(（" and text.editors_from_line(line)):
                continue
            tag = "h3" if el.tag == "head" else "p"
            body.add_paragraph(line, f"<{tag}>{escape(line)}</{tag}>")
            for ref in el.iter("ref"):
                target = absolute(self.url, unarchived(ref.get("target") or ""))
                if target and urls.is_article_url(target):
                    body.body_links.append(Link(url=target, text=text.clean(
                        "".join(ref.itertext())), kind="body"))
        if sum(len(p) for p in body.paragraphs) < MIN_LETTERS:
            raise NotAnArticle(self.url, "too little text for an article")
        return body

    def _meta(self, *names: str) -> str | None:
        for name in names:
            found = select(f"//meta[@name='{name}' or @property='{name}']/@content", self.root)
            if found:
                return found[0]
        return None

    def fields(self) -> Fields:
        title = self.title()
        body = self.body()
        near = self._near_title(title)
        m = _AUTHOR.search(near) or _AUTHOR.search(self._after_text(body))
        source = text.source_from_line(near)
        if not source:
            meta = self._meta("source") or ""
            source = text.clean(re.split(r"[：:]", meta, maxsplit=1)[-1]) if meta else ""
        m_id = _CONTENT_ID.search(self.url.split("?", 1)[0])
        headed = functools.partial(headed_links, self.root, base=self.url,
                                   text_of=self.page.hidden.text)
        return Fields(
            title=title, body=body, byline=text.clean(m.group(1)) if m else None,
            # trafilatura's `date` comes from htmldate, which only reports dates printed in
            # the page; its `filedate` is the day of extraction and is never used.
            date_line=dates.text_date_time(near),
            other_dates=[("meta_publishdate", text.date_only(
                             self._meta("publishdate", "article:published_time", "PubDate"))),
                         ("htmldate", text.date_only(self._extracted().date))],
            source_raw=source or None,
            editors=text.editors_from_line(self._after_text(body)),
            related=headed(("相关新闻", "相关链接", "相关阅读", "相关报道"), "related"),
            recommended=headed(("推荐阅读",), "recommended"),
            content_id=self._meta("contentid") or (m_id.group(1) if m_id else ""),
        )
