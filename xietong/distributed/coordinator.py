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
from pathlib import Path

from archive.writer import ArchiveWriter
from runtime import lock
from xietong.distributed.drain import Drain
from xietong.distributed.jobs import DEFAULT_PREFIX, DistributedError, connect, keys


def run_distributed(spider: str, archive: Path, spider_args: dict, overrides: dict,
                    workers: int, redis_url: str, proxy: str | None = None,
                    prefix: str = DEFAULT_PREFIX, join: bool = False) -> int:
    """Run a crawl with `workers` local worker processes and drain their batches into
    `archive`; with `join`, only start workers for the job already running at `prefix`.
    Returns an exit code as run_crawl does (0 clean, 1 a worker failed); raises lock.Locked
    when another crawl holds the archive, DistributedError when the job cannot start."""
    server = connect(redis_url)
    k = keys(prefix)
    if join:
        if not server.exists(k["job"]):
            raise DistributedError(f"no distributed crawl is running at {redis_url} ({prefix})")
        procs = _start_workers(workers, redis_url, prefix, proxy, archive)
        return max(p.wait() for p in procs)
    with lock.held(archive, f"xietong crawl {spider} --workers {workers}"):
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
