"""The `related` spider's link rules (spiders/related.py), fed the sample site's real pages: seeds
under their canonical address, the link kinds XIETONG_FOLLOW names followed breadth first to the
depth, only relevant articles followed, seeds always kept; in an incremental run an article
fetched recently is walked over in the archive instead of fetched.
"""

from __future__ import annotations

from crawler_kit import crawl_seed, crawler_for, open_spider, read_page, start_requests

from peoplecn import urls
from runtime.items import ArticleItem
from spiders.related import RelatedSpider


def spider_for(tmp_path, settings: dict | None = None, **args) -> RelatedSpider:
    crawler = crawler_for(tmp_path / "archive.db", RelatedSpider, **(settings or {}))
    return open_spider(crawler, **args)


def links(site, url: str, kind: str) -> list[str]:
    spec = site.articles[url]
    found = spec[kind] if kind == "related" else [r["url"] for r in spec[kind]]
    return [urls.canonical_article_url(u) for u in found]


def test_seeds_are_asked_for_under_their_canonical_address(tmp_path):
    seeds = ["http://he.people.com.cn/n2/2024/0225/c192235-40745301.html?from=share",
             "https://bj.people.com.cn/n2/2024/0112/c14540-40710366-1.html",
             "http://www.people.com.cn/"]
    spider = spider_for(tmp_path, seeds=",".join(seeds), depth="2")
    requests = start_requests(spider)
    assert [r.url for r in requests] == [
        "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html",
        "http://bj.people.com.cn/n2/2024/0112/c14540-40710366.html"]
    # asked conditionally (issue 18): an archived seed that did not change answers 304
    assert all(r.meta == {"hops": 0, "seed": True, "kind": "article", "conditional": True}
               and r.priority == 0 for r in requests)
    assert spider.crawler.stats.get_value("xietong/bad_seeds") == 1


def test_the_link_kinds_named_are_followed_one_hop_further(site, tmp_path):
    spider = spider_for(tmp_path, seeds=site.seed, depth="2")
    (item,), requests = read_page(spider, site, site.seed)
    pages = [r for r in requests if not r.meta.get("requisite")]
    expected = set(links(site, site.seed, "related") + links(site, site.seed, "recommended"))
    assert expected <= {r.url for r in pages}
    assert all(r.meta["hops"] == 1 and r.priority == -1 and not r.meta["seed"] for r in pages)
    only = spider_for(tmp_path, settings={"XIETONG_FOLLOW": ["recommended"]}, seeds=site.seed,
                      depth="2")
    _, requests = read_page(only, site, site.seed)
    assert {r.url for r in requests if not r.meta.get("requisite")} == \
        set(links(site, site.seed, "recommended"))


def test_nothing_is_followed_at_the_depth(site, tmp_path):
    spider = spider_for(tmp_path, seeds=site.seed, depth="1")
    (item,), requests = read_page(spider, site, site.seed, hops=1, seed=False)
    assert isinstance(item, ArticleItem)
    assert all(r.meta.get("requisite") for r in requests)  # its photos, no pages


def test_an_off_topic_article_is_neither_kept_nor_followed_unless_a_seed(site, tmp_path):
    off_topic = sorted(site.irrelevant_urls())[0]
    spider = spider_for(tmp_path, seeds=site.seed, depth="3")
    assert read_page(spider, site, off_topic, hops=1, seed=False) == ([], [])
    (item,), requests = read_page(spider, site, off_topic, hops=0, seed=True)
    assert item.id == urls.article_id(off_topic)
    assert [r for r in requests if r.meta.get("hops") == 1]  # a seed's links are followed


def test_an_incremental_run_walks_over_what_it_fetched_recently(site, tmp_path):
    archive = tmp_path / "archive.db"
    crawl_seed(site, archive)
    crawler = crawler_for(archive, RelatedSpider)
    spider = open_spider(crawler, seeds=site.seed, depth="1", incremental="true")
    # (photos the archive lacks come first, whatever is due: issue 18's repair)
    requests = [r for r in start_requests(spider) if not r.meta.get("requisite")]
    # The seed is not due: its stored links lead on, one hop further, to what was never fetched.
    assert site.seed not in {r.url for r in requests}
    stored = set(links(site, site.seed, "related") + links(site, site.seed, "recommended"))
    assert stored <= {r.url for r in requests}
    assert all(r.meta["hops"] == 1 and r.meta["kind"] == "article" for r in requests)
    assert crawler.stats.get_value("xietong/articles_not_due") == 1
    assert spider.arguments()["incremental"] is True
