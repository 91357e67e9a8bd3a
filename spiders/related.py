"""The `related` spider: from seed articles, follow related links (相关链接/相关新闻), recommended
reading (推荐阅读) and in-body links to other people.cn articles, breadth first, to a depth.

Only articles that pass the relevance filter are archived and followed further; seeds always
are. Every article is requested under its canonical URL, so it is fetched once, and
conditionally: an article already archived answers 304 when it has not changed, and its links
are then followed as the archive stored them (a rerun downloads only what changed). Incremental
(`-a incremental=true`, as `xietong crawl all` runs it): an article fetched recently is not
asked at all — it is walked over in the archive until its revisit is due.

Arguments (`-a name=value`, or `xietong crawl related --seed … --depth …`):
  seeds     URLs separated by commas or whitespace (default: the profile's seeds)
  depth     link hops from a seed to follow (default: XIETONG_DEPTH)
  keywords, profile, incremental   see spiders/base.py (incremental is off by default here)
Settings read: XIETONG_DEPTH, XIETONG_FOLLOW, and those of spiders/base.py.
"""

from __future__ import annotations

import math
import re
from collections import deque

import scrapy

from peoplecn import urls
from peoplecn.pages import Article
from spiders.base import ArticleSpider


class RelatedSpider(ArticleSpider):
    name = "related"
    incremental_default = False
    page_meta = ("hops", "seed")

    def __init__(self, seeds: str | None = None, depth: str | int | None = None,
                 profile: str | None = None, **kwargs):
        super().__init__(profile=profile, **kwargs)
        self._args = {"seeds": seeds, "depth": depth, "profile": profile}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        seeds = spider._args["seeds"]
        spider.seeds = re.split(r"[,\s]+", seeds.strip()) if seeds else spider.profile.seeds
        spider.depth = int(spider._args["depth"] if spider._args["depth"] is not None
                           else s.getint("XIETONG_DEPTH"))
        spider.follow_kinds = set(s.getlist("XIETONG_FOLLOW"))
        spider.reached: dict[str, int] = {}  # incremental walk: URL → fewest hops seen
        return spider

    def arguments(self) -> dict:
        args = {"seeds": self.seeds, "depth": self.depth, "keywords": self.keywords}
        if self._args["profile"] is not None:
            args["profile"] = self.profile.name
        if self.incremental:
            args["incremental"] = True
        return args

    async def start(self):
        for seed in self.seeds:
            url = urls.canonical_article_url(seed)
            if url is None:
                self.logger.error("not a people.cn article URL, skipped: %s", seed)
                self.crawler.stats.inc_value("xietong/bad_seeds")
                continue
            for request in self._visit(url, hops=0, seed=True):
                yield request
        for request in self.due_revisits():
            request.meta.update(hops=self.depth, seed=False)
            yield request
        for request in self.missing_photo_requests():
            yield request

    def _article_request(self, url: str, hops: int, seed: bool = False) -> scrapy.Request:
        # Always conditional (issue 18): an article archived before is asked with its ETag /
        # Last-Modified, and a 304 means the archived copy stands — a rerun on an unchanged
        # site downloads no article again.
        meta = {"hops": hops, "seed": seed, "kind": "article",
                "conditional": self.ask_conditionally}
        return scrapy.Request(url, callback=self.parse_page, priority=-hops, meta=meta)

    def _visit(self, url: str, hops: int, seed: bool = False):
        """Requests for `url`; in incremental mode, an article fetched recently is walked over
        in the archive instead — its stored links lead on, breadth first, to what is due."""
        if self.state is None:
            yield self._article_request(url, hops, seed)
            return
        queue = deque([(url, hops, seed)])
        while queue:
            url, hops, seed = queue.popleft()
            if self.reached.get(url, math.inf) <= hops:
                continue
            self.reached[url] = hops
            if self.state.worth_fetching(url):
                yield self._article_request(url, hops, seed)
                continue
            self.crawler.stats.inc_value("xietong/articles_not_due")
            links = self.state.archived_links(url, self.follow_kinds)
            if links is None or hops >= self.depth:
                continue  # fetched, but not archived (off topic, missing) — or deep enough
            for link in links:
                target = urls.canonical_article_url(link)
                if target and target != url:
                    queue.append((target, hops + 1, False))

    def not_modified(self, response):
        # Unchanged since it was archived: follow its links as the archive stored them.
        hops = response.meta.get("hops", self.depth)
        if hops >= self.depth:
            return
        for link in self.crawl_state.archived_links(response.url, self.follow_kinds) or []:
            target = urls.canonical_article_url(link)
            if target and target != response.url:
                yield from self._visit(target, hops=hops + 1)

    def article_read(self, article: Article, meta: dict):
        yield from self._archive_and_follow(article, meta)

    def _archive_and_follow(self, article: Article, meta: dict):
        items = list(self.archive(article, meta, always=bool(meta.get("seed"))))
        if not items:
            return
        yield from items
        hops = meta["hops"]
        if hops >= self.depth:
            return
        for link in article.links:
            if link.kind not in self.follow_kinds:
                continue
            url = urls.canonical_article_url(link.url)
            if url and url != article.url:
                yield from self._visit(url, hops=hops + 1)
