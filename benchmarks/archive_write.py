"""Archive benchmark: articles written per second into a fresh archive — save_article (row,
links, search index, version, places, reprint check) in batches of 50 inside db.atomic(), with
resolve_links after each batch as the crawl's writer does — and archive bytes per article.
"""

from __future__ import annotations

import copy
import random
import tempfile
import time
from pathlib import Path

from archive import store
from archive.enrich import enrich_record
from archive.schema import open_archive
from benchmarks.common import Table, say
from benchmarks.sitegen import build_big_site
from peoplecn.pages import parse_article

BATCH = 50


def records(n: int) -> list[dict]:
    """n distinct records: 400 real reads of generated pages, cloned under new ids with their
    paragraphs shuffled (so no two are reprints of each other)."""
    site = build_big_site(400, seed=5)
    base = []
    for url, spec in site.articles.items():
        if spec.get("pages"):
            continue
        res = site.resources[url]
        base.append(enrich_record(parse_article(url, res.body,
                                                res.headers["Content-Type"]).to_dict()))
    rng = random.Random(1)
    out = []
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        new_id = str(50_000_000 + i)
        rec["url"] = rec["url"].replace(rec["content_id"], new_id)
        rec["id"] = rec["id"].replace(rec["content_id"], new_id)
        rec["content_id"] = new_id
        rng.shuffle(rec["paragraphs"])
        rec["title"] = f"{rec['title']}（{i}）"  # headlines differ, as they do on the site
        out.append(rec)
    return out


def write_rate(recs: list[dict], db_path: Path) -> float:
    db = open_archive(db_path)
    started = time.perf_counter()
    for i in range(0, len(recs), BATCH):
        with db.atomic():
            for rec in recs[i:i + BATCH]:
                store.save_article(db, rec, "2025-01-01T00:00:00+00:00")
            store.resolve_links(db)
    seconds = time.perf_counter() - started
    db.close()
    return len(recs) / seconds


def run(quick: bool, crawl_numbers: dict | None = None) -> list[Table]:
    sizes = (500, 2000) if quick else (2000, 20000)
    table = Table("Archive: articles written per second (with the search index)",
                  ["articles in the batch run", "articles/s", "ms/article"])
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            say(f"archive: writing {n} articles")
            recs = records(n)
            rate = write_rate(recs, Path(tmp) / f"a{n}.db")
            table.rows.append([n, rate, 1000 / rate])
    table.notes.append(f"save_article in batches of {BATCH} inside db.atomic() and "
                       "resolve_links after each batch, into a fresh archive file (WAL, "
                       "synchronous=NORMAL); the rate is over the whole run, so it includes "
                       "the table growing.")
    if not crawl_numbers:
        return [table]
    size = Table("Archive: bytes per article (the big crawl's archive)",
                 ["articles", "SQLite file", "WARC files", "bytes/article (db + WARC)"])
    n = crawl_numbers["articles"]
    db_bytes, warc = crawl_numbers["db_bytes"], crawl_numbers["warc_bytes"]
    size.rows.append([n, f"{db_bytes / 2**20:.0f} MB", f"{warc / 2**20:.0f} MB",
                      f"{(db_bytes + warc) / n / 1024:.1f} KB"])
    size.notes.append("After the big crawl: articles, links, versions, captures, url_state, "
                      "search index (SQLite, after a checkpoint) and every response gzipped "
                      "in WARC (pages, robots.txt, 404s).")
    return [table, size]
