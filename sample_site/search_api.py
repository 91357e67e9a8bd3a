"""The sample site's search.people.cn API: `POST /search-platform/front/search` with the JSON
request and response shapes of reference §10 (keyword, epoch-ms window, page, limit ≤ 100;
records with title, content, contentOriginal, url, displayTime …), over the sample articles.

Its quirks are the reported ones: GET answers 405, string times 400, results start in 2021,
and pages past `site.search_max_pages` repeat page 1. Pure: request in, (status, JSON) out.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone
from html import escape
from urllib.parse import urlsplit

ENDPOINT = "http://search.people.cn/search-platform/front/search"
INDEX_STARTS = "2021-01-01"  # the index holds nothing older (reference §10)
MAX_LIMIT = 100
BEIJING = timezone(timedelta(hours=8))


def epoch_ms(published: str) -> int:
    """'2024-02-25 18:19' (Beijing time, as the pages print it) → epoch milliseconds."""
    moment = datetime.strptime(published, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    return int(moment.timestamp() * 1000)


def _text(para) -> str:
    return re.sub(r"<[^>]+>", "", para).strip("\u3000 ") if isinstance(para, str) else ""


def _plain(spec: dict) -> str:
    return "\n".join(_text(p) for p in spec["body"])


def indexed(articles: dict[str, dict], key: str) -> list[dict]:
    """Articles the API finds for `key` (title or text), newest first."""
    found = [a for a in articles.values()
             if a["published"][:10] >= INDEX_STARTS and key and
             (key in a["title"] or key in _plain(a))]
    return sorted(found, key=lambda a: (a["published"], a["url"]), reverse=True)


def _highlight(text: str, key: str) -> str:
    return escape(text).replace(escape(key), f"<em>{escape(key)}</em>")


def _original(spec: dict) -> str:
    """The body HTML the API returns as contentOriginal (page 1's paragraphs and photos)."""
    out = []
    host = f"http://{urlsplit(spec['url']).hostname}"
    for para in spec["body"]:
        if isinstance(para, str):
            out.append(f"<p>{para}</p>")
            continue
        out.append(f'<p style="text-align: center;"><img src="{host}{para["img"]}" /></p>')
        if para.get("caption"):
            out.append(f'<p style="text-align: center;">{escape(para["caption"])}</p>')
    return "\n".join(out)


def record(spec: dict, key: str) -> dict:
    leaf = urlsplit(spec["url"]).path.rsplit("/", 1)[1].removesuffix(".html")
    catalog, content_id = leaf[1:].split("-")[:2]
    ms = epoch_ms(spec["published"])
    plain = _plain(spec)
    at = max(plain.find(key), 0)
    full_body = spec.get("search_body", True) and not spec.get("pages")
    return {
        "id": int(content_id) * 10 + 7,
        "contentId": int(content_id),
        "title": _highlight(spec["title"], key),
        "pretitle": spec.get("pre_title", ""),
        "subtitle": spec.get("subtitle", ""),
        "content": _highlight(plain[max(at - 20, 0):at + 60], key),
        "contentOriginal": _original(spec) if full_body else "",
        "url": spec["url"],
        "author": spec.get("byline", ""),
        "editor": "、".join(spec.get("editors", [])),
        "displayTime": ms,
        "inputTime": ms - 600_000,
        "belongsName": "#".join(filter(None, [spec.get("channel"), spec.get("column")])),
        "belongsId": json.dumps([catalog]),
        "domain": urlsplit(spec["url"]).hostname,
        "originName": spec["source"],
        "originUrl": spec.get("source_url", ""),
        "source": spec["source"],
        "sourceType": 1,
        "hasImg": int(any(not isinstance(p, str) for p in spec["body"])),
        "hasVideo": int(bool(spec.get("video"))),
        "imageUrl": "",
        "keyword": spec.get("keywords", ""),
    }


def answer(articles: dict[str, dict], method: str, body: bytes,
           max_pages: int = 1000) -> tuple[int, dict]:
    if method != "POST":
        return 405, {"code": "405", "msg": "Request method not supported"}
    try:
        query = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return 400, {"code": "400", "msg": "JSON parse error"}
    start, end = query.get("startTime", 0), query.get("endTime", 0)
    page, limit = query.get("page", 1), query.get("limit", 10)
    if not all(isinstance(v, int) for v in (start, end, page, limit)):
        return 400, {"code": "400", "msg": "startTime, endTime, page, limit must be integers"}
    limit = max(1, min(limit, MAX_LIMIT))
    key = str(query.get("key", ""))
    hits = [a for a in indexed(articles, key)
            if (not start or epoch_ms(a["published"]) >= start)
            and (not end or epoch_ms(a["published"]) <= end)]
    pages = math.ceil(len(hits) / limit)
    shown = page if 1 <= page <= max_pages else 1  # past the cap the index repeats page 1
    chunk = hits[(shown - 1) * limit: shown * limit]
    return 200, {"code": "0", "msg": "success", "data": {
        "records": [record(a, key) for a in chunk],
        "total": len(hits), "size": limit, "current": page, "pages": pages,
    }}
