"""`xietong export`: a selection as JSONL, CSV, data dictionary and WARC, with a manifest whose
counts and hashes match the files."""

from __future__ import annotations

import csv
import hashlib
import json

import sqlite_utils
from conftest import run_xietong
from warcio.archiveiterator import ArchiveIterator

from archive.captures import payload_digest


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
