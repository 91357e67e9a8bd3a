"""The research views of issue 19 through Datasette on the crawled sample archive: the
concordance (every hit, sorts, exports, caps), terms and collocates, the people /
organisations / documents fields with their facets, the timeline by entity, the co-occurrence
table, and `xietong reparse` filling all of them for an archive that lacks them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
import sqlite3
from urllib.parse import quote

import pytest
from xt_archive import archive_copy, ds, rows  # noqa: F401
from xt_serving import copy_archive

from archive.article_entities import rebuild_term_counts
from archive.datasette import concordance
from archive.schema import open_archive


def get(ds, path: str):  # noqa: F811
    return asyncio.run(ds.client.get(path))


def substring_count(rows, needle: str) -> int:  # noqa: F811
    return sum((r["title"] or "").count(needle) + (r["body"] or "").count(needle)
               for r in rows.values())


def csv_records(response) -> list[dict]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_concordance_lists_every_hit_of_the_search(ds, rows):  # noqa: F811
    expected = substring_count(rows, "雄安")
    assert expected > 30
    page = get(ds, "/-/concordance?q=" + quote("雄安"))
    assert page.status_code == 200
    assert f"{expected} 处" in page.text
    assert page.text.count('<td class="xt-kwic-hit">') == min(expected, concordance.PAGE_SIZE)
    exported = csv_records(get(ds, "/-/concordance.csv?q=" + quote("雄安")))
    assert len(exported) == expected and {r["hit"] for r in exported} == {"雄安"}
    data = get(ds, "/-/concordance.json?q=" + quote("雄安")).json()
    assert data["hits"] == len(data["lines"]) == expected
    # each line's context is the article's own text around the hit
    for line in data["lines"]:
        text = rows[line["article_id"]][line["field"]]
        assert text[line["offset"]:line["offset"] + 2] == "雄安"


def test_concordance_sorts_by_left_and_right_context(ds):  # noqa: F811
    left = get(ds, "/-/concordance.json?sort=left&q=" + quote("雄安")).json()["lines"]
    right = get(ds, "/-/concordance.json?sort=right&q=" + quote("雄安")).json()["lines"]
    keys = [r["left"].rstrip()[::-1] for r in left]
    assert keys == sorted(keys)
    keys = [r["right"].lstrip() for r in right]
    assert keys == sorted(keys)
    assert get(ds, "/-/concordance?sort=sideways&q=x").status_code == 400


def test_concordance_keeps_the_list_s_filters_and_the_query_language(ds, rows):  # noqa: F811
    channel = next(r["channel"] for r in rows.values() if "雄安" in (r["body"] or ""))
    mine = {k: r for k, r in rows.items() if r["channel"] == channel}
    data = get(ds, "/-/concordance.json?q=" + quote("雄安") + "&channel=" + quote(channel)).json()
    assert data["hits"] == substring_count(mine, "雄安")
    either = get(ds, "/-/concordance.json?q=" + quote("雄安 OR 通州")).json()
    # 通州 also finds the gazetteer's other spelling of it (issue 21: search and facet agree)
    assert either["hits"] == sum(substring_count(rows, w) for w in ("雄安", "通州", "城市副中心"))
    english = get(ds, "/-/concordance.json?q=Tongzhou").json()
    assert english["hits"] and {"通州", "城市副中心"} & {r["hit"] for r in english["lines"]}


def test_the_concordance_says_when_its_cap_stopped_it(ds, monkeypatch):  # noqa: F811
    monkeypatch.setattr(concordance, "MAX_ARTICLES", 3)
    page = get(ds, "/-/concordance?q=" + quote("雄安"))
    assert 'class="xt-cap' in page.text and "3 篇文章 articles read" in page.text


def test_a_concordance_line_opens_its_article_with_that_hit_marked(ds):  # noqa: F811
    line = get(ds, "/-/concordance.json?q=" + quote("雄安")).json()["lines"][-1]
    assert line["field"] == "body" and "#xt-" in line["url"]
    path, anchor = line["url"].split("localhost", 1)[1].split("#")
    article = get(ds, path).text
    assert f'<mark id="{anchor}">雄安</mark>' in article


def test_words_keep_the_field_s_terms_whole(archive_copy):  # noqa: F811
    conn = sqlite3.connect(archive_copy)
    words = {w for (t,) in conn.execute("select terms from article_terms") for w in t.split()}
    assert {"雄安新区", "京津冀协同发展", "城市副中心"} <= words
    running = dict(conn.execute("select term, occurrences from term_counts"))
    db = open_archive(shutil.copy(archive_copy, archive_copy.with_name("recount.db")))
    rebuild_term_counts(db)
    assert running == dict(db.execute("select term, occurrences from term_counts").fetchall())


def test_terms_lists_key_terms_with_counts_and_collocates(ds):  # noqa: F811
    data = get(ds, "/-/terms.json?q=" + quote("雄安")).json()
    keys = {k["term"]: k for k in data["keyness"]}
    assert "雄安新区" in keys and keys["雄安新区"]["g2"] > 0
    assert keys["雄安新区"]["selection"] <= keys["雄安新区"]["archive"]
    assert data["collocates"] and all(c["log_dice"] <= 14 for c in data["collocates"])
    page = get(ds, "/-/terms?q=" + quote("雄安"))
    assert "xt-keyness-table" in page.text and "xt-collocates-table" in page.text
    keyness = csv_records(get(ds, "/-/terms.csv?q=" + quote("雄安")))
    assert [r["term"] for r in keyness] == [k["term"] for k in data["keyness"]]
    collocates = csv_records(get(ds, "/-/terms.csv?table=collocates&q=" + quote("雄安")))
    assert [r["term"] for r in collocates] == [c["term"] for c in data["collocates"]]
    # stop words are configurable
    stopped = get(ds, "/-/terms.json?q=" + quote("雄安") + "&stop=" + quote("雄安新区")).json()
    assert "雄安新区" not in {k["term"] for k in stopped["keyness"]}
    whole = get(ds, "/-/terms.json?q=" + quote("京津冀")).json()
    assert whole["keyness"]


def test_articles_have_people_organisations_documents_faceted(ds, rows):  # noqa: F811
    lists = {kind: {n for r in rows.values() for n in json.loads(r[kind] or "[]")}
             for kind in ("people", "organisations", "documents")}
    assert lists["people"] and lists["organisations"]
    page = get(ds, "/archive_copy/articles".replace("archive_copy", "archive"))
    assert 'data-column="organisations"' in page.text or "facet-organisations" in page.text
    name = sorted(lists["organisations"])[0]
    narrowed = get(ds, "/archive/articles.json?_shape=array&organisations__arraycontains="
                   + quote(name)).json()
    assert narrowed and all(name in json.loads(r["organisations"]) for r in narrowed)


def test_the_timeline_counts_an_entity_per_month(ds, archive_copy):  # noqa: F811
    conn = sqlite3.connect(archive_copy)
    name, n = conn.execute("select name, count(*) from article_entities group by name "
                           "order by 2 desc, 1 limit 1").fetchone()
    page = get(ds, "/-/timeline?entity=" + quote(name))
    assert page.status_code == 200
    assert f"提到 names {name}" in page.text  # said as a chip, like every filter
    data = get(ds, "/-/timeline.json?entity=" + quote(name)).json()
    assert sum(r["all_articles"] for r in data["rows"]) == n
    assert data["selection"]["filters"] == [{"key": "entity", "value": name}]


def test_the_co_occurrence_table_is_served(ds, archive_copy):  # noqa: F811
    data = get(ds, "/-/cooccurrence.json").json()
    assert data["pairs"] and all(p["articles"] >= 1 for p in data["pairs"])
    conn = sqlite3.connect(archive_copy)
    top = data["pairs"][0]
    together = conn.execute(
        "select count(*) from (select article_id from article_entities where name = ? union "
        "select article_id from article_places where place = ? intersect select article_id "
        "from (select article_id from article_entities where name = ? union select article_id"
        " from article_places where place = ?))",
        [top["name_a"], top["name_a"], top["name_b"], top["name_b"]]).fetchone()[0]
    assert top["articles"] == together
    assert csv_records(get(ds, "/-/cooccurrence.csv"))
    assert "xt-cooccurrence-table" in get(ds, "/-/cooccurrence").text


@pytest.mark.parametrize("path", ["/-/concordance", "/-/terms", "/-/cooccurrence"])
def test_the_list_links_to_each_research_view_with_its_selection(ds, path):  # noqa: F811
    page = get(ds, "/archive/articles?_search=" + quote("雄安") + "&_from=2017")
    assert f'href="{path}?q=%E9%9B%84%E5%AE%89' in page.text
    assert "_from=2017" in page.text.split(f'href="{path}?', 1)[1].split('"')[0]


def test_reparse_fills_the_new_fields_of_an_older_archive(sample_archive, tmp_path):
    from xietong.reparse import reparse

    db_path = copy_archive(sample_archive[0], tmp_path)
    conn = sqlite3.connect(db_path)
    expected = conn.execute("select id, people, organisations from articles").fetchall()
    conn.execute("update articles set people = null, organisations = null, documents = null")
    for table in ("article_entities", "article_terms", "term_counts"):
        conn.execute(f"delete from {table}")
    conn.commit()
    conn.close()
    outcomes, errors = reparse(db_path)
    assert not errors and outcomes["unchanged"] == len(expected)  # no new versions
    conn = sqlite3.connect(db_path)
    assert conn.execute("select id, people, organisations from articles").fetchall() == expected
    assert conn.execute("select count(*) from article_terms").fetchone()[0] == len(expected)
    assert conn.execute("select count(*) from article_entities").fetchone()[0] > 0
