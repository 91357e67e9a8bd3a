"""Article versions: every distinct content an article has shown, with what changed between
one and the next (fields, paragraphs added and removed). Append-only: a version is closed
(`seen_until`), never rewritten or deleted.
"""

from __future__ import annotations

import json
from collections import Counter

import sqlite_utils

# Compared for the change summary (the derived counts follow from these).
SUMMARY_FIELDS = ("title", "pre_title", "subtitle", "series", "published_at", "source",
                  "source_url", "byline", "authors", "editors", "body", "images", "channel")
SIMILARITY_CHARS = 50_000
VERSION_FIELDS = ("content_hash", "title", "pre_title", "subtitle", "published_at", "source",
                  "body", "capture_ids")


def _paragraphs(body: str | None) -> list[str]:
    return [p for p in (body or "").split("\n\n") if p]


def _missing_from(paragraphs: list[str], other: list[str]) -> list[str]:
    """Paragraphs of `paragraphs` that `other` lacks, in order; a paragraph printed n times
    counts n times. Linear (issue 14): a line-by-line diff is quadratic in repeated paragraphs."""
    left = Counter(other)
    out = []
    for p in paragraphs:
        if left[p]:
            left[p] -= 1
        else:
            out.append(p)
    return out


def change_summary(old: dict, new: dict) -> dict:
    """Which fields differ, and which paragraphs were added or removed, in order (a paragraph
    that only moved is neither)."""
    before, after = _paragraphs(old.get("body")), _paragraphs(new.get("body"))
    added, removed = _missing_from(after, before), _missing_from(before, after)
    return {
        "fields_changed": [f for f in SUMMARY_FIELDS if old.get(f) != new.get(f)],
        "paragraphs_added": added,
        "paragraphs_removed": removed,
    }


def similarity(old_body: str | None, new_body: str | None) -> float:
    """Share of character 4-grams in common (Jaccard): near 1 for an edit, near 0 for other text."""
    def grams(s: str) -> set[str]:
        # The first SIMILARITY_CHARS characters decide: a set of every 4-gram of a very long
        # body would cost tens of bytes per character (issue 14).
        s = "".join((s or "")[:SIMILARITY_CHARS].split())
        return {s[i:i + 4] for i in range(max(len(s) - 3, 1))}
    a, b = grams(old_body), grams(new_body)
    return len(a & b) / len(a | b) if a | b else 1.0


def add_version(db: sqlite_utils.Database, article_id: str, row: dict, seen_at: str,
                previous: dict | None, replaced: bool = False) -> int:
    """Close the current version (if any) and append `row` as the next one."""
    current = db.execute(
        "select max(version) from article_versions where article_id = ?", [article_id]
    ).fetchone()[0] or 0
    if current:
        db.execute("update article_versions set seen_until = ? where article_id = ? "
                   "and version = ? and seen_until is null", [seen_at, article_id, current])
    summary = change_summary(previous, row) if previous else {
        "fields_changed": [], "paragraphs_added": [], "paragraphs_removed": []}
    db["article_versions"].insert({
        "article_id": article_id,
        "version": current + 1,
        **{f: row.get(f) for f in VERSION_FIELDS},
        "seen_from": seen_at,
        "seen_until": None,
        **{k: json.dumps(v, ensure_ascii=False) for k, v in summary.items()},
        "replaced": int(replaced),
    })
    return current + 1
