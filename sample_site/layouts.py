"""Sample pages in layouts no page reader has a template for (issue 10), written the way
people.cn channels and generations print theirs: a health-channel layout, a finance-channel
layout, a regional (n2) layout in GBK, the 2000s English site and a 2000s /GB/ table page.

Each keeps what all people.cn pages share — the <title> with its "--" suffix, a date line,
来源：, an editor line, 相关新闻 headings — in its own container vocabulary, so the
template-blind reader (peoplecn/pages/cues.py) is what reads them. Words from content/*.toml.
"""

from __future__ import annotations

from html import escape

from sample_site.templates import Page, _date_line

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _head(page: Page, declared: str, title: str, extra: str = "", doctype: bool = True) -> str:
    s = page.spec
    start = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
             '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' if doctype else "")
    return f"""{start}<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={declared}" />
<title>{escape(title)}</title>
<meta name="keywords" content="{escape(s.get("keywords", ""))}" />
{extra}</head>
"""


def _paragraphs(page: Page, caption_attr: str = 'style="text-align: center;"',
                image_attr: str = 'style="text-align: center;"', tag: str = "p") -> str:
    out = []
    for para in page.paragraphs:
        if isinstance(para, str):
            out.append(f"<{tag}>{para}</{tag}>")
            continue
        out.append(f'<{tag} {image_attr}><img src="{escape(para["img"])}" border="0" '
                   f'alt="" /></{tag}>')
        if para.get("caption"):
            out.append(f"<{tag} {caption_attr}>{escape(para['caption'])}</{tag}>")
    return "\n".join(out)


