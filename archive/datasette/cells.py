"""How Datasette shows our cells: JSON lists as lists (names, places, topics, photos with their
captions), and in canned-query results a title as a link to its article's page and a series
name as a link to the series page. Every value is escaped; only http(s) links are made.
"""

from __future__ import annotations

import json

from markupsafe import Markup, escape

from archive.datasette.sanitize import safe_url
from archive.datasette.urls import article_url, series_url
from archive.topics import lexicon

# Chinese names of the columns (the English is the column name itself): facets, grid headers,
# the article's "all fields", filter chips.
COLUMN_LABELS = {
    "id": "编号", "url": "网址", "content_id": "内容编号", "site": "站点", "channel": "频道",
    "title": "标题", "pre_title": "引题", "subtitle": "副题", "series": "系列",
    "published_at": "发表时间", "published_month": "月份", "source": "来源",
    "source_url": "来源链接", "byline": "署名", "authors": "记者", "editors": "责编",
    "body": "正文", "paragraph_count": "段落数", "images": "图片", "image_count": "图片数",
    "language": "语言", "template": "模板", "charset": "字符集", "page_count": "页数",
    "mojibake": "乱码", "content_hash": "内容哈希", "first_seen_at": "首次存档",
    "changed_at": "最近修改", "status": "状态", "status_since": "状态起始",
    "capture_ids": "抓取记录", "text_fingerprint": "正文指纹", "reprint_of": "转载自",
    "places": "地点", "topics": "主题", "series_order": "系列序号", "source_raw": "来源原文",
    "source_channel": "来源频道", "print_edition": "见报", "print_date": "见报日期",
    "print_page": "版次", "contributors": "署名人员", "date_method": "日期出处",
    "date_confidence": "日期可信度", "date_conflict": "日期矛盾", "date_candidates": "候选日期",
    "body_html": "正文 HTML", "declared_charset": "声明字符集", "confidence": "把握程度",
    "kind": "类型", "place": "地点", "article_id": "文章", "from_article": "来源文章",
    "to_article": "目标文章", "to_url": "目标网址", "anchor": "链接文字", "position": "序号",
    "month": "月份", "articles": "文章数", "first": "最早", "last": "最近", "date": "日期",
    "latitude": "纬度", "longitude": "经度", "spider": "爬虫", "started_at": "开始",
    "finished_at": "结束", "version": "版本", "since": "起始", "detail": "详情",
    "number": "序号", "name": "名称",
}

# The articles grid shows what a reader scans first; other columns follow in table order and
# the long text last.
READING_ORDER = ["title", "published_at", "channel", "source", "series", "places", "topics",
                 "status", "authors", "editors", "byline", "pre_title", "subtitle", "language",
                 "image_count", "id", "url"]
LAST = ["body", "body_html"]


def reading_order(columns: list[dict]) -> list[dict]:
    def key(column):
        name = column["name"]
        if name in READING_ORDER:
            return (0, READING_ORDER.index(name))
        return (2, 0) if name in LAST else (1, 0)

    return sorted(columns, key=key)  # stable: the rest keep the table's order


class LazyCell:
    """A cell's markup, made only when a template prints it (`make` returns Markup)."""

    def __init__(self, make):
        self._make = make
        self._made = None

    def __html__(self) -> str:
        if self._made is None:
            self._made = self._make() or Markup("")
        return str(self._made)

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return True


def _json(value, kind: type, brackets: str):
    """`value` parsed if it is JSON text of `kind` (list or dict), else None."""
    if not isinstance(value, str) or not value.startswith(brackets[0]) \
            or not value.endswith(brackets[1]):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, kind) else None


def _json_list(value) -> list | None:
    return _json(value, list, "[]")


def _json_object(value) -> dict | None:
    return _json(value, dict, "{}")


def list_values(value) -> list[str]:
    """A JSON list column's items as text (names of places, topics, people)."""
    items = _json_list(value) or []
    return [str(i.get("name") or i.get("caption") or "") if isinstance(i, dict) else str(i)
            for i in items]


def _item(item, column: str) -> Markup:
    if isinstance(item, dict):
        text = item.get("caption") or item.get("name") or item.get("title") or ""
        credit = item.get("credit")
        label = escape(text) + (Markup(" <small>（{}）</small>").format(credit) if credit else "")
        if item.get("role"):
            label += Markup(" <small>{}</small>").format(item["role"])
        link = safe_url(item.get("src") or item.get("url"))
        if link:
            return label + Markup(' <a href="{}" rel="nofollow noreferrer">{}</a>').format(
                link, "photo 图" if item.get("src") else "link")
        return label if text else _pairs(item)
    if column == "topics" and isinstance(item, str):
        english = lexicon().english(item)
        if english:
            return escape(item) + Markup(' <span class="xt-en">{}</span>').format(english)
    return escape(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))


def _pairs(item: dict) -> Markup:
    """A small JSON object on one line: `method: date_line · value: 2024-02-25`."""
    return Markup(" · ").join(
        Markup('<span class="xt-key">{}</span>: {}').format(
            k, v if isinstance(v, str | int | float) or v is None
            else json.dumps(v, ensure_ascii=False))
        for k, v in item.items())


def object_cell(value) -> Markup | None:
    """A JSON object (crawl stats, arguments, coverage) as a definition list, nested objects
    one level deep, Chinese shown as Chinese. (datasette-pretty-json prints ASCII escapes.)"""
    parsed = _json_object(value)
    if parsed is None:
        return None

    def show(v, depth):
        if isinstance(v, dict) and depth < 2:
            return Markup('<dl class="xt-object">{}</dl>').format(Markup("").join(
                Markup("<dt>{}</dt><dd>{}</dd>").format(k, show(x, depth + 1))
                for k, x in v.items()))
        if isinstance(v, list) and all(isinstance(x, str | int | float) for x in v):
            return escape("、".join(str(x) for x in v))
        if isinstance(v, str | int | float) or v is None:
            return escape("—" if v is None else v)
        return escape(json.dumps(v, ensure_ascii=False))

    return show(parsed, 0)


def field_value(name: str, value) -> Markup:
    """One column's value on the article's "all fields" list."""
    if value is None or value == "":
        return Markup('<span class="xt-empty">—</span>')
    shown = list_cell(value, name) or object_cell(value)
    if shown is not None:
        return shown
    link = safe_url(value) if name in ("url", "source_url") and isinstance(value, str) else None
    if link:
        return Markup('<a href="{}" rel="nofollow noreferrer">{}</a>').format(link, value)
    return escape(value)


def list_cell(value, column: str) -> Markup | None:
    items = _json_list(value)
    if items is None:
        return None
    if not items:
        return Markup('<span class="xt-empty">—</span>')
    return Markup('<ul class="xt-list">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(_item(i, column)) for i in items))


def query_cell(row, value, column: str, database: str, datasette) -> Markup | None:
    """Links in canned-query results: title → article page, series → series page."""
    try:
        keys = set(row.keys())
    except AttributeError:
        return None
    if column == "title" and "article_id" in keys and row["article_id"] and value:
        href = article_url(datasette, database, row["article_id"])
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "series" and value:
        href = series_url(datasette, database, value)
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "popup":  # the map's marker text; the row shows the rest already
        popup = _json_object(value)
        if popup is not None:
            return escape(popup.get("description") or "")
    return None
