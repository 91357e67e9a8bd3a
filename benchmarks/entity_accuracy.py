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

from archive.entities import KINDS, mentions_in  # noqa: E402


def score(pages) -> dict[str, dict]:
    """pages: [(label, {kind: gold names}, {kind: found names})] → per kind tp, fp, fn and
    the false positives and misses by name."""
    out = {kind: {"tp": 0, "fp": [], "fn": []} for kind in KINDS}
    for label, gold, found in pages:
        for kind in KINDS:
            out[kind]["tp"] += len(found[kind] & gold[kind])
            out[kind]["fp"] += [f"{n} ({label})" for n in sorted(found[kind] - gold[kind])]
            out[kind]["fn"] += [f"{n} ({label})" for n in sorted(gold[kind] - found[kind])]
    for s in out.values():
        tp, fp, fn = s["tp"], len(s["fp"]), len(s["fn"])
        s["precision"] = tp / (tp + fp) if tp + fp else None
        s["recall"] = tp / (tp + fn) if tp + fn else None
    return out


def found_names(fields: dict, authors: list[str]) -> dict[str, set[str]]:
    mentions = mentions_in(fields, authors=authors)
    return {kind: {m.name for m in mentions if m.kind == kind} for kind in KINDS}


def real_pages():
    from entity_labels import LABELS, RAW, page_fields

    if not RAW.exists():
        return None
    pages = []
    for (name, reading), gold in LABELS.items():
        fields, authors = page_fields(name, reading)
        pages.append((f"{name}:{reading}", gold, found_names(fields, authors)))
    return pages


def sample_pages():
    from sample_entity_labels import LABELS, sample_fields

    return [(name, gold, found_names(*sample_fields(name))) for name, gold in LABELS.items()]


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
