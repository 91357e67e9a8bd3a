"""`/-/concordance?q=…`: keyword in context — every hit of a search in the titles and texts of
the list's selection (search, dates, filters: archive/datasette/selection.py, read through
derived.py), with `width` characters either side, aligned on the hit, sorted by date, article,
left or right context, a page at a time, each line linking to the article with that hit
marked. `/-/concordance.csv` (BOM, formula-safe) and `.json` give every hit.

Articles are those the search selects (the list's query language: AND/OR/NOT, phrases, NEAR,
prefixes, added spellings); hits are what it matches in them (excerpts.query_pattern: Han runs
as substrings, other words whole), so for a plain Chinese word the count is the substring count
over title and text. Bounded: the page reads at most MAX_ARTICLES articles (newest first) and
keeps at most MAX_HITS hits, an export at most EXPORT_HITS, each batch read under the SQL time
limit in Datasette's SQL thread — the event loop never scans text. The page says when a cap
was reached.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit, tilde_encode
from datasette.utils.asgi import AsgiStream, BadRequest, Response

from archive.datasette.derived import (
    DerivedView,
    read_view,
    refusal,
    selection_record,
    understood,
)
from archive.datasette.excerpts import query_pattern
from archive.spreadsheet import spreadsheet_safe

PAGE_SIZE = 100
MAX_ARTICLES = 500  # articles a page sorted by context reads (newest first)
MAX_HITS = 20_000  # hits a page sorts
EXPORT_HITS = 100_000  # hits an export writes (as many as an articles export has rows)
BATCH = 200  # articles read at a time
DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH = 30, 5, 200
SORTS = {
    "date": "日期 date", "article": "文章 article", "left": "左侧语境 left context",
    "right": "右侧语境 right context",
}
_SPACES = re.compile(r"\s+")
FIELDS = ["article_id", "date", "title", "field", "offset", "left", "hit", "right", "url"]


@dataclass
class Hit:
    article_id: str
    date: str | None
    title: str
    field: str  # title | body
    offset: int
    left: str
    hit: str
    right: str
    mark: int  # the hit's number among the marks of its field (for the link)

    def record(self, url: str) -> dict:
        return {"article_id": self.article_id, "date": self.date, "title": self.title,
                "field": self.field, "offset": self.offset, "left": self.left,
                "hit": self.hit, "right": self.right, "url": url}


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


def hits_in(article_id: str, date: str | None, title: str, body: str, pattern: re.Pattern,
            width: int, limit: int) -> list[Hit]:
    """Every match of `pattern` in the title and then the body, at most `limit`."""
    out = []
    for field, text in (("title", title or ""), ("body", body or "")):
        for n, m in enumerate(pattern.finditer(text), 1):
            if len(out) >= limit:
                return out
            left = _flat(text[max(0, m.start() - width * 2):m.start()])[-width:]
            right = _flat(text[m.end():m.end() + width * 2])[:width]
            out.append(Hit(article_id, date, title or article_id, field, m.start(), left,
                           m.group(), right, n))
    return out


def sort_hits(hits: list[Hit], order: str) -> list[Hit]:
    if order == "left":  # by the characters nearest the hit first, as concordancers do
        return sorted(hits, key=lambda h: (h.left.rstrip()[::-1], h.hit, h.right.lstrip()))
    if order == "right":
        return sorted(hits, key=lambda h: (h.right.lstrip(), h.hit, h.left.rstrip()[::-1]))
    if order == "article":
        return sorted(hits, key=lambda h: (h.title, h.article_id, h.field != "title",
                                           h.offset))
    return hits  # read newest first, each article's hits in text order


OWN = ("sort", "width", "page")  # the view's own arguments; the rest is the selection


class _Request:
    """What a concordance request asks for, checked."""

    def __init__(self, view: DerivedView, request):
        self.view = view
        self.q = view.selection.search
        self.order = request.args.get("sort") or "date"
        if self.order not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        try:
            self.width = int(request.args.get("width") or DEFAULT_WIDTH)
            self.page = int(request.args.get("page") or 1)
        except ValueError:
            raise BadRequest("width and page must be whole numbers") from None
        if not MIN_WIDTH <= self.width <= MAX_WIDTH:
            raise BadRequest(f"width must be between {MIN_WIDTH} and {MAX_WIDTH}")
        if self.page < 1:
            raise BadRequest("page must be 1 or more")
        self.pattern = query_pattern(self.q) if self.q else None
        # Hits in date order are in reading order: a page needs the hits up to its end only.
        self.enough = self.page * PAGE_SIZE if self.order == "date" else None
        clauses, self.params = view.selection.where("a")
        self.where = " and ".join(clauses) or "1"


def article_url(datasette, database: str, article_id: str, query: str | None = None,
                mark: int | None = None) -> str:
    """The article page, with the query marked and, when known, the n-th mark in view."""
    url = datasette.urls.row(database, "articles", tilde_encode(str(article_id)))
    if query:
        url += "?" + urlencode({"q": query})
        if mark:
            url += "#xt-first-mark" if mark == 1 else f"#xt-mark-{mark}"
    return url


async def _collect(datasette, db, where: str, params: dict, ask: _Request, max_articles: int,
                   max_hits: int) -> tuple[list[Hit], int, str | None]:
    """(hits, articles read, what stopped the reading before the end: "cap" or "page"), in
    Datasette's SQL thread.
    Sorted by date, a page needs only the hits up to its end: reading stops there."""
    limit_ms = datasette.setting("sql_time_limit_ms")
    # One statement read in batches: paging by OFFSET would match and sort the selection again
    # for every batch. One row past the cap tells whether the cap stopped the reading.
    sql = (f"select a.id, a.published_at, a.title, a.body from articles a where {where} "
           f"order by a.published_at desc, a.id limit {max_articles + 1}")

    def work(conn):
        hits, read = [], 0
        with sqlite_timelimit(conn, limit_ms):  # the time limit holds for each batch read
            cursor = conn.execute(sql, params)
            rows = cursor.fetchmany(BATCH)
        while rows:
            for row in rows:
                if read == max_articles:
                    return hits, read, "cap"
                if ask.enough and len(hits) >= ask.enough:
                    return hits, read, "page"  # the page has its hits; more are left
                hits += hits_in(row[0], row[1], row[2], row[3], ask.pattern, ask.width,
                                max_hits - len(hits))
                read += 1
                if len(hits) >= max_hits:
                    return hits, read, "cap"
            with sqlite_timelimit(conn, limit_ms):
                rows = cursor.fetchmany(BATCH)
        return hits, read, None

    return await db.execute_fn(work)


async def _matching(db, where: str, params: dict) -> int | None:
    try:
        return (await db.execute(f"select count(*) from articles a where {where}",
                                 params)).single_value()
    except QueryInterrupted:
        return None


async def _checked(datasette, request) -> _Request:
    return _Request(await read_view(datasette, request, OWN), request)


async def concordance(datasette, request):
    ask = await _checked(datasette, request)
    view, db = ask.view, ask.view.db
    keep = [("width", str(ask.width)), ("sort", ask.order)]
    context = {"q": ask.q, "sort": ask.order, "sorts": SORTS, "width": ask.width,
               "database": view.database, "page": ask.page, "page_size": PAGE_SIZE,
               "limits": {"articles": MAX_ARTICLES, "hits": MAX_HITS, "export": EXPORT_HITS},
               "selection": view.selection, "typed_from": view.typed("_from"),
               "typed_to": view.typed("_to"), "active": view.chips(datasette, "/-/concordance",
                                                                 keep),
               "refused": view.refused, "hidden_pairs": [*view.selection.filter_pairs(),
                                                         *view.db_pair],
               **understood(ask.q),
               "lines": [], "count": 0, "articles_read": 0, "capped": False, "error": None,
               "matching": None, "sql": None}
    if ask.q:
        context["sql"] = (f"select a.id, a.published_at, a.title, a.body from articles a\n"
                          f"where {ask.where}\norder by a.published_at desc, a.id\n"
                          f"limit {MAX_ARTICLES}  -- then every hit found in title and body")
        try:
            hits, read, capped = await _collect(datasette, db, ask.where, ask.params, ask,
                                                MAX_ARTICLES, MAX_HITS)
        except Exception as e:  # the time limit (QueryInterrupted) or a bad selection
            hits, read, capped = [], 0, None
            context["error"] = f"读取超时或出错 · could not read the selection ({e}); narrow it"
        context["matching"] = await _matching(db, ask.where, ask.params)
        hits = sort_hits(hits, ask.order)
        shown = hits[(ask.page - 1) * PAGE_SIZE: ask.page * PAGE_SIZE]
        context.update(
            count=len(hits), articles_read=read, capped=capped == "cap",
            partial=capped == "page",
            lines=[{"hit": h, "url": article_url(datasette, view.database, h.article_id, ask.q,
                                                 h.mark if h.field == "body" else None)}
                   for h in shown],
            pages=max(1, -(-len(hits) // PAGE_SIZE)))
    context.update(
        sort_urls={key: view.link(datasette, "/-/concordance",
                                  [("width", str(ask.width)), ("sort", key)]) for key in SORTS},
        page_url=lambda n: view.link(datasette, "/-/concordance",
                                     [*keep, ("page", str(n))]),
        export={fmt: view.link(datasette, f"/-/concordance.{fmt}", keep)
                for fmt in ("csv", "json")},
        list_url=view.list_link(datasette),
        terms_url=view.link(datasette, "/-/terms"),
        timeline_url=view.link(datasette, "/-/timeline"),
    )
    return Response.html(await datasette.render_template(
        "xietong_concordance.html", context, request=request))


async def concordance_export(datasette, request):
    ask = await _checked(datasette, request)
    fmt = request.url_vars["format"]
    refused = refusal(ask.view.selection)
    if refused:
        return refused
    if not ask.q:
        raise BadRequest("q is required: the search whose hits to export")
    ask.enough = None  # an export writes every hit
    try:
        hits, read, capped = await _collect(datasette, ask.view.db, ask.where, ask.params, ask,
                                            EXPORT_HITS, EXPORT_HITS)
    except QueryInterrupted:
        return Response.text("the selection took too long; narrow it down", status=503)
    hits = sort_hits(hits, ask.order)

    def url(hit: Hit) -> str:
        return datasette.absolute_url(request, article_url(
            datasette, ask.view.database, hit.article_id, ask.q,
            hit.mark if hit.field == "body" else None))

    async def stream(writer):
        if fmt == "csv":
            await writer.write("\ufeff")
            for start in range(0, max(1, len(hits)), 1000):
                buffer = io.StringIO()
                out = csv.DictWriter(buffer, fieldnames=FIELDS)
                if start == 0:
                    out.writeheader()
                for hit in hits[start:start + 1000]:
                    out.writerow({k: spreadsheet_safe(v) for k, v in hit.record(url(hit)).items()})
                await writer.write(buffer.getvalue())
        else:
            await writer.write('{"query": ' + json.dumps(ask.q, ensure_ascii=False)
                               + ', "selection": ' + json.dumps(
                                   selection_record(ask.view.selection), ensure_ascii=False)
                               + f', "hits": {len(hits)}, "articles_read": {read}, '
                               f'"capped": {json.dumps(capped == "cap")}, "lines": [\n')
            for start in range(0, len(hits), 1000):
                await writer.write("".join(
                    ("" if start + i == 0 else ",\n")
                    + json.dumps(h.record(url(h)), ensure_ascii=False)
                    for i, h in enumerate(hits[start:start + 1000])))
            await writer.write("\n]}\n")

    filename = f"xietong-concordance-{ask.q}.{fmt}"
    headers = {"content-disposition": f"attachment; filename=\"xietong-concordance.{fmt}\"; "
                                      f"filename*=UTF-8''{quote(filename)}",
               "x-xietong-hits": str(len(hits))}
    return AsgiStream(stream, headers=headers, content_type=(
        "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"))
