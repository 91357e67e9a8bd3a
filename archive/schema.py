"""The archive's tables, declared once. `ensure_schema(db)` is safe to run on a new or an
existing archive, any number of times; it never drops or rewrites data.

Column names match the page reader's Article fields (spiders/pages/record.py).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from archive.search import ensure_search_index

SCHEMA_VERSION = 1

ARTICLE_COLUMNS = {
    "id": str,  # {first host label}-{contentId}, e.g. he-40745301
    "url": str,  # canonical page-1 URL (http, no mirror, no page suffix)
    "content_id": str,
    "site": str,
    "channel": str,
    "title": str,
    "pre_title": str,
    "subtitle": str,
    "series": str,
    "published_at": str,  # ISO 8601 with +08:00 (or a bare date when the page gives no time)
    "published_month": str,  # YYYY-MM, for the facet
    "source": str,
    "source_url": str,
    "byline": str,
    "authors": str,  # JSON list
    "editors": str,  # JSON list
    "body": str,  # paragraphs separated by blank lines
    "paragraph_count": int,
    "images": str,  # JSON list of {src, caption}
    "image_count": int,
    "language": str,
    "template": str,
    "charset": str,
    "page_count": int,
    "mojibake": int,
    "content_hash": str,
    "first_seen_at": str,
    "changed_at": str,  # when the content last differed from what was archived
}

LINK_COLUMNS = {
    "from_article": str,
    "kind": str,  # related | recommended | body
    "to_url": str,
    "position": int,
    "anchor": str,
    "to_article": str,  # set once the target is archived
}

CRAWL_COLUMNS = {
    "id": int,
    "spider": str,
    "started_at": str,
    "finished_at": str,
    "finish_reason": str,
    "arguments": str,  # JSON
    "pages_fetched": int,
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,
    "articles_irrelevant": int,
    "parse_errors": int,
    "http_errors": int,
    "stats": str,  # JSON: every Scrapy stat of the run
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    db.enable_wal()
    with db.atomic():
        _create_tables(db)


def _create_tables(db: sqlite_utils.Database) -> None:
    if "articles" not in db.table_names():
        db["articles"].create(ARTICLE_COLUMNS, pk="id")
        db["articles"].create_index(["url"], unique=True)
        db["articles"].create_index(["published_at"])
    else:
        _add_missing_columns(db, "articles", ARTICLE_COLUMNS)
    if "links" not in db.table_names():
        db["links"].create(
            LINK_COLUMNS,
            pk=("from_article", "kind", "to_url"),
            foreign_keys=[("from_article", "articles", "id"), ("to_article", "articles", "id")],
        )
        db["links"].create_index(["to_article"])
        db["links"].create_index(["to_url"])
    if "crawls" not in db.table_names():
        db["crawls"].create(CRAWL_COLUMNS, pk="id")
    ensure_search_index(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict) -> None:
    """An archive made by an older version gains the columns added since (empty)."""
    have = db[table].columns_dict
    for name, kind in columns.items():
        if name not in have:
            db[table].add_column(name, kind)


def open_archive(path: str | Path) -> sqlite_utils.Database:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    return db
