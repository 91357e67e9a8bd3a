"""Rebuild articles from their stored captures, with no network: after a page reader improves,
every article is read again from the bytes it was archived from. Unchanged readers give
identical rows; changed readers give new versions (archive/versions.py), nothing is lost.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from archive import reuse, series, store
from archive.captures import decoded_payload, read_capture
from archive.enrich import enrich_record
from archive.schema import open_archive
from archive.writer import utc_now, warc_folder
from peoplecn.pages import PageError, merge_pages, parse_article

# A capture inflates to at most this (the crawl's DOWNLOAD_MAXSIZE): a bomb is unreadable here
# too (archive.captures.TooLarge, a ValueError), not a gigabyte of memory.
MAX_INFLATED = 32 * 1024 * 1024


def record_from_captures(folder: Path, captures: list[dict]) -> dict:
    """The article record the crawler would have built from these captures (page order)."""
    pages = []
    for cap in captures:
        res = read_capture(folder, cap["warc_file"], cap["offset"])
        content_type = next((v for k, v in res.headers.items() if k.lower() == "content-type"),
                            None)
        pages.append(parse_article(res.url, decoded_payload(res.body, res.headers,
                                                                MAX_INFLATED), content_type))
    record = merge_pages(pages[0], pages[1:]).to_dict()
    record["capture_ids"] = [c["id"] for c in captures]
    return record


def reparse(path: str | Path, enrich: Callable[[dict], dict] | None = enrich_record,
            progress: Callable[[Counter], None] | None = None) -> tuple[Counter, list[str]]:
    """Re-read every article that has captures; returns outcome counts and error messages."""
    db = open_archive(path)
    folder = warc_folder(path)
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    rows = db.execute("select id, capture_ids from articles order by id").fetchall()
    seen_at = utc_now()
    with db.atomic():
        for article_id, capture_ids in rows:
            ids = json.loads(capture_ids or "[]")
            found = {c["id"]: c for c in db["captures"].rows_where(
                f"id in ({','.join('?' * len(ids))})", ids)} if ids else {}
            if not ids or len(found) != len(ids):
                outcomes["no_captures"] += 1
                continue
            try:
                record = record_from_captures(folder, [found[i] for i in ids])
            except (PageError, OSError, ValueError) as e:
                outcomes["unreadable"] += 1
                errors.append(f"{article_id}: {e}")
                continue
            record = series.known_series(db, record)
            if enrich:
                record = enrich(record)
            outcome = store.save_article(db, record, seen_at)
            if outcome == "unchanged":  # the text reuse index is rebuilt all the same
                reuse.update(db, article_id, seen_at)
            outcomes[outcome] += 1
            if progress:
                progress(outcomes)
        store.resolve_links(db)
    db.close()
    return outcomes, errors
