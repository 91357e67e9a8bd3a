"""`xietong parse FILE --url URL` prints the archive row of a saved page, read as raw bytes the
way the crawler receives them; a page that is not an article is a clear error."""

from __future__ import annotations

import json
from dataclasses import fields

from conftest import run_xietong
from corpus_expectations import RAW

from archive.schema import ARTICLE_COLUMNS
from peoplecn.pages import Article
from sample_site.site import build_site

SITE = build_site()
URL = "http://he.people.com.cn/n/2014/0228/c192235-20664178.html"  # GBK bytes, /n/ template


def test_parse_prints_the_row_with_the_archive_column_names(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(SITE.get(URL).body)
    proc = run_xietong("parse", str(page), "--url", URL)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    columns = {f.name for f in fields(Article)} & set(ARTICLE_COLUMNS)
    assert len(columns) > 30 and columns <= set(row)
    assert (row["template"], row["charset"], row["declared_charset"]) == \
        ("people_n", "gb18030", "gb2312")
    assert row["title"] == SITE.articles[URL]["title"]
    assert row["contributors"] == [{"name": "史力", "role": "本报记者"}]
    assert (row["print_edition"], row["print_date"], row["print_page"]) == \
        ("人民日报", "2014-02-28", "04")
    assert row["date_candidates"][0]["method"] == "date_line" and row["date_conflict"] == 0
    assert row["links"][0]["kind"] == "related"


def test_parse_with_content_type_and_a_not_an_article_page(tmp_path):
    page = tmp_path / "list.html"
    page.write_bytes("<ul><li><a href='/n1/2024/0101/c1-1.html'>一条新闻的标题</a></li></ul>"
                     .encode("gbk"))
    proc = run_xietong("parse", str(page), "--url", "http://www.people.com.cn/",
                       "--content-type", "text/html; charset=GBK")
    assert proc.returncode == 1
    assert "not_an_article" in proc.stderr and "Traceback" not in proc.stderr


def test_parse_reads_the_gb2312_xinhua_page(tmp_path):
    if not RAW.is_dir():
        return
    proc = run_xietong("parse", str(RAW / "other_xinhua_hebei_article_2012_0611_wayback.html"),
                       "--url", "http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm")
    row = json.loads(proc.stdout)
    assert (row["template"], row["confidence"], row["charset"]) == ("generic", 0.5, "gb18030")
    assert row["published_at"] == "2012-06-04T09:20:26+08:00" and row["mojibake"] == 0


def test_parse_with_the_template_blind_reader(tmp_path):
    url = "http://he.people.com.cn/GB/197051/8923456.html"  # a 2009 /GB/ table page, GBK
    page = tmp_path / "page.html"
    page.write_bytes(SITE.get(url).body)
    proc = run_xietong("parse", str(page), "--url", url, "--reader", "cues")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert (row["template"], row["id"], row["title"]) == (
        "cues", "he-gb8923456", SITE.articles[url]["title"])
    assert (row["published_at"], row["source"], row["editors"]) == (
        "2009-03-05T08:17:00+08:00", "河北日报", ["李娜"])
    # a page a template reader claims, read template-blind on request
    seed = tmp_path / "seed.html"
    seed.write_bytes(SITE.get(SITE.seed).body)
    proc = run_xietong("parse", str(seed), "--url", SITE.seed, "--reader", "cues")
    assert json.loads(proc.stdout)["template"] == "cues"


def test_parse_help_lists_every_reader():
    from peoplecn.pages import READER_NAMES
    from xietong.cli import READERS

    assert READERS == ["auto", *READER_NAMES]
    proc = run_xietong("parse", "--help")
    assert "auto|people_2020|people_2016|people_n|people_en|cues|generic" in proc.stdout
    proc = run_xietong("parse", __file__, "--url", "http://x/", "--reader", "nope")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
