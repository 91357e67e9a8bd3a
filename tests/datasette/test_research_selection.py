"""The research views (issue 19) read, apply, say and carry the list's whole selection (issue 21,
archive/datasette/selection.py): query, dates, source, channel, series, place, topic and the
`entity=` filter, with the same chips and the same refusals; `entity=` narrows the list, its
JSON and feed, the exports, the timeline and its exports, the concordance and the terms alike;
and the concordance reads the list's query language. In process, on the crawled sample site."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import feedparser
import pytest
from lxml import html as lxml_html
from xt_archive import archive_copy, ds, rows  # noqa: F401

VIEWS = ["/-/concordance", "/-/terms", "/-/cooccurrence"]
# Every kind of filter the list takes; the values need not select anything.
WHOLE = [("q", "雄安"), ("_from", "2017"), ("_to", "2024-06"), ("source", "人民网"),
         ("channel", "河北频道"), ("series", "京津冀协同发展"),
         ("places__arraycontains", "雄安新区"), ("topics__arraycontains", "生态环境"),
         ("entity", "雄安新区")]


def fetch(ds, path: str):  # noqa: F811
    return asyncio.run(ds.client.get(path))


def page(ds, path: str):  # noqa: F811
    response = fetch(ds, path)
    assert response.status_code == 200, (path, response.text[:500])
    return lxml_html.fromstring(response.text)


def pairs_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def text_of(row) -> str:
    return f"{row['title'] or ''}\n{row['body'] or ''}"


def naming(archive, name: str) -> set[str]:
    conn = sqlite3.connect(archive)
    return {r[0] for r in conn.execute(
        "select article_id from article_entities where name = ? union "
        "select article_id from article_places where place = ?", [name, name])}


@pytest.mark.parametrize("view", VIEWS)
def test_a_research_view_says_and_carries_the_whole_selection(ds, view):  # noqa: F811
    tree = page(ds, view + "?" + urlencode(WHOLE))
    chips = " ".join(c.text_content() for c in tree.cssselect(".xt-chip.xt-filter"))
    for label in ("从 from 2017", "到 to 2024-06", "来源 source: 人民网", "频道 channel: 河北频道",
                  "系列 series: 京津冀协同发展", "地点 place: 雄安新区", "主题 topic: 生态环境",
                  "提到 names 雄安新区"):
        assert label in chips
    # every link to a view of the same selection keeps all of it
    links = [a.get("href") for a in tree.cssselect(".xt-tools a")]
    assert links
    for href in links:
        carried = set(pairs_of(href))
        assert set(WHOLE[1:-1]) <= carried, href  # dates and column filters
        assert {("entity", "雄安新区"), ("_entity", "雄安新区")} & carried, href
    # a chip's link drops that filter and keeps the rest
    source_chip = next(c for c in tree.cssselect(".xt-chip.xt-filter")
                       if "来源 source" in c.text_content())
    kept = set(pairs_of(source_chip.cssselect("a")[0].get("href")))
    assert ("source", "人民网") not in kept and ("channel", "河北频道") in kept
    # the form sends the filters again (hidden) and the dates from their boxes
    form = tree.cssselect("form.xt-list-search")[0]
    hidden = {(i.get("name"), i.get("value")) for i in form.cssselect("input[type=hidden]")}
    assert ("channel", "河北频道") in hidden and ("topics__arraycontains", "生态环境") in hidden
    assert form.cssselect("input#xt_from")[0].get("value") == "2017"


@pytest.mark.parametrize("view", VIEWS)
def test_a_research_view_refuses_a_bad_date_as_the_list_does(ds, view):  # noqa: F811
    tree = page(ds, view + "?" + urlencode([("q", "雄安"), ("_from", "去年"),
                                            ("_to", "2024年3月")]))
    box = tree.cssselect("input#xt_from")[0]
    assert box.get("aria-invalid") == "true" and box.get("value") == "去年"
    assert "not a date" in tree.cssselect("#xt_from-error")[0].text_content()
    chips = " ".join(c.text_content() for c in tree.cssselect(".xt-chip.xt-filter"))
    assert "去年" not in chips and "到 to 2024-03" in chips  # the good one applied, as read
    assert tree.cssselect("input#xt_to")[0].get("value") == "2024-03"
    for fmt in ("csv", "json"):
        refused = fetch(ds, f"{view}.{fmt}?" + urlencode([("q", "雄安"), ("_from", "去年")]))
        assert refused.status_code == 400 and "_from=去年" in refused.text


def test_the_concordance_applies_dates_and_filters(ds, rows):  # noqa: F811
    channel = next(r["channel"] for r in rows.values() if "雄安" in (r["body"] or ""))
    mine = [r for r in rows.values() if r["channel"] == channel
            and (r["published_at"] or "") >= "2017"]
    data = fetch(ds, "/-/concordance.json?" + urlencode(
        [("q", "雄安"), ("channel", channel), ("_from", "2017年")])).json()
    assert data["hits"] == sum(text_of(r).count("雄安") for r in mine) > 0
    assert data["selection"]["from"] == "2017"
    assert {"key": "channel", "value": channel} in data["selection"]["filters"]


def test_entity_narrows_every_view_alike(ds, rows, archive_copy):  # noqa: F811
    conn = sqlite3.connect(archive_copy)
    name = conn.execute("select name from article_entities where kind = 'organisations' "
                        "group by name order by count(*) desc, name limit 1").fetchone()[0]
    expected = naming(archive_copy, name)
    assert 1 < len(expected) < len(rows)
    # the list: entity= goes to the list's spelling, which Datasette's table view leaves alone
    moved = fetch(ds, "/archive/articles?entity=" + quote(name))
    assert moved.status_code == 302 and "_entity=" in moved.headers["location"]
    listed = fetch(ds, "/archive/articles.json?_shape=array&_col=id&_size=max&_entity="
                   + quote(name)).json()
    assert {r["id"] for r in listed} == expected
    tree = page(ds, "/archive/articles?_entity=" + quote(name))
    assert f"提到 names {name}" in " ".join(
        c.text_content() for c in tree.cssselect(".xt-chip.xt-filter"))
    for cls in ("xt-concordance", "xt-terms", "xt-timeline", "xt-feed", "xt-export-csv"):
        for a in tree.cssselect(f"a.{cls}"):
            assert ("_entity", name) in pairs_of(a.get("href"))
    # its feed, the exports, the timeline and its exports
    feed = feedparser.parse(fetch(ds, "/archive/articles.atom?_entity=" + quote(name)).content)
    assert len(feed.entries) == len(expected)
    saved = fetch(ds, "/archive/search_feed.atom?q=" + quote("港") + "&entity=" + quote(name))
    assert ("_entity", name) in pairs_of(saved.headers["location"])  # the list's feed, at once
    exported = fetch(ds, "/archive/-/export.json?entity=" + quote(name)).json()
    assert {r["id"] for r in exported} == expected
    timeline = fetch(ds, "/-/timeline.json?entity=" + quote(name)).json()
    dated = {i for i in expected if re.match(r"[12]\d{3}-[01]\d", rows[i]["published_at"] or "")}
    assert sum(r["all_articles"] for r in timeline["rows"]) == len(dated)
    # the concordance and the terms
    hits = fetch(ds, "/-/concordance.json?q=" + quote(name) + "&entity=" + quote(name)).json()
    assert {line["article_id"] for line in hits["lines"]} <= expected
    assert hits["hits"] == sum(text_of(rows[i]).count(name) for i in expected)
    terms = fetch(ds, "/-/terms.json?entity=" + quote(name)).json()
    assert terms["selection"]["matching"] == len(expected)
    # a name it cannot take is said, not applied
    refused = page(ds, "/-/terms?q=" + quote("雄安") + "&entity=" + "长" * 101)
    assert "not applied" in refused.cssselect(".xt-refused")[0].text_content()


def test_the_co_occurrence_of_a_name_is_within_its_articles(ds, archive_copy):  # noqa: F811
    conn = sqlite3.connect(archive_copy)
    name = conn.execute("select name from article_entities group by name "
                        "order by count(*) desc, name limit 1").fetchone()[0]
    data = fetch(ds, "/-/cooccurrence.json?entity=" + quote(name)).json()
    assert data["entity"] == name and data["pairs"]
    assert all(p["name_a"] == name and p["name_b"] != name for p in data["pairs"])
    assert data["articles_read"] == len(naming(archive_copy, name))


def test_the_concordance_reads_the_list_s_query_language(ds, rows):  # noqa: F811
    def hits(q):
        return fetch(ds, "/-/concordance.json?q=" + quote(q)).json()

    # AND is what a space says
    assert hits("雄安 AND 北京")["hits"] == hits("雄安 北京")["hits"] > 0
    both = [r for r in rows.values() if "雄安" in text_of(r) and "北京" in text_of(r)]
    assert hits("雄安 北京")["hits"] == sum(text_of(r).count("雄安") + text_of(r).count("北京")
                                           for r in both)
    # NOT / -word: the articles without it, and only the wanted word's hits
    without = [r for r in rows.values() if "雄安" in text_of(r) and "北京" not in text_of(r)]
    left_out = hits("雄安 NOT 北京")
    assert left_out["hits"] == hits("雄安 -北京")["hits"] == sum(
        text_of(r).count("雄安") for r in without)
    assert {line["hit"] for line in left_out["lines"]} == {"雄安"}
    # a term of digits and Han is counted as one sequence, not every 年
    year = hits("2019年")
    assert year["hits"] == sum(len(re.findall(r"(?<![0-9A-Za-z])2019年", text_of(r)))
                               for r in rows.values()) > 0
    assert {line["hit"] for line in year["lines"]} == {"2019年"}
    # English reaches the Chinese text through the policy lexicon
    assert {line["hit"] for line in hits("Beijing-Tianjin-Hebei")["lines"]} >= {"京津冀"}
    # the page says how it read the query
    tree = page(ds, "/-/concordance?q=" + quote("雄安 and 北京"))
    assert "雄安 北京" in tree.cssselect(".xt-reading")[0].text_content()


def test_the_list_links_to_the_research_views_keep_the_whole_selection(ds):  # noqa: F811
    query = [(k if k != "q" else "_search", v) for k, v in WHOLE if k != "entity"]
    tree = page(ds, "/archive/articles?" + urlencode([*query, ("_entity", "雄安新区")]))
    for cls in ("xt-concordance", "xt-terms", "xt-cooccurrence", "xt-timeline"):
        carried = set(pairs_of(tree.cssselect(f"a.{cls}")[0].get("href")))
        assert {("q", "雄安"), ("_entity", "雄安新区")} | {
            p for p in query if p[0] != "_search"} <= carried, cls
