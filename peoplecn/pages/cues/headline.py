"""Headline and date, template-blind: the headline is the line the <title> (or og:title)
repeats; the pre-title and subtitle the short lines right beside it; the channel the second
breadcrumb; the date the nearest short (or labelled) line with a date and a time.
"""

from __future__ import annotations

import re

from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.cues.base import (
    HEADING_TAGS,
    SOURCE_LABEL,
    WINDOW,
    CuesBase,
    norm,
)
from peoplecn.pages.lines import Line
from peoplecn.pages.record import MissingField

SITE_NAMES = {"人民网", "人民日报", "people's daily online", "people's daily", "english",
              "中国共产党新闻网", "people.cn"}
HOME_CRUMBS = {"人民网", "首页", "人民网首页", "网站首页", "home", "人民网主页"}
_TITLE_SPLIT = re.compile(r"\s*(?:--|_|\||｜|\s-\s|\s–\s)\s*")
_DATE_LABEL = re.compile(r"来源|发布|时间|日期|updated|source|published|posted", re.I)
_NOT_A_DATE_LINE = re.compile(r"[。！？；，]|[.!?]$")
_BYLINE_CUE = re.compile(r"记者|通讯员|实习生|采访组|报道组|调研组|评论员|特约|撰稿")
EN_BY = re.compile(r"(?:^|\s)By\s+([A-Z][^()|]{1,60}?)\s*(?:\(|\||$)")


def _rank(line: Line, n: str, wanted: set[str], long_wanted: list[str]) -> int | None:
    """How surely a line is the headline (lower is surer), or None."""
    heading_tag = line.owner.tag in ("h1", "h2", "h3")
    if line.link_share > 0.5:
        # a headline that links to itself — never a menu entry or a list item
        return 5 if n in wanted and line.owner.tag not in ("li", "dt", "dd") else None
    if n in wanted:
        return 0 if heading_tag else 1
    if len(n) >= 8 and any(w.startswith(n) or n.startswith(w) for w in long_wanted):
        return 2 if heading_tag else 4
    if line.owner.tag == "h1":
        return 3
    if line.owner.tag == "h2" and line.size >= 4:
        return 6  # a fragment with no <title> and no h1
    return None


