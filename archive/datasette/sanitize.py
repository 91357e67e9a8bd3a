"""Make stored HTML and URLs safe to show: HTML is cleaned again with nh3 at render time (even
when the crawler cleaned it before storing), URLs are kept only when they are http(s) or a path
on this server. Never marks anything safe that did not pass through here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "span", "a", "img", "figure",
    "figcaption", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead",
    "tbody", "tr", "td", "th", "caption", "hr", "pre", "code", "mark",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def clean_html(html: str | None) -> Markup:
    """Stored article HTML as safe markup: no scripts, styles, event handlers or non-http URLs."""
    if not html:
        return Markup("")
    return Markup(nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow", strip_comments=True,
    ))


def safe_url(url: str | None) -> str | None:
    """`url` if following it cannot run code here: http(s) URLs and local paths only."""
    url = (url or "").strip()
    if not url or any(c in url for c in "\r\n\t\\") or any(ord(c) < 32 for c in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc and url.startswith("/") and not url.startswith("//"):
        return url
    return None
