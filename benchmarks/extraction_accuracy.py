"""Per-field extraction accuracy, fields × templates, measured against what is known to be on
each page: the sample site's content files (every page of it), the hand-checked expectations of
tests/spiders (test_pages_fields.EXPECTED), and the real pages of ../shared/corpus/raw
(tests/spiders/corpus_expectations.py; skipped when the corpus is absent).

    .venv/bin/python benchmarks/extraction_accuracy.py            # print the table
    .venv/bin/python benchmarks/extraction_accuracy.py --write    # also into docs/extraction.md

A cell is "right/checked"; a field a page says nothing about is not counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "spiders")]

from corpus_expectations import ARTICLES, NOT_ARTICLES, RAW, sha  # noqa: E402
from test_pages_fields import EXPECTED  # noqa: E402
from test_pages_sample import expected_source, plain  # noqa: E402

from peoplecn.pages import NotAnArticle, PageError, merge_pages, parse_article  # noqa: E402
from sample_site.site import build_site  # noqa: E402

DOC = ROOT / "docs" / "extraction.md"
START, END = "<!-- accuracy table: start -->", "<!-- accuracy table: end -->"
TEMPLATES = ["people_2020", "people_2016", "people_n", "people_en", "generic"]
FIELDS = ["title", "pre_title / subtitle", "published_at", "date method", "source",
          "source_url", "byline", "authors (with roles)", "editors", "series (+ order)",
          "print edition", "paragraphs", "first / last paragraph", "images + captions",
          "photo credits", "related links", "recommended links", "page count", "not an article"]


def _read_sample(site, spec):
    res = site.get(spec["url"])
    first = parse_article(spec["url"], res.body, res.headers["Content-Type"])
    rest = [parse_article(u, site.get(u).body, site.get(u).headers["Content-Type"])
            for u in first.page_urls[1:]]
    return merge_pages(first, rest)


def _links(art, kind):
    return [x.url for x in art.links if x.kind == kind]


def sample_checks(site):
    """(template, field, ok) for every field of every sample-site page."""
    template = {"2020": "people_2020", "2016": "people_2016", "n2013": "people_n",
                "en": "people_en"}
    for spec in site.articles.values():
        name = template[spec["template"]]
        try:
            art = _read_sample(site, spec)
        except PageError:
            yield name, "title", False
            continue
        day, hm = spec["published"].split(" ")
        related = spec.get("related", []) + [e["url"] for e in spec.get("external", [])
                                             if e.get("block", "related") == "related"]
        recommended = [r["url"] for r in spec.get("recommended", [])] + [
            e["url"] for e in spec.get("external", []) if e.get("block") == "recommended"]
        bodies = [spec["body"], *spec.get("pages", [])]
        paragraphs = [plain(p) for b in bodies for p in b if isinstance(p, str)]
        images = [(urljoin(spec["url"], p["img"]), p.get("caption")) for b in bodies for p in b
                  if isinstance(p, dict)]
        editors = [e.replace(" ", "") if re.fullmatch(r"\w  \w", e) else e
                   for e in spec.get("editors", [])]
        yield name, "title", art.title == spec["title"]
        yield name, "pre_title / subtitle", (art.pre_title, art.subtitle) == (
            spec.get("pre_title") or None, spec.get("subtitle") or None)
        yield name, "published_at", art.published_at == f"{day}T{hm}:00+08:00"
        yield name, "date method", (art.date_method, art.date_confidence) == ("date_line", "high")
        yield name, "source", (art.source_raw, art.source, art.source_channel) == (
            spec["source"], *expected_source(spec["source"]))
        yield name, "source_url", art.source_url == spec["source_url"]
        yield name, "byline", art.byline == (spec.get("byline") or None)
        yield name, "editors", art.editors == editors
        yield name, "paragraphs", art.paragraphs == paragraphs
        yield name, "images + captions", [(i.src, i.caption) for i in art.images] == images
        yield name, "related links", _links(art, "related") == related
        yield name, "recommended links", _links(art, "recommended") == recommended
        yield name, "page count", max(1, len(art.page_urls)) == len(bodies)
        want = EXPECTED.get(spec["_file"])
        if want:
            yield name, "authors (with roles)", [(c["name"], c["role"]) for c in
                                                 art.contributors] == want["contributors"]
            yield name, "series (+ order)", (art.series, art.series_order) == want["series"]
            yield name, "print edition", (art.print_edition, art.print_date,
                                          art.print_page) == want["edition"]
            if want["credits"] is not None:
                yield name, "photo credits", [i.credit for i in art.images] == want["credits"]


def corpus_checks():
    if not RAW.is_dir():
        return
    for file, want in ARTICLES.items():
        name = want["template"]
        try:
            art = parse_article(want["url"], (RAW / file).read_bytes())
        except PageError:
            yield name, "title", False
            continue
        start, digest = want["title"]
        yield name, "title", art.title.startswith(start) and sha(art.title) == digest
        yield name, "published_at", art.published_at == want["published_at"]
        yield name, "date method", art.date_method == want["date_method"]
        yield name, "source", (art.source, art.source_channel) == (want["source"],
                                                                  want["source_channel"])
        yield name, "source_url", art.source_url == want["source_url"]
        yield name, "byline", art.byline == want["byline"]
        yield name, "authors (with roles)", art.authors == want["authors"]
        yield name, "editors", art.editors == want["editors"]
        yield name, "series (+ order)", art.series == want["series"]
        yield name, "paragraphs", len(art.paragraphs) == want["paragraph_count"]
        ends = ((art.paragraphs[0], want["first"]), (art.paragraphs[-1], want["last"]))
        yield name, "first / last paragraph", all(p.startswith(s) and sha(p) == d
                                                  for p, (s, d) in ends)
        same_count = len(art.images) == len(want["images"])
        yield name, "images + captions", same_count and all(
            (i.caption or "").startswith(c or "")
            for i, (c, _) in zip(art.images, want["images"], strict=False))
        if any(credit for _, credit in want["images"]):
            yield name, "photo credits", [i.credit for i in art.images] == [
                c for _, c in want["images"]]
        yield name, "related links", _links(art, "related") == want["related"]
        yield name, "recommended links", _links(art, "recommended") == want["recommended"]
        yield name, "page count", len(art.page_urls) == want["page_urls"]
    for file, url in NOT_ARTICLES.items():
        try:
            parse_article(url, (RAW / file).read_bytes())
            ok = False
        except NotAnArticle:
            ok = True
        except PageError:
            ok = False
        yield "generic", "not an article", ok


def table(checks) -> str:
    counts = defaultdict(lambda: [0, 0])
    for template, field, ok in checks:
        for key in ((template, field), ("all", field)):
            counts[key][0] += bool(ok)
            counts[key][1] += 1
    columns = [*TEMPLATES, "all"]
    lines = ["| field | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for field in FIELDS:
        cells = []
        for template in columns:
            right, n = counts.get((template, field), (0, 0))
            cells.append(f"{right}/{n}" + (" ✗" if right < n else "") if n else "—")
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write the table into {DOC}")
    args = parser.parse_args()
    site = build_site()
    sample, corpus = list(sample_checks(site)), list(corpus_checks())
    out = (f"**Real pages** (../shared/corpus/raw: {len(ARTICLES)} articles, "
           f"{len(NOT_ARTICLES)} lists/homepages/feeds)\n\n"
           + (table(corpus) if corpus else "_corpus absent: not measured_")
           + f"\n\n**Sample site** ({len(site.articles)} articles, every page; the markup is our "
           "imitation of each template, so this measures the readers against the templates "
           "as we understand them)\n\n" + table(sample))
    note = "Cells: right/checked; ✗ marks a miss; — the pages say nothing about that field."
    checks = sample + corpus
    print(out)
    print(note)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        before, _, rest = doc.partition(START)
        _, _, after = rest.partition(END)
        DOC.write_text(f"{before}{START}\n{out}\n\n{note}\n{END}{after}", encoding="utf-8")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
