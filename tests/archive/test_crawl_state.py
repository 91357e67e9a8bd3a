"""Per-URL crawl state and series rows on a real SQLite file (archive/crawl_state.py,
archive/series.py)."""

from __future__ import annotations

import pytest

from archive import crawl_state, series
from archive.schema import open_archive

URL = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"
T0, T1, T2 = "2025-01-01T00:00:00+00:00", "2025-01-02T00:00:00+00:00", "2025-01-05T00:00:00+00:00"


@pytest.fixture
def db(tmp_path):
    return open_archive(tmp_path / "a.db")


def fetch(db, now, status=200, body="a", **kw):
    return crawl_state.record_fetch(db, URL, kind="article", spider="channel", now=now,
                                    status=status, content_hash=body, etag=kw.get("etag"),
                                    revisit_days=(1, 8))


def test_outcomes_and_the_doubling_revisit_schedule(db):
    assert fetch(db, T0, etag='"x"') == "new"
    assert crawl_state.get(db, URL)["next_due_at"] == "2025-01-02T00:00:00+00:00"
    assert fetch(db, T1, status=304, body=None) == "unchanged"  # keeps hash and validator
    state = crawl_state.get(db, URL)
    assert (state["content_hash"], state["etag"], state["fetch_count"]) == ("a", '"x"', 2)
    assert state["next_due_at"] == "2025-01-04T00:00:00+00:00"  # 1 day → 2 days
    assert fetch(db, T2, body="b") == "changed"
    assert crawl_state.get(db, URL)["next_due_at"] == "2025-01-06T00:00:00+00:00"  # back to 1


def test_failures_are_due_at_once_but_a_404_waits_the_maximum(db):
    assert fetch(db, T0, status=503) == "failed"
    assert crawl_state.is_due(crawl_state.get(db, URL), T0)
    fetch(db, T0, status=404)
    assert crawl_state.get(db, URL)["next_due_at"] == "2025-01-09T00:00:00+00:00"


def test_lists_are_due_every_run(db):
    crawl_state.record_fetch(db, "http://he.people.com.cn/GB/1/index.html", kind="list",
                             spider="channel", now=T0, status=200, content_hash="h")
    assert crawl_state.is_due(crawl_state.get(db, "http://he.people.com.cn/GB/1/index.html"), T0)


def test_a_new_headline_on_a_list_is_noticed(db):
    assert crawl_state.note_list_title(db, URL, "旧标题") is False  # first sighting
    assert crawl_state.note_list_title(db, URL, "旧标题") is False
    assert crawl_state.note_list_title(db, URL, "新标题") is True


@pytest.mark.parametrize("spelling", [
    "京津冀协同发展十年", "「京津冀协同发展十年」系列报道", "京津冀协同发展十年--人民网",
    "“京津冀协同发展十年”系列", " 京津冀协同发展十年 专题 ",
])
def test_every_spelling_of_a_series_is_one_row(db, spelling):
    assert series.series_key(spelling) == "京津冀协同发展十年"


def test_an_index_position_outranks_an_article_join(db):
    series.join_series(db, "he-1", "「十年」系列报道", T0)
    series.save_listing(db, "十年", "http://x/index.html", [("he-1", 2), ("he-2", 1)], T1)
    series.join_series(db, "he-2", "十年", T2)
    got = db.execute("select article_id, position, found_on from series_articles "
                     "order by position").fetchall()
    assert got == [("he-2", 1, "index"), ("he-1", 2, "index")]
    assert db.execute("select id, index_url from series").fetchall() == [
        ("十年", "http://x/index.html")]


def test_a_kicker_joins_only_a_series_the_archive_already_has(db):
    kicker = {"id": "he-3", "pre_title": "京津冀协同发展三周年", "series": None}
    assert series.known_series(db, kicker) == kicker  # no such series yet: only a pre-title
    series.save_listing(db, "京津冀协同发展三周年--人民网", "http://x/index.html", [], T0)
    assert series.known_series(db, kicker)["series"] == "京津冀协同发展三周年"
    named = {"id": "he-4", "pre_title": "京津冀协同发展三周年", "series": "另一个系列"}
    assert series.known_series(db, named) == named  # the page's own series stands
