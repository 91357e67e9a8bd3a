"""Per-URL crawl state (`url_state`): when each URL was first and last fetched, its validators
(ETag, Last-Modified), a hash of its bytes, its last status, the title a list last showed for it,
and when it is next due. Plain functions over a sqlite_utils.Database; no network, no clock
(callers pass the time), no commits (callers own the transaction).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

TABLE = "url_state"

# What makes a fetch "failed" for scheduling: the URL is tried again on the next run.
PERMANENT_MISSES = {404, 410}


def get(db: sqlite_utils.Database, url: str) -> dict | None:
    rows = list(db.query(f"select * from {TABLE} where url = ?", [url]))
    return rows[0] if rows else None


def is_due(state: dict | None, now: str) -> bool:
    """Never fetched, or its next-due time has come (ISO strings in UTC compare as text)."""
    return state is None or not state.get("next_due_at") or state["next_due_at"] <= now


def revisit_interval(state: dict | None, outcome: str, min_days: float, max_days: float) -> float:
    """Days until an article is due again: the minimum after a change, doubling after every
    fetch that found it unchanged, up to the maximum (a slow, self-tuning revisit schedule)."""
    if outcome != "unchanged" or not state or not state.get("last_fetched_at"):
        return min_days
    last = datetime.fromisoformat(state["last_fetched_at"])
    due = datetime.fromisoformat(state["next_due_at"])
    previous = (due - last).total_seconds() / 86400
    return min(max_days, max(min_days, previous * 2))


def fetch_outcome(state: dict | None, status: int | None, content_hash: str | None,
                  error: str | None = None) -> str:
    """What a fetch found, judged against the URL's state before it: new, changed, unchanged
    (the same bytes, or a 304) or failed (no answer, an HTTP error, or an answer that could
    not be read: `error`)."""
    if error:
        return "failed"
    if status == 304 and state:
        return "unchanged"
    if status is None or status >= 400:
        return "failed"
    if state is None or state.get("content_hash") is None:
        return "new"
    return "unchanged" if state["content_hash"] == content_hash else "changed"


def record_fetch(db: sqlite_utils.Database, url: str, *, kind: str, spider: str, now: str,
                 status: int | None, etag: str | None = None, last_modified: str | None = None,
                 content_hash: str | None = None, error: str | None = None,
                 revisit_days: tuple[float, float] | None = None) -> str:
    """Record one fetch of `url`; returns its outcome: new, changed, unchanged (same bytes or a
    304), or failed. A 304 keeps the stored hash and validators.

    `revisit_days` (min, max) schedules an article's next fetch (revisit_interval); without it
    (lists, topics, searches) the URL is due again at once: it is read on every run. A failed
    fetch is due at once too, except a 404/410 article, which waits the maximum.
    """
    state = get(db, url)
    outcome = fetch_outcome(state, status, content_hash, error)
    if status == 304 and state:
        content_hash = state["content_hash"]
        etag = etag or state["etag"]
        last_modified = last_modified or state["last_modified"]
    next_due_at = now
    if revisit_days and outcome != "failed":
        next_due_at = due_at(now, revisit_interval(state, outcome, *revisit_days))
    elif revisit_days and status in PERMANENT_MISSES:
        next_due_at = due_at(now, revisit_days[1])
    row = {
        "url": url,
        "kind": kind,
        "spider": state["spider"] if state and state.get("spider") else spider,
        "first_fetched_at": (state or {}).get("first_fetched_at") or now,
        "last_fetched_at": now,
        "status": status,
        "error": error,
        "fetch_count": ((state or {}).get("fetch_count") or 0) + 1,
        "next_due_at": next_due_at,
        "list_title": state.get("list_title") if state else None,
    }
    if outcome != "failed":
        row.update(etag=etag, last_modified=last_modified, content_hash=content_hash)
        if outcome in ("new", "changed"):
            row["changed_at"] = now
    db[TABLE].upsert(row, pk="url")
    return outcome


def due_at(now: str, days: float) -> str:
    return (datetime.fromisoformat(now) + timedelta(days=days)).isoformat(timespec="seconds")


def note_list_title(db: sqlite_utils.Database, url: str, title: str, kind: str = "article") -> bool:
    """Remember the title a list shows for `url`; True if it differs from the last one seen
    (an edited headline: the article is worth fetching again)."""
    state = get(db, url)
    if state is None:
        db[TABLE].insert({"url": url, "kind": kind, "list_title": title}, pk="url")
        return False
    if state.get("list_title") == title:
        return False
    db[TABLE].update(url, {"list_title": title})
    return state.get("list_title") is not None


def mark_due(db: sqlite_utils.Database, url: str, now: str) -> None:
    """Make `url` due at once (e.g. a page that could not be read: try again next run)."""
    if get(db, url):
        db[TABLE].update(url, {"next_due_at": now})


def due_articles(db: sqlite_utils.Database, spider: str, now: str, limit: int) -> list[str]:
    """Articles this spider found before whose revisit has come, longest overdue first; then
    articles a list or topic page showed that no run has fetched yet (a run stopped before it
    reached them: the list, unchanged, will not lead to them again)."""
    due = [r[0] for r in db.execute(
        f"select url from {TABLE} where kind = 'article' and spider = ? and next_due_at <= ? "
        "order by next_due_at limit ?", [spider, now, limit])]
    return due + [r[0] for r in db.execute(
        f"select url from {TABLE} where kind = 'article' and spider is null "
        "and first_fetched_at is null and list_title is not null limit ?",
        [limit - len(due)])]


def missing_photos(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """The photos archived articles show (`articles.images`) that the archive has no 200
    capture of and no standing answer for (404, 410, too large) — whatever url_state says
    otherwise: they are fetched again. The captures' (url, fetched_at) index keeps it one
    lookup per photo. (photo URL, the URL of an article that shows it) pairs."""
    return [(r[0], r[1]) for r in db.execute(
        "select json_extract(j.value, '$.src') as src, min(a.url) from articles a, "
        "json_each(case when json_valid(a.images) then a.images else '[]' end) j "
        "where json_type(j.value, '$.src') = 'text' "
        "and not exists (select 1 from captures c where c.url = src and c.status = 200) "
        f"and not exists (select 1 from {TABLE} s where s.url = src and "
        "(s.status in (404, 410) or s.error like 'too\\_large%' escape '\\')) "
        "group by src")]


def has_capture(db: sqlite_utils.Database, url: str) -> bool:
    return db.execute("select 1 from captures where url = ? and status = 200 limit 1",
                      [url]).fetchone() is not None


def is_archived(db: sqlite_utils.Database, article_id: str) -> bool:
    return db.execute("select 1 from articles where id = ?", [article_id]).fetchone() is not None


def archived_links(db: sqlite_utils.Database, article_id: str, kinds: set[str]) -> list[str]:
    """The links stored for an archived article, in page order: what a fetch would find."""
    rows = db.execute("select kind, to_url from links where from_article = ? order by position",
                      [article_id]).fetchall()
    return [url for kind, url in rows if kind in kinds]


# The writes a crawl's state may make, by name: a distributed worker sends them to the
# coordinator as archive.batch.StateWrite, which applies them with the same functions.
STATE_WRITES = {
    "record_fetch": record_fetch,
    "mark_due": mark_due,
    "note_list_title": note_list_title,
}
