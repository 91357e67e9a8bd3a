"""Field-by-field checks of a page reader against what is known to be on each page: the sample
site's content files (every article, every page of it) with the hand-read extras of
test_pages_fields.EXPECTED, and the real pages of ../shared/corpus/raw (corpus_expectations).

Shared by tests/peoplecn/test_pages_cues.py (the template-blind reader alone must get them
right) and benchmarks/extraction_accuracy.py (the table in docs/extraction.md). A check is
(page, field, ok, detail); a field a page says nothing about is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

from corpus_expectations import ARTICLES, NOT_ARTICLES, RAW, sha
from test_pages_fields import EXPECTED

from peoplecn.pages import Article, NotAnArticle, PageError, merge_pages
from peoplecn.pages import people_text as text

Reader = Callable[[str, bytes, str | None], Article]

FIELDS = ["title", "pre_title / subtitle", "original_title", "published_at (to the minute)",
          "date method",
          "source", "source_url", "byline", "authors (with roles)", "editors",
          "series (+ order)", "print edition", "paragraph count", "paragraphs (every one)",
          "first / last paragraph", "images + captions", "photo credits", "related links",
          "recommended links", "page count", "no boilerplate in the body", "not an article"]
# Printed furniture that must never reach the text (STYLE.md: a reader test asserts it).
JUNK = ("责编", "责任编辑", "分享让更多人看到", "分享到", "showPlayer", "客户端下载", "picbig",
        "小字号", "Web editor", "关闭窗口", "<script", "扫码下载", "【相关链接】", "推荐阅读",
        "Related News", "Related Stories", "Copyright", "版权所有")


def plain(html: str) -> str:
    return re.sub(r"[ \t\n\xa0]+", " ", re.sub(r"<[^>]+>", "", html)).strip(" \u3000")


def expected_source(raw: str) -> tuple[str, str | None]:
    """The 来源 text as printed → (outlet, people.cn channel), the rule spelled out."""
    raw = raw.replace("－", "-")
    site, _, rest = raw.partition("-")
    if site != "人民网" or not rest:
        return raw.strip("《》"), None
    rest = rest.strip("《》")
    return ("人民网", rest) if rest.endswith("频道") else (rest, None)


def boilerplate(art: Article) -> list[str]:
    """What of the page's furniture reached the body: junk words, the headline, the date line."""
    found = [j for j in JUNK if j in art.body or j in art.body_html]
    if art.paragraphs and art.paragraphs[0] == art.title:
        found.append("the headline")
    day = (art.published_at or "")[:16]
    if day and any(text.datetime_from_line(p) == art.published_at and len(p) < 60
                   for p in art.paragraphs):
        found.append("the date line")
    return found


def read_sample(site, spec: dict, read: Reader) -> Article:
    """Every page of a sample article, read by `read` and merged as the crawler merges them."""
    res = site.get(spec["url"])
    first = read(spec["url"], res.body, res.headers["Content-Type"])
    rest = [read(u, site.get(u).body, site.get(u).headers["Content-Type"])
            for u in first.page_urls[1:]]
    return merge_pages(first, rest)


def _links(art: Article, kind: str) -> list[str]:
    return [x.url for x in art.links if x.kind == kind]


