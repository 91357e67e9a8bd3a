"""`xietong reparse` rebuilds articles from their WARC captures with no network: with the same
readers every row comes out identical; with a changed reader the change becomes a version."""

from __future__ import annotations

import shutil

import sqlite_utils
from conftest import run_xietong

import xietong.reparse as reparse_module

TABLES = ("articles", "links", "article_versions", "article_status")


def snapshot(db):
    archive = sqlite_utils.Database(db)
    return {t: [dict(r) for r in archive.query(f"select * from {t} order by 1, 2")]
            for t in TABLES}


def test_reparse_reproduces_identical_rows(sample_archive, tmp_path):
    db, _, _ = sample_archive
    copy = tmp_path / "archive.db"
    shutil.copy(db, copy)
    shutil.copytree(db.parent / "warc", tmp_path / "warc")
    before = snapshot(copy)
    proc = run_xietong("reparse", "--db", str(copy))  # no --proxy: there is no network at all
    assert proc.returncode == 0, proc.stderr
    n = len(before["articles"])
    assert f"unchanged {n}" in proc.stdout and "changed" not in proc.stdout.replace(
        "unchanged", "")
    assert snapshot(copy) == before


def test_a_changed_reader_makes_new_versions(sample_archive, tmp_path, monkeypatch):
    db, _, _ = sample_archive
    copy = tmp_path / "archive.db"
    shutil.copy(db, copy)
    shutil.copytree(db.parent / "warc", tmp_path / "warc")
    real = reparse_module.parse_article

    def improved(url, body, content_type=None):
        article = real(url, body, content_type)
        article.title = article.title + "（新读法）"
        return article

    monkeypatch.setattr(reparse_module, "parse_article", improved)
    outcomes, errors = reparse_module.reparse(copy)
    n = sqlite_utils.Database(copy)["articles"].count
    assert errors == [] and outcomes == {"changed": n}
    archive = sqlite_utils.Database(copy)
    assert archive["articles"].count_where("title like '%（新读法）'") == n
    assert archive["article_versions"].count_where("version = 2 and seen_until is null") == n


def test_reparse_without_an_archive_is_a_clear_error(tmp_path):
    proc = run_xietong("reparse", "--db", str(tmp_path / "missing.db"))
    assert proc.returncode == 2 and "no archive at" in proc.stderr  # a usage error (issue 14)
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "missing.db").exists()  # and none was created
