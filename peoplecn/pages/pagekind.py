"""Is a page an article at all? Feeds, list pages and homepages are read fine by a browser but
hold no one article; saying so (NotAnArticle) is better than archiving a list as a story.

Only consulted when no template reader recognised the page. Decides from the page, not the URL.
"""

from __future__ import annotations

from lxml import etree

from peoplecn.pages.page import Page
from peoplecn.pages.selectors import compiled

FEED_ROOTS = {"rss", "feed", "rdf", "RDF", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"}
# List and homepage blocks (reference §8): the 滚动 list, the pager, the homepage blocks.
LIST_MARKERS = compiled("div.page_n, div.headingNews, #rm_bq, #rm_aq, ul.list_16, div.p2j_list, "
                        "div.ej_list_box")
MAX_LINK_SHARE = 0.6  # articles in the shared corpus: 0.01–0.39; lists and homepages: 0.94–1.0
_LINK_TEXT = etree.XPath(".//a//text()[not(ancestor::script) and not(ancestor::style)]",
                         smart_strings=False)
_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]",
                    smart_strings=False)


def _letters(parts) -> int:
    return sum(len("".join(p.split())) for p in parts)


def not_an_article(page: Page) -> str | None:
    """Why this page is not an article, or None when it may be one."""
    root, text = page.root, page.decoded.text
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag.split("}")[-1] in FEED_ROOTS or text.lstrip()[:300].lower().startswith("<?xml") \
            and ("<rss" in text[:2000].lower() or "<feed" in text[:2000].lower()):
        return "a news feed (RSS/Atom), not an article"
    if LIST_MARKERS(root):
        return "a list or homepage block, not an article"
    body = page.body
    total = _letters(_TEXT(body))
    if total < 20:
        return "no text"
    linked = _letters(_LINK_TEXT(body))
    if linked / total > MAX_LINK_SHARE:
        return f"mostly links ({linked * 100 // total}% of the text): a list, not an article"
    return None
