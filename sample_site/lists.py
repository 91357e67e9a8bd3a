"""Channel list pages and topic (专题) pages of the sample site, rendered from site.toml and the
article specs: newest first, paginated index.html, index2.html … (the pager calls page 1
index1.html, which is served too), markup as reference §8–§9 describe.

Pure: the same site gives the same bytes. Never put text from real people.cn pages here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ListSpec:
    """One list (a channel column) or topic, as site.toml declares it."""

    url: str  # page 1, …/index.html
    title: str
    kind: str  # "list" (a channel column) or "topic"
    layout: str  # "headingNews" (div.hdNews h5 a) or "list_16" (ul.list_16 li a + em date)
    page_size: int
    host: str | None = None  # lists: articles of this host …
    columns: tuple[str, ...] = ()  # … filed under one of these columns
    series: str | None = None  # topics: articles whose pre-title names this series
    charset: str = "utf-8"  # "gbk": served as GBK bytes declaring GB2312

    @classmethod
    def from_toml(cls, kind: str, entry: dict) -> ListSpec:
        return cls(url=entry["url"], title=entry["title"], kind=kind,
                   layout=entry.get("layout", "list_16"), page_size=entry.get("page_size", 20),
                   host=entry.get("host"), columns=tuple(entry.get("columns", [])),
                   series=entry.get("series"), charset=entry.get("charset", "utf-8"))


def members(spec: ListSpec, articles: dict[str, dict]) -> list[dict]:
    """The article specs a list or topic shows, newest first."""
    if spec.kind == "topic":
        chosen = [a for a in articles.values() if spec.series in a.get("pre_title", "")]
    else:
        chosen = [a for a in articles.values()
                  if urlsplit(a["url"]).hostname == spec.host and a.get("column") in spec.columns]
    return sorted(chosen, key=lambda a: (a["published"], a["url"]), reverse=True)


def page_url(spec: ListSpec, n: int) -> str:
    return spec.url if n == 1 else spec.url.replace("index.html", f"index{n}.html")


def render(spec: ListSpec, articles: dict[str, dict]) -> dict[str, tuple[str, bytes]]:
    """URL → (Content-Type, bytes) for every page of a list, index1.html included."""
    items = members(spec, articles)
    size = spec.page_size
    pages = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    declared = "GB2312" if spec.charset == "gbk" else "UTF-8"
    out = {}
    for n, chunk in enumerate(pages, 1):
        html = _page(spec, chunk, n, len(pages), declared)
        body = html.encode("gbk") if spec.charset == "gbk" else html.encode("utf-8")
        out[page_url(spec, n)] = (f"text/html; charset={declared}", body)
    out[spec.url.replace("index.html", "index1.html")] = out[spec.url]
    return out


def _href(list_url: str, article_url: str) -> str:
    # Same-host links are site-relative, cross-host ones absolute (reference §8).
    a, b = urlsplit(list_url), urlsplit(article_url)
    return b.path if a.hostname == b.hostname else article_url


def _items(spec: ListSpec, chunk: list[dict]) -> str:
    if spec.layout == "headingNews":
        rows = "".join(
            f'<div class="hdNews clearfix"><div class="on"><h5><a href="{href}"'
            f' target="_blank">{escape(a["title"])}</a></h5>'
            f'<em><a href="{href}" target="_blank">{escape(_summary(a))}</a></em></div></div>'
            for a, href in ((a, _href(spec.url, a["url"])) for a in chunk)
        )
        # Both blocks are hidden until a script shows them (reference §8): readers parse them
        # anyway.
        return (f'<div class="headingNews qiehuan1_c" style="display: none;">{rows}</div>'
                '<div class="headingNews qiehuan2_c" style="display: none;"></div>')
    rows = "".join(
        f'<li><a href="{_href(spec.url, a["url"])}" target="_blank">{escape(a["title"])}</a>'
        f'<em>{a["published"][:10]}</em></li>'
        for a in chunk
    )
    return f'<div class="ej_list_box clear"><ul class="list_16 mt10">{rows}</ul></div>'


def _summary(spec: dict) -> str:
    first = next((p for p in spec["body"] if isinstance(p, str)), "")
    text = first.replace("<strong>", "").replace("</strong>", "").strip("\u3000 ")
    return text[:40] + "……"


def _pager(n: int, total: int) -> str:
    if total < 2:
        return ""
    current = ' class="common_current_page"'
    links = "".join(
        f'<a href="index{i}.html#fy01"{current if i == n else ""}>{i}</a>'
        for i in range(1, total + 1)
    )
    if n < total:
        links += f'<a href="index{n + 1}.html#fy01">下一页</a>'
    return f'<div class="page_n clearfix">{links}</div><!--all page--><!--PageNo={total}-->'


def _page(spec: ListSpec, chunk: list[dict], n: int, total: int, declared: str) -> str:
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="content-type" content="text/html;charset={declared}"/>
<title>{escape(spec.title)}--人民网</title>
<link href="http://www.people.com.cn/img/2020wbc/css/list.css" type="text/css" rel="stylesheet" />
</head>
<body>
<div class="header cf"><a href="http://www.people.cn" target="_blank">人民网</a></div>
<div class="w1000 route"><a href="http://www.people.com.cn/">人民网</a>&gt;&gt;{escape(spec.title)}</div>
<div class="w1000 clearfix p2j_list">
  <div class="fl"><h2 class="tit">{escape(spec.title)}</h2>
  {_items(spec, chunk)}
  {_pager(n, total)}
  </div>
  <div class="fr"><h3>热点推荐</h3><ul><li><a href="http://www.people.com.cn/GB/59476/index.html">要闻</a></li></ul></div>
</div>
<div class="w1000 copyright"><p>人民网股份有限公司版权所有，未经书面授权禁止使用</p></div>
</body>
</html>
"""
