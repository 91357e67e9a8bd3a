"""Issue 19 in a real headless Chromium against `xietong serve` on the crawled sample site: a
researcher searches 雄安, opens the concordance from the list, sees every hit aligned on the
hit, sorts by left and by right context, opens a line's article at that hit, downloads the CSV
and opens it; then the terms of the same search. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import sqlite3

import pytest
from xt_serving import Server, chromium, copy_archive, page_maker, screenshot


@pytest.fixture(scope="module")
def served_archive(sample_archive, tmp_path_factory):
    with Server(copy_archive(sample_archive[0], tmp_path_factory.mktemp("served"))) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page_for(browser):
    yield from page_maker(browser)


def hits_in_archive(db, needle: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return sum(t.count(needle) + b.count(needle) for t, b in conn.execute(
            "select coalesce(title, ''), coalesce(body, '') from articles"))
    finally:
        conn.close()


def test_a_concordance_walk(served_archive, page_for, tmp_path):
    expected = hits_in_archive(served_archive.db, "雄安")
    page = page_for(served_archive)
    page.goto(served_archive.url + "/archive/articles")
    page.fill("input#_search", "雄安")
    page.press("input#_search", "Enter")
    page.wait_for_selector("li.xt-entry")
    page.click("a.xt-concordance")
    page.wait_for_selector("table.xt-kwic")
    assert page.locator("h2.xt-count").inner_text().startswith(f"{expected} 处")
    lines = page.locator("table.xt-kwic tbody tr")
    assert lines.count() == expected
    assert set(page.locator("td.xt-kwic-hit").all_inner_texts()) == {"雄安"}
    # aligned on the hit: every hit cell starts at the same x
    xs = {round(page.locator("td.xt-kwic-hit").nth(i).bounding_box()["x"]) for i in range(5)}
    assert len(xs) == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "19-concordance")

    page.click("a.xt-sort-left")
    page.wait_for_url("**sort=left**")
    lefts = [t.rstrip()[::-1] for t in page.locator("td.xt-kwic-left").all_inner_texts()]
    assert len(lefts) == expected and lefts == sorted(lefts)
    page.click("a.xt-sort-right")
    page.wait_for_url("**sort=right**")
    rights = [t.lstrip() for t in page.locator("td.xt-kwic-right").all_inner_texts()]
    assert rights == sorted(rights)
    screenshot(page, "19-concordance-right")

    with page.expect_download() as download:
        page.click("a.xt-export-csv")
    path = tmp_path / "concordance.csv"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert len(records) == expected and all(r["hit"] == "雄安" for r in records)

    # a body line opens its article with that very hit in view and marked
    body_line = page.locator("td.xt-kwic-hit a[href*='#xt-mark-']").first
    anchor = body_line.get_attribute("href").split("#")[1]
    body_line.click()
    page.wait_for_selector(f"mark#{anchor}")
    assert page.locator(f"mark#{anchor}").inner_text() == "雄安"
    assert page.locator(f"mark#{anchor}").is_visible()

    # the terms of the same search: key terms with counts, collocates
    page.goto(served_archive.url + "/-/terms?q=%E9%9B%84%E5%AE%89")
    page.wait_for_selector("table.xt-keyness-table")
    terms = page.locator("table.xt-keyness-table tbody tr td:first-child a:first-child")
    assert "雄安新区" in terms.all_inner_texts()
    assert page.locator("table.xt-collocates-table tbody tr").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "19-terms")
