"""Text reuse served (issue 20), over the crawled sample archive in process: the article page's
similar articles with the shared passages side by side, the comparison page, the story across
channels on one page, and the `reuse` table searchable and faceted."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import sqlite_utils
import xt_archive
from lxml import html as lxml_html

archive_copy, ds, rows = xt_archive.archive_copy, xt_archive.ds, xt_archive.rows

MERGED = "tj-38931122"  # the round-up written from two earlier reports
ONE_CODE, RAILWAY = "tj-38804369", "bj-36492057"


def page(ds, path):
    async def go():
        return await ds.client.get(path)
    response = asyncio.run(go())
    assert response.status_code == 200, (path, response.text[:500])
    return lxml_html.fromstring(response.text)


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def test_article_page_lists_similar_articles_with_shared_passages(ds, rows):
    tree = page(ds, f"/archive/articles/{MERGED}")
    section = tree.get_element_by_id("xt-similar")
    entries = section.xpath(".//li[@class='xt-similar-entry']")
    linked = [e.xpath("./a/@href")[0] for e in entries]
    assert linked == [f"/archive/articles/{ONE_CODE}", f"/archive/articles/{RAILWAY}"]
    assert "共用 58%" in entries[0].text_content()  # the overlap share, most shared first
    assert "printed earlier" in entries[0].text_content()
    # side by side: a paragraph the round-up took whole sits in both columns of one row
    table = entries[0].xpath(".//table[@class='xt-passages']")[0]
    same = [[td.text_content().strip() for td in tr.xpath("./td")]
            for tr in table.xpath(".//tr[@class='xt-same']")]
    taken = set(paragraphs(rows[MERGED]["body"])) & set(paragraphs(rows[ONE_CODE]["body"]))
    assert len(taken) == 2 and sorted(a for a, b in same if a == b) == sorted(taken)
    # an edited paragraph: the words only one side has are marked
    edited = table.xpath(".//tr[@class='xt-edited']")
    assert edited and "人民网天津9月20日电" in edited[0].xpath("./td[2]/mark")[0].text
    assert section.xpath(".//a[@class='xt-compare']/@href")[0] == \
        f"/archive/-/reuse/{MERGED}/{ONE_CODE}"


def test_an_article_sharing_no_text_has_no_similar_block(ds):
    tree = page(ds, "/archive/articles/bj-25592634")
    assert not tree.xpath("//*[@id='xt-similar']")


def test_comparison_page_of_a_pair(ds, rows):
    tree = page(ds, f"/archive/-/reuse/{RAILWAY}/{MERGED}")
    rows_ = tree.xpath("//table[@class='xt-passages']/tbody/tr")
    both = [r for r in rows_ if r.get("class") in ("xt-same", "xt-edited")]
    # each paragraph of either article once; the two the round-up took (one edited) side by side
    assert len(both) == 2
    assert len(rows_) == len(paragraphs(rows[RAILWAY]["body"])) + len(
        paragraphs(rows[MERGED]["body"])) - len(both)
    assert "先发 printed first" in tree.text_content()
    assert rows[RAILWAY]["title"] in tree.xpath("//p[@class='xt-meta']/strong")[0].text


def test_story_page_gathers_every_version_in_printed_order(ds, rows):
    tree = page(ds, f"/archive/-/story/{MERGED}")
    titles = [a.text for a in tree.xpath("//li[contains(@class,'xt-story-entry')]/a[1]")]
    assert titles == [rows[i]["title"] for i in (RAILWAY, ONE_CODE, MERGED)]
    this = tree.xpath("//li[contains(@class,'xt-this')]")[0]
    assert len(this.xpath(".//ul[@class='xt-took']/li")) == 2  # took from both


def test_reuse_table_is_searchable_and_faceted(ds, archive_copy):
    tree = page(ds, "/archive/reuse?_search=" + quote("雄安"))
    found = tree.xpath("//table[contains(@class,'rows-and-columns')]/tbody/tr")
    db = sqlite_utils.Database(archive_copy)
    expected = db.execute("select count(*) from reuse where source_title like '%雄安%' "
                          "or target_title like '%雄安%'").fetchone()[0]
    assert 0 < len(found) == expected < db["reuse"].count
    facets = page(ds, "/archive/reuse")
    kinds = facets.xpath("//div[@data-column='kind']//li/a/text()")
    assert {"reprint", "reuse"} <= {k.strip() for k in kinds}
