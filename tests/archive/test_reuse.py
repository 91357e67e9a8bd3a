"""Text reuse (issue 20): the `reuse` table the crawl and `xietong reparse` fill, measured against
the sample site's rewritten reprints and variants of the real pages; pairs that follow the text
when it changes; an index that compares each article with a few candidates, never with all."""

from __future__ import annotations

import shutil

import pytest
import sqlite_utils
from conftest import run_xietong
from reuse_cases import (
    RAW,
    archive_of,
    corpus_records,
    corpus_variants,
    found_pairs,
    sample_truth,
    score,
    true_pairs,
)
from xt_records import article_record as record

from archive import reuse
from archive.schema import ensure_schema, open_archive
from archive.store import save_article

SEEN = "2025-01-01T00:00:00+00:00"
STORY = [
    "　　人民网石家庄3月1日电 河北省今年将新开工一批承接北京非首都功能疏"
    "解的重点项目，涉及教育、医疗、科研等多个领域，总投资规模较去年明显扩大。",
    "　　省发展改革委有关负责人介绍，这些项目大多集中在雄安新区和环京地区"
    "，其中高校新校区和医院分院占了相当比重，建成后可新增学位和床位数千个。",
    "　　为加快项目落地，河北将建立专班推进机制，对土地、能耗、资金等"
    "要素给予优先保障，并在审批环节推行并联办理，力争年内全部开工建设。",
    "　　业内人士表示，随着一批标志性项目相继落地，疏解与承"
    "接的良性互动正在形成，京津冀协同发展的成色将更加鲜明。",
]
OTHER = [
    "　　天津港今年前两个月集装箱吞吐量同比增长，海铁联运班列"
    "开行数量创下同期新高，港口服务腹地进一步向西北地区延伸。",
    "　　港口集团负责人说，今年将加密至内陆无水港的班列，推"
    "动口岸通关流程再简化，让货主在家门口就能办完报关手续。",
    "　　与此同时，津冀港口群协同也在深化，天津港与河北港口"
    "在航线共享、船舶调度上的合作不断拓展，支线航班更加密集。",
]


@pytest.fixture
def db(tmp_path):
    database = sqlite_utils.Database(tmp_path / "archive.db")
    ensure_schema(database)
    return database


def pairs(db) -> list[tuple]:
    return [tuple(r) for r in db.execute(
        "select source_id, target_id, kind from reuse order by source_id, target_id")]


def test_sample_site_rewritten_reprints_are_found(site, sample_archive):
    db = sqlite_utils.Database(sample_archive[0])
    truth = sample_truth(site)
    assert len(truth) >= 5  # the reprint, a paragraph dropped, a lead rewritten, two merged
    result = score(found_pairs(db), truth)
    assert result.precision >= 0.95 and result.recall >= 0.9, (result, found_pairs(db))
    rows = {frozenset((r["source_id"], r["target_id"])): r for r in db["reuse"].rows}
    # the exact-reprint marking is the special case: kind "reprint"
    assert rows[frozenset(("he-40744627", "society-40746032"))]["kind"] == "reprint"
    merged = rows[frozenset(("bj-36492057", "tj-38931122"))]
    # direction by date: the 2020 railway report printed first, the 2022 round-up took from it
    assert (merged["source_id"], merged["target_id"], merged["kind"]) == (
        "bj-36492057", "tj-38931122", "reuse")
    assert 0.2 <= merged["overlap"] < 0.6 and merged["days_apart"] > 600


@pytest.mark.skipif(not RAW.exists(), reason="../shared/corpus is not here")
def test_rewritten_variants_of_the_real_pages_are_found(db):
    records = corpus_variants(corpus_records())
    truth = true_pairs(records)
    assert len(records) >= 10 and len(truth) >= 15
    archive_of(records, db)
    result = score(found_pairs(db), truth)
    assert result.precision >= 0.95 and result.recall >= 0.9, result


