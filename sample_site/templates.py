"""Render one sample article into people.cn markup: the 2020s template (div.rm_txt_con), the
2016 template (#rwb_zw), the 2012–15 /n/ template (#p_content, "n2013") or en.people.cn
(div.d2txtCon, "en"), as described in ../shared/reference/people-cn.md §4–§6 and §13.

The markup is the real sites' shape (class names, nesting, the widgets a reader must strip);
the words come from content/*.toml. Never put text from real people.cn pages here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

HOME = "http://www.people.com.cn/"
CHANNEL_HOMES = {
    "he.people.com.cn": "http://he.people.com.cn/",
    "bj.people.com.cn": "http://bj.people.com.cn/",
    "tj.people.com.cn": "http://tj.people.com.cn/",
}


@dataclass
class Page:
    """What one served HTML page shows (one page of a possibly multi-page article)."""

    url: str
    spec: dict
    paragraphs: list  # str (inline HTML) or {"img": src, "caption": text}
    page_no: int = 1
    page_urls: list[str] = field(default_factory=list)  # all pages, page 1 first
    related: list[tuple[str, str]] = field(default_factory=list)  # (href, anchor text)
    recommended: list[tuple[str, str, str]] = field(default_factory=list)  # href, title, summary


def _parts(url: str) -> tuple[str, str, str, str]:
    """host, yyyy, mmdd, 'c{catalog}-{id}' of an article URL."""
    parts = urlsplit(url)
    _, _, yyyy, mmdd, leaf = parts.path.split("/")
    return parts.hostname, yyyy, mmdd, leaf.removesuffix(".html")


def _ids(url: str) -> tuple[str, str]:
    leaf = _parts(url)[3]
    catalog, content_id = leaf[1:].split("-")[:2]
    return catalog, content_id


def _date_line(published: str) -> str:
    # "2024-02-25 18:19" → "2024年02月25日18:19" (the site prints no time zone)
    day, hm = published.split(" ")
    y, m, d = day.split("-")
    return f"{y}年{m}月{d}日{hm}"


def _head(page: Page, declared: str, stylesheet: str) -> str:
    s = page.spec
    catalog, content_id = _ids(page.spec["url"])
    first_text = next((p for p in page.paragraphs if isinstance(p, str)), "")
    description = escape(_strip_tags(first_text)[:80])
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="content-type" content="text/html;charset={declared}"/>
<meta http-equiv="Content-Language" content="utf-8" />
<meta content="all" name="robots" />
<title>{escape(s["title"])}--{escape(s.get("channel", "人民网"))}--人民网 </title>
<meta name="keywords" content="{escape(s.get("keywords", ""))}" />
<meta name="description" content="{description}" />
<meta name="copyright" content="人民网版权所有" />
<meta name="filetype" content="0">
<meta name="publishedtype" content="1">
<meta name="pagetype" content="1">
<meta name="catalogs" content="{catalog}">
<meta name="contentid" content="{content_id}">
<meta name="publishdate" content="{s["published"][:10]}">
<meta name="author" content="1050{content_id[-2:]}">
<meta name="editor" content="">
<meta name="source" content="来源：{escape(s["source"])}">
<meta name="sourcetype" content="">
<link href="http://www.people.com.cn/img/{stylesheet}" type="text/css" rel="stylesheet" media="all" />
<script src="http://www.people.com.cn/img/2016wb/jquery.min.js" type="text/javascript"></script>
</head>
"""


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text).strip("\u3000 ")


def _crumbs(page: Page) -> str:
    s = page.spec
    host = _parts(page.url)[0]
    crumbs = [f'<a href="{HOME}" class="clink">人民网</a>']
    if s.get("channel"):
        home = CHANNEL_HOMES.get(host, f"http://{host}/")
        crumbs.append(f'<a href="{home}" class="clink">{escape(s["channel"])}</a>')
    if s.get("column"):
        crumbs.append(
            f'<a href="http://{host}/GB/197051/379555/index.html" class="clink">'
            f"{escape(s['column'])}</a>"
        )
    return "&gt;&gt;".join(crumbs)


