"""The list's selection (archive/datasette/selection.py) and the views that carry it (issue 21,
issue 19 item 5), in process through Datasette's own client on the crawled sample archive:
dates as people type them, refusals that are said and not applied, the time view's filters and
its CSV/JSON export, the feed of a selection, the full-record CSV, place names and the place
facet, the capped custom SQL page, and the hook for filters that are not columns."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import Counter
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import feedparser
import pytest
import xt_archive
from lxml import html as lxml_html

from archive.datasette import selection as sel
from archive.date_input import DateError, read_date

archive_copy, ds, rows = xt_archive.archive_copy, xt_archive.ds, xt_archive.rows


def fetch(ds, path):
    async def go():
        return await ds.client.get(path)
    return asyncio.run(go())


def get(ds, path):
    response = fetch(ds, path)
    assert response.status_code == 200, (path, response.text[:1000])
    return response


def tree(response):
    return lxml_html.fromstring(response.text)


def ids_for(ds, **params) -> set[str]:
    query = urlencode({**params, "_shape": "array", "_col": "id", "_size": "max"})
    return {r["id"] for r in get(ds, "/archive/articles.json?" + query).json()}


def text_of(row) -> str:
    return f"{row['title']}\n{row['body']}"


class Args:
    """A request's args as the selection reads them."""

    def __init__(self, pairs):
        self.pairs = pairs

    def get(self, key):
        return next((v for k, v in self.pairs if k == key), None)

    def getlist(self, key):
        return [v for k, v in self.pairs if k == key]

    def keys(self):
        return list(dict.fromkeys(k for k, _ in self.pairs))


COLUMNS = {"source", "channel", "series", "places", "topics", "published_at", "title"}


# --- dates as people type them -------------------------------------------------------------


@pytest.mark.parametrize(("typed", "iso"), [
    ("2024", "2024"), ("2024年", "2024"), ("2024-03", "2024-03"), ("2024/03", "2024-03"),
    ("2024/3", "2024-03"), ("2024.3", "2024-03"), ("2024年3月", "2024-03"),
    ("2024年3月5日", "2024-03-05"), ("2024-03-05", "2024-03-05"), ("2024/3/5", "2024-03-05"),
    ("20240305", "2024-03-05"), ("２０２４年３月", "2024-03"),
    (" 2024 年 3 月 5 日 ", "2024-03-05"),
])
def test_the_date_forms_people_type(typed, iso):
    assert read_date(typed).iso == iso


@pytest.mark.parametrize("typed", ["notadate", "2024-13", "2023-02-29", "3月", "24", "2024-03-05x",
                                   "'; drop table articles", "0999"])
def test_anything_else_is_refused_with_a_message(typed):
    with pytest.raises(DateError) as refused:
        read_date(typed)
    assert "·" in str(refused.value)  # said in both languages


def test_a_reversed_range_and_a_bad_date_are_refused_not_applied():
    got = sel.read_selection(Args([("_from", "2025"), ("_to", "2017")]), COLUMNS)
    assert got.date_from is None and got.date_to is None and got.where() == ([], {})
    assert "before the start" in got.problem("_to")
    ok = sel.read_selection(Args([("_from", "2024-03"), ("_to", "2024")]), COLUMNS)
    assert (ok.date_from.iso, ok.date_to.iso) == ("2024-03", "2024") and not ok.problems
    bad = sel.read_selection(Args([("_from", "2024年13月")]), COLUMNS)
    assert bad.date_from is None and bad.problem("_from") and bad.pairs() == []


def test_filters_it_cannot_apply_are_refused_and_not_carried():
    got = sel.read_selection(Args([("nope", "1"), ("source__bogus", "2"), ("source", "人民网"),
                                   ("q", "雄安"), ("q", "通州")]), COLUMNS, "q", max_searches=1)
    assert got.pairs("q") == [("q", "雄安"), ("source", "人民网")]
    assert {p.field for p in got.problems} == {"nope", "source__bogus"}
    assert got.dropped_searches == ["通州"]
    assert [c["label"] for c in got.chips("/x", "q")] == ["来源 source: 人民网"]


