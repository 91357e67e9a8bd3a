"""One story, many URLs: reprints of the same text on several channels are grouped under one
canonical row (`reprint_of`), found by a fingerprint of the normalised text or, for lightly
edited copies with the same headline, by text similarity. Rows are grouped, never merged or
deleted: each reprint keeps its own URL, channel and dates.
"""

from __future__ import annotations

import hashlib
import re

import sqlite_utils

from archive.versions import similarity

_NOT_WORD = re.compile(r"[\W_]+")
# A leading wire dateline, e.g. "人民网石家庄2月24日电（记者贺航）" or "新华社北京4月24日电":
# reprints change it (or drop it) while the story stays the same.
_DATELINE = re.compile(r"^.{0,24}?\d{1,2}月\d{1,2}日电(?:[（(][^）)]{0,30}[）)])?")
NEAR_DUPLICATE = 0.8


def normalised_text(body: str | None) -> str:
    """The text as reprints are compared (and text reuse, archive/reuse.py): without its
    leading dateline, punctuation or spaces, in lower case."""
    text = (body or "").strip(" \u3000")
    text = _DATELINE.sub("", text, count=1)
    return _NOT_WORD.sub("", text).lower()


def text_fingerprint(body: str | None) -> str | None:
    text = normalised_text(body)
    if len(text) < 50:  # too short to say two articles are one story
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def regroup(db: sqlite_utils.Database, article_id: str) -> None:
    """Point every member of `article_id`'s reprint group at the group's earliest article."""
    me = db.execute("select id, title, body, text_fingerprint from articles where id = ?",
                    [article_id]).fetchone()
    if me is None:
        return
    _, title, body, fingerprint = me
    candidates = db.execute(
        "select id, published_at, body, text_fingerprint from articles "
        "where id != ? and (text_fingerprint = ? or title = ?)",
        [article_id, fingerprint, title],
    ).fetchall()
    group = [(pid or "", cid) for cid, pid, cbody, cfp in candidates
             if (fingerprint and cfp == fingerprint) or similarity(body, cbody) >= NEAR_DUPLICATE]
    if not group:
        return
    mine = db.execute("select published_at from articles where id = ?", [article_id]).fetchone()
    group.append((mine[0] or "", article_id))
    canonical = min(group)[1]
    for _, member in group:
        db.execute("update articles set reprint_of = ? where id = ?",
                   [None if member == canonical else canonical, member])
