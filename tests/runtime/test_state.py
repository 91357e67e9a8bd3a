"""The crawl's per-URL state (runtime/state.py), as the crawl's services build it from the
project settings: what a fetch found, when each URL is due again, the validators of a
conditional request, and the links of an archived article (from a real crawl of the sample
seed). Its writes go to the crawl's writer and commit with its next batch (issue 18: state
follows the archive); `committed` flushes that batch, as the writer does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crawler_kit import crawl_seed, crawler_for

from runtime.services import services
from runtime.state import HELD, CrawlState

LIST = "http://bj.people.com.cn/GB/25527/376731/376732/index.html"
ARTICLE = "http://bj.people.com.cn/n2/2024/0112/c14540-40710366.html"
OTHER = "http://tj.people.com.cn/n2/2024/0228/c375366-40749285.html"
VALIDATORS = {"ETag": b'"v1"', "Last-Modified": b"Fri, 01 Mar 2024 08:00:00 GMT"}


def state_for(archive, spider: str = "channel", **settings) -> CrawlState:
    crawler = crawler_for(archive, **settings)
    state = services(crawler).state
    state.spider = spider
    return state


def committed(state: CrawlState) -> CrawlState:
    """The state after its writer's batch commits (the writer flushes after records, and
    when the crawl ends)."""
    state.writer.flush()
    return state


def days_until_due(state: CrawlState, url: str) -> float:
    row = committed(state).get(url)
    due = datetime.fromisoformat(row["next_due_at"])
    return (due - datetime.fromisoformat(row["last_fetched_at"])) / timedelta(days=1)


def test_each_fetch_says_what_it_found_and_sets_the_next_visit(tmp_path):
    state = state_for(tmp_path / "a.db", XIETONG_REVISIT_MIN_DAYS=1, XIETONG_REVISIT_MAX_DAYS=3)
    fetch = state.record_fetch
    assert fetch(ARTICLE, "article", 200, VALIDATORS, b"one") == "new"
    assert days_until_due(state, ARTICLE) == 1
    assert fetch(ARTICLE, "article", 200, VALIDATORS, b"one") == "unchanged"
    assert days_until_due(state, ARTICLE) == 2  # unchanged: the interval doubles …
    assert fetch(ARTICLE, "article", 304) == "unchanged"
    assert days_until_due(state, ARTICLE) == 3  # … up to the maximum
    assert fetch(ARTICLE, "article", 200, body=b"two") == "changed"
    assert days_until_due(state, ARTICLE) == 1
    assert fetch(ARTICLE, "article", None, error="TimeoutError") == "failed"
    assert days_until_due(state, ARTICLE) == 0  # tried again next run
    assert fetch(OTHER, "article", 404) == "failed" and days_until_due(state, OTHER) == 3
    assert fetch(LIST, "list", 200, body=b"l") == "new" and days_until_due(state, LIST) == 0
    row = committed(state).get(ARTICLE)
    assert (row["fetch_count"], row["spider"], row["error"]) == (5, "channel", "TimeoutError")


def test_a_url_is_worth_fetching_when_new_due_or_retitled(tmp_path):
    state = state_for(tmp_path / "a.db")
    assert state.worth_fetching(ARTICLE, list_title="旧标题")
    state.record_fetch(ARTICLE, "article", 200, body=b"x")
    assert state.worth_fetching(ARTICLE)  # not committed yet: not known as fetched
    committed(state)
    assert not state.worth_fetching(ARTICLE)
    assert not committed(state).worth_fetching(ARTICLE, list_title="旧标题")
    assert state.worth_fetching(ARTICLE, list_title="新标题")  # the list shows a new headline
    committed(state).record_fetch(OTHER, "article", 200, body=b"y")
    assert not committed(state).worth_fetching(OTHER)
    at_once = state_for(tmp_path / "b.db", XIETONG_REVISIT_MIN_DAYS=0)
    committed(at_once).record_fetch(ARTICLE, "article", 200, body=b"x")
    assert committed(at_once).worth_fetching(ARTICLE)  # due again as soon as fetched


def test_validators_come_only_from_an_answer_that_had_the_page(tmp_path):
    state = state_for(tmp_path / "a.db")
    assert state.validators(LIST) == (None, None)
    state.record_fetch(LIST, "list", 200, VALIDATORS, b"l")
    assert committed(state).validators(LIST) == ('"v1"', "Fri, 01 Mar 2024 08:00:00 GMT")
    state.record_fetch(LIST, "list", 500)
    assert committed(state).validators(LIST) == (None, None)


def test_an_api_copy_counts_as_a_fetched_article(tmp_path):
    state = state_for(tmp_path / "a.db", spider="search")
    assert state.record_api_copy(ARTICLE, "全文") == "new"
    assert not committed(state).worth_fetching(ARTICLE)
    assert state.get(ARTICLE)["kind"] == "article"


def test_due_articles_are_this_spiders_and_at_most_the_limit(tmp_path):
    archive = tmp_path / "a.db"
    mine = state_for(archive, XIETONG_REVISIT_MIN_DAYS=0)
    theirs = state_for(archive, spider="series", XIETONG_REVISIT_MIN_DAYS=0)
    urls = [f"http://he.people.com.cn/n2/2024/0301/c192235-4000000{n}.html" for n in range(4)]
    for url in urls[:3]:
        mine.record_fetch(url, "article", 200, body=b"x")
    theirs.record_fetch(urls[3], "article", 200, body=b"x")
    mine.record_fetch(LIST, "list", 200, body=b"x")
    committed(mine), committed(theirs)
    assert sorted(mine.due_articles(10)) == urls[:3]
    assert len(mine.due_articles(2)) == 2 and theirs.due_articles(10) == [urls[3]]


@pytest.fixture(scope="module")
def archived_seed(site, tmp_path_factory):
    archive = tmp_path_factory.mktemp("state") / "archive.db"
    crawl_seed(site, archive)
    return archive


def test_the_links_of_an_archived_article_are_read_from_the_archive(site, archived_seed):
    state = state_for(archived_seed)
    spec = site.articles[site.seed]
    recommended = state.archived_links(site.seed, {"recommended"})
    assert recommended == [r["url"] for r in spec["recommended"]]
    related = state.archived_links(site.seed, {"related"})
    assert len(related) == len(spec["related"])
    assert state.archived_links(spec["related"][0], {"related"}) is None  # fetched? not archived
    assert state.archived_links("http://www.people.com.cn/", {"related"}) is None


def test_a_state_write_commits_with_the_writers_batch_never_before(tmp_path):
    archive = tmp_path / "a.db"
    state = state_for(archive)
    state.record_fetch(LIST, "list", 200, body=b"x")
    # another connection (a killed crawl's next run) does not see it before the batch commits …
    assert state_for(archive).get(LIST) is None
    committed(state)
    # … and sees it after, without a close
    assert state_for(archive).get(LIST)["status"] == 200
    assert datetime.fromisoformat(state_for(archive).get(LIST)["last_fetched_at"]) <= \
        datetime.now(UTC)


def test_a_held_write_waits_for_what_its_fetch_produces(tmp_path):
    state = state_for(tmp_path / "a.db")
    held: list = []
    assert state.record_fetch(ARTICLE, "article", 200, body=b"x", hold=held) == "new"
    assert committed(state).get(ARTICLE) is None and len(held) == 1  # held, not sent
    state.release(held)
    assert held == [] and committed(state).get(ARTICLE)["status"] == 200


def test_a_page_that_could_not_be_read_is_recorded_as_failed(tmp_path):
    from crawler_kit import response_for

    state = state_for(tmp_path / "a.db")
    committed(state).record_fetch(ARTICLE, "article", 200, VALIDATORS, b"x")
    response = response_for(ARTICLE, body=b"<html></html>", meta={"kind": "article"})
    state.record_fetch(ARTICLE, "article", 200, VALIDATORS, b"y",
                       hold=response.meta.setdefault(HELD, []))
    state.unreadable(response, "no_title")
    row = committed(state).get(ARTICLE)
    assert row["error"] == "unreadable: no_title" and state.validators(ARTICLE) == (None, None)
    assert state.worth_fetching(ARTICLE)  # due again at once, asked unconditionally
