"""The places (archive/gazetteer.py) and topics (archive/topics.py) an article record mentions:
one rule for the crawl's enrichment pipeline and for `xietong reparse`, so both tag alike.
Pure over the record and the two data files.
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
