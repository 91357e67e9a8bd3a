"""The dedupe pipeline (pipelines/dedupe.py): a second copy of an article in one run — the same
article reached under another spelling of its address — is dropped before it is stored; other
items pass. Fed the items the spider yields for real sample pages, and in a real crawl.
"""

from __future__ import annotations

import pytest
import sqlite_utils
from crawler_kit import crawl_site, crawler_for, open_spider, read_page
from scrapy.exceptions import DropItem

from pipelines.dedupe import DedupePipeline
from runtime.items import SeriesListing
from spiders.base import ArticleSpider
from spiders.related import RelatedSpider

ARTICLE = "http://bj.people.com.cn/n2/2024/0301/c82838-40752147.html"
SPELLINGS = [ARTICLE, f"{ARTICLE}?from=groupmessage"]  # as a share link spells it


@pytest.fixture
def dedupe(site, tmp_path):
    crawler = crawler_for(tmp_path / "archive.db", RelatedSpider)
    spider = open_spider(crawler, keywords="", depth="0")
    return DedupePipeline.from_crawler(crawler), spider, crawler


def test_a_second_copy_of_an_article_is_dropped(site, dedupe):
    pipeline, spider, crawler = dedupe
    (first,), _ = read_page(spider, site, ARTICLE)
    (again,), _ = read_page(spider, site, ARTICLE)
    (other,), _ = read_page(spider, site, site.seed)
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match="already archived in this run: bj-40752147"):
        pipeline.process_item(again)
    assert pipeline.process_item(other) is other
    assert crawler.stats.get_value("xietong/duplicates_dropped") == 1


def test_other_items_pass_however_often(dedupe):
    pipeline, _, crawler = dedupe
    listing = SeriesListing("京津冀协同发展十年", "http://politics.people.com.cn/GB/8198/441926/"
                            "index.html", (("bj-40752147", 1),))
    assert pipeline.process_item(listing) is listing
    assert pipeline.process_item(listing) is listing
    assert crawler.stats.get_value("xietong/duplicates_dropped") is None


class SpellingsSpider(ArticleSpider):
    """Requests the articles it is given as they are spelled (the related spider would
    canonicalise them first)."""

    name = "spellings"

    def __init__(self, urls: str = "", **kwargs):
        super().__init__(**kwargs)
        self.urls = urls.split(",")

    async def start(self):
        for url in self.urls:
            yield self.article_request(url)


def test_in_a_crawl_one_article_under_two_spellings_is_stored_once(fresh_site, tmp_path):
    site = fresh_site
    site.canned[SPELLINGS[1]] = [site.get(ARTICLE)]  # people.cn ignores a share link's query
    archive = tmp_path / "archive.db"
    crawler = crawl_site(site, archive, SpellingsSpider, {"XIETONG_REQUISITES": False},
                         urls=",".join(SPELLINGS), keywords="")
    fetched = [e.url for e in crawler.exchanges if "40752147" in e.url]
    assert len(fetched) == 2  # both fetched: only the pipeline can tell they are one
    stats = crawler.stats.get_stats()
    assert (stats["item_scraped_count"], stats["item_dropped_count"]) == (1, 1)
    assert stats["xietong/duplicates_dropped"] == 1
    db = sqlite_utils.Database(archive)
    assert db["articles"].count == 1
    (row,) = db["crawls"].rows
    assert (row["articles_new"], row["articles_unchanged"]) == (1, 0)


def test_the_related_spider_asks_for_the_canonical_address_once(site, tmp_path):
    # The other half of "fetched once": spellings the spider can see are one never reach
    # the pipeline.
    crawler = crawl_site(site, tmp_path / "archive.db", RelatedSpider,
                         {"XIETONG_REQUISITES": False}, seeds=",".join(SPELLINGS), depth="0")
    assert [e.url for e in crawler.exchanges if "40752147" in e.url] == [ARTICLE]
    assert crawler.stats.get_value("xietong/duplicates_dropped") is None
