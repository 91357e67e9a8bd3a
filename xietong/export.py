"""Export a selection of the archive for a study: articles and their links as JSONL and CSV, a
data dictionary, the selection's captures — its pages and their requisites (photos, styles) — as
WARC (records copied byte for byte) and as a WACZ (py-wacz: the WARC, a CDXJ index and a pages
list, which ReplayWeb.page opens), and a manifest with counts and SHA-256 hashes so the export
can be cited and checked.

Read-only on the archive; writes only into the output folder.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import sqlite_utils
import yaml

from archive import segment
from archive.page_captures import (
    COLUMNS,
    CaptureRow,
    record_spans,
    requisite_captures,
    span_chunks,
)
from archive.schema import SCHEMA_VERSION
from archive.search import fts_query
from archive.serve import METADATA
from archive.writer import warc_folder

LIST_COLUMNS = {"authors", "editors", "images", "capture_ids"}
FORMATS = ("jsonl", "csv", "warc", "wacz")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_AROUND_CJK_PUNCTUATION = re.compile(r"\s*([\u3000-\u303f\uff00-\uffef“”‘’…—·])\s*")


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


def _captures(db: sqlite_utils.Database, archive: Path, articles: list[dict]) -> list:
    """Each selected article's page captures (those its content was read from) and the
    captures of its requisites (photos, stylesheets, images), each once, in fetch order."""
    folder = warc_folder(archive)
    ids = list(dict.fromkeys(c for a in articles for c in json.loads(a.get("capture_ids") or
                                                                     "[]")))
    pages = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        pages += db.execute(f"select {COLUMNS} from captures where id in "
                            f"({','.join('?' * len(chunk))})", chunk).fetchall()
    found = {c.id: c for c in (CaptureRow(*r) for r in pages)}
    for article in articles:
        own = [found[i] for i in json.loads(article.get("capture_ids") or "[]") if i in found]
        for cap in requisite_captures(db, folder, article, own):
            found.setdefault(cap.id, cap)
    return sorted(found.values(), key=lambda c: (c.fetched_at, c.url))


def _write_warc(archive: Path, captures: list, path: Path) -> Path:
    """The captures' WARC records (response, then request), copied byte for byte."""
    with open(path, "wb") as dst:
        for chunk in span_chunks(record_spans(warc_folder(archive), captures)):
            dst.write(chunk)
    return path


def searchable_text(body: str | None) -> str:
    """The article's text, one paragraph a line, with its Chinese cut into words by the
    archive's own segmenter (archive/segment.py: the same words as /-/terms, 雄安新区 kept whole)
    separated by spaces. ReplayWeb.page's search (FlexSearch) finds whole words between spaces
    and punctuation: unsegmented, a Chinese clause is one "word" and no name or term in it can
    be found. Latin text is left as it is."""
    def cut(run) -> str:
        return " " + " ".join(segment.cut(run.group())) + " "

    lines = []
    for paragraph in (body or "").split("\n\n"):
        line = _HAN.sub(cut, paragraph)
        line = _AROUND_CJK_PUNCTUATION.sub(r"\1", line)  # punctuation stays on its words
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def wacz_pages(articles: list[dict], captures: list) -> list[str]:
    """pages.jsonl of the WACZ: a header, then each article's page 1 at the time it was
    captured with its title, publication date and extracted text — ReplayWeb.page builds its
    full-text search from `text` when the header says `hasText` (py-wacz#36, replayweb.page#35).
    """
    first_pages = {c.url: c for c in captures}  # the latest capture of each URL
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "xietong export",
                         "hasText": True})]
    for article in articles:
        cap = first_pages.get(article["url"])
        if cap is not None:
            lines.append(json.dumps({
                "id": article["id"], "url": article["url"], "title": article.get("title"),
                "ts": cap.fetched_at.replace("+00:00", "Z"),
                "date": article.get("published_at"),
                "text": searchable_text(article.get("body")),
            }))  # ASCII escapes: py-wacz reads the file in the locale's encoding
    return lines


def _write_wacz(warc: Path, articles: list[dict], captures: list, path: Path) -> int:
    """A WACZ (py-wacz) of the WARC: its CDXJ index, and the pages list (wacz_pages), copied
    as written: py-wacz's own page list would drop the header's `hasText`. Returns the number
    of pages listed."""
    lines = wacz_pages(articles, captures)
    from wacz.main import main as wacz_main  # frictionless and co.: imported when needed

    pages = path.with_suffix(".pages.jsonl")
    pages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # py-wacz narrates every step
            code = wacz_main(["create", "-o", str(path), "-p", str(pages), "--copy-pages",
                              str(warc)])
    finally:
        pages.unlink(missing_ok=True)
    if code != 0:
        raise ExportError(f"py-wacz could not write {path.name} (exit {code})")
    return len(lines) - 1


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
    if formats & {"warc", "wacz"}:
        captures = _captures(db, archive, articles)
        counts["captures"] = len(captures)
        with tempfile.TemporaryDirectory() as tmp:
            warc = _write_warc(archive, captures, (out if "warc" in formats else Path(tmp))
                               / "captures.warc.gz")
            if "warc" in formats:
                files.append(warc)
            if "wacz" in formats:
                wacz = out / "archive.wacz"
                counts["wacz_pages"] = _write_wacz(warc, articles, captures, wacz)
                files.append(wacz)
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
