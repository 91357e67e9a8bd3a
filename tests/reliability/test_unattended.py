"""Unattended runs you can trust (issue 18), each case with the real Scrapy engine against the
sample site over loopback, real files and a real server: a site that goes away mid-crawl and a
robots.txt that forbids the seed fail the run by cause (never as a layout alarm); a full disk
stops the run and a rerun on a roomy disk ends with the archive an undisturbed crawl makes; a
rerun asks conditionally; exports killed or starved of space leave no file under a final name;
no CSV route lets a formula through; bad settings are one line; SIGTERM stops a crawl in
seconds; served SQL cannot reach fts3_tokenizer; a busy port is refused before the demo
crawls; a crawl without a terminal says it is alive.

docs/reliability.md lists these cases with the command that reproduces each by hand.
"""

from __future__ import annotations

import asyncio
import csv
import http.client
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import sqlite_utils
from conftest import ROOT, run_xietong
from disks import tmpfs, umount

from archive.spreadsheet import FORMULA_STARTS
from peoplecn import urls
from peoplecn.requisites import requisite_url
from sample_site import layouts
from sample_site.replay import ReplayServer
from sample_site.site import Resource, normalize_key

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "datasette"))
from xt_serving import Server, copy_archive  # noqa: E402

FORMULA = '=HYPERLINK("http://evil.example","x")'


def crawl_args(site, db, proxy, *extra, depth: int = 4):
    return ["crawl", "related", "--seed", site.seed, "--depth", str(depth), "--db", str(db),
            "--proxy", proxy, "--delay", "0", *extra]


