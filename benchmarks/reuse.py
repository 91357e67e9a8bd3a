"""Cost per article of the text reuse index (archive/reuse.py) as the archive grows: an archive
is filled with generated articles (Chinese text drawn from the sample site's words with a
Zipf-like skew, so common phrases recur as in real reporting; one in twenty takes two paragraphs
from an earlier article) and `reuse.update` — what saving an article adds — is timed for
WINDOW articles when the archive holds 1k, 10k and 100k. Flat means the ratio to 1k stays near
1: each article meets a few candidates, never the whole archive.

    .venv/bin/python benchmarks/reuse.py                    # 1k, 10k, 100k (about 10 min)
    .venv/bin/python benchmarks/reuse.py --sizes 1000,5000  # quicker
    .venv/bin/python benchmarks/reuse.py --write            # also into docs/benchmarks.md

Wall and CPU time (getrusage) side by side; peak RSS of the process; the index's size on disk.
Benchmarks only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from archive import reuse  # noqa: E402
from archive.schema import open_archive  # noqa: E402
from benchmarks.common import Table, write_between  # noqa: E402
from sample_site.site import build_site  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- reuse table: start -->", "<!-- reuse table: end -->"
WINDOW = 500
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def vocabulary() -> list[str]:
    """2–4 character pieces of the sample site's text: the words generated articles use."""
    pieces = []
    for spec in build_site().articles.values():
        for paragraph in spec["body"]:
            if isinstance(paragraph, str):
                for run in _HAN.findall(paragraph):
                    pieces += [run[i:i + 3] for i in range(0, len(run) - 2, 3)]
    return sorted(set(pieces))


class Generator:
    def __init__(self, seed: int = 20):
        self.rng = random.Random(seed)
        self.words = vocabulary()
        n = len(self.words)
        self.weights = [1 / (rank + 1) ** 0.8 for rank in range(n)]  # Zipf-like
        self.bodies: list[list[str]] = []

    def paragraph(self) -> str:
        words = self.rng.choices(self.words, self.weights, k=self.rng.randint(30, 60))
        return "　　" + "".join(words) + "。"

    def body(self) -> str:
        paragraphs = [self.paragraph() for _ in range(self.rng.randint(4, 8))]
        if self.bodies and self.rng.random() < 0.05:  # takes two paragraphs of an earlier one
            earlier = self.rng.choice(self.bodies)
            paragraphs[1:1] = earlier[:2]
        if len(self.bodies) < 1_000:  # a bounded pool: the benchmark's own memory stays flat
            self.bodies.append(paragraphs)
        else:
            self.bodies[self.rng.randrange(len(self.bodies))] = paragraphs
        return "\n\n".join(p.strip("　") for p in paragraphs)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def add(db, gen: Generator, start: int, count: int) -> tuple[float, float, int]:
    """Insert `count` generated articles, then index each as saving it would; returns the
    indexing's (wall s, CPU s, pairs found) — writing the rows and making the text excluded."""
    ids = [f"he-{10_000_000 + i}" for i in range(start, start + count)]
    with db.atomic():
        db.conn.executemany(
            "insert into articles (id, url, title, body, published_at) values (?, ?, ?, ?, ?)",
            [(aid, f"http://he.people.com.cn/n2/2024/0101/c1-{i}.html", f"报道{i}",
              gen.body(), f"2024-01-01T00:00:{i % 60:02d}+08:00")
             for i, aid in zip(range(start, start + count), ids, strict=True)])
        wall0, cpu0, pairs = time.perf_counter(), cpu(), 0
        for aid in ids:
            pairs += reuse.update(db, aid, "2025-01-01T00:00:00+00:00")
        return time.perf_counter() - wall0, cpu() - cpu0, pairs


def run(sizes: list[int]) -> Table:
    table = Table("Text reuse index: cost per article as the archive grows",
                  ["archive size", "ms per article (wall)", "ms per article (CPU)",
                   "ratio to the first (CPU)", "pairs per article", "index bytes per article",
                   "peak RSS MB"])
    gen = Generator()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "archive.db"
        db = open_archive(path)
        have, first = 0, None
        for size in sizes:
            while have < size - WINDOW:  # grow, untimed, in transactions of 1,000
                step = min(1_000, size - WINDOW - have)
                add(db, gen, have, step)
                have += step
            wall, spent, pairs = add(db, gen, have, WINDOW)
            have += WINDOW
            per_cpu = spent / WINDOW * 1000
            first = first or per_cpu
            index = db.execute(
                "select sum(pgsize) from dbstat where name in ('reuse_bands', "
                "'reuse_signatures', 'sqlite_autoindex_reuse_signatures_1')").fetchone()[0]
            table.rows.append([f"{size:,}", wall / WINDOW * 1000, per_cpu, per_cpu / first,
                               pairs / WINDOW, (index or 0) / have,
                               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024])
            print(table.rows[-1], flush=True)
        db.close()
    table.notes = [
        f"each row times `reuse.update` for the {WINDOW} articles saved when the archive "
        "reaches that size (the articles before them were indexed untimed, as a crawl would)",
        "generated articles: 4–8 paragraphs of 30–60 three-character pieces of the sample "
        "site's text, Zipf-skewed; 5% take two paragraphs of an earlier article",
        "flat: the index lives in SQLite (reuse_bands, WITHOUT ROWID), so memory does not grow "
        "with the archive; an article reads its bands' rows and at most "
        f"{reuse.MAX_CANDIDATES} candidates",
    ]
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--write", action="store_true", help="write the table into docs")
    args = parser.parse_args()
    table = run(sorted(int(s) for s in args.sizes.split(",")))
    print(table.markdown())
    if args.write:
        write_between(DOC, START, END, table.markdown())


if __name__ == "__main__":
    main()
