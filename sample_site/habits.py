"""A sample page in markup a template reader claims, printed with habits of the real site the
template's selector map does not name (issue 22): a 2000s /GB/ page in the ids the 2012–15
template inherited (h1#p_title, #p_content), with a p.p1 pre-title, an 原标题 line hidden by the
page's own <style> rule, a hidden paragraph, a closing byline after a box mark and a headless
run of related links. The people_n reader claims it; the template-blind reader fills in what the
map cannot see (peoplecn/pages/agreement.py). Words from content/*.toml.
"""

from __future__ import annotations

from html import escape

from sample_site.layouts import _head
from sample_site.templates import Page, _date_line

# The page's own stylesheet: it hides the 原标题 line by its class; a print rule (inside
# @media, so not for the screen) would hide the whole text if a reader took it for one.
STYLE = """<style type="text/css">
.yt { display: none; }
#p_content p { text-indent: 2em; line-height: 1.8; }
@media print { #p_content { display: none; } }
</style>
"""


def _run(links: list[tuple[str, str]]) -> str:
    """Related articles as a headless run of bold links separated by <br>."""
    return "<br />".join(f'<b><a href="{escape(h)}" target="_blank">{escape(t)}</a></b>'
                         for h, t in links)


def render_gb2011(page: Page, declared: str) -> str:
    s = page.spec
    paragraphs = "\n".join(f"<p>{p}</p>" for p in page.paragraphs if isinstance(p, str))
    closing = f"<p>■ {escape(s['byline'])}</p>" if s.get("byline") else ""
    title = f'{s["title"]}--{s["channel"]}--人民网'
    return _head(page, declared, title, STYLE) + f"""<body>
<div class="w980 nav"><a href="http://bj.people.com.cn/">北京频道</a> | <a href="http://bj.people.com.cn/GB/82840/index.html">时政</a> | <a href="http://bj.people.com.cn/GB/82841/index.html">经济</a></div>
<div class="w980 path"><span id="rwb_navpath"><a href="http://www.people.com.cn/">人民网</a>&gt;&gt;<a href="http://bj.people.com.cn/">{escape(s["channel"])}</a></span></div>
<div class="w980 clearfix">
  <div class="text_c left">
    <p class="p1">{escape(s.get("pre_title", ""))}</p>
    <h1 id="p_title">{escape(s["title"])}</h1>
    <h5><span id="p_publishtime">{_date_line(s["published"])}</span>&nbsp;&nbsp;来源：<span id="p_origin"><a href="{escape(s["source_url"])}" target="_blank">{escape(s["source"])}</a></span></h5>
    <div id="p_content">
      <div class="yt">原标题：{escape(s["original_title"])}</div>
{paragraphs}
      <p hidden>点击图片查看大图</p>
{closing}
      <br />{_run(page.related)}<br />
    </div>
    <div id="p_editor">(责任编辑：{"、".join(s.get("editors", []))})</div>
  </div>
  <div class="right"><div class="hot"><h4>热点排行</h4><a href="http://bj.people.com.cn/GB/82840/14010001.html">北京今年将新建一批保障房</a></div></div>
</div>
<div class="w980 copyright"><p>人民网版权所有，未经书面授权禁止使用</p></div>
</body>
</html>
"""


RENDERERS = {"gb2011": render_gb2011}
