"""What an article record mentions, added to it before it is stored: places (archive/
gazetteer.py), topics (archive/topics.py), people, organisations and documents with their
evidence (archive/entities.py), and its words (archive/segment.py). One rule for the crawl's
enrichment pipeline and for `xietong reparse`, so both tag alike.
Pure over the record and the data files.
"""

from __future__ import annotations

from pathlib import Path

from archive.entities import article_entities
from archive.gazetteer import gazetteer
from archive.segment import segmenter_key, terms_text
from archive.topics import lexicon

# What enrich_record adds to a record (the crawl's item carries them to the archive).
ENRICHED = ("places", "topics", "people", "organisations", "documents", "entity_mentions",
            "terms", "terms_segmenter")


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
    entities = article_entities(item)
    for kind in ("people", "organisations", "documents"):
        item[kind] = entities[kind]
    item["entity_mentions"] = entities["mentions"]
    # The words of the title and of the body as the archive stores it (paragraphs joined).
    item["terms"] = terms_text(item.get("title"), "\n".join(item.get("paragraphs") or []))
    item["terms_segmenter"] = segmenter_key()
    return item
