"""The template-blind people.cn reader: every field from textual cues that all people.cn
generations share — the headline the <title> repeats before its "--" suffix (or og:title), the
date line (2024年02月25日18:19, 2012-06-04 09:20, 11:35, November 23, 2022), 来源：/Source:,
the editor line (责编：, （责任编辑：…）, (Web editor: …)), bylines (本报记者 …), headings such
as 相关新闻 / 推荐阅读 / Related News, and text density — never from container class names.

It reads the pages no template reader claims (channel layouts, 2000s /GB/ table pages, the old
English site, browser-saved DOMs, fragments). Pure and linear in the page (lines.py walks the
DOM once); it returns an Article or raises a PageError, nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

import lxml.html

from peoplecn import urls
from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.base import Body, TemplateReader
from peoplecn.pages.generic import MIN_LETTERS
from peoplecn.pages.lines import BLOCK_TAGS, Anchor, Line, Page, read_lines
from peoplecn.pages.record import Image, Link, MissingField, NotAnArticle
from peoplecn.pages.sanitize import clean_html

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
# Page furniture every people.cn generation prints in or near the text (short lines only).
BOILERPLATE = (
    "分享到", "分享让更多人看到", "扫码", "扫一扫", "客户端下载", "版权所有", "未经书面授权",
    "Copyright", "关闭窗口", "打印本稿", "打印本页", "发表评论", "返回顶部", "小字号", "大字号",
    "我要纠错",
    "收藏本文", "推荐给朋友", "Share this", "Email this", "Print this",
)
PARA_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
                       "pre", "figcaption", "caption", "address", "center"})
HTML_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HOME_CRUMBS = {"人民网", "首页", "人民网首页", "网站首页", "home", "人民网主页"}
SITE_NAMES = {"人民网", "人民日报", "people's daily online", "people's daily", "english",
              "中国共产党新闻网", "people.cn"}
MIN_PARAGRAPH = 8  # fewer characters of plain text: a label, not a paragraph
WINDOW = 15  # lines around the headline where its date, source and byline are printed
BOX_LINES = 120  # lines a related-links box is read for: the work stays bounded per heading

_TITLE_SPLIT = re.compile(r"\s*(?:--|_|\||｜|\s-\s|\s–\s)\s*")
_HEAD_JUNK = re.compile(r"[【】\[\]（）()：:·•\s>＞»]|更多|more", re.I)
# "相关新闻：<a>…" or "【相关新闻】<br><a>…": the heading and its links in one paragraph
_RELATED_WORDS = "相关新闻|相关链接|相关阅读|延伸阅读|相关报道"
_RELATED_INLINE = re.compile(rf"^(?:[【\[]\s*(?:{_RELATED_WORDS})\s*[】\]]"
                             rf"|(?:{_RELATED_WORDS})\s*[：:])")
_DATE_LABEL = re.compile(r"来源|发布|时间|日期|updated|source|published|posted", re.I)
_NOT_A_DATE_LINE = re.compile(r"[。！？；，]|[.!?]$")
_SOURCE_LABEL = re.compile(r"(?:稿件|文章|信息)?来源\s*[：:]|\bSource\s*:", re.I)
_SOURCE_ONLY = re.compile(r"^[（(]?\s*(?:稿件|文章|信息)?(?:来源|Source)\s*[：:]\s*(.{1,40}?)"
                          r"\s*[）)]?$", re.I)
_SOURCE_END = re.compile(r"\s{2,}|[\xa0\u3000|｜()（）]|作者|责任编辑|责编|编辑|记者\s*[：:]")
_BYLINE_LABEL = re.compile(r"^(?:作者|文|记者|撰文|文图|图文)\s*[：:／/]\s*(.{1,40})$")
_AUTHOR = re.compile(r"(?:作者|记者)\s*[：:]\s*([^\s|｜]{1,12})")  # on the date line
_BYLINE_CUE = re.compile(r"记者|通讯员|实习生|采访组|报道组|调研组|评论员|特约|撰稿")
_EN_BY = re.compile(r"(?:^|\s)By\s+([A-Z][^()|]{1,60}?)\s*(?:\(|\||$)")
_PAGER = re.compile(r"^[【\[]?\s*(?:\d{1,3}|上一页|下一页|首页|尾页|末页|全文|Next|Previous)"
                    r"\s*[】\]]?$", re.I)
_PROMO = re.compile(r"点击进入\s*[“\"「《]?([^”\"」》>]{2,30})")
_SENTENCE = re.compile(r"[。！？!?；;，,]")
_CENTERED = re.compile(r"text-align\s*:\s*center", re.I)
_INDENT_HTML = re.compile(r"(<(?:p|h[2-4]|blockquote)>)(?:\s|\u3000|&nbsp;)+")
_EDITION_NOTE = re.compile(r"《\s*[^》]+?\s*》\s*[（(][^（）()]*版\s*[）)]")
_MORE_WORDS = {"详细", "更多", "全文", "more", "详情", "阅读全文"}


@dataclass
class CuesBody(Body):
    recommended: list[Link] = field(default_factory=list)  # 推荐阅读 printed inside the text
    start: int = 0  # line index of the first paragraph
    last: int = 0  # … of the last paragraph
    end: int = 0  # … of the first line after the text (after its editor line, if any)
    closing_source: tuple | None = None  # (name, url, line): "Source: Xinhua" closing the text


def _norm(s: str | None) -> str:
    # str.translate is slow on CJK text: two replaces do the same here
    s = (s or "").replace("\u2015", "\u2014").replace("\u2500", "\u2014")
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def _head_word(line: Line) -> str:
    """A short line as a heading word: '【相关新闻】' → 相关新闻, 'Related News' → relatednews."""
    return _HEAD_JUNK.sub("", line.text).lower() if 0 < line.size <= 24 else ""


class CuesReader(TemplateReader):
    """Reads any people.cn article page from its text; see the module docstring."""

    NAME = "cues"
    CONFIDENCE = 0.8
    PAGER = ""

    def __init__(self, url, sel, decoded):
        super().__init__(url, sel, decoded)
        self.page: Page = read_lines(sel.root)
        self.lines = self.page.lines
        self._cache: dict = {}

    @classmethod
    def matches(cls, sel) -> bool:
        return True

    def _once(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _head_text(self) -> str:
        return text.clean(" ".join(self.sel.xpath("//title//text()").getall()[:3]))

    # -- the headline -------------------------------------------------------------------
    def _head_titles(self) -> list[str]:
        """What the page says its headline is: og:title, then the parts of <title>."""
        wanted = [text.clean(v) for v in self.sel.xpath(
            "//meta[@property='og:title' or @name='title']/@content").getall()[:2]]
        parts = [p for p in _TITLE_SPLIT.split(self._head_text()) if p]
        parts = [p for p in parts if p.lower() not in SITE_NAMES and not p.endswith("频道")]
        wanted.extend(sorted(parts, key=len, reverse=True))
        return [w for w in wanted if len(_norm(w)) >= 2]

    def _heading(self) -> Line | None:
        return self._once("heading", self._find_heading)

    def _find_heading(self) -> Line | None:
        wanted = {_norm(w) for w in self._head_titles()}
        long_wanted = [w for w in wanted if len(w) >= 8]
        longest = max(map(len, wanted), default=200)
        ranked = []
        for line in self.lines:
            if not line.size or line.size > 200 or (
                    line.size > longest + 10 and line.owner.tag != "h1"):
                continue  # longer than any headline the page names
            n = _norm(line.text)
            heading_tag = line.owner.tag in ("h1", "h2", "h3")
            if line.link_share > 0.5:
                # a headline that links to itself — never a menu entry or a list item
                rank = 5 if n in wanted and line.owner.tag not in ("li", "dt", "dd") else None
            elif n in wanted:
                rank = 0 if heading_tag else 1
            elif len(n) >= 8 and any(w.startswith(n) or n.startswith(w) for w in long_wanted):
                rank = 2 if heading_tag else 4
            elif line.owner.tag == "h1":
                rank = 3
            elif line.owner.tag == "h2" and line.size >= 4:
                rank = 6  # a fragment with no <title> and no h1
            else:
                rank = None
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
                    self.page.inside(x, parent) for x in near):
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
        if step > 0 and (text.is_byline_line(line.text) or _EN_BY.match(line.text) or (
                _BYLINE_CUE.search(line.text) and not line.text.startswith(("—", "－")))):
            return None  # under the headline a short line naming reporters is the byline
        siblings = self._heading_block().itersiblings(preceding=step < 0)
        near = any(self.page.inside(line, s) for _, s in zip(range(3), siblings, strict=False))
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

    # -- date, source, editors ----------------------------------------------------------
    def _is_meta(self, line: Line) -> bool:
        return bool(dates.printed_date_time(line.text) or _SOURCE_LABEL.search(line.text)
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

    def date_line(self) -> str:
        line = self._date_line()
        return line.text if line else ""

    def date_candidates(self) -> list[tuple[str, str | None]]:
        line = self._date_line()
        printed = dates.printed_date_time(line.text) if line else None
        if not printed:
            # a page that prints its day without a time: the short line nearest the headline
            printed = next((dates.printed_date(ln.text) for ln in self._near()
                            if ln.size <= 60 and not ln.link_chars
                            and dates.printed_date(ln.text)), None)
        meta = self.sel.xpath("//meta[@name='publishdate' or @property='article:published_time'"
                              " or @name='PubDate']/@content").get()
        return [
            ("date_line", printed),
            ("meta_publishdate", text.date_only(meta)),
            ("url", dates.url_date(self.url)),
        ]

    def _source(self) -> tuple[str | None, str | None, Line | None]:
        return self._once("source", self._find_source)

    def _find_source(self):
        date_line = self._date_line()
        for line in ([date_line] if date_line else []) + self._near():
            found = self._source_on(line, line is date_line)
            if found:
                return (*found, line)
        # English pages close with "Source: Xinhua"; some Chinese ones with （来源：…）
        body = self.body()
        if body.closing_source:
            return body.closing_source
        for line in self.lines[body.end: body.end + 6]:
            found = self._source_on(line, False)
            if found and line.size <= 60:
                return (*found, line)
        meta = self.sel.xpath("//meta[@name='source']/@content").get("")
        name = text.clean(re.split(r"[：:]", meta, maxsplit=1)[-1]) if meta else ""
        return (name or None), None, None

    def _source_on(self, line: Line, is_date_line: bool) -> tuple[str, str | None] | None:
        m = _SOURCE_LABEL.search(line.raw)
        if m:
            for a in line.anchors:
                if a.offset >= m.end() - 1 and a.text:
                    return a.text, self._absolute(a.href)
            rest = line.raw[m.end():].lstrip(" \t\r\n\xa0\u3000")
            name = text.clean(_SOURCE_END.split(rest, maxsplit=1)[0]).rstrip("。.")
            return (name, None) if name else None
        if is_date_line:
            # en.people.cn: "(<a>People's Daily Online</a>) 11:35, November 23, 2022"
            for a in line.anchors:
                if a.text and line.raw[:a.offset].rstrip().endswith(("(", "（")):
                    return a.text, self._absolute(a.href)
        return None

    def source_raw(self) -> str | None:
        return self._source()[0]

    def source_url(self) -> str | None:
        return self._source()[1]

    @staticmethod
    def _editor_names(line: Line) -> list[str]:
        if line.size > 80 or line.link_share > 0.5:
            return []
        if not re.search(r"编辑\s*[：:]|责编|[Ee]ditors?\s*:", line.text):
            return []
        names = (re.split(r"\s*(?:来源|作者|记者)\s*[：:]", n)[0]
                 for n in text.editors_from_line(line.raw))
        return [n for n in names if n]

    def _editor_line(self) -> Line | None:
        return self._once("editor_line", self._find_editor_line)

    def _find_editor_line(self) -> Line | None:
        h = max(self._h(), 0)
        found = [ln for ln in self.lines if self._editor_names(ln)]
        return next((ln for ln in found if ln.index > h), found[0] if found else None)

    def editors(self) -> list[str]:
        line = self._editor_line()
        return self._editor_names(line) if line else []

    # -- byline -------------------------------------------------------------------------
    def byline(self) -> str | None:
        return self._once("byline", self._find_byline)

    def _find_byline(self) -> str | None:
        found = self._header_byline()
        if found:
            return found[0]
        date_line = self._date_line()
        m = date_line and (_EN_BY.search(date_line.text) or _AUTHOR.search(date_line.text))
        if m:
            return m.group(1).strip()
        body = self.body()
        if body.byline:
            return body.byline
        for line in self.lines[body.end: body.end + 6]:  # 作者：… under the text
            m = _BYLINE_LABEL.match(line.text)
            if m and not line.link_chars:
                return m.group(1).strip()
        return None

    def _header_byline(self) -> tuple[str, Line] | None:
        return self._once("header_byline", self._find_header_byline)

    def _find_header_byline(self) -> tuple[str, Line] | None:
        """A byline between the headline and the text: 人民网记者  张  雷, 作者：…, By …"""
        h = self._h()
        if h < 0:
            return None
        skip = {id(x) for x in (self._beside(+1) if self.subtitle() else None,
                                self._date_line()) if x}
        for line in self.lines[h + 1: h + 8]:
            if line.size > 60:
                break  # the text has begun
            if id(line) in skip or line.text.startswith(("—", "－")):
                continue
            found = self._byline_on(line)
            if found:
                return found, line
        return None

    @staticmethod
    def _byline_on(line: Line) -> str | None:
        if line.size > 50 or line.link_share > 0.5 or _SENTENCE.search(line.text.rstrip("。")):
            return None
        m = _BYLINE_LABEL.match(line.text)
        if m:
            return m.group(1).strip()
        raw = line.raw.strip(" \u3000\t\r\n\xa0")
        found = text.byline_only(raw)
        if found:
            return found
        if _BYLINE_CUE.search(line.text) and not dates.printed_date(line.text) \
                and not _SOURCE_LABEL.search(line.text):
            return raw
        m = _EN_BY.match(line.text)
        return m.group(1).strip() if m else None

    # -- body ---------------------------------------------------------------------------
    def container(self):
        return self._once("container", self._densest)

    def _densest(self):
        """The element the text lives in, by Readability's rule on our lines: a paragraph's
        plain-text length (and its commas) counts for the block holding it, half for the
        block above, discounted by link density. One pass over the lines: linear."""
        score: dict = {}
        half: dict = {}
        total: dict = {}
        linked: dict = {}
        for line in self.lines:
            if not line.size:
                continue
            owner = line.owner
            target = owner.getparent() if self._paragraph_block(owner) else owner
            target = owner if target is None else target
            total[target] = total.get(target, 0) + line.size
            linked[target] = linked.get(target, 0) + line.link_chars
            plain = line.size - line.link_chars
            if plain < MIN_PARAGRAPH:
                continue
            s = plain + 10 * len(_SENTENCE.findall(line.text))
            score[target] = score.get(target, 0) + s
            parent = target.getparent()
            if parent is not None:
                half[parent] = half.get(parent, 0) + s / 2

        def value(el):
            density = linked.get(el, 0) / total[el] if total.get(el) else 0.0
            return (score.get(el, 0) + half.get(el, 0)) * (1 - density)

        candidates = set(score) | set(half)
        if not candidates:
            raise MissingField(self.url, "body")
        best = max(candidates, key=value)
        for _ in range(4):  # text split over sibling blocks: take the block that holds them
            parent, own = best.getparent(), score.get(best, 0) / 2
            if parent is None or not own or half.get(parent, 0) - own < 0.3 * own:
                break
            best = parent
        return best

    def _paragraph_block(self, owner) -> bool:
        """A block that is one paragraph: <p>, <li> … or a <div> holding one line and no
        other block (channels that set each paragraph in a div)."""
        if owner.tag in PARA_TAGS:
            return True
        return owner.tag in ("div", "span", "font", "section") \
            and self.page.owner_lines.get(owner) == 1 \
            and not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in owner)

    def body(self) -> CuesBody:
        if self._body is None:
            self._body = self._read_body()
            if not self._body.paragraphs:
                raise MissingField(self.url, "body")
            if sum(len(p) for p in self._body.paragraphs) < MIN_LETTERS:
                raise NotAnArticle(self.url, "too little text for an article")
        return self._body

    def _read_body(self) -> CuesBody:
        """The text between the headline and the editor line inside the densest block:
        paragraphs as the page breaks them, photos with their captions, in-body related
        links; header lines, furniture and the closing byline are not text."""
        container = self.container()
        h = self._h()
        subtitle = self._beside(+1) if self.subtitle() else None
        header = {id(x) for x in (subtitle, self._date_line(),
                                  (self._header_byline() or (None, None))[1]) if x}
        editor = self._editor_line()
        body = CuesBody()
        last_image = False
        mode = None
        for line in self.lines:
            if line.index <= h or not self.page.inside(line, container) or id(line) in header:
                continue
            if line is editor:
                if body.paragraphs:
                    body.end = line.index + 1
                    break
                continue
            if self._editor_names(line):
                continue
            word = _head_word(line)
            if word in LINK_HEADS and not line.link_chars:
                mode = "related" if word in RELATED_HEADS else "recommended"
                continue
            inline = _RELATED_INLINE.match(line.text)
            if line.anchors and (inline or mode and line.link_share >= 0.5):
                mode = mode or "related"
                found = self._block_links([line], mode)
                (body.related if mode == "related" else body.recommended).extend(found)
                continue
            mode = None
            if line.images and self._photo(line, body):
                last_image = True
                if line.size and self._is_caption(line):
                    self._caption_of(body, line.text)
                    last_image = False
                elif line.size:
                    self._paragraph(line, body)
                continue
            if not line.size:
                continue
            if last_image and self._is_caption(line):
                self._caption_of(body, line.text)
                last_image = False
                continue
            last_image = False
            if self._skip(line, body):
                continue
            if len(body.paragraphs) < 2 and not body.byline and line.size <= 40:
                found = text.byline_only(line.raw)  # wire copy: "新华社记者" as a paragraph
                if found:
                    body.byline = found
                    continue
            self._paragraph(line, body)
        if not body.end and body.paragraphs:
            body.end = body.last + 1
        self._closing_byline(body)
        return body

    def _skip(self, line: Line, body: CuesBody) -> bool:
        """Lines of the text area that are not text: page furniture, pagers, promos, the
        print-edition note (kept as a field), link-only lines, a closing source line."""
        t = line.text
        if line.size <= 60 and any(word in t for word in BOILERPLATE):
            return True
        edition = text.print_edition(t)
        if edition:
            body.print_edition = body.print_edition or edition
            if text.is_print_edition(t):
                return True
        if line.anchors and line.link_share > 0.6 and all(
                _PAGER.match(a.text) or self._same_article(a) for a in line.anchors):
            return True
        if line.anchors and line.link_share >= 0.8:
            m = _PROMO.search(t)  # "点击进入“文艺星青年”>>": the column the piece belongs to
            if m:
                body.topic = body.topic or m.group(1).strip()
            return True
        m = _SOURCE_ONLY.match(t)
        if m and line.size <= 40:
            body.closing_source = (text.clean(m.group(1)), None, line)
            return True
        return False

    def _same_article(self, a: Anchor) -> bool:
        url = self._absolute(a.href)
        own = urls.canonical_article_url(self.url) or self.url
        return bool(url) and (urls.canonical_article_url(url) or url) == own

    def _paragraph(self, line: Line, body: CuesBody) -> None:
        t = line.text
        if text.print_edition(t):
            t = text.clean(_EDITION_NOTE.sub("", t))
        if not t:
            return
        if not body.paragraphs:
            body.start = line.index
        body.last = line.index
        body.paragraphs.append(t)
        body.html.append(self._html(line, t))
        for a in line.anchors:
            url = self._absolute(a.href)
            if url and urls.is_article_url(url) and not self._same_article(a):
                body.body_links.append(Link(url=url, text=a.text, kind="body"))

    def _html(self, line: Line, t: str) -> str:
        owner = line.owner
        if owner.tag in HTML_TAGS and self.page.owner_lines.get(owner) == 1 and not line.images:
            fragment = lxml.html.tostring(owner, encoding="unicode", with_tail=False)
            cleaned = _INDENT_HTML.sub(r"\1", clean_html(fragment, self.url))
            if cleaned and not text.print_edition(t):
                return cleaned
        return f"<p>{escape(t)}</p>"

    def _photo(self, line: Line, body: CuesBody) -> bool:
        found = False
        for img, anchor in zip(line.images, line.image_anchors, strict=False):
            src = self._absolute(img.get("src") or "")
            if not src or self._is_asset(src) or self._tiny(img):
                continue
            if anchor is not None and not self._same_article(anchor):
                target = self._absolute(anchor.href)
                if target and urls.is_article_url(target):
                    continue  # a thumbnail of another article, not a photo of this one
            body.html.append(len(body.images))
            body.images.append(Image(src=src))
            found = True
        return found

    @staticmethod
    def _tiny(img) -> bool:
        for name in ("width", "height"):
            value = (img.get(name) or "").strip().removesuffix("px")
            if value.isdigit() and int(value) < 40:
                return True
        return False

    @staticmethod
    def _is_caption(line: Line) -> bool:
        """The short line under a photo: centred, or set in <em>; a centred line that is all
        bold is a heading or a verse title (the 2016 culture sample), not a caption."""
        if line.size > 150 or line.link_share > 0.5:
            return False
        if line.emphasised >= line.size:
            return True
        if line.bold >= line.size:
            return False
        el = line.owner
        for _ in range(3):
            if el is None:
                break
            if _CENTERED.search(el.get("style") or "") or el.tag == "center" \
                    or (el.get("align") or "").lower() == "center":
                return True
            el = el.getparent()
        return False

    @staticmethod
    def _caption_of(body: CuesBody, caption: str) -> None:
        last = body.images[-1]
        body.images[-1] = Image(src=last.src, caption=caption,
                                credit=text.credit_from_caption(caption))

    @staticmethod
    def _closing_byline(body: CuesBody) -> None:
        """A closing byline paragraph (（本报记者 王芳 李强）) is the byline, not text."""
        closing = text.byline_only(body.paragraphs[-1]) if len(body.paragraphs) > 1 else None
        if closing:
            body.paragraphs.pop()
            del body.html[max(i for i, p in enumerate(body.html) if isinstance(p, str))]
            body.byline = body.byline or closing

    # -- links --------------------------------------------------------------------------
    def _block_links(self, lines: list[Line], kind: str) -> list[Link]:
        out = []
        for line in lines:
            if len(line.anchors) >= 3 and re.search(r"[|｜]", line.text):
                continue  # a row of tags (文艺星青年|汉语盘点2018|…), not a story
            for a in line.anchors:
                url = self._absolute(a.href)
                if not url or _PAGER.match(a.text):
                    continue
                label = a.text
                if not label or label.strip("【】[] ").lower() in _MORE_WORDS:
                    label = text.clean(a.img_alt.split("\n")[0]) or self._bold_of(line) or label
                if label:
                    out.append(Link(url=url, text=label, kind=kind))
        return out

    @staticmethod
    def _bold_of(line: Line) -> str:
        return text.clean(" ".join(line.owner.xpath(".//strong//text() | .//b//text()")))[:200]

    def _boxes(self) -> dict[str, list[Link]]:
        return self._once("boxes", self._read_boxes)

    def _read_boxes(self) -> dict[str, list[Link]]:
        """Link blocks headed 相关新闻 / 推荐阅读 / Related News outside the text: the links after
        the heading, inside the smallest block holding the heading and what follows it, up
        to the next heading of the page."""
        out: dict[str, list[Link]] = {"related": [], "recommended": []}
        container = self.container()
        for line in self.lines:
            word = _head_word(line)
            if word not in LINK_HEADS or line.link_chars or self.page.inside(line, container):
                continue
            nxt = self.lines[line.index + 1] if line.index + 1 < len(self.lines) else None
            if nxt is None or not nxt.anchors:
                continue
            box = line.owner
            while box is not None and not self.page.inside(nxt, box):
                box = box.getparent()
            block = []
            for follower in self.lines[line.index + 1: line.index + 1 + BOX_LINES]:
                if box is None or not self.page.inside(follower, box) or len(block) > 40:
                    break
                word_after = _head_word(follower)
                if word_after and not follower.link_chars and (
                        word_after in SECTION_HEADS | LINK_HEADS
                        or follower.owner.tag in HEADING_TAGS):
                    break
                if follower.anchors:
                    block.append(follower)
            kind = "related" if word in RELATED_HEADS else "recommended"
            out[kind].extend(self._block_links(block, kind))
        return out

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

    def article(self):
        article = super().article()
        if article.language == "en" and article.byline:
            article.contributors = text.contributors_en(article.byline)
            article.authors = [c["name"] for c in article.contributors]
        return article
