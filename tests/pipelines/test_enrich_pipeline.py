"""The enrich pipeline (pipelines/enrich.py), built by from_crawler: each article the spider reads
is tagged with the places and topics it mentions, from the bundled gazetteer and lexicon or the
files XIETONG_PLACES and XIETONG_TOPICS name; other items pass untouched."""

from __future__ import annotations

from crawler_kit import crawler_for, open_spider, read_page

from pipelines.enrich import EnrichPipeline
from runtime.items import StatusEvent
from spiders.related import RelatedSpider

PLACES = """name\ten\tkind\tparent\tlatitude\tlongitude\taliases
容城县\tRongcheng\tcounty\t\t39.05\t115.86\t
"""
TOPICS = """[[topic]]
id = "health"
zh = "医疗"
en = "Health care"
keywords = ["医院", "医疗", "患者"]
"""


def enriched(site, tmp_path, **settings):
    crawler = crawler_for(tmp_path / "archive.db", RelatedSpider, **settings)
    spider = open_spider(crawler, keywords="", depth="0")
    (item,), _ = read_page(spider, site, site.seed)
    pipeline = EnrichPipeline.from_crawler(crawler)
    return pipeline.process_item(item), crawler


def test_an_article_gets_the_places_and_topics_it_mentions(site, tmp_path):
    item, crawler = enriched(site, tmp_path)
    assert {"雄安新区", "通州区", "容城县", "天津市"} <= set(item.places)
    assert "公共服务：医疗卫生" in item.topics
    assert item.record()["places"] == item.places and item.record()["topics"] == item.topics
    stats = crawler.stats.get_stats()
    assert stats["xietong/articles_with_places"] == stats["xietong/articles_with_topics"] == 1


def test_the_files_the_settings_name_are_used_instead(site, tmp_path):
    (tmp_path / "places.tsv").write_text(PLACES, encoding="utf-8")
    (tmp_path / "topics.toml").write_text(TOPICS, encoding="utf-8")
    item, _ = enriched(site, tmp_path, XIETONG_PLACES=str(tmp_path / "places.tsv"),
                       XIETONG_TOPICS=str(tmp_path / "topics.toml"))
    assert item.places == ["容城县"] and item.topics == ["医疗"]


def test_other_items_pass_untouched(tmp_path):
    event = StatusEvent("he-40745301", "replaced", "the page no longer reads as an article")
    pipeline = EnrichPipeline.from_crawler(crawler_for(tmp_path / "archive.db"))
    assert pipeline.process_item(event) is event
