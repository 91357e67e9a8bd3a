"""A template reader's body: one walk over the text container's blocks (p, h2–h4, photo tables)
— text, HTML fragments (sanitised later, in one call), photos with captions, in-text links, the
【相关链接】 list regional 2020s pages print inside the text, a headless run of article links
after the last paragraph (2000s /GB/ pages), the print-edition note, an editor or byline line
printed as a paragraph. Never mutates the page's tree. Linear in the number of blocks.
"""

from __future__ import annotations

import re
from html import escape
from itertools import islice

from lxml import etree

from peoplecn import urls
from peoplecn.pages import people_text as text
from peoplecn.pages.fields import Body
from peoplecn.pages.limits import MAX_LINKS, MAX_PARAGRAPHS
from peoplecn.pages.page import Page
from peoplecn.pages.pagelinks import absolute, is_asset, iter_links, same_article
from peoplecn.pages.record import Image

# Inside the body container these are widgets, not article text (reference §5 strip list).
SKIP_CLASSES = frozenset({
    "bza", "box_pic", "zdfy", "edit", "editor", "paper_num", "rm_download", "tjewm", "box_down",
    "rm_relevant", "ops_share", "share", "origin", "route",
})
SKIP_IDS = frozenset({"rwb_tjyd", "ops_share", "p_editor", "jiansuo"})
SKIP_TAGS = frozenset({"script", "style", "center", "table", "iframe", "video", "noscript",
                       "form", "object", "embed", "button", "select", "textarea"})
RELATED_MARKERS = ("相关链接", "相关阅读", "相关新闻", "延伸阅读", "相关报道")
# "相关新闻：<a>…</a>": the heading and its first link in one paragraph
_RELATED_INLINE = re.compile(rf"^[【\[]?\s*(?:{'|'.join(RELATED_MARKERS)})\s*[】\]]?\s*[：:]")
BLOCKS = etree.XPath(".//p | .//h2 | .//h3 | .//h4 | .//table[contains(concat(' ', "
                     "normalize-space(@class), ' '), ' pci_c ')]")
_PAPER_NUM = etree.XPath("id('paper_num')")  # the parser's ID table: no walk
_CENTERED = re.compile(r"text-align\s*:\s*center", re.I)
_TOPIC = re.compile(r"点击进入\s*[“\"「《]?([^”\"」》>]{2,30})")


def _skip_here(node) -> bool:
    """A widget by its class or id (reference §5 strip list)."""
    classes = node.get("class")
    return bool(classes and SKIP_CLASSES.intersection(classes.split())) or (
        node.get("id") or "") in SKIP_IDS


