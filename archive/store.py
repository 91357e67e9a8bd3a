"""Write article records, their links and crawl logs into the archive. Plain functions over a
sqlite_utils.Database; callers own the transaction (a pipeline writes a batch in one).

Writing the same record twice changes nothing: rows are compared by content hash first.
No network code here.
"""

from __future__ import annotations

import functools
import hashlib
import json

import sqlite_utils

from archive import reuse
from archive.article_entities import save_enrichment
from archive.article_places import save_article_places
from archive.reprints import regroup, text_fingerprint
from archive.schema import ARTICLE_COLUMNS
from archive.search import index_article
from archive.status import set_status
from archive.versions import add_version, similarity
from peoplecn import urls

# Columns the archive derives or keeps itself; every other column comes from the record.
DERIVED = {"published_month", "body", "paragraph_count", "image_count", "page_count",
           "text_fingerprint"}
# Kept by the archive about a row, not read from the page: never part of the content hash.
BOOKKEEPING = {"content_hash", "first_seen_at", "changed_at", "status", "status_since",
               "capture_ids", "reprint_of"}
# Columns added after archives existed that are hashed only when set, so adding one does not
# make every archived article "changed" at its next fetch.
HASHED_WHEN_SET = {"truncated", "original_title"}
# Not the article's content, so never hashed: which reader read a field (issue 22), and what the
# archive's own extractors read from the text (issue 19) — stored, so a better extractor changes
# no article's content (`xietong reparse` refreshes them in place).
NOT_HASHED = {"field_sources", "people", "organisations", "documents"}


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
    row["text_fingerprint"] = text_fingerprint(row["body"])
    hashed = {k: v for k, v in row.items()
              if k not in NOT_HASHED and (v is not None or k not in HASHED_WHEN_SET)}
    row["content_hash"] = hashlib.sha256(_json(hashed).encode()).hexdigest()
    return row


def save_article(db: sqlite_utils.Database, record: dict, seen_at: str) -> str:
    """Insert or update one article with its links, search entry, version and status.

    Returns "new", "changed", "unchanged" or "replaced" (the page now shows other content:
    kept as a version, the row keeps the last real content; see archive/status.py).
    """
    row = article_row(record)
    existing = next(db["articles"].rows_where("id = ?", [row["id"]]), None)
    if existing:
        if existing["content_hash"] == row["content_hash"]:
            _revive(db, existing, seen_at)
            save_enrichment(db, row["id"], record, force=False)
            return "unchanged"
    row["capture_ids"] = _json(record.get("capture_ids") or [])
    if existing and _is_replacement(existing, row):
        add_version(db, row["id"], row, seen_at, existing, replaced=True)
        set_status(db, row["id"], "replaced", seen_at, f"now shows: {row['title']}")
        return "replaced"
    row["first_seen_at"] = existing["first_seen_at"] if existing else seen_at
    row["changed_at"] = seen_at
    db["articles"].upsert(row, pk="id")
    rowid = db.execute("select rowid from articles where id = ?", [row["id"]]).fetchone()[0]
    index_article(db, rowid, row["title"], row["body"])
    _replace_links(db, row["id"], record.get("links", []))
    save_article_places(db, row["id"], record.get("places"))
    save_enrichment(db, row["id"], record)
    add_version(db, row["id"], row, seen_at, existing)
    if existing:
        _revive(db, existing, seen_at)
    else:
        db.execute("update articles set status = 'live', status_since = ? where id = ?",
                   [seen_at, row["id"]])
        db["article_status"].insert({"article_id": row["id"], "status": "live",
                                     "since": seen_at, "detail": "first archived"})
    regroup(db, row["id"])
    reuse.update(db, row["id"], seen_at)
    return "changed" if existing else "new"


def _revive(db: sqlite_utils.Database, existing: dict, seen_at: str) -> None:
    # The article reads as itself again after being gone, redirected or replaced.
    if existing.get("status") not in (None, "live"):
        set_status(db, existing["id"], "live", seen_at, "the page shows the article again")


def _is_replacement(old: dict, new: dict) -> bool:
    """Different headline and hardly any text in common: another page under this URL."""
    return old["title"] != new["title"] and similarity(old["body"], new["body"]) < 0.2


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
    # Runs after every batch: one look per distinct target URL, its id parsed once per process
    # (issue 7: parsing every unresolved link each time made a crawl quadratic).
    for (to_url,) in db.execute(
            "select distinct to_url from links where to_article is null").fetchall():
        target = _target_id(to_url)
        if target in archived:
            resolved += db.execute(
                "update links set to_article = ? where to_url = ? and to_article is null",
                [target, to_url]).rowcount
    return resolved


@functools.lru_cache(maxsize=1 << 18)
def _target_id(url: str) -> str | None:
    return urls.article_id(url)


def start_crawl(db: sqlite_utils.Database, spider: str, started_at: str, arguments: dict) -> int:
    table = db["crawls"]
    table.insert({"spider": spider, "started_at": started_at, "arguments": _json(arguments)})
    return table.last_pk


def finish_crawl(db: sqlite_utils.Database, crawl_id: int, **fields) -> None:
    if "stats" in fields and not isinstance(fields["stats"], str):
        fields["stats"] = _json(fields["stats"])
    db["crawls"].update(crawl_id, fields)