def popen_xietong(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xietong", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def crawl_row(db) -> dict:
    return list(sqlite_utils.Database(db).query("select * from crawls order by id desc"))[0]


def no_traceback_one_line(proc) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert len(lines) == 1, proc.stderr
    return lines[0]


def fetched_but_not_archived(archive, site) -> list[str]:
    """Article pages url_state says were fetched (200) whose article is neither archived nor
    off topic — what state must never claim. Further pages (…-2.html) count by their article."""
    archived = {r[0] for r in archive.execute("select id from articles")}
    off_topic = {urls.article_id(u) for u in site.irrelevant_urls()}
    return [url for url, in archive.execute(
        "select url from url_state where kind = 'article' and status = 200")
        if urls.article_id(url) not in archived | off_topic]


def missing_photos(db) -> list[str]:
    """people.cn photos archived articles show that have no 200 capture."""
    archive = sqlite_utils.Database(db)
    captured = {r[0] for r in archive.execute("select url from captures where status = 200")}
    shown = {(i["src"], a["url"]) for a in archive.query("select url, images from articles")
             for i in json.loads(a["images"] or "[]")}
    return sorted(src for src, page in shown
                  if requisite_url(page, src) and src not in captured)


# -- every failure counted by cause, and said ------------------------------------------------
def test_a_site_gone_mid_crawl_fails_the_run_by_cause_not_as_a_new_layout(site, tmp_path):
    db = tmp_path / "archive.db"
    replay = ReplayServer(site, latency=0.05).start()
    # The layout alarm as touchy as it gets: one article read without a template would ring it
    # — if a failed run were judged for layouts at all.
    proc = popen_xietong(*crawl_args(site, db, replay.proxy_url, "--set", "RETRY_TIMES=1",
                                     "--set", "XIETONG_TEMPLATE_BLIND_MAX_SHARE=0",
                                     "--set", "XIETONG_COVERAGE_MIN_NEW=1"))
    try:
        deadline = time.monotonic() + 120  # a readiness wait, not a timed assertion
        while len(replay.requests) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        replay.stop()  # the site goes away with most of the crawl still to do
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    row = crawl_row(db)
    causes = json.loads(row["errors_by_cause"])
    assert causes.get("connection", 0) >= 5 and row["errors"] == sum(causes.values())
    assert row["failure"] and "page requests failed" in row["failure"]
    assert f"run failed: {row['failure']}" in err
    assert "cues" in json.loads(row["readers"])  # pages of a new layout were read …
    assert row["coverage_failed"] is None  # … and still no alarm about layouts
    assert "coverage under threshold" not in err and "new page layout" not in err
    # the summary line says the errors by cause too
    assert re.search(r"errors \d+ \(connection \d+", err), err


def test_robots_txt_forbidding_the_seed_fails_with_the_reason(fresh_site, tmp_path):
    robots = normalize_key(f"http://{urlsplit(fresh_site.seed).hostname}/robots.txt")
    fresh_site.resources[robots] = Resource(200, {"Content-Type": "text/plain"},
                                            b"User-agent: *\nDisallow: /\n")
    db = tmp_path / "archive.db"
    with ReplayServer(fresh_site) as replay:
        proc = run_xietong(*crawl_args(fresh_site, db, replay.proxy_url))
    assert proc.returncode == 1, proc.stderr
    row = crawl_row(db)
    assert row["failure"].startswith("reached nothing it was asked for")
    assert json.loads(row["errors_by_cause"]) == {"robots": 1}
    assert "robots 1" in proc.stderr and "Traceback" not in proc.stderr


# -- state follows the archive: a full disk ---------------------------------------------------
def test_a_full_disk_stops_the_run_and_a_rerun_elsewhere_equals_an_undisturbed_crawl(
        site, sample_archive, tmp_path):
    reference = sample_archive[0]
    # 3 MB: the first batches commit (the seed's 1.3 MB panorama may come first), then it fills
    disk = tmpfs(tmp_path / "disk", "3m")
    roomy = tmp_path / "roomy"
    try:
        with ReplayServer(site) as replay:
            proc = run_xietong(*crawl_args(site, disk / "archive.db", replay.proxy_url,
                                           "--set", "XIETONG_BATCH_SIZE=2"))
        assert proc.returncode == 1, proc.stderr
        assert "a write failed" in proc.stderr and "Traceback" not in proc.stderr
        full = sqlite_utils.Database(disk / "archive.db")
        assert full.execute("select count(*) from articles").fetchone()[0] > 0  # mid-crawl
        # State never claims what the archive lacks: every photo recorded as fetched is
        # captured, every article recorded as fetched is archived (or was off topic).
        captured = {r[0] for r in full.execute("select url from captures where status = 200")}
        requisites = [r[0] for r in full.execute(
            "select url from url_state where kind = 'requisite' and status = 200")]
        assert [u for u in requisites if u not in captured] == []
        assert fetched_but_not_archived(full, site) == []
        # and no article names a capture that is not there (a lost batch's)
        ids = {r[0] for r in full.execute("select id from captures")}
        named = [c for r in full.execute("select capture_ids from articles")
                 for c in json.loads(r[0] or "[]")]
        assert named and [c for c in named if c not in ids] == []
        full.close()
        copy_archive(disk / "archive.db", roomy)  # moved to a roomy disk …
    finally:
        umount(disk)
    with ReplayServer(site) as replay:  # … and crawled again
        proc = run_xietong(*crawl_args(site, roomy / "archive.db", replay.proxy_url))
    assert proc.returncode == 0, proc.stderr
    again = sqlite_utils.Database(roomy / "archive.db")
    undisturbed = sqlite_utils.Database(reference)
    assert dict(again.execute("select id, content_hash from articles").fetchall()) == \
        dict(undisturbed.execute("select id, content_hash from articles").fetchall())
    assert missing_photos(roomy / "archive.db") == [] == missing_photos(reference)
    assert again.execute("pragma integrity_check").fetchone()[0] == "ok"


# -- polite reruns; a photo the archive lacks ------------------------------------------------
def test_a_rerun_on_an_unchanged_site_asks_conditionally_and_fetches_missing_photos(
        site, sample_archive, tmp_path):
    db = copy_archive(sample_archive[0], tmp_path / "copy")
    archive = sqlite_utils.Database(db)
    photo = next(src for src, in archive.execute(
        "select json_extract(images, '$[0].src') from articles where url = ?", [site.seed]))
    with archive.conn:  # its capture lost, while url_state still says 200 (a lie, as before)
        archive.execute("delete from captures where url = ?", [photo])
    assert missing_photos(db) == [photo]
    with ReplayServer(site) as replay:
        proc = run_xietong(*crawl_args(site, db, replay.proxy_url))
        exchanges = replay.exchanges
    assert proc.returncode == 0, proc.stderr
    articles = [e for e in exchanges if urls.is_article_url(e.url)]
    full = [e for e in articles if e.status == 200]
    assert len(articles) >= 40 and all(e.conditional for e in articles if e.status == 304)
    assert len(full) <= 0.05 * len(articles), [e.url for e in full]
    # whatever the requisite settings say, the photo an article shows is fetched again
    assert [e.url for e in exchanges].count(photo) == 1 and missing_photos(db) == []


# -- exports: atomic, self-describing ---------------------------------------------------------
def final_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".xietong-partial-"))


