"""Text reuse, served (archive/reuse.py fills the `reuse` table): the article page's "similar
articles" with their overlap and the shared passages side by side, the comparison page of any
pair (`/<db>/-/reuse/<a>/<b>`), and the story page (`/<db>/-/story/<id>`): every article joined
to this one by shared text, across channels and outlets, in the order they were printed.

Read-only. Bounded: a page lists at most MAX_SIMILAR pairs, aligns passages for PASSAGES_SHOWN
of them (off the event loop), and a story gathers at most MAX_STORY articles.
"""

from __future__ import annotations

import asyncio

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Response

from archive.datasette.sanitize import safe_url
from archive.datasette.urls import article_url
from archive.reuse import aligned_passages

MAX_SIMILAR = 20
PASSAGES_SHOWN = 3
MAX_STORY = 200
PAIR_COLUMNS = ("source_id, target_id, kind, overlap, source_share, target_share, "
                "shared_shingles, days_apart")


async def _has_reuse(db) -> bool:
    return await db.table_exists("reuse")


def compare_url(datasette, database: str, a: str, b: str) -> str:
    return datasette.urls.database(database) + f"/-/reuse/{tilde_encode(a)}/{tilde_encode(b)}"


def story_url(datasette, database: str, article_id: str) -> str:
    return datasette.urls.database(database) + f"/-/story/{tilde_encode(article_id)}"


async def _articles(db, ids: list[str], columns: str) -> dict[str, dict]:
    if not ids:
        return {}
    result = await db.execute(f"select id, {columns} from articles where id in "
                              f"({', '.join('?' * len(ids))})", ids)
    return {r["id"]: dict(r) for r in result.rows}


def _share(value) -> str:
    return f"{round((value or 0) * 100)}%"


async def similar_context(datasette, database: str, row: dict) -> dict:
    """The article page's "similar articles": pairs with this article, most shared first."""
    db = datasette.get_database(database)
    if not await _has_reuse(db):
        return {}
    me = row["id"]
    result = await db.execute(
        f"select {PAIR_COLUMNS} from reuse where source_id = ? or target_id = ? "
        f"order by overlap desc, source_id, target_id limit {MAX_SIMILAR}", [me, me])
    pairs = [dict(r) for r in result.rows]
    if not pairs:
        return {}
    others = [p["target_id"] if p["source_id"] == me else p["source_id"] for p in pairs]
    found = await _articles(db, [me, *others], "title, substr(published_at, 1, 10) as date, "
                                               "channel, source, body")
    entries = []
    for pair, other_id in zip(pairs, others, strict=True):
        other = found.get(other_id)
        if other is None:
            continue
        earlier = pair["source_id"] == me
        entries.append({
            "id": other_id, "title": other["title"], "date": other["date"],
            "channel": other["channel"], "outlet": other["source"], "kind": pair["kind"],
            "url": article_url(datasette, database, other_id),
            "compare": compare_url(datasette, database, me, other_id),
            "overlap": _share(pair["overlap"]),
            # this article's text found in the other, and the other's found in this one
            "mine_there": _share(pair["source_share"] if earlier else pair["target_share"]),
            "theirs_here": _share(pair["target_share"] if earlier else pair["source_share"]),
            "printed": "later" if earlier else "earlier",
            "days_apart": pair["days_apart"],
            "body": other["body"],
        })
    body = found.get(me, {}).get("body")
    for entry in entries[:PASSAGES_SHOWN]:
        entry["passages"] = await asyncio.to_thread(aligned_passages, body, entry["body"])
        entry["shared_paragraphs"] = sum(1 for r in entry["passages"] if r["a"] and r["b"])
    for entry in entries:
        entry.pop("body")
    return {"entries": entries, "story": story_url(datasette, database, me)}


