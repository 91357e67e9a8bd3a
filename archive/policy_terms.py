"""The bilingual lexicon of policy vocabulary (archive/data/policy_terms.tsv): Chinese terms of
京津冀协同发展 reporting with their English forms and pinyin, so an English or pinyin search word
finds the Chinese term (archive/spellings.py). Pure: reads only the bundled TSV (or one you
pass); never touches the network or an archive.
"""

from __future__ import annotations

import csv
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

POLICY_TSV = "data/policy_terms.tsv"  # beside this module


@dataclass(frozen=True)
class PolicyTerm:
    zh: tuple[str, ...]  # the Chinese spellings a search adds
    en: tuple[str, ...]
    pinyin: str | None = None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def read_policy_terms(path: Path | None = None) -> list[PolicyTerm]:
    # pkgutil reads package data from a zipped egg too (scrapyd runs those).
    text = path.read_text("utf-8") if path else pkgutil.get_data(__name__, POLICY_TSV).decode()
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [PolicyTerm(zh=_split(row["zh"]), en=_split(row["en"]),
                       pinyin=(row.get("pinyin") or "").strip() or None)
            for row in csv.DictReader(lines, delimiter="\t") if _split(row["zh"])]


@cache
def policy_terms(path: Path | None = None) -> list[PolicyTerm]:
    return read_policy_terms(path)
