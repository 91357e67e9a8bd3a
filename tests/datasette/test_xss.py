"""Stored XSS: payloads put into the sample site (script tags, event handlers, javascript: URLs in
bodies, captions, titles, link texts, sources, bylines) are crawled into an archive, and no
served page (every table, every article, search, series, feeds) lets one run: checked in the
markup of every page and by a real Chromium that would report any alert() as a dialog."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import quote

import feedparser
import pytest
import sqlite_utils
from conftest import crawl_sample
from lxml import etree
from lxml import html as lxml_html
from xt_serving import Server, chromium, page_maker, screenshot

from archive.serve import make_datasette
from sample_site.site import build_site

XSS_URL = "http://he.people.com.cn/n2/2024/0301/c192235-49999901.html"
XSS_URL_2016 = "http://bj.people.com.cn/n2/2016/0301/c82840-49999902.html"
SCRIPT = "<script>alert('xss-{}')</script>"
IMG = "<img src=x onerror=\"alert('xss-{}')\">"
JS = "javascript:alert('xss-{}')"


def payload_spec(url: str, template: str) -> dict:
    tag = template
    return {
        "url": url, "template": template, "charset": "utf-8", "relevant": True,
        "channel": f"河北频道{IMG.format('channel' + tag)}",
        "pre_title": f"「雄安{SCRIPT.format('series' + tag)}」系列报道",
        "title": f"雄安新区京津冀协同{SCRIPT.format('title' + tag)}",
        "subtitle": IMG.format("subtitle" + tag),
        "byline": f"人民网记者 <b onmouseover=\"alert('xss-byline{tag}')\">张三</b>",
        "published": "2024-03-01 10:00",
        "source": f"人民网{SCRIPT.format('source' + tag)}",
        "source_url": JS.format("sourceurl" + tag),
        "editors": [SCRIPT.format("editor" + tag), "王五"],
        "keywords": "京津冀 雄安",
        "body": [
            f"　　京津冀协同发展，雄安新区建设。{SCRIPT.format('body' + tag)}正文继续。",
            f"　　图片{IMG.format('bodyimg' + tag)}之后，"
            f"<svg onload=\"alert('xss-svg{tag}')\"></svg>",
            f"　　<a href=\"{JS.format('bodylink' + tag)}\">点击{SCRIPT.format('anchor' + tag)}</a>"
            "了解雄安。",
            f"　　文字里的 &lt;script&gt;alert('xss-text{tag}')&lt;/script&gt; 和 "
            f"&lt;img src=x onerror=alert('xss-textimg{tag}')&gt; 只是文字。",
            {"img": JS.format("imgsrc" + tag),
             "caption": f"雄安{SCRIPT.format('caption' + tag)}（人民网记者 李四摄）"},
            {"img": "/NMediaFile/2024/0301/XSS.jpg",
             "caption": f"容城县{IMG.format('caption2' + tag)}"},
            "　　<iframe src=\"http://evil.example/\"></iframe>京津冀协同发展继续推进。",
        ],
        "related": [],
        "external": [
            {"url": JS.format("related" + tag), "title": f"相关{IMG.format('relatedtext' + tag)}",
             "block": "related"},
            {"url": "http://he.people.com.cn/n2/2024/0302/c192235-49999999.html",
             "title": f"外链{SCRIPT.format('extlink' + tag)}", "block": "related"},
        ],
    }


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def page_for(browser):
    yield from page_maker(browser)


@pytest.fixture(scope="module")
def xss_archive(tmp_path_factory):
    site = build_site()
    site.put_article(payload_spec(XSS_URL, "2020"))
    site.put_article(payload_spec(XSS_URL_2016, "2016"))
    seed = dict(site.articles[site.seed])
    seed["related"] = [*seed.get("related", []), XSS_URL, XSS_URL_2016]
    site.put_article(seed)
    db = tmp_path_factory.mktemp("xss") / "archive.db"
    crawl_sample(site, db)
    plant_unsanitised_rows(db)
    return db


def plant_unsanitised_rows(path) -> None:
    """The crawler cleans what it stores, but the archive file may come from anywhere (an older
    crawler, a hand edit): plant raw HTML, a javascript: photo and a javascript: link, which the
    pages must clean again when they show them."""
    db = sqlite_utils.Database(path)
    if "body_html" not in db["articles"].columns_dict:
        db["articles"].add_column("body_html", str)
    raw = (f"<p>雄安{SCRIPT.format('stored')}<img src=x onerror=\"alert('xss-storedimg')\">"
           f"<a href=\"{JS.format('storedlink')}\">链接</a>"
           f"<iframe src=\"{JS.format('storedframe')}\"></iframe></p>")
    images = json.dumps([{"src": JS.format("storedsrc"), "caption": SCRIPT.format("storedcap")}])
    with db.conn:
        db.execute("update articles set body_html = ?, images = ? where id = 'bj-49999902'",
                   [raw, images])
        db["links"].insert({"from_article": "bj-49999902", "kind": "related",
                            "to_url": JS.format("storedrelated"), "position": 99,
                            "anchor": SCRIPT.format("storedanchor")})


def test_the_payloads_were_archived(xss_archive):
    """Otherwise the rest proves nothing."""
    db = sqlite_utils.Database(xss_archive)
    rows = {r["id"]: r for r in db["articles"].rows}
    assert {"he-49999901", "bj-49999902"} <= set(rows)
    stored = json.dumps(list(rows.values()), ensure_ascii=False)
    for marker in ("<script>alert('xss-titl", "xss-caption", "xss-editor", "xss-source",
                   "onerror=alert('xss-textimg"):
        assert marker in stored, marker
    anchors = " ".join(str(r["anchor"]) for r in db["links"].rows)
    assert "xss-extlink" in anchors  # (the reader drops the javascript: link itself)


def served_paths(db_path) -> list[str]:
    db = sqlite_utils.Database(db_path)
    paths = ["/", "/archive", "/-/search?q=" + quote("雄安"), "/-/search?q=xss",
             "/-/search?q=" + quote("<script>alert(1)</script>"),
             "/archive/articles?_search=" + quote("雄安"), "/archive/articles?_search=xss",
             "/archive/articles?_search=script", "/archive/series_list",
             "/archive/coverage_by_month", "/archive/places_map", "/archive/new_articles",
             "/archive/search_feed?q=" + quote("雄安")]
    for table in db.table_names():
        if not table.startswith("articles_fts") and not table.startswith("_"):
            paths.append(f"/archive/{table}?_size=max")
    paths += [f"/archive/articles/{r['id']}" for r in db["articles"].rows]
    paths += [f"/archive/articles/{r['id']}?q=xss" for r in db["articles"].rows]
    for (series,) in db.execute("select distinct series from articles where series != ''"):
        paths.append("/archive/series_articles?series=" + quote(series))
        paths.append("/archive/articles?series=" + quote(series))
    for (editors,) in db.execute("select editors from articles where editors like '%xss%'"):
        for name in json.loads(editors):
            paths.append("/archive/articles?editors__arraycontains=" + quote(name))
    # issue 11's pages and parameters: every typed value comes back on the page somewhere
    # (search box, "also searched", filter chips, suggestions, links, tab titles).
    hostile = quote(SCRIPT.format("param")) + "%20OR%20" + quote(IMG.format("param2"))
    paths += [
        f"/archive/articles?_search={hostile}", f"/archive/articles?_search={hostile}%20-xss",
        f"/archive/articles?_search=xss&source={hostile}",
        f"/archive/articles?_from={hostile}&_to={quote(JS.format('to'))}",
        f"/archive/articles?_view=grid&_search={quote('雄安')}",
        f"/archive/articles?_search={quote('雄安 上海迪士尼')}&channel={hostile}",
        f"/-/search?q={hostile}", f"/-/search?q={quote('雄安')}&channel={hostile}&_from=2024",
        f"/-/timeline?q={hostile}&q={quote('雄安')}", f"/-/timeline?q=xss&_from={hostile}",
        "/-/timeline", f"/archive/articles/he-49999901?q={hostile}",
        f"/archive/articles/bj-49999902?q={quote('雄安 链接 xss')}",
        f"/archive/series_articles?series={hostile}", f"/archive/search_feed?q={hostile}",
    ]
    return paths


FEEDS = ["/archive/new_articles.atom", "/archive/search_feed.atom?q=" + quote("雄安"),
         "/archive/search_feed.atom?q=xss", "/archive/search_feed.atom?q=script",
         "/archive/search_feed.atom?q=" + quote(SCRIPT.format("feedq"))]
EXPORTS = ["/archive/-/export.json?_search=xss", "/archive/-/export.json?q=xss&_rank=1",
           "/archive/-/export.json?_search=" + quote(SCRIPT.format("exportq")),
           "/archive/-/export.csv?_search=xss"]


def dangers(markup: str) -> list[str]:
    """Every way the page could run the payloads: script text, on* handlers, script URLs."""
    found = []
    if re.search(r"<script>alert|<img src=x onerror|<svg onload|<iframe", markup, re.I):
        found.append("raw payload markup")
    root = lxml_html.fromstring(markup)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("iframe", "object", "embed"):
            found.append(f"<{el.tag}>")
        if el.tag == "script" and "alert" in (el.text or ""):
            found.append(f"script: {el.text[:60]}")
        for name, value in el.attrib.items():
            if name.lower().startswith("on") and ("alert" in value or "xss" in value):
                found.append(f"{el.tag} {name}={value[:60]}")
            cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data") \
                    and cleaned.startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"{el.tag} {name}={value[:60]}")
    return found


def test_no_served_page_or_feed_carries_a_live_payload(xss_archive):
    ds = make_datasette(xss_archive)

    async def fetch(path):
        return await ds.client.get(path)

    paths = served_paths(xss_archive)
    assert len(paths) > 60
    for path in paths:
        response = asyncio.run(fetch(path))
        assert response.status_code == 200, (path, response.text[:500])
        assert dangers(response.text) == [], path
    for path in FEEDS:
        response = asyncio.run(fetch(path))
        assert response.status_code == 200, path
        etree.fromstring(response.content)  # well-formed XML: nothing broke out of its element
        feed = feedparser.parse(response.content)
        assert feed.version == "atom10" and not feed.bozo, path
        for entry in feed.entries:
            for link in entry.links:
                assert not link.href.lower().startswith("javascript:"), path
            for content in entry.get("content", []):
                if content.type == "text/html":
                    assert dangers(f"<div>{content.value}</div>") == [], path
    # A filter on a column that does not exist is Datasette's 400 page, escaped too.
    bad = asyncio.run(fetch("/archive/articles?" + quote(SCRIPT.format("column")) + "=1"))
    assert bad.status_code == 400 and dangers(bad.text) == []
    for path in EXPORTS:  # data, never markup: well-formed JSON, a CSV with its BOM
        response = asyncio.run(fetch(path))
        assert response.status_code == 200, path
        if ".json" in path:
            for record in json.loads(response.content):
                assert set(record) >= {"id", "title", "places"}, path
        else:
            assert response.content.startswith(b"\xef\xbb\xbf")
            assert response.headers["content-type"].startswith("text/csv")
    # The pages do show the payloads, as text.
    page = asyncio.run(fetch("/archive/articles/he-49999901")).text
    assert "&lt;script&gt;alert(&#39;xss-title2020&#39;)&lt;/script&gt;" in page


def test_chromium_runs_no_payload(xss_archive, tmp_path, page_for):
    dialogs = []
    with Server(xss_archive) as server:
        page = page_for(server)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in served_paths(xss_archive):
            if ("_size=max" in path and "articles?" not in path) or path.endswith("?q=xss"):
                continue  # covered in the markup above; the browser walks the reading pages
            page.goto(server.url + path)
            for link in page.locator("a.xt-entry-title, section.xt-links a").all()[:3]:
                link.hover()  # mouse events would fire an onmouseover that slipped through
        page.set_extra_http_headers({"accept": "text/html,application/xml"})
        for path in FEEDS:  # a browser shows a feed through atom.xsl
            page.goto(server.url + path)
        page.goto(server.url + "/archive/articles/he-49999901")
        page.locator("h1.xt-title").hover()
        screenshot(page, "09-xss-article-shown-as-text")
    assert dialogs == []
