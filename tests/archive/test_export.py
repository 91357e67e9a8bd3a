"""`xietong export`: a selection as JSONL, CSV, data dictionary, WARC (pages, photos, styles)
and WACZ, with a manifest whose counts and hashes match the files."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import sqlite_utils
from conftest import run_xietong
from warcio.archiveiterator import ArchiveIterator

from archive.captures import payload_digest
from archive.search import fts_query


def test_export_selection_with_manifest(sample_archive, tmp_path):
    db, _, _ = sample_archive
    out = tmp_path / "export"
    proc = run_xietong("export", "--db", str(db), "--out", str(out), "--search", "雄安",
                       "--format", "jsonl,csv,warc")
    assert proc.returncode == 0, proc.stderr
    archive = sqlite_utils.Database(db)
    expected = {r["id"] for r in archive.query(
        "select id from articles where title like '%雄安%' or body like '%雄安%'")}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["articles"] == len(expected)
    assert manifest["selection"] == {"where": None, "search": "雄安"}
    for f in manifest["files"]:
        data = (out / f["name"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (f["bytes"], f["sha256"])
    lines = [json.loads(x) for x in (out / "articles.jsonl").read_text().splitlines()]
    assert {x["id"] for x in lines} == expected
    assert all(isinstance(x["authors"], list) for x in lines)
    with open(out / "articles.csv", encoding="utf-8-sig", newline="") as fh:
        assert {r["id"] for r in csv.DictReader(fh)} == expected
    assert "| published_at |" in (out / "data-dictionary.md").read_text()
    digests = {r["id"]: r["digest"] for r in archive["captures"].rows}
    with open(out / "captures.warc.gz", "rb") as fh:
        responses = [(r.rec_headers.get_header("WARC-Record-ID"), r.raw_stream.read())
                     for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert len(responses) == manifest["counts"]["captures"] >= len(expected)
    assert all(payload_digest(body) == digests[rid] for rid, body in responses)


def test_bad_selection_is_a_clear_error(sample_archive, tmp_path):
    db, _, _ = sample_archive
    proc = run_xietong("export", "--db", str(db), "--out", str(tmp_path / "x"),
                       "--where", "no_such_column = 1")
    assert proc.returncode == 1 and "the selection failed" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_warc_export_holds_the_articles_photos_and_styles(sample_archive, tmp_path):
    db, _, _ = sample_archive
    out = tmp_path / "export"
    proc = run_xietong("export", "--db", str(db), "--out", str(out), "--format", "warc",
                       "--where", "id = 'he-40745301'")
    assert proc.returncode == 0, proc.stderr
    archive = sqlite_utils.Database(db)
    photos = {i["src"] for i in json.loads(archive["articles"].get("he-40745301")["images"])}
    with open(out / "captures.warc.gz", "rb") as fh:
        urls = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                if r.rec_type == "response"]
    assert photos <= set(urls)
    assert "http://www.people.com.cn/img/2020wbc/css/page202102.css" in urls
    assert len(urls) == len(set(urls))  # each capture once


def test_wacz_export_validates_and_indexes_every_article_and_photo(sample_archive, tmp_path):
    db, _, _ = sample_archive
    out = tmp_path / "export"
    proc = run_xietong("export", "--db", str(db), "--out", str(out), "--format", "wacz",
                       "--search", "雄安")
    assert proc.returncode == 0, proc.stderr
    wacz = out / "archive.wacz"
    validate = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                               str(wacz)], capture_output=True, text=True, timeout=120)
    assert validate.returncode == 0 and "valid" in validate.stdout, validate.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    entry = next(f for f in manifest["files"] if f["name"] == "archive.wacz")
    assert entry["sha256"] == hashlib.sha256(wacz.read_bytes()).hexdigest()
    with zipfile.ZipFile(wacz) as z:
        index = gzip.decompress(z.read("indexes/index.cdx.gz")).decode()
        header, *pages = [json.loads(x) for x in z.read("pages/pages.jsonl").decode()
                          .splitlines()]
        assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in z.namelist())
    indexed = {json.loads(line.split(" ", 2)[2])["url"] for line in index.splitlines() if line}
    archive = sqlite_utils.Database(db)
    selected = [dict(r) for r in archive.query(
        "select url, images, title, published_at, body from articles where rowid in "
        "(select rowid from articles_fts "
        "where articles_fts match ?)", [fts_query("雄安")])]
    assert selected and manifest["counts"]["articles"] == len(selected)
    photos = {i["src"] for a in selected for i in json.loads(a["images"])}
    assert {a["url"] for a in selected} <= indexed
    assert photos and photos <= indexed
    assert {p["url"] for p in pages} == {a["url"] for a in selected}
    # Searchable offline (issue 20): every page carries its title, date and extracted text,
    # and the header says so (ReplayWeb.page indexes `text` only then).
    assert header["hasText"] is True
    by_url = {a["url"]: a for a in selected}
    for page in pages:
        article = by_url[page["url"]]
        assert page["title"] == article["title"] and page["date"] == article["published_at"]
        paragraphs = [p for p in article["body"].split("\n\n") if p]
        lines = page["text"].split("\n")
        assert len(lines) == len(paragraphs)
        # Cut into words for ReplayWeb.page's search, nothing lost but the spaces
        assert [x.replace(" ", "") for x in lines] == [p.replace(" ", "").replace("\u3000", "")
                                                       for p in paragraphs]
        assert all(" " in x for x in lines if len(x) > 20)
