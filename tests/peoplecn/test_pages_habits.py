"""Habits of the real site (issue 22), in both readers: text the page hides is never read (inline
style, <style> rules by tag, class and id, `hidden`, aria-hidden on a text block); 原标题 is a
field, never text; a closing byline after a box mark is the byline; a headless run of article
links after the last paragraph is related links — never navigation, never links in the text.
Each case is read by the template reader (as the crawler does) and by the template-blind reader
alone. Pages are built here in our own words.
"""

from __future__ import annotations

import pytest

from peoplecn.pages import parse_article, read_with
from peoplecn.pages.hidden import hiding_selectors

URL = "http://he.people.com.cn/n2/2024/0301/c192235-40750001.html"
TITLE = "京津冀三地联合发布文旅惠民举措"
TEXT = [
    "　　人民网石家庄3月1日电　记者从河北省文化和旅游厅获悉，京津冀三地近日联合推出一批"
    "文旅惠民举措，覆盖景区、博物馆和演出场所。",
    "　　按照安排，三地居民持有效证件即可在合作景区享受门票优惠，部分博物馆还将延长开放"
    "时间，方便游客错峰参观。",
    "　　有关负责人表示，三地将继续完善文旅合作机制，共同培育跨区域精品线路，让群众在协同"
    "发展中有更多获得感。",
]
OTHER = "http://bj.people.com.cn/n2/2024/0226/c82838-40748002.html"
ANOTHER = "http://tj.people.com.cn/n2/2024/0227/c375366-40749003.html"


def page(body: str, head: str = "", after: str = "") -> bytes:
    """A 2020s-template page (people_2020 claims it) with `body` as its text."""
    return f"""<html><head><meta charset="utf-8"><title>{TITLE}--河北频道--人民网</title>{head}
</head><body><div class="layout route cf" id="rwb_navpath">
<a href="http://www.people.com.cn/">人民网</a>&gt;&gt;<a href="http://he.people.com.cn/">河北频道</a></div>
<div class="layout rm_txt cf"><div class="col col-1"><h3 class="pre"></h3><h1>{TITLE}</h1>
<h4 class="sub"></h4><div class="author cf"></div>
<div class="channel cf"><div class="col-1-1">2024年03月01日09:30 | 来源：<a href="http://he.people.com.cn/">人民网-河北频道</a></div></div>
<div class="rm_txt_con cf">
{body}
<div class="edit cf">(责编：王一、李二)</div></div>{after}</div></div>
<div class="footer"><a href="http://www.people.com.cn/GB/50142/index.html">关于人民网</a></div>
</body></html>""".encode()


def text(*extra: str, at: int = 1) -> str:
    """The three paragraphs with `extra` markup inserted before paragraph `at`."""
    paras = [f"<p>{p}</p>" for p in TEXT]
    return "\n".join(paras[:at] + list(extra) + paras[at:])


def both(body: bytes):
    crawler = parse_article(URL, body, "text/html; charset=utf-8")
    assert crawler.template == "people_2020"
    return crawler, read_with("cues", URL, body, "text/html; charset=utf-8")


def plain(paragraphs) -> list[str]:
    return [p.strip("\u3000") for p in paragraphs]


# -- hidden text -----------------------------------------------------------------------------
HIDDEN = [
    ('<p style="display: none">隐藏的段落文字不是正文内容。</p>', ""),
    ('<p style="VISIBILITY:hidden">隐藏的段落文字不是正文内容。</p>', ""),
    ('<p class="note ot">隐藏的段落文字不是正文内容。</p>', "<style>.ot{display:none}</style>"),
    ('<p id="yt">隐藏的段落文字不是正文内容。</p>', "<style>\n#yt { display : none ; }\n</style>"),
    ("<blockquote><p>隐藏的段落文字不是正文内容。</p></blockquote>",
     "<style>blockquote{visibility:hidden}</style>"),
    ('<p hidden>隐藏的段落文字不是正文内容。</p>', ""),
    ('<p aria-hidden="true">隐藏的段落文字不是正文内容。</p>', ""),
]


@pytest.mark.parametrize(("markup", "head"), HIDDEN)
def test_text_the_page_hides_is_never_read(markup, head):
    for art in both(page(text(markup), head)):
        assert plain(art.paragraphs) == plain(TEXT), art.template
        assert "不是正文" not in art.body_html


