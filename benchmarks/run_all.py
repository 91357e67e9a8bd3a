"""Run every benchmark and write docs/benchmarks.md (tables, each with its baseline measured in
the same run, then the hand-written notes in benchmarks/NOTES.md).

    .venv/bin/python -m benchmarks.run_all            # everything (~20 min; the first run also
                                                      # builds the 1M-article search archive)
    .venv/bin/python -m benchmarks.run_all --quick    # small sizes, ~1.5 min, to try things
    .venv/bin/python -m benchmarks.run_all --only search,extraction
    .venv/bin/python -m benchmarks.run_all --notes-only  # new NOTES.md, same tables

Never part of the test suite: no assertion here, only measurements.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from datetime import UTC, datetime

from benchmarks.common import CACHE, ROOT, Table, say

PARTS = ["crawl", "archive", "extraction", "search", "research"]
# Which part wrote a table, from the start of its title.
TITLE_PARTS = {"Crawl": "crawl", "Memory": "crawl", "Incremental": "crawl", "Archive": "archive",
               "Extraction": "extraction", "Search": "search", "Research": "research"}


KEPT_NOTE = "Measured in the run of"


def _part_of(title: str) -> str | None:
    return next((part for prefix, part in TITLE_PARTS.items() if title.startswith(prefix)), None)


def _kept_tables(out: str, parts: list[str], measured: set[str]) -> dict[str, str]:
    """The tables not measured now (other parts, other sizes), from the existing output file,
    by part."""
    try:
        text = open(out, encoding="utf-8").read()
    except OSError:
        return {}
    text = text.split("\n## Notes", 1)[0]
    when = re.search(r" on (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", text)
    kept: dict[str, list[str]] = {}
    for section in text.split("\n### ")[1:]:
        part = _part_of(section)
        if part and section.split("\n", 1)[0] not in measured:
            section = section.rstrip("\n")
            if KEPT_NOTE not in section and when:
                section += f"\n- {KEPT_NOTE} {when.group(1)}."
            kept.setdefault(part, []).append("### " + section + "\n")
    return {part: "\n".join(sections) for part, sections in kept.items()}


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"load average at the start {load}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run_all")
    parser.add_argument("--quick", action="store_true", help="small sizes, to try things")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--search-sizes", default="",
                        help="comma-separated archive sizes for the search part (default: "
                        "100000,1000000); tables of sizes not measured are kept from --out")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--notes-only", action="store_true",
                        help="rewrite the output from the last run's tables and the current "
                        "benchmarks/NOTES.md, measuring nothing")
    args = parser.parse_args(argv)
    notes = (ROOT / "benchmarks" / "NOTES.md").read_text(encoding="utf-8")
    last = CACHE / "last-run.md"
    if args.notes_only:
        if not last.exists():
            parser.error("no earlier run to take the tables from")
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(last.read_text(encoding="utf-8") + "\n" + notes)
        return 0
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    machine = _machine()
    started = time.perf_counter()
    tables: list[Table] = []
    crawl_numbers = None
    if "crawl" in parts:
        from benchmarks import crawl

        speed, memory, crawl_numbers = crawl.speed(args.quick)
        tables += [speed, memory, crawl_numbers["incremental"]]
    if "archive" in parts:
        from benchmarks import archive_write

        tables += archive_write.run(args.quick, crawl_numbers)
    if "extraction" in parts:
        from benchmarks import extraction

        tables += extraction.run(args.quick)
    if "search" in parts:
        from benchmarks import search

        sizes = [int(n) for n in args.search_sizes.split(",") if n.strip()] or None
        tables += search.run(args.quick, sizes)
    if "research" in parts:
        from benchmarks import research

        tables += research.run(args.quick)
    minutes = (time.perf_counter() - started) / 60
    mode = "--quick" if args.quick else "full"
    header = [
        "# Benchmarks",
        "",
        "Generated by `.venv/bin/python -m benchmarks.run_all` "
        f"({mode} mode; parts: {', '.join(parts)}) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {minutes:.0f} min. Do not edit by hand: "
        "change benchmarks/ (the notes at the end are benchmarks/NOTES.md) and run it again.",
        "",
        f"Machine: {machine}. Other processes may have been running: every comparison is "
        "between two runs made in the same run of this command, and the figures to read are "
        "the ratios, not the absolute times.",
        "",
    ]
    body = "\n".join(t.markdown() for t in tables)
    kept = _kept_tables(args.out, parts, {t.title for t in tables})
    if kept:
        header.append(f"Measured in this run: {', '.join(t.title for t in tables)}. The other "
                      "tables are kept from earlier runs (each says when); compare figures "
                      "only within one table.")
        header.append("")
    measured = "\n".join(header) + "\n" + "\n".join(
        "\n".join([t.markdown() for t in tables if _part_of(t.title) == part]
                  + ([kept[part]] if part in kept else []))
        for part in PARTS if part in kept or part in parts)
    CACHE.mkdir(parents=True, exist_ok=True)
    last.write_text(measured, encoding="utf-8")
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(measured + "\n" + notes)
    print(body)
    say(f"wrote {args.out} in {minutes:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
