"""The body as HTML is safe whatever the page holds: hostile markup inside a people.cn body
leaves no script, no event handler and no javascript:/data: URL in `body_html`, and none of its
text in `paragraphs`."""

from __future__ import annotations

import re

from peoplecn.pages import parse_article
from peoplecn.pages.sanitize import clean_html

URL = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"
HOSTILE = """
<p onclick="alert(1)" style="color:red">　　第一段<strong>加粗</strong>
<em onmouseover="x()">强调</em>，
<a href="javascript:alert(2)">坏链接</a><a href=" JaVaScRiPt:alert(3)">坏链接二</a>
<a href="/n2/2024/0224/c192235-40744627.html" onfocus="y()">好链接</a></p>
<p style="text-align: center;"><img src="/NMediaFile/2024/0225/a.jpg" onerror="alert(4)"></p>
<p style="text-align: center;">图片说明。人民网记者 张三摄</p>
<p><img src="javascript:alert(5)"><img src="data:image/png;base64,AAAA"></p>
<p>第二段<script>document.write("注入的脚本文字")</script><style>p{}</style></p>
<h3 onclick="z()">小标题</h3>
<p><iframe src="http://evil.example/"></iframe>
<svg onload="alert(6)"><text>svg文字</text></svg>第三段</p>
<p><object data="x.swf"></object>第四段</p>
<form action="javascript:a()"><p><input value="表单">表单里的段落</p></form>
<div class="tjewm"><img src="/img/ewm.png"><p>扫码关注</p></div>
<p><span id="paper_num">《 人民日报 》（ 2024年02月26日 01 版）</span></p>
"""
PAGE = f"""<html><head><meta charset="utf-8"><title>标题--河北频道--人民网</title></head><body>
<div class="layout rm_txt cf"><div class="col col-1"><h1>标题</h1>
<div class="channel cf"><div class="col-1-1">2024年02月25日18:19 | 来源：
<a href="javascript:evil()">人民网</a></div></div>
<div class="rm_txt_con cf">{HOSTILE}<div class="edit cf">(责编：甲乙、丙丁)</div></div>
</div></div></body></html>"""


def test_hostile_markup_is_neutralised():
    art = parse_article(URL, PAGE.encode())
    html = art.body_html
    for bad in ("<script", "<style", "<iframe", "<svg", "<object", "<form", "<input",
                "onclick", "onerror", "onmouseover", "onfocus", "onload", "javascript:",
                "JaVaScRiPt", "data:", "alert", "style=", "注入的脚本文字", "svg文字", "表单里",
                "扫码", "paper_num", "责编"):
        assert bad.lower() not in html.lower(), bad
    assert '<a href="http://he.people.com.cn/n2/2024/0224/c192235-40744627.html">好链接</a>' \
        in html
    assert '<img src="http://he.people.com.cn/NMediaFile/2024/0225/a.jpg" alt="">' in html
    assert "<figcaption>图片说明。人民网记者 张三摄</figcaption>" in html
    assert "<h3>小标题</h3>" in html and "<strong>加粗</strong>" in html
    assert art.source_url is None  # a javascript: 来源 link is no link
    assert [i.src for i in art.images] == ["http://he.people.com.cn/NMediaFile/2024/0225/a.jpg"]
    assert art.images[0].credit == "人民网记者 张三"
    assert art.print_edition == "人民日报" and art.editors == ["甲乙", "丙丁"]
    text = "\n".join(art.paragraphs)
    for gone in ("注入的脚本文字", "扫码", "版）", "表单里的段落"):
        assert gone not in text
    assert re.sub(r"<[^>]+>", "", html).count("第") == 4  # 第一段 … 第四段


def test_clean_html_alone():
    out = clean_html('<p title="t" lang="zh"><a href="javascript:x()">a</a><img '
                     'src="//cdn.example/i.png" onerror="x()"><b onclick="y()">b</b></p>',
                     "https://he.people.com.cn/x")
    assert out == '<p><a>a</a><img src="https://cdn.example/i.png"><b>b</b></p>'
