"""The entity lexicon (archive/data/entities.toml): known plans and bodies, the kind words of
documents and organisations, officials' titles, verbs of saying, surnames. Read once; pure —
never touches the network or an archive.
"""

from __future__ import annotations

import pkgutil
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ENTITIES_TOML = "data/entities.toml"  # beside this module


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(w.strip() for w in words if w.strip()),
                        key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class EntityLexicon:
    documents: tuple[str, ...]
    document_suffixes: tuple[str, ...]
    law_prefix: str
    law_suffix: str
    subject_prefix: str
    not_document_suffixes: tuple[str, ...]
    not_document_titles: frozenset[str]
    organisations: tuple[str, ...]
    organisation_suffixes: tuple[str, ...]
    not_organisations: frozenset[str]
    generic_prefixes: frozenset[str]
    titles: tuple[str, ...]
    speech_verbs: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    not_names: frozenset[str]
    reporter_words: tuple[str, ...]

    def alternation(self, words: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in words)


def read_entity_lexicon(path: Path | None = None) -> EntityLexicon:
    # pkgutil reads package data from a zipped egg too (scrapyd runs those).
    text = path.read_text("utf-8") if path else pkgutil.get_data(__name__, ENTITIES_TOML).decode()
    data = tomllib.loads(text)
    docs, orgs, people = data["documents"], data["organisations"], data["people"]
    surnames = people["surnames"].split()
    return EntityLexicon(
        documents=_longest_first(docs["known"]),
        document_suffixes=_longest_first(docs["suffixes"]),
        law_prefix=docs["law_prefix"], law_suffix=docs["law_suffix"],
        subject_prefix=docs["subject_prefix"],
        not_document_suffixes=_longest_first(docs["not_suffixes"]),
        not_document_titles=frozenset(docs["not_titles"]),
        organisations=_longest_first(orgs["known"]),
        organisation_suffixes=_longest_first(orgs["strong_suffixes"]),
        not_organisations=frozenset(orgs["not_words"]),
        generic_prefixes=frozenset(orgs["generic_prefixes"]),
        titles=_longest_first(people["titles"]),
        speech_verbs=_longest_first(people["speech_verbs"]),
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        not_names=frozenset(people["not_names"]),
        reporter_words=_longest_first(people["reporter_words"]),
    )


@cache
def entity_lexicon(path: Path | None = None) -> EntityLexicon:
    return read_entity_lexicon(path)
