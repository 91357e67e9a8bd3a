"""One crawl per archive (runtime/lock.py): the CrawlLock extension, as the project settings wire
it, against a lock held by another real process — a crawl meeting it stops before its first
request — and the lock let go when the crawl ends.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest
from crawler_kit import FetchSpider, LocalServer, crawler_for, run_crawl, send
from scrapy.exceptions import CloseSpider
from scrapy.utils.spider import DefaultSpider

from runtime import lock
from runtime.lock import CrawlLock

HOLD = """
import fcntl, sys
f = open(sys.argv[1], "a+")
fcntl.flock(f, fcntl.LOCK_EX)
f.seek(0); f.truncate(); f.write("pid 4242, started earlier: another crawl\\n"); f.flush()
print("held", flush=True)
sys.stdin.read()
"""

TRY = """
import fcntl, sys
f = open(sys.argv[1], "a+")
try:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    sys.exit(1)
"""


@contextmanager
def held_by_another_process(archive):
    """Another process (a running crawl) holds the archive's lock until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock.lock_path(archive))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield
    finally:
        proc.stdin.close()
        proc.wait(10)


def another_process_can_lock(archive) -> bool:
    path = lock.lock_path(archive)
    path.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, "-c", TRY, str(path)], timeout=10).returncode == 0


def _ok(handler, path):
    send(handler, 200, b"<html><body><p>ok</p></body></html>", {"Content-Type": "text/html"})


def test_a_crawl_meeting_the_lock_stops_before_its_first_request(tmp_path):
    archive = tmp_path / "archive.db"
    with LocalServer({"/p": _ok}) as server, held_by_another_process(archive):
        crawler = run_crawl(archive, FetchSpider, requests=[server.url("/p")])
        asked = server.paths()
    assert asked == []  # not even robots.txt
    assert crawler.stats.get_value("finish_reason") == "locked"
    assert crawler.spider.received == []


def test_a_crawl_holds_the_lock_while_it_runs_and_lets_go_at_the_end(tmp_path):
    archive = tmp_path / "archive.db"
    during = []

    def probe(handler, path):
        during.append(another_process_can_lock(archive))
        _ok(handler, path)

    with LocalServer({"/p": probe}) as server:
        crawler = run_crawl(archive, FetchSpider, requests=[server.url("/p")],
                            settings={"ROBOTSTXT_OBEY": False})
    assert len(crawler.spider.received) == 1
    assert during == [False]
    assert another_process_can_lock(archive)


def test_the_extension_closes_the_spider_with_the_holders_note(tmp_path, caplog):
    archive = tmp_path / "archive.db"
    crawler = crawler_for(archive)
    ext = crawler.get_extension(CrawlLock)  # wired by EXTENSIONS in runtime/settings.py
    spider = DefaultSpider.from_crawler(crawler)
    with held_by_another_process(archive):
        with pytest.raises(CloseSpider) as stopped:
            ext.opened(spider)
    assert stopped.value.reason == "locked"
    assert "another crawl is already running" in caplog.text and "pid 4242" in caplog.text
    ext.closed(spider, "locked")  # held nothing: releases nothing
    assert another_process_can_lock(archive)


def test_the_lock_is_reentrant_in_one_process_and_kept_until_the_last_release(tmp_path):
    archive = tmp_path / "archive.db"
    with lock.held(archive, "crawl all"):
        ext = CrawlLock(str(archive))  # a spider of `crawl all` takes it again
        ext.opened(DefaultSpider())
        ext.closed(DefaultSpider(), "finished")
        assert not another_process_can_lock(archive)
    assert another_process_can_lock(archive)


def test_an_archive_reached_through_a_symlink_is_the_same_archive(tmp_path):
    archive = tmp_path / "archive.db"
    archive.touch()
    (tmp_path / "link.db").symlink_to(archive)
    with held_by_another_process(archive), pytest.raises(lock.Locked, match="pid 4242"):
        lock.acquire(tmp_path / "link.db")


def test_a_lock_that_cannot_be_made_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(lock.LockUnavailable, match="cannot create the lock file"):
        lock.acquire(tmp_path / "file" / "archive.db")
