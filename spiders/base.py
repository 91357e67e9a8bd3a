"""The shared base of xietong's spiders: the topic profile and relevance keywords, article
requests that skip what was fetched recently (per-URL state), reading an article page and its
further pages into one record, and handing relevant records to the pipelines.

A subclass decides where to go (its start and its list or link rules) and what to do with a
read article (`article_read`). Articles reach the archive only as items (runtime/items.py),
through the pipelines; the one thing a spider writes itself is crawl state (runtime/state.py,
reached through runtime/services.py).

Arguments (`-a name=value`): profile (a profiles/ name or a TOML path), keywords (comma-
separated; default: the profile's; "" keeps all), incremental ("true"/"false": skip articles
not yet due). Settings read: XIETONG_PROFILE, XIETONG_REVISIT_PER_RUN, and those of
spiders/requisites.py (an archived article's photos, stylesheets and images are fetched after it).
"""

from __future__ import annotations

import scrapy
from scrapy.http import Response

from peoplecn import urls
from peoplecn.pages import Article, PageError, Reading, merge_pages, read_response
from peoplecn.relevance import is_relevant
from runtime import failures
from runtime.items import ArticleItem
from runtime.profiles import load_profile
from runtime.services import services
from runtime.state import HELD, CrawlState, held
from spiders.requisites import RequisiteFetching

CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")


