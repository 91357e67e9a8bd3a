"""The search.people.cn API (reference §10): the JSON body of one query, its answer read into
records, and an Article built from a record that carries the full text (contentOriginal).

Pure: no network, no clock. The `search` spider decides which queries to send.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from peoplecn import urls
from peoplecn.pages import Article, people_text
from peoplecn.pages.record import Image, Link

ENDPOINT = "http://search.people.cn/search-platform/front/search"  # http only: https loses the body
LIMIT = 100  # the most records the API returns per page
MAX_PAGES = 1000  # past this the index repeats page 1
BEIJING = timezone(timedelta(hours=8))
_TAGS = re.compile(r"<[^>]+>")


def request_body(key: str, start_ms: int, end_ms: int, page: int, limit: int = LIMIT) -> dict:
    """Newest first, title and text, exact words: the query the site's own search page sends."""
    return {"key": key, "page": page, "limit": limit, "hasTitle": True, "hasContent": True,
            "isFuzzy": False, "type": 0, "sortType": 2, "startTime": start_ms,
            "endTime": end_ms}


def headers(key: str) -> dict:
    return {"Content-Type": "application/json;charset=UTF-8", "Origin": "http://search.people.cn",
            "Referer": f"http://search.people.cn/s/?keyword={key}&st=0"}


@dataclass
class Results:
    records: list[dict] = field(default_factory=list)
    total: int = 0
    pages: int = 0
    current: int = 1


class SearchError(ValueError):
    """The API answered something other than a result page."""


def read_results(body: bytes) -> Results:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SearchError(f"not JSON: {e}") from None
    if str(data.get("code")) != "0" or not isinstance(data.get("data"), dict):
        raise SearchError(f"API error {data.get('code')}: {data.get('msg', '')}")
    page = data["data"]
    return Results(records=list(page.get("records") or []), total=int(page.get("total") or 0),
                   pages=int(page.get("pages") or 0), current=int(page.get("current") or 1))


def plain(html: str | None) -> str:
    """'<em>京津冀</em>协同' → '京津冀协同' (titles come with search highlights)."""
    return re.sub(r"\s+", " ", _TAGS.sub("", html or "")).strip(" \u3000")


def record_url(record: dict) -> str | None:
    return urls.canonical_article_url(record.get("url") or "")


def beijing_iso(ms: int | None) -> str | None:
    if not ms:
        return None
    moment = datetime.fromtimestamp(ms / 1000, UTC).astimezone(BEIJING)
    return moment.isoformat(timespec="seconds")


def article_from_record(record: dict) -> Article | None:
    """An Article from a record with contentOriginal; None when the record has no full text
    (then the page itself must be fetched)."""
    url = record_url(record)
    original = record.get("contentOriginal") or ""
    if not url or not plain(original):
        return None
    sel = Selector(text=f"<div>{original}</div>")
    paragraphs, images, links = [], [], []
    for p in sel.css("div > p"):
        srcs = [urljoin(url, s.strip()) for s in p.css("img::attr(src)").getall()]
        text = plain(p.get())
        if srcs:
            images.extend(Image(src=s) for s in srcs)
        elif text and images and images[-1].caption is None and "text-align" in p.attrib.get(
                "style", ""):
            images[-1] = Image(src=images[-1].src, caption=text)  # a centred caption line
        elif text:
            paragraphs.append(text)
            hrefs = [(urljoin(url, a.attrib["href"]), plain(a.get())) for a in p.css("a[href]")]
            links.extend(Link(url=h, text=t, kind="body") for h, t in hrefs
                         if urls.is_article_url(h))
    byline = plain(record.get("author")) or None
    channel = (record.get("belongsName") or "").split("#")[0] or None
    return Article(
        url=url, id=urls.article_id(url), content_id=urls.content_id(url),
        site=urlsplit(url).hostname, channel=channel,
        title=plain(record.get("title")), pre_title=plain(record.get("pretitle")) or None,
        subtitle=plain(record.get("subtitle")) or None,
        series=_series(record.get("pretitle")),
        published_at=beijing_iso(record.get("displayTime")),
        source=plain(record.get("originName") or record.get("originalName")
                     or record.get("source")) or None,
        source_url=record.get("originUrl") or None,
        byline=byline, authors=_names(byline), editors=_editors(record.get("editor")),
        paragraphs=paragraphs, images=images, links=links,
        language="zh", template="search_api", charset="utf-8",
    )


def _series(pre_title: str | None) -> str | None:
    return people_text.series_from_pre_title(plain(pre_title) or None)


def _names(byline: str | None) -> list[str]:
    return people_text.authors_from_byline(byline)


def _editors(editor: str | None) -> list[str]:
    return [n for n in (plain(x) for x in re.split(r"[、,，/／\s]+", editor or "")) if n]
