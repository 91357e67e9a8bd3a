"""One line per failed download (runtime/logs.py): the log formatter the settings name keeps the
error's type and message and drops the Twisted traceback from the lines Scrapy logs for it."""

from __future__ import annotations

import logging

from crawler_kit import crawler_for
from scrapy.http import Request
from twisted.python.failure import Failure

from runtime.logs import OneLineLogFormatter


def _failure() -> Failure:
    try:
        raise ConnectionRefusedError("Connection was refused by other side: 111")
    except ConnectionRefusedError:
        return Failure()


def test_the_crawl_uses_the_one_line_formatter(tmp_path):
    assert isinstance(crawler_for(tmp_path / "a.db").logformatter, OneLineLogFormatter)


def test_a_failed_download_is_one_line_with_the_error(tmp_path):
    formatter = crawler_for(tmp_path / "a.db").logformatter
    request = Request("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html")
    entry = formatter.download_error(_failure(), request, None)
    message = entry["msg"] % entry["args"]
    assert entry["level"] == logging.ERROR and "\n" not in message
    assert message == (f"Error downloading {request}: ConnectionRefusedError: Connection was "
                       "refused by other side: 111")


def test_scrapys_own_error_lines_lose_their_traceback(tmp_path, caplog):
    OneLineLogFormatter.from_crawler(crawler_for(tmp_path / "a.db"))
    failure = _failure()
    for name in ("scrapy.core.scraper", "scrapy.downloadermiddlewares.robotstxt"):
        logging.getLogger(name).error(
            "Error downloading %(request)s", {"request": "<GET http://x/>"},
            exc_info=(failure.type, failure.value, failure.getTracebackObject()))
    logging.getLogger("scrapy.core.scraper").error("Spider error processing", exc_info=(
        failure.type, failure.value, failure.getTracebackObject()))
    downloads = [r for r in caplog.records if r.getMessage().startswith("Error downloading")]
    assert len(downloads) == 2 and all(r.exc_info is None for r in downloads)
    assert "Traceback" not in caplog.text.split("Spider error processing")[0]
    # a bug in the spider keeps its traceback: that one is worth reading
    (bug,) = [r for r in caplog.records if r.getMessage() == "Spider error processing"]
    assert bug.exc_info is not None
