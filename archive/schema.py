"""The archive's tables, declared once. `ensure_schema(db)` is safe to run on a new or an
existing archive, any number of times; it never drops or rewrites data.

Column names match the page reader's Article fields (peoplecn/pages/record.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from archive.migrations import MIGRATIONS
from archive.reuse import ensure_reuse_index
from archive.search import ensure_search_index

SCHEMA_VERSION = 2  # 1: first release; 2: captures, versions, status, reprints
# PRAGMA application_id of every xietong archive ("XTar"): another program's SQLite file is
# told apart from ours before anything writes to it (docs/decisions.md, issue 14).
APPLICATION_ID = 0x58546172

ARTICLE_COLUMNS = {
    "id": str,  # {first host label}-{contentId}, e.g. he-40745301
    "url": str,  # canonical page-1 URL (http, no mirror, no page suffix)
    "content_id": str,
    "site": str,
    "channel": str,
    "title": str,
    "pre_title": str,
    "subtitle": str,
    "series": str,
    "published_at": str,  # ISO 8601 with +08:00 (or a bare date when the page gives no time)
    "published_month": str,  # YYYY-MM, for the facet
    "source": str,
    "source_url": str,
    "byline": str,
    "authors": str,  # JSON list
    "editors": str,  # JSON list
    "body": str,  # paragraphs separated by blank lines
    "paragraph_count": int,
    "images": str,  # JSON list of {src, caption}
    "image_count": int,
    "language": str,
    "template": str,
    "charset": str,
    "page_count": int,
    "mojibake": int,
    "content_hash": str,
    "first_seen_at": str,
    "changed_at": str,  # when the content last differed from what was archived
    "status": str,  # live | gone | redirected | replaced (archive/status.py)
    "status_since": str,
    "capture_ids": str,  # JSON: the captures this content was read from, page order
    "text_fingerprint": str,  # hash of the normalised text: reprints share it
    "reprint_of": str,  # the canonical article of a group of reprints, else null
    "places": str,  # JSON list of gazetteer names the article mentions (pipelines/enrich.py)
    "topics": str,  # JSON list of topic labels (archive/data/topics.toml)
    # issue 3: what the page readers record (peoplecn/pages/record.py)
    "series_order": int,  # ordinal within the series, when printed
    "column_name": str,  # issue 10: the column a headline suffix names (（人民眼） → 人民眼)
    "source_raw": str,  # the 来源 text as printed
    "source_channel": str,  # people.cn channel named on the 来源 line (人民网-河北频道 → 河北频道)
    "print_edition": str,  # span#paper_num: 《 人民日报 》（ 2024年02月26日 01 版）→ 人民日报
    "print_date": str,  # → 2024-02-26
    "print_page": str,  # → 01
    "contributors": str,  # JSON list of {name, role} from the byline
    "date_method": str,  # date_line | meta_publishdate | htmldate | url
    "date_confidence": str,  # high | medium | low
    "date_conflict": int,  # 1: the date candidates disagree on the day
    "date_candidates": str,  # JSON list of {method, value}
    "body_html": str,  # sanitised HTML of the body (nh3)
    "declared_charset": str,  # charset the HTTP header or page declared
    "confidence": float,  # reader confidence: 1.0 known template … 0.5 generic extractor
    # issue 14: what the reader's caps left out (JSON: {"links": n, "paragraphs": n, …}), or null
    "truncated": str,
    # issue 22: 原标题：… — the headline the piece first ran under (never in the body)
    "original_title": str,
    # issue 22, JSON {field: reader}: who read each field (the template reader, or "cues"
    # where the template found nothing)
    "field_sources": str,
    # issue 19: names the article mentions (archive/entities.py), JSON lists, first mention first
    "people": str,
    "organisations": str,
    "documents": str,
}

# issue 19: one row per person, organisation or document an article names, with its evidence.
ARTICLE_ENTITY_COLUMNS = {
    "article_id": str,
    "kind": str,  # people | organisations | documents
    "name": str,
    "roles": str,  # JSON list: reporter, speaker, titled (people); organisation; document
    "field": str,  # where the first mention is: title | byline | body (articles.body)
    "offset": int,  # character offset of the first mention in that field
    "evidence": str,  # the text that showed it (副司长姚建廷说, 《…规划纲要》)
    "mentions": int,  # how many times the article names it
}

# issue 19: the words of each article (archive/segment.py), for the terms and collocations.
ARTICLE_TERM_COLUMNS = {
    "article_id": str,
    "segmenter": str,  # which segmenter and user dictionary cut them (segment.segmenter_key)
    "terms": str,  # tokens separated by spaces, a line per paragraph, title first
}

# issue 19: every term's count over the whole archive, kept with article_terms (the row with
# term '' holds the number of articles and of tokens).
TERM_COUNT_COLUMNS = {
    "term": str,
    "articles": int,
    "occurrences": int,
}

# One row per place an article mentions, with the gazetteer's coordinates: the map's table.
ARTICLE_PLACE_COLUMNS = {
    "article_id": str,
    "place": str,
    "kind": str,  # municipality | province | city | new_area | district | county | county_city
    "latitude": float,
    "longitude": float,
}

LINK_COLUMNS = {
    "from_article": str,
    "kind": str,  # related | recommended | body
    "to_url": str,
    "position": int,
    "anchor": str,
    "to_article": str,  # set once the target is archived
}

CAPTURE_COLUMNS = {
    "id": str,  # WARC-Record-ID
    "url": str,
    "fetched_at": str,
    "status": int,
    "content_type": str,
    "digest": str,  # sha256:<hex> of the payload as received
    "length": int,
    "warc_file": str,  # under the archive's warc/ folder
    "offset": int,
    "crawl_id": int,
}

VERSION_COLUMNS = {
    "article_id": str,
    "version": int,  # 1, 2, … in the order seen
    "content_hash": str,
    "title": str,
    "pre_title": str,
    "subtitle": str,
    "published_at": str,
    "source": str,
    "body": str,
    "capture_ids": str,
    "seen_from": str,
    "seen_until": str,  # null for the current version
    "fields_changed": str,  # JSON list of columns that differ from the previous version
    "paragraphs_added": str,  # JSON list of paragraphs new in this version
    "paragraphs_removed": str,  # JSON list of paragraphs gone since the previous version
    "replaced": int,  # 1: the page now shows other content (the row keeps the last real one)
}

STATUS_COLUMNS = {
    "article_id": str,
    "status": str,
    "since": str,
    "detail": str,  # HTTP status, redirect target, or what replaced the page
    "capture_id": str,
}

CRAWL_COLUMNS = {
    "id": int,
    "spider": str,
    "started_at": str,
    "finished_at": str,
    "finish_reason": str,
    "arguments": str,  # JSON
    "pages_fetched": int,
    "articles_new": int,
    "articles_changed": int,
    "articles_unchanged": int,
    "articles_irrelevant": int,
    "parse_errors": int,
    "http_errors": int,
    "stats": str,  # JSON: every Scrapy stat of the run
    # issue 4: discovery and scheduling (written by runtime/report.py)
    "profile": str,  # topic profile the run used
    "articles_fetched": int,  # article page requests answered (304s included)
    "articles_not_modified": int,  # of which 304 Not Modified
    "articles_failed": int,  # article pages that could not be fetched or read
    "lists_fetched": int,  # list, topic and search-API requests answered
    "coverage": str,  # JSON: {"new": n, "missing": {field: share of new articles lacking it}}
    "readers": str,  # issue 10, JSON: {reader (articles.template): articles it read this run}
    "coverage_failed": str,  # fields whose share missing exceeded its threshold, or null
    # issue 12: page requisites (photos, stylesheets, images), counted apart from pages
    "requisites_fetched": int,  # requisite responses (stored in the WARCs, errors included)
    "requisites_too_large": int,  # over XIETONG_REQUISITE_MAX_BYTES: recorded, not stored
    "requisites_failed": int,  # HTTP errors and failed downloads of requisites
    # issue 14: bounded work and honest failures (written by runtime/report.py)
    "pages_too_large": int,  # responses over XIETONG_PAGE_MAXSIZE (as sent or decompressed)
    "failure": str,  # why the run failed (it then exits non-zero), or null
    # issue 18: the failure ledger (runtime/failures.py)
    "errors": int,  # requests that did not end in a stored result, every cause together
    "errors_by_cause": str,  # JSON: {cause: n} — http_<status>, connection, timeout, dns, …
    # issue 22, JSON {"pages_compared": n, "disagreed": {field: n}, "filled": {field: n}}: pages
    # a template reader and the template-blind reader both read; where they read a field
    # differently (the template's value kept); fields the template-blind reader filled in
    "field_disagreements": str,
}

URL_STATE_COLUMNS = {
    "url": str,
    "kind": str,  # article | list | topic | search
    "spider": str,  # the spider that first fetched it (it also revisits it)
    "first_fetched_at": str,
    "last_fetched_at": str,
    "changed_at": str,  # last fetch whose bytes differed
    "etag": str,
    "last_modified": str,
    "content_hash": str,  # sha256 of the body bytes
    "status": int,  # HTTP status of the last fetch (null: no response)
    "error": str,
    "fetch_count": int,
    "next_due_at": str,  # UTC; lists are due at once, articles on the revisit schedule
    "list_title": str,  # the headline a list or topic page last showed for it
}

# issue 20: text reuse (archive/reuse.py). One row per pair of articles sharing text, the
# earlier ("source", printed first) and the later ("target").
REUSE_COLUMNS = {
    "source_id": str,
    "target_id": str,
    "kind": str,  # reprint (the same story, reprint_of) | reuse (text taken in part)
    "overlap": float,  # share of the shorter text found in the other (0–1)
    "source_share": float,  # share of the source's text found in the target
    "target_share": float,  # share of the target's text found in the source
    "jaccard": float,  # shared / all shingles of both
    "shared_shingles": int,
    "source_published_at": str,
    "target_published_at": str,
    "days_apart": int,
    "source_title": str,
    "target_title": str,
    "source_channel": str,
    "target_channel": str,
    "source_outlet": str,  # the 来源 of each
    "target_outlet": str,
    "same_site": int,  # 1: both on one people.cn host
    "found_at": str,
}

REUSE_SIGNATURE_COLUMNS = {
    "article_id": str,
    "signatures": bytes,  # each passage's MinHash values, uint32 little-endian, in order
    "passages": int,
}

SERIES_COLUMNS = {
    "id": str,  # normalised name (archive/series.py series_key)
    "name": str,  # as first seen
    "index_url": str,  # the topic/series index page, when one is known
    "first_seen_at": str,
}

SERIES_ARTICLE_COLUMNS = {
    "series": str,
    "article_id": str,
    "position": int,  # order in the series, oldest first (from the index page), else null
    "found_on": str,  # index | article (the article's own pre-title)
}


def json_list(value) -> list:
    """A JSON list column's value as a list: [] for NULL, bad JSON or anything not a list
    (rows written by an older release, or edited by hand, are read, not trusted)."""
    try:
        items = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return items if isinstance(items, list) else []


@dataclass(frozen=True)
class Table:
    columns: dict
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()


# Every table, declared once: created when missing; a table an older version made gains the
# columns and indexes declared since (migrations.py fills what they mean for old rows).
TABLES = {
    "articles": Table(ARTICLE_COLUMNS, "id", unique=(("url",),), indexes=(
        ("published_at",), ("text_fingerprint",),
        # reprints.regroup looks up same-title rows for every article saved (issue 7: without
        # it each save scanned the table — quadratic over a crawl).
        ("title",))),
    "links": Table(LINK_COLUMNS, ("from_article", "kind", "to_url"),
                   (("from_article", "articles", "id"), ("to_article", "articles", "id")),
                   (("to_article",), ("to_url",))),
    "crawls": Table(CRAWL_COLUMNS, "id"),
    "url_state": Table(URL_STATE_COLUMNS, "url", indexes=(("spider", "kind", "next_due_at"),)),
    "series": Table(SERIES_COLUMNS, "id"),
    "series_articles": Table(SERIES_ARTICLE_COLUMNS, ("series", "article_id"),
                             (("series", "series", "id"),), (("article_id",),)),
    "captures": Table(CAPTURE_COLUMNS, "id", (("crawl_id", "crawls", "id"),),
                      (("url", "fetched_at"),)),
    "article_versions": Table(VERSION_COLUMNS, ("article_id", "version"),
                              (("article_id", "articles", "id"),)),
    "article_places": Table(ARTICLE_PLACE_COLUMNS, ("article_id", "place"),
                            (("article_id", "articles", "id"),), (("place",),)),
    "article_entities": Table(ARTICLE_ENTITY_COLUMNS, ("article_id", "kind", "name"),
                              (("article_id", "articles", "id"),), (("name",),)),
    "article_terms": Table(ARTICLE_TERM_COLUMNS, "article_id",
                           (("article_id", "articles", "id"),)),
    "term_counts": Table(TERM_COUNT_COLUMNS, "term"),
    "article_status": Table(STATUS_COLUMNS, ("article_id", "since", "status"),
                            (("article_id", "articles", "id"),
                             ("capture_id", "captures", "id"))),
    "reuse": Table(REUSE_COLUMNS, ("source_id", "target_id"),
                   (("source_id", "articles", "id"), ("target_id", "articles", "id")),
                   (("target_id",), ("overlap",))),
    "reuse_signatures": Table(REUSE_SIGNATURE_COLUMNS, "article_id"),
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.enable_wal()
    with db.atomic():
        _create_tables(db)
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create_tables(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    for name, table in TABLES.items():
        if name not in existing:
            db[name].create(table.columns, pk=table.pk, foreign_keys=list(table.foreign_keys))
        else:
            _add_missing_columns(db, name, table.columns)
        for columns in table.unique:
            db[name].create_index(list(columns), unique=True, if_not_exists=True)
        for columns in table.indexes:
            db[name].create_index(list(columns), if_not_exists=True)
    ensure_search_index(db)
    ensure_reuse_index(db)


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict) -> None:
    """An archive made by an older version gains the columns added since (empty)."""
    have = db[table].columns_dict
    for name, kind in columns.items():
        if name not in have:
            db[table].add_column(name, kind)


class ArchiveError(Exception):
    """A file that is not an archive xietong may use: missing, foreign, corrupt, newer. Its
    message is one line for the user; `usage` tells a user's mistake (a wrong path) from a
    damaged file."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def is_read_only(path: str | Path) -> bool:
    """The file cannot (or must not) be written: a read-only medium, a read-only folder (no
    -shm beside a WAL file), or a file without write bits — root ignores those, we do not."""
    path = Path(path)
    folder = path.resolve().parent
    return (not os.access(path, os.W_OK) or not os.access(folder, os.W_OK)
            or not path.stat().st_mode & 0o222
            or bool(os.statvfs(folder).f_flag & os.ST_RDONLY))


