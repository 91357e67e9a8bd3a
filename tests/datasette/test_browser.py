"""The archive in a real headless Chromium against `xietong serve` on the crawled sample site:
search shows marked excerpts, a facet narrows the results, the article page shows its body,
photos, series neighbours and related articles that open their archived rows. Then a
researcher's day at 1366 px (issue 11): a series in order, 雄安 in 2017 vs 2024, an article and
its related one, a search exported and opened as CSV, one source, articles per month, Tongzhou
and Xiongan — every page checked for sideways scrolling, asserting what a person sees.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from xt_serving import Server, chromium, copy_archive, page_maker, screenshot

SEED = "he-40745301"


@pytest.fixture(scope="module")
def served_archive(sample_archive, tmp_path_factory):
    """A copy of the crawled sample archive, served by `xietong serve`."""
    with Server(copy_archive(sample_archive[0], tmp_path_factory.mktemp("served"))) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page_for(browser):
    yield from page_maker(browser)


def test_search_shows_marked_excerpts_and_a_facet_narrows_them(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    page.fill("input#_search", "雄安")
    page.press("input#_search", "Enter")
    page.wait_for_selector("li.xt-entry")
    assert "_search=" in page.url
    results = page.locator("li.xt-entry")
    total = results.count()
    assert total > 1
    for i in range(total):
        marks = results.nth(i).locator("mark")
        assert marks.count() > 0 and set(marks.all_inner_texts()) == {"雄安"}
    screenshot(page, "01-search-xiongan")

    # The channel facet's first value lists fewer articles than the search found.
    facet = page.locator("#facet-channel li a").first
    label, count = facet.inner_text(), int(facet.locator("xpath=..").inner_text().split()[-1])
    assert count < total
    facet.click()
    page.wait_for_url("**channel=**")
    assert f"channel={label}" in unquote(page.url) and "_search=" in page.url
    narrowed = page.locator("li.xt-entry")
    assert narrowed.count() == count
    assert all(m == "雄安" for m in narrowed.locator("mark").all_inner_texts())
    screenshot(page, "02-search-narrowed-by-channel")


def test_article_page_body_photos_series_and_related(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(f"{served_archive.url}/archive/articles/{SEED}")
    title = page.inner_text("h1.xt-title")
    assert "同心圆" in title
    body = page.inner_text("section.xt-body")
    assert "北京城市副中心" in body and len(body) > 500
    images = page.locator("section.xt-body img, section.xt-images img")
    assert images.count() >= 1
    page.wait_for_function(
        "[...document.querySelectorAll('section.xt-body img, section.xt-images img')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    assert "雄安史家胡同小学校园全景" in page.inner_text("div.xt-main")
    assert page.locator("section.xt-series li.xt-prev a").count() == 1
    assert page.locator("section.xt-series li.xt-next a").count() == 1
    screenshot(page, "03-article-page")

    # A series neighbour opens its archived row.
    previous = page.locator("section.xt-series li.xt-prev a")
    previous_title = previous.inner_text()
    previous.click()
    page.wait_for_url("**/archive/articles/**")
    assert page.inner_text("h1.xt-title") == previous_title
    page.go_back()

    # So does a related article, and the original URL is offered beside it.
    related = page.locator("section.xt-links-related a.xt-archived").first
    related_title = related.inner_text()
    original = page.locator("section.xt-links-related li").first.locator("a.xt-original")
    assert original.get_attribute("href").startswith("http://")
    related.click()
    page.wait_for_url("**/archive/articles/**")
    assert page.inner_text("h1.xt-title") == related_title
    assert page.locator("section.xt-linked-from a", has_text=title).count() == 1
    screenshot(page, "04-related-article")


def test_ranked_search_series_chart_and_map_pages_render(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/-/search?q=" + "雄安")
    assert page.locator("li.xt-entry mark").count() > 0
    screenshot(page, "05-search-all-ranked")
    page.goto(served_archive.url + "/archive/series_list")
    page.locator("td.col-series a").first.click()
    page.wait_for_selector("ol.xt-series-members a.xt-member-title")
    screenshot(page, "06-series-page")
    page.goto(served_archive.url + "/archive/coverage_by_month")
    assert page.locator("figure.xt-chart rect").count() > 3
    screenshot(page, "07-coverage-by-month")
    page.goto(served_archive.url + "/archive/places_map")
    page.wait_for_selector(".leaflet-container")
    screenshot(page, "08-map")


# --- a researcher's day (issue 11) --------------------------------------------------------

WIDTH = 1366
ENTRY_MAX_HEIGHT = 150  # px: headline, one line of facts, two lines of excerpt


@pytest.fixture(scope="module")
def articles(sample_archive):
    conn = sqlite3.connect(sample_archive[0])
    conn.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in conn.execute("select * from articles")}
    conn.close()
    return rows


def fits(page):
    """No sideways scrolling: the page is no wider than the window."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def count_shown(page) -> int:
    text = page.inner_text("h2.xt-count")
    return int(re.match(r"([\d,]+) 篇文章", text).group(1).replace(",", ""))


