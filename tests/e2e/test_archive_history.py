"""Articles that change, disappear, move away or are replaced, seen by the `revisit` spider
against the replay server: versions with their change summary, and the status history."""

from __future__ import annotations

import copy
import json

import pytest
import sqlite_utils
from conftest import crawl_sample, run_xietong

from peoplecn import urls
from sample_site.replay import ReplayServer

EDITED = "http://he.people.com.cn/n2/2024/0224/c192235-40744627.html"
REMOVED = "http://tj.people.com.cn/n2/2024/0228/c375366-40749285.html"
MOVED_AWAY = "http://bj.people.com.cn/n2/2024/0301/c82838-40752147.html"
REPLACED = "http://he.people.com.cn/n2/2022/0330/c192235-38142706.html"
NEW_PARAGRAPH = "　　记者补记：三月起，医院又新开设了两个夜间门诊，方便家长下班后带孩子就诊。"


def revisit(site, db):
    with ReplayServer(site) as replay:
        proc = run_xietong("crawl", "revisit", "--db", str(db), "--proxy", replay.proxy_url,
                           "--delay", "0")
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    from sample_site.site import build_site

    site = build_site()
    db = tmp_path_factory.mktemp("history") / "archive.db"
    crawl_sample(site, db)
    before = {r["id"]: r for r in sqlite_utils.Database(db)["articles"].rows}

    edited = copy.deepcopy(site.articles[EDITED])
    texts = [i for i, p in enumerate(edited["body"]) if isinstance(p, str)]
    removed_paragraph = edited["body"].pop(texts[-1])
    edited["body"].insert(texts[1], NEW_PARAGRAPH)
    site.put_article(edited)
    site.remove(REMOVED)
    site.redirects[MOVED_AWAY] = "http://bj.people.com.cn/"
    site.remove(MOVED_AWAY)
    other = copy.deepcopy(site.articles[REPLACED])
    other["title"] = "本页面内容已调整"
    other["body"] = ["　　您访问的稿件已调整至其他栏目，请返回首页浏览更多内容。"
                     "感谢您对本网的关注与支持。"]
    site.put_article(other)
    revisit(site, db)
    return site, db, before, removed_paragraph


def rows(db, sql, params=()):
    return [dict(r) for r in sqlite_utils.Database(db).query(sql, params)]


def test_edited_article_has_two_versions_with_the_change(history):
    _, db, before, removed_paragraph = history
    aid = urls.article_id(EDITED)
    v1, v2 = rows(db, "select * from article_versions where article_id = ? order by version",
                  [aid])
    assert (v1["version"], v2["version"]) == (1, 2)
    assert v1["seen_until"] == v2["seen_from"] and v2["seen_until"] is None
    assert json.loads(v2["fields_changed"]) == ["body"]
    assert json.loads(v2["paragraphs_added"]) == [NEW_PARAGRAPH.strip("\u3000")]
    assert json.loads(v2["paragraphs_removed"]) == [removed_paragraph.strip("\u3000")]
    assert v1["body"] == before[aid]["body"]  # the old text is kept, whole
    (row,) = rows(db, "select body, status, content_hash from articles where id = ?", [aid])
    assert NEW_PARAGRAPH.strip("\u3000") in row["body"] and row["status"] == "live"
    assert row["content_hash"] == v2["content_hash"] != v1["content_hash"]


def test_removed_article_is_marked_gone_and_kept(history):
    _, db, before, _ = history
    aid = urls.article_id(REMOVED)
    (row,) = rows(db, "select * from articles where id = ?", [aid])
    assert row["status"] == "gone" and row["body"] == before[aid]["body"]
    statuses = rows(db, "select status, detail from article_status where article_id = ? "
                        "order by since, rowid", [aid])
    assert [(s["status"], s["detail"]) for s in statuses] == [
        ("live", "first archived"), ("gone", "HTTP 404")]


def test_redirected_article_is_marked_redirected_with_its_target(history):
    _, db, _, _ = history
    aid = urls.article_id(MOVED_AWAY)
    (row,) = rows(db, "select status from articles where id = ?", [aid])
    (last,) = rows(db, "select status, detail, capture_id from article_status "
                       "where article_id = ? and status != 'live'", [aid])
    assert row["status"] == "redirected"
    assert last["detail"] == "http://bj.people.com.cn/" and last["capture_id"]


def test_replaced_article_keeps_its_content_and_records_the_replacement(history):
    _, db, before, _ = history
    aid = urls.article_id(REPLACED)
    (row,) = rows(db, "select title, body, status from articles where id = ?", [aid])
    assert (row["title"], row["body"]) == (before[aid]["title"], before[aid]["body"])
    assert row["status"] == "replaced"
    (v2,) = rows(db, "select title, replaced from article_versions where article_id = ? "
                     "and version = 2", [aid])
    assert v2 == {"title": "本页面内容已调整", "replaced": 1}


def test_untouched_articles_do_not_change(history):
    site, db, before, _ = history
    touched = {urls.article_id(u) for u in (EDITED, REMOVED, MOVED_AWAY, REPLACED)}
    after = {r["id"]: r for r in sqlite_utils.Database(db)["articles"].rows}
    assert {k: v for k, v in after.items() if k not in touched} == {
        k: v for k, v in before.items() if k not in touched}
    assert rows(db, "select count(*) n from article_versions where version > 1")[0]["n"] == 2


def test_an_article_that_comes_back_is_live_again(history, tmp_path):
    from sample_site.site import build_site

    site, db, _, _ = history
    site.put_article(build_site().articles[REMOVED])
    revisit(site, db)
    aid = urls.article_id(REMOVED)
    history_rows = rows(db, "select status from article_status where article_id = ? "
                            "order by since, rowid", [aid])
    assert [r["status"] for r in history_rows] == ["live", "gone", "live"]
