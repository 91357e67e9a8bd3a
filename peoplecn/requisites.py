"""What an article page needs besides its HTML to be seen as it was (its page requisites): the
photos of its text, its stylesheets and the other images it shows (logos, icons, thumbnails),
and the images a stylesheet pulls in with url(). people.cn hosts only; never scripts.

Pure: URL + bytes in, URLs out. Never fetches anything; the crawler decides what to fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from peoplecn.urls import is_people_host

PHOTO, STYLESHEET, IMAGE = "photo", "stylesheet", "image"
# url(...) and @import "..." in a stylesheet; a capture's CSS is read only this far (a
# stylesheet that lists its images after 1 MB is not worth parsing further).
CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
CSS_READ_LIMIT = 1 << 20
_BASE = etree.XPath("//base/@href", smart_strings=False)
_LINKS = etree.XPath("//link[@href]")
_IMAGES = etree.XPath("//img/@src", smart_strings=False)
_PARSER = etree.HTMLParser(recover=True, huge_tree=True, encoding="utf-8")


@dataclass(frozen=True)
class Requisite:
    url: str  # absolute, no fragment
    kind: str  # photo | stylesheet | image


def requisite_url(base: str, ref: str | None) -> str | None:
    """`ref` made absolute against `base`, if it is an http(s) URL on a people.cn host."""
    ref = (ref or "").strip()
    if not ref or ref.startswith(("data:", "javascript:", "#")):
        return None
    try:
        url = urljoin(base, ref).split("#", 1)[0]
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not is_people_host(parts.hostname):
        return None
    return url


def _unique(items: list[Requisite]) -> list[Requisite]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            out.append(item)
    return out


def requisites_in(url: str, root) -> list[Requisite]:
    """The stylesheets and images a parsed page loads from people.cn hosts, in page order
    (stylesheets first). Images here are all `<img>`; `article_requisites` tells photos apart.
    The crawler passes the tree its page reader read (one parse per page, issue 23)."""
    bases = _BASE(root)
    base = requisite_url(url, bases[0] if bases else None) or url
    found = []
    for link in _LINKS(root):
        if "stylesheet" in (link.get("rel") or "").lower().split():
            found.append((link.get("href"), STYLESHEET))
    found += [(src, IMAGE) for src in _IMAGES(root)]
    out = [Requisite(u, kind) for ref, kind in found if (u := requisite_url(base, ref))]
    return _unique(out)


def page_requisites(url: str, body: bytes) -> list[Requisite]:
    """`requisites_in` of a page given as bytes (a stored capture). URLs are ASCII in practice;
    decoding with replacement keeps GBK pages readable enough."""
    try:
        root = etree.fromstring(body.decode("utf-8", "replace").encode("utf-8"), _PARSER)
    except (etree.ParserError, ValueError):
        return []
    return requisites_in(url, root) if root is not None else []


def stylesheet_requisites(url: str, css: bytes) -> list[Requisite]:
    """The images (and imported stylesheets) a stylesheet pulls in, on people.cn hosts."""
    text = css[:CSS_READ_LIMIT].decode("utf-8", "replace")
    out = []
    for m in CSS_URL_RE.finditer(text):
        ref, kind = (m.group(2), IMAGE) if m.group(2) else (m.group(4), STYLESHEET)
        if ref.lower().endswith(".css"):
            kind = STYLESHEET
        if u := requisite_url(url, ref):
            out.append(Requisite(u, kind))
    return _unique(out)


def article_requisites(photos: list[str], pages: list[list[Requisite]],
                       page_assets: bool = True, per_page: int = 50) -> list[Requisite]:
    """An article's requisites: its photos (every page; URLs as the reader gave them), then,
    with `page_assets`, each page's stylesheets and other images — at most `per_page` a page."""
    out = [Requisite(u, PHOTO) for p in photos if (u := requisite_url(p, p))]
    photo_urls = {r.url for r in out}
    if page_assets:
        for found in pages:
            out += [r for r in found if r.url not in photo_urls][:per_page]
    return _unique(out)
