"""The habits of the real site (issue 22), crawled end to end through the real Scrapy engine
(seeded: no page of the sample site links to them, so other crawls' counts stay as they were):
the sample pages that show them are archived field for field — 原标题 in `original_title`, never
in the body; the closing byline's reporter an author; related links from a box the template does
not know and from a headless run of links — `articles.field_sources` says which reader read what,
and a crawl of a page whose two readers disagree counts the fields in crawls.field_disagreements.
"""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from conftest import run_xietong

from sample_site.replay import ReplayServer

HABITS = {  # content file → (template, the fields the template-blind reader filled in, authors)
    "he-2020-cross-border-bus.toml": ("people_2020", {"related"}, ["吕文"]),
    "bj-2011-intercity-extension.toml": ("people_n", {"pre_title", "related"}, ["高扬", "陈琳"]),
    "tj-2008-inland-port.toml": ("cues", set(), ["孙健"]),
}


def crawl(site, db, *seeds: str, depth: int = 0) -> None:
    args = [a for seed in seeds for a in ("--seed", seed)]
    with ReplayServer(site) as replay:
        proc = run_xietong("crawl", "related", *args, "--depth", str(depth), "--db", str(db),
                           "--proxy", replay.proxy_url, "--delay", "0")
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def habits_archive(site, tmp_path_factory):
    """The habit pages (no page links to them: `discover = "seed"`), crawled by seeding them."""
    db = tmp_path_factory.mktemp("habits") / "archive.db"
    crawl(site, db, *(s["url"] for s in site.articles.values() if s["_file"] in HABITS))
    return db


def test_the_habit_pages_are_archived_field_for_field(site, habits_archive):
    db = sqlite_utils.Database(habits_archive)
    specs = {s["_file"]: s for s in site.articles.values() if s["_file"] in HABITS}
    assert len(specs) == len(HABITS)
    for name, spec in specs.items():
        template, filled, authors = HABITS[name]
        (row,) = db.query("select * from articles where url = ?", [spec["url"]])
        assert (row["template"], row["title"]) == (template, spec["title"]), name
        assert row["original_title"] == spec["original_title"]
        assert "原标题" not in row["body"] and "原标题" not in row["body_html"]
        assert row["byline"] == spec["byline"] and row["pre_title"] == spec.get("pre_title")
        assert json.loads(row["authors"]) == authors
        assert row["body"].split("\n\n") == [p.strip("\u3000") for p in spec["body"]]
        sources = json.loads(row["field_sources"])
        assert {f for f, reader in sources.items() if reader != template} == filled, name
        links = [r["to_url"] for r in db.query(
            "select to_url from links where from_article = ? and kind = 'related' "
            "order by position", [row["id"]])]
        assert links == spec["related"]


def test_the_crawl_counts_what_the_template_blind_reader_filled_in(habits_archive):
    (counts,), = sqlite_utils.Database(habits_archive).execute(
        "select field_disagreements from crawls").fetchall()
    counts = json.loads(counts)
    assert counts == {"pages_compared": 2, "disagreed": {},  # the two template pages
                      "filled": {"pre_title": 1, "related": 2}}


def test_a_crawl_counts_where_the_two_readers_disagree(fresh_site, sample_archive, tmp_path):
    (counts,), = sqlite_utils.Database(sample_archive[0]).execute(
        "select field_disagreements from crawls").fetchall()
    counts = json.loads(counts)
    assert counts["pages_compared"] >= 6 and counts["disagreed"] == {}  # read alike
    # a page of the fixed sample both readers read in full (peoplecn/pages/fillin.py)
    spec = next(s for s in fresh_site.articles.values()
                if s["_file"] == "politics-2024-shujie.toml")
    # an editor line inside the text: the 2020s template reads div.edit, the template-blind
    # reader the first editor line under the headline (and ends the text there)
    spec["body"].insert(2, "（编辑：赵六）")
    fresh_site.put_article(spec)
    db = tmp_path / "archive.db"
    crawl(fresh_site, db, spec["url"])
    archive = sqlite_utils.Database(db)
    (counted,), = archive.execute("select field_disagreements from crawls").fetchall()
    assert json.loads(counted) == {"pages_compared": 1, "disagreed": {"body": 1, "editors": 1},
                                   "filled": {}}
    (row,) = archive.query("select editors, field_sources from articles")
    assert json.loads(row["editors"]) == spec["editors"]  # the template's value stands
    assert json.loads(row["field_sources"])["editors"] == "people_2020"