def _items(links: list[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="{escape(h)}" target="_blank">{escape(t)}</a></li>'
                   for h, t in links)


def render_health2024(page: Page, declared: str) -> str:
    """A health-channel page: div.hl_* blocks, the byline a plain line under the headline,
    相关新闻 inside the text, "（责任编辑：…）" as its last paragraph, and the source and date
    line under the text."""
    s = page.spec
    related = (f'<p><strong>相关新闻：</strong></p><ul class="hl_xg">{_items(page.related)}</ul>'
               if page.related else "")
    return _head(page, declared, f'{s["title"]}--{s.get("channel", "健康")}--人民网') + f"""<body>
<div class="hl_topbar"><a href="http://www.people.com.cn/">人民网首页</a> | <a href="http://health.people.com.cn/">健康</a> | <a href="http://health.people.com.cn/GB/408564/index.html">科普</a> | <a href="http://health.people.com.cn/GB/408568/index.html">名医</a></div>
<div class="hl_wrap">
  <div class="hl_route">当前位置：<a href="http://www.people.com.cn/">人民网</a> &gt; <a href="http://health.people.com.cn/">{escape(s["channel"])}</a> &gt; 正文</div>
  <div class="hl_main">
    <div class="hl_headline">
      <h1>{escape(s["title"])}</h1>
      <h2>{escape(s.get("subtitle", ""))}</h2>
      <div class="hl_writer">{escape(s.get("byline", ""))}</div>
    </div>
    <div class="hl_fontsize"><a href="javascript:;">大字号</a> <a href="javascript:;">小字号</a></div>
    <div class="hl_article">
{_paragraphs(page)}
{related}
      <p>（责任编辑：{"、".join(s.get("editors", []))}）</p>
    </div>
    <div class="hl_info">来源：<a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a>　　发布时间：{_date_line(s["published"])}</div>
    <div class="hl_share">分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a></div>
  </div>
  <div class="hl_side">
    <div class="hl_box"><h3>热点排行</h3><ol><li><a href="http://health.people.com.cn/n1/2024/0311/c14739-40192001.html">春季过敏高发 专家提醒做好防护</a></li><li><a href="http://health.people.com.cn/n1/2024/0310/c14739-40191500.html">科学运动 远离慢性病</a></li></ol></div>
  </div>
</div>
<div class="hl_footer"><p>人民网版权所有，未经书面授权禁止使用</p><p>Copyright &copy; 1997-2024 by www.people.com.cn. all rights reserved</p></div>
<script src="http://health.people.com.cn/img/2024health/js/page.js"></script>
</body>
</html>
"""


def render_finance2024(page: Page, declared: str) -> str:
    """A finance-channel page: a kicker line above the headline, the date and source in spans,
    a closing byline in brackets, the print-edition note, a plain "责编：" line, and 相关新闻 /
    推荐阅读 as boxes (div.title, h3) under the text."""
    s = page.spec
    day, hm = s["published"].split(" ")
    related = (f'<div class="ar_box"><div class="title">相关新闻</div><ul>{_items(page.related)}'
               "</ul></div>" if page.related else "")
    recommended = ""
    if page.recommended:
        items = "".join(f'<li><a href="{escape(h)}" target="_blank">{escape(t)}</a>'
                        f"<span>{escape(summary)}</span></li>"
                        for h, t, summary in page.recommended)
        recommended = f'<div class="ar_box ar_rec"><h3>推荐阅读</h3><ul>{items}</ul></div>'
    edition = (f"<p>{escape(s['print_edition'])}</p>" if s.get("print_edition") else "")
    closing = f"<p>　　（{escape(s['byline'])}）</p>" if s.get("byline") else ""
    meta = '<meta property="og:title" content="' + escape(s["title"]) + '" />\n'
    return _head(page, declared, f'{s["title"]}--{s.get("channel", "财经")}--人民网', meta) + f"""<body>
<div class="ar_nav"><a href="http://finance.people.com.cn/">财经首页</a><a href="http://finance.people.com.cn/GB/70846/index.html">滚动</a><a href="http://finance.people.com.cn/GB/414330/index.html">锐财经</a></div>
<div class="ar_wrap">
  <div class="ar_crumbs"><a href="http://www.people.com.cn/">人民网</a> » <a href="http://finance.people.com.cn/">{escape(s["channel"])}</a></div>
  <div class="ar_header">
    <p class="ar_kicker">{escape(s.get("pre_title", ""))}</p>
    <h1>{escape(s["title"])}</h1>
    <div class="ar_meta"><span class="ar_time">{day} {hm}</span><span class="ar_source">来源：<a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a></span></div>
  </div>
  <div class="ar_body">
{_paragraphs(page)}
{closing}
{edition}
    <p class="ar_editor">责编：{"、".join(s.get("editors", []))}</p>
  </div>
  <div class="ar_share">分享让更多人看到</div>
  {related}
  {recommended}
</div>
<div class="ar_footer">人民网股份有限公司版权所有，未经书面授权禁止使用</div>
</body>
</html>
"""


def render_regional2022(page: Page, declared: str) -> str:
    """A regional (n2) page of its own vocabulary: the date and source line above the
    headline, a dash subtitle, the editor line in brackets, 相关链接 as a <dl>."""
    s = page.spec
    related = ""
    if page.related:
        items = "".join(f'<dd><a href="{escape(h)}" target="_blank">{escape(t)}</a></dd>'
                        for h, t in page.related)
        related = f'<dl class="d2_links"><dt>相关链接</dt>{items}</dl>'
    return _head(page, declared, f'{s["title"]}--{s["channel"]}--人民网') + f"""<body>
<div class="d2_top"><div class="d2_logo"><a href="http://tj.people.com.cn/"><img src="/img/2022tj/logo.png" alt="" /></a></div>
<div class="d2_nav"><a href="http://tj.people.com.cn/GB/375555/index.html">天津要闻</a> <a href="http://tj.people.com.cn/GB/375547/index.html">今日天津</a> <a href="http://tj.people.com.cn/GB/375550/index.html">区县新闻</a></div></div>
<div class="d2_place"><a href="http://www.people.com.cn/">人民网</a>&gt;&gt;<a href="http://tj.people.com.cn/">{escape(s["channel"])}</a></div>
<div class="d2_main">
  <div class="d2_left">
    <div class="d2_time">{_date_line(s["published"])}&nbsp;&nbsp;来源：<a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a></div>
    <h1>{escape(s["title"])}</h1>
    <h3>{escape(s.get("subtitle", ""))}</h3>
    <div class="d2_text">
{_paragraphs(page)}
    </div>
    <div class="d2_bj">(责编：{"、".join(s.get("editors", []))})</div>
    {related}
  </div>
  <div class="d2_right"><div class="d2_hot"><h4>图片新闻</h4><ul><li><a href="http://tj.people.com.cn/n2/2022/0815/c375366-38650012.html"><img src="/NMediaFile/2022/0815/LOCAL2022081500001.jpg" width="120" height="80" alt="" />海河夜景</a></li></ul></div></div>
</div>
<div class="d2_foot">人民网版权所有，未经书面授权禁止使用</div>
</body>
</html>
"""


def render_en2007(page: Page, declared: str) -> str:
    """english.people.com.cn in the 2000s: nested tables, "UPDATED: 08:51, July 12, 2007" above
    the headline in <b>, "By …" under it, paragraphs broken by <br><br> in one cell, then
    "Source: …", and a "Related News" cell."""
    s = page.spec
    day, hm = s["published"].split(" ")
    y, mo, d = day.split("-")
    when = f"{hm}, {MONTHS[int(mo) - 1]} {int(d)}, {y}"
    text = "<br><br>\n".join(p for p in page.paragraphs if isinstance(p, str))
    related = "".join(f'<a href="{escape(h)}">{escape(t)}</a><br>' for h, t in page.related)
    related_cell = (f'<table width="100%" class="rel"><tr><td><b>Related News</b></td></tr>'
                    f"<tr><td>{related}</td></tr></table>" if page.related else "")
    by = f'<p>By {escape(s["byline"])}</p>' if s.get("byline") else ""
    return _head(page, declared, f"People's Daily Online -- {s['title']}", doctype=False) + f"""<body bgcolor="#ffffff">
<table width="760" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td><a href="http://english.people.com.cn/"><img src="/img/pd_logo.gif" width="300" height="60" border="0" alt="People's Daily Online"></a></td></tr>
<tr><td class="navbar"><a href="http://english.people.com.cn/">Home</a> &gt;&gt; <a href="http://english.people.com.cn/china/">{escape(s["channel"])}</a></td></tr>
</table>
<table width="760" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td width="540" valign="top">
<p><font size="1">UPDATED: {when}</font></p>
<p><b><font size="4">{escape(s["title"])}</font></b></p>
{by}
<table width="100%"><tr><td class="fbody">
{text}<br><br>
Source: {escape(s["source"])}
</td></tr></table>
{related_cell}
<p><a href="javascript:window.print()">Print</a> | <a href="mailto:?subject=People's Daily Online">Mail to a friend</a></p>
</td>
<td width="20"></td>
<td width="200" valign="top"><table width="100%"><tr><td><b>Most Popular</b></td></tr>
<tr><td><a href="http://english.people.com.cn/200707/11/eng20070711_398001.html">Summer grain harvest up</a><br><a href="http://english.people.com.cn/200707/11/eng20070711_398122.html">New rules for the stock market</a></td></tr></table></td>
</tr></table>
<p align="center">Copyright by People's Daily Online, all rights reserved</p>
</body>
</html>
"""


def render_gb2009(page: Page, declared: str) -> str:
    """A 2000s /GB/ page: tables, upper-case tags, the headline in a <FONT>, "作者：" under the
    date line, <P align=center> photos and captions, 【相关新闻】 links inside the text cell,
    the editor line in a right-aligned cell."""
    s = page.spec
    related = ""
    if page.related:
        links = "<BR>".join(f'<A href="{escape(h)}" target="_blank">{escape(t)}</A>'
                            for h, t in page.related)
        related = f"<P>【相关新闻】<BR>{links}</P>"
    paragraphs = _paragraphs(page, caption_attr="align=center", image_attr="align=center",
                             tag="P")
    return _head(page, declared, f'{s["title"]}--{s["channel"]}--人民网') + f"""<BODY leftMargin=0 topMargin=0>
<TABLE width=950 align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD><A href="http://he.people.com.cn/"><IMG src="/img/he2009/logo.gif" width=200 height=60 border=0></A></TD>
<TD class=nav><A href="http://he.people.com.cn/GB/197034/index.html">时政</A> | <A href="http://he.people.com.cn/GB/197037/index.html">经济</A> | <A href="http://he.people.com.cn/GB/197039/index.html">社会</A></TD></TR>
</TABLE>
<TABLE width=950 align=center border=0><TR><TD class=p12>您现在的位置：<A href="http://www.people.com.cn/">人民网</A>&gt;&gt;<A href="http://he.people.com.cn/">{escape(s["channel"])}</A></TD></TR></TABLE>
<TABLE width=950 align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD width=650 vAlign=top>
  <TABLE width="100%" border=0>
  <TR><TD align=center height=50><FONT style="FONT-SIZE: 20px" color=#000000><B>{escape(s["title"])}</B></FONT></TD></TR>
  <TR><TD align=center class=p12>{_date_line(s["published"])}　　来源：<A href="{escape(s["source_url"])}" target=_blank>{escape(s["source"])}</A></TD></TR>
  <TR><TD align=center class=p12>作者：{escape(s.get("byline", ""))}</TD></TR>
  <TR><TD class=fbody>
{paragraphs}
{related}
  </TD></TR>
  <TR><TD align=right>（责任编辑：{"、".join(s.get("editors", []))}）</TD></TR>
  <TR><TD align=center>【<A href="javascript:window.close()">关闭窗口</A>】【<A href="javascript:window.print()">打印本页</A>】</TD></TR>
  </TABLE>
</TD>
<TD width=20></TD>
<TD width=280 vAlign=top>
  <TABLE width="100%"><TR><TD><B>热点排行</B></TD></TR>
  <TR><TD><A href="http://he.people.com.cn/GB/197034/8920001.html">省政府召开常务会议</A><BR><A href="http://he.people.com.cn/GB/197039/8919002.html">石家庄地铁规划公布</A></TD></TR></TABLE>
</TD></TR></TABLE>
<TABLE width=950 align=center><TR><TD align=center>人民网版权所有，未经书面授权禁止使用</TD></TR></TABLE>
</BODY>
</HTML>
"""


def render_gb2008(page: Page, declared: str) -> str:
    """A 2000s /GB/ table page (issue 22): the page's <style> hides the 原标题 line by its id,
    a text block is marked aria-hidden, the byline closes the text after a box mark (□), and
    related news is a headless run of bold links separated by <br> at the end of the text
    cell."""
    s = page.spec
    texts = [f"<P>{p}</P>" for p in page.paragraphs if isinstance(p, str)]
    texts.insert(2, '<DIV aria-hidden="true">手机看新闻 请扫描二维码</DIV>')
    run = "<BR>".join(f'<B><A href="{escape(h)}" target=_blank>{escape(t)}</A></B>'
                      for h, t in page.related)
    style = ("<STYLE type=text/css>\nBODY { MARGIN: 0px }\n#ybt { DISPLAY: none }\n"
             ".p12 { FONT-SIZE: 12px }\n</STYLE>\n")
    text = "\n".join(texts)
    return _head(page, declared, f'{s["title"]}--{s["channel"]}--人民网', style) + f"""<BODY>
<TABLE width=778 align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD><A href="http://tj.people.com.cn/"><IMG src="/img/tj2008/logo.gif" width=180 height=50 border=0></A></TD>
<TD class=p12><A href="http://tj.people.com.cn/GB/154832/index.html">天津要闻</A> | <A href="http://tj.people.com.cn/GB/154833/index.html">经济</A></TD></TR>
</TABLE>
<TABLE width=778 align=center border=0><TR><TD class=p12><A href="http://www.people.com.cn/">人民网</A>&gt;&gt;<A href="http://tj.people.com.cn/">{escape(s["channel"])}</A></TD></TR></TABLE>
<TABLE width=778 align=center border=0 cellPadding=0 cellSpacing=0>
<TR><TD width=560 vAlign=top>
  <TABLE width="100%" border=0>
  <TR><TD align=center><FONT style="FONT-SIZE: 18px"><B>{escape(s["title"])}</B></FONT></TD></TR>
  <TR><TD align=center class=p12>{_date_line(s["published"])}　　来源：<A href="{escape(s["source_url"])}" target=_blank>{escape(s["source"])}</A></TD></TR>
  <TR><TD class=fbody>
<P id=ybt>原标题：{escape(s["original_title"])}</P>
{text}
<P>□ {escape(s["byline"])}</P>
{run}
  </TD></TR>
  <TR><TD align=right>（责任编辑：{"、".join(s.get("editors", []))}）</TD></TR>
  </TABLE>
</TD>
<TD width=18></TD>
<TD width=200 vAlign=top><TABLE width="100%"><TR><TD><B>图片新闻</B></TD></TR>
<TR><TD><A href="http://tj.people.com.cn/GB/154832/7510001.html">海河两岸夜景</A></TD></TR></TABLE></TD>
</TR></TABLE>
<TABLE width=778 align=center><TR><TD align=center class=p12>人民网版权所有，未经书面授权禁止使用</TD></TR></TABLE>
</BODY>
</HTML>
"""


RENDERERS = {
    "health2024": render_health2024,
    "finance2024": render_finance2024,
    "regional2022": render_regional2022,
    "en2007": render_en2007,
    "gb2009": render_gb2009,
    "gb2008": render_gb2008,
}
