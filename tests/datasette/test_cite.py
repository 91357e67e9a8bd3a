"""Citations (issue 20) over the crawled sample archive, in process: the article page's cite block
and its Highwire `citation_*` tags; one article's and a selection's downloads, read back with the
standard parsers (rispy, bibtexparser) and the CSL-JSON rendered by citeproc-py; the GB/T 7714
string in the standard's form for an online newspaper article; permalinks that no reparse
changes."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import bibtexparser
import citeproc
import rispy
import sqlite_utils
import xt_archive
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from lxml import html as lxml_html

import xietong.reparse as reparse_module
from archive.citations import Cited, gbt7714
from archive.serve import make_datasette
from peoplecn import urls

archive_copy, ds, rows = xt_archive.archive_copy, xt_archive.ds, xt_archive.rows

ARTICLE = "he-40744627"  # 贺航's Baoding hospital report (and its reprint on the society channel)
PRINTED = "finance-40198765"  # a 人民日报 article: 《 人民日报 》（ 2024年03月18日 01 版）
# GB/T 7714-2015, a newspaper article online:
# 主要责任者. 题名[N/OL]. 报纸名, 出版日期(版次)[引用日期]. 获取和访问路径.
GBT_NEWSPAPER = re.compile(
    r"^(?P<authors>[^.]+)\. (?P<title>.+)\[N/OL\]\. (?P<paper>[^,]+), "
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:\((?P<page>\d+)\))?\[(?P<cited>\d{4}-\d{2}-\d{2})\]\. "
    r"(?P<url>\S+)\. 存档 Archived: (?P<archived>\S+?)（采集于 (?P<captured>[\d :-]+) UTC）$")


def fetch(ds, path):
    async def go():
        return await ds.client.get(path)
    response = asyncio.run(go())
    assert response.status_code == 200, (path, response.text[:500])
    return response


def permalink(article_id: str) -> str:
    return f"http://localhost/archive/articles/{article_id}"


def capture_time(db_path, article_id: str) -> str:
    db = sqlite_utils.Database(db_path)
    first = json.loads(db["articles"].get(article_id)["capture_ids"])[0]
    return db["captures"].get(first)["fetched_at"]


def test_article_page_has_the_cite_block(ds, rows, archive_copy):
    page = lxml_html.fromstring(fetch(ds, f"/archive/articles/{ARTICLE}").text)
    block = page.get_element_by_id("xt-cite")
    assert block.findtext("h2").startswith("引用")
    assert block.get_element_by_id("xt-cite-permalink").text_content() == permalink(ARTICLE)
    captured = capture_time(archive_copy, ARTICLE)
    assert block.xpath(".//time/@datetime") == [captured]
    gbt = block.get_element_by_id("xt-cite-gbt").text_content()
    found = GBT_NEWSPAPER.match(gbt)
    row = rows[ARTICLE]
    assert found, gbt
    assert found["authors"] == "贺航" and found["title"] == row["title"]
    assert found["paper"] == "人民网" and found["date"] == row["published_at"][:10]
    assert found["url"] == row["url"] and found["archived"] == permalink(ARTICLE)
    assert found["captured"] == captured[:16].replace("T", " ")
    # every form can be copied: one button per text, naming it
    copied = {b.get("data-copy") for b in block.xpath(".//button[@class='xt-copy']")}
    assert copied == {"xt-cite-permalink", "xt-cite-gbt", "xt-cite-bibtex", "xt-cite-ris"}
    downloads = block.xpath(".//p[@class='xt-cite-downloads']/a/@href")
    assert downloads == [f"/archive/-/cite/{ARTICLE}.{f}" for f in ("ris", "bib", "json", "txt")]


def test_zotero_citation_tags_are_in_the_served_html(ds, rows):
    page = lxml_html.fromstring(fetch(ds, f"/archive/articles/{ARTICLE}").text)
    meta = {}
    for tag in page.xpath("//head/meta[@name]"):
        meta.setdefault(tag.get("name"), []).append(tag.get("content"))
    row = rows[ARTICLE]
    assert meta["citation_title"] == [row["title"]]
    assert meta["citation_author"] == json.loads(row["authors"]) == ["贺航"]
    assert meta["citation_date"] == [row["published_at"][:10].replace("-", "/")]
    assert meta["citation_public_url"] == [row["url"]]
    assert meta["citation_fulltext_html_url"] == [permalink(ARTICLE)]
    assert meta["prism.publicationName"] == ["人民网"]
    # PRISM's type: Zotero saves the page as a newspaper article, not a journal article
    assert meta["prism.aggregationtype"] == ["newsletter"]


def test_one_article_as_ris_parses_with_rispy(ds, rows, archive_copy):
    response = fetch(ds, f"/archive/-/cite/{ARTICLE}.ris")
    assert response.headers["content-type"].startswith("application/x-research-info-systems")
    (entry,) = rispy.loads(response.text)
    row = rows[ARTICLE]
    assert entry["type_of_reference"] == "NEWS"
    assert entry["title"] == row["title"] and entry["authors"] == ["贺航"]
    assert entry["secondary_title"] == "人民网" and entry["date"] == "2024/02/24/"
    assert entry["urls"] == [row["url"], permalink(ARTICLE)]
    captured = capture_time(archive_copy, ARTICLE)
    assert entry["notes"] == [f"Archived copy: {permalink(ARTICLE)} (captured "
                              f"{captured[:16].replace('T', ' ')} UTC)"]


def test_one_article_as_bibtex_parses_with_bibtexparser(ds, rows):
    text = fetch(ds, f"/archive/-/cite/{PRINTED}.bib").text
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    row = rows[PRINTED]
    assert entry.entry_type == "article" and entry.key == f"people-{PRINTED}"
    assert fields["title"] == row["title"] and fields["journal"] == "人民日报"
    assert fields["author"] == " and ".join(f"{{{a}}}" for a in json.loads(row["authors"]))
    assert fields["date"] == row["print_date"] and fields["pages"] == "1"
    assert fields["url"] == row["url"] and permalink(PRINTED) in fields["note"]


def test_csl_json_renders_with_citeproc(ds, rows):
    items = json.loads(fetch(ds, f"/archive/-/cite/{ARTICLE}.json").text)
    assert [i["id"] for i in items] == [f"people-{ARTICLE}"]
    style = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"
    bibliography = CitationStylesBibliography(CitationStylesStyle(str(style), validate=False),
                                              CiteProcJSON(items), citeproc.formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    rendered = str(bibliography.bibliography()[0])
    row = rows[ARTICLE]
    assert "贺航" in rendered and row["title"] in rendered and "人民网" in rendered
    assert "2024" in rendered and row["url"] in rendered
    assert items[0]["archive_location"] == permalink(ARTICLE)


def test_a_print_edition_reference_names_the_paper_and_its_page(rows):
    row = rows[PRINTED]
    gbt = gbt7714(Cited(row, permalink(PRINTED), "2024-03-18T02:00:00+00:00"))
    found = GBT_NEWSPAPER.match(gbt)
    assert found, gbt
    assert (found["paper"], found["date"], found["page"]) == ("人民日报", "2024-03-18", "1")
    assert found["cited"] == "2024-03-18"  # the day of the capture, Beijing time


def test_a_selection_exports_as_ris(ds, rows):
    query = f"_search={quote('雄安')}&_from=2020"
    listed = json.loads(fetch(ds, f"/archive/articles.json?{query}&_size=max&_shape=objects").text)
    expected = {r["id"] for r in listed["rows"]}
    assert 1 < len(expected) < len(rows)
    response = fetch(ds, f"/archive/-/cite.ris?{query}")
    entries = rispy.loads(response.text)
    assert {e["accession_number"] for e in entries} == expected
    assert response.headers["x-xietong-citations"] == str(len(expected))
    assert all(permalink(e["accession_number"]) in e["urls"] for e in entries)
    # the list page links the same selection's citations
    page = lxml_html.fromstring(fetch(ds, f"/archive/articles?{query}").text)
    (link,) = page.xpath("//a[@class='xt-cite-ris']/@href")
    assert link == f"/archive/-/cite.ris?{query}"


def test_citing_nothing_or_a_missing_article_is_a_clear_answer(ds):
    async def go(path):
        return await ds.client.get(path)
    assert asyncio.run(go("/archive/-/cite/no-such-1.ris")).status_code == 404
    empty = asyncio.run(go("/archive/-/cite.bib?_search=" + quote("完全不存在的词语组合")))
    assert empty.status_code == 200 and empty.headers["x-xietong-citations"] == "0"


def test_permalinks_survive_a_reparse_with_a_changed_reader(sample_archive, tmp_path,
                                                            monkeypatch):
    """The archived address is keyed on the article id, which is the URL's host label and
    content id: a reparse that changes every row changes no address."""
    copy = tmp_path / "archive.db"
    shutil.copy(sample_archive[0], copy)
    shutil.copytree(sample_archive[0].parent / "warc", tmp_path / "warc")
    before = {r["id"]: r["url"] for r in sqlite_utils.Database(copy)["articles"].rows}
    assert all(urls.article_id(url) == aid for aid, url in before.items())
    real = reparse_module.parse_article

    def changed(url, body, content_type=None):
        article = real(url, body, content_type)
        article.title = "改版后的标题 " + article.title
        return article

    monkeypatch.setattr(reparse_module, "parse_article", changed)
    outcomes, errors = reparse_module.reparse(copy)
    assert errors == [] and outcomes == {"changed": len(before)}
    after = {r["id"]: r["url"] for r in sqlite_utils.Database(copy)["articles"].rows}
    assert after == before
    page = lxml_html.fromstring(fetch(make_datasette(copy), f"/archive/articles/{ARTICLE}").text)
    assert page.get_element_by_id("xt-cite-permalink").text_content() == permalink(ARTICLE)

