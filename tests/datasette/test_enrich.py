"""The enrich pipeline tags places and topics; the archive stores them as columns and as
`article_places` rows with coordinates."""

from __future__ import annotations

import json

import sqlite_utils
from scrapy.utils.test import get_crawler

from archive.enrich import article_text
from archive.schema import ensure_schema
from archive.store import save_article
from peoplecn.pages.record import Article, Image
from pipelines.enrich import EnrichPipeline
from runtime.items import ArticleItem


def article(**changes) -> Article:
    return Article(**{**dict(
        url="http://he.people.com.cn/n2/2024/0301/c192235-40000001.html", id="he-40000001",
        content_id="40000001", site="he.people.com.cn", channel="河北频道",
        title="京雄城际铁路通车 雄安新区迎来高铁时代", pre_title=None, subtitle=None, series=None,
        published_at="2024-03-01T09:00:00+08:00", source="人民网", source_url=None, byline=None,
        authors=[], editors=[],
        paragraphs=["雄安站位于雄县。", "列车从北京西站出发，经过大兴机场。"],
        images=[Image("http://he.people.com.cn/a.jpg", "容城县的田野")], links=[],
        language="zh", template="people_2020", charset="utf-8"), **changes})


def pipeline() -> EnrichPipeline:
    return EnrichPipeline.from_crawler(get_crawler(settings_dict={}))


def test_article_text_reads_headlines_paragraphs_and_captions():
    text = article_text(article(pre_title="引题").to_dict())
    assert "引题" in text and "京雄城际" in text and "大兴机场" in text and "容城县" in text


def test_pipeline_tags_places_and_topics():
    item = pipeline().process_item(ArticleItem(article()))
    assert item.places == ["雄安新区", "雄县", "北京市", "大兴区", "容城县"]
    assert item.topics == ["交通一体化"]


def test_pipeline_is_registered_between_dedupe_and_store():
    from runtime import settings

    order = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.get)
    assert order.index("pipelines.dedupe.DedupePipeline") < order.index(
        "pipelines.enrich.EnrichPipeline") < order.index("pipelines.store.ArchivePipeline")


def test_stored_as_json_columns_and_article_places_rows(tmp_path):
    db = sqlite_utils.Database(tmp_path / "a.db")
    ensure_schema(db)
    item = pipeline().process_item(ArticleItem(article())).record()
    save_article(db, item, "2024-03-02T00:00:00+00:00")
    row = db["articles"].get("he-40000001")
    assert json.loads(row["places"])[0] == "雄安新区"
    assert json.loads(row["topics"]) == ["交通一体化"]
    places = {r["place"]: r for r in db["article_places"].rows_where("article_id = ?",
                                                                     ["he-40000001"])}
    assert set(places) == {"雄安新区", "雄县", "北京市", "大兴区", "容城县"}
    assert places["雄安新区"]["kind"] == "new_area"
    assert round(places["雄安新区"]["latitude"]) == 39
    assert round(places["北京市"]["longitude"]) == 116
    # A changed article replaces its rows
    save_article(db, {**item, "places": ["天津市"], "title": "改后的标题"},
                 "2024-03-03T00:00:00+00:00")
    assert [r["place"] for r in db["article_places"].rows] == ["天津市"]
