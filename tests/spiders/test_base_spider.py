"""The spiders' shared base (spiders/base.py), built by from_crawler with the project settings and
fed the sample site's real pages: its arguments, the article requests it makes (conditional,
skipped when not due), and reading a page — 304, an unreadable page, an article of two pages,
relevance — into items and further requests.
"""

from __future__ import annotations

from crawler_kit import crawler_for, open_spider, read_page, response_for
from scrapy.http import Request

from runtime.items import ArticleItem
from runtime.services import services
from spiders.base import ArticleSpider

ARTICLE = "http://bj.people.com.cn/n2/2024/0112/c14540-40710366.html"
TWO_PAGES = "http://finance.people.com.cn/n1/2024/0226/c1004-40182455.html"


class PlainSpider(ArticleSpider):
    """The base alone: it reads the pages it is given and archives them."""

    name = "plain"


def committed(spider) -> None:
    """The crawl's state writes committed: they go with the writer's batches (issue 18)."""
    services(spider.crawler).writer.flush()


def spider_for(tmp_path, *, settings: dict | None = None, **args) -> PlainSpider:
    crawler = crawler_for(tmp_path / "archive.db", PlainSpider, **(settings or {}))
    return open_spider(crawler, **args)


def test_arguments_come_from_the_profile_unless_given(tmp_path):
    spider = spider_for(tmp_path)
    assert spider.profile.name == "jingjinji" and "京津冀" in spider.keywords
    assert spider.incremental and spider.state is services(spider.crawler).state
    given = spider_for(tmp_path, keywords=" 雄安, 通州 ,", incremental="false")
    assert given.keywords == ["雄安", "通州"] and given.state is None
    assert given.arguments() == {"profile": "jingjinji", "keywords": ["雄安", "通州"],
                                 "incremental": False}
    assert spider_for(tmp_path, keywords="").keywords == []


def test_an_article_request_is_conditional_and_skipped_when_not_due(tmp_path):
    spider = spider_for(tmp_path)
    request = spider.article_request(ARTICLE, list_title="标题", priority=5, hops=1)
    assert request.url == ARTICLE and request.priority == 5
    assert request.meta == {"hops": 1, "kind": "article", "conditional": True}
    assert request.callback == spider.parse_page
    spider.state.record_fetch(ARTICLE, "article", 200, body=b"x")
    committed(spider)
    assert spider.article_request(ARTICLE, list_title="标题") is None
    assert spider.crawler.stats.get_value("xietong/articles_not_due") == 1
    assert spider.article_request(ARTICLE, list_title="新标题") is not None  # retitled
    assert spider_for(tmp_path, incremental="false").article_request(ARTICLE) is not None


def test_a_relevant_article_becomes_an_item_and_its_photos_requests(site, tmp_path):
    spider = spider_for(tmp_path)
    (item,), requests = read_page(spider, site, site.seed)
    assert isinstance(item, ArticleItem) and item.id == "he-40745301"
    assert item.article.title == site.articles[site.seed]["title"]
    assert requests and all(r.meta.get("requisite") for r in requests)
    assert spider.crawler.stats.get_value("xietong/read_by/people_2020") == 1


def test_an_article_off_topic_is_not_archived(site, tmp_path):
    spider = spider_for(tmp_path, keywords="长三角一体化")
    assert read_page(spider, site, site.seed) == ([], [])
    assert spider.crawler.stats.get_value("xietong/articles_irrelevant") == 1


def test_an_article_of_two_pages_is_read_page_by_page_into_one_item(site, tmp_path):
    spider = spider_for(tmp_path)
    first = Request(TWO_PAGES, callback=spider.parse_page, meta={"kind": "article"},
                    headers={"If-None-Match": '"old"', "If-Modified-Since": "Mon, 26 Feb 2024"})
    (follow,) = spider.parse_page(response_for(TWO_PAGES, site.get(TWO_PAGES), request=first))
    page_2 = site.articles[TWO_PAGES]["url"].removesuffix(".html") + "-2.html"
    assert follow.url == page_2 and follow.meta["pages_todo"] == []
    assert len(follow.meta["pages"]) == 1
    assert b"If-None-Match" not in follow.headers  # page 2 has validators of its own
    out = list(spider.parse_page(response_for(page_2, site.get(page_2), request=follow)))
    (item,) = [x for x in out if isinstance(x, ArticleItem)]
    assert item.article.page_urls == [TWO_PAGES, page_2]
    assert len(item.article.paragraphs) > len(follow.meta["pages"][0].paragraphs)


def test_a_304_yields_nothing_and_is_counted(tmp_path):
    spider = spider_for(tmp_path)
    request = Request(ARTICLE, meta={"kind": "article"})
    assert list(spider.parse_page(response_for(ARTICLE, status=304, request=request))) == []
    assert spider.crawler.stats.get_value("xietong/articles_not_modified") == 1


def test_an_unreadable_page_is_counted_and_due_again_next_run(tmp_path):
    spider = spider_for(tmp_path, settings={"XIETONG_REVISIT_MIN_DAYS": 5})
    spider.state.record_fetch(ARTICLE, "article", 200, body=b"<html></html>")
    committed(spider)
    assert not spider.state.worth_fetching(ARTICLE)
    page = response_for(ARTICLE, body="<html><body><p>没有标题的页面</p></body></html>".encode(),
                        headers={"Content-Type": "text/html; charset=utf-8"})
    assert list(spider.parse_page(page)) == []
    stats = spider.crawler.stats.get_stats()
    assert stats["xietong/parse_errors"] == 1
    assert [k for k in stats if k.startswith("xietong/parse_errors/")]
    assert stats["xietong/errors/parse"] == 1  # a failure in the run's ledger
    committed(spider)
    assert spider.state.worth_fetching(ARTICLE)  # tried again on the next run
    assert spider.state.get(ARTICLE)["error"].startswith("unreadable: ")
    homepage = response_for("http://www.people.com.cn/", body=b"<html></html>")
    assert list(spider.parse_page(homepage)) == []  # a redirect led off the article addresses
    assert spider.crawler.stats.get_value("xietong/parse_errors/not_an_article_url") == 1


def test_due_revisits_are_requested_last(tmp_path):
    spider = spider_for(tmp_path, settings={"XIETONG_REVISIT_MIN_DAYS": 0})
    spider.state.record_fetch(ARTICLE, "article", 200, body=b"x")
    committed(spider)
    (revisit,) = spider.due_revisits()
    assert (revisit.url, revisit.priority, revisit.meta["revisit"]) == (ARTICLE, -100, True)
    assert revisit.meta["conditional"] and spider.crawler.stats.get_value("xietong/revisits") == 1
    assert list(spider_for(tmp_path, incremental="false").due_revisits()) == []
