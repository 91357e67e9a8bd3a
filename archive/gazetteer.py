"""The gazetteer of Beijing, Tianjin and Hebei (archive/data/places.tsv): places with their kind,
parent and approximate coordinates, and the tagger that finds them in an article's text.
Pure: reads only the bundled TSV (or one you pass); never touches the network or an archive.
"""

from __future__ import annotations

import csv
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PLACES_TSV = "data/places.tsv"  # beside this module

# Everyday phrases that contain a place's spelling across a word boundary (确保|定期 is not
# 保定, 巩固|安全 is not 固安); they are blanked out before matching.
NOT_PLACES = ("确保定", "担保定", "巩固安", "稳固安", "平安新", "公安新")


@dataclass(frozen=True)
class Place:
    name: str  # unique; what the archive stores
    en: str
    kind: str  # municipality | province | city | new_area | district | county | county_city
    parent: str | None
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()


class Gazetteer:
    def __init__(self, places: list[Place]):
        self.places = {p.name: p for p in places}
        spellings = {}
        for p in places:
            for spelling in (p.name, *p.aliases):
                spellings.setdefault(spelling, p)
        self._by_spelling = spellings
        # Longest spelling first, so 雄安新区 wins over 雄安 and 安新 (inside 雄安新区) never
        # matches. A name ending in 区 is not matched before 域: 河北区域 is "Hebei's region",
        # not Tianjin's 河北区 (the regex then falls back to 河北).
        alternatives = [
            re.escape(s) + ("(?!域)" if s.endswith("区") else "")
            for s in sorted(spellings, key=len, reverse=True)
        ]
        self._pattern = re.compile("|".join(alternatives))

    def __getitem__(self, name: str) -> Place:
        return self.places[name]

    def get(self, name: str) -> Place | None:
        return self.places.get(name)

    def find(self, text: str | None) -> list[Place]:
        """Places named in `text`, each once, in order of first mention."""
        text = text or ""
        for phrase in NOT_PLACES:
            text = text.replace(phrase, " " * len(phrase))
        found: dict[str, Place] = {}
        for m in self._pattern.finditer(text):
            place = self._by_spelling[m.group()]
            found.setdefault(place.name, place)
        return list(found.values())


def read_places(path: Path | None = None) -> list[Place]:
    # pkgutil reads package data from a zipped egg too (scrapyd runs those).
    text = path.read_text("utf-8") if path else pkgutil.get_data(__name__, PLACES_TSV).decode()
    lines = [line for line in text.splitlines()
             if line.strip() and not line.startswith("#")]
    places = []
    for row in csv.DictReader(lines, delimiter="\t"):
        places.append(Place(
            name=row["name"],
            en=row["en"],
            kind=row["kind"],
            parent=row["parent"] or None,
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            aliases=tuple(a.strip() for a in (row["aliases"] or "").split(",") if a.strip()),
        ))
    return places


@cache
def gazetteer(path: Path | None = None) -> Gazetteer:
    return Gazetteer(read_places(path))
