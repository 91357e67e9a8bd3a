"""Export a selection of the archive for a study: articles and their links as JSONL and CSV, a
data dictionary, the selection's captures — its pages and their requisites (photos, styles) — as
WARC (records copied byte for byte) and as a WACZ (py-wacz: the WARC, a CDXJ index and a pages
list, which ReplayWeb.page opens), and a manifest with counts and SHA-256 hashes so the export
can be cited and checked.

Atomic and self-describing (issue 18): every file is written under a temporary name in the
target folder (`.xietong-partial-…`), synced, and renamed into place only when all of them are
complete; `manifest.json` comes last and lists exactly the files of this export. A killed or
full-disk export leaves no file under a final name (its partial files are removed, or, after a
kill, by the next export into the folder). A folder that holds anything but an earlier export of
ours (the files its manifest lists) is refused; an earlier export of ours there is replaced —
files it listed that this one does not write are removed. CSV cells are spreadsheet-safe
(archive/spreadsheet.py). `--where` runs on a read-only connection under the limits and the
time limit of served SQL.

Read-only on the archive; writes only into the output folder.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import sqlite3
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import sqlite_utils
import yaml

from archive import segment
from archive.datasette import limits
from archive.page_captures import (
    COLUMNS,
    CaptureRow,
    record_spans,
    requisite_captures,
    span_chunks,
)
from archive.schema import SCHEMA_VERSION, connect_read_only
from archive.search import fts_query
from archive.serve import METADATA, SETTINGS
from archive.spreadsheet import spreadsheet_safe
from archive.writer import warc_folder

LIST_COLUMNS = {"authors", "editors", "images", "capture_ids"}
FORMATS = ("jsonl", "csv", "warc", "wacz")
MANIFEST = "manifest.json"
PARTIAL = ".xietong-partial-"  # the prefix of an export's files until they are complete
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_AROUND_CJK_PUNCTUATION = re.compile(r"\s*([\u3000-\u303f\uff00-\uffef“”‘’…—·])\s*")


class ExportError(Exception):
    """A selection or output the user asked for that cannot be made (shown without traceback);
    `usage`: the user's mistake (exit 2), else a failure (exit 1)."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def _selected_rowids(archive: Path, where: str | None, search: str | None) -> list[int]:
    """The selection, run as served SQL is: a read-only connection with the SQLite limits of
    archive/datasette/limits.py and Datasette's time limit — `--where "randomblob(1e9)"` or a
    query that never ends is refused, not run."""
    from datasette.utils import sqlite_timelimit

    sql, params, clauses = "select rowid from articles", [], []
    if where:
        clauses.append(f"({where})")
    if search:
        clauses.append("rowid in (select rowid from articles_fts where articles_fts match ?)")
        params.append(fts_query(search))
    if clauses:
        sql += " where " + " and ".join(clauses)
    conn = connect_read_only(archive)
    try:
        limits.limit_connection(conn)
        with sqlite_timelimit(conn, SETTINGS["sql_time_limit_ms"]):
            return [r[0] for r in conn.execute(sql + " order by published_at, id", params)]
    except sqlite3.Error as e:  # a bad --where, or one over a limit
        why = ("it took longer than the served SQL time limit "
               f"({SETTINGS['sql_time_limit_ms']} ms)" if "interrupted" in str(e) else str(e))
        raise ExportError(f"the selection failed: {why}") from None
    finally:
        conn.close()


def _select(db: sqlite_utils.Database, rowids: list[int]) -> list[dict]:
    rows: list[dict] = []
    for start in range(0, len(rowids), 500):  # SQLite's variable limit
        chunk = rowids[start:start + 500]
        found = {r["rowid"]: r for r in db.query(
            f"select rowid, * from articles where rowid in ({','.join('?' * len(chunk))})",
            chunk)}
        rows += [{k: v for k, v in found[i].items() if k != "rowid"} for i in chunk
                 if i in found]
    return rows


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decoded(row: dict) -> dict:
    return {k: (json.loads(v) if k in LIST_COLUMNS and v else v) for k, v in row.items()}


