"""Helpers for the discovery and scheduling tests (issue 4): crawl a sample site with one of
the spiders, and what each spider should archive, computed from the site itself."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils
from conftest import run_xietong

from runtime.profiles import load_profile
from sample_site import lists, search_api
from sample_site.replay import ReplayServer

# Tests run with no download delay; Crawl-delay stays obeyed (search.people.cn asks for 1 s).
FAST = ("--delay", "0")


def crawl(site, db: Path, spider: str, *extra: str, expect: int | None = 0):
    """`xietong crawl SPIDER` against a fresh replay of `site`; returns (process, exchanges)."""
    with ReplayServer(site) as replay:
        proc = run_xietong("crawl", spider, "--db", str(db), "--proxy", replay.proxy_url,
                           *FAST, *extra)
        exchanges = replay.exchanges
    if expect is not None:
        assert proc.returncode == expect, proc.stdout + proc.stderr
    return proc, exchanges


def relevant(site, url_set) -> set[str]:
    return {u for u in url_set if site.articles[u].get("relevant", True)}


def channel_urls(site) -> set[str]:
    return relevant(site, {a["url"] for spec in site.listings if spec.kind == "list"
                           for a in lists.members(spec, site.articles)})


def series_urls(site) -> set[str]:
    return relevant(site, {a["url"] for spec in site.listings if spec.kind == "topic"
                           for a in lists.members(spec, site.articles)})


def search_urls(site) -> set[str]:
    keys = load_profile().search_keys
    return relevant(site, {a["url"] for k in keys for a in search_api.indexed(site.articles, k)})


def all_urls(site) -> set[str]:
    return channel_urls(site) | series_urls(site) | search_urls(site) | site.relevant_urls()


def rows(db: Path, sql: str, params=()) -> list:
    return sqlite_utils.Database(db).execute(sql, params).fetchall()


def archived(db: Path) -> set[str]:
    return {u for (u,) in rows(db, "select url from articles")}


def crawl_rows(db: Path, since_id: int = 0) -> list[dict]:
    out = list(sqlite_utils.Database(db).query("select * from crawls where id > ? order by id",
                                                [since_id]))
    for row in out:
        row["stats"] = json.loads(row["stats"] or "{}")
    return out


def article_requests(exchanges) -> list[str]:
    from peoplecn import urls

    return [e.url for e in exchanges if urls.is_article_url(e.url)]
