"""Crawling with several worker processes, on one machine or several, through Redis
(scrapy-redis): the workers share the frontier and the duplicate filter, push their rows to
Redis, and one coordinator drains them into the archive — the only process writing SQLite.

`xietong crawl SPIDER --workers N` runs the coordinator with N local workers; `--join` starts
workers only, for a crawl coordinated elsewhere (docs/decisions.md, "Speed and scale").
Never deletes a Redis key it did not create: every key starts with the job's prefix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter, deque
from pathlib import Path

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PREFIX = "xietong"
HEARTBEAT = 0.2  # s between a worker's busy/idle reports (and its look at the shared queue)
IDLE_GRACE = 1.0  # s the whole cluster must look idle before a worker closes
STALE = 15.0  # s without a report after which a worker is taken for dead
START_WAIT = 10.0  # s a worker waits at most for the others started with it


class DistributedError(RuntimeError):
    """A distributed crawl cannot start (no Redis, another job on the same prefix …)."""


def keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}:{name}" for name in
            ("job", "requests", "dupefilter", "batches", "workers")}


def connect(url: str) -> redis.Redis:
    server = redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
    try:
        server.ping()
    except redis.RedisError as e:
        raise DistributedError(f"cannot reach Redis at {url}: {e} (start redis-server, or "
                               "give --redis URL / XIETONG_REDIS_URL)") from None
    return server


# -- worker side: the scheduler, the cluster-wide idle rule, the process ---------------------

class WorkerScheduler(Scheduler):
    """scrapy-redis's scheduler (shared priority queue and duplicate filter), with one change:
    the further pages of an article (requests carrying `pages_todo`) stay in this worker, in
    order, so the worker that read page 1 merges the article and knows all its captures.

    It also takes a request from the shared queue only while fewer than XIETONG_WORKER_PREFETCH
    of its own wait to be sent: Scrapy would otherwise pull up to CONCURRENT_REQUESTS at once
    and queue them behind its one-per-host slots, starving the other workers.

    Settings read: REDIS_URL, SCHEDULER_QUEUE_KEY, SCHEDULER_DUPEFILTER_KEY (and scrapy-redis's),
    XIETONG_WORKER_PREFETCH.
    """

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.prefetch = crawler.settings.getint("XIETONG_WORKER_PREFETCH", 2)
        return scheduler

    def _waiting(self) -> int:
        """Requests in this worker's downloader not yet on the wire."""
        downloader = self.crawler.engine.downloader
        return len(downloader.active) - sum(len(slot.transferring)
                                            for slot in downloader.slots.values())

    def open(self, spider):
        # scrapy-redis's open() less its Spider.log() call (deprecated in Scrapy 2.19).
        self.spider = spider
        self.local: deque = deque()
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                 key=self.queue_key, serializer=self.serializer)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)

    def close(self, reason):
        return None  # the queue and the filter are the cluster's; the coordinator clears them

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if "pages_todo" in request.meta:
            self.local.append(request)
        else:
            self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        if self.local:
            request = self.local.popleft()
        elif self._waiting() >= self.prefetch:
            return None  # left for a worker with a free hand; asked again when one returns
        else:
            request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        return bool(self.local) or len(self.queue) > 0


