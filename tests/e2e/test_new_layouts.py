"""Pages in layouts no template reader knows (issue 10), crawled end to end through the real
Scrapy engine: the sample site's five such layouts are archived field for field by the
template-blind reader, `crawls.readers` says which reader read what, and a site whose every
page changed layout trips the alarm (exit 3, `template_blind`)."""

from __future__ import annotations

import json
import re

import sqlite_utils
from conftest import run_xietong
from field_checks import expected_source, plain

from sample_site.replay import ReplayServer

NEW_LAYOUTS = ("health2024", "finance2024", "regional2022", "en2007", "gb2009")
# The template readers' markers (reference §4): renamed, no template reader claims a page.
MARKERS = {rb"rm_txt_con": b"art_txt_con", rb"rwb_zw": b"art_zw", rb"d2txtCon": b"art_d2",
           rb"p_content": b"art_content", rb"p_title": b"art_title",
           rb"p_publishtime": b"art_time", rb"show_text": b"art_text"}


def rows(db, sql, params=()):
    return sqlite_utils.Database(db).execute(sql, params).fetchall()


def test_the_new_layouts_are_archived_field_for_field(site, sample_archive):
    db, _, _ = sample_archive
    specs = [s for s in site.articles.values() if s["template"] in NEW_LAYOUTS]
    assert len(specs) == 5
    for spec in specs:
        (row,) = sqlite_utils.Database(db).query(
            "select * from articles where url = ?", [spec["url"]])
        day, hm = spec["published"].split(" ")
        paragraphs = [plain(p) for p in spec["body"] if isinstance(p, str)]
        assert (row["template"], row["title"], row["published_at"]) == (
            "cues", spec["title"], f"{day}T{hm}:00+08:00"), spec["_file"]
        assert (row["source_raw"], row["source"]) == (spec["source"],
                                                       expected_source(spec["source"])[0])
        assert row["source_url"] == (spec["source_url"] or None)
        assert row["byline"] == spec.get("byline")
        assert json.loads(row["editors"]) == spec["editors"]
        assert row["body"].split("\n\n") == paragraphs
        assert (row["pre_title"], row["subtitle"]) == (spec.get("pre_title"),
                                                       spec.get("subtitle"))
        links = rows(db, "select to_url from links where from_article = ? and kind = 'related'",
                     [row["id"]])
        assert len(links) == len(spec.get("related", []))


def test_the_crawl_counts_which_reader_read_each_article(sample_archive):
    db, _, _ = sample_archive
    (readers, irrelevant, coverage), = rows(
        db, "select readers, articles_irrelevant, coverage from crawls")
    readers = json.loads(readers)
    archived = dict(rows(db, "select template, count(*) from articles group by template"))
    assert readers["cues"] == archived["cues"] == 5
    assert set(readers) == set(archived)
    assert sum(readers.values()) == sum(archived.values()) + irrelevant
    share = json.loads(coverage)["template_blind"]
    assert share == round(5 / sum(archived.values()), 3) and share < 0.2  # under the alarm


def test_a_site_that_changed_its_layout_trips_the_alarm(fresh_site, tmp_path):
    for key, res in list(fresh_site.resources.items()):
        body = res.body
        for old, new in MARKERS.items():
            body = re.sub(old, new, body)
        fresh_site.resources[key] = type(res)(res.status, res.headers, body)
    db = tmp_path / "archive.db"
    with ReplayServer(fresh_site) as replay:
        proc = run_xietong("crawl", "related", "--seed", fresh_site.seed, "--depth", "1",
                           "--db", str(db), "--proxy", replay.proxy_url, "--delay", "0")
    assert proc.returncode == 3, proc.stderr
    assert "template_blind" in proc.stderr and "new page layout" in proc.stderr
    (failed, readers, coverage), = rows(db, "select coverage_failed, readers, coverage "
                                            "from crawls")
    assert failed == "template_blind"  # the fields themselves were all read
    assert set(json.loads(readers)) == {"cues"} and json.loads(coverage)["template_blind"] == 1
    assert rows(db, "select count(*) from articles where template != 'cues'") == [(0,)]


def test_the_threshold_is_a_setting(site, tmp_path):
    """One hop from the seed, half the new articles are in the new layouts: over the default
    share (0.2), under a threshold of 1."""
    for limit, code in (("1", 0), ("0.2", 3)):
        db = tmp_path / f"archive-{limit}.db"
        with ReplayServer(site) as replay:
            proc = run_xietong("crawl", "related", "--seed", site.seed, "--depth", "1",
                               "--db", str(db), "--proxy", replay.proxy_url, "--delay", "0",
                               "--set", f"XIETONG_TEMPLATE_BLIND_MAX_SHARE={limit}")
        assert proc.returncode == code, proc.stderr
        (readers,), = rows(db, "select readers from crawls")
        assert json.loads(readers)["cues"] == 5
