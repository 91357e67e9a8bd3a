"""Datasette over the crawled sample archive: Chinese and English search through the standard
`?_search=` path (the plugin's escape_fts), metadata, facets, read-only serving."""

from __future__ import annotations

import asyncio
import re
import shutil

import lxml.html
import pytest
import sqlite_utils

from archive.serve import make_datasette


@pytest.fixture(scope="module")
def served(sample_archive, tmp_path_factory):
    db, _, _ = sample_archive
    copy = tmp_path_factory.mktemp("served") / "archive.db"
    shutil.copy(db, copy)
    texts = {r["id"]: f"{r['title']}\n{r['body']}"
             for r in sqlite_utils.Database(copy)["articles"].rows}
    return make_datasette(copy), texts


def get(ds, path, **params):
    async def go():
        return await ds.client.get(path, params=params)
    return asyncio.run(go())


def search_ids(ds, query) -> set[str]:
    r = get(ds, "/archive/articles.json", _search=query, _shape="array", _col="id", _size="max")
    assert r.status_code == 200, r.text
    return {row["id"] for row in r.json()}


@pytest.mark.parametrize("query", ["冀", "雄安", "协同发展", "城市副中心", "京津冀协同发展", "医",
                                   "社保卡", "白洋淀"])
def test_chinese_search_finds_exactly_the_articles_containing_it(served, query):
    ds, texts = served
    expected = {i for i, t in texts.items() if query in t}
    assert expected, f"the sample site should contain {query}"
    # in quotes exactly as typed; unquoted a place name also finds the gazetteer's other
    # spellings (城市副中心 → 通州), as the place facet counts it (issue 21)
    assert search_ids(ds, f'"{query}"') == expected
    assert expected <= search_ids(ds, query)


def test_the_sample_corpus_is_not_all_matches(served):
    ds, texts = served
    assert 0 < len(search_ids(ds, "雄安")) < len(texts)


@pytest.mark.parametrize("query", ["Xiongan", "xiongan", "XIONGAN", "Xiong'an"])
def test_english_words_match_case_insensitively_and_find_the_chinese_name(served, query):
    ds, texts = served
    word = re.compile(r"(?<![A-Za-z0-9])xiong'?an(?![A-Za-z0-9])", re.I)
    expected = {i for i, t in texts.items() if word.search(t) or "雄安" in t}
    assert expected and len(expected) < len(texts)
    assert search_ids(ds, query) == expected


def test_tongzhou_finds_at_least_what_the_chinese_name_finds(served):
    ds, texts = served
    chinese = search_ids(ds, "通州")
    assert chinese and chinese <= search_ids(ds, "Tongzhou")
    assert search_ids(ds, "雄安 OR 通州") == search_ids(ds, "雄安") | chinese


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "-", '雄安"', "a AND", ")", "NOT", "^冀"])
def test_odd_queries_never_fail(served, query):
    ds, _ = served
    assert get(ds, "/archive/articles.json", _search=query).status_code == 200
    assert get(ds, "/archive/articles", _search=query).status_code == 200


def test_search_box_page_shows_matches(served):
    ds, texts = served
    r = get(ds, "/archive/articles", _search="雄安")
    assert r.status_code == 200
    n = sum("雄安" in t for t in texts.values())
    heading = lxml.html.fromstring(r.text).cssselect("h2.xt-count")[0].text_content()
    assert f"{n} 篇文章 · {n} articles" in heading
    assert 'name="_search"' in r.text


def test_metadata_facets_and_order(served):
    ds, _ = served
    r = get(ds, "/archive/articles.json", _shape="objects", _size="max")
    data = r.json()
    assert set(data["facet_results"]) >= {"channel", "source", "series", "published_month"}
    dates = [row["published_at"] for row in data["rows"]]
    assert dates == sorted(dates, reverse=True)
    home = get(ds, "/")
    assert "xietong" in home.text and "People&#39;s Daily Online" in home.text
    meta = get(ds, "/-/metadata.json").json()
    columns = meta["databases"]["archive"]["tables"]["articles"]["columns"]
    with sqlite_utils.Database(ds.databases["archive"].path) as db:
        assert set(columns) == set(db["articles"].columns_dict)


def test_served_read_only(served):
    ds, _ = served
    r = get(ds, "/archive.json", sql="delete from articles")
    assert r.status_code in (400, 403)
    assert sqlite_utils.Database(ds.databases["archive"].path)["articles"].count > 0
