"""The researcher's Datasette (issue 11), in process through Datasette's own client on the
crawled sample archive: the articles list as a list, the date range, English and pinyin
names, OR / -word / "phrases", traditional characters, suggestions on an empty result, the
exports, the ranked search with filters, time views, the article page's marks and fields,
the feed's stylesheet, the home page, one-pass facets equal to Datasette's own."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
from collections import Counter
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import sqlite_utils
import xt_archive
from datasette.app import Datasette
from lxml import html as lxml_html

from archive.serve import SETTINGS, STATIC, TEMPLATES, make_datasette, metadata_for

# the module's fixtures (tests/datasette/xt_archive.py)
archive_copy, ds, rows = xt_archive.archive_copy, xt_archive.ds, xt_archive.rows

REPRINT, ORIGINAL = "society-40746032", "he-40744627"


def fetch(ds, path, headers=None):
    async def go():
        return await ds.client.get(path, headers=headers or {})
    return asyncio.run(go())


def get(ds, path, headers=None):
    response = fetch(ds, path, headers)
    assert response.status_code == 200, (path, response.text[:2000])
    return response


def tree(response):
    return lxml_html.fromstring(response.text)


def text_of(row) -> str:
    return f"{row['title']}\n{row['body']}"


def ids_for(ds, **params) -> set[str]:
    query = urlencode({**params, "_shape": "array", "_col": "id", "_size": "max"})
    return {r["id"] for r in get(ds, "/archive/articles.json?" + query).json()}


def list_ids(page) -> list[str]:
    return [a.get("href").split("?")[0].rsplit("/", 1)[1]
            for a in page.cssselect("li.xt-entry a.xt-entry-title")]


# --- the list ------------------------------------------------------------------------------


def test_the_list_is_one_entry_per_article_with_its_facts(ds, rows):
    page = tree(get(ds, "/archive/articles?_size=100"))
    entries = page.cssselect("li.xt-entry")
    assert len(entries) == len(rows) and not page.cssselect("table.rows-and-columns")
    for entry in entries:
        article = rows[entry.cssselect("a.xt-entry-title")[0].get("href").rsplit("/", 1)[1]]
        meta = entry.cssselect(".xt-meta")[0].text_content()
        assert article["title"] == entry.cssselect("a.xt-entry-title")[0].text_content()
        assert (article["published_at"] or "")[:10] in meta
        for column in ("channel", "source", "series"):
            assert (article[column] or "") in meta
        places = json.loads(article["places"] or "[]")
        if places:
            assert places[0] in meta
        excerpt = entry.cssselect("p.xt-excerpt")[0].text_content()
        assert excerpt[:20] == " ".join(article["body"].split())[:20]  # the first lines
    # the full grid is one link away
    grid = page.cssselect("a.xt-grid-link")[0].get("href")
    assert tree(get(ds, grid)).cssselect("table.xt-grid")


def test_the_search_box_comes_first_and_the_hint_says_above(ds):
    text = get(ds, "/archive/articles").text
    assert text.index('id="_search"') < text.index("在上面的检索框") < text.index("xt-entries")
    assert "Type Chinese, English or pinyin in the box above" in text


def test_reprints_are_marked(ds):
    page = tree(get(ds, "/archive/articles?_size=100"))
    marked = [e for e in page.cssselect("li.xt-entry") if e.cssselect("a.xt-reprint")]
    assert len(marked) == 1
    assert REPRINT in marked[0].cssselect("a.xt-entry-title")[0].get("href")
    assert marked[0].cssselect("a.xt-reprint")[0].get("href") == f"/archive/articles/{ORIGINAL}"
    hidden = tree(get(ds, page.cssselect("a.xt-hide-reprints")[0].get("href")))
    assert REPRINT not in list_ids(hidden)


def test_date_range_from_to(ds, rows):
    def published(lo, hi):
        return {i for i, r in rows.items()
                if r["published_at"] and lo <= r["published_at"][:len(lo)]
                and r["published_at"][:len(hi)] <= hi}

    for lo, hi in [("2017", "2017"), ("2018-01", "2022-06"), ("2024-02-25", "2024-02-28")]:
        expected = published(lo, hi)
        assert expected, (lo, hi)
        assert ids_for(ds, _from=lo, _to=hi) == expected
    assert ids_for(ds, _from="2024") == published("2024", "9999")
    assert ids_for(ds, _to="2015") == published("0000", "2015")
    page = tree(get(ds, "/archive/articles?_from=2017&_to=2017"))
    assert page.cssselect("input[name=_from]")[0].get("value") == "2017"
    chips = [c.text_content() for c in page.cssselect(".xt-filter")]
    assert any("from 2017" in c for c in chips) and any("to 2017" in c for c in chips)
    # nonsense is refused: beside its box on the page (and not applied), a 400 from the API;
    # empty boxes are no filter
    bad = {"_from": "'; drop table articles", "_to": "2017-13-99x"}
    api = fetch(ds, "/archive/articles.json?" + urlencode(bad))
    assert api.status_code == 400 and "not a date" in api.text
    page = tree(get(ds, "/archive/articles?" + urlencode(bad)))
    assert len(list_ids(page)) == min(len(rows), 25) and not page.cssselect(".xt-filter")
    errors = [e.text_content() for e in page.cssselect(".xt-field-error")]
    assert len(errors) == 2 and all("not a date" in e for e in errors)
    assert page.cssselect("input#xt_from")[0].get("aria-invalid") == "true"
    empty = fetch(ds, "/archive/articles?_search=&_from=&_to=&source=" + quote("人民网"))
    assert empty.status_code == 302
    assert empty.headers["location"] == "/archive/articles?source=" + quote("人民网")


# --- queries in the user's words -----------------------------------------------------------


def test_tongzhou_and_xiongan_find_the_chinese_articles_and_the_page_says_so(ds, rows):
    for english, chinese in [("Tongzhou", "通州"), ("Xiongan", "雄安"), ("Xiong'an", "雄安")]:
        found = ids_for(ds, _search=english)
        assert {i for i, r in rows.items() if chinese in text_of(r)} <= found
        page = tree(get(ds, "/archive/articles?" + urlencode({"_search": english})))
        added = page.cssselect(".xt-expanded")[0].text_content()
        assert english in added and chinese in added


def test_or_minus_and_quotes(ds, rows):
    def having(word):
        return {i for i, r in rows.items() if word in text_of(r)}

    # 通州 finds the gazetteer's other spelling 城市副中心 too (issue 21)
    tongzhou = having("通州") | having("城市副中心")
    assert ids_for(ds, _search="雄安 OR 通州") == having("雄安") | tongzhou
    assert ids_for(ds, _search='雄安 OR "通州"') == having("雄安") | having("通州")
    assert ids_for(ds, _search="雄安 -通州") == having("雄安") - having("通州")
    assert ids_for(ds, _search='"城市副中心"') == having("城市副中心")
    assert ids_for(ds, _search='"Tongzhou"') < ids_for(ds, _search="Tongzhou")


def test_traditional_characters_find_simplified_text(ds):
    assert ids_for(ds, _search="雄安新區") == ids_for(ds, _search="雄安新区") != set()
    assert ids_for(ds, _search="協同發展") == ids_for(ds, _search="协同发展") != set()


def test_an_empty_result_suggests_wider_searches_that_find_something(ds, rows):
    page = tree(get(ds, "/archive/articles?" + urlencode({"_search": "雄安 上海迪士尼"})))
    assert "没有找到" in page.cssselect(".zero-results")[0].text_content()
    tips = page.cssselect("ul.xt-suggestions li")
    assert tips
    href = tips[0].cssselect("a")[0].get("href")
    assert parse_qs(urlsplit(href).query)["_search"] == ["雄安 OR 上海迪士尼"]
    n = len(ids_for(ds, _search="雄安 OR 上海迪士尼"))
    assert f"{n} 篇" in tips[0].text_content()
    # a search that matches, narrowed to nothing: drop the filters
    page = tree(get(ds, "/archive/articles?" + urlencode({"_search": "雄安",
                                                          "source": "上海日报"})))
    tip = page.cssselect("ul.xt-suggestions a")[0]
    assert parse_qs(urlsplit(tip.get("href")).query) == {"_search": ["雄安"]}


# --- exports -------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Chinese
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_of_a_search_has_readable_columns(ds, rows):
    page = tree(get(ds, "/archive/articles?" + urlencode({"_search": "雄安",
                                                          "published_at__startswith": "2024"})))
    href = page.cssselect("a.xt-export-csv")[0].get("href")
    response = get(ds, href)
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    records = read_csv(response)
    expected = ids_for(ds, _search="雄安", published_at__startswith="2024")
    assert {r["id"] for r in records} == expected and len(records) == len(expected)
    assert list(records[0]) == ["id", "url", "title", "date", "source", "channel", "series",
                                "places", "topics", "excerpt", "reprint_of"]
    for record in records:
        article = rows[record["id"]]
        assert record["url"] == article["url"] and record["title"] == article["title"]
        assert record["date"] == article["published_at"][:16].replace("T", " ")
        assert record["places"] == "; ".join(json.loads(article["places"] or "[]"))
        assert "雄安" in record["excerpt"] and "<mark>" not in record["excerpt"]
    dates = [r["date"] for r in records]
    assert dates == sorted(dates, reverse=True)


def test_json_export_has_real_arrays(ds, rows):
    data = get(ds, "/archive/-/export.json?" + urlencode({"_search": "通州"})).json()
    assert {r["id"] for r in data} == ids_for(ds, _search="通州")
    for record in data:
        assert record["places"] == json.loads(rows[record["id"]]["places"] or "[]")
        assert isinstance(record["topics"], list)


def test_the_ranked_search_exports_in_its_order_with_its_filters(ds):
    page = tree(get(ds, "/-/search?" + urlencode({"q": "雄安", "source": "人民网"})))
    shown = [a.get("href").split("?")[0].rsplit("/", 1)[1]
             for a in page.cssselect("li.xt-entry a.xt-entry-title")]
    records = read_csv(get(ds, page.cssselect("a.xt-export-csv")[0].get("href")))
    assert [r["id"] for r in records][:len(shown)] == shown
    assert {r["source"] for r in records} == {"人民网"}
    assert len(records) == len(ids_for(ds, _search="雄安", source="人民网"))


def test_export_cells_cannot_become_spreadsheet_formulas():
    from archive.spreadsheet import spreadsheet_safe

    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("@SUM(1)") == "'@SUM(1)" and spreadsheet_safe("雄安") == "雄安"


# --- ranked search -------------------------------------------------------------------------


def test_rank_by_relevance_keeps_the_filters(ds):
    params = {"_search": "雄安", "published_at__startswith": "2024", "channel": "河北频道"}
    page = tree(get(ds, "/archive/articles?" + urlencode(params)))
    ranked_href = page.cssselect("a.xt-ranked")[0].get("href")
    assert parse_qs(urlsplit(ranked_href).query) == {
        "q": ["雄安"], "published_at__startswith": ["2024"], "channel": ["河北频道"]}
    ranked = tree(get(ds, ranked_href))
    expected = ids_for(ds, **params)
    assert expected
    found = {a.get("href").split("?")[0].rsplit("/", 1)[1]
             for a in ranked.cssselect("li.xt-entry a.xt-entry-title")}
    assert found == expected
    assert f"{len(expected)} 条结果" in ranked.cssselect("h2.xt-count")[0].text_content()
    assert len(ranked.cssselect(".xt-filter")) == 2


# --- time views ----------------------------------------------------------------------------


def test_two_searches_per_month_as_counts_and_shares(ds, rows):
    page = tree(get(ds, "/-/timeline?" + urlencode([("q", "雄安"), ("q", "通州")])))
    charts = page.cssselect("figure.xt-chart")
    assert len(charts) == 2  # counts, and shares of the month's articles
    totals = Counter(r["published_month"] for r in rows.values() if r["published_month"])
    spellings = {"雄安": ["雄安"], "通州": ["通州", "城市副中心"]}  # as the gazetteer says
    for word in ("雄安", "通州"):
        per_month = Counter(r["published_month"] for r in rows.values()
                            if r["published_month"]
                            and any(s in text_of(r) for s in spellings[word]))
        bars = {}
        for rect in charts[0].cssselect("rect"):
            label = rect.cssselect("title")[0].text
            month, rest = label.split(" ", 1)
            if rest.startswith(word + ":"):
                bars[month] = int(rest.split(": ")[1])
                href = rect.getparent().get("href")
                shown = ids_for(ds, **{k: v[0] for k, v in parse_qs(urlsplit(href).query)
                                       .items()})
                assert len(shown) == bars[month]  # the bar opens exactly its articles
        assert bars == dict(per_month)
        shares = {r.cssselect("title")[0].text.split(" ")[0]:
                  float(r.cssselect("title")[0].text.split(": ")[1].split(" ")[0])
                  for r in charts[1].cssselect("rect")
                  if r.cssselect("title")[0].text.split(" ", 1)[1].startswith(word + ":")}
        assert shares == {m: pytest.approx(100 * n / totals[m], abs=0.05)
                          for m, n in per_month.items()}
    years = {tr.cssselect("td")[0].text: [td.text_content() for td in tr.cssselect("td")]
             for tr in page.cssselect("table.xt-years tbody tr")}
    xiongan_2017 = sum(1 for r in rows.values()
                       if (r["published_at"] or "").startswith("2017") and "雄安" in text_of(r))
    assert years["2017"][2] == str(xiongan_2017)


def test_every_month_is_on_the_axis(ds, rows):
    page = tree(get(ds, "/-/timeline"))
    months = [tr.cssselect("td")[0].text for tr in page.cssselect("details.xt-months tr")
              if tr.cssselect("td")]
    dated = sorted(r["published_month"] for r in rows.values() if r["published_month"])
    assert months[0] == dated[0] and months[-1] == dated[-1]
    assert len(months) == len(set(months)) > len(set(dated))
    assert all(a < b for a, b in zip(months, months[1:], strict=False))


# --- article page --------------------------------------------------------------------------


def test_the_search_term_is_marked_in_the_opened_article(ds, rows):
    page = tree(get(ds, "/archive/articles/he-40745301?q=" + quote("雄安")))
    body = page.cssselect("section.xt-body")[0]
    marks = body.cssselect("mark")
    assert marks and {m.text for m in marks} == {"雄安"}
    stored = lxml_html.fromstring(rows["he-40745301"]["body_html"]).text_content()
    assert len(marks) == stored.count("雄安")  # text and captions, every one
    assert body.cssselect("mark#xt-first-mark")
    banner = page.cssselect(".xt-search-context")[0].text_content()
    assert f"正文中标出 {len(marks)} 处" in banner
    assert "xt-first-mark" in page.cssselect(".xt-search-context a")[0].get("href")
    for a in body.cssselect("a, img"):
        assert "<mark" not in lxml_html.tostring(a, encoding="unicode").split(">")[0]
    english = tree(get(ds, "/archive/articles/he-40745301?q=Tongzhou"))
    assert {m.text for m in english.cssselect("section.xt-body mark")} <= {"通州", "城市副中心"}
    assert not tree(get(ds, "/archive/articles/he-40745301")).cssselect("section.xt-body mark")


def test_all_fields_read_as_a_list(ds):
    page = tree(get(ds, "/archive/articles/he-40745301"))
    fields = page.cssselect("dl.xt-all-fields")[0]
    names = [dt.text_content() for dt in fields.cssselect("dt")]
    assert "地点 · places" in names and not any(n.endswith("body_html") for n in names)
    candidates = fields.cssselect("dd.xt-field-date_candidates")[0].text_content()
    assert "method: date_line" in candidates and "[{" not in candidates
    assert "标题。Headline" in fields.cssselect("dd.xt-field-title small")[0].text_content()


def test_a_reprint_names_its_original(ds, rows):
    page = tree(get(ds, f"/archive/articles/{REPRINT}"))
    note = page.cssselect(".xt-reprint-note a")[0]
    assert note.get("href") == f"/archive/articles/{ORIGINAL}"
    assert note.text_content() == rows[ORIGINAL]["title"]


def test_json_objects_are_shown_as_lists(ds):
    page = tree(get(ds, "/archive/crawls"))
    stats = page.cssselect("td.col-stats dl.xt-object")
    assert stats and "downloader/request_count" in stats[0].text_content()


# --- feed, home ----------------------------------------------------------------------------


def test_the_feed_carries_a_stylesheet_and_browsers_get_an_xml_type(ds):
    reader = get(ds, "/archive/new_articles.atom")
    assert reader.headers["content-type"].startswith("application/atom+xml")
    assert '<?xml-stylesheet type="text/xsl" href="/xietong-static/atom.xsl"?>' in reader.text
    browser = get(ds, "/archive/new_articles.atom", {"accept": "text/html,application/xml"})
    assert browser.headers["content-type"].startswith("application/xml")
    xsl = get(ds, "/xietong-static/atom.xsl")
    assert b"xsl:stylesheet" in xsl.content


def test_the_home_page_leads_with_the_collection(ds, rows):
    text = get(ds, "/").text
    page = lxml_html.fromstring(text)
    assert page.cssselect("form.xt-list-search input[name=_search]")
    assert f"{len(rows)} 篇文章" in text
    assert page.cssselect(".xt-home figure.xt-chart a rect")
    order = [a.text_content() for a in page.cssselect("ul.xt-table-list li > a")]
    assert order[0] == "文章 · Articles"
    assert order.index("原始抓取 · Captures") > order.index("链接 · Links")
    assert text.index("xt-list-search") < text.index("xt-table-list")
    database = get(ds, "/archive").text
    assert database.index("xt-list-search") < database.index("xt-table-list")


# --- facets --------------------------------------------------------------------------------


def test_one_pass_facets_count_what_datasettes_own_facets_count(archive_copy):
    ours = make_datasette(archive_copy)
    meta = metadata_for(archive_copy)
    meta["databases"]["archive"]["tables"]["articles"]["facets"] = [
        "channel", "source", "series", {"year": "published_at"}, "published_month",
        "language", "status", {"array": "places"}, {"array": "topics"}, {"array": "editors"},
        {"array": "people"}, {"array": "organisations"}, {"array": "documents"}]
    theirs = Datasette([str(archive_copy)], metadata=meta, settings=SETTINGS,
                       template_dir=str(TEMPLATES),
                       static_mounts=[("xietong-static", str(STATIC))])
    for query in ("", "_search=" + quote("雄安"), "published_at__startswith=2024",
                  "places__arraycontains=" + quote("雄安新区")):
        a = get(ours, f"/archive/articles.json?{query}&_facet_size=max").json()["facet_results"]
        b = get(theirs, f"/archive/articles.json?{query}&_facet_size=max").json()[
            "facet_results"]
        assert set(a) == set(b)
        for name in a:
            counts = {str(v["value"]): v["count"] for v in a[name]["results"]}
            assert counts == {str(v["value"]): v["count"] for v in b[name]["results"]}, name
            urls = {str(v["value"]): v["toggle_url"] for v in a[name]["results"]}
            assert urls == {str(v["value"]): v["toggle_url"] for v in b[name]["results"]}, name


def test_whole_table_facets_are_counted_again_when_the_archive_changes(archive_copy, tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(archive_copy, path)
    ds = make_datasette(path)

    def channels():
        data = get(ds, "/archive/articles.json?_size=1").json()
        return {v["value"]: v["count"] for v in data["facet_results"]["channel"]["results"]}

    before = channels()
    assert channels() == before  # kept while nothing changed
    db = sqlite_utils.Database(path)
    db["articles"].insert({"id": "he-1", "url": "http://he.people.com.cn/x", "title": "新",
                           "channel": "新频道"})
    db.conn.commit()
    assert channels() == {**before, "新频道": 1}