def test_a_place_filter_takes_the_gazetteers_name_and_says_so():
    got = sel.read_selection(Args([("places__arraycontains", "城市副中心")]), COLUMNS)
    assert got.filter_pairs() == [("places__arraycontains", "通州区")]
    assert "城市副中心 → 通州区" in got.chips("/x")[0]["note"]
    assert sel.canonical_pairs([("places__arraycontains", "通州")]) == [
        ("places__arraycontains", "通州区")]
    assert sel.canonical_pairs([("places__arraycontains", "通州区")]) is None


def test_the_selections_sql_selects_what_the_list_shows(ds, rows):
    import sqlite3

    params = [("_search", "京津冀"), ("source", "人民网"), ("_from", "2020年"),
              ("places__arraycontains", "北京市")]
    got = sel.read_selection(Args(params), set(next(iter(rows.values()))))
    clauses, values = got.where("a")
    conn = sqlite3.connect(xt_archive_path(ds))
    found = {r[0] for r in conn.execute(
        f"select id from articles a where {' and '.join(clauses)}", values)}
    listed = ids_for(ds, _search="京津冀", source="人民网", _from="2020",
                     places__arraycontains="北京市")
    assert found == listed and found


def xt_archive_path(ds) -> str:
    return ds.get_database("archive").path


# --- the list carries its selection --------------------------------------------------------


def test_the_list_links_carry_the_whole_selection(ds):
    params = {"_search": "雄安", "source": "人民网", "_from": "2024年", "_to": "2024/12",
              "_sort": "title"}
    page = tree(get(ds, "/archive/articles?" + urlencode(params)))
    carried = {"source": ["人民网"], "_from": ["2024"], "_to": ["2024-12"]}
    for link, search in [("a.xt-timeline", "q"), ("a.xt-ranked", "q"), ("a.xt-feed", "_search"),
                         ("a.xt-export-csv", "_search")]:
        query = parse_qs(urlsplit(page.cssselect(link)[0].get("href")).query)
        assert {k: query[k] for k in carried} == carried, link
        assert query[search] == ["雄安"], link
    feed = page.cssselect('link[rel=alternate][type="application/atom+xml"]')[0].get("href")
    assert feed == page.cssselect("a.xt-feed")[0].get("href")
    chips = [c.text_content() for c in page.cssselect(".xt-filter")]
    assert any("from 2024" in c for c in chips) and any("to 2024-12" in c for c in chips)
    # a chip drops itself and keeps the rest, the sort too
    drop = next(c for c in page.cssselect(".xt-filter") if "人民网" in c.text_content())
    kept = parse_qs(urlsplit(drop.cssselect("a")[0].get("href")).query)
    assert "source" not in kept and kept["_search"] == ["雄安"] and kept["_sort"] == ["title"]


def test_a_place_alias_in_the_url_goes_to_the_gazetteers_name(ds):
    moved = fetch(ds, "/archive/articles?places__arraycontains=" + quote("通州"))
    assert moved.status_code == 302
    assert moved.headers["location"] == ("/archive/articles?places__arraycontains="
                                         + quote("通州区"))


def test_a_place_search_and_the_place_facet_agree_or_the_page_says_why(ds, rows):
    page = tree(get(ds, "/archive/articles?_search=" + quote("通州")))
    check = page.cssselect(".xt-place-check")[0].text_content()
    tagged = sum(1 for r in rows.values() if "通州区" in json.loads(r["places"] or "[]"))
    assert f"通州区: {tagged} 篇" in " ".join(check.split())
    found = len(ids_for(ds, _search="通州"))
    assert ("the same as the search" in check) == (found == tagged)
    assert found == tagged  # with the gazetteer's spellings, the sample site agrees


# --- the feed of a selection ---------------------------------------------------------------


