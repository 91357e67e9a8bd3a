"""Write `article_places`: one row per place an article mentions, with the gazetteer's kind and
coordinates, so Datasette can put the archive on a map. Plain functions over a
sqlite_utils.Database; joins the caller's transaction; no network code.
"""

from __future__ import annotations

import json

import sqlite_utils

from archive.gazetteer import gazetteer


def save_article_places(db: sqlite_utils.Database, article_id: str, places) -> None:
    """Replace the article's rows with one per known place in `places` (names or a JSON list).

    A name the gazetteer does not know (an older gazetteer, a hand-edited record) is skipped:
    it has no coordinates to show.
    """
    if isinstance(places, str):
        places = json.loads(places or "[]")
    known = gazetteer()
    db.execute("delete from article_places where article_id = ?", [article_id])
    rows = []
    for name in dict.fromkeys(places or []):
        place = known.get(name)
        if place:
            rows.append({"article_id": article_id, "place": place.name, "kind": place.kind,
                         "latitude": place.latitude, "longitude": place.longitude})
    if rows:
        db["article_places"].insert_all(rows, pk=("article_id", "place"))
