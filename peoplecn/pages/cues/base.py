"""What every part of the template-blind reader shares: the page, its lines (one walk,
lines.py), each answer computed once, and the words people.cn prints as headings and furniture.
"""

from __future__ import annotations

import re
import unicodedata

from peoplecn.pages import people_text as text
from peoplecn.pages.lines import Anchor, Line, read_lines
from peoplecn.pages.page import Page
from peoplecn.pages.pagelinks import absolute, same_article
from peoplecn.pages.reader import ReaderBase
from peoplecn.pages.selectors import select

# Headings of link blocks, as printed (compared without 【】, colons, spaces, "更多>>").
RELATED_HEADS = {"相关新闻", "相关链接", "相关阅读", "延伸阅读", "相关报道", "相关文章",
                 "relatednews", "relatedstories", "relatedarticles", "related", "relatedlinks"}
RECOMMENDED_HEADS = {"推荐阅读"}
LINK_HEADS = RELATED_HEADS | RECOMMENDED_HEADS
# Other blocks of a people.cn page: a link block ends where one of them starts.
SECTION_HEADS = {
    "精彩图集", "热点推荐", "热点排行", "视频新闻", "精彩推荐", "客户端下载", "图片新闻",
    "热门排行", "排行榜", "网友评论", "相关专题", "今日推荐", "热门文章", "最新新闻", "人民网热点",
    "关注我们",
    "mostpopular", "mostviewed", "inpictures", "hottopics", "mostread", "specials", "trending",
}
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
WINDOW = 15  # lines around the headline where its date, source and byline are printed
_HEAD_JUNK = re.compile(r"[【】\[\]（）()：:·•\s>＞»]|更多|more", re.I)
SENTENCE = re.compile(r"[。！？!?；;，,]")
SOURCE_LABEL = re.compile(r"(?:稿件|文章|信息)?来源\s*[：:]|\bSource\s*:", re.I)
_TITLE_TEXT = "//title//text()"


def norm(s: str | None) -> str:
    # str.translate is slow on CJK text: two replaces do the same here
    s = (s or "").replace("\u2015", "\u2014").replace("\u2500", "\u2014")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def head_word(line: Line) -> str:
    """A short line as a heading word: '【相关新闻】' → 相关新闻, 'Related News' → relatednews."""
    return _HEAD_JUNK.sub("", line.text).lower() if 0 < line.size <= 24 else ""


class CuesBase(ReaderBase):
    """The page's lines and a cache: every field group (headline.py, source.py, body.py,
    links.py) reads the lines, and asks for another group's answer through `_once`."""

    NAME = "cues"
    CONFIDENCE = 0.8

    def __init__(self, page: Page, with_html: bool = True):
        super().__init__(page)
        self.with_html = with_html  # False: filling in for a template reader, text only
        self.page_lines = read_lines(page)
        self.lines = self.page_lines.lines
        self._cache: dict = {}

    def _once(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def inside(self, line: Line, element) -> bool:
        return self.page_lines.inside(line, element)

    def _absolute(self, href: str | None) -> str | None:
        return absolute(self.url, href)

    def _same_article(self, a: Anchor) -> bool:
        return same_article(self.url, self._absolute(a.href))

    def _head_text(self) -> str:
        return text.clean(" ".join(select(_TITLE_TEXT, self.root)[:3]))

    def _meta(self, where: str) -> list[str]:
        return select(f"//meta[{where}]/@content", self.root)