def test_the_feed_honours_the_search_the_filters_and_the_dates(ds, rows):
    params = {"_search": "京津冀", "source": "人民网", "_from": "2024",
              "_sort_desc": "published_at"}
    feed = feedparser.parse(get(ds, "/archive/articles.atom?" + urlencode(params)).content)
    assert feed.version == "atom10" and not feed.bozo
    expected = {r["url"] for r in rows.values() if "京津冀" in text_of(r)
                and r["source"] == "人民网" and (r["published_at"] or "") >= "2024"}
    assert {e.id for e in feed.entries} == expected and expected
    assert "人民网" in feed.feed.title and "2024" in feed.feed.title
    assert fetch(ds, "/archive/articles.atom?_from=notadate").status_code == 400
    # the saved-search feed asked for a filter goes to the list's feed
    moved = fetch(ds, "/archive/search_feed.atom?q=" + quote("京津冀") + "&source="
                  + quote("人民网"))
    assert moved.status_code == 302
    assert parse_qs(urlsplit(moved.headers["location"]).query)["source"] == ["人民网"]
    newest = fetch(ds, "/archive/new_articles.atom?_from=2024")
    assert newest.status_code == 302 and "/archive/articles.atom?" in newest.headers["location"]
    assert fetch(ds, "/archive/new_articles.atom").status_code == 200
    assert fetch(ds, "/archive/search_feed.atom?q=" + quote("雄安")).status_code == 200


# --- the time view: every filter, and its numbers exported -----------------------------------


def per_month(rows, keep) -> Counter:
    return Counter(r["published_month"] for r in rows.values()
                   if r["published_month"] and keep(r))


def test_the_timeline_takes_the_lists_filters_and_exports_its_numbers(ds, rows):
    query = [("q", "雄安"), ("q", "通州"), ("source", "人民日报"), ("_from", "2020")]
    def in_selection(r):
        return r["source"] == "人民日报" and (r["published_at"] or "") >= "2020"

    totals = per_month(rows, in_selection)
    spellings = {"雄安": ["雄安"], "通州": ["通州", "城市副中心"]}
    response = get(ds, "/-/timeline.csv?" + urlencode(query))
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    assert response.headers["content-type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(records[0]) == ["month", "query", "matching", "all_articles", "share"]
    for word in ("雄安", "通州"):
        matching = per_month(rows, lambda r, w=word: in_selection(r)
                             and any(s in text_of(r) for s in spellings[w]))
        mine = [r for r in records if r["query"] == word]
        assert {r["month"]: int(r["matching"]) for r in mine if int(r["matching"])} == matching
        for r in mine:
            assert int(r["all_articles"]) == totals.get(r["month"], 0)
            if int(r["all_articles"]):
                assert float(r["share"]) == pytest.approx(
                    int(r["matching"]) / int(r["all_articles"]), abs=1e-6)
            else:
                assert r["share"] == ""
    assert min(r["month"] for r in records) >= "2020-01"
    data = get(ds, "/-/timeline.json?" + urlencode(query)).json()
    assert data["selection"]["searches"] == ["雄安", "通州"]
    assert data["selection"]["filters"] == [{"key": "source", "value": "人民日报"}]
    assert data["selection"]["from"] == "2020"
    assert [(r["month"], r["query"], r["matching"], r["all_articles"]) for r in data["rows"]] \
        == [(r["month"], r["query"], int(r["matching"]), int(r["all_articles"]))
            for r in records]
    # the page says the selection, its bars and tables open the list with it
    page = tree(get(ds, "/-/timeline?" + urlencode(query)))
    chips = " ".join(c.text_content() for c in page.cssselect(".xt-filter"))
    assert "人民日报" in chips and "from 2020" in chips
    bar = page.cssselect("figure.xt-chart a.xt-bar-link")[0].get("href")
    assert parse_qs(urlsplit(bar).query)["source"] == ["人民日报"]
    exports = {a.text_content(): a.get("href") for a in page.cssselect(".xt-tools a")}
    assert parse_qs(urlsplit(exports["JSON"]).query)["q"] == ["雄安", "通州"]


def test_the_timeline_says_its_limits_and_refuses_in_exports(ds):
    five = [("q", w) for w in ("雄安", "通州", "天津", "河北", "北京")]
    page = tree(get(ds, "/-/timeline?" + urlencode(five)))
    said = page.cssselect("p.xt-field-error")[0].text_content()
    assert "first 4 searches" in said and "北京" in said
    assert len(page.cssselect("table.xt-years thead th")) == 2 + 2 * 4
    assert fetch(ds, "/-/timeline.csv?" + urlencode(five)).status_code == 400
    refused = fetch(ds, "/-/timeline.json?_from=notadate")
    assert refused.status_code == 400 and "not a date" in refused.text
    page = tree(get(ds, "/-/timeline?_from=2025&_to=2017"))
    assert "before the start" in page.cssselect("#xt_to-error")[0].text_content()
    assert not page.cssselect(".xt-filter")
    # placeholders are examples, never values
    boxes = page.cssselect("input.xt-q")
    assert all(b.get("value") == "" and b.get("placeholder").startswith("例如") for b in boxes)


def test_the_timelines_csv_never_starts_a_cell_with_a_formula(ds):
    records = get(ds, "/-/timeline.csv?" + urlencode([("q", "-天津 雄安")])).content
    assert "'-天津 雄安" in records.decode("utf-8-sig")


# --- exports and custom SQL ----------------------------------------------------------------


def test_the_full_record_csv_has_the_text_people_and_captions(ds, rows):
    href = tree(get(ds, "/archive/articles?_search=" + quote("雄安"))).cssselect(
        "a.xt-export-csv-full")[0].get("href")
    response = get(ds, href)
    records = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"text", "authors", "editors", "photos", "byline", "subtitle"} <= set(records[0])
    with_photos = 0
    for record in records:
        article = rows[record["id"]]
        assert record["text"].lstrip("'") == article["body"]
        assert record["editors"] == "; ".join(json.loads(article["editors"] or "[]"))
        captions = [i.get("caption") for i in json.loads(article["images"] or "[]") if
                    i.get("caption")]
        if captions:
            with_photos += 1
            assert captions[0] in record["photos"]
    assert with_photos