def test_a_killed_export_leaves_no_file_under_a_final_name(sample_archive, tmp_path):
    out = tmp_path / "export"
    proc = popen_xietong("export", "--db", str(sample_archive[0]), "--out", str(out),
                         "--format", "jsonl,csv,warc,wacz")
    deadline = time.monotonic() + 120  # a readiness wait, not a timed assertion
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and any(p.name.endswith("captures.warc.gz") for p in out.iterdir()):
            break  # the WARC is being written: the tables are done, nothing is in place yet
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert final_names(out) == []
    # The next export into the folder clears what the killed one left, and completes.
    proc = run_xietong("export", "--db", str(sample_archive[0]), "--out", str(out),
                       "--format", "csv,wacz")
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert final_names(out) == sorted([*(f["name"] for f in manifest["files"]), "manifest.json"])
    assert sorted(p.name for p in out.iterdir()) == final_names(out)


def test_an_export_on_a_full_disk_leaves_nothing(sample_archive, tmp_path):
    disk = tmpfs(tmp_path / "disk", "1m")
    try:
        proc = run_xietong("export", "--db", str(sample_archive[0]), "--out", str(disk / "out"),
                           "--format", "csv,wacz")
        assert proc.returncode == 1, proc.stderr
        line = no_traceback_one_line(proc)
        assert "export to" in line and "No space left" in line
        assert list((disk / "out").iterdir()) == []
    finally:
        umount(disk)


