"""Fetch once, keep current (issue 4): `crawl all` twice on an unchanged site, then on a site
with one new and one edited article; conditional revisits; the lock; the coverage alarm."""

from __future__ import annotations

import copy
import re

import pytest
import sqlite_utils
from conftest import ROOT
from discovery_helpers import all_urls, archived, article_requests, crawl, crawl_rows, rows

from peoplecn import urls
from runtime import lock
from sample_site.replay import ReplayServer

ALL = ("--depth", "4")  # the related spider's reach in the related-crawl tests
NEW_URL = "http://he.people.com.cn/n2/2025/1020/c192235-41396610.html"
EDITED_URL = "http://he.people.com.cn/n2/2024/0304/c192235-40755830.html"


def snapshot(db):
    return rows(db, "select * from articles order by id")


@pytest.fixture(scope="module")
def crawled_twice(tmp_path_factory):
    """`crawl all` on the sample site, and again on the same, unchanged site."""
    from sample_site.site import build_site

    site = build_site()
    db = tmp_path_factory.mktemp("all") / "archive.db"
    crawl(site, db, "all", *ALL)
    first = snapshot(db)
    last_id = max(r["id"] for r in crawl_rows(db))
    second_proc, exchanges = crawl(site, db, "all", *ALL)
    second = crawl_rows(db, since_id=last_id)
    return site, db, first, second, snapshot(db), exchanges, second_proc


@pytest.fixture(scope="module")
def crawled_after_edits(crawled_twice):
    """Then the site gains one new article and one edited one, and `crawl all` runs again."""
    site, db, *_ = crawled_twice
    before = {r["id"]: r for r in sqlite_utils.Database(db).query("select * from articles")}
    last_id = max(r["id"] for r in crawl_rows(db))
    site.put_article(_new(site))
    site.put_article(_edited(site))
    _, exchanges = crawl(site, db, "all", *ALL)
    after = {r["id"]: r for r in sqlite_utils.Database(db).query("select * from articles")}
    return before, after, crawl_rows(db, since_id=last_id), exchanges


def test_all_archives_every_source_once(crawled_twice):
    site, db, first, second, *_ = crawled_twice
    assert {r[1] for r in first} == all_urls(site)
    assert [r["spider"] for r in second] == ["series", "channel", "search", "related"]


def test_second_run_on_an_unchanged_site_fetches_no_article_page(crawled_twice):
    site, db, first, second, unchanged, exchanges, second_proc = crawled_twice
    assert [r["finish_reason"] for r in second] == ["finished"] * 4
    assert sum(r["articles_fetched"] for r in second) == 0
    assert article_requests(exchanges) == []
    # the lists and topics were read again — asked conditionally, answered 304
    assert sum(r["lists_fetched"] for r in second) >= 5
    list_pages = [e for e in exchanges if "/GB/" in e.url]
    assert list_pages and all(e.conditional and e.status == 304 for e in list_pages)
    assert unchanged == first
    assert "all (series, channel, search, related)" in second_proc.stderr  # the summary


def _edited(site):
    spec = copy.deepcopy(site.articles[EDITED_URL])
    spec["title"] += "（更新）"
    spec["body"][1] = spec["body"][1].replace("280余种", "290余种")
    spec["modified"] = "2025-10-21 09:00"
    return spec


def _new(site):
    spec = copy.deepcopy(site.articles["http://he.people.com.cn/n2/2025/1015/c192235-41392011.html"])
    spec.update(url=NEW_URL, published="2025-10-20 15:30", discover="channel",
                title="京津冀三地联合发布冬季大气污染防治方案 重污染天气预警互通",
                body=["　　京津冀三地生态环境部门日前联合发布冬季大气污染防治方案，统一预警分级，"
                      "重污染天气来临前三地同步启动应急响应。"])
    return spec


