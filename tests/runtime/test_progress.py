"""The progress line (runtime/progress.py): off unless XIETONG_PROGRESS; counts pages (not photos),
articles by outcome and every kind of error; ends with one summary line naming the reason."""

from __future__ import annotations

import pytest
from crawler_kit import crawler_for, in_reactor
from scrapy.exceptions import NotConfigured
from scrapy.utils.spider import DefaultSpider

from runtime.progress import Progress

# The failure ledger (runtime/failures.py) as a crawl counts it: each failed request once, by
# cause — here two 404s, a 503 given up after its retries, an unreadable page, a spider error.
STATS = {"downloader/response_count": 12, "xietong/requisites/fetched": 2,
         "xietong/articles_new": 3, "xietong/articles_changed": 1,
         "xietong/articles_unchanged": 2, "xietong/articles_irrelevant": 4,
         "xietong/parse_errors": 1, "downloader/response_status_count/200": 9,
         "downloader/response_status_count/404": 2, "downloader/response_status_count/503": 1,
         "spider_exceptions/ValueError": 1, "spider_exceptions/count": 1,
         "xietong/errors": 5, "xietong/errors/http_404": 2, "xietong/errors/http_503": 1,
         "xietong/errors/parse": 1, "xietong/errors/spider": 1,
         "xietong/read_by/people_2020": 6}


def progress(tmp_path) -> Progress:
    crawler = crawler_for(tmp_path / "a.db", XIETONG_PROGRESS=True)
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)
    return Progress.from_crawler(crawler)


def test_progress_is_off_unless_asked_for(tmp_path):
    with pytest.raises(NotConfigured):
        Progress.from_crawler(crawler_for(tmp_path / "a.db"))


def test_the_line_counts_pages_not_photos_and_every_kind_of_error(tmp_path):
    line = progress(tmp_path).line()
    for part in ("fetched 10 pages", "read 6 articles", "new 3", "changed 1", "unchanged 2",
                 "not relevant 4", "errors 5", "2 photos and styles"):
        assert part in line, (part, line)


def test_the_run_ends_with_one_summary_line(tmp_path, capsys):
    ext = progress(tmp_path)
    spider = DefaultSpider()
    in_reactor(ext.opened, spider)
    in_reactor(ext.closed, spider, "finished")
    assert ext.loop is not None and not ext.loop.running
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("default: finished in ") and "fetched 10 pages" in last
    # the summary names the errors by cause, largest first
    assert "errors 5 (http_404 2, http_503 1, parse 1, spider 1)" in last
    assert "\x1b" not in last  # stderr is not a terminal here: no control codes
