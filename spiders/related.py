"""The `related` spider: from seed articles, follow related links (相关链接/相关新闻), recommended
reading (推荐阅读) and in-body links to other people.cn articles, breadth first, to a depth.

Only articles that pass the relevance filter are archived and followed further; seeds always
are. Every article is requested under its canonical URL, so it is fetched once.

Arguments (`-a name=value`, or `xietong crawl related --seed … --depth …`):
  seeds     URLs separated by commas or whitespace (default: setting XIETONG_SEEDS)
  depth     link hops from a seed to follow (default: XIETONG_DEPTH)
  keywords  comma-separated relevance keywords (default: XIETONG_KEYWORDS; "" keeps all)
Settings read: XIETONG_SEEDS, XIETONG_DEPTH, XIETONG_KEYWORDS, XIETONG_FOLLOW.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from spiders import urls
from spiders.pages import Article, PageError, merge_pages, parse_article
from spiders.relevance import is_relevant


class RelatedSpider(scrapy.Spider):
    name = "related"
    allowed_domains = ["people.com.cn", "people.cn"]

    def __init__(self, seeds: str | None = None, depth: str | int | None = None,
                 keywords: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self._args = {"seeds": seeds, "depth": depth, "keywords": keywords}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        seeds = spider._args["seeds"]
        spider.seeds = re.split(r"[,\s]+", seeds.strip()) if seeds else s.getlist("XIETONG_SEEDS")
        spider.depth = int(spider._args["depth"] if spider._args["depth"] is not None
                           else s.getint("XIETONG_DEPTH"))
        kw = spider._args["keywords"]
        spider.keywords = ([k.strip() for k in kw.split(",") if k.strip()] if kw is not None
                           else s.getlist("XIETONG_KEYWORDS"))
        spider.follow_kinds = set(s.getlist("XIETONG_FOLLOW"))
        return spider

    def arguments(self) -> dict:
        return {"seeds": self.seeds, "depth": self.depth, "keywords": self.keywords}

    async def start(self):
        for seed in self.seeds:
            url = urls.canonical_article_url(seed)
            if url is None:
                self.logger.error("not a people.cn article URL, skipped: %s", seed)
                self.crawler.stats.inc_value("xietong/bad_seeds")
                continue
            yield self._article_request(url, hops=0, seed=True)

    def _article_request(self, url: str, hops: int, seed: bool = False) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, priority=-hops,
                              meta={"hops": hops, "seed": seed})

    def parse_page(self, response: Response):
        article = self._read(response)
        if article is None:
            return
        pages = [*response.meta.get("pages", []), article]
        todo = response.meta.get("pages_todo", article.page_urls[1:])
        if todo:
            # A multi-page article: fetch the next page, in order; merge after the last.
            meta = {k: response.meta[k] for k in ("hops", "seed")}
            yield response.request.replace(
                url=todo[0], meta={**meta, "pages": pages, "pages_todo": todo[1:]}
            )
            return
        yield from self._archive_and_follow(merge_pages(pages[0], pages[1:]), response.meta)

    def _read(self, response: Response) -> Article | None:
        self.crawler.stats.inc_value("xietong/pages_read")
        try:
            return parse_article(response.url, response.body,
                                 response.headers.get("Content-Type", b"").decode("latin-1"))
        except PageError as e:
            self.logger.warning("could not read %s: %s", response.url, e)
            self.crawler.stats.inc_value(f"xietong/parse_errors/{e.kind}")
            self.crawler.stats.inc_value("xietong/parse_errors")
            return None

    def _archive_and_follow(self, article: Article, meta: dict):
        if not (meta.get("seed") or is_relevant(article, self.keywords)):
            self.crawler.stats.inc_value("xietong/articles_irrelevant")
            self.logger.info("not relevant, not archived: %s", article.url)
            return
        yield article.to_dict()
        hops = meta["hops"]
        if hops >= self.depth:
            return
        for link in article.links:
            if link.kind not in self.follow_kinds:
                continue
            url = urls.canonical_article_url(link.url)
            if url and url != article.url:
                yield self._article_request(url, hops=hops + 1)