def as_bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class ArticleSpider(RequisiteFetching, scrapy.Spider):
    allowed_domains = ["people.com.cn", "people.cn"]
    incremental_default = True
    # Meta keys a subclass carries from page 1 of an article to its further pages.
    page_meta: tuple[str, ...] = ()

    def __init__(self, profile: str | None = None, keywords: str | None = None,
                 incremental: str | bool | None = None, **kwargs):
        super().__init__(**kwargs)
        self._base_args = {"profile": profile, "keywords": keywords, "incremental": incremental}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        a = spider._base_args
        spider.profile = load_profile(a["profile"] or crawler.settings.get("XIETONG_PROFILE"))
        kw = a["keywords"]
        spider.keywords = ([k.strip() for k in kw.split(",") if k.strip()] if kw is not None
                           else spider.profile.keywords)
        spider.incremental = (as_bool(a["incremental"]) if a["incremental"] is not None
                              else cls.incremental_default)
        spider.revisit_per_run = crawler.settings.getint("XIETONG_REVISIT_PER_RUN")
        return spider

    @property
    def state(self) -> CrawlState | None:
        """The crawl's per-URL state when this run is incremental, else None (fetch all)."""
        return services(self.crawler).state if self.incremental else None

    @property
    def crawl_state(self) -> CrawlState:
        """The crawl's per-URL state, whether or not this run skips what is not due."""
        return services(self.crawler).state

    @property
    def ask_conditionally(self) -> bool:
        """Article requests carry the archived copy's validators (a 304 then means it
        stands) — unless the requisites are to be fetched again, which only a read page
        names (XIETONG_REQUISITES_REFETCH)."""
        return not self.requisite_policy.refetch

    def arguments(self) -> dict:
        return {"profile": self.profile.name, "keywords": self.keywords,
                "incremental": self.incremental}

    # -- requests ---------------------------------------------------------------------------
    def article_request(self, url: str, list_title: str | None = None, priority: int = 0,
                        **meta) -> scrapy.Request | None:
        """A request for an article page — None when the state says it is fetched and not due
        (and no list shows it under a new headline). Conditional: an unchanged page is a 304."""
        if self.state is not None and not self.state.worth_fetching(url, list_title):
            self.crawler.stats.inc_value("xietong/articles_not_due")
            return None
        return scrapy.Request(url, callback=self.parse_page, priority=priority,
                              meta={**meta, "kind": "article",
                                    "conditional": self.ask_conditionally})

    def due_revisits(self):
        """Requests for articles this spider fetched before whose revisit has come."""
        if self.state is None:
            return
        for url in self.state.due_articles(self.revisit_per_run):
            self.crawler.stats.inc_value("xietong/revisits")
            yield scrapy.Request(url, callback=self.parse_page, priority=-100,
                                 meta={"kind": "article", "revisit": True,
                                       "conditional": self.ask_conditionally})

    # -- reading ----------------------------------------------------------------------------
    def parse_page(self, response: Response):
        if response.status == 304:
            self.crawler.stats.inc_value("xietong/articles_not_modified")
            yield from self.not_modified(response)
            return
        reading = self._read(response)
        if reading is None:
            return
        article = reading.article
        pages = [*response.meta.get("pages", []), article]
        requisites = [*response.meta.get("page_requisites", []), reading.requisite_pairs()]
        todo = response.meta.get("pages_todo", article.page_urls[1:])
        if todo:
            # A multi-page article: fetch the next page, in order; merge after the last.
            meta = {k: response.meta[k] for k in self.page_meta if k in response.meta}
            headers = response.request.headers.copy()
            for name in CONDITIONAL_HEADERS:
                headers.pop(name, None)
            yield response.request.replace(
                url=todo[0], headers=headers,
                meta={**meta, "pages": pages, "pages_todo": todo[1:],
                      "page_requisites": requisites,
                      # the pages' held state goes on with them, to the merged article
                      HELD: held(response.request)},
            )
            return
        article = merge_pages(pages[0], pages[1:])
        self._count_readers(article)
        yield from self.article_read(article, {**response.meta, "page_requisites": requisites})

    def _count_readers(self, article: Article) -> None:
        """Which reader read the article, the fields the template-blind reader filled in for
        a template reader, and those the two read differently: the crawls row counts them
        (runtime/report.py)."""
        stats = self.crawler.stats
        stats.inc_value(f"xietong/read_by/{article.template}")
        if article.compared:
            stats.inc_value("xietong/agreement/compared")
        for name, reader in article.field_sources.items():
            if reader != article.template:
                stats.inc_value(f"xietong/agreement/filled/{name}")
        for name in article.disagreements:
            stats.inc_value(f"xietong/agreement/disagreed/{name}")

    def not_modified(self, response: Response):
        """An article page answered 304: the archived record stands. Nothing to do here."""
        return iter(())

    def _read(self, response: Response) -> Reading | None:
        """The page read, in one call into the page readers (the article, and the page's
        requisites from the same parse when they are wanted); None if it is no article."""
        self.crawler.stats.inc_value("xietong/pages_read")
        wanted = self.wants_page_requisites
        if urls.article_id(response.url) is None:
            # A redirect led off people.cn's article addresses (a junk path, a homepage): no
            # article id to archive it under. The redirect itself is the article's status.
            self.logger.warning("not an article address, not read: %s", response.url)
            self._unreadable(response, "not_an_article_url")
            return None
        try:
            return read_response(response.url, response.body,
                                 response.headers.get("Content-Type", b"").decode("latin-1"),
                                 requisites=wanted)
        except PageError as e:
            self.logger.warning("could not read %s: %s", response.url, e)
            self._unreadable(response, e.kind)
            return None

    def _unreadable(self, response: Response, kind: str) -> None:
        """A page answered but could not be read: a failure (counted in the ledger)."""
        stats = self.crawler.stats
        stats.inc_value(f"xietong/parse_errors/{kind}")
        stats.inc_value("xietong/parse_errors")
        failures.count(stats, "parse", response.request)
        self.crawl_state.unreadable(response, kind)

    def article_read(self, article: Article, meta: dict):
        """What to do with a read article; by default archive it if it is on topic."""
        yield from self.archive(article, meta)

    def archive(self, article: Article, meta: dict, always: bool = False):
        if not (always or is_relevant(article, self.keywords)):
            self.crawler.stats.inc_value("xietong/articles_irrelevant")
            self.logger.info("not relevant, not archived: %s", article.url)
            return
        # The state held for the pages it was read from is committed with it.
        writes = meta.get(HELD)
        yield ArticleItem(article, state_writes=writes if writes is not None else [])
        yield from self.requisite_requests(article, meta)
