"""Topic profiles: a TOML file (profiles/NAME.toml, or any path) naming a topic's relevance
keywords, seed articles, channel lists, series pages and search keys. A new topic is a new file.

Reads files only; a bad profile is a ProfileError with a message fit for the user.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

DEFAULT = "jingjinji"


class ProfileError(ValueError):
    pass


@dataclass(frozen=True)
class Source:
    url: str
    name: str = ""


@dataclass(frozen=True)
class Profile:
    name: str  # the file's stem
    title: str
    keywords: list[str] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    channels: list[Source] = field(default_factory=list)
    series: list[Source] = field(default_factory=list)
    search_keys: list[str] = field(default_factory=list)
    search_since: str = "2021-01-01"

    def spiders(self) -> list[str]:
        """The spiders `crawl all` runs for this profile, in order: index pages first, so the
        later spiders find their articles already fetched; links last."""
        order = [("series", self.series), ("channel", self.channels),
                 ("search", self.search_keys), ("related", self.seeds)]
        return [name for name, configured in order if configured]


def profile_names() -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in resources.files("profiles").iterdir()
                  if p.name.endswith(".toml"))


def _text(name_or_path: str) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ProfileError(f"no profile file {name_or_path}")
        try:
            return path.stem, path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ProfileError(f"profile {name_or_path} cannot be read as UTF-8 TOML "
                               f"({type(e).__name__})") from None
    resource = resources.files("profiles") / f"{name_or_path}.toml"
    if not resource.is_file():
        raise ProfileError(f"no profile named {name_or_path!r} (have: "
                           f"{', '.join(profile_names())}; or give a path to a .toml file)")
    return name_or_path, resource.read_text(encoding="utf-8")


def _sources(entries: list[dict]) -> list[Source]:
    return [Source(str(e["url"]), str(e.get("name", ""))) for e in entries]


def load_profile(name_or_path: str | None = None) -> Profile:
    name, text = _text(name_or_path or DEFAULT)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"profile {name}: not valid TOML: {e}") from None
    try:
        search = data.get("search", {})
        since = str(search.get("since", "2021-01-01"))
        date.fromisoformat(since)
        return Profile(
            name=name, title=str(data.get("title", name)),
            keywords=[str(k) for k in data.get("keywords", [])],
            seeds=[str(s) for s in data.get("seeds", [])],
            channels=_sources(data.get("channels", [])),
            series=_sources(data.get("series", [])),
            search_keys=[str(k) for k in search.get("keys", [])],
            search_since=since,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise ProfileError(f"profile {name}: {type(e).__name__}: {e} (see profiles/jingjinji.toml "
                           "for the expected shape)") from None
