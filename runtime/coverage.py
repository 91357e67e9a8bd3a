"""Field coverage of a run: the share of its new articles that lack each field — or whose
template reader lacked it and the template-blind reader filled it in (issue 22: the record
keeps the value, the alarm still sees the template's loss). A share over its threshold is the
sign that a page template changed under the readers.

Pure functions over article records (Article.to_dict()); the Scrapy side is runtime/report.py.
"""

from __future__ import annotations

import re
from collections import Counter

from peoplecn.urls import is_people_host

_HAS_TIME = re.compile(r"T\d{2}:\d{2}")


def _lacks_time(record: dict) -> bool:
    # The date line gives a time of day; a bare date means the reader fell back to the meta tag
    # or the URL — the date line was not found.
    return not _HAS_TIME.search(record.get("published_at") or "")


CHECKS = {
    "title": lambda r: not r.get("title"),
    "published_at": _lacks_time,
    "body": lambda r: not any(p.strip() for p in r.get("paragraphs") or []),
    "source": lambda r: not r.get("source"),
    "source_url": lambda r: not r.get("source_url"),
    "channel": lambda r: not r.get("channel"),
    "byline": lambda r: not r.get("byline"),
    "editors": lambda r: not r.get("editors"),
}


TEMPLATE_BLIND = ("cues", "generic")  # readers that know no people.cn template


def _filled_in(record: dict, name: str) -> bool:
    """Did the template reader miss this field, and another reader fill it in?"""
    template = record.get("template")
    source = (record.get("field_sources") or {}).get(name)
    return template not in TEMPLATE_BLIND and source is not None and source != template


def missing_fields(record: dict) -> set[str]:
    return {name for name, lacks in CHECKS.items() if lacks(record) or _filled_in(record, name)}


def coverage(missing: Counter, new: int) -> dict:
    """{"new": n, "missing": {field: share of the n new articles lacking it}}."""
    return {"new": new, "missing": {name: round(missing[name] / new, 3) if new else 0.0
                                    for name in CHECKS}}


def failing(report: dict, thresholds: dict[str, float], min_new: int) -> list[str]:
    """Fields whose share missing exceeds their threshold — judged only on runs with at least
    `min_new` new articles, so one odd article does not page anyone."""
    if report["new"] < min_new:
        return []
    return [name for name, limit in thresholds.items()
            if report["missing"].get(name, 0.0) > float(limit)]


def describe(report: dict, fields: list[str], thresholds: dict[str, float]) -> str:
    parts = [f"{name} missing on {report['missing'][name]:.0%} of {report['new']} new articles "
             f"(allowed {float(thresholds[name]):.0%})" for name in fields]
    return "; ".join(parts)


def read_without_template(record: dict) -> bool:
    """A people.cn article no template reader claimed: a layout our templates do not know."""
    return record.get("template") in TEMPLATE_BLIND and is_people_host(record.get("site"))


def template_blind_failing(blind: int, new: int, limit: float, min_new: int) -> bool:
    """Too many new articles read without a template — judged like the coverage."""
    return new >= min_new and blind / new > limit
