"""Politeness by default (issue 4): robots.txt Crawl-delay obeyed, 429/503 waited out as
Retry-After says and then retried, a descriptive User-Agent. Delays here are ~1 s; each check
is a lower bound (a request may come later than asked, never sooner)."""

from __future__ import annotations

import json

from discovery_helpers import crawl, crawl_rows, rows

from runtime.middlewares import retry_after_seconds
from sample_site.site import Resource

BJ_LIST = "http://bj.people.com.cn/GB/25527/376731/376732/index.html"


def one_list_profile(tmp_path, url: str = BJ_LIST) -> str:
    path = tmp_path / "one-list.toml"
    path.write_text(f'title = "test"\nkeywords = ["京津冀", "城市副中心", "通州"]\n'
                    f'[[channels]]\nurl = "{url}"\n', encoding="utf-8")
    return str(path)


def gaps(exchanges, host: str) -> list[float]:
    times = [e.at for e in exchanges if f"//{host}/" in e.url and not e.url.endswith("robots.txt")]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_robots_crawl_delay_spaces_requests_to_that_host(fresh_site, tmp_path):
    fresh_site.crawl_delays["bj.people.com.cn"] = 1
    db = tmp_path / "archive.db"
    _, exchanges = crawl(fresh_site, db, "channel", "--profile", one_list_profile(tmp_path))
    spacing = gaps(exchanges, "bj.people.com.cn")
    assert len(spacing) >= 3 and min(spacing) >= 0.95
    (row,) = crawl_rows(db)
    assert row["stats"]["xietong/crawl_delay/bj.people.com.cn"] == 1.0


def test_user_agent_names_the_crawler_and_a_contact(site, tmp_path):
    _, exchanges = crawl(site, tmp_path / "a.db", "channel", "--profile",
                         one_list_profile(tmp_path))
    agents = {e.user_agent for e in exchanges}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("xietong/") and "+http" in agent


def test_429_and_503_are_retried_after_the_stated_delay_then_recorded(fresh_site, tmp_path):
    fresh_site.canned[BJ_LIST] = [
        Resource(429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down"),
        Resource(503, {"Retry-After": "1", "Content-Type": "text/plain"}, b"busy"),
    ]
    db = tmp_path / "archive.db"
    _, exchanges = crawl(fresh_site, db, "channel", "--profile", one_list_profile(tmp_path))
    tries = [e for e in exchanges if e.url == BJ_LIST]
    assert [e.status for e in tries] == [429, 503, 200]
    assert tries[1].at - tries[0].at >= 0.95 and tries[2].at - tries[1].at >= 0.95
    assert rows(db, "select count(*) from articles") == [(3,)]  # the list, read in the end
    (row,) = crawl_rows(db)
    stats = row["stats"]
    assert (stats["xietong/retry_after/429"], stats["xietong/retry_after/503"]) == (1, 1)
    assert stats["retry/count"] == 2
    assert rows(db, "select status from url_state where url = ?", [BJ_LIST]) == [(200,)]


def test_a_wait_too_long_is_not_waited_and_the_url_is_left_for_next_run(fresh_site, tmp_path):
    article = "http://bj.people.com.cn/n2/2024/0112/c14540-40710366.html"
    fresh_site.canned[article] = [
        Resource(429, {"Retry-After": "3600", "Content-Type": "text/plain"}, b"come back later")]
    db = tmp_path / "archive.db"
    _, exchanges = crawl(fresh_site, db, "channel", "--profile", one_list_profile(tmp_path))
    assert [e.status for e in exchanges if e.url == article] == [429]
    (status, due, last) = rows(db, "select status, next_due_at, last_fetched_at from url_state "
                                   "where url = ?", [article])[0]
    assert status == 429 and due == last  # due again at once: the next run tries it
    (row,) = crawl_rows(db)
    assert row["articles_failed"] == 1 and row["http_errors"] >= 1
    assert json.loads(row["coverage"])["new"] == 2


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT",
                               now=1445412480 - 30) == 30  # 07:28:00 is 1445412480
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"soon") is None
