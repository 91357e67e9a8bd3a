"""The coordinator's drain: apply the batches the workers push to Redis through the crawl's one
ArchiveWriter, each in one transaction — the same rows, in the same order, as a crawl in one
process writes — until every worker is done (or dead) and the list is empty; then finish the
run's `crawls` row from the workers' summed stats.

Never writes WARC bytes: the workers did, and synced them, before they sent the rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter

import redis

from archive.batch import Batch
from archive.writer import ArchiveWriter
from runtime import failures
from runtime.report import crawl_totals
from xietong.distributed.jobs import STALE


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
        causes = failures.by_cause(s)  # the workers' ledgers, summed
        errors = sum(causes.values())
        plural = "s" if workers != 1 else ""
        return (f"{spider} ({workers} worker{plural}): fetched "
                f"{s['downloader/response_count']} pages "
                f"· new {self.outcomes['new']} · changed {self.outcomes['changed']} · "
                f"unchanged {self.outcomes['unchanged']} · not relevant "
                f"{s['xietong/articles_irrelevant']} · errors {errors}"
                + (f" ({failures.describe(causes)})" if errors else ""))


class Drain:
    """Apply batches from Redis until every worker is done (or dead) and the list is empty."""

    def __init__(self, server: redis.Redis, k: dict[str, str], writer: ArchiveWriter):
        self.server, self.k, self.writer = server, k, writer
        self.summary = Summary()
        self.done: set[str] = set()
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def run(self, procs: list[subprocess.Popen]) -> Summary:
        while True:
            item = self.server.blpop([self.k["batches"]], timeout=0.5)
            if item is not None:
                message = json.loads(item[1])
                # The worker synced the WARC bytes these rows name before it sent them.
                self.writer.write(Batch.from_json(message), message.get("seen_at"))
                self.summary.batches += 1
                if "done" in message:
                    self._worker_done(message["worker"], message["done"])
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
        reasons = self.summary.reasons
        if self.tty:
            sys.stderr.write("\r\x1b[2K")
        self.writer.finish(
            finish_reason=("finished" if reasons and all(r == "finished" for r in reasons)
                           else ",".join(sorted(set(reasons))) or "no worker finished"),
            **crawl_totals(self.summary.stats, self.writer.outcomes),
            stats=dict(self.summary.stats),
        )