def _write_table(rows: list[dict], files: Staged, name: str, formats: set[str]) -> None:
    if "jsonl" in formats:
        with open(files.add(f"{name}.jsonl"), "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(_decoded(row), ensure_ascii=False, sort_keys=True) + "\n")
    if "csv" in formats and rows:
        # utf-8-sig: spreadsheet programs then open the Chinese text correctly; no cell of it
        # is a formula they would run.
        with open(files.add(f"{name}.csv"), "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)


def _data_dictionary(files: Staged, tables: list[str]) -> None:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["tables"]
    lines = ["# Data dictionary", "",
             "Lists (authors, editors, images, capture_ids) are JSON arrays in CSV, arrays in "
             "JSONL. Times are ISO 8601; published_at is Beijing time (+08:00), the rest UTC.", ""]
    for table in tables:
        lines += [f"## {table}", "", meta[table].get("description", ""), "",
                  "| column | meaning |", "|---|---|"]
        lines += [f"| {c} | {d} |" for c, d in meta[table].get("columns", {}).items()]
        lines.append("")
    files.add("data-dictionary.md").write_text("\n".join(lines), encoding="utf-8")


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


class Staged:
    """The files of one export, written under temporary names in the target folder and put in
    place together (`commit`), the manifest last; `discard` removes what was written."""

    def __init__(self, out: Path):
        self.out = out
        self.names: list[str] = []  # final names, in the manifest's order

    def temporary(self, name: str) -> Path:
        return self.out / f"{PARTIAL}{os.getpid()}-{name}"

    def add(self, name: str) -> Path:
        """The temporary path to write `name` to; it is part of the export."""
        self.names.append(name)
        return self.temporary(name)

    def entries(self) -> list[dict]:
        out = []
        for name in self.names:
            path = self.temporary(name)
            out.append({"name": name, "bytes": path.stat().st_size, "sha256": _sha256(path)})
        return out

    def commit(self, manifest: dict, earlier: set[str]) -> None:
        for name in self.names:
            _synced(self.temporary(name))
        (self.out / MANIFEST).unlink(missing_ok=True)  # never a manifest over a mix of files
        for name in self.names:
            os.replace(self.temporary(name), self.out / name)
        for name in earlier - set(self.names):
            (self.out / name).unlink(missing_ok=True)  # the earlier export's, not written now
        path = self.temporary(MANIFEST)
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        _synced(path)
        os.replace(path, self.out / MANIFEST)
        _synced_folder(self.out)

    def discard(self) -> None:
        for path in self.out.glob(f"{PARTIAL}{os.getpid()}-*"):
            path.unlink(missing_ok=True)


def _synced(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _synced_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def earlier_export(out: Path) -> set[str]:
    """The files of an earlier export of ours in `out` (its manifest's list), after removing
    what a killed export left under temporary names. Raises ExportError (usage) when the folder
    holds anything else: an export never mixes with files it cannot account for."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for path in out.iterdir():
        if path.name.startswith(PARTIAL) and path.is_file():
            path.unlink(missing_ok=True)  # a killed export's: never under a final name
        else:
            entries.append(path.name)
    if not entries:
        return set()
    listed: set[str] = set()
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if "xietong_version" in manifest:
            listed = {f["name"] for f in manifest["files"] if "/" not in f["name"]}
    except (OSError, ValueError, KeyError, TypeError):
        manifest = None
    strangers = sorted(n for n in entries if n != MANIFEST and n not in listed)
    if manifest is None or strangers:
        shown = ", ".join(strangers[:3] or [MANIFEST]) + (" …" if len(strangers) > 3 else "")
        raise ExportError(f"{out} is not empty and holds files no earlier xietong export lists "
                          f"({shown}): export into an empty or new folder", usage=True)
    return listed


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
        raise ExportError(f"unknown format {sorted(unknown)[0]!r}; use {', '.join(FORMATS)}",
                          usage=True)
    rowids = _selected_rowids(archive, where, search)
    earlier = earlier_export(out)
    files = Staged(out)
    try:
        manifest = _write(archive, files, formats, rowids, where, search)
        files.commit(manifest, earlier)
    except BaseException:  # a full disk, an error, Ctrl-C: no file under a final name
        files.discard()
        raise
    return manifest


def _write(archive: Path, files: Staged, formats: set[str], rowids: list[int],
           where: str | None, search: str | None) -> dict:
    db = sqlite_utils.Database(connect_read_only(archive))
    articles = _select(db, rowids)
    ids = [a["id"] for a in articles]
    links = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        links += [dict(r) for r in db.query(
            f"select * from links where from_article in ({','.join('?' * len(chunk))}) "
            "order by from_article, kind, position", chunk)]
    _write_table(articles, files, "articles", formats)
    _write_table(links, files, "links", formats)
    _data_dictionary(files, ["articles", "links"])
    counts = {"articles": len(articles), "links": len(links)}
    if formats & {"warc", "wacz"}:
        captures = _captures(db, archive, articles)
        counts["captures"] = len(captures)
        if "warc" in formats:
            warc = _write_warc(archive, captures, files.add("captures.warc.gz"))
        else:  # only inside the WACZ: a partial file of its own, removed after
            warc = _write_warc(archive, captures, files.temporary("captures.warc.gz"))
        if "wacz" in formats:
            counts["wacz_pages"] = _write_wacz(warc, articles, captures,
                                               files.add("archive.wacz"))
        if "warc" not in formats:
            warc.unlink()
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "xietong_version": version("xietong"),
        "archive": str(archive),
        "schema_version": SCHEMA_VERSION,
        "selection": {"where": where, "search": search},
        "counts": counts,
        "files": files.entries(),
    }
