"""Reader for en.people.cn articles (reference §13): div.d2txtCon (older div.d2txt_con) holds
the crumbs, h1, div.origin (source link, optional "By …", time "%H:%M, %B %d, %Y" in Beijing
time) and the paragraphs; photos are centred <p><img>, captions the <p><em> after them; the
editor line is div.editor "(Web editor: A, B)".
"""

from __future__ import annotations

import re

from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.base import TemplateReader
from peoplecn.pages.record import Link

_BY = re.compile(r"\bBy\s+(.+?)\s*(?:\(|$)")


class PeopleEnReader(TemplateReader):
    NAME = "people_en"
    MARKER = "div.d2txtCon, div.d2txt_con"
    HEAD = "div.d2txtCon, div.d2txt_con"
    DATE_LINE = "div.d2txtCon div.origin, div.d2txt_con div.origin"
    BODY = ("div.d2txtCon", "div.d2txt_con")
    EDITOR = "div.d2txtCon div.editor, div.d2txt_con div.editor"
    CRUMBS = "div.d2txtCon div.route a, div.d2txt_con div.route a"

    def title(self) -> str:
        title = self._text("div.d2txtCon > h1") or self._text("div.d2txt_con > h1")
        return title or super().title()

    def pre_title(self) -> str | None:
        return None

    def subtitle(self) -> str | None:
        return None

    def byline(self) -> str | None:
        m = _BY.search(text.clean(self.date_line()))
        return m.group(1) if m else None

    def channel(self) -> str | None:
        crumbs = [text.clean(c) for c in self._all(self.CRUMBS, " ::text")]
        crumbs = [c for c in crumbs if c]
        return crumbs[1] if len(crumbs) > 1 else None

    def related_links(self) -> list[Link]:
        return self._headed_links(("Related Stories", "Related", "相关新闻"), "related")

    def date_candidates(self) -> list[tuple[str, str | None]]:
        return [
            ("date_line", dates.english_date_time(self.date_line())),
            ("meta_publishdate",
             text.date_only(self.sel.css('meta[name="publishdate"]::attr(content)').get())),
            ("url", dates.url_date(self.url)),
        ]

    def article(self):
        article = super().article()
        if article.byline:
            article.contributors = text.contributors_en(article.byline)
            article.authors = [c["name"] for c in article.contributors]
        return article
