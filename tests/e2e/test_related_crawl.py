"""The `related` spider end to end: the real Scrapy engine, over real HTTP on 127.0.0.1
(through the replay proxy), into a real SQLite file."""

from __future__ import annotations

import re
from collections import Counter

import sqlite_utils
from conftest import crawl_sample, run_xietong

from peoplecn import urls


def rows(db, sql):
    return sqlite_utils.Database(db).execute(sql).fetchall()


def test_every_relevant_article_archived_exactly_once(site, sample_archive):
    db, _, _ = sample_archive
    archived = [u for (u,) in rows(db, "select url from articles")]
    assert len(archived) == len(set(archived))
    assert set(archived) == site.relevant_urls()
    assert len(archived) >= 36


def test_irrelevant_articles_are_read_but_not_archived(site, sample_archive):
    db, proc, requests = sample_archive
    fetched = {u for _, u in requests}
    skipped = site.irrelevant_urls() & fetched
    assert skipped, "the sample site links irrelevant articles; the spider must meet them"
    archived = {u for (u,) in rows(db, "select url from articles")}
    assert not skipped & archived
    (irrelevant,) = rows(db, "select articles_irrelevant from crawls")[0]
    assert irrelevant == len(skipped)


def test_no_page_is_fetched_twice(sample_archive):
    _, _, requests = sample_archive
    counts = Counter(u for _, u in requests)
    assert [u for u, n in counts.items() if n > 1] == []


def _expected_links(site, archived_ids):
    """(from, kind, to_url, anchor, to_article) for every link the content files declare."""
    def title(url):
        target = site.articles.get(site.redirects.get(url, url))
        return target["title"] if target else "相关报道"

    expected = set()
    reached = site.relevant_urls()  # relevant, and linked from the seed's pages
    for spec in site.articles.values():
        if spec["url"] not in reached:
            continue
        declared = [("related", u, title(u)) for u in spec.get("related", [])]
        declared += [("recommended", r["url"], title(r["url"]))
                     for r in spec.get("recommended", [])]
        declared += [(e.get("block", "related"), e["url"], e["title"])
                     for e in spec.get("external", [])]
        for para in spec["body"] + [p for page in spec.get("pages", []) for p in page]:
            if isinstance(para, str):
                for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', para):
                    declared.append(("body", href, re.sub(r"<[^>]+>", "", text)))
        src = urls.article_id(spec["url"])
        for kind, url, anchor in declared:
            target = urls.article_id(url)
            expected.add((src, kind, urls.canonical_article_url(url) or url, anchor,
                          target if target in archived_ids else None))
    return expected


def test_links_rows(site, sample_archive):
    db, _, _ = sample_archive
    archived_ids = {i for (i,) in rows(db, "select id from articles")}
    got = set(rows(db, "select from_article, kind, to_url, anchor, to_article from links"))
    assert got == _expected_links(site, archived_ids)
    # every link between two archived articles is resolved, the redirected one included
    assert rows(db, "select count(*) from links where to_article is null and to_url in "
                    "(select url from articles)") == [(0,)]


def test_multi_page_article_is_one_row_with_every_page(site, sample_archive):
    db, _, _ = sample_archive
    spec = next(s for s in site.articles.values() if s.get("pages"))
    (count, pages, body), = rows(
        db, f"select paragraph_count, page_count, body from articles where url = '{spec['url']}'")
    n_text = sum(isinstance(p, str) for b in [spec["body"], *spec["pages"]] for p in b)
    assert (count, pages) == (n_text, 1 + len(spec["pages"]))
    last = next(p for p in reversed(spec["pages"][-1]) if isinstance(p, str))
    assert body.endswith(last.strip(" \u3000"))


def test_gbk_pages_are_archived_without_mojibake(site, sample_archive):
    db, _, _ = sample_archive
    gbk = {s["url"]: s["title"] for s in site.articles.values()
           if s.get("charset") == "gbk" and s["url"] in site.relevant_urls()}
    got = dict(rows(db, "select url, title from articles where charset = 'gb18030' "
                        "and mojibake = 0"))
    assert got == gbk and len(gbk) >= 3


def test_crawl_log(sample_archive, site):
    db, proc, requests = sample_archive
    (reason, new, fetched, requisites, spider), = rows(
        db, "select finish_reason, articles_new, pages_fetched, requisites_fetched, spider "
            "from crawls")
    assert (reason, new, spider) == ("finished", len(site.relevant_urls()), "related")
    # Photos, stylesheets and page images are counted apart from pages (issue 12).
    assert requisites > 0 and fetched + requisites == len(requests)
    assert "related: finished" in proc.stderr  # the one-line summary


def test_second_run_adds_and_changes_nothing(site, tmp_path):
    db = tmp_path / "archive.db"
    crawl_sample(site, db)
    snapshot = lambda: (rows(db, "select * from articles order by id"),  # noqa: E731
                        rows(db, "select * from links order by 1, 2, 3"))
    before = snapshot()
    crawl_sample(site, db)
    assert snapshot() == before
    (new, changed, unchanged, not_modified), = rows(
        db, "select articles_new, articles_changed, articles_unchanged, articles_not_modified "
            "from crawls where id = 2")
    # Asked conditionally (issue 18): every archived article answered 304, none was read.
    assert (new, changed, unchanged) == (0, 0, 0)
    assert not_modified >= len(site.relevant_urls())


def test_bad_seed_is_a_clear_error_not_a_traceback(tmp_path):
    proc = run_xietong("crawl", "related", "--seed", "http://example.com/news/1.html",
                       "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 2
    assert "not a people.cn article URL" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "a.db").exists()
