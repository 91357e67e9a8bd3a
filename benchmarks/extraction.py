"""Extraction benchmark: pages per second (CPU time) of the page readers (peoplecn.pages.
parse_article: every field, links, photos, sanitised HTML) vs trafilatura on the same pages, and
how far their body texts agree.
"""

from __future__ import annotations

import difflib
import time

import trafilatura

from archive.versions import similarity
from benchmarks.common import Table, goal, median, say
from benchmarks.sitegen import build_big_site
from peoplecn.pages import parse_article


def _pages(quick: bool) -> list[tuple[str, bytes, str]]:
    site = build_big_site(300 if quick else 1000, seed=3)
    return [(url, res.body, res.headers["Content-Type"]) for url, res in site.resources.items()
            if res.status == 200 and url.endswith(".html") and "/GB/" not in url]


def _rate(fn, pages, repeats: int) -> float:
    for url, body, ctype in pages[:20]:
        fn(url, body, ctype)  # warm caches and imports
    rates = []
    for _ in range(repeats):
        started = time.process_time()
        for url, body, ctype in pages:
            fn(url, body, ctype)
        rates.append(len(pages) / (time.process_time() - started))
    return median(rates)


ENGINES = {
    "page readers (parse_article)": lambda u, b, c: parse_article(u, b, c),
    "trafilatura.extract": lambda u, b, c: trafilatura.extract(b, url=u),
    "trafilatura.bare_extraction (with metadata)":
        lambda u, b, c: trafilatura.bare_extraction(b, url=u, with_metadata=True),
}


def run(quick: bool) -> list[Table]:
    pages = _pages(quick)
    repeats = 2 if quick else 3
    say(f"extraction: {len(pages)} pages × {repeats} runs per engine")
    rates = {name: _rate(fn, pages, repeats) for name, fn in ENGINES.items()}
    ours = rates["page readers (parse_article)"]
    speed = Table("Extraction: page readers vs trafilatura (same pages)",
                  ["engine", "pages/s (CPU)", "ms/page", "readers ÷ this"])
    for name, rate in rates.items():
        speed.rows.append([name, rate, 1000 / rate, f"{ours / rate:.1f}×"])
    worst = min(ours / r for n, r in rates.items() if n.startswith("trafilatura"))
    speed.notes.append(
        f"{len(pages)} generated article pages (2020s and 2016 templates, UTF-8 and GBK), "
        f"median of {repeats} passes, CPU time of this process. Goal: ≥ 5× trafilatura — "
        f"{worst:.1f}× against the faster of the two: {goal(worst >= 5)}.")

    say("extraction: body-text agreement")
    agree = Table("Extraction: body-text agreement with trafilatura.extract",
                  ["measure", "mean", "median", "min"])
    seq, grams = [], []
    for url, body, ctype in pages[: 150 if not quick else 60]:
        ours_text = "".join(parse_article(url, body, ctype).body.split())
        theirs = "".join((trafilatura.extract(body, url=url) or "").split())
        seq.append(difflib.SequenceMatcher(None, ours_text, theirs, autojunk=False).ratio())
        grams.append(similarity(ours_text, theirs))
    for name, values in (("character similarity (difflib ratio)", seq),
                         ("shared character 4-grams (Jaccard)", grams)):
        agree.rows.append([name, sum(values) / len(values), median(values), min(values)])
    agree.notes.append(f"{len(seq)} pages, whitespace removed from both texts. Differences are "
                       "mostly photo captions and the 【相关链接】 block, which the readers "
                       "keep apart from the body and trafilatura keeps in it or drops.")
    from benchmarks import extraction_cues

    return [speed, agree, *extraction_cues.run(quick)]
