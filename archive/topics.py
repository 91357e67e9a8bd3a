"""The topic lexicon (archive/data/topics.toml) and the tagger that gives an article its topics
by counting the topics' keywords in its title and text. Pure: never touches the network or an
archive.
"""

from __future__ import annotations

import pkgutil
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TOPICS_TOML = "data/topics.toml"  # beside this module
TITLE_WEIGHT = 3  # a keyword in the headline says more than one in the tenth paragraph


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str  # what the archive stores (the facet value)
    en: str
    keywords: tuple[str, ...]
    min_hits: int = 3

    def score(self, title: str, text: str) -> int:
        return sum(TITLE_WEIGHT * title.count(k) + text.count(k) for k in self.keywords)


class Lexicon:
    def __init__(self, topics: list[Topic]):
        self.topics = topics
        self.by_label = {t.zh: t for t in topics}

    def find(self, title: str | None, text: str | None) -> list[Topic]:
        """Topics whose keywords reach their threshold, strongest first."""
        title, text = title or "", text or ""
        scored = [(t.score(title, text), i, t) for i, t in enumerate(self.topics)]
        return [t for score, _, t in sorted(scored, key=lambda s: (-s[0], s[1]))
                if score >= t.min_hits]

    def english(self, label: str) -> str | None:
        topic = self.by_label.get(label)
        return topic.en if topic else None


def read_topics(path: Path | None = None) -> list[Topic]:
    # pkgutil reads package data from a zipped egg too (scrapyd runs those).
    text = path.read_text("utf-8") if path else pkgutil.get_data(__name__, TOPICS_TOML).decode()
    data = tomllib.loads(text)
    return [
        Topic(id=t["id"], zh=t["zh"], en=t["en"], keywords=tuple(t["keywords"]),
              min_hits=int(t.get("min_hits", 3)))
        for t in data["topic"]
    ]


@cache
def lexicon(path: Path | None = None) -> Lexicon:
    return Lexicon(read_topics(path))