def _body(page: Page, image_p: str, caption_p: str, link_images: bool) -> str:
    out = []
    for para in page.paragraphs:
        if isinstance(para, str):
            out.append(f"<p{_indent(image_p)}>{para}</p>")
            continue
        img = f'<img alt="" src="{escape(para["img"])}" width="600" height="400" />'
        if link_images:  # the 2016 template wraps photos in a link to the next page
            img = f'<a href="{escape(page.page_urls[-1] if page.page_urls else page.url)}">{img}</a>'
        out.append(f'<p style="text-align: center;">{img}</p>')
        if para.get("caption"):
            out.append(f"<p {caption_p}>{escape(para['caption'])}</p>")
    if page.spec.get("video") and page.page_no == 1:
        out.append(
            '<p style="text-align: center;"><script>showPlayer({id:"pv1",width:600,'
            'height:338,showid:"true"});</script></p>'
        )
        out.append(
            '<p style="text-align: center;"><script src="http://video.people.cn/people-video.js" '
            'data-vid="pv2"></script><video src="http://video.people.cn/v/pv2.mp4" controls>'
            '</video></p>'
        )
    if page.spec.get("print_edition") and page.page_no == max(1, len(page.page_urls)):
        # the print-edition note closes the text of a 人民日报 piece (reference §5)
        out.append(f'<p>　　<span id="paper_num">{escape(page.spec["print_edition"])}</span></p>')
    return "\n".join(out)


def _indent(style: str) -> str:
    return f' style="{style}"' if style else ""


def _pager(page: Page) -> str:
    """div.zdfy: empty on single pages, 【1】【2】… links on multi-page articles."""
    if len(page.page_urls) < 2:
        return (
            '<div class="zdfy clearfix"></div><center><table border="0" align="center" '
            'width="40%"><tr></tr></table></center>'
        )
    links = "".join(
        f'<a href="{urlsplit(u).path}">【{n}】</a>' for n, u in enumerate(page.page_urls, 1)
    )
    nxt = ""
    if page.page_no < len(page.page_urls):
        nxt = (
            f'<td width="50%" align="center"><a href="{urlsplit(page.page_urls[page.page_no]).path}">'
            '<img src="http://www.people.com.cn/img/next_b.gif" border="0" /></a></td>'
        )
    return (
        f'<div class="zdfy clearfix">{links}</div><center><table border="0" align="center" '
        f'width="40%"><tbody><tr>{nxt}</tr></tbody></table></center>'
    )


def _editors(spec: dict) -> str:
    return f"(责编：{escape('、'.join(spec.get('editors', [])))})"


def _related_box(page: Page) -> str:
    """相关新闻 as a box of its own under the text (a regional habit the template's map does
    not name: `related_box = true` in a content file)."""
    items = "".join(f'<li><a href="{escape(href)}" target="_blank">{escape(text)}</a></li>'
                    for href, text in page.related)
    return f'<div class="rm_relevant rm_news cf"><h5><span></span>相关新闻</h5><ul>{items}</ul></div>'


def _hidden_original_title(page: Page) -> str:
    """An 原标题 line the page hides with an inline style (`original_title_hidden = "inline"`)."""
    s = page.spec
    if s.get("original_title_hidden") != "inline" or page.page_no != 1:
        return ""
    return f'<p style="display:none;">原标题：{escape(s["original_title"])}</p>\n'


