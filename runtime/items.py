"""The items spiders hand the pipelines, one type per kind of thing, so a pipeline tells them
apart by type (never by a magic key): an article on its way to the archive, a status event about
an archived one, and a series index page's members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.batch import SeriesListing, StateWrite, StatusEvent
from peoplecn.pages import Article

__all__ = ["ArticleItem", "SeriesListing", "StatusEvent"]


@dataclass
class ArticleItem:
    """An article read from its page(s). The enrichment pipeline fills `places` and `topics`;
    `record()` is what the archive stores."""

    article: Article
    places: list[str] | None = None  # gazetteer names it mentions (pipelines/enrich.py)
    topics: list[str] | None = None  # topic labels (archive/data/topics.toml)
    # people, organisations, documents, entity_mentions, terms (archive/enrich.py ENRICHED)
    enrichment: dict | None = None
    # The crawl-state writes of the fetches it was read from (runtime/state.py): committed in
    # the same transaction as the record, never before it.
    state_writes: list[StateWrite] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id

    def record(self) -> dict:
        record = self.article.to_dict()
        if self.places is not None:
            record["places"] = self.places
        if self.topics is not None:
            record["topics"] = self.topics
        record.update(self.enrichment or {})
        return record
