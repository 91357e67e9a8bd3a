"""Research views benchmark (issue 19): p50/p95 of the concordance, the terms (keyness and
collocates), the co-occurrence table, the per-month counts of an entity, and the articles list
with the people / organisations / documents facets — each beside the plain list page (the same
search without those three facets) in the same run, through Datasette's in-process client.

The archive is the search benchmark's (benchmarks/search.py, cached), copied and given what
enrichment would have stored: the words of every article (archive/segment.py, the real
segmenter) with their running counts, and entity lists drawn from name pools (extracting them
from generated text would measure the generator; archive/entities.py's own speed is measured on
real pages in benchmarks/extraction.py's notes and docs/extraction.md).
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import time
from pathlib import Path
from urllib.parse import quote

from archive.article_entities import rebuild_term_counts
from archive.schema import open_archive
from archive.segment import segmenter_key, terms_text
from benchmarks import search
from benchmarks.common import CACHE, Table, goal, say
from benchmarks.sitegen import _name as person

VERSION = 1  # bump when what is added changes: it keys the cached archives
ORGANISATIONS = ["北京市发展改革委", "河北省人民政府", "天津市交通运输委员会", "雄安新区管委会",
                 "中国雄安集团", "首都医科大学宣武医院", "北京市教委", "河北省人社厅",
                 "天津港集团", "京津冀协同发展领导小组办公室", "国家发展改革委", "北京大学",
                 "河北工业大学", "中关村管委会", "北京市科委", "国务院"]
DOCUMENTS = ["京津冀协同发展规划纲要", "河北雄安新区规划纲要", "北京城市总体规划（2016年—2035年）",
             "京津冀协同发展交通一体化规划", "京津冀产业转移指南"]
QUERIES = ["雄安", "港口", "协同发展"]
BATCH = 2000
ENTITY_FACETS = ("people", "organisations", "documents")


def build(n: int) -> Path:
    """The search benchmark's n-article archive with words, their counts and entities."""
    path = CACHE / f"research-v{VERSION}-s{search.TEXT_VERSION}-{n}.db"
    if path.exists():
        return path
    base = search.build(n)
    partial = path.with_suffix(".partial")
    shutil.copy(base, partial)
    db = open_archive(partial)  # adds the issue-19 tables and columns
    db.execute("PRAGMA journal_mode = OFF")
    rng = random.Random(n)
    key = segmenter_key()
    started = time.perf_counter()
    last = db.execute("select max(rowid) from articles").fetchone()[0] or 0
    for start in range(0, last, BATCH):
        rows = db.execute("select id, title, body from articles where rowid > ? and rowid <= ?",
                          [start, start + BATCH]).fetchall()
        words, entities, lists = [], [], []
        for article_id, title, body in rows:
            words.append((article_id, key, terms_text(title, body)))
            named = {"people": [person(rng) for _ in range(rng.randint(0, 4))],
                     "organisations": rng.sample(ORGANISATIONS, rng.randint(0, 3)),
                     "documents": rng.sample(DOCUMENTS, 1) if rng.random() < 0.15 else []}
            for kind, names in named.items():
                for name in dict.fromkeys(names):
                    entities.append((article_id, kind, name, '["named"]', "body", 0, name, 1))
            lists.append((*(json.dumps(list(dict.fromkeys(named[k])), ensure_ascii=False)
                            for k in ENTITY_FACETS), article_id))
        with db.atomic():
            db.conn.executemany("insert into article_terms values (?, ?, ?)", words)
            db.conn.executemany("insert or ignore into article_entities (article_id, kind, name,"
                                " roles, field, offset, evidence, mentions) values "
                                "(?, ?, ?, ?, ?, ?, ?, ?)", entities)
            db.conn.executemany("update articles set people = ?, organisations = ?, "
                                "documents = ? where id = ?", lists)
        if start and start % 20_000 == 0:
            say(f"research: words and entities {start:,}/{n:,} "
                f"({time.perf_counter() - started:.0f} s)")
    rebuild_term_counts(db)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    partial.rename(path)
    return path


def _plain_datasette(path: Path):
    """The same archive served with the list's facets as before issue 19 (no entity facets)."""
    from datasette.app import Datasette

    from archive.serve import SETTINGS, STATIC, TEMPLATES, metadata_for

    meta = metadata_for(path)
    table = meta["databases"][path.stem]["tables"]["articles"]
    table["facets"] = [{"one_pass": [f for f in table["facets"][0]["one_pass"]
                                     if not (isinstance(f, dict) and
                                             next(iter(f.values())) in ENTITY_FACETS)]}]
    return Datasette([str(path)], metadata=meta, settings=SETTINGS,
                     template_dir=str(TEMPLATES), static_mounts=[("xietong-static", str(STATIC))])