def render_2020(page: Page, declared: str) -> str:
    s = page.spec
    related = box = ""
    if page.related and s.get("related_box"):
        box = _related_box(page)
    elif page.related:
        items = "".join(
            f'<p>　　<a href="{escape(href)}" target="_blank">{escape(text)}</a></p>'
            for href, text in page.related
        )
        related = f"<p>　　<strong>【相关链接】</strong></p>{items}"
    recommended = ""
    if page.recommended:
        items = "".join(
            f'<dl class="cf"><dt><a href="{escape(href)}" target="_blank">{escape(title)}</a></dt>'
            f'<dd><a href="{escape(href)}" target="_blank">{escape(summary)}</a></dd></dl>'
            for href, title, summary in page.recommended
        )
        recommended = (
            f'<div class="rm_relevant rm_recommend cf"><h5><span></span>推荐阅读</h5>{items}</div>'
        )
    return _head(page, declared, "2020wbc/css/page202102.css") + f"""<body>
<div class="main">
    <div class="header cf"><div class="layout"><a href="http://www.people.cn" target="_blank"><img src="/img/2020wbc/imgs/logo.png" alt="人民网" title="人民网" /></a></div></div>
    <div class="layout route cf" id="rwb_navpath">
        {_crumbs(page)}
    </div>
    <div class="layout rm_txt cf">
        <div class="col col-1">
            <h3 class="pre">{escape(s.get("pre_title", ""))}</h3>
            <h1>{escape(s["title"])}</h1>
            <h4 class="sub">{escape(s.get("subtitle", ""))}</h4>
            <div class="author cf">{escape(s.get("byline", ""))}</div>
            <div class="channel cf">
                <div class="col-1-1">
                    {_date_line(s["published"])} | 来源：<a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a>
                </div>
                <div class="col-1-2 fr">
                    <span class="rm_type"><img src="/img/2020wbc/imgs/icon_type.png" alt=""><i>小字号</i></span>
                </div>
            </div>
            <div class="rm_txt_con cf">
                <div class="bza"><span></span><p></p></div>
                <div class="box_pic"></div>
{_hidden_original_title(page)}{_body(page, "", 'style="text-align: center;"', link_images=False)}
{related}
                {_pager(page)}
                <div class="box_pic"></div>
                <div class="edit cf">{_editors(s)}</div>
                <div class="tjewm"><img src="/img/2020wbc/imgs/ewm_rmw.png" alt=""><p>扫码下载人民网+客户端，随时随地看新闻</p></div>
                <p class="paper_num"><em class="section-common-share-wrap">分享让更多人看到 <i class="btn_share_common"><img src="/img/2020wbc/imgs/share.png" alt=""></i> </em></p>
            </div>
            {box}{recommended}
            <div class="rm_relevant rm_download cf">
                <h5><span></span>客户端下载</h5>
                <ul><li><a href="http://www.people.com.cn/GB/123231/365206/index.html" target="_blank"><img src="/img/2020wbc/imgs/icon_download_rmrb.png" width="70" height="70" alt="">人民日报</a></li></ul>
            </div>
        </div>
        <div class="col col-2 fr" style="display:none;"><div id="jiansuo"></div></div>
    </div>
    <div class="rm_footer cf"><div class="layout information cf">
        <p><a href="http://www.people.com.cn/GB/50142/420117/index.html" target="_blank">关于人民网</a><span class="xian">|</span><a href="http://www.people.com.cn/n/2013/1227/c373005-23961344.html" target="_blank">网站声明</a></p>
        <p class="copyright">人民网股份有限公司版权所有，未经书面授权禁止使用</p>
    </div></div>
</div>
<script src="http://www.people.com.cn/img/2020wbc/js/share2020.js" type="text/javascript"></script>
</body>
</html>
"""


