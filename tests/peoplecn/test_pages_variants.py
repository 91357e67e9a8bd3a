"""Template variants the sample site does not render, each a small page written here (every
word ours): the 2026 #rm_txt_zw body, the /n/ template without ids, a photo table, a page of
another outlet (generic reader), and pages that are not articles."""

from __future__ import annotations

import pytest

from peoplecn.pages import NotAnArticle, PageError, parse_article

PARA = "　　京津冀三地在交通、生态、产业等领域的合作持续深入，群众获得感不断增强。"


def page(body: str, head: str = "") -> bytes:
    return f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


def test_2026_body_in_rm_txt_zw_with_video_script():
    art = parse_article("http://sc.people.com.cn/n2/2026/0105/c345167-41400001.html", page(f"""
      <div class="layout rm_txt cf"><div class="col col-1"><h1>新标题</h1>
      <div class="channel cf"><div class="col-1-1">2026年01月05日09:30 | 来源：<a href="http://sc.people.com.cn/">人民网-四川频道</a></div></div>
      <div class="rm_txt_con cf"><div class="bza"><span></span><p>导语框</p></div>
        <div id="rm_txt_zw"><p>{PARA}</p>
          <p style="text-align: center;"><script src="http://video.people.cn/people-video.js"></script></p>
          <p>{PARA}</p></div>
        <div class="edit cf">(责编：甲乙、丙丁)</div></div></div></div>"""))
    assert art.template == "people_2020"
    assert art.paragraphs == [PARA.strip("　")] * 2
    assert (art.source, art.source_channel) == ("人民网", "四川频道")
    assert "video.people.cn" not in art.body_html and "导语框" not in art.body


def test_n_template_without_ids():
    art = parse_article("http://www.people.com.cn/n/2013/1227/c1001-23961345.html", page(f"""
      <div class="text_c"><h2>引题一行</h2><h1>二〇一三年的标题</h1><h4>副题一行</h4>
      <p class="sou">2013年12月27日09:10&nbsp;&nbsp;来源：<a href="http://paper.people.com.cn/">人民网-人民日报</a></p>
      <div class="show_text"><p>　　本报记者  甲  乙</p><p>{PARA}</p>
        <p>（责任编辑：丙丁、戊  己）</p></div></div>""", "<title>标题--时政--人民网</title>"))
    assert art.template == "people_n"
    assert (art.title, art.pre_title, art.subtitle) == ("二〇一三年的标题", "引题一行", "副题一行")
    assert art.published_at == "2013-12-27T09:10:00+08:00"
    assert (art.source, art.source_url) == ("人民日报", "http://paper.people.com.cn/")
    assert art.authors == ["甲乙"] and art.editors == ["丙丁", "戊己"]
    assert art.paragraphs == [PARA.strip("　")]


def test_photo_table_caption():
    art = parse_article("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", page(f"""
      <div class="rm_txt cf"><div class="col-1"><h1>标题</h1></div></div>
      <div class="rm_txt_con"><p>{PARA}</p>
      <table class="pci_c"><tr><td><img src="/NMediaFile/2024/0225/t.jpg"></td></tr>
      <tr><td>雄安新区一角。新华社记者 某某 摄</td></tr></table></div>"""))
    assert [(i.src, i.caption, i.credit) for i in art.images] == [(
        "http://he.people.com.cn/NMediaFile/2024/0225/t.jpg", "雄安新区一角。新华社记者 某某 摄",
        "新华社记者 某某")]
    assert "<figcaption>雄安新区一角。新华社记者 某某 摄</figcaption>" in art.body_html


OTHER_OUTLET = page(f"""
  <div class="header"><a href="/">首页</a> <a href="/news/">新闻</a></div>
  <div class="article">
    <h1>河北一地建成城乡公交一体化网络</h1>
    <div class="info">2024-02-26 08:30:15　来源：河北新闻网　作者：记者甲乙</div>
    <div class="content">
      <p>{PARA}</p>
      <p>　　今年以来，当地新开通城乡公交线路十余条，覆盖全部行政村，村民进城更加方便。</p>
      <p>　　据介绍，下一步将推动与北京、天津的公交线路衔接，方便群众跨区域出行。详见<a href="http://he.people.com.cn/n2/2024/0225/c192235-40745301.html">相关报道</a>。</p>
    </div>
    <div class="editor">责任编辑：丙丁</div>
  </div>""", "<title>河北一地建成城乡公交一体化网络_河北新闻网</title>")


