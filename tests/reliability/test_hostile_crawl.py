"""The real Scrapy engine against a hostile site (hostile.py): a 60 MB page (streamed, and
announced), a gzip bomb, an article with 200,000 links, a page that dribbles, a 500 and a body
cut short. The crawl finishes with bounded memory, archives the seed and the good pages, and
records every bad page in url_state and the crawls row instead of archiving it.
"""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from hostile import (
    BOMB,
    ERROR,
    HUGE,
    HUGE_DECLARED,
    LINK_COUNT,
    LINKS,
    SLOW,
    TRUNCATED,
    HostileServer,
)
from measure import MB, note, run_measured

from peoplecn import urls
from peoplecn.pages.limits import MAX_LINKS

PEAK_RSS_LIMIT = 400 * MB


@pytest.fixture(scope="module")
def hostile_crawl(site, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "archive.db"
    with HostileServer(site) as server:
        run = run_measured(
            "crawl", "related", "--seed", site.seed, "--depth", "1", "--db", str(db),
            "--proxy", server.proxy_url, "--delay", "0",
            "--set", "DOWNLOAD_TIMEOUT=5", "--set", "RETRY_TIMES=1",
            # Its pages are bare: the template-blind alarm is not what this test is about; nor
            # is the failure share (half its pages fail on purpose: tests/reliability/
            # test_unattended.py holds the ledger to account).
            "--set", "XIETONG_TEMPLATE_BLIND_MAX_SHARE=1", "--set", "XIETONG_FAILURE_MAX_SHARE=1",
            label="hostile crawl (60 MB page ×2, 1 GiB gzip bomb, 200k links, slow, 500, cut)")
        good = {u for u in server.site.relevant_urls()
                if u in server.site.articles[site.seed]["related"]
                or u in [r["url"] for r in server.site.articles[site.seed]["recommended"]]}
    return db, run, good - {HUGE, HUGE_DECLARED, BOMB, LINKS, SLOW, ERROR, TRUNCATED}


def test_the_crawl_finishes_within_its_memory_bound(hostile_crawl):
    _, run, _ = hostile_crawl
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.peak_rss < PEAK_RSS_LIMIT, f"peak RSS {run.peak_rss / MB:.0f} MB"


def test_the_seed_and_the_good_pages_are_archived(hostile_crawl, site):
    db, _, good = hostile_crawl
    ids = {r["id"] for r in sqlite_utils.Database(db)["articles"].rows}
    assert urls.article_id(site.seed) in ids
    assert good and {urls.article_id(u) for u in good} <= ids


@pytest.mark.parametrize("url", [HUGE, HUGE_DECLARED, BOMB])
def test_a_page_over_the_size_limit_is_recorded_not_archived(hostile_crawl, url):
    db, _, _ = hostile_crawl
    archive = sqlite_utils.Database(db)
    state = archive["url_state"].get(url)
    assert state["status"] is None and state["error"].startswith("too_large"), state
    assert not list(archive["articles"].rows_where("id = ?", [urls.article_id(url)]))


def test_the_crawls_row_counts_the_pages_over_the_limit(hostile_crawl):
    db, _, _ = hostile_crawl
    (row,) = sqlite_utils.Database(db)["crawls"].rows
    assert row["pages_too_large"] == 3 and row["failure"] is None
    assert row["finish_reason"] == "finished"


def test_200k_links_are_cut_to_the_cap_and_the_cut_recorded(hostile_crawl):
    db, _, _ = hostile_crawl
    archive = sqlite_utils.Database(db)
    row = archive["articles"].get(urls.article_id(LINKS))
    assert json.loads(row["truncated"])["links"] >= LINK_COUNT - MAX_LINKS
    kept = archive.execute("select count(*) from links where from_article = ?",
                           [row["id"]]).fetchone()[0]
    assert kept == MAX_LINKS


@pytest.mark.parametrize("url", [SLOW, ERROR, TRUNCATED])
def test_slow_broken_and_cut_pages_are_recorded_as_failed(hostile_crawl, url):
    db, _, _ = hostile_crawl
    archive = sqlite_utils.Database(db)
    state = archive["url_state"].get(url)
    assert state["status"] in (None, 500) and state["content_hash"] is None, state
    assert not list(archive["articles"].rows_where("id = ?", [urls.article_id(url)]))


def test_the_figures(hostile_crawl):
    _, run, _ = hostile_crawl
    note(f"hostile crawl stderr tail: {run.stderr.strip().splitlines()[-1][:200]}")
