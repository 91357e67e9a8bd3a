"""`/-/terms?q=…`: the words that mark a selection (the list's whole selection — search, dates,
filters: archive/datasette/selection.py, read through derived.py) against the whole archive —
log-likelihood keyness with the counts on both sides — and the collocates of a term within a
window (counts, log-Dice, MI), stop words configurable; `/-/terms.csv` (BOM,
formula-safe) and `.json` export both tables.

Words come from `article_terms` (archive/segment.py, stored once per article version) and the
archive's counts from `term_counts`; nothing is segmented here. Bounded: at most SAMPLE articles
of a selection are read (a fixed pseudo-random spread over the whole selection, not the
newest), in Datasette's SQL thread under the SQL time limit; the page says how many of how many.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from urllib.parse import quote

from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import BadRequest, Response

from archive.article_entities import TOTAL
from archive.datasette.derived import (
    DerivedView,
    read_view,
    refusal,
    selection_record,
    understood,
)
from archive.keyness import collocates, default_stopwords, keyness, wanted
from archive.search import understood_query
from archive.spreadsheet import spreadsheet_safe

SAMPLE = 500  # articles read per table
ROWS = 100  # terms listed
MAX_WINDOW = 10
_SPREAD = "(a.rowid * 2654435761) % 4294967296"  # Knuth's multiplicative hash: a fixed spread
_STOP_SEP = re.compile(r"[\s,，、;；]+")
KEY_FIELDS = ["term", "selection", "articles", "archive", "archive_articles", "g2", "log_ratio"]
COLLOCATE_FIELDS = ["term", "together", "frequency", "log_dice", "mi"]


OWN = ("term", "window", "min", "stop", "stopwords", "numbers", "table")  # not the selection


class _Ask:
    def __init__(self, view: DerivedView, request):
        args = request.args
        self.view = view
        self.q = view.selection.search
        query = understood_query(self.q) if self.q else None
        first = query.terms[0].typed if query and query.terms else ""
        self.term = (args.get("term") or first).strip()
        # The node as the search reads it: hospital is 医院 too, Tongzhou 通州 and 城市副中心.
        found = understood_query(self.term).terms if self.term else []
        self.node = found[0].spellings if found else ([self.term] if self.term else [])
        try:
            self.window = int(args.get("window") or 5)
            self.min = int(args.get("min") or 3)
        except ValueError:
            raise BadRequest("window and min must be whole numbers") from None
        if not 1 <= self.window <= MAX_WINDOW:
            raise BadRequest(f"window must be between 1 and {MAX_WINDOW}")
        if not 1 <= self.min <= 1000:
            raise BadRequest("min must be between 1 and 1000")
        self.extra_stop = [w.lower() for w in _STOP_SEP.split(args.get("stop") or "") if w]
        self.use_default_stop = args.get("stopwords", "1") != "0"
        self.numbers = args.get("numbers") == "1"
        self.stop = frozenset(self.extra_stop) | (default_stopwords() if self.use_default_stop
                                                  else frozenset())


async def _analysis(datasette, ask: _Ask) -> dict:
    db = ask.view.db
    clauses, params = ask.view.selection.where("a")
    where = " and ".join(clauses) or "1"
    selecting = bool(clauses)
    node_clauses, node_params = ask.view.selection.where(
        "a", searches=[*ask.view.selection.searches, ask.term]) if ask.term else ([], {})
    limit_ms = datasette.setting("sql_time_limit_ms")
    # The spread is chosen on keys alone and only its SAMPLE articles' words are read: ordering
    # the joined rows would read the words of every matching article first (2-3x slower).
    sample_sql = (f"with chosen as materialized (select a.id, {_SPREAD} as spread from articles a"
                  f"\n  where {{where}} order by spread limit {SAMPLE})\n"
                  "select t.terms from chosen c join article_terms t on t.article_id = c.id "
                  "order by c.spread")

    def work(conn):
        with sqlite_timelimit(conn, limit_ms):
            matching = conn.execute(f"select count(*) from articles a where {where}",
                                    params).fetchone()[0]
            # Articles without words (an archive from before them): counted over the whole
            # archive, a primary-key count, not over the selection.
            without = conn.execute("select (select count(*) from articles) - "
                                   "(select count(*) from article_terms)").fetchone()[0]
            total = conn.execute("select articles, occurrences from term_counts where term = ?",
                                 [TOTAL]).fetchone() or (0, 0)
            texts = [r[0] for r in conn.execute(sample_sql.format(where=where), params)]
        counts, articles = Counter(), Counter()
        for text in texts:
            words = text.split()  # Counter counts an iterable in C, a mapping in Python
            counts.update(words)
            articles.update(set(words))
        tokens = sum(counts.values())
        candidates = [t for t, n in counts.items() if n >= ask.min and wanted(t, ask.stop,
                                                                                ask.numbers)]
        with sqlite_timelimit(conn, limit_ms):
            reference = {r[0]: (r[1], r[2]) for r in conn.execute(
                "select term, articles, occurrences from term_counts where term in "
                "(select value from json_each(?))", [json.dumps(candidates, ensure_ascii=False)])}
        if selecting:
            keys = keyness(Counter({t: counts[t] for t in candidates}), articles, tokens,
                           reference, total[1], ask.min, ROWS)
        else:  # the whole archive: no reference to stand out from; its commonest words
            keys = []
            with sqlite_timelimit(conn, limit_ms):
                frequent = conn.execute(
                    "select term, articles, occurrences from term_counts where term != ? "
                    "order by occurrences desc limit ?", [TOTAL, ROWS * 3]).fetchall()
            frequent = [r for r in frequent if wanted(r[0], ask.stop, ask.numbers)][:ROWS]
        node_texts, node_read = texts, len(texts)
        if ask.term and ask.term != ask.q:
            with sqlite_timelimit(conn, limit_ms):
                node_texts = [r[0] for r in conn.execute(
                    sample_sql.format(where=" and ".join(node_clauses)), node_params)]
            node_read = len(node_texts)
        found = collocates(node_texts, ask.node, ask.window, ask.stop, ask.numbers,
                           max(2, ask.min - 1), ROWS,
                           counts if node_texts is texts else None
                           ) if ask.term else ([], 0, 0, Counter())
        return {
            "matching": matching, "without_words": without, "read": len(texts),
            "tokens": tokens, "archive_articles": total[0], "archive_tokens": total[1],
            "keys": keys, "frequent": [] if selecting else frequent,
            "collocates": found[0], "node_count": found[1], "node_tokens": found[2],
            "node_forms": found[3].most_common(8), "node_read": node_read,
            "sql": sample_sql.format(where=where),
        }

    return await db.execute_fn(work)


async def _checked(datasette, request) -> _Ask:
    view = await read_view(datasette, request, OWN, needs=("article_terms", "term_counts"),
                           missing="this archive has no words yet: run `xietong reparse` on it")
    return _Ask(view, request)


async def terms(datasette, request):
    ask = await _checked(datasette, request)
    view = ask.view
    result = await _analysis(datasette, ask)
    settings = [("term", ask.term), ("window", str(ask.window)), ("min", str(ask.min)),
                ("stop", " ".join(ask.extra_stop)),
                ("stopwords", "" if ask.use_default_stop else "0"),
                ("numbers", "1" if ask.numbers else "")]
    settings = [(k, v) for k, v in settings if v]
    context = {
        **result, "q": ask.q, "term": ask.term, "window": ask.window, "min": ask.min,
        "stop": " ".join(ask.extra_stop), "use_default_stop": ask.use_default_stop,
        "numbers": ask.numbers, "database": view.database, "sample": SAMPLE,
        "max_window": MAX_WINDOW, "selection": view.selection,
        "typed_from": view.typed("_from"), "typed_to": view.typed("_to"),
        "active": view.chips(datasette, "/-/terms", settings), "refused": view.refused,
        "hidden_pairs": [*view.selection.filter_pairs(), *view.db_pair],
        **understood(ask.q),
        "default_stop": " ".join(sorted(default_stopwords())),
        "export": {fmt: view.link(datasette, f"/-/terms.{fmt}", settings)
                   for fmt in ("csv", "json")},
        "export_collocates": view.link(datasette, "/-/terms.csv",
                                       [*settings, ("table", "collocates")]),
        # two links on each of 200 rows: the selection is written once, the word added
        "collocate_url": _with(view.link(datasette, "/-/terms",
                                         [p for p in settings if p[0] != "term"]), "term"),
        # a word of the tables in context: that word as written (quoted: no other spellings),
        # in the same dates and filters
        "concordance_url": _with(view.selection.link(
            datasette.urls.path("/-/concordance"), searches=False, extra=view.db_pair), "q",
            '"{}"'),
        "list_url": view.list_link(datasette),
        "concordance_link": view.link(datasette, "/-/concordance"),
        "timeline_url": view.link(datasette, "/-/timeline"),
    }
    return Response.html(await datasette.render_template(
        "xietong_terms.html", context, request=request))


def _with(url: str, key: str, form: str = "{}"):
    """A link maker: `url` and `key=` a word (written as `form` says)."""
    joiner = "&" if "?" in url else "?"
    return lambda word: f"{url}{joiner}{key}={quote(form.format(word), safe='')}"


def _rows(result: dict, table: str) -> tuple[list[str], list[dict]]:
    if table == "collocates":
        return COLLOCATE_FIELDS, [
            {"term": c.term, "together": c.together, "frequency": c.frequency,
             "log_dice": round(c.log_dice, 3), "mi": round(c.mi, 3)} for c in result["collocates"]]
    if result["frequent"]:
        return ["term", "archive_articles", "archive"], [
            {"term": t, "archive_articles": a, "archive": n} for t, a, n in result["frequent"]]
    return KEY_FIELDS, [{"term": k.term, "selection": k.selection, "articles": k.articles,
                         "archive": k.archive, "archive_articles": k.archive_articles,
                         "g2": round(k.g2, 3), "log_ratio": round(k.log_ratio, 3)}
                        for k in result["keys"]]


async def terms_export(datasette, request):
    ask = await _checked(datasette, request)
    fmt = request.url_vars["format"]
    refused = refusal(ask.view.selection)
    if refused:
        return refused
    result = await _analysis(datasette, ask)
    if fmt == "json":
        fields_k, keys = _rows(result, "keyness")
        _, found = _rows(result, "collocates")
        body = json.dumps({
            "query": ask.q, "term": ask.term, "window": ask.window,
            "selection": {**selection_record(ask.view.selection),
                          "matching": result["matching"], "read": result["read"],
                          "tokens": result["tokens"]},
            "archive": {"articles": result["archive_articles"],
                        "tokens": result["archive_tokens"]},
            "keyness": keys, "collocates": found}, ensure_ascii=False, indent=1)
        return Response(body, content_type="application/json; charset=utf-8", headers={
            "content-disposition": 'attachment; filename="xietong-terms.json"'})
    table = "collocates" if request.args.get("table") == "collocates" else "keyness"
    fields, rows = _rows(result, table)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    name = f"xietong-{table}-{ask.q or 'archive'}.csv"
    return Response("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f"attachment; filename=\"xietong-{table}"
                                                    f".csv\"; filename*=UTF-8''{quote(name)}"})
