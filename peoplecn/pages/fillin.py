"""When the template-blind reader is asked to fill in for a template reader: only for fields
the template left empty that the page shows a cue for (a word it prints, an element beside the
headline), and on a fixed sample of pages to compare every field (the drift signal). Reading a
page twice would cost twice; one search of the page's text for every cue word costs ~0.05 ms.

The cues are the template-blind reader's own (cues/): it finds a byline only near 记者, 作者,
By …; a source only after 来源/Source; related links only under a heading or as links to
articles in the text's block; a pre-title only in a short line beside the headline.
"""

from __future__ import annotations

import itertools
import re
import zlib

from lxml import etree

from peoplecn import urls
from peoplecn.pages.fields import Fields
from peoplecn.pages.page import Page
from peoplecn.pages.pagelinks import absolute
from peoplecn.pages.strings import clean

# Words without which the template-blind reader cannot read a field at all.
CUE_WORDS = {
    "byline": ("记者", "通讯员", "作者", "实习生", "采访组", "报道组", "调研组", "评论员", "特约",
               "撰稿", "撰文", "文：", "文/", "文图", "图文", "By ", "BY "),
    "source_raw": ("来源", "Source", "SOURCE"),
    "source_url": ("来源", "Source", "SOURCE"),
    "editors": ("编辑", "责编", "ditor"),
    "original_title": ("原标题", "原题"),
    "print_edition": ("版）", "版)"),
    "recommended": ("推荐阅读",),
    "related": ("相关新闻", "相关链接", "相关阅读", "延伸阅读", "相关报道", "相关文章", "Related",
                "RELATED", "related"),
}
ALWAYS = ("date_line",)  # rarely empty on a template page, and worth a second read
# cues in the markup, looked for in the page's source: en.people.cn's "(<a>outlet</a>)" on the
# date line, <meta name="source">
MARKUP_CUES = {"source_raw": ("(<a", 'name="source"'), "source_url": ("(<a",)}
# every cue word in one pattern: one scan of the page instead of one per word
_ANY_CUE = re.compile("|".join(sorted({re.escape(w) for words in CUE_WORDS.values()
                                       for w in words}, key=len, reverse=True)))
COMPARE_ONE_IN = 8  # pages read by both readers field for field, whatever they hold
MAX_LOOKED = 200  # links of the text block looked at for one to an article


def compared(url: str, fields: Fields) -> bool:
    """Is this page one of the fixed sample both readers read in full? (By its content id,
    so the same page is always in it or out of it: a reparse reads it the same way.)"""
    if fields.body.cut:
        return False  # a page over the caps is read once
    key = urls.content_id(url) or url
    return zlib.crc32(key.encode("utf-8", "replace")) % COMPARE_ONE_IN == 0


_META = re.compile(r"来源|Source|编辑|责编|[Ee]ditor|记者|作者|通讯员|\d{1,2}[:：]\d{2}")


def _beside(headline, step: int) -> bool:
    """Is there a line the template-blind reader could take for a pre-title (-1) or subtitle
    (+1): the first element with words before / after the headline among its siblings (or its
    wrapper's) — short, no link, not a date, source, editor or byline line; a subtitle also
    a heading or a dash line."""
    for el in (headline, headline.getparent()):
        siblings = el.itersiblings(preceding=step < 0) if el is not None else ()
        for sibling in (s for _, s in zip(range(3), siblings, strict=False)):
            found = clean("".join(sibling.itertext()))
            if not found:
                continue
            plain = 2 <= len(found) <= 60 and not _META.search(found) \
                and next(sibling.iter("a"), None) is None
            if step > 0:
                plain = plain and (sibling.tag in ("h2", "h3", "h4", "h5", "h6")
                                   or found.startswith(("—", "－", "--")))
            return plain
    return False


def _article_links(container, base: str) -> bool:
    """Does the text block link to an article (among its first MAX_LOOKED links)?"""
    anchors = container.iter("a") if container is not None else ()
    for a in itertools.islice(anchors, MAX_LOOKED):
        url = absolute(base, a.get("href"))
        if url and urls.is_article_url(url):
            return True
    return False


def worth_filling(fields: Fields, page: Page, headline, container) -> list[str]:
    """The empty fields of a template reader's `fields` the template-blind reader may fill —
    none on a page so big the template reader hit a cap (limits.py): it is not read twice."""
    if fields.body.cut:
        return []
    empty = [name for name in ("pre_title", "subtitle", "original_title", "byline", "date_line",
                               "source_raw", "source_url", "editors", "related", "recommended",
                               "page_urls", "print_edition") if not getattr(fields, name)]
    url = page.url
    # the words are looked for in the page's text (markup and attributes left out: a fifth of
    # the source to scan)
    text = etree.tostring(page.body, method="text", encoding="unicode") \
        if any(n in CUE_WORDS for n in empty) else ""
    cued = set(_ANY_CUE.findall(text))
    out = []
    for name in empty:
        if name in ALWAYS or cued.intersection(CUE_WORDS.get(name, ())) or any(
                w in page.decoded.text for w in MARKUP_CUES.get(name, ())):
            out.append(name)
        elif name in ("pre_title", "subtitle") and headline is not None:
            if _beside(headline, -1 if name == "pre_title" else +1):
                out.append(name)
        elif name == "related" and _article_links(container, url):
            out.append(name)  # a headless run of links after the text
        elif name == "page_urls":
            cid = urls.content_id(url)
            if cid and f"{cid}-2." in page.decoded.text:
                out.append(name)
    return out
