"""An archive made by schema version 1 (the first release) upgrades in place when opened:
new tables and columns added, old rows given their status, first version and fingerprint,
nothing lost; opening it again changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import sqlite_utils

from archive.migrations import MIGRATIONS
from archive.schema import SCHEMA_VERSION, open_archive
from archive.search import index_article, search_rowids

V1 = (Path(__file__).parent / "fixtures" / "schema_v1.sql").read_text()
BODY = "　　雄安新区的第一批学校今天开学，来自北京的老师和当地老师一起走进课堂。" * 2


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    conn.close()
    db = sqlite_utils.Database(path)
    for n, host in enumerate(["he", "bj"], 1):
        db["articles"].insert({
            "id": f"{host}-4000000{n}", "url": f"http://{host}.people.com.cn/n2/2024/0101/"
            f"c1-4000000{n}.html", "title": "雄安新学校开学", "body": BODY,
            "published_at": f"2024-01-0{n}T08:00:00+08:00", "authors": json.dumps(["张雷"]),
            "content_hash": f"h{n}", "first_seen_at": "2025-01-01T00:00:00+00:00",
            "changed_at": "2025-01-01T00:00:00+00:00"})
        rowid = db.execute("select rowid from articles where id = ?",
                           [f"{host}-4000000{n}"]).fetchone()[0]
        index_article(db, rowid, "雄安新学校开学", BODY)
    db["links"].insert({"from_article": "he-40000001", "kind": "related",
                        "to_url": "http://bj.people.com.cn/n2/2024/0101/c1-40000002.html",
                        "to_article": "bj-40000002"})
    db.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.close()


def test_v1_archive_upgrades_in_place(tmp_path):
    path = tmp_path / "archive.db"
    make_v1(path)
    db = open_archive(path)
    assert db.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"captures", "article_versions", "article_status"} <= set(db.table_names())
    rows = {r["id"]: r for r in db["articles"].rows}
    assert set(rows) == {"he-40000001", "bj-40000002"}
    assert all(r["status"] == "live" and r["status_since"] == "2025-01-01T00:00:00+00:00"
               for r in rows.values())
    # same text on two channels: the later one is a reprint of the earlier
    assert rows["bj-40000002"]["reprint_of"] == "he-40000001"
    versions = list(db["article_versions"].rows)
    assert [(v["article_id"], v["version"], v["body"]) for v in versions] == [
        ("he-40000001", 1, BODY), ("bj-40000002", 1, BODY)]
    assert db["links"].count == 1 and len(search_rowids(db, "雄安")) == 2
    applied = [m.name for m in MIGRATIONS.applied(db)]
    assert applied == ["m002_status_versions_fingerprints", "m003_reuse_index"]



def test_upgrading_twice_changes_nothing(tmp_path):
    path = tmp_path / "archive.db"
    make_v1(path)
    open_archive(path).close()
    first = sqlite_utils.Database(path)
    snapshot = {t: list(first[t].rows) for t in ("articles", "article_versions",
                                                  "article_status")}
    first.close()
    again = open_archive(path)
    assert {t: list(again[t].rows) for t in snapshot} == snapshot


def test_every_table_gains_columns_declared_after_it_was_made(tmp_path):
    from archive.schema import TABLES

    path = tmp_path / "archive.db"
    open_archive(path).close()
    # Play an archive made before each table's last column existed.
    conn = sqlite3.connect(path)
    dropped = {}
    for name, table in TABLES.items():
        pk = {table.pk} if isinstance(table.pk, str) else set(table.pk)
        fks = {column for column, _, _ in table.foreign_keys}
        indexed = {c for cols in (*table.indexes, *table.unique) for c in cols}
        column = next(c for c in reversed(table.columns) if c not in pk | fks | indexed)
        conn.execute(f'alter table "{name}" drop column "{column}"')
        dropped[name] = column
    conn.commit()
    conn.close()
    db = open_archive(path)
    for name, column in dropped.items():
        assert column in db[name].columns_dict, (name, column)


def test_first_release_archive_opens_upgrades_and_crawls(site, tmp_path):
    from conftest import crawl_sample

    path = tmp_path / "archive.db"
    make_v1(path)
    crawl_sample(site, path, depth=1, extra=("--set", "XIETONG_TEMPLATE_BLIND_MAX_SHARE=1"))
    db = sqlite_utils.Database(path)
    ids = {r[0] for r in db.execute("select id from articles")}
    assert {"he-40000001", "bj-40000002"} <= ids  # the old rows are kept
    assert len(ids) > 2  # and the crawl added the sample site's
    crawl = db.execute("select finish_reason, articles_new from crawls").fetchone()
    assert crawl[0] == "finished" and crawl[1] > 0
    assert db.execute("select count(*) from captures").fetchone()[0] > 0
