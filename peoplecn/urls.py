"""The people.cn URL grammar (reference §2): which URLs are articles, their ids, and the one
canonical form every article is stored and fetched under.

Pure string work; never fetches anything.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# http(s)://{host}[/BIG5]/{n|n1|n2|n3|n4}/{YYYY}/{MMDD}/c{catalog}-{contentId}[-{page}].html
ARTICLE_RE = re.compile(
    r"^https?://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.people\.(?:com\.)?cn)(?::80)?"
    r"(?:/BIG5)?/(?P<gen>n\d?)/(?P<year>\d{4})/(?P<mmdd>\d{4})/"
    r"c(?P<catalog>\d+)-(?P<content_id>\d+)(?:-(?P<page>\d+))?\.html?$",
    re.IGNORECASE,
)
# Before 2012 (reference §2): http://{host}/GB/{catalog}[/{sub}…]/{contentId}.html, and the
# /BIG5/ mirror of the same path. The leaf is all digits: list pages end in index{N}.html.
LEGACY_RE = re.compile(
    r"^https?://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.people\.(?:com\.)?cn)(?::80)?"
    r"/(?:GB|BIG5)/(?P<path>(?:[a-z0-9_]+/){1,6})(?P<content_id>\d{5,})\.html?$",
    re.IGNORECASE,
)
# The English site before en.people.cn: /200707/12/eng20070712_398765.html (2000s), then
# /90001/90776/6295012.html (≈2008–2011).
ENGLISH_RE = re.compile(
    r"^https?://(?P<host>english\.people\.com\.cn)(?::80)?/(?:"
    r"(?P<ym>\d{6})/(?P<dd>\d{2})/eng(?P<ymd>\d{8})_(?P<dated_id>\d{3,})"
    r"|(?P<path>(?:\d+/){1,5})(?P<content_id>\d{5,}))\.html?$",
    re.IGNORECASE,
)
PEOPLE_DOMAINS = ("people.com.cn", "people.cn")


@dataclass(frozen=True)
class _Article:
    canonical: str
    id: str
    content_id: str
    page: int
    day: str | None  # YYYY-MM-DD when the URL carries one


@functools.lru_cache(maxsize=1 << 16)
def _parse(bare: str) -> _Article | None:
    m = ARTICLE_RE.match(bare)
    if m:
        return _Article(
            canonical=f"http://{m['host']}/{m['gen']}/{m['year']}/{m['mmdd']}/"
                      f"c{m['catalog']}-{m['content_id']}.html",
            id=f"{m['host'].split('.')[0]}-{m['content_id']}",
            content_id=m["content_id"], page=int(m["page"]) if m["page"] else 1,
            day=f"{m['year']}-{m['mmdd'][:2]}-{m['mmdd'][2:]}")
    m = LEGACY_RE.match(bare)
    if m:
        # Legacy ids come from the CMS of their time; "gb" keeps them apart from the n2 ids
        # of the same host, a series of its own (reference §2).
        return _Article(canonical=f"http://{m['host']}/GB/{m['path']}{m['content_id']}.html",
                        id=f"{m['host'].split('.')[0]}-gb{m['content_id']}",
                        content_id=m["content_id"], page=1, day=None)
    m = ENGLISH_RE.match(bare)
    if m and m["dated_id"]:
        ymd = m["ymd"]
        return _Article(canonical=f"http://{m['host']}/{m['ym']}/{m['dd']}/eng{ymd}_"
                                  f"{m['dated_id']}.html",
                        id=f"english-{m['dated_id']}", content_id=m["dated_id"], page=1,
                        day=f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]}")
    if m:
        return _Article(canonical=f"http://{m['host']}/{m['path']}{m['content_id']}.html",
                        id=f"english-{m['content_id']}", content_id=m["content_id"], page=1,
                        day=None)
    return None


def _article(url: str) -> _Article | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1/x": not a URL at all, so not an article's
        return None
    return _parse(f"{parts.scheme}://{parts.netloc}{parts.path}".lower())


def is_article_url(url: str) -> bool:
    return _article(url) is not None


def is_people_host(host: str | None) -> bool:
    host = (host or "").lower()
    return any(host == d or host.endswith("." + d) for d in PEOPLE_DOMAINS)


def canonical_article_url(url: str) -> str | None:
    """http, lower-case host, no /BIG5 mirror, no page suffix, no query or fragment."""
    found = _article(url)
    return found.canonical if found else None


def page_number(url: str) -> int:
    found = _article(url)
    return found.page if found else 1


def article_id(url: str) -> str | None:
    """'{first host label}-{contentId}', e.g. he-40745301: stable, readable, one per article.

    Keyed on host and content id (reference §2: n2 regional ids are a separate series), not on
    the catalog, which can change when an article is moved between columns. Pre-2012 /GB/
    pages are '{label}-gb{contentId}', the old English site 'english-{id}'.
    """
    found = _article(url)
    return found.id if found else None


def content_id(url: str) -> str | None:
    found = _article(url)
    return found.content_id if found else None


def url_date(url: str) -> str | None:
    """YYYY-MM-DD from the path (the URL carries no time; /GB/ URLs carry no date at all)."""
    found = _article(url)
    return found.day if found else None
