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

# Chinese names of the columns people facet on (the English is the column name itself).
COLUMN_LABELS = {
    "channel": "频道", "source": "来源", "series": "系列", "published_at": "年份",
    "published_month": "月份", "language": "语言", "status": "状态", "places": "地点",
    "topics": "主题", "editors": "责编", "authors": "记者", "kind": "类型", "place": "地点",
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


def _json_list(value) -> list | None:
    if not isinstance(value, str) or not value.startswith("[") or not value.endswith("]"):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) else None


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
        link = safe_url(item.get("src") or item.get("url"))
        if link:
            return label + Markup(' <a href="{}" rel="nofollow noreferrer">{}</a>').format(
                link, "photo 图" if item.get("src") else "link")
        return label if text else escape(json.dumps(item, ensure_ascii=False))
    if column == "topics" and isinstance(item, str):
        english = lexicon().english(item)
        if english:
            return escape(item) + Markup(' <span class="xt-en">{}</span>').format(english)
    return escape(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))


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
    return None
