"""Datasette over the crawled sample archive, in process: search results with excerpts, facets,
the ranked all-tables search, the article page, series pages, coverage chart, Atom feeds."""

from __future__ import annotations

import asyncio
import re
import shutil
from urllib.parse import quote

import feedparser
import sqlite_utils
import xt_archive
from lxml import html as lxml_html
from xt_records import article_record

from archive.schema import ensure_schema
from archive.serve import make_datasette, metadata_for
from archive.store import save_article

# the module's fixtures (tests/datasette/xt_archive.py)
archive_copy, ds, rows = xt_archive.archive_copy, xt_archive.ds, xt_archive.rows

SEED = "he-40745301"


def get(ds, path):
    async def go():
        return await ds.client.get(path)
    response = asyncio.run(go())
    assert response.status_code == 200, (path, response.text[:2000])
    return response


def tree(response):
    return lxml_html.fromstring(response.text)


def test_search_results_show_marked_excerpts(ds, rows):
    page = tree(get(ds, "/archive/articles?_search=" + quote("雄安")))
    results = page.cssselect("li.xt-entry")
    assert len(results) == sum("雄安" in f"{r['title']}\n{r['body']}" for r in rows.values())
    for result in results:
        marks = [m.text for m in result.cssselect("mark")]
        assert marks and set(marks) == {"雄安"}
        href = result.cssselect("a.xt-entry-title")[0].get("href")
        assert href.startswith("/archive/articles/") and href.endswith("?q=%E9%9B%84%E5%AE%89")


def test_configured_facets_are_shown(ds):
    data = get(ds, "/archive/articles.json?_search=" + quote("雄安")).json()
    assert set(data["facet_results"]) >= {
        "channel", "source", "series", "published_at", "published_month", "language",
        "status", "places", "topics", "editors"}
    places = {f["value"] for f in data["facet_results"]["places"]["results"]}
    assert "雄安新区" in places
    page = get(ds, "/archive/articles").text
    assert "地点 · places (array)" in page and "年份 · published_at (year)" in page


def test_a_facet_narrows_the_results(ds, rows):
    data = get(ds, "/archive/articles.json?_search=" + quote("雄安")).json()
    total = data["filtered_table_rows_count"]
    facet = data["facet_results"]["channel"]["results"][0]
    assert facet["count"] < total
    narrowed = get(ds, facet["toggle_url"].replace("http://localhost", "")
                   + "&_shape=objects").json()
    assert narrowed["filtered_table_rows_count"] == facet["count"]
    assert {r["channel"] for r in narrowed["rows"]} == {facet["value"]}


def test_year_and_array_facets_filter(ds, rows):
    data = get(ds, "/archive/articles.json?published_at__startswith=2024&_size=max"
               "&_shape=objects").json()
    assert {r["id"] for r in data["rows"]} == {
        i for i, r in rows.items() if (r["published_at"] or "").startswith("2024")}
    year = data["facet_results"]["published_at"]["results"]
    assert [v["value"] for v in year] == ["2024"] and year[0]["selected"]
    data = get(ds, "/archive/articles.json?places__arraycontains=" + quote("雄安新区")
               + "&_size=max&_shape=objects").json()
    assert data["rows"] and all("雄安新区" in r["places"] for r in data["rows"])


def test_lists_are_shown_as_lists(ds):
    page = tree(get(ds, "/archive/articles?_view=grid"))
    editors = page.cssselect("td.col-editors ul.xt-list li")
    assert editors and not any("[" in (li.text or "") for li in editors)
    headers = [th.get("data-column") for th in page.cssselect("table.xt-grid th")]
    assert headers[:3] == ["title", "published_at", "channel"]


def ranking_archive(path):
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    docs = {
        "he-1": ("白洋淀治理", ["湖区水质变好。"]),
        "he-2": ("湖区新闻", ["白洋淀、白洋淀、白洋淀，说了三遍白洋淀。"]),
        "he-3": ("无关", ["没有这个词。"]),
    }
    for i, (title, paragraphs) in docs.items():
        save_article(db, article_record(i, title, paragraphs), "2024-01-01T00:00:00+00:00")
    db.close()
    return path


