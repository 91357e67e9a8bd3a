"""The archive layer on a real SQLite file: records in, whole rows out."""

from __future__ import annotations

import json

import pytest

from archive import store
from archive.schema import SCHEMA_VERSION, open_archive
from archive.search import search_rowids


def record(**changes) -> dict:
    rec = {
        "url": "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html",
        "id": "he-40745301",
        "content_id": "40745301",
        "site": "he.people.com.cn",
        "channel": "河北频道",
        "title": "雄安新区的新学校开学了",
        "pre_title": "「京津冀协同发展十年」系列报道",
        "subtitle": None,
        "series": "京津冀协同发展十年",
        "published_at": "2024-02-25T18:19:00+08:00",
        "source": "人民网－河北频道",
        "source_url": "http://he.people.com.cn/",
        "byline": "人民网记者  张  雷",
        "authors": ["张雷"],
        "editors": ["方彤", "付兆莎"],
        "paragraphs": ["第一段文字。", "第二段文字。"],
        "images": [{"src": "http://he.people.com.cn/NMediaFile/a.jpg", "caption": "校园。"}],
        "links": [
            {"url": "http://bj.people.com.cn/n2/2024/0220/c233088-40739904.html",
             "text": "北京的报道", "kind": "related"},
            {"url": "http://tj.people.com.cn/n2/2023/0915/c375555-40567890.html",
             "text": "天津的报道", "kind": "recommended"},
        ],
        "language": "zh",
        "template": "people_2020",
        "charset": "utf-8",
        "page_urls": [],
        "mojibake": False,
    }
    rec.update(changes)
    return rec


@pytest.fixture
def db(tmp_path):
    return open_archive(tmp_path / "sub" / "archive.db")


def test_schema_is_idempotent_and_versioned(tmp_path):
    path = tmp_path / "a.db"
    db = open_archive(path)
    with db.atomic():
        store.save_article(db, record(), "2026-01-01T00:00:00+00:00")
    db2 = open_archive(path)  # second ensure_schema on an existing archive
    assert db2["articles"].count == 1
    assert db2.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    assert db2.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_new_article_row(db):
    with db.atomic():
        assert store.save_article(db, record(), "2026-01-01T00:00:00+00:00") == "new"
    row = db["articles"].get("he-40745301")
    assert row["title"] == "雄安新区的新学校开学了"
    assert row["body"] == "第一段文字。\n\n第二段文字。"
    assert row["published_month"] == "2024-02"
    assert json.loads(row["authors"]) == ["张雷"]
    assert json.loads(row["editors"]) == ["方彤", "付兆莎"]
    assert json.loads(row["images"])[0]["caption"] == "校园。"
    assert (row["paragraph_count"], row["image_count"], row["page_count"]) == (2, 1, 1)
    assert row["first_seen_at"] == row["changed_at"] == "2026-01-01T00:00:00+00:00"
    assert len(row["content_hash"]) == 64
    links = list(db["links"].rows_where(order_by="position"))
    assert [(x["kind"], x["to_url"], x["anchor"], x["to_article"]) for x in links] == [
        ("related", "http://bj.people.com.cn/n2/2024/0220/c233088-40739904.html", "北京的报道",
         None),
        ("recommended", "http://tj.people.com.cn/n2/2023/0915/c375555-40567890.html",
         "天津的报道", None),
    ]


def test_same_record_twice_changes_nothing(db):
    with db.atomic():
        store.save_article(db, record(), "2026-01-01T00:00:00+00:00")
    before = (list(db["articles"].rows), list(db["links"].rows))
    with db.atomic():
        assert store.save_article(db, record(), "2026-02-01T00:00:00+00:00") == "unchanged"
    assert (list(db["articles"].rows), list(db["links"].rows)) == before


def test_changed_record_updates_row_links_and_search(db):
    with db.atomic():
        store.save_article(db, record(), "2026-01-01T00:00:00+00:00")
    edited = record(title="白洋淀的春天", links=[])
    with db.atomic():
        assert store.save_article(db, edited, "2026-02-01T00:00:00+00:00") == "changed"
    row = db["articles"].get("he-40745301")
    assert row["title"] == "白洋淀的春天"
    assert (row["first_seen_at"], row["changed_at"]) == (
        "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    assert db["links"].count == 0
    assert search_rowids(db, "白洋淀") and not search_rowids(db, "雄安")


def test_links_resolve_by_article_id_even_through_an_old_catalog(db):
    with db.atomic():
        store.save_article(db, record(), "t")
        # the target is archived under its new catalog c375366; the link names c375555
        target = record(url="http://tj.people.com.cn/n2/2023/0915/c375366-40567890.html",
                        id="tj-40567890", content_id="40567890", site="tj.people.com.cn",
                        links=[])
        store.save_article(db, target, "t")
        assert store.resolve_links(db) == 1
    resolved = dict(db.execute("select kind, to_article from links").fetchall())
    assert resolved == {"related": None, "recommended": "tj-40567890"}


def test_crawl_rows(db):
    with db.atomic():
        crawl_id = store.start_crawl(db, "related", "2026-01-01T00:00:00+00:00",
                                     {"depth": 2})
        store.finish_crawl(db, crawl_id, finish_reason="finished", articles_new=3,
                           stats={"downloader/response_count": 7})
    row = db["crawls"].get(crawl_id)
    assert (row["spider"], row["finish_reason"], row["articles_new"]) == (
        "related", "finished", 3)
    assert json.loads(row["arguments"]) == {"depth": 2}
    assert json.loads(row["stats"]) == {"downloader/response_count": 7}
