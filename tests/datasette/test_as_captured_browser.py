"""After `xietong demo`, in Debian's Chromium, offline: the article with the most photos shows
every photo, served by our server from the archive, and the page makes no request to any other
host; its "原貌 · as captured" view replays the captured page — headline, photos and styles — in
ReplayWeb.page, from our own files."""

from __future__ import annotations

import time

import pytest
import sqlite_utils
from conftest import run_xietong
from xt_serving import CHROMIUM_ARGS, ROOT, Server, chromium, screenshot

from archive.datasette import replayweb

# Nothing but the test server can be reached, whatever asks (a page, a frame, a service
# worker): every other host name fails to resolve; the route below records any attempt.
OFFLINE = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory):
    """What `xietong demo` builds (it is run as a user runs it, without serving)."""
    db = tmp_path_factory.mktemp("demo") / "archive.db"
    proc = run_xietong("demo", "--no-serve", "--db", str(db))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


@pytest.fixture(scope="module")
def served(demo_archive):
    if not replayweb.installed():
        pytest.fail("ReplayWeb.page is not vendored: run `python3 tasks.py test` (it downloads it)")
    with Server(demo_archive) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    yield from chromium(args=OFFLINE)


@pytest.fixture
def offline_page(browser, served):
    """A page of a fresh context that may reach the server only; other hosts are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    elsewhere: list[str] = []

    def route(r):
        if r.request.url.startswith(served.url + "/"):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda req: None if req.url.startswith(served.url + "/")
               else elsewhere.append(req.url))
    yield context.new_page(), elsewhere
    context.close()


def most_photos(db) -> dict:
    return next(sqlite_utils.Database(db).query(
        "select id, title, url, image_count from articles order by image_count desc, id limit 1"))


def test_the_article_with_the_most_photos_shows_every_photo_from_the_archive(
        served, offline_page):
    page, elsewhere = offline_page
    article = most_photos(served.db)
    assert article["image_count"] >= 4  # the three-county report: photos on all three pages
    page.goto(f"{served.url}/archive/articles/{article['id']}")
    images = page.locator("section.xt-body img, section.xt-images img")
    assert images.count() == article["image_count"]
    page.wait_for_function(
        "[...document.querySelectorAll('section.xt-body img, section.xt-images img')]"
        ".every(i => i.complete && i.naturalWidth > 0)")
    sources = [images.nth(i).get_attribute("src") for i in range(images.count())]
    assert all(s.startswith("/-/capture/archive/") for s in sources)
    # The original stays one click away: each photo links to its people.cn address.
    originals = page.locator("section.xt-body a:has(img)")
    assert originals.count() == article["image_count"]
    assert all(originals.nth(i).get_attribute("href").startswith("http://he.people.com.cn/")
               for i in range(originals.count()))
    page.wait_for_load_state("networkidle")
    screenshot(page, "09-article-photos-from-the-archive")
    assert elsewhere == []


def _replayed_frame(page, title: str, wait_s: float = 60):
    """The frame ReplayWeb.page shows the captured page in, once its headline is there (a
    readiness wait, not a timed assertion)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "mp_/http" in frame.url:
                try:
                    if frame.inner_text("h1", timeout=500).strip() == title:
                        return frame
                except Exception:  # noqa: BLE001 (still loading)
                    pass
        page.wait_for_timeout(250)
    return None


def test_as_captured_replays_the_captured_page_offline(served, offline_page):
    page, elsewhere = offline_page
    article = most_photos(served.db)
    page.goto(f"{served.url}/archive/articles/{article['id']}")
    page.click("a.xt-as-captured-link")
    page.wait_for_url(f"**/-/as-captured/archive/{article['id']}")
    frame = _replayed_frame(page, article["title"])
    assert frame is not None, "ReplayWeb.page did not show the captured page"
    assert article["url"] in frame.url  # the capture of the original address
    frame.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert frame.evaluate("document.images.length") > 0
    # Its captured stylesheet is applied: the 2016 template's headline is centred by it.
    assert frame.evaluate("getComputedStyle(document.querySelector('h1')).textAlign") == "center"
    page.wait_for_timeout(500)
    screenshot(page, "10-as-captured")
    assert elsewhere == []


def test_the_replay_files_are_ours(served):
    import httpx

    for name in ("ui.js", "sw.js"):
        r = httpx.get(f"{served.url}/-/replay/{name}", timeout=10)
        assert r.status_code == 200 and r.content == (replayweb.FOLDER / name).read_bytes()
    assert (replayweb.FOLDER / "VERSION").read_text().strip() == replayweb.VERSION
    assert ROOT  # the files live in the checkout, vendored by tasks.py, never fetched here