def test_all_tables_search_ranks_a_title_match_first(tmp_path):
    ds = make_datasette(ranking_archive(tmp_path / "rank.db"))
    page = tree(get(ds, "/-/search?q=" + quote("白洋淀")))
    titles = [a.text_content() for a in page.cssselect("a.xt-entry-title")]
    assert titles == ["白洋淀治理", "湖区新闻"]
    assert page.cssselect("a.xt-entry-title mark")[0].text == "白洋淀"
    assert page.cssselect("li.xt-entry p.xt-excerpt mark")


def test_all_tables_search_page_with_no_query_or_odd_queries(ds):
    assert "xt-list-search" in get(ds, "/-/search").text
    for q in ['"', "NEAR(", "*", "^冀", "<script>"]:
        get(ds, "/-/search?q=" + quote(q))


def test_article_page(ds, rows):
    seed = rows[SEED]
    page = tree(get(ds, f"/archive/articles/{SEED}"))
    assert page.cssselect("h1.xt-title")[0].text_content() == seed["title"]
    body = page.cssselect("section.xt-body")[0].text_content()
    assert seed["body"].split("\n\n")[0].strip() in body
    images = page.cssselect("section.xt-body img, section.xt-images img")
    # Photos come from the archive (issue 12); each links to its original on people.cn.
    assert images and all(img.get("src").startswith("/-/capture/archive/") for img in images)
    assert all(img.getparent().get("href").startswith("http://he.people.com.cn/")
               for img in images)
    assert "雄安史家胡同小学校园全景" in page.cssselect("section.xt-body, section.xt-images")[0]\
        .text_content()
    assert page.cssselect("a.xt-original")[0].get("href") == seed["url"]
    series = page.cssselect("section.xt-series")[0]
    assert seed["series"] in series.text_content()
    neighbours = [a.get("href") for a in series.cssselect("li a")]
    assert len(neighbours) == 2 and all(h.startswith("/archive/articles/") for h in neighbours)
    related = page.cssselect("section.xt-links-related a.xt-archived")
    assert related and all(a.get("href").startswith("/archive/articles/") for a in related)
    for a in related:
        target = a.get("href").rsplit("/", 1)[1]
        assert a.text_content() == rows[target]["title"]
    assert page.cssselect("section.xt-links-recommended a.xt-archived")
    assert page.cssselect("section.xt-tags a.xt-chip")


def test_what_links_here(ds, rows):
    page = tree(get(ds, "/archive/articles/he-40744627"))
    linked = page.cssselect("section.xt-linked-from a")
    assert f"/archive/articles/{SEED}" in [a.get("href") for a in linked]


def test_versions_and_status_when_the_archive_has_them(ds, archive_copy):
    tables = set(sqlite_utils.Database(archive_copy).table_names())
    page = tree(get(ds, f"/archive/articles/{SEED}"))
    assert bool(page.cssselect("section.xt-versions")) == ("article_versions" in tables)
    assert bool(page.cssselect("section.xt-status-history")) == ("article_status" in tables)


def test_article_page_without_body_html_shows_paragraphs(tmp_path, archive_copy, rows):
    copy = tmp_path / "archive.db"
    shutil.copy(archive_copy, copy)
    db = sqlite_utils.Database(copy)
    if "body_html" in db["articles"].columns_dict:
        db.execute("update articles set body_html = null")
        db.conn.commit()
    page = tree(get(make_datasette(copy), f"/archive/articles/{SEED}?q=" + quote("雄安")))
    paragraphs = page.cssselect("section.xt-body p")
    assert len(paragraphs) == rows[SEED]["body"].count("\n\n") + 1
    assert page.cssselect("section.xt-body p mark")  # the search term marked in the text
    assert page.cssselect("section.xt-images figure img")


def test_other_rows_keep_datasettes_row_page(ds):
    page = get(ds, "/archive/crawls/1").text
    assert "xt-article" not in page and "rows-and-columns" in page