def test_other_outlet_goes_to_the_generic_reader():
    art = parse_article("http://hebei.hebnews.cn/2024-02/26/content_9147123.htm", OTHER_OUTLET)
    assert (art.template, art.confidence) == ("generic", 0.5)
    assert art.title == "河北一地建成城乡公交一体化网络"
    assert (art.published_at, art.date_method) == ("2024-02-26T08:30:15+08:00", "date_line")
    assert art.source == "河北新闻网" and art.authors == ["甲乙"] and art.editors == ["丙丁"]
    assert len(art.paragraphs) == 3 and art.paragraphs[0] == PARA.strip("　")
    assert art.content_id == "9147123" and art.id == art.url
    assert [(x.url, x.kind) for x in art.links] == [
        ("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", "body")]


def test_a_people_cn_page_of_unknown_shape_goes_to_the_template_blind_reader():
    art = parse_article("http://jjj.people.com.cn/n1/2024/0226/c1-40100001.html", OTHER_OUTLET)
    assert (art.template, art.id) == ("cues", "jjj-40100001")
    assert art.title == "河北一地建成城乡公交一体化网络"
    assert (art.published_at, art.date_method) == ("2024-02-26T08:30:15+08:00", "date_line")
    assert art.source == "河北新闻网" and art.authors == ["甲乙"] and art.editors == ["丙丁"]
    assert len(art.paragraphs) == 3 and art.paragraphs[0] == PARA.strip("　")


@pytest.mark.parametrize("body", [
    page("<ul>" + "".join(f'<li><a href="/n1/2024/0226/c1-{n}.html">第{n}条新闻标题在这里</a></li>'
                          for n in range(30)) + "</ul>"),
    page(""),
    page("<h1>404 Not Found</h1><p>您访问的页面不存在</p>"),
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
    b"</channel></rss>",
], ids=["links-only", "empty", "404", "rss"])
def test_pages_that_are_not_articles(body):
    with pytest.raises(NotAnArticle):
        parse_article("http://www.people.com.cn/GB/59476/index.html", body)


def test_errors_are_typed_and_counted_by_kind():
    # the template's text block is empty, and no other block holds a paragraph
    with pytest.raises(PageError) as err:
        parse_article("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", page(
            '<h1>只有标题</h1><div class="rm_txt_con"></div>'
            + "".join(f"<p>页脚第{n}行</p>" for n in range(6)), "<title>只有标题</title>"))
    assert err.value.kind == "missing_field" and err.value.field_name == "body"
    with pytest.raises(NotAnArticle):  # no text at all
        parse_article("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html",
                      page('<div class="rm_txt_con"></div>', "<title>只有标题</title>"))


def test_a_template_marker_without_the_template_is_read_template_blind():
    # an old English page whose wrapper class the en reader knows, with the text outside it
    text = "Beijing, Tianjin and Hebei opened a joint office for their transport projects."
    art = parse_article("http://english.people.com.cn/200707/13/eng20070713_398801.html", page(
        '<div class="d2txt_con"></div><table><tr><td><b>Three places open a joint office</b>'
        f"</td></tr><tr><td>UPDATED: 09:10, July 13, 2007</td></tr><tr><td>{text}<br><br>"
        f"{text}<br><br>Source: Xinhua</td></tr></table>",
        "<title>People's Daily Online -- Three places open a joint office</title>"))
    assert (art.template, art.title, art.source) == (
        "cues", "Three places open a joint office", "Xinhua")
    assert art.paragraphs == [text, text] and art.published_at == "2007-07-13T09:10:00+08:00"


def test_2020_page_with_a_kicker_a_column_marker_and_a_closing_byline():
    art = parse_article("http://finance.people.com.cn/n1/2024/0305/c1004-40188001.html", page(f"""
      <div class="layout rm_txt cf"><div class="col col-1">
      <h3 class="pre">两会时间</h3><h1>三地联合发布新规（推动高质量发展·权威发布）</h1>
      <div class="author cf"></div>
      <div class="channel cf"><div class="col-1-1">2024年03月05日08:10 | 来源：<a href="http://paper.people.com.cn/">人民网-《人民日报》</a></div></div>
      <div class="rm_txt_con cf"><p>{PARA}</p><p>{PARA}</p>
        <p>　　相关新闻：<a href="http://he.people.com.cn/n2/2024/0225/c192235-40745301.html">另一篇报道</a></p>
        <p>　　（本报记者 王芳 李强）</p>
        <div class="edit cf">(责编：甲乙)</div></div></div></div>"""))
    assert (art.pre_title, art.series) == ("两会时间", None)
    assert art.column_name == "推动高质量发展·权威发布"
    assert (art.source_raw, art.source) == ("人民网-《人民日报》", "人民日报")
    assert art.paragraphs == [PARA.strip("　")] * 2
    assert art.byline == "本报记者 王芳 李强" and art.authors == ["王芳", "李强"]
    assert [(x.url, x.kind) for x in art.links] == [
        ("http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", "related")]
