"""A worker of a distributed crawl (coordinator.py): scrapy-redis's scheduler adapted to
share the frontier well, the rule for when a worker may stop, and the worker process itself.

A worker never writes SQLite: its rows go to Redis (redis_writer.py) for the drain.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque

import redis
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task
from twisted.python.failure import Failure

from xietong.distributed.jobs import STALE, connect, keys

HEARTBEAT = 0.2  # s between a worker's busy/idle reports (and its look at the shared queue)
IDLE_GRACE = 1.0  # s the whole cluster must look idle before a worker closes
START_WAIT = 10.0  # s a worker waits at most for the others started with it
CLAIMED = "xietong_claimed"  # meta: a request this worker took from the shared queue


class WorkerScheduler(Scheduler):
    """scrapy-redis's scheduler (shared priority queue and duplicate filter), with two changes:
    the further pages of an article (requests carrying `pages_todo`) stay in this worker, in
    order, so the worker that read page 1 merges the article and knows all its captures; and it
    takes a request from the shared queue only while fewer than XIETONG_WORKER_PREFETCH of its
    own wait to be sent — Scrapy would otherwise pull up to CONCURRENT_REQUESTS at once and
    queue them behind its one-per-host slots, starving the other workers.

    Settings read: REDIS_URL, SCHEDULER_QUEUE_KEY, SCHEDULER_DUPEFILTER_KEY (and scrapy-redis's),
    XIETONG_WORKER_PREFETCH.
    """

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.prefetch = crawler.settings.getint("XIETONG_WORKER_PREFETCH")
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

    def has_room(self) -> bool:
        """Fewer than XIETONG_WORKER_PREFETCH of this worker's requests wait to be sent."""
        return not self.local and self._waiting() < self.prefetch

    def claim(self):
        """A request from the shared queue for this worker, or None. It was seen by the shared
        duplicate filter when it was queued; hand it to `engine.crawl` (it comes back through
        enqueue_request, marked, into the local queue)."""
        request = self.queue.pop()
        if request is not None:
            request.meta[CLAIMED] = True
        return request

    def enqueue_request(self, request):
        if request.meta.pop(CLAIMED, False):
            self.local.append(request)
            return True
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
        self.server = redis.Redis.from_url(s["XIETONG_REDIS_URL"])
        self.keys = keys(s["XIETONG_REDIS_PREFIX"])
        self.name = s["XIETONG_WORKER_NAME"]
        self.expected = s.getint("XIETONG_WORKERS_EXPECTED")
        self.idle_since: float | None = None
        self.loop = None
        self.closing = False

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
        # first pages alone. Bounded: a worker that never comes is not waited for. The wait
        # is a Deferred (spider_opened supports them), so the reactor keeps running.
        return self._wait_for_others(time.monotonic() + START_WAIT)

    def _wait_for_others(self, deadline: float):
        if self.server.hlen(self.keys["workers"]) >= self.expected or time.monotonic() > deadline:
            self.loop = task.LoopingCall(self.beat)
            self.loop.start(HEARTBEAT, now=False)
            return None
        from twisted.internet import reactor  # the one Scrapy installed, at run time

        return task.deferLater(reactor, 0.05, self._wait_for_others, deadline)

    def beat(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        # Busy: this worker has pages in flight or in its spider, which may queue requests.
        # (Requests waiting in Redis are the cluster's, not a sign of this worker's work.)
        scraping = engine.scraper.slot is not None and not engine.scraper.slot.is_idle()
        self._report(bool(engine.downloader.active) or scraping)
        # Other workers queue requests without this engine knowing (it looks by itself only
        # every 5 s): take one while there is room, through the engine's public door.
        scheduler = engine.scheduler if isinstance(engine.scheduler, WorkerScheduler) else None
        if scheduler is not None and scheduler.has_room():
            request = scheduler.claim()
            if request is not None:
                engine.crawl(request)
                return
        if engine.spider_is_idle():
            self._ask_idle(engine)

    def _ask_idle(self, engine) -> None:
        """Ask the spider_idle question now, as the engine would. An idle engine asks it only
        every 5 s (its heartbeat), so the cluster's end would reach each worker up to 5 s late;
        asked every beat through the same signal, every idle handler (ours among them) still
        decides, and the workers close within IDLE_GRACE of the end."""
        if self.closing:
            return
        results = self.crawler.signals.send_catch_log(
            signals.spider_idle, spider=engine.spider, dont_log=(DontCloseSpider, CloseSpider))
        raised = [r.value for _, r in results if isinstance(r, Failure)]
        if any(isinstance(e, DontCloseSpider) for e in raised) or not engine.spider_is_idle():
            return
        reason = next((e.reason for e in raised if isinstance(e, CloseSpider)), "finished")
        self.closing = True
        deferred_from_coro(engine.close_spider_async(reason=reason))

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
                  "runtime.lock.CrawlLock": None,  # the coordinator holds the archive's lock
                  "runtime.report.CrawlReport": None,  # it reads and writes the archive
                  "xietong.distributed.worker.WorkerLifecycle": 100}
    settings.setdict({
        "XIETONG_ARCHIVE": job["archive"],
        "XIETONG_CRAWL_ID": job["crawl_id"],
        # Rows and per-URL state writes go to Redis, never to SQLite.
        "XIETONG_WRITER": "xietong.distributed.redis_writer.RedisWriter",
        "XIETONG_STATE": "xietong.distributed.redis_writer.WorkerState",
        "XIETONG_REDIS_URL": redis_url,
        "XIETONG_REDIS_PREFIX": prefix,
        "XIETONG_WORKER_NAME": name,
        "XIETONG_WORKERS_EXPECTED": job.get("workers", 1),
        "REDIS_URL": redis_url,
        "SCHEDULER": "xietong.distributed.worker.WorkerScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": k["requests"],
        "SCHEDULER_DUPEFILTER_KEY": k["dupefilter"],
        "SCHEDULER_PERSIST": True,
        "EXTENSIONS": extensions,
    }, priority="cmdline")


def run_worker(redis_url: str, prefix: str, archive: str | None = None) -> int:
    """One worker process: join the job stored at `prefix`, crawl until the cluster is idle."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from xietong.distributed.redis_writer import worker_name

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "runtime.settings")
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
    process.crawl(crawler, **{k: v for k, v in job["args"].items() if v is not None})
    process.start()
    return 0 if crawler.stats.get_value("finish_reason") == "finished" else 1