def test_a_new_and_an_edited_article_are_exactly_what_the_next_run_fetches(crawled_after_edits):
    before, after, runs, exchanges = crawled_after_edits
    fetched = {urls.canonical_article_url(u) for u in article_requests(exchanges)}
    assert fetched == {NEW_URL, EDITED_URL}
    assert sum(r["articles_new"] for r in runs) == 1
    assert sum(r["articles_changed"] for r in runs) == 1
    assert sum(r["articles_fetched"] for r in runs) == 2
    assert set(after) - set(before) == {urls.article_id(NEW_URL)}
    changed = {i for i in before if before[i]["content_hash"] != after[i]["content_hash"]}
    assert changed == {urls.article_id(EDITED_URL)}
    assert after[urls.article_id(EDITED_URL)]["title"].endswith("（更新）")
    # the channel list stopped at the first page with nothing new: page 3 was not read
    he_list = [e.url for e in exchanges if "/GB/197051/379555/" in e.url]
    assert he_list == ["http://he.people.com.cn/GB/197051/379555/index.html",
                       "http://he.people.com.cn/GB/197051/379555/index2.html"]


def test_due_articles_are_revisited_conditionally(site, tmp_path):
    db = tmp_path / "archive.db"
    # A revisit interval of zero: every article is due again at once, and is asked with the
    # validators its last fetch gave (the lists are unchanged, so only revisits fetch pages).
    now = ("--set", "XIETONG_REVISIT_MIN_DAYS=0", "--set", "XIETONG_REVISIT_MAX_DAYS=0")
    crawl(site, db, "channel", *now)
    _, exchanges = crawl(site, db, "channel", *now)
    pages = [e for e in exchanges if urls.is_article_url(e.url)]
    assert pages and all(e.conditional and e.status == 304 for e in pages)
    row = crawl_rows(db)[-1]
    assert row["articles_fetched"] == row["articles_not_modified"] == len(pages)
    assert (row["articles_new"], row["articles_changed"]) == (0, 0)


def test_a_run_started_while_another_holds_the_lock_exits_at_once(site, tmp_path):
    db = tmp_path / "archive.db"
    lock.acquire(db, "test holder")  # this process plays the running crawl
    try:
        proc, exchanges = crawl(site, db, "all", expect=4)
    finally:
        lock.release(db)
    assert "another crawl is already running on" in proc.stderr
    assert "test holder" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert exchanges == []


def test_scrapy_crawl_meets_the_lock_too(site, tmp_path):
    import os
    import subprocess
    import sys

    db = tmp_path / "archive.db"
    lock.acquire(db, "test holder")
    try:
        with ReplayServer(site) as replay:
            env = {**os.environ, "http_proxy": replay.proxy_url}
            proc = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", "channel", "-s",
                 f"XIETONG_ARCHIVE={db}", "-s", "DOWNLOAD_DELAY=0"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            exchanges = replay.exchanges
    finally:
        lock.release(db)
    assert "another crawl is already running" in proc.stderr
    assert [e for e in exchanges if "/GB/" in e.url or urls.is_article_url(e.url)] == []
    assert [r["finish_reason"] for r in crawl_rows(db)] == ["locked"]


def _break_date_lines(site):
    """The date line's containers renamed on every article page: the 2020s div.col-1-1 and
    the 2016 div.box01 — what a template change on the site would do."""
    for key, res in list(site.resources.items()):
        if res.status == 200 and urls.is_article_url(key):
            body = re.sub(rb'class="col-1-1"', b'class="col-1-x"', res.body)
            body = re.sub(rb'class="box01"', b'class="box0x"', body)
            site.resources[key] = type(res)(res.status, res.headers, body)


def test_broken_date_markup_fails_the_run_naming_the_field(fresh_site, tmp_path):
    _break_date_lines(fresh_site)
    db = tmp_path / "archive.db"
    proc, _ = crawl(fresh_site, db, "channel", expect=3)
    assert "published_at" in proc.stderr
    assert "coverage" in proc.stderr
    (row,) = crawl_rows(db)
    assert row["coverage_failed"] == "published_at"
    assert archived(db), "the articles are still archived; the run is flagged, not lost"
