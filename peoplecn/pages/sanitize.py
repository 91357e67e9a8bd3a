"""The article body as safe HTML: nh3 (the ammonia sanitiser) keeps paragraphs, headings,
emphasis, links, images and figures, with absolute http(s) URLs only.

Whatever a page holds, nothing executable survives: no script/style content, no on* attributes,
no javascript: or data: URLs (tests/spiders/test_sanitize.py feeds it hostile markup).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urljoin, urlsplit

import nh3

TAGS = {"p", "h2", "h3", "h4", "strong", "b", "em", "i", "a", "br", "img", "figure",
        "figcaption", "ul", "ol", "li", "blockquote", "sub", "sup"}
# "*": nothing on every tag — nh3 would otherwise keep ammonia's default lang and title.
ATTRIBUTES = {"*": set(), "a": {"href"}, "img": {"src", "alt"}}
DROP_WITH_CONTENT = {"script", "style", "noscript", "iframe", "object", "embed", "video",
                     "audio", "template", "textarea", "select", "button", "form", "svg", "math"}


def _absolute(base: str):
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr not in ("href", "src"):
            return value
        try:
            url = urljoin(base, value.strip())
            scheme = urlsplit(url).scheme
        except ValueError:
            return None
        return url if scheme in ("http", "https") else None

    return attribute_filter


def clean_html(fragment: str, base_url: str) -> str:
    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_absolute(base_url),
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def figure_html(src: str, caption: str | None) -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(src)}" alt="">{cap}</figure>'
