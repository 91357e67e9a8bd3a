"""Data migrations of the archive, in order, recorded in `_sqlite_migrations` (sqlite-utils'
Migrations). Tables and columns are declared in schema.py and added there; a migration here
fills what a new column or table means for rows written by an older version. Each runs once,
in a transaction; none deletes data.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from archive import reuse
from archive.reprints import regroup, text_fingerprint
from archive.versions import add_version

MIGRATIONS = Migrations("xietong")


@MIGRATIONS()
def m002_status_versions_fingerprints(db: sqlite_utils.Database) -> None:
    """Articles archived before statuses, versions and reprint grouping existed: live since
    first seen, their current content as version 1, fingerprints computed, reprints grouped."""
    rows = list(db.query("select * from articles where status is null"))
    for row in rows:
        db.execute("update articles set status = 'live', status_since = ?, text_fingerprint = ?"
                   " where id = ?",
                   [row["first_seen_at"], text_fingerprint(row["body"]), row["id"]])
        db["article_status"].insert({"article_id": row["id"], "status": "live",
                                     "since": row["first_seen_at"],
                                     "detail": "archived before status tracking"})
        has_version = db.execute("select 1 from article_versions where article_id = ?",
                                 [row["id"]]).fetchone()
        if not has_version:
            add_version(db, row["id"], row, row["changed_at"] or row["first_seen_at"], None)
    for row in rows:
        regroup(db, row["id"])


@MIGRATIONS()
def m003_reuse_index(db: sqlite_utils.Database) -> None:
    """Articles archived before text reuse was tracked (issue 20): each indexed and paired, in
    one pass (each meets only its candidates: linear in the archive)."""
    for (article_id, seen) in db.execute(
            "select id, coalesce(changed_at, first_seen_at) from articles "
            "where id not in (select article_id from reuse_signatures) "
            "order by published_at, id").fetchall():
        reuse.update(db, article_id, seen or "")
