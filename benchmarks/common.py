"""What every benchmark shares: a markdown table with its goal, medians, a subprocess runner
that watches peak memory, and the cache folder for the big archives.

Benchmarks only: no test imports this, and nothing here asserts a time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sample_site import replay as _replay

# http.server sends headers and body in two writes; with Nagle's algorithm on, the body then
# waits for the client's delayed ACK (~40 ms a response on loopback), which would be measured
# as "network". Benchmarks turn it off; the tests do not depend on it.
_replay._Handler.disable_nagle_algorithm = True

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        out = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
               "|" + "---|" * len(self.columns)]
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in self.rows]
        if self.notes:
            out += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"


def _cell(value) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def median(values) -> float:
    return statistics.median(values)


def goal(met: bool) -> str:
    return "met" if met else "**missed**"


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, the process and its children together, polled
    returncode: int
    stdout: str
    stderr: str


def run_watched(cmd: list[str], env: dict | None = None, interval: float = 0.05,
                timeout: float = 3600) -> Run:
    """Run `cmd`, polling the resident memory of it and its children (psutil)."""
    import psutil

    inherited = {k: v for k, v in os.environ.items()
                 if k.lower() not in ("http_proxy", "https_proxy")}
    env = {**inherited, "PYTHONUNBUFFERED": "1", **(env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    peak = 0
    out: list[str] = []
    def drain(stream, into):
        into.append(stream.read())

    err: list[str] = []
    threads = [threading.Thread(target=drain, args=(proc.stdout, out)),
               threading.Thread(target=drain, args=(proc.stderr, err))]
    for t in threads:
        t.start()
    while proc.poll() is None:
        try:
            rss = watched.memory_info().rss + sum(
                c.memory_info().rss for c in watched.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        if time.perf_counter() - started > timeout:
            proc.kill()
        time.sleep(interval)
    seconds = time.perf_counter() - started
    for t in threads:
        t.join()
    return Run(seconds, peak, proc.returncode, "".join(out), "".join(err))


def python() -> str:
    return sys.executable


def say(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def write_between(doc: Path, start: str, end: str, text: str) -> None:
    """Replace what a document holds between two marker lines (the tables in docs/)."""
    before, _, rest = doc.read_text(encoding="utf-8").partition(start)
    _, _, after = rest.partition(end)
    doc.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")
