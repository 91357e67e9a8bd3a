"""The text, template-blind: the densest block (Readability's rule on the page's lines), read
from the headline to the editor line — paragraphs as the page breaks them, photos with their
captions, in-text links; header lines, furniture, pagers, promos, the print-edition note, an
原标题 line and a closing byline (□ 本报记者 …) are not text. One pass over the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from peoplecn import urls
from peoplecn.pages import people_text as text
from peoplecn.pages.cues.base import LINK_HEADS, RELATED_HEADS, head_word
from peoplecn.pages.cues.container import ContainerCues
from peoplecn.pages.fields import Body
from peoplecn.pages.generic import MIN_LETTERS
from peoplecn.pages.lines import Line
from peoplecn.pages.pagelinks import is_asset
from peoplecn.pages.record import Image, Link, MissingField, NotAnArticle

HTML_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote"})
# Page furniture every people.cn generation prints in or near the text (short lines only).
BOILERPLATE = (
    "分享到", "分享让更多人看到", "扫码", "扫一扫", "客户端下载", "版权所有", "未经书面授权",
    "Copyright", "关闭窗口", "打印本稿", "打印本页", "发表评论", "返回顶部", "小字号", "大字号",
    "我要纠错",
    "收藏本文", "推荐给朋友", "Share this", "Email this", "Print this",
)
_RELATED_WORDS = "相关新闻|相关链接|相关阅读|延伸阅读|相关报道"
# "相关新闻：<a>…" or "【相关新闻】<br><a>…": the heading and its links in one paragraph
_RELATED_INLINE = re.compile(rf"^(?:[【\[]\s*(?:{_RELATED_WORDS})\s*[】\]]"
                             rf"|(?:{_RELATED_WORDS})\s*[：:])")
_SOURCE_ONLY = re.compile(r"^[（(]?\s*(?:稿件|文章|信息)?(?:来源|Source)\s*[：:]\s*(.{1,40}?)"
                          r"\s*[）)]?$", re.I)
PAGER = re.compile(r"^[【\[]?\s*(?:\d{1,3}|上一页|下一页|首页|尾页|末页|全文|Next|Previous)"
                   r"\s*[】\]]?$", re.I)
_PROMO = re.compile(r"点击进入\s*[“\"「《]?([^”\"」》>]{2,30})")
_CENTERED = re.compile(r"text-align\s*:\s*center", re.I)
_SENTENCE_END = re.compile(r"[。！？!?][”’\"」』）)]*$")
_EDITION_NOTE = re.compile(r"《\s*[^》]+?\s*》\s*[（(][^（）()]*版\s*[）)]")


@dataclass
class CuesBody(Body):
    start: int = 0  # line index of the first paragraph
    last: int = 0  # … of the last paragraph
    end: int = 0  # … of the first line after the text (after its editor line, if any)
    closing_source: tuple | None = None  # (name, url, line): "Source: Xinhua" closing the text
    link_runs: list[Line] = field(default_factory=list)  # lines that are only article links
    indices: list[int] = field(default_factory=list)  # the line index of each paragraph


class BodyCues(ContainerCues):
    def body(self) -> CuesBody:
        return self._once("body", self._checked_body)

    def _checked_body(self) -> CuesBody:
        body = self._read_body()
        if not body.paragraphs:
            raise MissingField(self.url, "body")
        if sum(len(p) for p in body.paragraphs) < MIN_LETTERS:
            raise NotAnArticle(self.url, "too little text for an article")
        return body

    def _read_body(self) -> CuesBody:
        """The text between the headline and the editor line inside the densest block."""
        container = self.container()
        h = self._h()
        subtitle = self._beside(+1) if self.subtitle() else None
        header = {id(x) for x in (subtitle, self._date_line(),
                                  (self._header_byline() or (None, None))[1]) if x}
        editor = self._editor_line()
        body = CuesBody()
        state = {"mode": None, "image": False}
        for line in self.lines:
            if line.index <= h or not self.inside(line, container) or id(line) in header:
                continue
            if line is editor:
                if body.paragraphs:
                    body.end = line.index + 1
                    break
                continue
            if not self._editor_names(line):
                self._read_line(line, body, state)
        if not body.end and body.paragraphs:
            body.end = body.last + 1
        self._closing(body)
        return body

    def _read_line(self, line: Line, body: CuesBody, state: dict) -> None:
        word = head_word(line)
        if word in LINK_HEADS and not line.link_chars:
            state["mode"] = "related" if word in RELATED_HEADS else "recommended"
            return
        if line.anchors and (_RELATED_INLINE.match(line.text)
                             or state["mode"] and line.link_share >= 0.5):
            mode = state["mode"] = state["mode"] or "related"
            found = self._block_links([line], mode)
            (body.related if mode == "related" else body.recommended).extend(found)
            return
        state["mode"] = None
        if line.images and self._photo(line, body):
            state["image"] = not (line.size and self._is_caption(line))
            if line.size and not state["image"]:
                self._caption_of(body, line.text)
            elif line.size:
                self._paragraph(line, body)
            return
        if not line.size:
            return
        if state["image"] and self._is_caption(line):
            self._caption_of(body, line.text)
            state["image"] = False
            return
        state["image"] = False
        if self._skip(line, body):
            return
        if len(body.paragraphs) < 2 and not body.byline and line.size <= 40:
            found = text.byline_only(line.raw)  # wire copy: "新华社记者" as a paragraph
            if found:
                body.byline = found
                return
        self._paragraph(line, body)

    def _skip(self, line: Line, body: CuesBody) -> bool:
        """Lines of the text area that are not text: page furniture, pagers, promos, the
        print-edition note (kept as a field), an 原标题 line (a field), link-only lines (those
        after the last paragraph are related links), a closing source line."""
        t = line.text
        if line.size <= 60 and not _SENTENCE_END.search(t) \
                and any(word in t for word in BOILERPLATE):
            return True  # a sentence that mentions 扫码 (paying by QR code) is text
        found = text.original_title(t)
        if found:
            body.original_title = body.original_title or found
            return True
        edition = text.print_edition(t)
        if edition:
            body.print_edition = body.print_edition or edition
            if text.is_print_edition(t):
                return True
        if line.anchors and line.link_share > 0.6 and all(
                PAGER.match(a.text) or self._same_article(a) for a in line.anchors):
            return True
        if line.anchors and line.link_share >= 0.8:
            m = _PROMO.search(t)  # "点击进入“文艺星青年”>>": the column the piece belongs to
            if m:
                body.topic = body.topic or m.group(1).strip()
            elif self._article_links_only(line):
                body.link_runs.append(line)
            return True
        m = _SOURCE_ONLY.match(t)
        if m and line.size <= 40:
            body.closing_source = (text.clean(m.group(1)), None, line)
            return True
        return False

    def _article_links_only(self, line: Line) -> bool:
        return all((u := self._absolute(a.href)) and urls.is_article_url(u)
                   and not self._same_article(a) for a in line.anchors)

    def _paragraph(self, line: Line, body: CuesBody) -> None:
        t = line.text
        if text.print_edition(t):
            t = text.clean(_EDITION_NOTE.sub("", t))
        if not t:
            return
        if not body.paragraphs:
            body.start = line.index
        body.last = line.index
        body.indices.append(line.index)
        body.add_paragraph(t, self._html(line, t))
        for a in line.anchors:
            url = self._absolute(a.href)
            if url and urls.is_article_url(url) and not self._same_article(a):
                body.body_links.append(Link(url=url, text=a.text, kind="body"))

    def _html(self, line: Line, t: str) -> str:
        if not self.with_html:
            return ""
        owner = line.owner
        if owner.tag in HTML_TAGS and self.page_lines.owner_lines.get(owner) == 1 \
                and not line.images and not text.print_edition(t):
            return self.page.hidden.html(owner)  # sanitised with the whole body (assemble)
        return f"<p>{escape(t)}</p>"

    def _photo(self, line: Line, body: CuesBody) -> bool:
        found = False
        for img, anchor in zip(line.images, line.image_anchors, strict=False):
            src = self._absolute(img.get("src") or "")
            if not src or is_asset(src) or _tiny(img):
                continue
            if anchor is not None and not self._same_article(anchor):
                target = self._absolute(anchor.href)
                if target and urls.is_article_url(target):
                    continue  # a thumbnail of another article, not a photo of this one
            body.add_image(Image(src=src))
            found = True
        return found

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

    def _closing(self, body: CuesBody) -> None:
        """After the text: a closing byline paragraph (（本报记者 王芳）, □ 本报记者 王芳) is the
        byline, not text; a run of article links after the last paragraph is related links."""
        closing = text.byline_only(body.paragraphs[-1]) if len(body.paragraphs) > 1 else None
        if closing:
            body.drop_last_paragraph()
            body.indices.pop()
            body.byline = body.byline or closing
        last_text = body.indices[-1] if body.indices else -1
        runs = [ln for ln in body.link_runs if ln.index > last_text]
        body.related.extend(self._block_links(runs, "related"))


def _tiny(img) -> bool:
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 40:
            return True
    return False