class _Walk:
    def __init__(self, page: Page):
        self.page = page
        self.url = page.url
        self.hidden = page.hidden
        self.body = Body()
        self.known: dict = {}  # element → skipped? (each ancestor looked at once)
        self.in_related = False
        self.after_image = False
        self.trailing: list = []  # link-only blocks since the last paragraph
        self.notes = _PAPER_NUM(page.root)

    def skipped(self, el) -> bool:
        """A widget, or inside one; or hidden by the page. Linear: each ancestor's answer is
        remembered, so deeply nested blocks cost one look each."""
        if el.tag in SKIP_TAGS and el.tag != "table" or _skip_here(el) \
                or self.hidden.is_hidden(el):
            return True
        path, answer = [], False
        for anc in el.iterancestors():
            if anc in self.known:
                answer = self.known[anc]
                break
            path.append(anc)
            if anc.tag in SKIP_TAGS or _skip_here(anc):
                answer = True
                break
        for anc in path:
            self.known[anc] = answer
        return answer

    def line(self, el) -> str:
        return text.clean(self.hidden.text(el))

    def images(self, el) -> list[str]:
        return [src for src in (absolute(self.url, img.get("src")) for img in el.iter("img"))
                if src and not is_asset(src)]

    def paper_num(self, el) -> list:
        """The print-edition note (span#paper_num) inside `el`, if any."""
        return [n for n in self.notes if el in n.iterancestors()]

    # -- one block ------------------------------------------------------------------------
    def block(self, el) -> None:
        if el.tag == "table":
            self.photo_table(el)
            self.after_image = False
            return
        line = self.line(el)
        for span in self.paper_num(el):
            note = self.line(span)
            self.body.print_edition = self.body.print_edition or text.print_edition(note)
            line = text.clean(line.replace(note, ""))
        found = text.original_title(line)
        if found:  # 原标题：… is a field, never text
            self.body.original_title = self.body.original_title or found
            return
        srcs = self.images(el)
        if srcs:
            for src in srcs:
                self.body.add_image(Image(src=src))
            self.after_image = not (line and self.is_caption(el, line))
            if line and not self.after_image:
                self.caption(line)
            elif line:
                self.paragraph(el, line)
            return
        if not line:
            return
        if self.after_image and self.is_caption(el, line):
            self.caption(line)
            self.after_image = False
            return
        self.after_image = False
        self.text_block(el, line)

    def text_block(self, el, line: str) -> None:
        body = self.body
        anchors = _anchors(el)
        has_links = bool(anchors)
        if line.strip("【】[] ：:") in RELATED_MARKERS and not has_links:
            self.in_related = True
        elif (self.in_related or _RELATED_INLINE.match(line)) and has_links:
            self.in_related = True
            body.related.extend(iter_links([el], "related", self.url))
        elif text.is_print_edition(line):
            body.print_edition = body.print_edition or text.print_edition(line)
        elif len(line) < 80 and line[:1] in "(（" and text.editors_from_line(line):
            body.editors = body.editors or text.editors_from_line(line)
        elif has_links and self.is_promo(anchors, line):
            m = _TOPIC.search(line)
            body.topic = body.topic or (m.group(1).strip() if m else None)
        elif not body.byline and len(body.paragraphs) < 2 and text.is_byline_line(line):
            # wire copy prints its byline as a paragraph: "新华社记者" (2020s politics sample)
            body.byline = self.hidden.text(el).strip(" \u3000\t\r\n\xa0")
        elif has_links and self.link_run(anchors, line):
            self.trailing.append((el, line))
        else:
            self.paragraph(el, line, anchors)

    # -- paragraphs, photos, links ----------------------------------------------------------
    def paragraph(self, el, line: str, anchors: list | None = None) -> None:
        for held, held_line in self.trailing:  # links between paragraphs are text after all
            self._keep(held, held_line, _anchors(held))
        self.trailing = []
        self._keep(el, line, _anchors(el) if anchors is None else anchors)

    def _keep(self, el, line: str, anchors: list) -> None:
        body = self.body
        if len(anchors) > MAX_LINKS:
            # A paragraph of more links than an article keeps: its text, without their markup
            # (the sanitiser would build a tree of every one of them).
            body.add_paragraph(line, f"<p>{escape(line)}</p>")
        else:
            body.add_paragraph(line, self.hidden.html(el, drop=self.paper_num(el)))
        for link in iter_links([el], "body", self.url) if anchors else ():
            if not urls.is_article_url(link.url):
                continue
            if len(body.body_links) < MAX_LINKS:
                body.body_links.append(link)
            else:  # counted, not kept: a page of 200k links costs what one of 1000 does
                body.cut["links"] = body.cut.get("links", 0) + 1

    def link_run(self, anchors: list, line: str) -> bool:
        """A block that is only links to other articles (a headline with no words of its
        own): related links if no text follows it (2000s /GB/ pages print them so)."""
        if not anchors or len(anchors) >= 50:
            return False
        targets = [absolute(self.url, a.get("href")) for a in anchors]
        if not all(t and urls.is_article_url(t) and not same_article(self.url, t)
                   for t in targets):
            return False
        linked = sum(len(text.clean(self.hidden.text(a)).replace(" ", "")) for a in anchors)
        return linked >= 0.9 * len(line.replace(" ", ""))

    def caption(self, line: str) -> None:
        last = self.body.images[-1]
        self.body.images[-1] = Image(src=last.src, caption=line,
                                     credit=text.credit_from_caption(line))

    def photo_table(self, table) -> None:
        """table.pci_c: a photo with its caption in the cells below (reference §5)."""
        srcs = self.images(table)
        caption = self.line(table) or None
        for n, src in enumerate(srcs, 1):
            cap = caption if n == len(srcs) else None
            self.body.add_image(Image(src=src, caption=cap, credit=text.credit_from_caption(cap)))

    @staticmethod
    def is_caption(p, line: str) -> bool:
        # A caption is the short centred line right after a photo (or a line set in <em>, as
        # en.people.cn does); a centred line that is all bold is a heading or a verse title
        # (see the 2016 culture sample), not a caption.
        if "pictext" in (p.get("class") or ""):
            return True
        if len(line) > 300:
            return False
        emphasised = text.clean(" ".join(_texts_in(p, "em", "i")))
        if emphasised and emphasised == line:
            return True
        bold = text.clean(" ".join(_texts_in(p, "strong", "b")))
        return bool(_CENTERED.search(p.get("style") or "")) and len(line) <= 150 \
            and bold != line

    @staticmethod
    def is_promo(anchors: list, line: str) -> bool:
        # "点击进入“文艺星青年”>>": a paragraph that is only a link to a column index page
        # (2016 culture sample), an advertisement for the channel rather than article text.
        return (len(anchors) == 1 and line.endswith((">>", "》》", "＞＞"))
                and not urls.is_article_url(anchors[0].get("href")))

    def close(self) -> Body:
        body = self.body
        for el, _ in self.trailing:  # the run after the last paragraph: related links
            body.related.extend(iter_links([el], "related", self.url))
        closing = text.byline_only(body.paragraphs[-1]) if len(body.paragraphs) > 1 else None
        if closing:
            # a print piece closes with its byline: "（本报记者 王芳 李强）", "□ 本报记者 王芳"
            body.drop_last_paragraph()
            body.byline = body.byline or closing
        return body


def _anchors(el) -> list:
    """The links of a block (those with an href), at most MAX_LINKS + 1 of them."""
    if next(el.iter("a"), None) is None:
        return []
    return [a for a in islice(el.iter("a"), MAX_LINKS + 1) if a.get("href") is not None]


def _texts_in(el, *tags: str) -> list[str]:
    """The text under every `tags` element inside `el` (nested ones once)."""
    out = []
    for found in el.iter(*tags):
        for anc in found.iterancestors():
            if anc is el or anc.tag in tags:
                break
        if found is el or anc is el:
            out.extend(found.itertext())
    return out


def walk_body(container, page: Page) -> Body:
    """Walk the container's blocks once (at most MAX_PARAGRAPHS; the rest counted)."""
    walk = _Walk(page)
    blocks = BLOCKS(container)
    if len(blocks) > MAX_PARAGRAPHS:
        walk.body.cut["paragraphs"] = len(blocks) - MAX_PARAGRAPHS
    for el in blocks[:MAX_PARAGRAPHS]:
        if not walk.skipped(el):
            walk.block(el)
    return walk.close()
