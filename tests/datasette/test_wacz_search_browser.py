"""An exported WACZ is searchable offline (issue 20): ReplayWeb.page — our vendored copy, served
with the WACZ from a plain local web server, nothing fetched from elsewhere — opens the export,
and its page search finds an article by a word that only the article's text holds (not its
title, not its address), in Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import zipfile
from collections import Counter

import pytest
from conftest import run_xietong
from xt_serving import CHROMIUM_ARGS, chromium, screenshot

from archive.datasette import replayweb

OFFLINE = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
APP = """<!doctype html>
<html><head><meta charset="utf-8"><title>xietong export</title>
<script src="./ui.js"></script></head>
<body><replay-app-main></replay-app-main></body></html>
"""
# The text of elements and their (open) shadow roots: ReplayWeb.page draws its list there.
DEEP_TEXT = """entries => {
  const text = n => { let s = n.shadowRoot ? text(n.shadowRoot) : "";
    for (const c of n.childNodes) s += c.nodeType === 3 ? c.textContent : text(c);
    return s; };
  return entries.map(e => text(e).replace(/\\s+/g, " "));
}"""
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def exported(sample_archive, tmp_path_factory):
    """The whole sample archive exported as a WACZ, beside ReplayWeb.page's files."""
    if not replayweb.installed():
        pytest.fail("ReplayWeb.page is not vendored: run `python3 tasks.py test` (it downloads it)")
    db, _, _ = sample_archive
    out = tmp_path_factory.mktemp("wacz-export")
    proc = run_xietong("export", "--db", str(db), "--out", str(out), "--format", "wacz")
    assert proc.returncode == 0, proc.stderr
    site = out / "site"
    site.mkdir()
    for name in ("ui.js", "sw.js"):
        shutil.copy(replayweb.FOLDER / name, site / name)
    shutil.copy(out / "archive.wacz", site / "archive.wacz")
    (site / "index.html").write_text(APP, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out / "archive.wacz"
    server.shutdown()
    server.server_close()


def word_only_in_one_text(wacz) -> tuple[str, dict]:
    """A word of one page's text that no other page's text, and no title or URL, holds."""
    with zipfile.ZipFile(wacz) as z:
        pages = [json.loads(x) for x in z.read("pages/pages.jsonl").decode().splitlines()[1:]]
    counts = Counter(w for p in pages for w in set(p["text"].split()))
    for page in sorted(pages, key=lambda p: p["url"]):
        for word in page["text"].split():
            if (CJK_WORD.match(word) and len(word) >= 3 and counts[word] == 1
                    and not any(word in p["title"] or word in p["url"] for p in pages)):
                return word, page
    raise AssertionError("no word belongs to one page only")


def test_replayweb_finds_an_article_by_a_word_of_its_text(exported):
    url, wacz = exported
    word, page_record = word_only_in_one_text(wacz)
    gen = chromium(args=OFFLINE)
    browser = next(gen)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        elsewhere: list[str] = []
        context.on("request", lambda r: None if r.url.startswith(url + "/")
                   else elsewhere.append(r.url))
        page = context.new_page()
        page.goto(f"{url}/?source={url}/archive.wacz")
        box = page.get_by_placeholder("Search by Page URL, Title, or Text")
        box.wait_for(timeout=60_000)  # a readiness wait: the WACZ is loaded and listed
        page.get_by_text(re.compile(r"^\d+ pages$")).wait_for(timeout=60_000)
        box.fill(word)
        page.get_by_text("1 page", exact=True).wait_for(timeout=30_000)
        entries = page.locator("wr-page-entry").evaluate_all(DEEP_TEXT)
        screenshot(page, "11-wacz-search-offline")
        assert len(entries) == 1
        assert page_record["url"] in entries[0] and page_record["title"] in entries[0]
        context.close()
        assert [u for u in elsewhere if not u.startswith(("blob:", "data:"))] == []
    finally:
        gen.close()