def test_hidden_words_inside_a_paragraph_leave_its_text_and_its_html():
    body = text('<p>三地还将互认文旅年卡<span style="display:none">（内部备注）</span>。</p>')
    for art in both(page(body)):
        assert "三地还将互认文旅年卡。" in art.paragraphs
        assert "内部备注" not in art.body and "内部备注" not in art.body_html


def test_rules_for_other_screens_and_other_selectors_hide_nothing():
    css = "@media print { p { display: none } } .share .ot { display:none } p { color: #333 }"
    for art in both(page(text('<p class="ot">三地将联合发布文旅地图，方便游客出行。</p>'),
                         f"<style>{css}</style>")):
        assert len(art.paragraphs) == 4, art.template
    assert hiding_selectors(css) == []
    assert hiding_selectors("/* a */ .a, #b, p.c { display:none } @media x { .d { } }") == [
        ".a", "#b", "p.c"]


def test_aria_hidden_on_a_wrapper_of_blocks_is_not_a_hidden_text_block():
    # a page saved while a dialog was open carries aria-hidden on the whole text
    wrapped = f'<div aria-hidden="true">{text()}</div>'
    for art in both(page(wrapped)):
        assert plain(art.paragraphs) == plain(TEXT)


# -- 原标题 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("markup", [
    "<p>　　原标题：三地文旅惠民举措发布</p>",
    '<p style="display:none;">原标题：三地文旅惠民举措发布</p>',
    "<p>（原标题：三地文旅惠民举措发布）</p>",
])
def test_the_original_title_is_a_field_never_text(markup):
    for art in both(page(text(markup, at=0))):
        assert art.original_title == "三地文旅惠民举措发布", art.template
        assert plain(art.paragraphs) == plain(TEXT)
        assert "原标题" not in art.body_html


# -- closing bylines ---------------------------------------------------------------------------
@pytest.mark.parametrize("mark", ["□", "■", "◎", "●", "□　"])
def test_a_closing_byline_after_a_box_mark_is_the_byline(mark):
    for art in both(page(text(f"<p>{mark}本报记者 王芳 通讯员 李强</p>", at=3))):
        assert art.byline == "本报记者 王芳 通讯员 李强", art.template
        assert [(c["name"], c["role"]) for c in art.contributors] == [
            ("王芳", "本报记者"), ("李强", "通讯员")]
        assert plain(art.paragraphs) == plain(TEXT)


def test_a_bullet_paragraph_is_text_not_a_byline():
    bullet = "<p>● 本报记者在三地走访时看到，文旅合作项目已陆续落地见效。</p>"
    for art in both(page(text(bullet, at=3))):
        assert art.byline is None and len(art.paragraphs) == 4


# -- headless runs of links --------------------------------------------------------------------
def run(*hrefs: str, sep: str = "<br />") -> str:
    return sep.join(f'<b><a href="{h}" target="_blank">另一篇相关报道</a></b>' for h in hrefs)


def related(art) -> list[str]:
    return [x.url for x in art.links if x.kind == "related"]


@pytest.mark.parametrize("markup", [
    f"<p>{run(OTHER, ANOTHER)}</p>",  # one paragraph, <br> between the links
    f"<p>{run(OTHER)}</p><p>{run(ANOTHER)}</p>",  # a paragraph each
    f"<br />{run(OTHER, ANOTHER)}<br />",  # straight in the text container
])
def test_a_headless_run_of_article_links_after_the_text_is_related(markup):
    crawler, cues = both(page(text(markup, at=3)))
    for art in (crawler, cues):
        assert related(art) == [OTHER, ANOTHER], art.template
        assert plain(art.paragraphs) == plain(TEXT)


def test_navigation_after_the_text_is_not_related():
    nav = ('<p><a href="http://he.people.com.cn/">返回首页</a><br /><a href="http://he.people.com.cn/'
           'GB/197034/index.html">更多时政新闻</a></p>')
    for art in both(page(text(nav, at=3))):
        assert related(art) == [], art.template


def test_links_between_paragraphs_are_not_related():
    crawler, cues = both(page(text(f"<p>{run(OTHER)}</p>", at=2)))
    for art in (crawler, cues):
        assert related(art) == [], art.template