def sample_checks(site, read: Reader) -> Iterator[tuple[str, str, bool, object]]:
    """(content file, field, ok, what was read) for every field of every sample article."""
    for spec in sorted(site.articles.values(), key=lambda s: s["_file"]):
        name = spec["_file"]
        try:
            art = read_sample(site, spec, read)
        except PageError as e:
            yield name, "title", False, e
            continue
        day, hm = spec["published"].split(" ")
        related = spec.get("related", []) + [e["url"] for e in spec.get("external", [])
                                             if e.get("block", "related") == "related"]
        recommended = [r["url"] for r in spec.get("recommended", [])] + [
            e["url"] for e in spec.get("external", []) if e.get("block") == "recommended"]
        bodies = [spec["body"], *spec.get("pages", [])]
        paragraphs = [plain(p) for b in bodies for p in b if isinstance(p, str)]
        images = [(urljoin(spec["url"], p["img"]), p.get("caption")) for b in bodies for p in b
                  if isinstance(p, dict)]
        editors = [e.replace(" ", "") if re.fullmatch(r"\w  \w", e) else e
                   for e in spec.get("editors", [])]
        source = spec["source"]
        yield name, "title", art.title == spec["title"], art.title
        yield name, "pre_title / subtitle", (art.pre_title, art.subtitle) == (
            spec.get("pre_title") or None, spec.get("subtitle") or None), (art.pre_title,
                                                                         art.subtitle)
        yield name, "original_title", art.original_title == (spec.get("original_title") or None), \
            art.original_title
        yield name, "published_at (to the minute)", \
            art.published_at == f"{day}T{hm}:00+08:00", art.published_at
        # "high" needs a second candidate to agree: a /GB/ URL carries no date
        yield name, "date method", art.date_method == "date_line" and not art.date_conflict \
            and art.date_confidence == ("high" if len(art.date_candidates) > 1 else "medium"), \
            (art.date_method, art.date_confidence)
        yield name, "source", (art.source_raw, art.source, art.source_channel) == (
            source, *expected_source(source)), (art.source_raw, art.source, art.source_channel)
        yield name, "source_url", art.source_url == (spec["source_url"] or None), \
            art.source_url
        yield name, "byline", art.byline == (spec.get("byline") or None), art.byline
        yield name, "editors", art.editors == editors, art.editors
        yield name, "paragraph count", len(art.paragraphs) == len(paragraphs), \
            len(art.paragraphs)
        yield name, "paragraphs (every one)", art.paragraphs == paragraphs, art.paragraphs
        ends = bool(art.paragraphs) and (art.paragraphs[0], art.paragraphs[-1]) == (
            paragraphs[0], paragraphs[-1])
        yield name, "first / last paragraph", ends, art.paragraphs[:1] + art.paragraphs[-1:]
        yield name, "images + captions", [(i.src, i.caption) for i in art.images] == images, \
            [(i.src, i.caption) for i in art.images]
        yield name, "related links", _links(art, "related") == related, _links(art, "related")
        yield name, "recommended links", _links(art, "recommended") == recommended, \
            _links(art, "recommended")
        yield name, "page count", max(1, len(art.page_urls)) == len(bodies), art.page_urls
        junk = boilerplate(art)
        yield name, "no boilerplate in the body", not junk, junk
        want = EXPECTED.get(name)
        if want:
            people = [(c["name"], c["role"]) for c in art.contributors]
            yield name, "authors (with roles)", people == want["contributors"], people
            yield name, "series (+ order)", (art.series, art.series_order) == want["series"], \
                (art.series, art.series_order)
            edition = (art.print_edition, art.print_date, art.print_page)
            yield name, "print edition", edition == want["edition"], edition
            if want["credits"] is not None:
                credits = [i.credit for i in art.images]
                yield name, "photo credits", credits == want["credits"], credits


def corpus_checks(read: Reader) -> Iterator[tuple[str, str, bool, object]]:
    """(file, field, ok, what was read) for every page of ../shared/corpus/raw (if present)."""
    if not RAW.is_dir():
        return
    for file, want in sorted(ARTICLES.items()):
        try:
            art = read(want["url"], (RAW / file).read_bytes(), None)
        except PageError as e:
            yield file, "title", False, e
            continue
        start, digest = want["title"]
        yield file, "title", art.title.startswith(start) and sha(art.title) == digest, art.title
        yield file, "pre_title / subtitle", (art.pre_title, art.subtitle) == (None, None), \
            (art.pre_title, art.subtitle)
        yield file, "original_title", art.original_title == want.get("original_title"), \
            art.original_title
        yield file, "published_at (to the minute)", art.published_at == want["published_at"], \
            art.published_at
        yield file, "date method", art.date_method == want["date_method"], art.date_method
        yield file, "source", (art.source, art.source_channel) == (
            want["source"], want["source_channel"]), (art.source, art.source_channel)
        yield file, "source_url", art.source_url == want["source_url"], art.source_url
        yield file, "byline", art.byline == want["byline"], art.byline
        yield file, "authors (with roles)", art.authors == want["authors"], art.authors
        yield file, "editors", art.editors == want["editors"], art.editors
        yield file, "series (+ order)", art.series == want["series"], art.series
        yield file, "paragraph count", len(art.paragraphs) == want["paragraph_count"], \
            len(art.paragraphs)
        ends = ((art.paragraphs[0], want["first"]), (art.paragraphs[-1], want["last"]))
        yield file, "first / last paragraph", all(p.startswith(s) and sha(p) == d
                                                  for p, (s, d) in ends), \
            [p[:20] for p, _ in ends]
        same_count = len(art.images) == len(want["images"])
        yield file, "images + captions", same_count and all(
            (i.caption or "").startswith(c or "") and (c is not None or i.caption is None)
            for i, (c, _) in zip(art.images, want["images"], strict=False)), \
            [i.caption for i in art.images]
        if any(credit for _, credit in want["images"]):
            credits = [i.credit for i in art.images]
            yield file, "photo credits", credits == [c for _, c in want["images"]], credits
        yield file, "related links", _links(art, "related") == want["related"], \
            _links(art, "related")
        yield file, "recommended links", _links(art, "recommended") == want["recommended"], \
            _links(art, "recommended")
        yield file, "page count", len(art.page_urls) == want["page_urls"], len(art.page_urls)
        junk = boilerplate(art)
        yield file, "no boilerplate in the body", not junk, junk
    for file, url in sorted(NOT_ARTICLES.items()):
        try:
            read(url, (RAW / file).read_bytes(), None)
            ok, detail = False, "read as an article"
        except NotAnArticle:
            ok, detail = True, None
        except PageError as e:
            ok, detail = False, e
        yield file, "not an article", ok, detail
