"""Two readers, one record, field by field: the template reader's fields stand; every field it
left empty is taken from the template-blind reader, and `field_sources` says which reader gave
each field. Where both read a field and read it differently, the template's value is kept and
the field is named in `disagreements` — the crawl counts them (crawls.field_disagreements), a
finer drift signal than the share of pages no template claims. Pure.
"""

from __future__ import annotations

from dataclasses import replace

from peoplecn.pages.fields import Fields
from peoplecn.pages.strings import SPACES

# record field name ← the Fields attribute that holds it
SOURCED = {
    "title": "title", "pre_title": "pre_title", "subtitle": "subtitle",
    "original_title": "original_title", "byline": "byline", "channel": "channel",
    "published_at": "date_line", "source": "source_raw", "source_url": "source_url",
    "editors": "editors", "related": "related", "recommended": "recommended",
    "page_urls": "page_urls", "print_edition": "print_edition", "body": "body",
}
# What the template-blind reader may fill in: not the headline, never the body (text, HTML and
# photos are one reader's whole).
FILLABLE = tuple(k for k in SOURCED if k not in ("title", "body"))


def _value(fields: Fields, name: str):
    return getattr(fields, SOURCED[name])


def _comparable(name: str, value):
    """A field's value as two readers' values are compared: words, not their spacing."""
    if name in ("related", "recommended"):
        return sorted({link.url for link in value})
    if name == "body":
        return SPACES.sub("", "".join(value.paragraphs))
    if isinstance(value, str):
        return SPACES.sub("", value)
    return value


def _filled(name: str, value) -> bool:
    if name == "body":
        return bool(value.paragraphs)
    return bool(value)


def sources_of(fields: Fields, reader: str) -> dict[str, str]:
    """{field: reader} for every field `fields` has a value for."""
    return {name: reader for name in SOURCED if _filled(name, _value(fields, name))}


def agree(own: Fields, reader: str, blind: Fields | None, blind_name: str = "cues",
          fill=None) -> tuple[Fields, dict[str, str], list[str]]:
    """(the fields, who read each, where the two readers disagree). `fill`: the Fields
    attributes the blind reader may fill in (fillin.worth_filling); every one if None."""
    sources = sources_of(own, reader)
    if blind is None:
        return own, sources, []
    filled: dict = {}
    disagreements = []
    for name in SOURCED:
        mine, theirs = _value(own, name), _value(blind, name)
        if not _filled(name, theirs):
            continue
        if _filled(name, mine):
            if _comparable(name, mine) != _comparable(name, theirs):
                disagreements.append(name)
        elif name in FILLABLE and (fill is None or SOURCED[name] in fill) \
                and _may_fill(name, own, blind):
            filled[SOURCED[name]] = theirs
            sources[name] = blind_name
    return (replace(own, **filled) if filled else own), sources, disagreements


def _may_fill(name: str, own: Fields, blind: Fields) -> bool:
    # A link to the original belongs to its outlet: only when both name the same one (or the
    # template named none and takes the blind reader's).
    if name == "source_url" and own.source_raw:
        return _comparable("source", own.source_raw) == _comparable("source", blind.source_raw)
    return True
