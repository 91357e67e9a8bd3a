"""The crawl's shared services (runtime/services.py): the CrawlServices extension builds the
writer and the per-URL state from the classes the settings name, once per crawl, gives the state
the spider's name when it opens and closes it with the spider; without the extension nothing
can reach the archive, and it says so.
"""

from __future__ import annotations

import sqlite3

import pytest
from crawler_kit import close_spider, crawler_for, open_spider

from runtime.services import ArchiveWriterService, CrawlServices, services
from runtime.state import CrawlState


class RecordingState(CrawlState):
    """A state class named in XIETONG_STATE (as a distributed worker names its own)."""

    @classmethod
    def from_crawler(cls, crawler, writer=None):
        state = super().from_crawler(crawler, writer)
        state.given_writer = writer
        return state


def test_the_writer_and_state_are_built_once_from_the_classes_the_settings_name(tmp_path):
    archive = tmp_path / "archive.db"
    crawler = crawler_for(archive, XIETONG_STATE=RecordingState)
    found = services(crawler)
    assert found is crawler.get_extension(CrawlServices) is services(crawler)
    assert isinstance(found.writer, ArchiveWriterService) and found.writer.path == archive
    assert isinstance(found.state, RecordingState) and found.state.given_writer is found.writer
    assert archive.exists()


def test_the_state_knows_the_spider_and_is_closed_with_it(tmp_path):
    crawler = crawler_for(tmp_path / "archive.db")
    spider = open_spider(crawler)
    state = services(crawler).state
    url = "http://bj.people.com.cn/GB/25527/376731/376732/index.html"
    state.record_fetch(url, "list", 200, body=b"x")
    state.writer.flush()  # state commits with the writer's batch (issue 18)
    assert state.get(url)["spider"] == spider.name == "default"
    close_spider(crawler)
    with pytest.raises(sqlite3.ProgrammingError):
        state.get(url)


def test_without_the_extension_nothing_can_reach_the_archive(tmp_path):
    crawler = crawler_for(tmp_path / "archive.db",
                          EXTENSIONS={"runtime.services.CrawlServices": None})
    with pytest.raises(RuntimeError, match="CrawlServices extension is not enabled"):
        services(crawler)