class WorkerLifecycle:
    """A worker's extension: reports busy/idle to Redis every HEARTBEAT, looks at the shared
    queue while idle (Scrapy itself would look only every 5 s), and lets the spider close only
    when the queue is empty and no live worker has been busy for IDLE_GRACE seconds — a busy
    worker may still add requests. Settings read: XIETONG_REDIS_URL, XIETONG_REDIS_PREFIX,
    XIETONG_WORKER_NAME, XIETONG_WORKERS_EXPECTED."""

    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.server = redis.Redis.from_url(s.get("XIETONG_REDIS_URL"))
        self.keys = keys(s.get("XIETONG_REDIS_PREFIX"))
        self.name = s.get("XIETONG_WORKER_NAME")
        self.idle_since: float | None = None
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _report(self, busy: bool) -> None:
        self.server.hset(self.keys["workers"], self.name,
                         json.dumps({"busy": busy, "at": time.time()}))

    def opened(self, spider):
        self._report(True)
        # Start together: the first worker up would otherwise race through the frontier's
        # first pages alone. Bounded: a worker that never comes is not waited for.
        expected = self.crawler.settings.getint("XIETONG_WORKERS_EXPECTED", 1)
        deadline = time.monotonic() + START_WAIT
        while (self.server.hlen(self.keys["workers"]) < expected
               and time.monotonic() < deadline):
            time.sleep(0.05)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(HEARTBEAT, now=False)

    def beat(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        # Busy: this worker has pages in flight or in its spider, which may queue requests.
        # (Requests waiting in Redis are the cluster's, not a sign of this worker's work.)
        scraping = engine.scraper.slot is not None and not engine.scraper.slot.is_idle()
        self._report(bool(engine.downloader.active) or scraping)
        # Other workers queue requests without this engine knowing: wake it to look (its own
        # heartbeat is 5 s). A private attribute, hence the guard.
        slot = getattr(engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def others_busy(self) -> bool:
        now = time.time()
        for name, value in self.server.hgetall(self.keys["workers"]).items():
            if name.decode() == self.name:
                continue
            report = json.loads(value)
            if report.get("busy") and now - report["at"] < STALE:
                return True
        return False

    def idle(self, spider):
        self._report(False)
        if self.server.zcard(self.keys["requests"]) or self.others_busy():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < IDLE_GRACE:
            raise DontCloseSpider

    def closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.server.hset(self.keys["workers"], self.name,
                         json.dumps({"busy": False, "at": time.time(), "closed": reason}))


def worker_settings(settings, job: dict, redis_url: str, prefix: str, name: str) -> None:
    """Turn a project Settings object into a worker's (in place)."""
    k = keys(prefix)
    for key, value in job.get("overrides", {}).items():
        settings.set(key, value, priority="cmdline")
    extensions = {**settings.getdict("EXTENSIONS"),
                  "xietong.lock.CrawlLock": None,  # the coordinator holds the archive's lock
                  "xietong.report.CrawlReport": None,  # it reads and writes the archive
                  "xietong.distributed.WorkerLifecycle": 100}
    pipelines = {**settings.getdict("ITEM_PIPELINES"),
                 "pipelines.series.SeriesPipeline": None,
                 "pipelines.redis_queue.ListingPipeline": 50}
    settings.setdict({
        "XIETONG_ARCHIVE": job["archive"],
        "XIETONG_REDIS_URL": redis_url,
        "XIETONG_REDIS_PREFIX": prefix,
        "XIETONG_WORKER_NAME": name,
        "XIETONG_WORKERS_EXPECTED": job.get("workers", 1),
        "REDIS_URL": redis_url,
        "SCHEDULER": "xietong.distributed.WorkerScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": k["requests"],
        "SCHEDULER_DUPEFILTER_KEY": k["dupefilter"],
        "SCHEDULER_PERSIST": True,
        "EXTENSIONS": extensions,
        "ITEM_PIPELINES": pipelines,
    }, priority="cmdline")


def run_worker(redis_url: str, prefix: str, archive: str | None = None) -> int:
    """One worker process: join the job stored at `prefix`, crawl until the cluster is idle."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from pipelines.redis_queue import RedisWriter, WorkerState, worker_name

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "xietong.settings")
    server = connect(redis_url)
    raw = server.get(keys(prefix)["job"])
    if raw is None:
        sys.stderr.write(f"no distributed crawl is running at {redis_url} ({prefix})\n")
        return 2
    job = json.loads(raw)
    if archive:  # another machine: the archive's folder as mounted here (for warc/)
        job["archive"] = archive
    name = worker_name()
    settings = get_project_settings()
    worker_settings(settings, job, redis_url, prefix, name)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(job["spider"])
    writer = RedisWriter(server, prefix, job["archive"], job["crawl_id"],
                         settings.getint("XIETONG_BATCH_SIZE", 50), name=name)
    # The slots writer_for() and state_for() fill on first use, filled first: this crawl's
    # rows and per-URL state writes go to Redis, never to SQLite.
    crawler._xietong_writer = writer
    crawler._xietong_state = WorkerState(crawler, writer)
    process.crawl(crawler, **{k: v for k, v in job["args"].items() if v is not None})
    process.start()
    return 0 if crawler.stats.get_value("finish_reason") == "finished" else 1


# -- coordinator: start the job, the workers and the drain -----------------------------------

def run_distributed(spider: str, archive: Path, spider_args: dict, overrides: dict,
                    workers: int, redis_url: str, proxy: str | None = None,
                    prefix: str = DEFAULT_PREFIX, join: bool = False) -> int:
    """Run a crawl with `workers` local worker processes and drain their batches into
    `archive`; with `join`, only start workers for the job already running at `prefix`.
    Returns an exit code as run_crawl does (0 clean, 1 a worker failed, 4 archive locked)."""
    from archive.writer import ArchiveWriter
    from xietong import lock

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

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "xietong.settings")
    project = get_project_settings()
    delay = float(overrides.get("DOWNLOAD_DELAY", project.getfloat("DOWNLOAD_DELAY")))
    start = float(overrides.get("AUTOTHROTTLE_START_DELAY",
                                project.getfloat("AUTOTHROTTLE_START_DELAY")))
    return {**overrides, "DOWNLOAD_DELAY": delay * workers,
            "AUTOTHROTTLE_START_DELAY": max(start, delay) * workers}


def _start_workers(n: int, redis_url: str, prefix: str, proxy: str | None,
                   archive: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "xietong.settings"}
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
        from archive.drain import apply_batch

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


def main(argv: list[str] | None = None) -> int:
    """`python -m xietong.distributed worker --redis URL [--prefix P] [--db PATH]`: what the
    coordinator starts for each worker."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m xietong.distributed")
    parser.add_argument("command", choices=["worker"])
    parser.add_argument("--redis", default=os.environ.get("XIETONG_REDIS_URL",
                                                          DEFAULT_REDIS_URL))
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--db", default=None)
    a = parser.parse_args(argv)
    try:
        return run_worker(a.redis, a.prefix, a.db)
    except DistributedError as e:
        sys.stderr.write(f"{e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