def test_series_pages(ds, rows):
    series = rows[SEED]["series"]
    listing = tree(get(ds, "/archive/series_list"))
    link = [a for a in listing.cssselect("td a") if a.text_content() == series][0]
    response = get(ds, link.get("href"))
    page = tree(response)
    members = sorted((r["published_at"], i) for i, r in rows.items() if r["series"] == series)
    entries = page.cssselect("ol.xt-series-members li")
    assert [e.cssselect("time")[0].text for e in entries] == [d[:10] for d, _ in members]
    titles = page.cssselect("a.xt-member-title")
    assert [a.get("href").rsplit("/", 1)[1] for a in titles] == [i for _, i in members]
    # every member numbered, in order (no blank positions)
    assert [e.cssselect(".xt-number")[0].text for e in entries] == [
        str(n) for n in range(1, len(members) + 1)]
    # a human tab title, and the SQL one click away but not shown
    assert page.cssselect("title")[0].text.startswith(f"{series} — 系列文章 · A series in order")
    assert page.cssselect("details.xt-sql pre") and not page.cssselect("textarea, pre#sql-query")


def test_coverage_by_month_is_drawn_with_every_month_and_linked_bars(ds, rows):
    page = tree(get(ds, "/archive/coverage_by_month"))
    months = sorted({r["published_month"] for r in rows.values() if r["published_month"]})
    bars = page.cssselect("figure.xt-chart a rect")
    assert sorted(b.cssselect("title")[0].text.split(" ")[0] for b in bars) == months
    for bar in bars:
        month = bar.cssselect("title")[0].text.split(" ")[0]
        assert bar.getparent().get("href") == "/archive/articles?published_month=" + month
    shown = [tr.cssselect("td")[0].text for tr in page.cssselect("details.xt-months tbody tr")]
    first, last = months[0], months[-1]
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    assert shown[0] == first and shown[-1] == last and len(shown) == span
    assert len(shown) > len(months)  # the empty months are there, as zeros
    assert "0" in [tr.cssselect("td")[1].text_content() for tr in
                   page.cssselect("details.xt-months tbody tr")]


def test_new_articles_feed_is_atom_newest_first(ds, rows):
    feed = feedparser.parse(get(ds, "/archive/new_articles.atom").content)
    assert feed.version == "atom10" and not feed.bozo
    dated = sorted((r["published_at"] for r in rows.values() if r["published_at"]), reverse=True)
    published = [e.published for e in feed.entries]
    assert len(feed.entries) == min(50, len(rows))
    assert [p[:16] for p in published] == [d[:16] for d in dated[:len(published)]]
    first = feed.entries[0]
    assert first.link.startswith("http://localhost/archive/articles/")
    assert any(link.rel == "related" and link.href.startswith("http://") for link in first.links)


def test_saved_search_feed(ds, rows):
    feed = feedparser.parse(get(ds, "/archive/search_feed.atom?q=" + quote("白洋淀")).content)
    assert feed.version == "atom10" and not feed.bozo
    expected = {r["url"] for r in rows.values() if "白洋淀" in f"{r['title']}\n{r['body']}"}
    assert {e.id for e in feed.entries} == expected
    assert "白洋淀" in feed.feed.title
    empty = feedparser.parse(get(ds, "/archive/search_feed.atom?q=" + quote("上海迪士尼")).content)
    assert empty.version == "atom10" and not empty.bozo and empty.entries == []


def test_search_page_links_its_feed_and_ranked_view(ds):
    page = get(ds, "/archive/articles?_search=" + quote("雄安")).text
    assert 'href="/archive/articles.atom?_search=%E9%9B%84%E5%AE%89' in page
    assert "/-/search?q=%E9%9B%84%E5%AE%89" in page


def test_map_query_has_coordinates_and_popups(ds):
    data = get(ds, "/archive/places_map.json?_shape=objects").json()
    assert data["rows"] and {"latitude", "longitude", "popup"} <= set(data["rows"][0])
    assert re.search(r"/archive/articles/[a-z]+-\d+", data["rows"][0]["popup"])
    page = get(ds, "/archive/article_places").text
    assert "datasette-cluster-map" in page


def test_facets_on_missing_columns_are_left_out(tmp_path):
    path = tmp_path / "old.db"
    sqlite_utils.Database(path)["articles"].insert({"id": "he-1", "title": "t", "channel": "c"},
                                                   pk="id")
    facets = metadata_for(path)["databases"]["old"]["tables"]["articles"]["facets"]
    assert facets == [{"one_pass": ["channel"]}]
