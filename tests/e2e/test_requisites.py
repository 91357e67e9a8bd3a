"""Page requisites, end to end: the real Scrapy engine crawls the sample site through the replay
proxy and keeps every archived article's photos, stylesheets and page images in its WARCs —
each URL once across the archive, politely, a photo over the size limit recorded and not stored —
and a second run, a revisit and a reparse leave them be. Datasette (in process) then serves them:
the capture route, the WARC of an article's page, and the capture calendar of an edited article.
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import json
import re
import shutil
from collections import Counter
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from conftest import crawl_sample, run_xietong
from warcio.archiveiterator import ArchiveIterator

from archive.captures import payload_digest
from archive.serve import make_datasette
from sample_site.media import LARGE_PHOTOS, photo_urls
from sample_site.replay import ReplayServer
from sample_site.site import Resource, build_site

LIMIT = 500_000  # bytes: the seed's aerial panorama (~1.3 MB) is over it, every other photo under
BIG = "http://he.people.com.cn" + next(iter(LARGE_PHOTOS))
SHARED = "http://he.people.com.cn/NMediaFile/2018/0918/LOCAL201809181750318026.jpg"
SHARED_BY = {"he-33520744", "he-40755830"}
ROBOTS_BLOCKED = "http://he.people.com.cn/img/2020wbc/imgs/share.png"
EDITED = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"
BOMB = "http://www.people.com.cn/img/2012wb/css/page.css"
REQUISITE_PATH = re.compile(r"^/(NMediaFile|mediafile|img)/")


def requisite_requests(requests) -> list[str]:
    return [u for _, u in requests if REQUISITE_PATH.match(urlsplit(u).path)]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    site = build_site()
    # robots.txt of he.people.com.cn forbids one template image: it must never be asked for.
    site.resources["http://he.people.com.cn/robots.txt"] = Resource(
        200, {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /img/2020wbc/imgs/share.png\n")
    # A stylesheet that is a gzip bomb: a few KB on the wire, 2 MB once decompressed.
    site.resources[BOMB] = Resource(200, {"Content-Type": "text/css", "Content-Encoding": "gzip"},
                                    gzip.compress(b" " * 2_000_000))
    db = tmp_path_factory.mktemp("requisites") / "archive.db"
    proc, requests = crawl_sample(site, db, extra=(
        "--set", f"XIETONG_REQUISITE_MAX_BYTES={LIMIT}"))
    return site, db, proc, requests


def rows(db, sql, params=()):
    return [dict(r) for r in sqlite_utils.Database(db).query(sql, params)]


def captured(db) -> dict[str, dict]:
    return {r["url"]: r for r in rows(db, "select * from captures where status = 200")}


def test_every_photo_of_every_archived_article_is_in_the_warcs(crawled):
    site, db, _, _ = crawled
    caps = captured(db)
    archived = rows(db, "select url, images from articles")
    assert archived
    for article in archived:
        spec = site.articles[article["url"]]
        expected = set(photo_urls(spec)) - {BIG}
        assert expected <= set(caps), article["url"]
        assert {i["src"] for i in json.loads(article["images"])} == set(photo_urls(spec))
    # The bytes stored are the bytes served, content type included.
    photo = caps[SHARED]
    served = site.get(SHARED)
    assert photo["digest"] == payload_digest(served.body)
    assert photo["content_type"] == "image/jpeg" and photo["length"] == len(served.body)


def test_stylesheets_page_images_and_what_stylesheets_pull_in_are_kept(crawled):
    _, db, _, _ = crawled
    caps = captured(db)
    for url in ("http://www.people.com.cn/img/2020wbc/css/page202102.css",
                "http://www.people.com.cn/img/2016wb/page2018.css",
                "http://www.people.com.cn/img/2020wbc/imgs/bg_title.png",  # url() in the CSS
                "http://he.people.com.cn/img/2020wbc/imgs/logo.png"):
        assert url in caps, url
    assert caps["http://www.people.com.cn/img/2020wbc/css/page202102.css"][
        "content_type"] == "text/css"


def test_a_photo_shared_by_two_articles_is_fetched_once(crawled):
    _, db, _, requests = crawled
    showing = {r["id"] for r in rows(db, "select id, images from articles")
               if SHARED in r["images"]}
    assert showing == SHARED_BY
    assert requisite_requests(requests).count(SHARED) == 1
    assert len(rows(db, "select id from captures where url = ?", [SHARED])) == 1
    # No requisite at all is fetched twice in a run.
    assert [u for u, n in Counter(requisite_requests(requests)).items() if n > 1] == []


def test_a_photo_over_the_size_limit_is_recorded_not_stored_and_the_crawl_goes_on(crawled):
    site, db, proc, requests = crawled
    assert proc.returncode == 0
    assert rows(db, "select id from captures where url = ?", [BIG]) == []
    state = rows(db, "select kind, status, error from url_state where url = ?", [BIG])
    assert state == [{"kind": "requisite", "status": None,
                      "error": f"too_large: {len(site.get(BIG).body)} bytes > limit {LIMIT}"}]
    crawl = rows(db, "select * from crawls")[0]
    assert crawl["requisites_too_large"] == 2  # the panorama and the gzip bomb
    assert crawl["finish_reason"] == "finished"
    # The article that shows it is archived all the same, with its other photos.
    assert rows(db, "select id from articles where url = ?", [EDITED])


def test_a_gzip_bomb_stops_at_the_limit_and_is_recorded(crawled):
    _, db, _, requests = crawled
    assert requisite_requests(requests).count(BOMB) == 1
    (state,) = rows(db, "select error from url_state where url = ?", [BOMB])
    assert state["error"].startswith("too_large: ") and f"> limit {LIMIT}" in state["error"]


def test_requisites_are_counted_apart_from_pages(crawled):
    _, db, _, requests = crawled
    crawl = rows(db, "select * from crawls")[0]
    stats = json.loads(crawl["stats"])
    fetched = len(requisite_requests(requests)) - 1  # the panorama was cut off, no response
    assert crawl["requisites_fetched"] == fetched == stats["xietong/requisites/fetched"]
    assert crawl["pages_fetched"] == stats["downloader/response_count"] - fetched
    assert crawl["requisites_failed"] == 0
    # Over their own limit, requisites are not pages over the page limit (issue 14's count).
    assert crawl["requisites_too_large"] == 2 and crawl["pages_too_large"] == 0
    assert len(rows(db, "select url from url_state where kind = 'requisite'")) == fetched + 1


def test_robots_txt_and_other_hosts_are_obeyed_for_requisites(crawled):
    _, _, _, requests = crawled
    assert ROBOTS_BLOCKED not in [u for _, u in requests]
    hosts = {urlsplit(u).hostname for u in requisite_requests(requests)}
    assert hosts and all(h.endswith((".people.com.cn", ".people.cn")) for h in hosts)
    assert not [u for _, u in requests if u.endswith(".js")]  # scripts are never kept


@pytest.fixture(scope="module")
def second_run(crawled):
    """The same crawl again, then a revisit of every article: no requisite is asked for."""
    site, db, _, _ = crawled
    before = captured(db)
    _, again = crawl_sample(site, db, extra=("--set", f"XIETONG_REQUISITE_MAX_BYTES={LIMIT}"))
    with ReplayServer(site) as replay:
        proc = run_xietong("crawl", "revisit", "--db", str(db), "--proxy", replay.proxy_url,
                           "--delay", "0")
        revisited = replay.requests
    assert proc.returncode == 0, proc.stderr
    return before, again, revisited


def test_requisites_are_never_fetched_again_unless_asked(crawled, second_run):
    _, db, _, _ = crawled
    before, again, revisited = second_run
    assert requisite_requests(again) == [] and requisite_requests(revisited) == []
    assert [u for _, u in again if urlsplit(u).path.endswith(".html")]  # the articles were
    crawls = rows(db, "select spider, requisites_fetched, stats from crawls order by id")
    assert [c["requisites_fetched"] for c in crawls[1:]] == [0, 0]
    # Since issue 18 the articles are asked conditionally: unchanged, they answer 304 and are
    # not read again, so nothing even asks whether their requisites are known.
    assert json.loads(crawls[1]["stats"])["xietong/not_modified/article"] > 0
    def requisite_captures(caps):
        return {u: c["id"] for u, c in caps.items() if REQUISITE_PATH.match(urlsplit(u).path)}

    assert requisite_captures(captured(db)) == requisite_captures(before)


def test_asking_fetches_them_again(crawled, second_run, tmp_path):
    site, db, _, _ = crawled
    copy_db = tmp_path / "archive.db"
    shutil.copy(db, copy_db)
    shutil.copytree(db.parent / "warc", tmp_path / "warc")
    _, requests = crawl_sample(site, copy_db, depth=0, extra=(
        "--set", "XIETONG_REQUISITES_REFETCH=true", "--set", "XIETONG_REQUISITES_PAGE=false"))
    assert set(requisite_requests(requests)) == set(photo_urls(site.articles[site.seed]))


def test_reparse_reads_articles_only_and_changes_nothing(crawled, second_run, tmp_path):
    _, db, _, _ = crawled
    proc = run_xietong("reparse", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    n = len(rows(db, "select id from articles"))
    assert f"unchanged {n}" in proc.stdout and "unreadable" not in proc.stdout + proc.stderr


# -- served by Datasette (in process: its own ASGI client) -----------------------------------
def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def ds(crawled, second_run):
    return make_datasette(crawled[1])


def test_the_capture_route_serves_a_photo_with_safe_headers(crawled, ds):
    _, db, _, _ = crawled
    cap = captured(db)[SHARED]
    uuid = cap["id"].removeprefix("<urn:uuid:").removesuffix(">")
    r = get(ds, f"/-/capture/archive/{uuid}")
    assert r.status_code == 200
    assert payload_digest(r.content) == cap["digest"]
    assert r.headers["content-type"] == "image/jpeg"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"]
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none'
    assert r.headers["link"] == f'<{SHARED}>; rel="original"'


def test_captured_html_is_never_served_as_html(crawled, ds):
    _, db, _, _ = crawled
    page = captured(db)[EDITED]
    r = get(ds, "/-/capture/archive/" + page["id"][len("<urn:uuid:"):-1])
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize("path", [
    "/-/capture/archive/00000000-0000-0000-0000-000000000000",
    "/-/capture/archive/not-a-uuid",
    "/-/capture/archive/..%2F..%2F..%2Fetc%2Fpasswd",
    "/-/capture/archive/../../etc/passwd",
    "/-/capture/nosuchdb/00000000-0000-0000-0000-000000000000",
    "/-/capture/archive/",
    "/-/as-captured/archive/no-such-article",
    "/-/as-captured/archive/no-such-article.warc.gz",
    "/-/replay/w/api/c/x",
    "/-/replay/nothing.js",
])
def test_bad_ids_and_paths_are_404s(ds, path):
    r = asyncio.run(ds.client.get(path, follow_redirects=True))
    assert r.status_code == 404, (path, r.status_code)


def test_a_tampered_capture_row_is_a_404_not_a_500(crawled, tmp_path):
    _, db, _, _ = crawled
    copy_db = tmp_path / "archive.db"
    shutil.copy(db, copy_db)
    shutil.copytree(db.parent / "warc", tmp_path / "warc")
    cap = captured(copy_db)[SHARED]
    other = rows(copy_db, "select id from captures where url = ? ", [EDITED])[0]["id"]
    archive = sqlite_utils.Database(copy_db)
    archive["captures"].update(cap["id"], {"warc_file": "../../../../etc/passwd"})
    archive["captures"].update(other, {"offset": 3})
    ds = make_datasette(copy_db)
    for cap_id in (cap["id"], other):
        assert get(ds, "/-/capture/archive/" + cap_id[len("<urn:uuid:"):-1]).status_code == 404


def test_the_article_warc_holds_its_page_and_requisites(crawled, ds):
    site, db, _, _ = crawled
    r = get(ds, "/-/as-captured/archive/he-40745301.warc.gz")
    assert r.status_code == 200 and int(r.headers["content-length"]) == len(r.content)
    path = db.parent / "page.warc.gz"
    path.write_bytes(r.content)
    with open(path, "rb") as fh:
        responses = {rec.rec_headers.get_header("WARC-Target-URI")
                     for rec in ArchiveIterator(fh) if rec.rec_type == "response"}
    assert EDITED in responses
    assert set(photo_urls(site.articles[EDITED])) - {BIG} <= responses
    assert "http://www.people.com.cn/img/2020wbc/css/page202102.css" in responses
    assert "http://www.people.com.cn/img/2020wbc/imgs/bg_title.png" in responses


def test_an_edited_article_has_a_capture_calendar(crawled, second_run, tmp_path):
    site, db, _, _ = crawled
    edited = copy.deepcopy(site.articles[EDITED])
    edited["title"] = edited["title"] + "（更新）"
    site.put_article(edited)
    with ReplayServer(site) as replay:
        proc = run_xietong("crawl", "revisit", "--db", str(db), "--proxy", replay.proxy_url,
                           "--delay", "0", "--set", "XIETONG_REVISIT_MIN_DAYS=0")
    assert proc.returncode == 0, proc.stderr
    versions = rows(db, "select fetched_at, digest from captures where url = ? and status = 200"
                        " order by fetched_at", [EDITED])
    assert len(versions) >= 2 and versions[0]["digest"] != versions[-1]["digest"]
    ds = make_datasette(db)
    article = get(ds, "/archive/articles/he-40745301").text
    assert "原貌 · as captured" in article and "/-/as-captured/archive/he-40745301" in article
    page = get(ds, "/-/as-captured/archive/he-40745301").text
    assert "抓取日历 · Capture calendar" in page
    links = re.findall(r'class="xt-capture[^"]*" href="[^"]*\?ts=(\d{14})"', page)
    assert len(links) == len(versions)
    assert len(re.findall(r'class="xt-capture[^"]*xt-changed', page)) == 1  # the edit
    first = links[0]
    older = get(ds, f"/-/as-captured/archive/he-40745301?ts={first}").text
    assert f'ts="{first}"' in older and f'ts="{links[-1]}"' in page
