"""Distributed crawling end to end: two worker processes share the frontier and the duplicate
filter in a real Redis, push their rows to it, and one coordinator drains them into a real
SQLite file — against the replay server, through the real Scrapy engine.

Needs redis-server: $XIETONG_REDIS_URL (as .ci/run sets it), or a private one started here.
Skipped only when neither exists outside CI; in CI (CI=true) a missing Redis fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest
import redis
import sqlite_utils
from conftest import run_xietong
from scrapy.utils.project import get_project_settings

from sample_site.replay import ReplayServer
from xietong.distributed.coordinator import _polite
from xietong.distributed.jobs import STALE, keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    url = os.environ.get("XIETONG_REDIS_URL")
    if url:
        redis.Redis.from_url(url).ping()  # set but unreachable: an error, not a skip
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs redis-server (installed and started by .ci/run)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def two_worker_crawl(site, redis_url, tmp_path_factory):
    db = tmp_path_factory.mktemp("distributed") / "archive.db"
    # A little latency per request, so the crawl outlasts a worker's start-up and both work.
    with ReplayServer(site, latency=0.05) as replay:
        proc = run_xietong("crawl", "related", "--seed", site.seed, "--depth", "4",
                           "--db", str(db), "--proxy", replay.proxy_url, "--delay", "0",
                           "--workers", "2", "--redis", redis_url)
        requests = replay.requests
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db, proc, requests


def rows(db, sql):
    return sqlite_utils.Database(db).execute(sql).fetchall()


def test_every_relevant_article_archived_exactly_once(site, two_worker_crawl):
    db, _, _ = two_worker_crawl
    archived = [u for (u,) in rows(db, "select url from articles")]
    assert len(archived) == len(set(archived))
    assert set(archived) == site.relevant_urls()
    versions = rows(db, "select article_id, count(*) from article_versions group by article_id")
    assert {n for _, n in versions} == {1}
    assert len(versions) == len(archived)


def test_no_url_fetched_twice(two_worker_crawl):
    _, _, requests = two_worker_crawl
    counts = Counter(u for _, u in requests)
    # Each worker reads robots.txt for itself (its own parser); every other URL is fetched once.
    assert [u for u, n in counts.items() if n > 1 and not u.endswith("/robots.txt")] == []
    assert max(n for u, n in counts.items() if u.endswith("/robots.txt")) <= 2


def test_both_workers_fetched_and_one_writer_stored_it_all(two_worker_crawl):
    db, proc, requests = two_worker_crawl
    files = rows(db, "select warc_file, count(*) from captures group by warc_file")
    assert len(files) == 2, "each worker writes its own WARC file; both must have fetched"
    assert sum(n for _, n in files) == len(requests)
    # Every article names the captures it was read from, and they are stored.
    missing = rows(db, "select a.id from articles a, json_each(a.capture_ids) c "
                       "left join captures k on k.id = c.value where k.id is null")
    assert missing == []
    assert rows(db, "select count(*) from articles where capture_ids = '[]'") == [(0,)]
    # One crawls row for the whole run, with the workers' counts summed.
    ((reason, fetched, requisites, new, arguments),) = rows(
        db, "select finish_reason, pages_fetched, requisites_fetched, articles_new, arguments "
            "from crawls")
    # Photos and styles are fetched by the workers too, and counted apart from pages.
    assert (reason, fetched + requisites) == ("finished", len(requests)) and requisites > 0
    assert new == rows(db, "select count(*) from articles")[0][0]
    assert '"workers": 2' in arguments
    assert "related (2 workers): fetched" in proc.stderr


def test_the_crawls_row_says_which_reader_read_the_articles(two_worker_crawl):
    db, _, _ = two_worker_crawl
    ((readers, irrelevant),) = rows(db, "select readers, articles_irrelevant from crawls")
    archived = dict(rows(db, "select template, count(*) from articles group by template"))
    readers = json.loads(readers)
    assert set(readers) == set(archived) and archived
    # Every page read counts, the archived and the irrelevant ones.
    assert sum(readers.values()) == sum(archived.values()) + irrelevant


def test_per_url_state_is_drained_too(site, two_worker_crawl):
    db, _, requests = two_worker_crawl
    article_urls = {u for _, u in requests if u in site.articles}
    state = {u for (u,) in rows(db, "select url from url_state where kind = 'article'")}
    assert article_urls <= state


def test_every_photo_is_captured_once_in_a_distributed_crawl(two_worker_crawl):
    db, _, requests = two_worker_crawl
    photos = {i["src"] for (images,) in rows(db, "select images from articles")
              for i in json.loads(images)}
    captured = rows(db, "select url, count(*) from captures where status = 200 group by url")
    counts = dict(captured)
    assert photos and all(counts.get(p) == 1 for p in photos)
    state = {u for (u,) in rows(db, "select url from url_state where kind = 'requisite'")}
    assert photos <= state


def test_redis_is_left_clean(redis_url, two_worker_crawl):
    assert redis.Redis.from_url(redis_url).keys("xietong:*") == []


def test_unreachable_redis_is_a_clear_error(site, tmp_path):
    proc = run_xietong("crawl", "related", "--seed", site.seed, "--db",
                       str(tmp_path / "a.db"), "--workers", "2",
                       "--redis", f"redis://127.0.0.1:{_free_port()}/0")
    assert proc.returncode == 1
    assert "cannot reach Redis" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_worker_with_no_redis_says_so_in_one_line(tmp_path):
    # What the coordinator starts, and what `--join` runs on other machines.
    url = f"redis://127.0.0.1:{_free_port()}/0"
    for args in (["-m", "xietong.distributed", "worker", "--redis", url],
                 ["-m", "xietong", "crawl", "related", "--workers", "2", "--join",
                  "--redis", url, "--db", str(tmp_path / "a.db")]):
        proc = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "cannot reach Redis" in proc.stderr


def test_n_workers_keep_one_hosts_request_rate():
    # --delay 2 with 3 workers: each worker waits 6 s per host, the host still sees one
    # request every 2 s; without --delay the project's delay is scaled the same way.
    assert _polite({"DOWNLOAD_DELAY": 2.0}, 3)["DOWNLOAD_DELAY"] == 6.0
    default = get_project_settings().getfloat("DOWNLOAD_DELAY")
    assert _polite({}, 4)["DOWNLOAD_DELAY"] == default * 4


IDLE_PROBE = """
import json, os
from scrapy import Spider, signals

