"""The store pipeline (pipelines/store.py) writes what the spiders found through the crawl's one
writer: articles (with the captures they were read from), status events and series listings; it
starts the run's `crawls` row when the spider opens and finishes it, with its counts and the
reason, when it closes. A write that fails stops the run and says which.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils
from crawler_kit import close_spider, crawl_seed, crawler_for, open_spider, read_page

from pipelines.store import ArchivePipeline
from runtime.items import SeriesListing, StatusEvent
from runtime.services import ArchiveWriterService
from spiders.related import RelatedSpider

TOPIC = "http://politics.people.com.cn/GB/8198/441926/index.html"


@pytest.fixture(scope="module")
def one_article_run(site, tmp_path_factory):
    archive = tmp_path_factory.mktemp("store") / "archive.db"
    return archive, crawl_seed(site, archive)


def test_the_crawls_row_is_started_and_finished_with_the_runs_counts(site, one_article_run):
    archive, crawler = one_article_run
    (row,) = sqlite_utils.Database(archive)["crawls"].rows
    assert (row["spider"], row["finish_reason"], row["failure"]) == ("related", "finished", None)
    assert row["started_at"] <= row["finished_at"]
    arguments = json.loads(row["arguments"])
    assert (arguments["seeds"], arguments["depth"]) == ([site.seed], 0)
    assert (row["articles_new"], row["articles_changed"], row["articles_unchanged"]) == (1, 0, 0)
    stats = json.loads(row["stats"])
    assert stats["xietong/articles_new"] == 1 == crawler.stats.get_value("xietong/articles_new")
    assert stats["finish_reason"] == "finished"


def test_the_article_is_stored_with_the_capture_it_was_read_from(site, one_article_run):
    archive, _ = one_article_run
    db = sqlite_utils.Database(archive)
    (article,) = db["articles"].rows
    assert (article["id"], article["title"]) == ("he-40745301", site.articles[site.seed]["title"])
    (capture_id,) = json.loads(article["capture_ids"])
    capture = db["captures"].get(capture_id)
    assert (capture["url"], capture["status"]) == (site.seed, 200)
    assert capture["crawl_id"] == 1


def test_status_events_and_series_listings_are_stored(site, tmp_path):
    archive = tmp_path / "archive.db"
    crawler = crawler_for(archive, RelatedSpider)
    spider = open_spider(crawler, keywords="", depth="0")
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    (item,), _ = read_page(spider, site, site.seed)
    for thing in (item, SeriesListing("京津冀协同发展十年", TOPIC, (("he-40745301", 3),)),
                  StatusEvent("he-40745301", "replaced", "the page no longer reads as one")):
        assert pipeline.process_item(thing) is thing
    pipeline.close_spider()
    close_spider(crawler, "finished")
    db = sqlite_utils.Database(archive)
    assert db["articles"].get("he-40745301")["status"] == "replaced"
    (member,) = db["series_articles"].rows
    assert (member["article_id"], member["position"], member["found_on"]) == \
        ("he-40745301", 3, "index")
    (row,) = db["crawls"].rows
    assert (row["spider"], row["finish_reason"], row["articles_new"]) == ("related", "finished", 1)
    assert crawler.stats.get_value("xietong/series_listings") == 1


class FullDatabase(ArchiveWriterService):
    """The archive writer when the disk under the SQLite file is full."""

    def add_record(self, record):
        raise sqlite3.OperationalError("database or disk is full")


def test_an_article_that_cannot_be_written_stops_the_run_and_says_which(site, tmp_path):
    archive = tmp_path / "archive.db"
    crawler = crawl_seed(site, archive, depth=1, XIETONG_WRITER=FullDatabase)
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "write_failed"
    assert stats["xietong/write_failed"] == "article he-40745301: database or disk is full"
    (row,) = sqlite_utils.Database(archive)["crawls"].rows
    assert row["failure"].startswith("a write failed and the run stopped")
    assert sqlite_utils.Database(archive)["articles"].count == 0
