"""The people.cn URL grammar (reference §2): which URLs are articles, their ids, and the one
canonical form every article is stored and fetched under.

Pure string work; never fetches anything.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# http(s)://{host}[/BIG5]/{n|n1|n2|n3|n4}/{YYYY}/{MMDD}/c{catalog}-{contentId}[-{page}].html
ARTICLE_RE = re.compile(
    r"^https?://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.people\.(?:com\.)?cn)(?::80)?"
    r"(?:/BIG5)?/(?P<gen>n\d?)/(?P<year>\d{4})/(?P<mmdd>\d{4})/"
    r"c(?P<catalog>\d+)-(?P<content_id>\d+)(?:-(?P<page>\d+))?\.html?$",
    re.IGNORECASE,
)
PEOPLE_DOMAINS = ("people.com.cn", "people.cn")


def _match(url: str) -> re.Match | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1/x": not a URL at all, so not an article's
        return None
    bare = f"{parts.scheme}://{parts.netloc}{parts.path}".lower()
    return ARTICLE_RE.match(bare)


def is_article_url(url: str) -> bool:
    return _match(url) is not None


def is_people_host(host: str | None) -> bool:
    host = (host or "").lower()
    return any(host == d or host.endswith("." + d) for d in PEOPLE_DOMAINS)


def canonical_article_url(url: str) -> str | None:
    """http, lower-case host, no /BIG5 mirror, no page suffix, no query or fragment."""
    m = _match(url)
    if not m:
        return None
    return (
        f"http://{m['host']}/{m['gen']}/{m['year']}/{m['mmdd']}/"
        f"c{m['catalog']}-{m['content_id']}.html"
    )


def page_number(url: str) -> int:
    m = _match(url)
    return int(m["page"]) if m and m["page"] else 1


def article_id(url: str) -> str | None:
    """'{first host label}-{contentId}', e.g. he-40745301: stable, readable, one per article.

    Keyed on host and content id (reference §2: n2 regional ids are a separate series), not on
    the catalog, which can change when an article is moved between columns.
    """
    m = _match(url)
    if not m:
        return None
    return f"{m['host'].split('.')[0]}-{m['content_id']}"


def content_id(url: str) -> str | None:
    m = _match(url)
    return m["content_id"] if m else None


def url_date(url: str) -> str | None:
    """YYYY-MM-DD from the path (the URL carries no time)."""
    m = _match(url)
    return f"{m['year']}-{m['mmdd'][:2]}-{m['mmdd'][2:]}" if m else None
