"""Write article records, their links and crawl logs into the archive. Plain functions over a
sqlite_utils.Database; callers own the transaction (a pipeline writes a batch in one).

Writing the same record twice changes nothing: rows are compared by content hash first.
No network code here.
"""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from archive.schema import ARTICLE_COLUMNS
from archive.search import index_article
from spiders import urls

# Columns the archive derives or keeps itself; every other column comes from the record.
DERIVED = {"published_month", "body", "paragraph_count", "image_count", "page_count"}
BOOKKEEPING = {"content_hash", "first_seen_at", "changed_at"}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | dict):
        return _json(value)
    return value


def article_row(record: dict) -> dict:
    """An `articles` row from a page-reader record (Article.to_dict()).

    Every column of ARTICLE_COLUMNS that the record has is copied (lists and dicts as JSON), so
    a field added to the reader and to the schema needs no code here.
    """
    row = {name: _cell(record.get(name)) for name in ARTICLE_COLUMNS
           if name not in DERIVED | BOOKKEEPING}
    published = record.get("published_at") or ""
    row.update(
        published_at=published or None,
        published_month=published[:7] or None,
        body="\n\n".join(record["paragraphs"]),
        paragraph_count=len(record["paragraphs"]),
        image_count=len(record.get("images") or []),
        page_count=max(1, len(record.get("page_urls") or [])),
    )
    content = {k: v for k, v in row.items() if k not in BOOKKEEPING}
    row["content_hash"] = hashlib.sha256(_json(content).encode()).hexdigest()
    return row


def save_article(db: sqlite_utils.Database, record: dict, seen_at: str) -> str:
    """Insert or update one article with its links and search entry.

    Returns "new", "changed" or "unchanged".
    """
    row = article_row(record)
    existing = db.execute(
        "select content_hash, first_seen_at from articles where id = ?", [row["id"]]
    ).fetchone()
    if existing and existing[0] == row["content_hash"]:
        return "unchanged"
    row["first_seen_at"] = existing[1] if existing else seen_at
    row["changed_at"] = seen_at
    db["articles"].upsert(row, pk="id")
    rowid = db.execute("select rowid from articles where id = ?", [row["id"]]).fetchone()[0]
    index_article(db, rowid, row["title"], row["body"])
    _replace_links(db, row["id"], record.get("links", []))
    return "changed" if existing else "new"


def _replace_links(db: sqlite_utils.Database, article_id: str, links: list[dict]) -> None:
    db.execute("delete from links where from_article = ?", [article_id])
    rows, seen = [], set()
    for position, link in enumerate(links):
        # Article links are stored in canonical form so every spelling of a URL meets one row.
        to_url = urls.canonical_article_url(link["url"]) or link["url"]
        key = (link["kind"], to_url)
        if key in seen:
            continue
        seen.add(key)
        rows.append({
            "from_article": article_id,
            "kind": link["kind"],
            "to_url": to_url,
            "position": position,
            "anchor": link.get("text") or None,
            "to_article": None,
        })
    if rows:
        db["links"].insert_all(rows, pk=("from_article", "kind", "to_url"))


def resolve_links(db: sqlite_utils.Database) -> int:
    """Point links at the archived articles they lead to; returns how many were resolved.

    Matching is by article id (host + content id), so a link to an article's old catalog or a
    mirror still finds it.
    """
    archived = {r[0] for r in db.execute("select id from articles")}
    resolved = 0
    unresolved = db.execute(
        "select from_article, kind, to_url from links where to_article is null"
    ).fetchall()
    for from_article, kind, to_url in unresolved:
        target = urls.article_id(to_url)
        if target in archived:
            db.execute(
                "update links set to_article = ? where from_article = ? and kind = ? "
                "and to_url = ?",
                [target, from_article, kind, to_url],
            )
            resolved += 1
    return resolved


def start_crawl(db: sqlite_utils.Database, spider: str, started_at: str, arguments: dict) -> int:
    table = db["crawls"]
    table.insert({"spider": spider, "started_at": started_at, "arguments": _json(arguments)})
    return table.last_pk


def finish_crawl(db: sqlite_utils.Database, crawl_id: int, **fields) -> None:
    if "stats" in fields and not isinstance(fields["stats"], str):
        fields["stats"] = _json(fields["stats"])
    db["crawls"].update(crawl_id, fields)
