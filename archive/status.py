"""Article status — live, gone, redirected, replaced — with its history. A status changes only
on evidence (a capture or a page that no longer reads as the article); every change appends a
row to `article_status`, nothing is overwritten.

What counts as what (decided in docs/decisions.md, issue 5):
  gone        the article URL answers 404 or 410
  redirected  it redirects to a page that is not this article (home page, list, other article)
  replaced    it answers 200 with content that is not this article any more
  live        it answers with the article (again)
"""

from __future__ import annotations

import sqlite_utils

from peoplecn import urls

GONE_CODES = {404, 410}
REDIRECT_CODES = {301, 302, 303, 307, 308}


def status_from_capture(url: str, status: int, location: str | None) -> tuple[str, str] | None:
    """(status, detail) that a capture of an article's page 1 shows, or None (no evidence)."""
    if urls.page_number(url) != 1:
        return None
    if status in GONE_CODES:
        return "gone", f"HTTP {status}"
    if status in REDIRECT_CODES and location:
        if urls.article_id(location) == urls.article_id(url):
            return None  # the article moved within the site (e.g. a new catalog): still live
        return "redirected", location
    return None


def set_status(db: sqlite_utils.Database, article_id: str, status: str, since: str,
               detail: str | None = None, capture_id: str | None = None) -> bool:
    """Record a status if it differs from the current one; True when it changed."""
    current = db.execute("select status from articles where id = ?", [article_id]).fetchone()
    if current is None or current[0] == status:
        return False
    db.execute("update articles set status = ?, status_since = ? where id = ?",
               [status, since, article_id])
    db["article_status"].insert({"article_id": article_id, "status": status, "since": since,
                                 "detail": detail, "capture_id": capture_id}, ignore=True)
    return True