def render_2016(page: Page, declared: str) -> str:
    s = page.spec
    _, content_id = _ids(s["url"])
    recommended = ""
    if page.recommended:
        items = "".join(
            f'<div class="hdNews clearfix"><p><a href="{escape(href)}" target="_blank">'
            f'<img src="/NMediaFile/2016/0101/MAIN2016010100000{n}.jpg" width="215" height="145" '
            f'border="0" alt="{escape(title)}"></a><strong>{escape(title)}</strong>{escape(summary)}'
            f'<i class="red"><a target="_blank" href="{escape(href)}">【详细】</a></i></p></div>'
            for n, (href, title, summary) in enumerate(page.recommended)
        )
        recommended = (
            f'<div id="rwb_tjyd"><div class="clearfix box_read"><h2>推荐阅读</h2>{items}</div></div>'
        )
    related = ""
    if page.related:
        items = "".join(
            f'<li><a href="{escape(href)}" target="_blank">{escape(text)}</a></li>'
            for href, text in page.related
        )
        related = (
            f'<div id="rwb_xgxw"><div class="clearfix box_news"><h2>相关新闻</h2><ul>{items}</ul>'
            "</div></div>"
        )
    indent = "text-indent: 2em;"
    return _head(page, declared, "2016wb/page2018.css") + f"""<body>
<div class="clearfix w1000_320 path path2 pos_re_search">
    <div class="fl"><span id="rwb_navpath">{_crumbs(page)}</span></div>
    <div class="fr"><form action="http://search.people.cn/" method="get" target="_blank"><p class="tc"><input type="submit" value="站内检索" class="people_button_sub"></p></form></div>
</div>
<div class="clearfix w1000_320 text_title">
	<h3 class="pre">{escape(s.get("pre_title", ""))}</h3>
	<h1>{escape(s["title"])}</h1>
	<h4 class="sub">{escape(s.get("subtitle", ""))}</h4>
    <p class="author">{escape(s.get("byline", ""))}</p>
   <div class="box01">
      <div class="fl">{_date_line(s["published"])}&nbsp;&nbsp;来源：<a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a></div>
      <div class="fr">
         <div class="fx"><div id="ops_share"><div class="ops_shareLayer"><span class="ops_tit">分享到：</span></div></div>
         <script src="http://www.people.com.cn/img/2016wb/share_qr.min.js" charset="utf-8"></script></div>
         <div class="message" id="rwb_bbstop"><a href="http://bbs1.people.com.cn/postLink.do?nid={content_id}" target="_blank"><img src="http://www.people.com.cn/img/2016wb/images/icon04.jpg" width="29" height="23"></a>&nbsp;</div>
      </div>
   </div>
</div>
<div class="clearfix w1000_320 text_con">
   <div class="fl text_con_left">
      <div class="box_con" id="rwb_zw">
        <div class="box_pic"></div>
{_body(page, indent, f'style="{indent} text-align: center;"', link_images=True)}
{_pager(page)}
        <div class="box_pic"></div>
        <div class="edit clearfix">{_editors(s)}</div>
      </div>
      <script type="text/javascript">picbig();function picbig(){{ if($(window).width() < 415){{ $(".box_con p img").css("width","auto"); }} }}</script>
      <div class="box_down clearfix"><div class="fl"><span id="rwb_khd"><a href="http://www.people.com.cn/GB/123231/365206/index.html" target="_blank">人民日报客户端下载</a></span></div></div>
       <!--相关专题-->
       <!--相关专题 end-->
       {recommended}
       {related}
   </div>
   <div class="fr text_con_right"><div class="clearfix box_ewm"><p class="a3"><a href="http://m.people.cn/" target="_blank">手机人民网</a></p></div></div>
</div>
<div class="w1000_320 copyright"><p>人民网股份有限公司版权所有，未经书面授权禁止使用</p></div>
</body>
</html>
"""


