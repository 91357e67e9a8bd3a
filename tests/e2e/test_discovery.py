"""The discovery spiders end to end (issue 4): channel lists, topic/series pages and the search
API of the sample site, over real HTTP through the replay proxy, into a real SQLite archive."""

from __future__ import annotations

import pytest
from discovery_helpers import (
    archived,
    article_requests,
    channel_urls,
    crawl,
    crawl_rows,
    rows,
    search_urls,
    series_urls,
)

from peoplecn import urls
from sample_site import lists


def test_channel_spider_archives_exactly_the_listed_articles(site, tmp_path):
    db = tmp_path / "archive.db"
    proc, exchanges = crawl(site, db, "channel")
    expected = channel_urls(site)
    assert archived(db) == expected and len(expected) >= 15
    # an off-topic article on a list is read but not kept
    off_topic = {a["url"] for spec in site.listings if spec.kind == "list"
                 for a in lists.members(spec, site.articles) if not a.get("relevant", True)}
    assert off_topic and off_topic <= set(article_requests(exchanges))
    (row,) = crawl_rows(db)
    assert (row["spider"], row["finish_reason"], row["profile"]) == ("channel", "finished",
                                                                      "jingjinji")
    assert row["articles_new"] == len(expected)
    assert row["articles_irrelevant"] == len(off_topic)
    assert row["articles_fetched"] == len(article_requests(exchanges))
    assert row["lists_fetched"] == sum(1 for e in exchanges if "/GB/" in e.url)
    assert "channel: finished" in proc.stderr  # the one-line summary


def test_series_spider_archives_the_topics_and_numbers_their_members(site, tmp_path):
    db = tmp_path / "archive.db"
    crawl(site, db, "series")
    assert archived(db) == series_urls(site)
    for spec in (s for s in site.listings if s.kind == "topic"):
        listed = lists.members(spec, site.articles)  # newest first, as the index shows them
        got = rows(db, "select article_id from series_articles where series = ? "
                       "order by position", [spec.series])
        assert [a for (a,) in got] == [urls.article_id(a["url"]) for a in reversed(listed)]
        (index_url,) = rows(db, "select index_url from series where id = ?", [spec.series])[0]
        assert index_url == spec.url
    # the series each article names on its own page is the same row as its topic's
    named = rows(db, "select distinct a.series from articles a join series_articles m "
                     "on m.article_id = a.id where m.series = '京津冀协同发展十年'")
    assert named == [("京津冀协同发展十年",)]
    assert rows(db, "select count(*) from series where id like '%系列报道%'") == [(0,)]


def test_search_spider_archives_from_the_api_text_and_fetches_what_it_lacks(site, tmp_path):
    db = tmp_path / "archive.db"
    _, exchanges = crawl(site, db, "search")
    expected = search_urls(site)
    assert archived(db) == expected and len(expected) >= 10
    fetched = {urls.canonical_article_url(u) for u in article_requests(exchanges)}
    lacking = {u for u in expected if site.articles[u].get("search_body") is False
               or site.articles[u].get("pages")}
    assert lacking and fetched == lacking  # only pages the API has no full text for
    api_only = "http://bj.people.com.cn/n2/2025/0612/c82838-41253307.html"
    (title, source, published, body) = rows(
        db, "select title, source, published_at, body from articles where url = ?",
        [api_only])[0]
    spec = site.articles[api_only]
    assert (title, source) == (spec["title"], spec["source"])
    assert published == "2025-06-12T16:45:00+08:00"
    assert body.startswith("家住廊坊的刘阿姨")
    posts = [e for e in exchanges if e.method == "POST"]
    assert posts and all(e.status == 200 for e in posts)


def test_search_splits_windows_the_index_cannot_page_through(fresh_site, tmp_path):
    # The index repeats page 1 past page 2 here, and gives 2 records a page: only windows of
    # at most 4 results can be read whole, so the spider must split until they fit.
    fresh_site.search_max_pages = 2
    db = tmp_path / "archive.db"
    crawl(fresh_site, db, "search", "--set", "XIETONG_SEARCH_LIMIT=2",
          "--set", "XIETONG_SEARCH_MAX_PAGES=2", "--set", "XIETONG_CRAWL_DELAY_MAX=0")
    assert archived(db) == search_urls(fresh_site)
    (row,) = crawl_rows(db)
    assert row["stats"]["xietong/search_windows_split"] >= 3


@pytest.mark.parametrize("spider", ["channel", "series", "search", "all"])
def test_unknown_profile_is_a_clear_error(spider, tmp_path):
    from conftest import run_xietong

    proc = run_xietong("crawl", spider, "--profile", "no-such-topic", "--db",
                       str(tmp_path / "a.db"))
    assert proc.returncode == 2
    assert "no profile named 'no-such-topic'" in proc.stderr
    assert "Traceback" not in proc.stderr