async def compare(request, datasette):
    """`/<db>/-/reuse/<a>/<b>`: two articles' shared passages side by side."""
    database = request.url_vars["database"]
    if database not in datasette.databases or database == "_internal":
        return Response.text("no such database", status=404)
    db = datasette.get_database(database)
    if not await db.table_exists("articles"):
        return Response.text("this database has no articles table", status=404)
    a, b = tilde_decode(request.url_vars["a"]), tilde_decode(request.url_vars["b"])
    found = await _articles(db, [a, b], "title, url, substr(published_at, 1, 10) as date, "
                                        "channel, source, body")
    if a not in found or b not in found:
        return Response.text("no such article", status=404)
    pair = None
    if await _has_reuse(db):
        rows = (await db.execute(
            f"select {PAIR_COLUMNS} from reuse where (source_id = ? and target_id = ?) or "
            "(source_id = ? and target_id = ?)", [a, b, b, a])).rows
        pair = dict(rows[0]) if rows else None
    passages = await asyncio.to_thread(aligned_passages, found[a]["body"], found[b]["body"])

    def side(article_id):
        article = found[article_id]
        return {**{k: article[k] for k in ("title", "date", "channel", "source")},
                "url": article_url(datasette, database, article_id),
                "original": safe_url(article["url"])}

    context = {
        "database": database, "a": side(a), "b": side(b), "pair": pair,
        "overlap": _share(pair["overlap"]) if pair else None,
        "passages": passages,
        "shared": sum(1 for r in passages if r["a"] and r["b"]),
        "first_title": found[pair["source_id"]]["title"] if pair else None,
    }
    html = await datasette.render_template("xietong_reuse_pair.html", context, request=request)
    return Response.html(html)


async def story_members(db, article_id: str) -> list[str]:
    """The articles joined to `article_id` by shared text, directly or through others (at most
    MAX_STORY, nearest first)."""
    seen, frontier = [article_id], [article_id]
    while frontier and len(seen) < MAX_STORY:
        marks = ", ".join("?" * len(frontier))
        rows = (await db.execute(
            f"select source_id, target_id from reuse where source_id in ({marks}) "
            f"or target_id in ({marks}) limit {MAX_STORY * 4}", [*frontier, *frontier])).rows
        found = []
        for source, target in rows:
            for other in (source, target):
                if other not in seen and other not in found:
                    found.append(other)
        frontier = found[:MAX_STORY - len(seen)]
        seen += frontier
    return seen


async def story(request, datasette):
    """`/<db>/-/story/<id>`: every version of a story, in the order they were printed."""
    database = request.url_vars["database"]
    if database not in datasette.databases or database == "_internal":
        return Response.text("no such database", status=404)
    db = datasette.get_database(database)
    article_id = tilde_decode(request.url_vars["article_id"])
    if not await db.table_exists("articles"):
        return Response.text("this database has no articles table", status=404)
    members = await story_members(db, article_id) if await _has_reuse(db) else [article_id]
    found = await _articles(db, members, "title, published_at, channel, source, site")
    if article_id not in found:
        return Response.text("no such article", status=404)
    pairs = {}
    if len(members) > 1:
        marks = ", ".join("?" * len(members))
        for r in (await db.execute(
                f"select {PAIR_COLUMNS} from reuse where source_id in ({marks}) and "
                f"target_id in ({marks})", [*members, *members])).rows:
            pairs.setdefault(r["target_id"], []).append(dict(r))
    ordered = sorted(found.values(), key=lambda r: (r["published_at"] or "9999", r["id"]))
    entries = []
    for article in ordered:
        took = sorted(pairs.get(article["id"], []), key=lambda p: -p["overlap"])
        entries.append({
            **article, "date": (article["published_at"] or "")[:16].replace("T", " "),
            "url": article_url(datasette, database, article["id"]),
            "this": article["id"] == article_id,
            "took_from": [{"title": found[p["source_id"]]["title"], "kind": p["kind"],
                           "share": _share(p["target_share"]),
                           "url": article_url(datasette, database, p["source_id"]),
                           "compare": compare_url(datasette, database, p["source_id"],
                                                  article["id"])}
                          for p in took if p["source_id"] in found],
        })
    channels = sorted({e["channel"] for e in entries if e["channel"]})
    outlets = sorted({e["source"] for e in entries if e["source"]})
    context = {"database": database, "article": found[article_id], "entries": entries,
               "channels": channels, "outlets": outlets, "capped": len(members) >= MAX_STORY,
               "article_url": article_url(datasette, database, article_id)}
    html = await datasette.render_template("xietong_story.html", context, request=request)
    return Response.html(html)


ROUTES = [
    (r"^/(?P<database>[^/]+)/-/reuse/(?P<a>[^/]+)/(?P<b>[^/]+)$", compare),
    (r"^/(?P<database>[^/]+)/-/story/(?P<article_id>[^/]+)$", story),
]
