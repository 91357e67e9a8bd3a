"""What the article page shows besides the row itself: the body (stored HTML cleaned again, or
the text's paragraphs), photos, series neighbours, related / recommended / in-text links with
their archived targets, what links here, reprints, versions and status history.

Read-only queries through Datasette's connection. Tables and columns written by later versions
(body_html, series tables, article_versions, article_status) are used when the archive has
them, looked up on every page, so older archives still render.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from markupsafe import Markup

from archive.datasette import captured
from archive.datasette.cells import COLUMN_LABELS, field_value
from archive.datasette.excerpts import highlight, highlight_html
from archive.datasette.queries import SERIES_ORDER, series_members_sql
from archive.datasette.sanitize import clean_html, safe_url
from archive.datasette.urls import article_url, facet_url, series_url
from archive.datasette.version_diff import paragraph_changes
from archive.gazetteer import gazetteer
from archive.schema import json_list
from archive.topics import lexicon

LINK_KINDS = [
    ("related", "相关链接 · Related"),
    ("recommended", "推荐阅读 · Recommended"),
    ("body", "文中链接 · Links in the text"),
]


async def _rows(db, sql: str, params) -> list[dict]:
    result = await db.execute(sql, params)
    return [dict(r) for r in result.rows]


async def article_context(datasette, database: str, article_id: str, query: str | None) -> dict:
    db = datasette.get_database(database)
    rows = await _rows(db, "select * from articles where id = ?", [article_id])
    if not rows:
        return {}
    row = rows[0]
    tables = set(await db.table_names())
    # Photos served from the archive (issue 12): rewritten before the query is marked, so the
    # marks survive the cleaning that rewriting ends with.
    photos = await captured.photo_captures(datasette, database, row)
    if row.get("body_html"):
        row = {**row, "body_html": await asyncio.to_thread(captured.rewrite_photos,
                                                           row["body_html"], photos)}

    def link(target_id):
        return article_url(datasette, database, target_id)

    context = {
        "row": row,
        "original": safe_url(row.get("url")),
        "source_link": safe_url(row.get("source_url")),
        # in a thread: cleaning and marking a long body must not hold up other requests
        "body": await asyncio.to_thread(_body, row, query),
        "images": _images(row),
        "people": {k: [_person(n) for n in json_list(row.get(k))]
                   for k in ("authors", "editors", "contributors")},
        "places": _places(datasette, database, row),
        "topics": [{"label": t, "en": lexicon().english(t),
                    "url": facet_url(datasette, database, "topics", t, array=True)}
                   for t in json_list(row.get("topics"))],
        "links": await _links(db, article_id, link),
        "linked_from": await _linked_from(db, article_id, link),
        "series": await _series(datasette, db, database, row, tables, link),
        "reprints": await _reprints(db, row, link),
        "versions": await _versions(db, article_id, tables),
        "status_history": await _status_history(db, article_id, tables),
        "fields": _fields(datasette, database, row),
        "query": query or "",
        "list_url": datasette.urls.table(database, "articles") + "?" + urlencode(
            {"_search": query}) if query else None,
    }
    body = context["body"]
    context["marks"] = (str(body["html"]).count("</mark>") if body["html"]
                        else sum(str(p).count("</mark>") for p in body["paragraphs"]))
    # Photos from the archive, and the link to the page as captured (issue 12).
    return await captured.article_captures_context(datasette, database, row, context, photos)


# Shown in the article itself; "all fields" would only repeat them at length.
SHOWN_ABOVE = {"body", "body_html"}


def _fields(datasette, database: str, row: dict) -> list[dict]:
    """Every column of the row for "all fields": bilingual label, column help, value as a
    reader would want it (lists as lists, links as links)."""
    meta = datasette.table_metadata(database, "articles").get("columns", {})
    out = []
    for name, value in row.items():
        if name in SHOWN_ABOVE:
            continue
        out.append({"name": name, "label": COLUMN_LABELS.get(name), "help": meta.get(name),
                    "value": field_value(name, value)})
    return out


def _person(entry) -> str:
    if isinstance(entry, dict):  # {"name": …, "role": …} from newer readers
        name, role = entry.get("name") or "", entry.get("role")
        return f"{name}（{role}）" if role else name
    return str(entry)


def _body(row: dict, query: str | None):
    html = row.get("body_html")
    if html:
        # Cleaned before and after marking the query, whatever the crawler did: the file may
        # come from anywhere.
        marked = highlight_html(str(clean_html(html)), query) if query else html
        return {"html": _numbered_marks(clean_html(marked))[0], "paragraphs": []}
    paragraphs = [p.strip() for p in (row.get("body") or "").split("\n\n") if p.strip()]
    marked, seen = [], 0
    for p in paragraphs:
        p, seen = _numbered_marks(highlight(p, query), seen)
        marked.append(p)
    return {"html": None, "paragraphs": marked}


def _numbered_marks(html: Markup, before: int = 0) -> tuple[Markup, int]:
    """Every <mark> gets an anchor: the first `xt-first-mark` (the page's "first match" link),
    the n-th `xt-mark-n` (a concordance line links to its own hit). Returns the marks seen."""
    parts = str(html).split("<mark>")
    out = [parts[0]]
    for n, part in enumerate(parts[1:], before + 1):
        anchor = "xt-first-mark" if n == 1 else f"xt-mark-{n}"
        out.append(f'<mark id="{anchor}">' + part)
    return Markup("".join(out)), before + len(parts) - 1


def _images(row: dict) -> list[dict]:
    if row.get("body_html") and "<img" in row["body_html"]:
        return []  # the photos are in the body already
    images = []
    for image in json_list(row.get("images")):
        if isinstance(image, dict):
            images.append({"src": safe_url(image.get("src")), "caption": image.get("caption"),
                           "credit": image.get("credit")})
    return images


def _places(datasette, database: str, row: dict) -> list[dict]:
    known = gazetteer()
    out = []
    for name in json_list(row.get("places")):
        place = known.get(name)
        out.append({"name": name, "en": place.en if place else None,
                    "url": facet_url(datasette, database, "places", name, array=True)})
    return out


async def _links(db, article_id: str, link) -> list[dict]:
    rows = await _rows(db, """
        select l.kind, l.to_url, l.anchor, l.to_article, t.title as target_title,
               substr(t.published_at, 1, 10) as target_date
        from links l left join articles t on t.id = l.to_article
        where l.from_article = ? order by l.kind, l.position""", [article_id])
    groups = []
    for kind, label in LINK_KINDS:
        items = [{
            "title": r["target_title"] or r["anchor"] or r["to_url"],
            "archived": link(r["to_article"]) if r["to_article"] else None,
            "original": safe_url(r["to_url"]),
            "original_text": r["to_url"],
            "date": r["target_date"],
        } for r in rows if r["kind"] == kind]
        if items:
            groups.append({"kind": kind, "label": label, "entries": items})
    return groups


async def _linked_from(db, article_id: str, link) -> list[dict]:
    rows = await _rows(db, """
        select a.id, a.title, substr(a.published_at, 1, 10) as date,
               group_concat(distinct l.kind) as kinds
        from links l join articles a on a.id = l.from_article
        where l.to_article = ? and l.from_article != ?
        group by a.id order by a.published_at desc""", [article_id, article_id])
    return [{"title": r["title"], "url": link(r["id"]), "date": r["date"], "kinds": r["kinds"]}
            for r in rows]


async def _series(datasette, db, database: str, row: dict, tables: set, link) -> dict | None:
    name = row.get("series")
    has_tables = {"series", "series_articles"} <= tables
    if not name and has_tables:
        found = await _rows(db, "select s.name from series_articles sa join series s "
                                "on s.id = sa.series where sa.article_id = ? limit 1", [row["id"]])
        name = found[0]["name"] if found else None
    if not name:
        return None
    columns = await db.table_columns("articles")
    members_sql = series_members_sql(has_tables, "series_order" in columns)
    members = await _rows(db, f"""
        with members as ({members_sql})
        select a.id, a.title, substr(a.published_at, 1, 10) as date, m.position
        from members m join articles a on a.id = m.article_id
        {SERIES_ORDER}""", {"series": name})
    ids = [m["id"] for m in members]
    at = ids.index(row["id"]) if row["id"] in ids else None

    def item(i):
        if at is None or not 0 <= i < len(members):
            return None
        m = members[i]
        return {"title": m["title"], "date": m["date"], "url": link(m["id"])}

    return {
        "name": name, "url": series_url(datasette, database, name), "count": len(members),
        "number": at + 1 if at is not None else None,
        "previous": item(at - 1) if at is not None else None,
        "next": item(at + 1) if at is not None else None,
    }


async def _reprints(db, row: dict, link) -> dict:
    columns = set(row)
    if "reprint_of" not in columns:
        return {}
    original = None
    if row.get("reprint_of"):
        found = await _rows(db, "select id, title, source from articles where id = ?",
                            [row["reprint_of"]])
        original = {**found[0], "url": link(found[0]["id"])} if found else None
    copies = await _rows(db, "select id, title, source, substr(published_at, 1, 10) as date "
                             "from articles where reprint_of = ? and id != ?",
                         [row["id"], row["id"]])
    return {"original": original, "copies": [{**c, "url": link(c["id"])} for c in copies]}


async def _versions(db, article_id: str, tables: set) -> list[dict]:
    if "article_versions" not in tables:
        return []
    have = set(await db.table_columns("article_versions"))
    wanted = [c for c in ("version", "seen_from", "seen_until", "title", "fields_changed",
                          "replaced", "paragraphs_added", "paragraphs_removed") if c in have]
    if "article_id" not in have or not wanted:
        return []
    order = "version" if "version" in have else "rowid"
    rows = await _rows(db, f"select {', '.join(wanted)} from article_versions "
                           f"where article_id = ? order by {order}", [article_id])
    for r in rows:
        if "fields_changed" in r:
            r["fields_changed"] = [str(f) for f in json_list(r["fields_changed"])]
        # What changed in the text, to read: edited paragraphs as struck-out and inserted
        # characters (issue 21). A replaced page is other content, not an edit.
        removed = [str(p) for p in json_list(r.pop("paragraphs_removed", None))]
        added = [str(p) for p in json_list(r.pop("paragraphs_added", None))]
        r["changes"] = [] if r.get("replaced") else paragraph_changes(removed, added)
    return rows


async def _status_history(db, article_id: str, tables: set) -> list[dict]:
    if "article_status" not in tables:
        return []
    have = set(await db.table_columns("article_status"))
    wanted = [c for c in ("status", "since", "detail") if c in have]
    if "article_id" not in have or "status" not in have:
        return []
    order = "since" if "since" in have else "rowid"
    return await _rows(db, f"select {', '.join(wanted)} from article_status "
                           f"where article_id = ? order by {order}", [article_id])
