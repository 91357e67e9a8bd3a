"""The run's report (runtime/report.py): the CrawlReport extension completes the `crawls` row of a
real crawl — counts, the field coverage of the new articles, the readers that read them — and
flags a run whose coverage is under its thresholds or whose new articles no template knew;
run_failure and crawl_totals say why a run failed and what it counted.
"""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from crawler_kit import crawl_site

from runtime.report import crawl_totals, run_failure
from sample_site.site import Resource, build_site
from spiders.related import RelatedSpider

GB_PAGE = "http://he.people.com.cn/GB/197051/8923456.html"  # a 2009 page: template-blind reader
OTHER_2020 = "http://bj.people.com.cn/n2/2020/1227/c82838-36492057.html"
JUDGED = {"XIETONG_REQUISITES": False, "XIETONG_COVERAGE_MIN_NEW": 3,
          "XIETONG_COVERAGE_MAX_MISSING": {"title": 0.0, "editors": 0.3},
          "XIETONG_TEMPLATE_BLIND_MAX_SHARE": 0.2}


def crawls(archive) -> list[dict]:
    rows = list(sqlite_utils.Database(archive).query("select * from crawls order by id"))
    for row in rows:
        row["coverage"] = json.loads(row["coverage"])
        row["readers"] = json.loads(row["readers"])
    return rows


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Three seeds — the sample seed with its editors line gone, a /GB/ page no template reads,
    another 2020 page — crawled twice into one archive."""
    site = build_site()
    page = site.get(site.seed)
    cut = page.body.replace("(责编：陈思远、郭楠)".encode(), b"")
    assert cut != page.body
    site.canned[site.seed] = [Resource(200, page.headers, cut)]
    archive = tmp_path_factory.mktemp("report") / "archive.db"
    seeds = ",".join([site.seed, GB_PAGE, OTHER_2020])
    first = crawl_site(site, archive, RelatedSpider, JUDGED, seeds=seeds, depth="0")
    second = crawl_site(site, archive, RelatedSpider, JUDGED, seeds=seeds, depth="0")
    return archive, first, second


def test_the_crawls_row_gets_the_counts_coverage_and_readers(two_runs):
    archive, _, _ = two_runs
    row = crawls(archive)[0]
    assert (row["profile"], row["articles_fetched"], row["articles_failed"]) == \
        ("jingjinji", 3, 0)
    assert row["lists_fetched"] == 0
    assert row["readers"] == {"cues": 1, "people_2020": 2}
    assert row["coverage"]["new"] == 3
    assert row["coverage"]["missing"]["editors"] == pytest.approx(1 / 3, abs=0.001)
    assert row["coverage"]["missing"]["title"] == 0.0
    assert row["coverage"]["template_blind"] == pytest.approx(1 / 3, abs=0.001)


def test_a_run_under_its_thresholds_is_flagged_with_the_fields(two_runs):
    archive, first, _ = two_runs
    assert crawls(archive)[0]["coverage_failed"] == "editors,template_blind"
    assert first.stats.get_value("xietong/coverage_failed") == "editors,template_blind"


def test_articles_already_archived_are_not_judged_again(two_runs):
    archive, _, second = two_runs
    row = crawls(archive)[1]
    assert row["coverage"]["new"] == 0 and row["coverage_failed"] is None
    assert second.stats.get_value("xietong/coverage_failed") is None
    assert row["articles_fetched"] == 3  # fetched again, but nothing new to judge


def test_run_failure_names_why_a_run_failed():
    def failure(stats, reason="finished"):
        return run_failure(stats, reason, max_share=0.2, min_count=3)

    assert failure({"xietong/pages_done": 3}) is None
    assert failure({}, "shutdown").startswith("the run was stopped before it finished")
    assert failure({}, "closespider_timeout") == "the run did not finish (closespider_timeout)"
    assert failure({"xietong/write_failed": "capture of x: disk full",
                    "xietong/write_errors": 2}, "write_failed") == (
        "a write failed and the run stopped (2 write errors): capture of x: disk full")
    unreachable = {"xietong/pages_done": 4, "xietong/errors": 4,
                   "xietong/errors/connection": 4}
    assert failure(unreachable) == ("reached nothing it was asked for: all 4 page requests "
                                    "failed (connection 4)")
    robots = {"xietong/pages_done": 1, "xietong/errors": 1, "xietong/errors/robots": 1}
    assert failure(robots) == ("reached nothing it was asked for: its one page request failed "
                               "(robots 1)")
    # over the share: 3 of 10 page requests, 404s aside; under it, or too few, no failure
    many = {"xietong/pages_done": 10, "xietong/errors": 5, "xietong/errors/timeout": 3,
            "xietong/errors/http_404": 2}
    assert failure(many).startswith("3 of 10 page requests failed (timeout 3, http_404 2)")
    assert run_failure(many, "finished", max_share=0.5, min_count=3) is None
    assert run_failure(many, "finished", max_share=0.2, min_count=4) is None
    # photos that fail judge nothing
    photos = {"xietong/pages_done": 10, "xietong/errors": 5, "xietong/errors/http_503": 5,
              "xietong/errors_requisites": 5, "xietong/errors_requisites/http_503": 5}
    assert failure(photos) is None
    assert failure({"xietong/pages_done": 5, "xietong/errors/spider": 1}).startswith(
        "1 response raised an unexpected error in the spider")


def test_crawl_totals_count_pages_not_photos():
    stats = {"downloader/response_count": 10, "xietong/requisites/fetched": 4,
             "downloader/response_status_count/200": 7,
             "downloader/response_status_count/404": 2,
             "downloader/response_status_count/503": 1, "xietong/requisites/http_errors": 1,
             # the ledger: final answers (a 503 retried into a 200 is not here)
             "xietong/errors": 6, "xietong/errors/http_404": 2, "xietong/errors/http_503": 1,
             "xietong/errors/too_large": 2, "xietong/errors/parse": 1,
             "xietong/read_by/people_2020": 3, "xietong/read_by/cues": 1,
             "xietong/too_large": 2, "xietong/parse_errors": 1}
    totals = crawl_totals(stats, {"new": 2, "unchanged": 1})
    assert (totals["pages_fetched"], totals["http_errors"], totals["requisites_fetched"]) == \
        (6, 2, 4)
    assert (totals["articles_new"], totals["articles_changed"],
            totals["articles_unchanged"]) == (2, 0, 1)
    assert (totals["pages_too_large"], totals["parse_errors"]) == (2, 1)
    assert json.loads(totals["readers"]) == {"cues": 1, "people_2020": 3}
    assert totals["errors"] == 6
    assert json.loads(totals["errors_by_cause"]) == {"http_404": 2, "http_503": 1,
                                                     "parse": 1, "too_large": 2}