def test_a_custom_sql_page_is_capped_with_a_note_and_the_whole_result_a_click_away(ds):
    sql = "select a.* from articles a, articles b limit 1000"
    response = get(ds, "/archive?" + urlencode({"sql": sql}))
    page = tree(response)
    assert len(page.cssselect("table.rows-and-columns tbody tr")) == 200
    note = page.cssselect(".xt-rows-capped")[0]
    assert "first 200 of 1,000 rows" in note.text_content()
    links = [a.get("href") for a in note.cssselect("a")]
    assert any(h.startswith("/archive.json?") for h in links)
    assert any(h.startswith("/archive.csv?") for h in links)
    assert len(response.content) < 3_000_000


def test_a_filter_that_is_no_column_plugs_in_everywhere(ds, rows):
    """The hook for issue 19's `entity=`: a registered filter narrows the time view and the
    exports, is said as a chip and carried by their links."""
    def by_letter(value, alias, param):
        if not value.isalpha():
            raise ValueError("字母 · a letter")
        return f"substr({alias}.id, 1, 2) = :{param}", {param: value}

    sel.register_filter(sel.ExtraFilter("site", "站点 site", by_letter))
    try:
        he = {i for i in rows if i.startswith("he")}
        data = get(ds, "/-/timeline.json?site=he").json()
        assert sum(r["all_articles"] for r in data["rows"]) == sum(
            1 for i in he if rows[i]["published_month"])
        exported = get(ds, "/archive/-/export.json?site=he").json()
        assert {r["id"] for r in exported} == he
        page = tree(get(ds, "/-/timeline?site=he"))
        assert "站点 site he" in page.cssselect(".xt-filter")[0].text_content()
        assert fetch(ds, "/-/timeline.csv?site=1").status_code == 400
    finally:
        sel.EXTRA_FILTERS.pop("site")