def render_n2013(page: Page, declared: str) -> str:
    """The 2012–2015 /n/ template (reference §4, reported markup): div.text_c with h1#p_title,
    an h5 date line holding span#p_publishtime and span#p_origin, the text in
    div.show_text#p_content (the byline as its first paragraph, as print pieces had it), the
    editor line div.edit#p_editor "(责任编辑：…)", then a 相关新闻 list."""
    s = page.spec
    byline = ""
    if s.get("byline") and page.page_no == 1:
        byline = f"<p>　　{escape(s['byline'])}</p>\n"
    related = ""
    if page.related:
        items = "".join(f'<li><a href="{escape(href)}" target="_blank">{escape(text)}</a></li>'
                        for href, text in page.related)
        related = f'<div class="relevant clearfix"><h2>相关新闻</h2><ul>{items}</ul></div>'
    return _head(page, declared, "2012wb/css/page.css") + f"""<body>
<div class="w1000 clearfix path"><span id="rwb_navpath">{_crumbs(page)}</span></div>
<div class="w1000 clearfix">
  <div class="text_c left">
    <h3>{escape(s.get("pre_title", ""))}</h3>
    <h1 id="p_title">{escape(s["title"])}</h1>
    <h4>{escape(s.get("subtitle", ""))}</h4>
    <h5><span id="p_publishtime">{_date_line(s["published"])}</span>&nbsp;&nbsp;来源：<span id="p_origin"><a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a></span></h5>
    <div class="fx" id="ops_share"><span class="ops_tit">分享到：</span></div>
    <div class="show_text" id="p_content">
{byline}{_body(page, "", 'style="text-align: center;"', link_images=False)}
{_pager(page)}
      <div class="edit clearfix" id="p_editor">(责任编辑：{'、'.join(s.get('editors', []))})</div>
    </div>
    {related}
  </div>
  <div class="right"><div class="ewm"><img src="http://www.people.com.cn/img/2012wb/images/ewm.jpg" alt="" /></div></div>
</div>
<div class="w1000 copyright"><p>人民网版权所有，未经书面授权禁止使用</p></div>
</body>
</html>
"""


def render_en(page: Page, declared: str) -> str:
    """en.people.cn (reference §13): div.w860.d2txtCon holds crumbs, h1, div.origin (source
    link, optional "By …", time), the paragraphs, photos with <em> captions, and div.editor."""
    s = page.spec
    host, *_ = _parts(page.url)
    by = f'By {escape(s["byline"])} ' if s.get("byline") else ""
    hh, mm = s["published"].split(" ")[1].split(":")
    y, mo, d = s["published"].split(" ")[0].split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    when = f"{hh}:{mm}, {months[int(mo) - 1]} {int(d):02d}, {y}"
    out = []
    for para in page.paragraphs:
        if isinstance(para, str):
            out.append(f"<p>\n\t{para}</p>")
            continue
        out.append(f'<p style="text-align: center;">\n\t<img alt="" src="{escape(para["img"])}"></p>')
        if para.get("caption"):
            out.append(f"<p>\n\t<em>{escape(para['caption'])}</em></p>")
    related = ""
    if page.related:
        items = "".join(f'<li><a href="{escape(href)}" target="_blank">{escape(text)}</a></li>'
                        for href, text in page.related)
        related = f'<div class="w860 d2_related cf"><h3>Related Stories</h3><ul>{items}</ul></div>'
    editors = ", ".join(s.get("editors", []))
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="content-type" content="text/html;charset={declared}"/>
<title>{escape(s["title"])} - People's Daily Online</title>
<meta name="publishdate" content="{s["published"][:10]}">
<meta name="contentid" content="{_ids(s["url"])[1]}">
<meta name="source" content="Source: {escape(s["source"])}">
<link href="http://{host}/img/2020wb/css/d2.css" type="text/css" rel="stylesheet" />
</head>
<body>
<div class="w860 d2txtCon cf">
\t\t<div class="route cf">
\t\t\t<a href="http://{host}/" target="_blank">Home</a>&gt;&gt;<a href="http://{host}/90000/index.html" target="_blank">{escape(s.get("channel", "China"))}</a>
\t\t</div>
\t\t<h1>{escape(s["title"])}</h1>
\t\t<div class="origin cf"> {by}(<a href="{escape(s["source_url"])}">{escape(s["source"])}</a>) <span>{when}</span></div>
\t\t
{chr(10).join(out)}
\t\t<div class="editor">(Web editor: {escape(editors)})</div>
\t</div>
{related}
<div class="w860 copyright"><p>Copyright by People's Daily Online. All Rights Reserved.</p></div>
</body>
</html>
"""


RENDERERS = {"2020": render_2020, "2016": render_2016, "n2013": render_n2013, "en": render_en}
