"""Link blocks, template-blind: lines after a heading 相关新闻 / 相关链接 / 推荐阅读 / Related
News inside the text or in a box of their own (up to the page's next heading), and the pages of
a multi-page article (【1】【2】…). A row of tags is not a story; a link without words takes its
photo's alt or the item's bold title.
"""

from __future__ import annotations

import re

from lxml import etree

from peoplecn import urls
from peoplecn.pages import people_text as text
from peoplecn.pages.cues.base import (
    HEADING_TAGS,
    LINK_HEADS,
    RELATED_HEADS,
    SECTION_HEADS,
    CuesBase,
    head_word,
)
from peoplecn.pages.cues.body import PAGER
from peoplecn.pages.lines import Line
from peoplecn.pages.record import Link

BOX_LINES = 120  # lines a related-links box is read for: the work stays bounded per heading
_MORE_WORDS = {"详细", "更多", "全文", "more", "详情", "阅读全文"}
_BOLD = etree.XPath(".//strong//text() | .//b//text()", smart_strings=False)


class LinkCues(CuesBase):
    def _block_links(self, lines: list[Line], kind: str) -> list[Link]:
        out = []
        for line in lines:
            if len(line.anchors) >= 3 and re.search(r"[|｜]", line.text):
                continue  # a row of tags (文艺星青年|汉语盘点2018|…), not a story
            for a in line.anchors:
                url = self._absolute(a.href)
                if not url or PAGER.match(a.text):
                    continue
                label = a.text
                if not label or label.strip("【】[] ").lower() in _MORE_WORDS:
                    label = text.clean(a.img_alt.split("\n")[0]) or _bold_of(line) or label
                if label:
                    out.append(Link(url=url, text=label, kind=kind))
        return out

    def _boxes(self) -> dict[str, list[Link]]:
        return self._once("boxes", self._read_boxes)

    def _read_boxes(self) -> dict[str, list[Link]]:
        """Link blocks headed 相关新闻 / 推荐阅读 / Related News outside the text."""
        out: dict[str, list[Link]] = {"related": [], "recommended": []}
        container = self.container()
        for line in self.lines:
            word = head_word(line)
            if word not in LINK_HEADS or line.link_chars or self.inside(line, container):
                continue
            block = self._box_after(line)
            kind = "related" if word in RELATED_HEADS else "recommended"
            out[kind].extend(self._block_links(block, kind))
        return out

    def _box_after(self, heading: Line) -> list[Line]:
        """The link lines after a heading, inside the smallest block holding the heading and
        the line after it, up to the next heading of the page."""
        at = heading.index + 1
        nxt = self.lines[at] if at < len(self.lines) else None
        if nxt is None or not nxt.anchors:
            return []
        box = heading.owner
        while box is not None and not self.inside(nxt, box):
            box = box.getparent()
        block: list[Line] = []
        for follower in self.lines[at: at + BOX_LINES]:
            if box is None or not self.inside(follower, box) or len(block) > 40:
                break
            word_after = head_word(follower)
            if word_after and not follower.link_chars and (
                    word_after in SECTION_HEADS | LINK_HEADS
                    or follower.owner.tag in HEADING_TAGS):
                break
            if follower.anchors:
                block.append(follower)
        return block

    def related_links(self) -> list[Link]:
        return [*self.body().related, *self._boxes()["related"]]

    def recommended_links(self) -> list[Link]:
        return [*self.body().recommended, *self._boxes()["recommended"]]

    def page_urls(self) -> list[str]:
        """Every page of this article the page links to (【1】【2】…), in page order."""
        own, cid = urls.canonical_article_url(self.url), urls.content_id(self.url)
        if not own or not cid:
            return []
        pages: dict[int, str] = {}
        for line in self.lines:
            for a in line.anchors:
                if cid not in a.href:
                    continue  # cheap: most links of a page are not to this article
                url = self._absolute(a.href)
                if url and urls.canonical_article_url(url) == own:
                    pages.setdefault(urls.page_number(url), url.split("#")[0])
        if len(pages) < 2:
            return []
        pages.setdefault(1, self.url)
        return [pages[n] for n in sorted(pages)]


def _bold_of(line: Line) -> str:
    return text.clean(" ".join(_BOLD(line.owner)))[:200]