def search(page, words: str, date_from: str = "", date_to: str = ""):
    page.fill("input#_search", words)
    page.fill("input[name=_from]", date_from)
    page.fill("input[name=_to]", date_to)
    with page.expect_navigation():
        page.press("input#_search", "Enter")


def has(row, word) -> bool:
    return word in f"{row['title']}\n{row['body']}"


def test_the_list_reads_as_a_list_with_the_search_box_first(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    fits(page)
    box = page.locator("input#_search").bounding_box()
    hint = page.locator("p.xt-hint")
    assert "在上面的检索框" in hint.inner_text() and "in the box above" in hint.inner_text()
    assert box["y"] + box["height"] <= hint.bounding_box()["y"]  # the box is above the hint
    entries = page.locator("li.xt-entry")
    assert entries.count() == 25
    for i in range(entries.count()):
        assert entries.nth(i).bounding_box()["height"] <= ENTRY_MAX_HEIGHT
    assert page.locator("table.rows-and-columns").count() == 0
    screenshot(page, "10-articles-list")
    page.click("a.xt-grid-link")
    page.wait_for_selector("table.xt-grid")
    fits(page)  # the grid scrolls inside its own box, not the page
    with page.expect_navigation():
        page.click("text=Back to the list")
    assert page.locator("li.xt-entry").count() == 25


def test_a_series_in_order(served_archive, page_for, articles):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/series_list")
    fits(page)
    assert page.title().startswith("系列报道 · Series")
    page.locator("td.col-series a", has_text="京津冀协同发展十年").click()
    page.wait_for_selector("ol.xt-series-members")
    fits(page)
    assert page.title().startswith("京津冀协同发展十年 — 系列文章")
    numbers = page.locator("ol.xt-series-members .xt-number").all_inner_texts()
    dates = page.locator("ol.xt-series-members time").all_inner_texts()
    members = sorted((r["published_at"], i) for i, r in articles.items()
                     if r["series"] == "京津冀协同发展十年")
    assert numbers == [str(n) for n in range(1, len(members) + 1)]
    assert dates == [d[:10] for d, _ in members]
    assert not page.locator("pre.wrapped-sql").is_visible()  # the SQL is one click away
    page.click("details.xt-sql summary")
    assert "series_articles" in page.inner_text("pre.wrapped-sql") or \
        "members" in page.inner_text("pre.wrapped-sql")
    page.locator("details.xt-sql summary").click()
    screenshot(page, "11-series-in-order")


def test_xiongan_in_2017_vs_2024(served_archive, page_for, articles):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    counts = {}
    for year in ("2017", "2024"):
        search(page, "雄安", year, year)
        fits(page)
        expected = sum(1 for r in articles.values()
                       if (r["published_at"] or "").startswith(year) and has(r, "雄安"))
        counts[year] = count_shown(page)
        assert counts[year] == expected and page.locator("li.xt-entry").count() == expected
        dates = page.locator("li.xt-entry time").all_inner_texts()
        assert all(d.startswith(year) for d in dates)
        screenshot(page, f"12-xiongan-{year}")
    assert counts["2024"] > counts["2017"] > 0
    # The same numbers on the time view, 雄安 beside 通州.
    page.goto(served_archive.url + "/-/timeline")
    page.locator("input.xt-q").nth(0).fill("雄安")
    page.locator("input.xt-q").nth(1).fill("通州")
    page.click("input[type=submit]")
    page.wait_for_selector("table.xt-years")
    fits(page)
    cells = {row.locator("td").nth(0).inner_text(): row.locator("td").all_inner_texts()
             for row in page.locator("table.xt-years tbody tr").all()}
    assert cells["2017"][2] == str(counts["2017"]) and cells["2024"][2] == str(counts["2024"])
    assert page.locator("figure.xt-chart").count() == 2  # counts, and shares of each month
    screenshot(page, "13-xiongan-vs-tongzhou-per-month")


def test_article_then_related_with_the_search_marked(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    search(page, "雄安")
    first = page.locator("li.xt-entry a.xt-entry-title").first
    title = first.inner_text()
    first.click()
    page.wait_for_selector("h1.xt-title")
    fits(page)
    assert page.inner_text("h1.xt-title") == title
    marks = page.locator("section.xt-body mark")
    assert marks.count() > 0 and set(marks.all_inner_texts()) == {"雄安"}
    banner = page.inner_text(".xt-search-context")
    assert f"{marks.count()} 处" in banner
    screenshot(page, "14-article-with-search-marked")
    related = page.locator("section.xt-links a.xt-archived").first
    related_title = related.inner_text()
    related.click()
    page.wait_for_selector("h1.xt-title")
    assert page.inner_text("h1.xt-title") == related_title
    fits(page)
    page.click("details.xt-fields summary")
    fits(page)
    assert page.locator("dl.xt-all-fields dt", has_text="地点 · places").count() == 1
    screenshot(page, "15-related-article-all-fields")


def test_export_a_search_and_open_it_as_csv(served_archive, page_for, articles, tmp_path):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    search(page, "雄安")
    shown = count_shown(page)
    with page.expect_download() as download:
        page.click("a.xt-export-csv")
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    with open(path, encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert len(records) == shown == sum(1 for r in articles.values() if has(r, "雄安"))
    assert list(records[0])[:4] == ["id", "url", "title", "date"]
    assert all("[" not in r["places"] for r in records)  # lists joined, not JSON
    assert all(r["title"] == articles[r["id"]]["title"] for r in records)
    # and the ranked search exports what it ranks
    page.click("a.xt-ranked")
    page.wait_for_selector("li.xt-entry")
    fits(page)
    with page.expect_download() as download:
        page.click("a.xt-export-json")
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert len(data) == shown and isinstance(data[0]["places"], list)
    screenshot(page, "16-ranked-search")


def test_narrow_to_one_source(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    search(page, "京津冀")
    total = count_shown(page)
    facet = page.locator("#facet-source li a").first
    source = facet.inner_text()
    expected = int(facet.locator("xpath=..").inner_text().split()[-1])
    assert expected < total
    with page.expect_navigation():
        facet.click()
    fits(page)
    assert count_shown(page) == expected
    metas = page.locator("li.xt-entry .xt-meta").all_inner_texts()
    assert len(metas) == min(expected, 25) and all(f" · {source}" in m for m in metas)
    assert source in page.inner_text(".xt-active")
    screenshot(page, "17-narrowed-to-one-source")


def test_articles_per_month_bars_open_the_month(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/coverage_by_month")
    fits(page)
    assert page.title().startswith("按月报道量 · Coverage by month")
    bars = page.locator("figure.xt-chart a.xt-bar-link")
    assert bars.count() > 3
    screenshot(page, "18-articles-per-month")
    bar = bars.nth(bars.count() - 2)
    label = bar.locator("title").text_content()
    month, value = label.split(" ")[0], int(label.split(": ")[1].replace(",", ""))
    bar.click()
    page.wait_for_selector("h2.xt-count")
    assert parse_qs(urlsplit(page.url).query)["published_month"] == [month]
    assert count_shown(page) == value
    assert all(d.startswith(month) for d in page.locator("li.xt-entry time").all_inner_texts())
    # months without articles are on the axis too
    page.go_back()
    page.click("details.xt-months summary")
    zeros = page.locator("details.xt-months td", has_text=re.compile(r"^0$"))
    assert zeros.count() > 0


@pytest.mark.parametrize(("english", "chinese"), [("Tongzhou", "通州"), ("Xiongan", "雄安")])
def test_tongzhou_and_xiongan(served_archive, page_for, articles, english, chinese):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    search(page, chinese)
    in_chinese = count_shown(page)
    search(page, english)
    fits(page)
    assert count_shown(page) >= in_chinese > 0
    added = page.inner_text(".xt-expanded")
    assert english in added and chinese in added  # the page says what it added
    assert chinese in page.locator("li.xt-entry mark").all_inner_texts()
    screenshot(page, f"19-{english.lower()}")


def test_an_empty_search_suggests_one_that_finds(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    search(page, "雄安 上海迪士尼")
    assert count_shown(page) == 0
    assert "没有找到文章" in page.inner_text(".zero-results")
    tip = page.locator("ul.xt-suggestions a").first
    assert "雄安 OR 上海迪士尼" in tip.inner_text()
    screenshot(page, "20-empty-result-suggestion")
    with page.expect_navigation():
        tip.click()
    assert count_shown(page) > 0


def test_home_and_feed_read_as_pages(served_archive, page_for):
    page = page_for(served_archive)
    page.goto(served_archive.url + "/")
    fits(page)
    assert page.locator("form.xt-list-search input[name=_search]").bounding_box()["y"] < 250
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("数据表 · Tables") > headings.index("系列 · Series")
    screenshot(page, "21-home")
    page.set_extra_http_headers({"accept": "text/html,application/xhtml+xml,application/xml"})
    page.goto(served_archive.url + "/archive/new_articles.atom")
    fits(page)
    assert "Atom" in page.title()
    assert page.locator("li a.title").count() > 10  # entries as a list, not raw XML
    screenshot(page, "22-feed-in-a-browser")
