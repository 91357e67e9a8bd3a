"""Is a page an article at all? Feeds, list pages and homepages are read fine by a browser but
hold no one article; saying so (NotAnArticle) is better than archiving a list as a story.

Only consulted when no template reader recognised the page. Decides from the page, not the URL.
"""

from __future__ import annotations

from parsel import Selector

from peoplecn.pages.people_text import clean, visible_text

FEED_ROOTS = {"rss", "feed", "rdf", "RDF", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"}
# List and homepage blocks (reference §8): the 滚动 list, the pager, the homepage blocks.
LIST_MARKERS = ("div.page_n, div.headingNews, #rm_bq, #rm_aq, ul.list_16, div.p2j_list, "
                "div.ej_list_box")
MAX_LINK_SHARE = 0.6  # articles in the shared corpus: 0.01–0.39; lists and homepages: 0.94–1.0


def _letters(s: str) -> int:
    return len(clean(s).replace(" ", ""))


def not_an_article(sel: Selector, text: str) -> str | None:
    """Why this page is not an article, or None when it may be one."""
    tag = sel.root.tag if isinstance(sel.root.tag, str) else ""
    if tag.split("}")[-1] in FEED_ROOTS or text.lstrip()[:300].lower().startswith("<?xml") \
            and ("<rss" in text[:2000].lower() or "<feed" in text[:2000].lower()):
        return "a news feed (RSS/Atom), not an article"
    if sel.css(LIST_MARKERS):
        return "a list or homepage block, not an article"
    body = (sel.css("body") or [sel])[0]
    total = _letters(visible_text(body))
    if total < 20:
        return "no text"
    linked = sum(_letters(visible_text(a)) for a in body.css("a"))
    if linked / total > MAX_LINK_SHARE:
        return f"mostly links ({linked * 100 // total}% of the text): a list, not an article"
    return None
