"""Build the bundled sample site in memory: every URL it answers, with status, headers and the
exact bytes served (UTF-8, or GBK for pages that declare GB2312, as people.cn does).

Pure and deterministic: the same content gives byte-identical pages. Tests change a built site
(add, edit, remove pages) to play a site that moves; never the files on disk.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

from sample_site import habits, layouts, lists, search_api
from sample_site.media import Media
from sample_site.templates import RENDERERS, Page

# the templates our page readers know (and a page of one with habits its map does not name),
# and the layouts only the template-blind reader reads
RENDERERS = {**RENDERERS, **habits.RENDERERS, **layouts.RENDERERS}

HERE = Path(__file__).parent
CONTENT_DIR = HERE / "content"

ROBOTS_TXT = b"User-agent: *\nDisallow: /bin/\nDisallow: /GB/n/search/\n"
MEDIA_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"  # photos and styles never change
NOT_FOUND = (
    "<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
    "<body><h1>404 Not Found</h1><p>您访问的页面不存在</p></body></html>"
).encode()


@dataclass(frozen=True)
class Resource:
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class SampleSite:
    seed: str
    articles: dict[str, dict]  # page-1 URL → article spec (content TOML)
    redirects: dict[str, str] = field(default_factory=dict)  # old URL → article URL (301)
    resources: dict[str, Resource] = field(default_factory=dict)
    listings: list[lists.ListSpec] = field(default_factory=list)  # channel lists and topics
    crawl_delays: dict[str, float] = field(default_factory=dict)  # host → robots Crawl-delay
    search_max_pages: int = 1000  # the search API repeats page 1 past this page
    # Test hook: URL → responses served (and used up) before the real one, e.g. a 429.
    canned: dict[str, list[Resource]] = field(default_factory=dict)
    media: Media | None = None  # photos, template images and stylesheets (made on request)

    def get(self, url: str) -> Resource:
        key = normalize_key(url)
        if self.canned.get(key):
            return self.canned[key].pop(0)
        if key in self.resources:
            return self.resources[key]
        found = self.media.get(key) if self.media is not None else None
        if found is not None:
            body, content_type = found
            return Resource(200, {"Content-Type": content_type,
                                  "Last-Modified": MEDIA_MODIFIED}, body)
        if urlsplit(key).path == "/robots.txt":
            delay = self.crawl_delays.get(urlsplit(key).hostname)
            extra = f"Crawl-delay: {delay:g}\n".encode() if delay is not None else b""
            return Resource(200, {"Content-Type": "text/plain"}, ROBOTS_TXT + extra)
        if key == search_api.ENDPOINT:
            return self.post(url, b"", method="GET")
        return Resource(404, {"Content-Type": "text/html; charset=utf-8"}, NOT_FOUND)

    def post(self, url: str, body: bytes, method: str = "POST") -> Resource:
        """A POST: only the search API takes one."""
        key = normalize_key(url)
        if self.canned.get(key):
            return self.canned[key].pop(0)
        if key != search_api.ENDPOINT:
            return Resource(405, {"Content-Type": "text/plain"}, b"405 Method Not Allowed")
        status, data = search_api.answer(self.articles, method, body, self.search_max_pages)
        return Resource(status, {"Content-Type": "application/json;charset=UTF-8"},
                        json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def relevant_urls(self) -> set[str]:
        """Relevant articles the related spider can reach: those not marked `discover` (found
        only through a list, topic or search)."""
        return {url for url, spec in self.articles.items()
                if spec.get("relevant", True) and not spec.get("discover")}

    def irrelevant_urls(self) -> set[str]:
        return {url for url, spec in self.articles.items() if not spec.get("relevant", True)}

    def put_article(self, spec: dict) -> None:
        """Add or replace an article and re-render every page (links carry target titles)."""
        self.articles[spec["url"]] = spec
        self._render()

    def revise(self) -> list[str]:
        """Serve the later version of every article whose content has a `[revision]` (a later
        `modified`, text replaced, paragraphs appended); returns their URLs. The demo crawls,
        revises, and revisits them, so an article has two versions to compare."""
        revised = []
        for url, spec in list(self.articles.items()):
            revision = spec.get("revision")
            if not revision:
                continue
            later = {k: v for k, v in spec.items() if k != "revision"}
            body = []
            for paragraph in spec["body"]:
                if isinstance(paragraph, str):
                    for change in revision.get("replace", []):
                        paragraph = paragraph.replace(change["old"], change["new"])
                body.append(paragraph)
            later["body"] = body + list(revision.get("append", []))
            for field_name in ("title", "subtitle", "modified"):
                if field_name in revision:
                    later[field_name] = revision[field_name]
            self.articles[url] = later
            revised.append(url)
        if revised:
            self._render()
        return revised

    def remove(self, url: str) -> None:
        self.articles.pop(url, None)
        self._render()

    def _render(self) -> None:
        self.media = Media(self.articles)
        self.resources = {
            normalize_key(old): Resource(301, {"Location": new, "Content-Type": "text/html"})
            for old, new in self.redirects.items()
        }
        for spec in self.articles.values():
            for page in pages_of(spec, self.articles, self.redirects):
                self.resources[normalize_key(page.url)] = _serve(page)
        for spec in self.listings:
            for url, (content_type, body) in lists.render(spec, self.articles).items():
                self.resources[normalize_key(url)] = Resource(200, {"Content-Type": content_type},
                                                              body)


def normalize_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    return f"http://{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def page_url(url: str, n: int) -> str:
    return url if n == 1 else url.removesuffix(".html") + f"-{n}.html"


def _href(from_url: str, to_url: str, relative: bool) -> str:
    a, b = urlsplit(from_url), urlsplit(to_url)
    return b.path if relative and a.hostname == b.hostname else to_url


def pages_of(spec: dict, articles: dict[str, dict], redirects: dict[str, str]) -> list[Page]:
    """One Page per served page of an article, links resolved to their targets' titles."""

    def title(url: str) -> str:
        target = articles.get(redirects.get(url, url))
        return target["title"] if target else _external(spec, url)

    bodies = [spec["body"], *spec.get("pages", [])]
    urls = [page_url(spec["url"], n) for n in range(1, len(bodies) + 1)]
    relative = spec["template"] == "2020"  # the 2020s 推荐阅读 uses site-relative links
    related = [(u, title(u)) for u in spec.get("related", [])]
    recommended = [(_href(spec["url"], r["url"], relative), title(r["url"]), r["summary"])
                   for r in spec.get("recommended", [])]
    for ext in spec.get("external", []):
        if ext.get("block", "related") == "related":
            related.append((ext["url"], ext["title"]))
        else:
            recommended.append((ext["url"], ext["title"], ext.get("summary", "")))
    return [
        Page(url=u, spec=spec, paragraphs=body, page_no=n, page_urls=urls if len(urls) > 1 else [],
             related=related, recommended=recommended)
        for n, (u, body) in enumerate(zip(urls, bodies, strict=True), 1)
    ]