def connect_read_only(path: str | Path, immutable: bool | None = None) -> sqlite3.Connection:
    """A connection that cannot write `path`: `mode=ro`, or `immutable=1` for a read-only
    file (is_read_only: a WAL file there has no -shm to share, and nothing can change it)."""
    if immutable is None:
        immutable = is_read_only(path)
    mode = "immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?{mode}", uri=True)


def _identity(path: Path, immutable: bool) -> tuple[int, int, set[str]]:
    conn = connect_read_only(path, immutable)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        return app_id, version, tables
    finally:
        conn.close()


def check_archive(path: str | Path, must_exist: bool = False) -> None:
    """Refuse, with one line, any file but ours — before anything opens it for writing, so a
    foreign or damaged file is left byte for byte as it was. Raises ArchiveError.

    Ours: application_id APPLICATION_ID; or an archive from before it had one (application_id
    0 with our `articles` and `crawls` tables); or an empty file (a new archive). A missing
    file is refused only when `must_exist` (revisit, reparse, serve, export need one)."""
    path = Path(path)
    if not path.exists():
        if must_exist:
            raise ArchiveError(f"no archive at {path}: run `xietong crawl` first "
                               "(or check --db)", usage=True)
        if path.parent.exists() and not path.parent.is_dir():
            raise ArchiveError(f"cannot create {path}: {path.parent} is not a folder",
                               usage=True)
        return
    if not path.is_file():
        raise ArchiveError(f"{path} is not a file", usage=True)
    try:
        try:
            app_id, version, tables = _identity(path, immutable=False)
        except sqlite3.OperationalError:  # a read-only folder without the -shm of a WAL file
            app_id, version, tables = _identity(path, immutable=True)
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"{path} is not a readable SQLite archive ({e}); it was left as it "
                           "is") from None
    ours = app_id == APPLICATION_ID or (app_id == 0 and (not tables
                                                         or {"articles", "crawls"} <= tables))
    if not ours:
        raise ArchiveError(f"{path} is not a xietong archive (application_id {app_id}, "
                           f"{len(tables)} tables); refusing to touch it", usage=True)
    if version > SCHEMA_VERSION:
        raise ArchiveError(f"{path} was made by a newer xietong (schema {version}; this one "
                           f"knows {SCHEMA_VERSION}); refusing to change it")


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """The archive at `path`, created if missing, upgraded to this schema. Raises ArchiveError
    for a file that is not ours (check_archive) or a folder that cannot hold it."""
    check_archive(path)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ArchiveError(f"cannot create the folder of {path}: {e.strerror}",
                           usage=True) from None
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    # WAL + NORMAL: a commit no longer waits for an fsync (one per fetched URL and per batch
    # before, most of a crawl's time); a crash of the process loses nothing committed, a power
    # cut at worst the last commits — never WARC bytes a row names (they are synced first).
    db.execute("PRAGMA synchronous = NORMAL")
    # 64 MB of page cache (SQLite's default is 2 MB): the text reuse index is keyed by random
    # hashes, so each saved article touches a few dozen scattered B-tree pages; with the
    # default cache a 100k-article archive re-reads and spills them on every batch
    # (benchmarks/reuse.py). A fixed bound, whatever the archive's size.
    db.execute("PRAGMA cache_size = -65536")
    return db
