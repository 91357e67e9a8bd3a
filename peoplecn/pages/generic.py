"""Fallback reader for pages of unknown shape: people.cn channels with their own templates, and
other outlets reached through related links (news.cn, he.xinhuanet.com, hebnews.cn …). The text
comes from trafilatura; dates, source, bylines and editors from the usual Chinese labels near
the title and after the text. Marked `confidence` 0.5: check these rows before citing them.

Wayback captures are read as the page they archive (web.archive.org prefixes removed).
"""

from __future__ import annotations

import logging
import re
from html import escape

from peoplecn import urls
from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.base import Body, TemplateReader
from peoplecn.pages.record import ExtractionFailed, Image, Link, MissingField, NotAnArticle

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


class GenericReader(TemplateReader):
    NAME = "generic"
    CONFIDENCE = 0.5
    PAGER = ""

    def __init__(self, url, sel, decoded):
        super().__init__(unarchived(url), sel, decoded)
        self._doc = None

    @classmethod
    def matches(cls, sel) -> bool:
        return True

    def _extracted(self):
        if self._doc is None:
            import trafilatura  # imported on first use: it is slow to import, rarely needed

            try:
                self._doc = trafilatura.bare_extraction(
                    self.decoded.text, url=self.url, with_metadata=True, include_tables=False,
                    include_images=True, include_links=True, output_format="python",
                )
            except Exception as e:  # a third-party library: its failure is a page error
                raise ExtractionFailed(self.url, f"trafilatura: {type(e).__name__}") from None
            if self._doc is None or self._doc.body is None:
                raise NotAnArticle(self.url, "no article text found")
        return self._doc

    def _page_text(self) -> str:
        body = (self.sel.css("body") or [self.sel])[0]
        return text.visible_text(body)

    def _near_title(self) -> str:
        """The page text from the headline on (date and source lines follow the headline)."""
        full = self._page_text()
        title = self.title()
        at = full.find(title[:12]) if title else -1
        return full[at: at + 3000] if at >= 0 else full[:3000]

    def _after_text(self) -> str:
        full = self._page_text()
        body = self.body()
        tail = body.paragraphs[-1][-12:] if body.paragraphs else ""
        at = full.rfind(tail) if tail else -1
        return full[at + len(tail): at + len(tail) + 600] if at >= 0 else ""

    # -- head ---------------------------------------------------------------------------
    def title(self) -> str:
        doc = self._extracted()
        title = text.clean(doc.title) or text.clean(" ".join(self.sel.css("h1 ::text").getall()))
        title = text.title_from_head(title) or text.clean(self.sel.css("title::text").get(""))
        if not title:
            raise MissingField(self.url, "title")
        return title

    def pre_title(self) -> str | None:
        return None

    def subtitle(self) -> str | None:
        return None

    def channel(self) -> str | None:
        return None

    def byline(self) -> str | None:
        m = _AUTHOR.search(self._near_title()) or _AUTHOR.search(self._after_text())
        return text.clean(m.group(1)) if m else None

    def date_candidates(self) -> list[tuple[str, str | None]]:
        meta = self.sel.css('meta[name="publishdate"]::attr(content), '
                            'meta[property="article:published_time"]::attr(content), '
                            'meta[name="PubDate"]::attr(content)').get()
        # trafilatura's `date` comes from htmldate, which only reports dates printed in the
        # page; its `filedate` is the day of extraction and is never used.
        found = self._extracted().date
        return [
            ("date_line", dates.text_date_time(self._near_title())),
            ("meta_publishdate", text.date_only(meta)),
            ("htmldate", text.date_only(found)),
            ("url", dates.url_date(self.url)),
        ]

    def source_raw(self) -> str | None:
        name = text.source_from_line(self._near_title())
        if not name:
            meta = self.sel.css('meta[name="source"]::attr(content)').get("")
            name = text.clean(re.split(r"[：:]", meta, maxsplit=1)[-1]) if meta else ""
        return name or None

    def source_url(self) -> str | None:
        return None

    def editors(self) -> list[str]:
        return text.editors_from_line(self._after_text())

    # -- body ---------------------------------------------------------------------------
    def body(self) -> Body:
        if self._body is not None:
            return self._body
        doc = self._extracted()
        body = Body()
        for el in doc.body.iter("p", "head", "item", "quote", "graphic"):
            if el.tag == "graphic":
                src = self._absolute(unarchived(el.get("src") or ""))
                if src and not self._is_asset(src):
                    caption = text.clean(el.get("title") or el.get("alt") or "") or None
                    body.html.append(len(body.images))
                    body.images.append(Image(src=src, caption=caption,
                                             credit=text.credit_from_caption(caption)))
                continue
            line = text.clean("".join(el.itertext()))
            if not line or text.is_print_edition(line) or self._is_editor_line(line):
                continue
            body.paragraphs.append(line)
            tag = "h3" if el.tag == "head" else "p"
            body.html.append(f"<{tag}>{escape(line)}</{tag}>")
            for ref in el.iter("ref"):
                target = self._absolute(unarchived(ref.get("target") or ""))
                if target and urls.is_article_url(target):
                    body.body_links.append(Link(url=target, text=text.clean(
                        "".join(ref.itertext())), kind="body"))
        if sum(len(p) for p in body.paragraphs) < MIN_LETTERS:
            raise NotAnArticle(self.url, "too little text for an article")
        self._body = body
        return body

    def related_links(self) -> list[Link]:
        return self._headed_links(("相关新闻", "相关链接", "相关阅读", "相关报道"), "related")

    def recommended_links(self) -> list[Link]:
        return self._headed_links(("推荐阅读",), "recommended")

    def article(self):
        article = super().article()
        if not article.content_id:
            m = _CONTENT_ID.search(self.url.split("?", 1)[0])
            article.content_id = m.group(1) if m else ""
        return article
