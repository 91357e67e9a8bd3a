"""The archive in a real headless Chromium against `xietong serve` on the crawled sample site:
search shows marked excerpts, a facet narrows the results, the article page shows its body,
photos, series neighbours and related articles that open their archived rows. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

from urllib.parse import unquote

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
