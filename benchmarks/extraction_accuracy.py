"""Per-field extraction accuracy of the page readers, measured against what is known to be on
each page (tests/peoplecn/field_checks.py): the real pages of ../shared/corpus/raw (hand-read
expectations; skipped when the corpus is absent), the sample site's pages in the templates our
readers know, and its pages in layouts no template claims (sample_site/layouts.py).

Three ways of reading each page, side by side:
  crawler         parse_article: the template reader the page shows (its empty fields filled
                  in by the template-blind reader), else the template-blind reader on people.cn
                  hosts (generic for other outlets) — what the crawl does
  cues alone      the template-blind reader on every page, templates ignored
  generic alone   the trafilatura-based reader on every page (what a page of unknown layout
                  got before the template-blind reader)

    .venv/bin/python benchmarks/extraction_accuracy.py            # print the tables
    .venv/bin/python benchmarks/extraction_accuracy.py --write    # also into docs/extraction.md

A cell is "right/checked"; a field a page says nothing about is not counted. Exits non-zero if
the crawler or the template-blind reader gets any field wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "peoplecn")]

from corpus_expectations import ARTICLES, NOT_ARTICLES  # noqa: E402
from field_checks import FIELDS, corpus_checks, sample_checks  # noqa: E402

from benchmarks.common import write_between  # noqa: E402
from peoplecn.pages import parse_article, read_with  # noqa: E402
from sample_site.layouts import RENDERERS as NEW_LAYOUTS  # noqa: E402
from sample_site.site import build_site  # noqa: E402

DOC = ROOT / "docs" / "extraction.md"
START, END = "<!-- accuracy table: start -->", "<!-- accuracy table: end -->"
WAYS = {
    "crawler": parse_article,
    "cues alone": lambda u, b, c: read_with("cues", u, b, c),
    "generic alone": lambda u, b, c: read_with("generic", u, b, c),
}
JUDGED = ("crawler", "cues alone")  # the exit code; generic alone is the baseline


def table(results: dict[str, list]) -> str:
    """Fields × ways; `results` maps a way to its (page, field, ok, detail) checks."""
    counts = defaultdict(lambda: [0, 0])
    for way, checks in results.items():
        for _, field, ok, _ in checks:
            for key in ((way, field), (way, "all fields")):
                counts[key][0] += bool(ok)
                counts[key][1] += 1
    lines = ["| field | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    for field in [*FIELDS, "all fields"]:
        cells = []
        for way in results:
            right, n = counts.get((way, field), (0, 0))
            share = f" ({right * 100 // n}%)" if field == "all fields" and n else ""
            cells.append(f"{right}/{n}{share}" + (" ✗" if right < n else "") if n else "—")
        if any(c != "—" for c in cells):
            name = f"**{field}**" if field == "all fields" else field
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the tables into {DOC}")
    args = parser.parse_args()
    site = build_site()
    new = {s["_file"] for s in site.articles.values() if s["template"] in NEW_LAYOUTS}
    corpus, known, unknown = {}, {}, {}
    for way, read in WAYS.items():
        sample = list(sample_checks(site, read))
        known[way] = [c for c in sample if c[0] not in new]
        unknown[way] = [c for c in sample if c[0] in new]
        corpus[way] = list(corpus_checks(read))
    parts = [
        f"**Real pages** (../shared/corpus/raw, read in place: {len(ARTICLES)} articles — "
        "people.cn 2020s, "
        f"2016 and English templates and a 2012 Xinhua table page — and {len(NOT_ARTICLES)} "
        "lists/homepages/feeds)\n\n"
        + (table(corpus) if corpus["crawler"] else "_corpus absent: not measured_"),
        f"**Sample site, layouts no template claims** ({len(new)} articles: "
        + ", ".join(sorted(NEW_LAYOUTS)) + ")\n\n" + table(unknown),
        f"**Sample site, the templates our readers know** ({len(site.articles) - len(new)} "
        "articles; the markup is our imitation of each template, two of them with habits of "
        "the real site the template's map does not name)\n\n" + table(known),
    ]
    note = ("Cells: right/checked; ✗ marks a miss; — the pages say nothing about that field. "
            "\"crawler\": template readers (their empty fields filled in by the template-blind "
            "reader), else the template-blind reader; \"cues alone\": "
            "the template-blind reader on every page; \"generic alone\": the trafilatura "
            "reader on every page.")
    out = "\n\n".join(parts)
    print(out)
    print(note)
    if args.write:
        write_between(DOC, START, END, f"{out}\n\n{note}\n")
    judged = [c for results in (corpus, known, unknown) for way in JUDGED for c in results[way]]
    return 0 if all(ok for _, _, ok, _ in judged) else 1


if __name__ == "__main__":
    sys.exit(main())
