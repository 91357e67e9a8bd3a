"""Series (系列报道, 专题): one `series` row per normalised name, and `series_articles` rows for
its members — from a topic/series index page (with their order) or from an article's own
pre-title. Plain functions over a sqlite_utils.Database; callers own the transaction.
"""

from __future__ import annotations

import re
import unicodedata

import sqlite_utils

from peoplecn.pages.people_text import normalise_series

_SITE_SUFFIX = re.compile(r"(--|——|-|_|\|).*(人民网|频道).*$")


def series_key(name: str) -> str:
    """The one spelling a series is stored under, whatever page named it: an index page's
    title ("京津冀协同发展十年--人民网"), a pre-title ("「京津冀协同发展十年」系列报道") or a
    reader's series field all give 京津冀协同发展十年."""
    # An index page's <title> carries the site's suffix; the rest is the readers' rule.
    text = _SITE_SUFFIX.sub("", unicodedata.normalize("NFKC", name or "").strip())
    return normalise_series(text)[0] or ""


def ensure_series(db: sqlite_utils.Database, name: str, seen_at: str,
                  index_url: str | None = None) -> str:
    key = series_key(name)
    existing = db.execute("select index_url from series where id = ?", [key]).fetchone()
    if existing is None:
        db["series"].insert({"id": key, "name": name.strip(), "index_url": index_url,
                             "first_seen_at": seen_at})
    elif index_url and not existing[0]:
        db["series"].update(key, {"index_url": index_url})
    return key


def save_listing(db: sqlite_utils.Database, name: str, index_url: str,
                 members: list[tuple[str, int]], seen_at: str) -> str:
    """A series as its index page lists it: (article id, position oldest-first) pairs."""
    key = ensure_series(db, name, seen_at, index_url)
    for article_id, position in members:
        db["series_articles"].upsert(
            {"series": key, "article_id": article_id, "position": position, "found_on": "index"},
            pk=("series", "article_id"),
        )
    return key


def join_series(db: sqlite_utils.Database, article_id: str, name: str, seen_at: str,
                ordinal: int | None = None) -> str:
    """An article that names its series joins that series' row, at the ordinal its title
    prints if any; a position from the index page stays."""
    key = ensure_series(db, name, seen_at)
    db.execute(
        "insert or ignore into series_articles (series, article_id, position, found_on) "
        "values (?, ?, ?, 'article')", [key, article_id, ordinal])
    return key


def known_series(db: sqlite_utils.Database, record: dict) -> dict:
    """A record whose pre-title names, without a series mark, a series the archive already
    has (from a topic page, say) is put in that series; any other record is returned as is.
    The page readers cannot know the archive (peoplecn/pages/people_text.names_series)."""
    if record.get("series") or not record.get("pre_title"):
        return record
    name, order = normalise_series(record["pre_title"])
    if not name or db.execute("select 1 from series where id = ?", [name]).fetchone() is None:
        return record
    return {**record, "series": name, "series_order": record.get("series_order") or order}
