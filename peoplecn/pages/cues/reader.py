"""The template-blind people.cn reader: every field from textual cues that all people.cn
generations share — the headline the <title> repeats before its "--" suffix (or og:title), the
date line (2024年02月25日18:19, 2012-06-04 09:20, 11:35, November 23, 2022), 来源：/Source:,
the editor line (责编：, （责任编辑：…）, (Web editor: …)), bylines (本报记者 …), headings such
as 相关新闻 / 推荐阅读 / Related News, and text density — never from container class names.

It reads the pages no template reader claims (channel layouts, 2000s /GB/ table pages, the old
English site, browser-saved DOMs, fragments), and fills in what a template reader left empty
(agreement.py). Its parts, by field group: headline.py (headline and date), source.py (source,
editors, byline), body.py (the text) and links.py (link blocks, pages), all over one walk of
the page (lines.py). Pure and linear in the page; an Article or a PageError, nothing else.
"""

from __future__ import annotations

from peoplecn.pages import people_text as text
from peoplecn.pages.cues.body import BodyCues
from peoplecn.pages.cues.headline import HeadlineCues
from peoplecn.pages.cues.links import LinkCues
from peoplecn.pages.cues.source import SourceCues
from peoplecn.pages.fields import Fields
from peoplecn.pages.selectors import select

_ORIGINAL_TITLE = "//body//*[text()[contains(., '原标题') or contains(., '原题')]]"


class CuesReader(HeadlineCues, SourceCues, BodyCues, LinkCues):
    """Reads any people.cn article page from its text; see the module docstring."""

    def original_title(self) -> str | None:
        """An 原标题：… line in the text (body.py keeps it out), or one the page hides in the
        article's part of the page, from the headline to the end of the text block."""
        found = self.body().original_title
        text_of_page = self.page.decoded.text
        if found or ("原标题" not in text_of_page and "原题" not in text_of_page):
            return found  # (a string search first: the XPath below looks at every element)
        heading, container = self._heading(), self.container()
        start = self.page_lines.start
        low = heading.pos if heading else start.get(container, 0)
        high = self.page_lines.end.get(container, 0)
        for el in select(_ORIGINAL_TITLE, self.root):
            at = next((start[a] for a in (el, *el.iterancestors()) if a in start), None)
            if at is not None and low <= at < high:
                found = text.original_title(self.page.hidden.text(el))
                if found:
                    return found
        return None

    def fields(self) -> Fields:
        body = self.body()
        source_raw, source_url, _ = self._source()
        return Fields(
            title=self.title(), body=body, pre_title=self.pre_title(),
            subtitle=self.subtitle(), original_title=self.original_title(),
            byline=self.byline(), channel=self.channel(), date_line=self.printed_date(),
            other_dates=[("meta_publishdate", self.meta_date())],
            source_raw=source_raw, source_url=source_url, editors=self.editors(),
            related=self.related_links(), recommended=self.recommended_links(),
            page_urls=self.page_urls(), print_edition=body.print_edition, topic=body.topic,
            content_id=next(iter(self._meta("@name='contentid'")), ""),
        )
