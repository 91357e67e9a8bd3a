"""`entity=NAME`: the articles that name a person, organisation, policy document (issue 19's
`article_entities`) or place (`article_places`), as a filter of the list's selection — so the
list, its feed and exports, the timeline and its exports, the ranked search, the concordance,
the terms and the co-occurrence table all narrow, say and carry it the same way
(archive/datasette/selection.py applies every registered filter). Registered once, at import.

Read-only SQL over the two name indexes; the name goes in as a parameter, never into the text.
"""

from __future__ import annotations

from archive.datasette.selection import ExtraFilter, place_name, register_filter

KEY = "entity"
MAX_NAME = 100  # a name, not a text


def entity_where(value: str, alias: str, param: str) -> tuple[str, dict]:
    """Articles (as `alias`) naming `value`; a place's other spelling finds the place too
    (通州 → 通州区, as the place filter does)."""
    name = value.strip()
    if not name:
        raise ValueError("实体为空 · the entity is empty: give a name (张三, 雄安新区, 天津港)")
    if len(name) > MAX_NAME:
        raise ValueError(f"实体太长 · an entity is a name of at most {MAX_NAME} characters")
    place, _ = place_name(name)
    return (f"{alias}.id in (select article_id from article_entities where name = :{param} "
            f"union select article_id from article_places where place = :{param}_place)",
            {param: name, f"{param}_place": place})


ENTITY = ExtraFilter(KEY, "提到 names", entity_where,
                     needs=("article_entities", "article_places"))
register_filter(ENTITY)
