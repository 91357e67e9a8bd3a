"""The coordinator of a distributed crawl: it opens the job in Redis, starts the local workers
(worker.py), drains their batches into the archive (drain.py) — the only process writing
SQLite — and writes the run's `crawls` row.

`xietong crawl SPIDER --workers N` runs it with N local workers; `--join` starts workers only,
for a crawl coordinated elsewhere (docs/decisions.md, "Speed and scale").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import redis

from xietong.distributed.jobs import DEFAULT_PREFIX, STALE, DistributedError, connect, keys

# -- coordinator: start the job, the workers and the drain -----------------------------------

def run_distributed(spider: str, archive: Path, spider_args: dict, overrides: dict,
                    workers: int, redis_url: str, proxy: str | None = None,
                    prefix: str = DEFAULT_PREFIX, join: bool = False) -> int:
    """Run a crawl with `workers` local worker processes and drain their batches into
    `archive`; with `join`, only start workers for the job already running at `prefix`.
    Returns an exit code as run_crawl does (0 clean, 1 a worker failed, 4 archive locked)."""
    from archive.writer import ArchiveWriter
    from runtime import lock

    server = connect(redis_url)
    k = keys(prefix)
    if join:
        if not server.exists(k["job"]):
            raise DistributedError(f"no distributed crawl is running at {redis_url} ({prefix})")
        procs = _start_workers(workers, redis_url, prefix, proxy, archive)
        return max(p.wait() for p in procs)
    try:
        lock.acquire(archive, f"xietong crawl {spider} --workers {workers}")
    except lock.Locked as e:
        sys.stderr.write(f"{e}\n")
        return 4
    try:
        if server.exists(k["job"]):
            raise DistributedError(
                f"a distributed crawl is already running at {redis_url} ({prefix}); wait for "
                f"it, or delete the keys {prefix}:* if it died")
        server.delete(*k.values())
        writer = ArchiveWriter(archive)
        args = {name: v for name, v in spider_args.items() if v is not None}
        crawl_id = writer.start(spider, {**args, "workers": workers})
        overrides = _polite(overrides, workers)
        server.set(k["job"], json.dumps({"spider": spider, "args": args, "crawl_id": crawl_id,
                                         "archive": str(archive), "overrides": overrides,
                                         "workers": workers}))
        procs = _start_workers(workers, redis_url, prefix, proxy, archive)
        try:
            summary = Drain(server, k, writer).run(procs)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
            server.delete(*k.values())
            writer.close()
    finally:
        lock.release(archive)
    sys.stderr.write(summary.line(spider, workers) + "\n")
    return summary.exit_code


def _polite(overrides: dict, workers: int) -> dict:
    """Each worker keeps its own per-host delay: N workers at N × the delay keep one host's
    request rate what the settings (or --delay) ask for."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "runtime.settings")
    project = get_project_settings()
    delay = float(overrides.get("DOWNLOAD_DELAY", project.getfloat("DOWNLOAD_DELAY")))
    start = float(overrides.get("AUTOTHROTTLE_START_DELAY",
                                project.getfloat("AUTOTHROTTLE_START_DELAY")))
    return {**overrides, "DOWNLOAD_DELAY": delay * workers,
            "AUTOTHROTTLE_START_DELAY": max(start, delay) * workers}


def _start_workers(n: int, redis_url: str, prefix: str, proxy: str | None,
                   archive: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "runtime.settings"}
    if proxy:
        env.update(http_proxy=proxy, https_proxy=proxy)
        env.pop("no_proxy", None)
    cmd = [sys.executable, "-m", "xietong.distributed", "worker", "--redis", redis_url,
           "--prefix", prefix, "--db", str(archive)]
    return [subprocess.Popen(cmd, env=env) for _ in range(n)]


class Summary:
    def __init__(self):
        self.outcomes: Counter[str] = Counter()
        self.stats: Counter[str] = Counter()
        self.reasons: list[str] = []
        self.codes: list[int] = []
        self.batches = 0

    @property
    def exit_code(self) -> int:
        ok = self.reasons and all(r == "finished" for r in self.reasons)
        return 0 if ok and not any(self.codes) else 1

    def line(self, spider: str, workers: int) -> str:
        s = self.stats
        plural = "s" if workers != 1 else ""
        return (f"{spider} ({workers} worker{plural}): fetched "
                f"{s['downloader/response_count']} pages "
                f"· new {self.outcomes['new']} · changed {self.outcomes['changed']} · "
                f"unchanged {self.outcomes['unchanged']} · not relevant "
                f"{s['xietong/articles_irrelevant']} · errors {s['xietong/parse_errors']}")


class Drain:
    """Apply batches from Redis until every worker is done (or dead) and the list is empty."""

    def __init__(self, server: redis.Redis, k: dict[str, str], writer):
        self.server, self.k, self.writer = server, k, writer
        self.summary = Summary()
        self.done: set[str] = set()
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def run(self, procs: list[subprocess.Popen]) -> Summary:
        from xietong.distributed.drain import apply_batch

        while True:
            item = self.server.blpop([self.k["batches"]], timeout=0.5)
            if item is not None:
                batch = json.loads(item[1])
                apply_batch(self.writer, batch)
                self.summary.batches += 1
                if "done" in batch:
                    self._worker_done(batch["worker"], batch["done"])
                self._progress()
                continue
            if all(p.poll() is not None for p in procs) and self._all_done():
                if self.server.llen(self.k["batches"]) == 0:
                    break
        self.summary.codes = [p.wait() for p in procs]
        self.summary.outcomes = Counter(self.writer.outcomes)
        self._finish()
        return self.summary

    def _all_done(self) -> bool:
        now = time.time()
        for name, value in self.server.hgetall(self.k["workers"]).items():
            report = json.loads(value)
            if name.decode() not in self.done and now - report["at"] < STALE:
                return False
        return True

    def _worker_done(self, name: str, fields: dict) -> None:
        self.done.add(name)
        self.summary.reasons.append(fields.get("finish_reason") or "unknown")
        for key, value in (fields.get("stats") or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                self.summary.stats[key] += value

    def _progress(self) -> None:
        if not self.tty:
            return
        o = self.writer.outcomes
        sys.stderr.write(f"\r\x1b[2Kdrained {self.summary.batches} batches · new {o['new']} · "
                         f"changed {o['changed']} · unchanged {o['unchanged']} · workers done "
                         f"{len(self.done)}")
        sys.stderr.flush()

    def _finish(self) -> None:
        s, o = self.summary.stats, self.writer.outcomes
        codes = {key.rsplit("/", 1)[1]: v for key, v in s.items()
                 if key.startswith("downloader/response_status_count/")}
        reasons = self.summary.reasons
        if self.tty:
            sys.stderr.write("\r\x1b[2K")
        self.writer.finish(
            finish_reason=("finished" if reasons and all(r == "finished" for r in reasons)
                           else ",".join(sorted(set(reasons))) or "no worker finished"),
            pages_fetched=s["downloader/response_count"],
            articles_new=o["new"], articles_changed=o["changed"],
            articles_unchanged=o["unchanged"],
            articles_irrelevant=s["xietong/articles_irrelevant"],
            parse_errors=s["xietong/parse_errors"],
            http_errors=sum(v for c, v in codes.items() if c.isdigit() and int(c) >= 400),
            stats=dict(s),
        )