def _external(spec: dict, url: str) -> str:
    for ext in spec.get("external", []):
        if ext["url"] == url:
            return ext["title"]
    # A link to a page the site does not have: the anchor text still needs words.
    return "相关报道"


def _serve(page: Page) -> Resource:
    gbk = page.spec.get("charset", "utf-8").lower() == "gbk"
    declared = "GB2312" if gbk else "UTF-8"
    html = RENDERERS[page.spec["template"]](page, declared)
    body = html.encode("gbk") if gbk else html.encode("utf-8")
    modified = page.spec.get("modified", page.spec["published"])
    return Resource(200, {"Content-Type": f"text/html; charset={declared}",
                          "Last-Modified": _http_date(modified)}, body)


def _http_date(beijing: str) -> str:
    """'2024-02-25 18:19' (Beijing time) → an HTTP date, for Last-Modified."""
    return formatdate(search_api.epoch_ms(beijing) / 1000, usegmt=True)


def load_specs(content_dir: Path = CONTENT_DIR) -> dict[str, dict]:
    specs = {}
    for path in sorted(content_dir.glob("*.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        spec["_file"] = path.name
        specs[spec["url"]] = spec
    return specs


def build_site(content_dir: Path = CONTENT_DIR) -> SampleSite:
    meta = tomllib.loads((content_dir.parent / "site.toml").read_text(encoding="utf-8"))
    site = SampleSite(seed=meta["seed"], articles=load_specs(content_dir),
                      redirects={r["from"]: r["to"] for r in meta.get("redirects", [])},
                      listings=[lists.ListSpec.from_toml(kind, entry)
                                for kind, key in (("list", "lists"), ("topic", "topics"))
                                for entry in meta.get(key, [])],
                      crawl_delays=meta.get("crawl_delay", {}))
    site._render()
    return site
