"""Tag each article with the places and topics it mentions (archive/enrich.py), as `places`
and `topics` lists, and with its people, organisations, documents and words, before it is
stored. Only adds fields; never drops an item, never touches
the archive.

Settings read: XIETONG_PLACES (gazetteer TSV path), XIETONG_TOPICS (lexicon TOML path); empty
means the bundled files.
"""

from __future__ import annotations

from pathlib import Path

from archive.enrich import ENRICHED, enrich_record
from archive.gazetteer import gazetteer
from archive.topics import lexicon
from runtime.items import ArticleItem


class EnrichPipeline:
    def __init__(self, stats, places_path: Path | None = None, topics_path: Path | None = None):
        self.stats = stats
        self.places_path, self.topics_path = places_path, topics_path
        gazetteer(places_path), lexicon(topics_path)  # read (and check) both files at start

    @classmethod
    def from_crawler(cls, crawler):
        places = crawler.settings.get("XIETONG_PLACES")
        topics = crawler.settings.get("XIETONG_TOPICS")
        return cls(crawler.stats, Path(places) if places else None,
                   Path(topics) if topics else None)

    def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        tags = enrich_record(item.article.to_dict(), self.places_path, self.topics_path)
        item.places, item.topics = tags["places"], tags["topics"]
        item.enrichment = {k: tags[k] for k in ENRICHED if k not in ("places", "topics")}
        if item.places:
            self.stats.inc_value("xietong/articles_with_places")
        if item.topics:
            self.stats.inc_value("xietong/articles_with_topics")
        return item