class Probe(Spider):
    name = "idle_probe"  # nothing to fetch: its worker only waits for the cluster's end

    async def start(self):
        return
        yield

class IdleCounter:
    def __init__(self):
        self.asked = 0

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls()
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def idle(self, spider):
        self.asked += 1

    def closed(self, spider, reason):
        with open(os.environ["IDLE_PROBE_OUT"], "w") as f:
            json.dump({"asked": self.asked, "reason": reason}, f)
"""


def test_a_waiting_worker_asks_at_every_beat_whether_it_may_close(redis_url, tmp_path):
    # An idle Scrapy engine asks its spider_idle handlers only every 5 s, so the cluster's end
    # reached each worker up to 5 s late (a 1,000-article crawl took 40 % longer). The worker
    # asks at each heartbeat, through the same signal: every handler still has its say.
    (tmp_path / "idle_probe.py").write_text(IDLE_PROBE)
    server = redis.Redis.from_url(redis_url)
    k = keys("idle-probe")
    # Another worker, busy, whose report goes stale (it is taken for dead) 1.5 s from now.
    server.hset(k["workers"], "other", json.dumps({"busy": True, "at": time.time() - STALE + 1.5}))
    server.set(k["job"], json.dumps({
        "spider": "idle_probe", "args": {}, "crawl_id": 1, "workers": 1,
        "archive": str(tmp_path / "archive.db"),
        "overrides": {"SPIDER_MODULES": ["idle_probe"],
                      "EXTENSIONS": {**get_project_settings().getdict("EXTENSIONS"),
                                     "idle_probe.IdleCounter": 500}}}))
    out = tmp_path / "probe.json"
    env = {**os.environ, "IDLE_PROBE_OUT": str(out),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    try:
        proc = subprocess.run([sys.executable, "-m", "xietong.distributed", "worker",
                               "--redis", redis_url, "--prefix", "idle-probe"],
                              capture_output=True, text=True, timeout=120, env=env)
    finally:
        server.delete(*k.values())
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["reason"] == "finished"
    # 1.5 s of a busy cluster and 1 s of grace, asked every 0.2 s: about a dozen questions.
    # Left to the engine's own heartbeat: three (at the start, after 5 s and after 10 s).
    assert report["asked"] >= 6, report
