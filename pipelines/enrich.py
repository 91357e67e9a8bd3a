"""Tag each article with the places (archive/gazetteer.py) and topics (archive/topics.py) it
mentions, as `places` and `topics` lists, before it is stored. Only adds fields; never drops an
item, never touches the archive.

Settings read: XIETONG_PLACES (gazetteer TSV path), XIETONG_TOPICS (lexicon TOML path); both
default to the bundled files.
"""

from __future__ import annotations

from pathlib import Path

from archive.gazetteer import gazetteer
from archive.topics import lexicon


def article_text(item: dict) -> str:
    """Everything a reader sees of the article: headlines, paragraphs, photo captions."""
    parts = [item.get("pre_title"), item.get("title"), item.get("subtitle"),
             *(item.get("paragraphs") or []),
             *((image or {}).get("caption") for image in item.get("images") or [])]
    return "\n".join(p for p in parts if p)


def enrich_record(item: dict, places_path: Path | None = None,
                  topics_path: Path | None = None) -> dict:
    """Tag one record in place and return it: what the pipeline does, for code outside a
    crawl (`xietong reparse` must enrich exactly as the crawl did)."""
    text = article_text(item)
    item["places"] = [p.name for p in gazetteer(places_path).find(text)]
    item["topics"] = [t.zh for t in lexicon(topics_path).find(item.get("title"), text)]
    return item


class EnrichPipeline:
    def __init__(self, stats, places_path: Path | None = None, topics_path: Path | None = None):
        self.stats = stats
        self.places_path, self.topics_path = places_path, topics_path
        gazetteer(places_path), lexicon(topics_path)  # read (and check) both files at start

    @classmethod
    def from_crawler(cls, crawler):
        places, topics = (crawler.settings.get(name) for name in ("XIETONG_PLACES",
                                                                   "XIETONG_TOPICS"))
        return cls(crawler.stats, Path(places) if places else None,
                   Path(topics) if topics else None)

    def process_item(self, item: dict):
        if "status_event" in item:
            return item
        enrich_record(item, self.places_path, self.topics_path)
        if item["places"]:
            self.stats.inc_value("xietong/articles_with_places")
        if item["topics"]:
            self.stats.inc_value("xietong/articles_with_topics")
        return item
