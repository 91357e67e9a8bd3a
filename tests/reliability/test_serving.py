"""`xietong serve` (a real server in a subprocess) under load that used to hurt it: search over
the largest article an archive can hold while other requests keep being answered, SQL that
asks for gigabytes, requests that used to be 500s; arbitrary SQL off away from 127.0.0.1; a
read-only copy served immutable. Requests carry generous timeouts: a server that blocks its
event loop or runs out of memory fails them; nothing here times an answer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import psutil
import pytest
import sqlite_utils
from measure import MB, note

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "datasette"))
from xt_serving import Server, copy_archive, free_port  # noqa: E402

from archive.schema import open_archive
from archive.store import save_article

SERVER_RSS_LIMIT = 600 * MB
ROUNDS = 20


def _big_article() -> dict:
    """An article as long as a page under XIETONG_PAGE_MAXSIZE (8 MB) can hold: ~2.6M
    characters, 雄安 every 12 of them (over 200,000 matches)."""
    paragraph = "京津冀协同发展推进雄安新区建设。" * 40
    paragraphs = [paragraph] * (2_600_000 // len(paragraph))
    return {"id": "he-49999999", "url": "http://he.people.com.cn/n2/2024/0301/c1-49999999.html",
            "content_id": "49999999", "site": "he.people.com.cn", "title": "雄安长文",
            "paragraphs": paragraphs, "links": [], "images": [], "language": "zh",
            "template": "people_2020", "published_at": "2024-03-01T08:00:00+08:00"}


@pytest.fixture(scope="module")
def big_archive(sample_archive, tmp_path_factory):
    db = copy_archive(sample_archive[0], tmp_path_factory.mktemp("big"))
    archive = open_archive(db)
    with archive.conn:
        save_article(archive, _big_article(), "2024-03-01T00:00:00+00:00")
    archive.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    return db


@pytest.fixture(scope="module")
def server(big_archive):
    with Server(big_archive) as s:
        yield s


def _rss(server) -> int:
    return psutil.Process(server.proc.pid).memory_info().rss


def test_search_on_the_largest_article_leaves_other_requests_answered(server):
    answers, failures = [], []

    def search():
        try:
            r = httpx.get(server.url + "/-/search", params={"q": "雄安"}, timeout=120)
            answers.append(r)
        except httpx.HTTPError as e:
            failures.append(e)

    searches = [threading.Thread(target=search) for _ in range(3)]
    for t in searches:
        t.start()
    versions = []
    for _ in range(ROUNDS):  # while the searches run; a blocked event loop times these out
        versions.append(httpx.get(server.url + "/-/versions.json", timeout=10).status_code)
    for t in searches:
        t.join(timeout=180)
    assert versions == [200] * ROUNDS
    assert not failures and [r.status_code for r in answers] == [200, 200, 200]
    assert "he-49999999" in answers[0].text and "<mark>雄安</mark>长文" in answers[0].text
    table = httpx.get(server.url + "/archive/articles", params={"_search": "雄安"}, timeout=60)
    assert table.status_code == 200 and "he-49999999" in table.text
    page = httpx.get(server.url + "/archive/articles/he-49999999", params={"q": "雄安"},
                     timeout=60)
    assert page.status_code == 200
    note(f"serve: server RSS after searching the 2.6M-character article: "
         f"{_rss(server) / MB:.0f} MB")


@pytest.mark.parametrize("sql", [
    "select hex(randomblob(300000000))",
    "select printf('%.*c', 900000000, 'x')",
    "select randomblob(20000000) from articles",  # each value allowed, all together not
])
def test_sql_that_asks_for_gigabytes_gets_a_4xx(server, sql):
    r = httpx.get(server.url + "/archive.json", params={"sql": sql}, timeout=60)
    assert 400 <= r.status_code < 500, r.text[:300]
    assert r.json()["error"]


def test_four_huge_printf_queries_at_once_keep_the_server_small(server):
    sql = "select printf('%.*c', 900000000, 'x')"
    codes = []

    def ask():
        codes.append(httpx.get(server.url + "/archive.json", params={"sql": sql},
                               timeout=60).status_code)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(codes) == 4 and all(400 <= c < 500 for c in codes)
    search = httpx.get(server.url + "/-/search", params={"q": "京津冀"}, timeout=60)
    assert search.status_code == 200
    rss = _rss(server)
    note(f"serve: server RSS after 4 parallel printf('%.*c', 9e8) queries: {rss / MB:.0f} MB")
    assert rss < SERVER_RSS_LIMIT


@pytest.mark.parametrize("method, path, params", [
    ("POST", "/archive/articles", {}),
    ("GET", "/-/search", {"q": "雄安", "page": str(10 ** 30)}),
    ("GET", "/-/search", {"q": "雄安", "page": "-3"}),
    ("GET", "/archive/articles", {"_search": "雄安", "_size": "max", "_nocol": "nothing"}),
])
def test_former_500s_are_4xx_with_a_message(server, method, path, params):
    r = httpx.request(method, server.url + path, params=params, timeout=60)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert "Traceback" not in r.text


def test_arbitrary_sql_is_off_away_from_127_0_0_1(sample_archive):
    db = sample_archive[0]
    for flag, expected in (((), 403), (("--allow-sql",), 200)):
        port = free_port()
        proc = subprocess.Popen([*_serve_cmd(db, port), "--host", "127.0.0.2", *flag],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            base = f"http://127.0.0.2:{port}"
            _wait(base, proc)
            assert httpx.get(base + "/archive.json", params={"sql": "select 1"},
                             timeout=30).status_code == expected
            assert httpx.get(base + "/-/search", params={"q": "雄安"},
                             timeout=30).status_code == 200
            assert httpx.get(base + "/archive/series_list.json",
                             timeout=30).status_code == 200  # canned queries stay
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _serve_cmd(db: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "xietong", "serve", "--db", str(db), "--port", str(port)]


def _wait(base: str, proc) -> None:
    for _ in range(300):  # a readiness wait of at most ~60 s
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read())
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            threading.Event().wait(0.2)
    raise AssertionError("xietong serve did not answer")


def _read_only_mount(tmp_path: Path) -> Path:
    """A tmpfs remounted read-only (root only). CI runs .ci/run as root, which mounts it."""
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root): the read-only medium is untested")
    return mnt


def test_a_read_only_copy_is_served_with_search(sample_archive, tmp_path):
    mnt = _read_only_mount(tmp_path)
    try:
        db = copy_archive(sample_archive[0], mnt)
        for suffix in ("-wal", "-shm"):  # a copy made after a checkpoint: the file alone
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        src = sqlite_utils.Database(sample_archive[0])
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(sample_archive[0], db)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with Server(db) as s:
            r = httpx.get(s.url + "/-/search", params={"q": "雄安"}, timeout=60)
            assert r.status_code == 200 and "<mark>雄安</mark>" in r.text
            assert httpx.get(s.url + "/archive/articles.json",
                             params={"_search": "京津冀"}, timeout=60).json()["rows"]
            assert "read-only" in s.output().splitlines()[0]
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_file_without_write_bits_is_served_immutable(sample_archive, tmp_path):
    db = copy_archive(sample_archive[0], tmp_path)
    sqlite_utils.Database(db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.chmod(0o444)
    with Server(db) as s:
        assert httpx.get(s.url + "/-/search", params={"q": "雄安"}, timeout=60).status_code == 200
        assert "read-only: serving it immutable" in s.output().splitlines()[0]
