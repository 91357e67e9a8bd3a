"""The template-blind reader (peoplecn/pages/cues.py) alone, with no template reader before it:
every article of the sample site and every real page of ../shared/corpus/raw, field by field
against what is known to be on them (field_checks.py); then the layouts no template claims,
and the shapes pages reach us in (browser-saved DOMs, fragments, raw GBK bytes).
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from corpus_expectations import ARTICLES, RAW
from field_checks import FIELDS, corpus_checks, read_sample, sample_checks

from peoplecn.pages import NotAnArticle, PageError, parse_article, read_with
from sample_site.site import build_site

SITE = build_site()
BY_FILE = {s["_file"]: s for s in SITE.articles.values()}
NEW_LAYOUTS = ("health2024", "finance2024", "regional2022", "en2007", "gb2009")


def cues(url: str, body: bytes, content_type: str | None = None):
    return read_with("cues", url, body, content_type)


def served(name: str):
    spec = BY_FILE[name]
    res = SITE.get(spec["url"])
    return spec, res.body, res.headers["Content-Type"]


SAMPLE = list(sample_checks(SITE, cues))
CORPUS = list(corpus_checks(cues))


@pytest.mark.parametrize("name", sorted(BY_FILE))
def test_every_sample_article_field_by_field(name):
    wrong = [(field, detail) for page, field, ok, detail in SAMPLE if page == name and not ok]
    assert wrong == []


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/corpus/raw is absent")
@pytest.mark.parametrize("name", sorted({page for page, *_ in CORPUS}))
def test_every_real_page_field_by_field(name):
    wrong = [(field, detail) for page, field, ok, detail in CORPUS if page == name and not ok]
    assert wrong == []


def test_the_checks_cover_every_field_the_issue_names():
    checked = {field for _, field, *_ in SAMPLE + CORPUS}
    assert set(FIELDS) - {"not an article"} <= checked
    right = sum(ok for *_, ok, _ in SAMPLE + CORPUS)
    assert right / len(SAMPLE + CORPUS) >= 0.95 and len(SAMPLE) > 900


def test_the_new_layouts_are_claimed_by_no_template_reader():
    for spec in SITE.articles.values():
        if spec["template"] in NEW_LAYOUTS:
            res = SITE.get(spec["url"])
            art = parse_article(spec["url"], res.body, res.headers["Content-Type"])
            assert (art.template, art.confidence) == ("cues", 0.8), spec["_file"]
    assert sum(s["template"] in NEW_LAYOUTS for s in SITE.articles.values()) >= 4


def test_health_layout_date_line_under_the_text_and_plain_editor_line():
    spec, body, ctype = served("health-2024-test-results.toml")
    art = cues(spec["url"], body, ctype)
    assert art.published_at == "2024-03-12T09:15:00+08:00"  # printed after the text
    assert (art.source, art.source_channel) == ("人民网", "健康频道")
    assert art.editors == ["孙蕊", "王晨"]  # （责任编辑：…） as the text's last paragraph
    assert art.subtitle == spec["subtitle"] and art.byline == "人民网记者  李  彤"
    assert art.authors == ["李彤"]
    assert [x.url for x in art.links if x.kind == "related"] == spec["related"]  # in the text
    assert "相关新闻" not in art.body and "责任编辑" not in art.body and "发布时间" not in art.body


def test_finance_layout_kicker_column_closing_byline_and_boxes():
    spec, body, ctype = served("finance-2024-industry-chains.toml")
    art = cues(spec["url"], body, ctype)
    assert (art.pre_title, art.series) == ("一季度经济观察", None)  # a kicker, not a series
    assert art.column_name == "推动高质量发展·权威发布"
    assert (art.source_raw, art.source, art.source_url) == (
        "人民网-《人民日报》", "人民日报", spec["source_url"])
    assert (art.byline, art.authors) == ("本报记者 王芳 李强", ["王芳", "李强"])
    assert (art.print_edition, art.print_date, art.print_page) == ("人民日报", "2024-03-18", "01")
    assert art.editors == ["宋华", "刘阳"]  # 责编： with no brackets
    assert [(x.kind, x.url) for x in art.links] == [
        ("related", spec["related"][0]), ("recommended", spec["recommended"][0]["url"])]
    assert art.paragraphs[-1].startswith("　") is False and "本报记者" not in art.body


def test_regional_gbk_layout_date_line_above_the_headline():
    spec, body, ctype = served("tj-2022-industrial-parks.toml")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    art = cues(spec["url"], body, None)  # the page's own GB2312 declaration is enough
    assert (art.charset, art.declared_charset, art.mojibake) == ("gb18030", "gb2312", False)
    assert art.title == spec["title"] and art.subtitle == spec["subtitle"]
    assert art.published_at == "2022-08-16T10:26:00+08:00"
    assert art.byline is None and art.authors == ["韩笑"]  # named in the dateline only
    assert [x.url for x in art.links if x.kind == "related"] == spec["related"]  # a <dl>


def test_english_2007_layout_source_at_the_end_and_br_paragraphs():
    spec, body, ctype = served("en-2007-capital-region.toml")
    art = cues(spec["url"], body, ctype)
    assert (art.language, art.channel, art.byline, art.authors) == (
        "en", "China", "Zhou Yan", ["Zhou Yan"])
    assert art.published_at == "2007-07-12T08:51:00+08:00"  # UPDATED: 08:51, July 12, 2007
    assert (art.source, art.source_url) == ("Xinhua", None)  # "Source: Xinhua" closes the text
    assert len(art.paragraphs) == 5 and "Source:" not in art.body  # <br><br> paragraphs
    assert art.id == "english-398765" and art.date_candidates[-1]["method"] == "url"


def test_gb_2009_table_layout_in_gbk():
    spec, body, ctype = served("he-2009-tourism-gb.toml")
    art = cues(spec["url"], body, ctype)
    assert (art.id, art.title, art.channel) == ("he-gb8923456", spec["title"], "河北频道")
    assert (art.byline, art.authors, art.editors) == ("本报记者 赵刚", ["赵刚"], ["李娜"])
    assert [(i.caption, i.credit) for i in art.images] == [("签约仪式现场。本报记者 赵刚摄",
                                                            "本报记者 赵刚")]
    assert [x.url for x in art.links if x.kind == "related"] == spec["related"]  # 【相关新闻】
    assert "关闭窗口" not in art.body and "热点排行" not in art.body


def _browser_saved(body: bytes, encoding: str) -> bytes:
    """What "Save page" gives: the serialised DOM, no doctype, UTF-8 bytes — its <meta> still
    declaring the charset the server sent."""
    root = lxml.html.fromstring(body.decode(encoding))
    dom = lxml.html.tostring(root, encoding="unicode")
    # lxml drops the Content-Type <meta> when it serialises; a browser keeps the page's own
    declared = re.search(rb"charset=([\w-]+)", body).group(1).decode()
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
    return dom.replace("<head>", "<head>" + meta, 1).encode("utf-8")


@pytest.mark.parametrize("name", ["tj-2022-industrial-parks.toml", "he-2009-tourism-gb.toml",
                                  "health-2024-test-results.toml"])
def test_a_browser_saved_page_reads_as_served(name):
    spec, body, ctype = served(name)
    saved = _browser_saved(body, "gb18030" if spec.get("charset") == "gbk" else "utf-8")
    assert not saved.startswith(b"<!DOCTYPE")
    if spec.get("charset") == "gbk":
        assert b"gb2312" in saved.lower()  # declares GB2312, is UTF-8
    want, got = cues(spec["url"], body, ctype), parse_article(spec["url"], saved)
    assert got.template == "cues" and got.charset == "utf-8"
    for field in ("title", "published_at", "source", "byline", "authors", "editors",
                  "paragraphs", "links"):
        assert getattr(got, field) == getattr(want, field), field


def test_a_fragment_with_no_head():
    spec, body, _ = served("finance-2024-industry-chains.toml")
    root = lxml.html.fromstring(body.decode("utf-8"))
    fragment = lxml.html.tostring(root.xpath("//div[@class='ar_wrap']")[0]).decode()
    art = cues(spec["url"], fragment.encode("utf-8"))
    assert art.title == spec["title"] and art.channel == spec["channel"]
    assert art.published_at == "2024-03-18T07:45:00+08:00" and art.source == "人民日报"
    assert len(art.paragraphs) == 5


def test_every_page_of_a_multi_page_article_is_read():
    spec = next(s for s in SITE.articles.values() if s.get("pages"))
    art = read_sample(SITE, spec, cues)
    assert len(art.page_urls) == len(spec["pages"]) + 1
    assert len(art.paragraphs) == sum(isinstance(p, str) for body in [spec["body"],
                                                                      *spec["pages"]]
                                      for p in body)


PARA = "　　京津冀三地在交通、生态、产业等领域的合作持续深入，群众获得感不断增强。"


def test_paragraphs_as_the_page_breaks_them_and_captions_apart():
    page = (f"<html><head><title>标题一则--河北频道--人民网</title></head><body>"
            f"<div><h1>标题一则</h1><div>2024年01月02日08:00 来源：人民网</div>"
            f"<div>{PARA}<br><br>{PARA}<br>{PARA}<br><br>"
            f'<img src="/NMediaFile/2024/0102/a.jpg"><br><br><center>雄安一角。记者 某某摄</center>'
            f"</div></div></body></html>")
    art = cues("http://he.people.com.cn/n2/2024/0102/c1-2.html", page.encode())
    # two <br> end a paragraph; one <br> followed by an indent (　　) does too
    assert art.paragraphs == [PARA.strip("　")] * 3
    assert [(i.caption, i.credit) for i in art.images] == [("雄安一角。记者 某某摄", "记者 某某")]


def test_a_link_list_is_not_an_article():
    page = "<html><body><h1>要闻</h1><ul>" + "".join(
        f'<li><a href="/n1/2024/0226/c1-{n}.html">第{n}条新闻标题在这里</a></li>'
        for n in range(40)) + "</ul></body></html>"
    with pytest.raises(NotAnArticle):
        cues("http://www.people.com.cn/GB/59476/index.html", page.encode())


@pytest.mark.parametrize("body", [b"", b"<html></html>", b"\xff\xfe\x00<", b"<h1>x</h1>",
                                  "<p>只有一段很短的话。</p>".encode()])
def test_odd_input_is_a_typed_error(body):
    with pytest.raises(PageError):
        cues("http://he.people.com.cn/n2/2024/0102/c1-2.html", body)


def test_the_corpus_pages_read_alike_with_and_without_templates():
    if not RAW.is_dir():
        pytest.skip("../shared/corpus/raw is absent")
    for file, want in ARTICLES.items():
        data = (RAW / file).read_bytes()
        blind, auto = cues(want["url"], data), parse_article(want["url"], data)
        assert (blind.title, blind.paragraphs, blind.editors) == (
            auto.title, auto.paragraphs, auto.editors), file
        assert not re.search(r"责编|Web editor", blind.body)


@pytest.mark.parametrize("body", [
    # one paragraph of 20 000 links; 3 000 nested blocks; 10 000 paragraphs of text
    ("<html><body><h1>标题</h1><p>" + '<a href="/n1/2024/0101/c1-1.html">链接</a>' * 20000
     + "</p></body></html>"),
    "<html><body>" + "<div>" * 3000 + "<h1>标题</h1><p>" + PARA * 3 + "</p>" + "</div>" * 3000
    + "</body></html>",
    "<html><body><h1>标题</h1>" + f"<p>{PARA}</p>" * 10000 + "</body></html>",
], ids=["many-links", "deep", "long"])
def test_hostile_pages_end_in_an_article_or_a_typed_error(body):
    try:
        art = cues("http://he.people.com.cn/n2/2024/0102/c1-2.html", body.encode())
    except PageError as e:
        assert e.kind
    else:
        assert art.title == "标题" and art.paragraphs


# Layouts written here, in our own words, unlike any sample page: the reader must not depend on
# the sample site's habits.
LONG = ("　　北京、天津、河北三地今年将联合开展区域生态环境保护行动，重点推进大气污染联防联控、"
        "跨界河流综合治理和山区生态修复，三地将统一监测标准，共享监测数据，并建立联合执法机制，"
        "对跨区域环境违法行为实行同步查处。有关负责人表示，行动将持续到年底，届时将向社会公布成效。")


def test_paragraphs_set_in_divs_with_one_long_paragraph():
    page = f"""<html><head><title>三地联合开展生态环境保护行动_京津冀_人民网</title></head><body>
      <div class="top"><a href="/">首页</a> <a href="/jjj/">京津冀</a></div>
      <div class="art"><div class="art-t"><h1>三地联合开展生态环境保护行动</h1>
        <div class="art-i">发布时间：2024-03-12 09:15:33　来源：中国新闻网</div></div>
        <div class="art-c"><div>{LONG}</div><div>{PARA}</div><div>{PARA}</div>
          <div>【责任编辑：张雪】</div></div></div>
      <div class="side"><div>热门排行</div>
        <ul><li><a href="/n1/2024/0311/c1-9.html">另一条新闻</a></li></ul></div>
      </body></html>"""
    art = cues("http://jjj.people.com.cn/n1/2024/0312/c1-40193322.html", page.encode())
    assert art.title == "三地联合开展生态环境保护行动"
    assert (art.published_at, art.source, art.source_url) == (
        "2024-03-12T09:15:33+08:00", "中国新闻网", None)
    assert art.paragraphs == [LONG.strip("　"), PARA.strip("　"), PARA.strip("　")]
    assert art.editors == ["张雪"]


def test_english_page_with_short_months_and_a_source_in_brackets():
    text = "Beijing, Tianjin and Hebei will share more of their hospital services this year."
    page = f"""<html><head><title>Three places share hospital services - People's Daily Online
      </title></head><body><div class="wrap"><h1>Three places share hospital services</h1>
      <p class="meta">Updated: Feb 27, 2024 15:08</p><div class="txt">
      <p>{text}</p><p>{text}</p><p>(Source: China Daily)</p></div>
      <div class="rel"><h3>Related Stories</h3><ul>
        <li><a href="http://en.people.cn/n3/2024/0226/c90000-20138001.html">An earlier story</a>
        </li>
      </ul></div></div></body></html>"""
    art = cues("http://en.people.cn/n3/2024/0227/c90000-20138470.html", page.encode())
    assert (art.title, art.language) == ("Three places share hospital services", "en")
    assert (art.published_at, art.source) == ("2024-02-27T15:08:00+08:00", "China Daily")
    assert art.paragraphs == [text, text]
    assert [(x.kind, x.text) for x in art.links] == [("related", "An earlier story")]


def test_a_fragment_headed_by_an_h2():
    page = (f"<div><h2>雄安新区新建一批便民服务站</h2>"
            f"<p>2024年05月06日10:20　来源：人民网-河北频道</p><p>{PARA}</p><p>{LONG}</p>"
            "<p>（责编：王敏）</p></div>")
    art = cues("http://he.people.com.cn/n2/2024/0506/c192235-40800001.html", page.encode())
    assert (art.title, art.source, art.source_channel) == ("雄安新区新建一批便民服务站", "人民网",
                                                           "河北频道")
    assert len(art.paragraphs) == 2 and art.editors == ["王敏"]