def test_an_export_replaces_its_own_earlier_export_and_refuses_strangers(sample_archive,
                                                                         tmp_path):
    out = tmp_path / "export"
    db = str(sample_archive[0])
    assert run_xietong("export", "--db", db, "--out", str(out), "--format",
                       "jsonl,csv").returncode == 0
    proc = run_xietong("export", "--db", db, "--out", str(out), "--format", "jsonl",
                       "--search", "雄安")
    assert proc.returncode == 0, proc.stderr
    listed = [f["name"] for f in json.loads((out / "manifest.json").read_text())["files"]]
    assert final_names(out) == sorted([*listed, "manifest.json"])  # the stale CSVs are gone
    (out / "notes.txt").write_text("mine")
    proc = run_xietong("export", "--db", db, "--out", str(out))
    assert proc.returncode == 2 and "notes.txt" in no_traceback_one_line(proc)
    assert (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("where, says", [
    ("length(randomblob(1000000000)) > 0", "too big"),
    ("(with recursive c(x) as (select 1 union all select x + 1 from c) "
     "select count(*) from c) > 0", "time limit"),
    ("fts3_tokenizer('simple') is not null", "not authorized"),
])
def test_export_where_runs_under_the_served_sql_limits(sample_archive, tmp_path, where, says):
    from xietong.export import ExportError, export

    with pytest.raises(ExportError, match=says):
        export(sample_archive[0], tmp_path / "out", {"csv"}, where=where)
    assert not (tmp_path / "out").exists()


def test_a_bad_selection_is_one_line_through_the_command(sample_archive, tmp_path):
    proc = run_xietong("export", "--db", str(sample_archive[0]), "--out",
                       str(tmp_path / "out"), "--where", "length(randomblob(1e9)) > 0")
    assert proc.returncode == 1 and "too big" in no_traceback_one_line(proc)


# -- every CSV neutralises formulas -----------------------------------------------------------
@pytest.fixture(scope="module")
def formula_archive(sample_archive, tmp_path_factory):
    db = copy_archive(sample_archive[0], tmp_path_factory.mktemp("formula"))
    archive = sqlite_utils.Database(db)
    with archive.conn:
        archive.execute("update articles set title = ?, source = ? where url = "
                        "(select url from articles order by published_at desc limit 1)",
                        [FORMULA, "@SUM(A1)"])
    archive.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    return db


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def assert_no_formula(text: str) -> None:
    found = cells(text)
    assert "'" + FORMULA in found  # the title is there, neutralised
    assert [c for c in found if c.startswith(FORMULA_STARTS)] == []


def test_datasette_csv_of_tables_queries_and_rows_neutralises_formulas(formula_archive):
    from archive.serve import make_datasette

    ds = make_datasette(formula_archive)
    newest = sqlite_utils.Database(formula_archive).execute(
        "select id from articles order by published_at desc limit 1").fetchone()[0]
    paths = ["/archive/articles.csv?_size=max",  # the grid view's CSV link
             "/archive/articles.csv?_stream=on&_col=title&_col=source",
             "/archive.csv?sql=" + quote("select title, source from articles"),
             "/archive/new_articles.csv",  # a canned query
             f"/archive/articles/{newest}.csv"]  # one row

    async def fetch():
        return [await ds.client.get(p) for p in paths]

    for path, response in zip(paths, asyncio.run(fetch()), strict=True):
        assert response.status_code == 200, (path, response.text[:300])
        assert_no_formula(response.text)


def test_the_export_routes_neutralise_formulas(formula_archive, tmp_path):
    from archive.serve import make_datasette

    ds = make_datasette(formula_archive)
    response = asyncio.run(ds.client.get("/archive/-/export.csv"))
    assert_no_formula(response.text)
    proc = run_xietong("export", "--db", str(formula_archive), "--out", str(tmp_path / "out"),
                       "--format", "csv,jsonl")
    assert proc.returncode == 0, proc.stderr
    assert_no_formula((tmp_path / "out" / "articles.csv").read_text(encoding="utf-8-sig"))
    titles = [json.loads(line)["title"] for line in
              (tmp_path / "out" / "articles.jsonl").read_text().splitlines()]
    assert FORMULA in titles  # JSON keeps the text as it is


# -- settings: typed and checked --------------------------------------------------------------
SEED = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


@pytest.mark.parametrize("args, says", [
    (("--delay", "inf"), "--delay"),
    (("--delay", "nan"), "--delay"),
    (("--set", "DOWNLOAD_DELAY=-1"), "DOWNLOAD_DELAY"),
    (("--set", "DOWNLOAD_TIMEOUT=nan"), "DOWNLOAD_TIMEOUT"),
    (("--set", "XIETONG_PAGE_MAXSIZE=-5"), "XIETONG_PAGE_MAXSIZE"),
    (("--set", "XIETONG_FOLLOW=notjson"), "XIETONG_FOLLOW"),
    (("--set", 'XIETONG_COVERAGE_MAX_MISSING={"title":"x"}'), "XIETONG_COVERAGE_MAX_MISSING"),
    (("--set", "XIETONG_WRITER=os.system"), "XIETONG_WRITER"),
])
def test_a_bad_setting_is_one_line_and_exit_2(args, says, tmp_path):
    from click.testing import CliRunner

    from xietong.cli import cli

    db = tmp_path / "a.db"
    result = CliRunner().invoke(cli, ["crawl", "related", "--seed", SEED, "--db", str(db),
                                      *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0] and result.exception is not None
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert not db.exists()


def test_a_bad_setting_from_the_environment_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("XIETONG_DOWNLOAD_DELAY", "inf")
    proc = run_xietong("crawl", "related", "--seed", SEED, "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 2 and "DOWNLOAD_DELAY='inf'" in no_traceback_one_line(proc)


# -- SIGTERM ----------------------------------------------------------------------------------
def test_sigterm_stops_a_crawl_within_seconds_and_commits_what_is_whole(fresh_site, tmp_path):
    # The site asks for a minute's pause (429, Retry-After: 60): the host's requests wait it
    # out, as a polite crawler must — and Scrapy's own graceful stop would wait with them.
    site = fresh_site
    held_up = next(u for u in site.articles[site.seed]["related"] if u in site.articles)
    site.canned[normalize_key(held_up)] = [
        Resource(429, {"Content-Type": "text/plain", "Retry-After": "60"}, b"slow down")]
    db = tmp_path / "archive.db"
    with ReplayServer(site) as replay:
        proc = popen_xietong(*crawl_args(site, db, replay.proxy_url, depth=1))
        deadline = time.monotonic() + 120  # a readiness wait, not a timed assertion
        while time.monotonic() < deadline and 429 not in [e.status for e in replay.exchanges]:
            time.sleep(0.05)
        time.sleep(0.5)  # the wait has begun
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)  # the bound systemd and Scrapyd rely on
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "was stopped before it finished" in err
    row = crawl_row(db)
    assert row["finish_reason"] == "shutdown" and row["failure"].startswith("the run was stopped")
    archive = sqlite_utils.Database(db)
    assert archive.execute("pragma integrity_check").fetchone()[0] == "ok"
    archived = {r[0] for r in archive.execute("select url from articles")}
    assert urls.canonical_article_url(site.seed) in archived  # read before the stop: kept
    assert fetched_but_not_archived(archive, site) == []
    assert archive.execute("select count(*) from url_state where url = ?",
                           [held_up]).fetchone()[0] == 0  # not fetched: the next run asks


# -- serving: quiet and honest ----------------------------------------------------------------
def test_fts3_tokenizer_is_refused_on_served_connections(sample_archive):
    from archive.serve import make_datasette

    ds = make_datasette(sample_archive[0])

    async def ask():
        return [await ds.client.get("/archive.json?sql=" + quote(sql)) for sql in
                ("select fts3_tokenizer('simple') as p",
                 "select hex(fts3_tokenizer('simple', x'0000000000000000')) as p")]

    for response in asyncio.run(ask()):
        assert response.status_code == 400
        assert "not authorized" in response.text and '"rows": []' in response.text


def test_a_busy_port_is_refused_before_the_demo_crawls(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        demo = run_xietong("demo", "--port", port, "--db", str(tmp_path / "demo.db"),
                           timeout=60)
        serve = run_xietong("serve", "--port", port, "--db", str(tmp_path / "demo.db"))
    assert demo.returncode == 2 and "cannot serve on" in no_traceback_one_line(demo)
    assert "crawling" not in demo.stdout and not (tmp_path / "demo.db").exists()
    assert serve.returncode == 2  # no archive there either: said before anything starts
    bad_host = run_xietong("serve", "--host", "999.1.1.1", "--db", str(tmp_path / "x.db"))
    assert bad_host.returncode == 2


def test_errors_are_one_log_line_and_headers_stay_small(sample_archive, tmp_path):
    db = copy_archive(sample_archive[0], tmp_path / "copy")
    with Server(db) as server:
        busy = run_xietong("serve", "--port", str(server.port), "--db", str(db))
        answers = {}
        for path in ("/archive/no_such_table", "/no_such_database", "/archive/articles?_sort=x",
                     "/archive/articles?_search=" + quote("雄安" * 5000)):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("GET", path)
            response = conn.getresponse()  # http.client refuses a header line over 64 KiB
            response.read()
            answers[path[:30]] = (response.status, max(len(v) for _, v in response.getheaders()))
            conn.close()
        log = server.output()
    assert busy.returncode == 2 and "Address already in use" in no_traceback_one_line(busy)
    statuses = [status for status, _ in answers.values()]
    assert statuses == [404, 404, 400, 200], answers
    assert max(size for _, size in answers.values()) <= 8192
    assert "Traceback" not in log
    lines = [line for line in log.splitlines() if "→ 4" in line]
    assert len(lines) == 3 and all(line.startswith("GET /") for line in lines), log


# -- progress for machines --------------------------------------------------------------------
def test_a_crawl_without_a_terminal_logs_progress_lines(site, tmp_path):
    with ReplayServer(site, latency=0.05) as replay:
        proc = run_xietong(*crawl_args(site, tmp_path / "archive.db", replay.proxy_url,
                                       "--set", "XIETONG_PROGRESS_INTERVAL=1", depth=2))
    assert proc.returncode == 0, proc.stderr
    progress = re.findall(r"^related: \d+s — fetched \d+ pages .* errors \d+", proc.stderr,
                          re.MULTILINE)
    assert len(progress) >= 2, proc.stderr
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr


def test_template_blind_layouts_exist_in_the_sample_site(site):
    # The premise of the first test: the sample site has pages only the cues reader reads.
    assert any(spec.get("template") in layouts.RENDERERS for spec in site.articles.values())


def test_every_failure_of_a_retried_request_is_counted_once(fresh_site, tmp_path):
    article = next(u for u in fresh_site.articles if u != fresh_site.seed
                   and u in fresh_site.articles[fresh_site.seed]["related"])
    fresh_site.canned[normalize_key(article)] = [
        Resource(503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy")] * 5
    db = tmp_path / "archive.db"
    with ReplayServer(fresh_site) as replay:
        proc = run_xietong(*crawl_args(fresh_site, db, replay.proxy_url, "--set",
                                       "RETRY_TIMES=2", "--set",
                                       "XIETONG_TEMPLATE_BLIND_MAX_SHARE=1", depth=1))
        tries = [e for e in replay.exchanges if e.url == normalize_key(article)]
    assert proc.returncode == 0, proc.stderr
    assert [e.status for e in tries] == [503, 503, 503]
    row = crawl_row(db)
    assert json.loads(row["errors_by_cause"]).get("http_503") == 1 and row["http_errors"] == 1
    # one line in the log for it, not one per try or a second "gave up" line
    assert len([line for line in proc.stderr.splitlines() if article in line]) <= 1
