"""Honest failures: runs that fetched nothing, hit a full disk or met a damaged archive exit
non-zero with one line and say so in their crawls row; a foreign SQLite file is refused by
every command and left byte for byte as it was; a missing archive is not created by commands
that need one; the lock holds through a symlink; user mistakes get one line, no traceback.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from conftest import ROOT, run_xietong
from disks import tmpfs, umount
from warcio.archiveiterator import ArchiveIterator

from archive.captures import payload_digest, read_capture
from archive.writer import warc_folder
from runtime import lock
from sample_site.replay import ReplayServer


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(proc) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.strip()], "no message at all"


def crawl(site, db, proxy, *extra):
    return run_xietong("crawl", "related", "--seed", site.seed, "--depth", "2", "--db", str(db),
                       "--proxy", proxy, "--delay", "0", *extra)


# -- runs that fail say so ------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_proxy_fails_the_run(site, tmp_path):
    db = tmp_path / "archive.db"
    proc = crawl(site, db, f"http://127.0.0.1:{free_port()}", "--set", "RETRY_TIMES=0")
    assert proc.returncode == 1, proc.stderr
    no_traceback(proc)
    assert "reached nothing it was asked for" in proc.stderr
    (row,) = sqlite_utils.Database(db)["crawls"].rows
    assert row["failure"].startswith("reached nothing") and row["pages_fetched"] == 0
    assert json.loads(row["errors_by_cause"]) == {"connection": 1}


def test_a_full_disk_stops_the_run_cleanly(site, tmp_path):
    # 3 MB: the first batches commit (the seed's 1.3 MB panorama may come first), then it
    # fills — after a failed write nothing more is committed (the reuse tables of issue 20
    # take ~100 KB more)
    disk = tmpfs(tmp_path / "disk", "3m")
    try:
        db = disk / "archive.db"
        with ReplayServer(site) as replay:
            proc = crawl(site, db, replay.proxy_url, "--set", "XIETONG_BATCH_SIZE=2")
        assert proc.returncode == 1, proc.stdout + proc.stderr
        no_traceback(proc)
        assert "a write failed" in proc.stderr
        with sqlite_utils.Database(db) as archive:
            assert archive.execute("pragma integrity_check").fetchone()[0] == "ok"
            for row in archive["crawls"].rows:  # none claims a clean run
                assert row["finished_at"] is None or row["failure"], row
            captures = list(archive["captures"].rows)
        folder = warc_folder(db)
        assert captures  # the disk filled mid-crawl, not before the first page
        for cap in captures:
            res = read_capture(folder, cap["warc_file"], cap["offset"])
            assert payload_digest(res.body) == cap["digest"]
        for warc in folder.glob("*.warc.gz"):
            with open(warc, "rb") as fh:  # every record whole, to the last byte
                assert sum(1 for _ in ArchiveIterator(fh)) % 2 == 0
                assert fh.tell() == warc.stat().st_size
    finally:
        umount(disk)


def test_a_damaged_archive_is_refused_and_left_as_it_is(site, sample_archive, tmp_path):
    db = tmp_path / "archive.db"
    db.write_bytes(sample_archive[0].read_bytes())
    with open(db, "r+b") as fh:  # the SQLite header overwritten
        fh.write(b"\x00garbage" * 12)
    before = sha(db)
    for args in (("crawl", "related", "--seed", site.seed), ("reparse",), ("serve",),
                 ("export", "--out", str(tmp_path / "out")), ("crawl", "revisit")):
        proc = run_xietong(*args, "--db", str(db))
        assert proc.returncode == 1, (args, proc.stderr)
        no_traceback(proc)
        assert "not a readable SQLite archive" in proc.stderr
    assert sha(db) == before


# -- our archive only -----------------------------------------------------------------------
def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("create table notes (id integer primary key, text text)")
    conn.execute("insert into notes (text) values ('not an archive')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("args", [
    ("crawl", "related", "--seed", "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"),
    ("crawl", "revisit"), ("reparse",), ("serve",), ("demo", "--no-serve"),
])
def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(args, tmp_path):
    db = _foreign(tmp_path / "other.db")
    before = sha(db)
    proc = run_xietong(*args, "--db", str(db))
    assert proc.returncode == 2, proc.stderr
    no_traceback(proc)
    assert "is not a xietong archive" in proc.stderr
    assert sha(db) == before


def test_export_refuses_a_foreign_file(tmp_path):
    db = _foreign(tmp_path / "other.db")
    before = sha(db)
    proc = run_xietong("export", "--db", str(db), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "is not a xietong archive" in proc.stderr
    assert sha(db) == before


@pytest.mark.parametrize("args", [("crawl", "revisit"), ("reparse",), ("serve",),
                                  ("export", "--out", "OUT")])
def test_a_missing_archive_is_refused_not_created(args, tmp_path):
    db = tmp_path / "typo.db"
    proc = run_xietong(*[str(tmp_path / "out") if a == "OUT" else a for a in args],
                       "--db", str(db))
    assert proc.returncode == 2 and "no archive at" in proc.stderr, proc.stderr
    no_traceback(proc)
    assert not db.exists()


def test_the_archive_carries_our_application_id(sample_archive):
    from archive.schema import APPLICATION_ID

    conn = sqlite3.connect(sample_archive[0])
    assert conn.execute("pragma application_id").fetchone()[0] == APPLICATION_ID


def test_the_lock_holds_through_a_symlink(site, tmp_path):
    real = tmp_path / "real" / "archive.db"
    real.parent.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with lock.held(real, "test"):
        proc = run_xietong("crawl", "related", "--seed", site.seed, "--db", str(link),
                           "--proxy", "http://127.0.0.1:9", "--delay", "0")
    assert proc.returncode == 4 and "already running" in proc.stderr, proc.stderr


# -- user mistakes: one line, no traceback ---------------------------------------------------
SEED = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


@pytest.mark.parametrize("args, says", [
    (("crawl", "related", "--seed", "http://[::1/x"), "not a people.cn article URL"),
    (("crawl", "related", "--seed", SEED, "--set", "DOWNLOAD_TIMEOUT=abc"), "expected a number"),
    (("crawl", "related", "--seed", SEED, "--set", "RETRY_TIMES=many"), "expected a number"),
    (("crawl", "related", "--seed", SEED, "--set", "XIETONG_COVERAGE_MAX_MISSING=x"), "JSON"),
    (("crawl", "related", "--seed", SEED, "--set", "ROBOTSTXT_OBEY=maybe"), "true or false"),
    (("crawl", "related", "--seed", SEED, "--delay", "-5"), "--delay"),
    (("serve", "--port", "99999"), "--port"),
    (("demo", "--port", "0"), "--port"),
])
def test_a_usage_mistake_is_one_line(args, says, tmp_path):
    proc = run_xietong(*args, "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 2, proc.stderr
    no_traceback(proc)
    assert says in proc.stderr
    assert not (tmp_path / "a.db").exists()


def test_a_binary_profile_is_one_line(tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_bytes(bytes(range(256)) * 4)
    proc = run_xietong("crawl", "all", "--profile", str(profile), "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 2 and "--profile" in proc.stderr
    no_traceback(proc)


def test_a_db_under_a_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    for db in (tmp_path / "file" / "a.db", tmp_path / "file" / "deeper" / "a.db"):
        proc = run_xietong("crawl", "related", "--seed", SEED, "--db", str(db))
        assert proc.returncode in (1, 2), proc.stderr
        no_traceback(proc)


def test_export_to_an_unwritable_folder_is_one_line(sample_archive, tmp_path):
    (tmp_path / "file").write_text("x")
    proc = run_xietong("export", "--db", str(sample_archive[0]),
                       "--out", str(tmp_path / "file" / "out"))
    assert proc.returncode == 1 and "export to" in proc.stderr, proc.stderr
    no_traceback(proc)


def test_a_read_only_disk_for_the_lock_is_one_line(sample_archive, tmp_path):
    disk = tmpfs(tmp_path / "ro", "16m")
    try:
        db = disk / "archive.db"
        db.write_bytes(sample_archive[0].read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        proc = run_xietong("crawl", "related", "--seed", SEED, "--db", str(db),
                           "--proxy", "http://127.0.0.1:9")
        assert proc.returncode == 1 and "lock" in proc.stderr, proc.stderr
        no_traceback(proc)
    finally:
        umount(disk)


def test_serve_on_a_busy_port_is_one_line(sample_archive):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "xietong", "serve", "--db",
                               str(sample_archive[0]), "--port", str(port)],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