class HeadlineCues(CuesBase):
    def _head_titles(self) -> list[str]:
        """What the page says its headline is: og:title, then the parts of <title>."""
        wanted = [text.clean(v) for v in
                  self._meta("@property='og:title' or @name='title'")[:2]]
        parts = [p for p in _TITLE_SPLIT.split(self._head_text()) if p]
        parts = [p for p in parts if p.lower() not in SITE_NAMES and not p.endswith("频道")]
        wanted.extend(sorted(parts, key=len, reverse=True))
        return [w for w in wanted if len(norm(w)) >= 2]

    def _heading(self) -> Line | None:
        return self._once("heading", self._find_heading)

    def _find_heading(self) -> Line | None:
        wanted = {norm(w) for w in self._head_titles()}
        long_wanted = [w for w in wanted if len(w) >= 8]
        longest = max(map(len, wanted), default=200)
        ranked = []
        for line in self.lines:
            if not line.size or line.size > 200 or (
                    line.size > longest + 10 and line.owner.tag != "h1"):
                continue  # longer than any headline the page names
            rank = _rank(line, norm(line.text), wanted, long_wanted)
            if rank is not None:
                ranked.append((rank, line.index, line))
        return min(ranked, key=lambda r: r[:2])[2] if ranked else None

    def title(self) -> str:
        heading = self._heading()
        title = heading.text if heading else ""
        if not title:
            wanted = self._head_titles()
            title = wanted[0] if wanted else ""
        if not title:
            raise MissingField(self.url, "title")
        return title

    def _h(self) -> int:
        heading = self._heading()
        return heading.index if heading else -1

    def _heading_block(self):
        """The headline's block, climbed while it holds nothing else (td > b > font)."""
        heading = self._heading()
        near = [self.lines[i] for i in (heading.index - 1, heading.index + 1)
                if 0 <= i < len(self.lines)]
        block = heading.owner
        while True:
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html") or any(
                    self.inside(x, parent) for x in near):
                return block
            block = parent

    def _beside(self, step: int) -> Line | None:
        """The line right above (-1) or below (+1) the headline, if it is a short plain line in
        a block next to the headline's own (not a menu, not the first paragraph)."""
        return self._once(("beside", step), lambda: self._find_beside(step))

    def _find_beside(self, step: int) -> Line | None:
        heading = self._heading()
        if heading is None or not 0 <= heading.index + step < len(self.lines):
            return None
        line = self.lines[heading.index + step]
        if line.link_chars or line.images or not 2 <= line.size <= 60 or self._is_meta(line):
            return None
        if text.original_title(line.text):
            return None  # 原标题：… is its own field
        if step > 0 and (text.is_byline_line(line.text) or EN_BY.match(line.text) or (
                _BYLINE_CUE.search(line.text) and not line.text.startswith(("—", "－")))):
            return None  # under the headline a short line naming reporters is the byline
        siblings = self._heading_block().itersiblings(preceding=step < 0)
        near = any(self.inside(line, s) for _, s in zip(range(3), siblings, strict=False))
        return line if near else None

    def pre_title(self) -> str | None:
        line = self._beside(-1)
        return line.text if line else None

    def subtitle(self) -> str | None:
        line = self._beside(+1)
        if line is not None and (line.owner.tag in HEADING_TAGS
                                 or line.text.startswith(("—", "－", "--"))):
            return line.text
        return None

    def channel(self) -> str | None:
        return self._once("crumbs", self._crumbs) or text.channel_from_head(self._head_text())

    def _crumbs(self) -> str | None:
        """The breadcrumb line before the headline: 人民网 >> 河北频道 >> …"""
        h = self._h() if self._h() >= 0 else len(self.lines)
        for line in reversed(self.lines[max(0, h - 60): h]):
            named = [a for a in line.anchors if a.text]
            if len(named) >= 2 and re.search(r"[>＞»›]", line.raw) \
                    and named[0].text.lower() in HOME_CRUMBS:
                return named[1].text
        return None

    # -- the date -------------------------------------------------------------------------
    def _is_meta(self, line: Line) -> bool:
        return bool(dates.printed_date_time(line.text) or SOURCE_LABEL.search(line.text)
                    or self._editor_names(line))

    def _near(self) -> list[Line]:
        """Lines after the headline, then before it, nearest first (the header's lines)."""
        h = self._h()
        if h < 0:
            return self.lines[:WINDOW * 2]
        return self.lines[h + 1: h + 1 + WINDOW] + self.lines[max(0, h - WINDOW): h][::-1]

    def _date_line(self) -> Line | None:
        return self._once("date_line", self._find_date_line)

    def _find_date_line(self) -> Line | None:
        def usable(line):
            # a date line is short, labelled or no sentence: a paragraph that mentions a time
            # is not one
            return line.size <= 120 and line.link_share < 0.5 and (
                line.size <= 50 or _DATE_LABEL.search(line.text)
                or not _NOT_A_DATE_LINE.search(line.text)) and dates.printed_date_time(line.text)

        found = next((line for line in self._near() if usable(line)), None)
        if found is None:  # a date line far from the headline (under the text, say)
            h = max(self._h(), 0)
            found = min((ln for ln in self.lines if usable(ln)),
                        key=lambda ln: abs(ln.index - h), default=None)
        return found

    def printed_date(self) -> str | None:
        line = self._date_line()
        printed = dates.printed_date_time(line.text) if line else None
        if not printed:
            # a page that prints its day without a time: the short line nearest the headline
            printed = next((dates.printed_date(ln.text) for ln in self._near()
                            if ln.size <= 60 and not ln.link_chars
                            and dates.printed_date(ln.text)), None)
        return printed

    def meta_date(self) -> str | None:
        found = self._meta("@name='publishdate' or @property='article:published_time'"
                           " or @name='PubDate'")
        return text.date_only(found[0] if found else None)