def test_reparse_fills_reuse(sample_archive, tmp_path):
    copy = tmp_path / "archive.db"
    shutil.copy(sample_archive[0], copy)
    shutil.copytree(sample_archive[0].parent / "warc", tmp_path / "warc")
    before = pairs(sqlite_utils.Database(copy))
    assert before
    emptied = sqlite_utils.Database(copy)
    for table in ("reuse", "reuse_fts", "reuse_signatures", "reuse_bands"):
        emptied.execute(f"delete from {table}")
    emptied.conn.commit()
    emptied.close()
    proc = run_xietong("reparse", "--db", str(copy))
    assert proc.returncode == 0, proc.stderr
    assert pairs(sqlite_utils.Database(copy)) == before


def test_pairs_follow_the_text(db):
    save_article(db, record("he-1", "河北新开工一批疏解项目", STORY,
                                    published_at="2024-03-01T08:00:00+08:00"), SEEN)
    copy = record("bj-2", "一批疏解项目在冀开工", STORY[1:],
                          published_at="2024-03-02T08:00:00+08:00")
    save_article(db, copy, SEEN)
    assert pairs(db) == [("he-1", "bj-2", "reuse")]
    row = db["reuse"].get(("he-1", "bj-2"))
    assert row["target_share"] == 1.0 and 0.6 < row["source_share"] < 1.0
    # searchable by either headline (the pairs' search index)
    assert db.execute("select count(*) from reuse_fts where reuse_fts match ?",
                      ['"开工"']).fetchone()[0] == 1
    # the copy's text is rewritten (its headline kept: a new text under another headline is
    # a replaced page, archive/status.py): the pair goes, with its search entry
    assert save_article(db, {**copy, "paragraphs": OTHER}, SEEN) == "changed"
    assert pairs(db) == [] and db["reuse_fts"].count == 0
    # an exact reprint (same headline and text) is the special case
    save_article(db, record("tj-3", "河北新开工一批疏解项目", STORY,
                                    published_at="2024-03-03T08:00:00+08:00"), SEEN)
    assert pairs(db) == [("he-1", "tj-3", "reprint")]
    assert db["articles"].get("tj-3")["reprint_of"] == "he-1"


def test_each_article_meets_a_few_candidates_never_all(db, monkeypatch):
    """An archive of 300 articles on one topic (sentences shared here and there): saving one
    more checks a handful of candidates' texts, not 300."""
    import random

    rng = random.Random(7)
    sentences = [s for p in STORY + OTHER for s in p.strip("　").split("，") if len(s) > 6]
    for i in range(300):
        text = ["　　" + "，".join(rng.sample(sentences, 6)) + f"第{i}号。" for _ in range(3)]
        save_article(db, record(f"he-{100 + i}", f"报道{i}", text), SEEN)
    checked = []
    real = reuse.overlap
    monkeypatch.setattr(reuse, "overlap", lambda a, b: checked.append(1) or real(a, b))
    save_article(db, record("he-9999", "另一篇", OTHER), SEEN)
    assert len(checked) <= reuse.MAX_CANDIDATES and len(checked) < 30


def test_an_archive_from_before_reuse_is_indexed_when_opened(tmp_path):
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_article(db, record("he-1", "河北新开工一批疏解项目", STORY), SEEN)
    save_article(db, record("bj-2", "一批疏解项目在冀开工", STORY[:3] + OTHER[:1]), SEEN)
    expected = pairs(db)
    assert expected == [("bj-2", "he-1", "reuse")]  # same date: the id decides
    # as a release before issue 20 left it: no index, no pairs, migration m003 not applied
    for table in ("reuse", "reuse_fts", "reuse_signatures", "reuse_bands"):
        db.execute(f"delete from {table}")
    db.execute("delete from _sqlite_migrations where name = 'm003_reuse_index'")
    db.conn.commit()
    db.close()
    assert pairs(open_archive(path)) == expected
