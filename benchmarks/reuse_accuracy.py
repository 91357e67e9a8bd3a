"""Precision and recall of text reuse pairs (archive/reuse.py) at the thresholds it uses, on the
two sets of cases of tests/archive/reuse_cases.py: the sample site crawled as the tests crawl it
(its rewritten reprints declare what they reuse), and the real article pages of
../shared/corpus/raw with rewritten variants made in memory (skipped when the corpus is absent).

    .venv/bin/python benchmarks/reuse_accuracy.py            # print the table
    .venv/bin/python benchmarks/reuse_accuracy.py --write    # also into docs/extraction.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "peoplecn"),
                str(ROOT / "tests" / "archive"), str(ROOT / "tests" / "datasette")]

import sqlite_utils  # noqa: E402
from conftest import crawl_sample  # noqa: E402
from reuse_cases import (  # noqa: E402
    RAW,
    archive_of,
    corpus_records,
    corpus_variants,
    found_pairs,
    sample_truth,
    score,
    true_pairs,
)

from archive import reuse  # noqa: E402
from archive.schema import open_archive  # noqa: E402
from benchmarks.common import Table, write_between  # noqa: E402
from sample_site.site import build_site  # noqa: E402

DOC = ROOT / "docs" / "extraction.md"
START, END = "<!-- reuse table: start -->", "<!-- reuse table: end -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    table = Table("Text reuse: pairs found at the chosen thresholds",
                  ["cases", "articles", "true pairs", "pairs found", "right", "precision",
                   "recall", "missed", "wrong"])
    with tempfile.TemporaryDirectory() as folder:
        site = build_site()
        db_path = Path(folder) / "sample" / "archive.db"
        db_path.parent.mkdir()
        crawl_sample(site, db_path)
        db = sqlite_utils.Database(db_path)
        truth, found = sample_truth(site), found_pairs(db)
        result = score(found, truth)
        table.rows.append(["sample site (crawled)", db["articles"].count, result.pairs,
                           result.found, result.right, result.precision, result.recall,
                           ", ".join("–".join(sorted(p)) for p in truth - found) or "—",
                           ", ".join("–".join(sorted(p)) for p in found - truth) or "—"])
        if RAW.exists():
            records = corpus_variants(corpus_records())
            db = open_archive(Path(folder) / "corpus.db")
            archive_of(records, db)
            truth, found = true_pairs(records), found_pairs(db)
            result = score(found, truth)
            table.rows.append(["real pages + variants", len(records), result.pairs,
                               result.found, result.right, result.precision, result.recall,
                               str(len(truth - found)), str(len(found - truth))])
        else:
            table.notes.append("../shared/corpus/raw is absent: the real pages were not measured")
    table.notes += [
        f"a pair is written when the two share at least {reuse.MIN_OVERLAP:.0%} of the shorter "
        f"text's {reuse.SHINGLE}-character shingles or {reuse.MIN_SHARED} shingles in all, "
        f"among the candidates the LSH index gives ({reuse.BANDS} bands × {reuse.ROWS} rows "
        "per passage)",
        "real pages + variants: each page, the page with its middle paragraph dropped, with "
        "its lead replaced by a sentence of ours, and the first half of one page joined to the "
        "second half of another of its language; a pair is true when by construction the two "
        "share a paragraph of 100+ characters or a fifth of the shorter text",
    ]
    print(table.markdown())
    if args.write:
        write_between(DOC, START, END, table.markdown())


if __name__ == "__main__":
    main()