def _paths(db: str, q: str, entity: str) -> dict[str, str]:
    q, entity = quote(q), quote(entity)
    return {
        "plain list page": f"/{db}/articles?_search={q}",
        "list page + entity facets": f"/{db}/articles?_search={q}",
        "list, one organisation": f"/{db}/articles?_search={q}&organisations__arraycontains="
                                  f"{entity}",
        "concordance": f"/-/concordance?q={q}",
        "concordance, left sort": f"/-/concordance?q={q}&sort=left",
        "terms": f"/-/terms?q={q}",
        "co-occurrence": f"/-/cooccurrence?q={q}",
        "timeline by entity": f"/-/timeline?entity={entity}",
    }


async def _times(path: Path, q: str, repeats: int
                 ) -> tuple[dict[str, list[float]], dict[str, list[float]], dict]:
    """Per view: wall times, CPU times of the whole process (Datasette's SQL threads included:
    time.process_time) and how many answers failed."""
    from archive.serve import make_datasette

    ours, plain = make_datasette(path), _plain_datasette(path)
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    for name, url in _paths(path.stem, q, ORGANISATIONS[0]).items():
        ds = plain if name == "plain list page" else ours
        wall[name], cpu[name], failed[name] = [], [], 0
        for i in range(repeats + 2):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = await ds.client.get(url)
            elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
            if i < 2:
                continue  # warm-ups
            wall[name].append(elapsed)
            cpu[name].append(cpu_used)
            if response.status_code != 200 or "facets-timed-out" in response.text:
                failed[name] += 1
    return wall, cpu, failed


def run(quick: bool, only: list[int] | None = None) -> list[Table]:
    sizes = only or ([10_000] if quick else [100_000])
    tables = []
    for n in sizes:
        say(f"research: archive of {n:,} articles")
        started = time.perf_counter()
        path = build(n)
        built = time.perf_counter() - started
        repeats = 5 if quick else 10
        names = list(_paths("x", "x", "x"))
        table = Table(f"Research views: {n:,} articles",
                      ["query", "view", "p50 ms", "CPU p50 ms", "÷ plain list (p50)",
                       "÷ plain list (CPU p50)"])
        worst: dict[str, float] = {}
        worst_cpu: dict[str, float] = {}
        for q in QUERIES:
            say(f"research: {n:,} articles, {q!r}")
            wall, cpu, failed = asyncio.run(_times(path, q, repeats))
            p50 = {name: search.median(t) * 1000 for name, t in wall.items()}
            cpu50 = {name: search.median(t) * 1000 for name, t in cpu.items()}
            base, cpu_base = p50["plain list page"], cpu50["plain list page"]
            for name in names:
                ratio, cpu_ratio = p50[name] / base, cpu50[name] / cpu_base
                table.rows.append([
                    q, name, f"{p50[name]:.0f}" + (f" ({failed[name]} failed)"
                                                   if failed[name] else ""),
                    f"{cpu50[name]:.0f}", "" if name == "plain list page" else f"{ratio:.2f}×",
                    "" if name == "plain list page" else f"{cpu_ratio:.2f}×"])
                if name != "plain list page":
                    worst[name] = max(worst.get(name, 0), ratio)
                    worst_cpu[name] = max(worst_cpu.get(name, 0), cpu_ratio)
        table.notes.append(
            "Through make_datasette's ASGI client in this process, two warm-ups then "
            f"{repeats} timed requests each; medians of the wall time and of the process's CPU "
            "time (time.process_time: every thread, Datasette's SQL threads too). plain list "
            "page: `/…/articles?_search=q` with the list's facets as before issue 19 (the "
            "baseline); list page + entity facets: the page as served, with people, "
            "organisations and documents counted in the same one-pass facets; list, one "
            "organisation: the same, narrowed by `organisations__arraycontains`; concordance: "
            "`/-/concordance?q=` (sorted by date: the articles its first page needs); "
            "concordance, left sort: the newest 500 articles read at most, every hit sorted; "
            "terms: `/-/terms?q=` (keyness of an even spread of at most 500 articles against "
            "term_counts, and the collocates of q); co-occurrence: `/-/cooccurrence?q=` (pairs "
            "over the newest 2,000); timeline by entity: "
            f"`/-/timeline?entity={ORGANISATIONS[0]}` (the articles naming it per month).")
        table.notes.append(
            f"Archive: the search benchmark's generated text ({'built' if built > 1 else 'cached'}"
            f"{f' in {built:.0f} s' if built > 1 else ''}), words cut by the real segmenter, "
            "entity lists drawn from name pools (0–4 people, 0–3 organisations, a document in "
            "15% of articles).")
        table.notes.append(
            "Goal: each view ≤ 2× the plain list page (wall p50, worst query) — "
            + "; ".join(f"{name} {r:.2f}× ({goal(r <= 2)}; CPU {worst_cpu[name]:.2f}×)"
                        for name, r in worst.items()) + ".")
        tables.append(table)
    return tables


if __name__ == "__main__":
    import sys

    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or None
    for t in run("--quick" in sys.argv, sizes):
        print(t.markdown())
