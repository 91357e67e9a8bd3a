"""Export a selection of the archive for a study: articles and their links as JSONL and CSV, a
data dictionary, the selection's captures as WARC (records copied byte for byte), and a
manifest with counts and SHA-256 hashes so the export can be cited and checked.

Read-only on the archive; writes only into the output folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import sqlite_utils
import yaml

from archive.schema import SCHEMA_VERSION
from archive.search import fts_query
from archive.serve import METADATA
from archive.writer import warc_folder

LIST_COLUMNS = {"authors", "editors", "images", "capture_ids"}
FORMATS = ("jsonl", "csv", "warc")


class ExportError(Exception):
    """A selection or output the user asked for that cannot be made (shown without traceback)."""


def _select(db: sqlite_utils.Database, where: str | None, search: str | None) -> list[dict]:
    sql, params = "select * from articles", []
    clauses = []
    if where:
        clauses.append(f"({where})")
    if search:
        clauses.append("rowid in (select rowid from articles_fts where articles_fts match ?)")
        params.append(fts_query(search))
    if clauses:
        sql += " where " + " and ".join(clauses)
    try:
        return [dict(r) for r in db.query(sql + " order by published_at, id", params)]
    except Exception as e:  # sqlite3.OperationalError on a bad --where
        raise ExportError(f"the selection failed: {e}") from None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decoded(row: dict) -> dict:
    return {k: (json.loads(v) if k in LIST_COLUMNS and v else v) for k, v in row.items()}


def _write_table(rows: list[dict], out: Path, name: str, formats: set[str]) -> list[Path]:
    written = []
    if "jsonl" in formats:
        path = out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(_decoded(row), ensure_ascii=False, sort_keys=True) + "\n")
        written.append(path)
    if "csv" in formats and rows:
        path = out / f"{name}.csv"
        # utf-8-sig: spreadsheet programs then open the Chinese text correctly
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def _data_dictionary(out: Path, tables: list[str]) -> Path:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["tables"]
    lines = ["# Data dictionary", "",
             "Lists (authors, editors, images, capture_ids) are JSON arrays in CSV, arrays in "
             "JSONL. Times are ISO 8601; published_at is Beijing time (+08:00), the rest UTC.", ""]
    for table in tables:
        lines += [f"## {table}", "", meta[table].get("description", ""), "",
                  "| column | meaning |", "|---|---|"]
        lines += [f"| {c} | {d} |" for c, d in meta[table].get("columns", {}).items()]
        lines.append("")
    path = out / "data-dictionary.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _members_end(fh, offset: int, members: int) -> int:
    """Where the `members` gzip members starting at `offset` end (a WARC.gz record each)."""
    pos = offset
    for _ in range(members):
        fh.seek(pos)
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not inflate.eof:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            inflate.decompress(chunk)
        pos = fh.tell() - len(inflate.unused_data)
    return pos


def _copy_warc(db: sqlite_utils.Database, archive: Path, articles: list[dict],
               out: Path) -> tuple[Path, int]:
    """Copy each selected article's capture records (response, then request) verbatim."""
    ids = [c for a in articles for c in json.loads(a.get("capture_ids") or "[]")]
    path = out / "captures.warc.gz"
    folder = warc_folder(archive)
    captures = db.query(
        f"select warc_file, offset from captures where id in ({','.join('?' * len(ids))})"
        " order by fetched_at", ids) if ids else []
    copied = 0
    with open(path, "wb") as dst:
        for cap in captures:
            with open(folder / cap["warc_file"], "rb") as src:
                end = _members_end(src, cap["offset"], members=2)
                src.seek(cap["offset"])
                dst.write(src.read(end - cap["offset"]))
            copied += 1
    return path, copied


def export(archive: Path, out: Path, formats: set[str], where: str | None = None,
           search: str | None = None) -> dict:
    try:
        return _export(archive, out, formats, where, search)
    except OSError as e:  # an unwritable or full output folder, a missing WARC file
        raise ExportError(f"export to {out} failed: {e.strerror or e}"
                          + (f" ({e.filename})" if e.filename else "")) from None


def _export(archive: Path, out: Path, formats: set[str], where: str | None,
            search: str | None) -> dict:
    if not archive.exists():
        raise ExportError(f"no archive at {archive}")
    unknown = formats - set(FORMATS)
    if unknown:
        raise ExportError(f"unknown format {sorted(unknown)[0]!r}; use {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(archive)
    articles = _select(db, where, search)
    ids = [a["id"] for a in articles]
    links = [dict(r) for r in db.query(
        f"select * from links where from_article in ({','.join('?' * len(ids))}) "
        "order by from_article, kind, position", ids)] if ids else []
    files = _write_table(articles, out, "articles", formats)
    files += _write_table(links, out, "links", formats)
    files.append(_data_dictionary(out, ["articles", "links"]))
    counts = {"articles": len(articles), "links": len(links)}
    if "warc" in formats:
        path, counts["captures"] = _copy_warc(db, archive, articles, out)
        files.append(path)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "xietong_version": version("xietong"),
        "archive": str(archive),
        "schema_version": SCHEMA_VERSION,
        "selection": {"where": where, "search": search},
        "counts": counts,
        "files": [{"name": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)}
                  for p in files],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                       encoding="utf-8")
    return manifest
