"""What a setting may hold, and the check of a crawl's settings before it starts: every
XIETONG_* setting against the kind runtime/settings.py declares for it (`kinds` there), and
Scrapy's own numeric settings for finite, non-negative values (a `DOWNLOAD_DELAY` of inf or -1,
a timeout of nan). A bad value is one line naming the setting, the value and what it must be:
`xietong crawl` prints it and exits 2; a crawl started otherwise (scrapy crawl, Scrapyd) stops
with SettingsError before it opens anything.

Reads settings, never changes them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

from scrapy.settings import BaseSettings, default_settings
from scrapy.utils.misc import load_object


class SettingsError(ValueError):
    """One or more settings hold values a crawl cannot run with (the message is one line)."""


class Kind:
    """What one setting may hold. `check` returns None, or what the value must be."""

    optional = False

    def check(self, settings: BaseSettings, name: str) -> str | None:
        raise NotImplementedError


def _number(settings: BaseSettings, name: str) -> float | None:
    try:
        value = settings.getfloat(name)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _shown(x: float) -> str:
    return f"{int(x):,}" if x == int(x) else f"{x:g}"


class Number(Kind):
    def __init__(self, low: float = 0, high: float = math.inf, whole: bool = False,
                 optional: bool = False):
        self.low, self.high, self.whole, self.optional = low, high, whole, optional

    def wanted(self) -> str:
        what = "a whole number" if self.whole else "a number"
        if self.low == -math.inf:
            return f"{what} (finite)"
        if self.high == math.inf:
            return f"{what} ≥ {_shown(self.low)} (finite)"
        return f"{what} from {_shown(self.low)} to {_shown(self.high)}"

    def check(self, settings, name):
        value = _number(settings, name)
        if value is None or not self.low <= value <= self.high or (
                self.whole and value != int(value)):
            return self.wanted()
        return None


def Whole(low: float = 0, high: float = math.inf, optional: bool = False) -> Number:  # noqa: N802
    return Number(low, high, whole=True, optional=optional)


class Flag(Kind):
    def check(self, settings, name):
        try:
            settings.getbool(name)
        except ValueError:
            return "true or false"
        return None


class Text(Kind):
    def __init__(self, optional: bool = False):
        self.optional = optional

    def check(self, settings, name):
        value = settings.get(name)
        return None if isinstance(value, str) and value.strip() else "a non-empty text"


class File(Kind):
    """The path of a file that exists and can be read."""

    def __init__(self, optional: bool = False):
        self.optional = optional

    def check(self, settings, name):
        value = settings.get(name)
        readable = isinstance(value, str) and os.path.isfile(value) and os.access(value, os.R_OK)
        return None if readable else "the path of a file that exists and can be read"


class Choices(Kind):
    """A list of some of `allowed` (from --set or -s: comma-separated, as Scrapy's getlist
    reads it)."""

    def __init__(self, *allowed: str):
        self.allowed = allowed

    def check(self, settings, name):
        try:
            values = settings.getlist(name)
        except (TypeError, ValueError):
            values = None
        if values is None or any(v not in self.allowed for v in values):
            return f"a comma-separated list of {', '.join(self.allowed)}"
        return None


class Statuses(Kind):
    """A list of HTTP status codes."""

    def check(self, settings, name):
        try:
            values = [int(v) for v in settings.getlist(name)]
        except (TypeError, ValueError):
            values = None
        if values is None or any(not 100 <= v <= 599 for v in values):
            return "a comma-separated list of HTTP status codes (100–599)"
        return None


class Shares(Kind):
    """A JSON object {field: share from 0 to 1}, fields among `fields`."""

    def __init__(self, fields: Iterable[str]):
        self.fields = tuple(fields)

    def check(self, settings, name):
        wanted = ("a JSON object of shares from 0 to 1 for the fields "
                  + ", ".join(self.fields))
        try:
            value = settings.getdict(name)
        except (TypeError, ValueError):
            return wanted
        for field, share in value.items():
            if field not in self.fields or isinstance(share, bool):
                return wanted
            try:
                share = float(share)
            except (TypeError, ValueError):
                return wanted
            if not 0 <= share <= 1:
                return wanted
        return None


class ClassPath(Kind):
    """The import path of a class that is `base` or a subclass of it."""

    def __init__(self, base: str):
        self.base = base

    def check(self, settings, name):
        wanted = f"the import path of a subclass of {self.base}"
        try:
            found = load_object(settings.get(name))
        except (ImportError, AttributeError, NameError, TypeError, ValueError):
            return wanted
        base = load_object(self.base)
        return None if isinstance(found, type) and issubclass(found, base) else wanted


class JsonObject(Kind):
    def check(self, settings, name):
        try:
            settings.getdict(name)
        except (TypeError, ValueError):
            return "a JSON object"
        return None


def scrapy_kind(name: str) -> Kind | None:
    """The kind of one of Scrapy's settings, from its default: flags true or false, numbers
    finite and not negative (priorities may be negative), dicts JSON objects."""
    default = getattr(default_settings, name, None)
    if isinstance(default, bool):
        return Flag()
    if isinstance(default, int | float):
        return Number(-math.inf if "PRIORITY" in name else 0)
    if isinstance(default, dict):
        return JsonObject()
    return None


def problems(settings: BaseSettings, kinds: dict[str, Kind]) -> list[str]:
    """One line per bad value: ours against `kinds`, Scrapy's by the kind of their defaults."""
    found = []
    names = sorted({*kinds, *(n for n, _ in settings.items())})
    for name in names:
        kind = kinds.get(name) or scrapy_kind(name)
        if kind is None or (settings.get(name) in (None, "") and (
                kind.optional or name not in kinds)):
            continue
        wanted = kind.check(settings, name)
        if wanted:
            found.append(f"{name}={settings.get(name)!r}: expected {wanted}")
    return found


def check(settings: BaseSettings, kinds: dict[str, Kind]) -> None:
    """Raise SettingsError (one line) when any setting holds a bad value."""
    found = problems(settings, kinds)
    if found:
        raise SettingsError("; ".join(found))
