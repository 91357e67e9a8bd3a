"""Precision and recall of the people / organisations / documents extractor (archive/
entities.py) on the hand-labelled real pages (tests/archive/entity_labels.py) and on the
sample site's articles (labelled in tests/archive/sample_entity_labels.py), per kind, counted
over (page, name) pairs. `python -m benchmarks.entity_accuracy` prints the tables that
docs/extraction.md quotes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "tests" / "archive"))

from entity_labels import real_pages, sample_pages, score  # noqa: E402


def _table(title: str, scores: dict) -> str:
    def pct(v):
        return "–" if v is None else f"{v:.2f}"

    lines = [f"### {title}", "", "| kind | found right | wrong | missed | precision | recall |",
             "|---|---|---|---|---|---|"]
    for kind, s in scores.items():
        lines.append(f"| {kind} | {s['tp']} | {len(s['fp'])} | {len(s['fn'])} | "
                     f"{pct(s['precision'])} | {pct(s['recall'])} |")
    lines.append("")
    for kind, s in scores.items():
        if s["fp"]:
            lines.append(f"- {kind}, wrong: {'; '.join(s['fp'])}")
        if s["fn"]:
            lines.append(f"- {kind}, missed: {'; '.join(s['fn'])}")
    return "\n".join(lines)


def main() -> None:
    real = real_pages()
    if real is None:
        print("../shared/corpus/raw is not here: no real pages to score")
    else:
        print(_table(f"Real pages ({len(real)} labelled texts)", score(real)))
    print()
    sample = sample_pages()
    print(_table(f"Sample site ({len(sample)} labelled articles)", score(sample)))


if __name__ == "__main__":
    main()
