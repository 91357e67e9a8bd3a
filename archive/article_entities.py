"""Write what enrichment found in an article beside its row: `article_entities` (one row per
person, organisation or document, with the evidence of its first mention), `article_terms`
(its words) and `term_counts` (every term's count over the archive, changed by the difference
between an article's old and new words, so it never needs a full count). Plain functions over
a sqlite_utils.Database; they join the caller's transaction; no network code.
"""

from __future__ import annotations

import json
from collections import Counter

import sqlite_utils

ENTITY_KINDS = ("people", "organisations", "documents")
TOTAL = ""  # the term_counts row of the archive's totals (articles with terms, tokens)


def save_article_entities(db: sqlite_utils.Database, article_id: str, mentions) -> None:
    """Replace the article's entity rows with one per (kind, name) of `mentions` (dicts from
    archive.entities, first mention first)."""
    db.execute("delete from article_entities where article_id = ?", [article_id])
    rows: dict[tuple[str, str], dict] = {}
    for m in mentions or []:
        key = (m["kind"], m["name"])
        row = rows.get(key)
        if row is None:
            rows[key] = {"article_id": article_id, "kind": m["kind"], "name": m["name"],
                         "roles": [m["role"]], "field": m["field"], "offset": m["offset"],
                         "evidence": m["evidence"], "mentions": 1}
        else:
            row["mentions"] += 1
            if m["role"] not in row["roles"]:
                row["roles"].append(m["role"])
    if rows:
        db.conn.executemany(
            "insert into article_entities (article_id, kind, name, roles, field, offset, "
            "evidence, mentions) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r["article_id"], r["kind"], r["name"], json.dumps(r["roles"]), r["field"],
              r["offset"], r["evidence"], r["mentions"]) for r in rows.values()])


def _counts(terms: str | None) -> Counter:
    return Counter((terms or "").split())


def save_article_terms(db: sqlite_utils.Database, article_id: str, terms: str | None,
                       segmenter: str | None) -> bool:
    """Store the article's words unless they are stored already; keep term_counts in step.
    Returns whether anything changed."""
    old = db.execute("select terms, segmenter from article_terms where article_id = ?",
                     [article_id]).fetchone()
    if terms is None or (old and old[0] == terms and old[1] == segmenter):
        return False
    before, after = _counts(old[0] if old else None), _counts(terms)
    delta: dict[str, list[int]] = {}
    for term in before.keys() | after.keys():
        occurrences = after[term] - before[term]
        articles = (term in after) - (term in before)
        if occurrences or articles:
            delta[term] = [articles, occurrences]
    delta[TOTAL] = [0 if old else 1, sum(after.values()) - sum(before.values())]
    db.conn.executemany(
        "insert into term_counts (term, articles, occurrences) values (?, ?, ?) "
        "on conflict(term) do update set articles = articles + excluded.articles, "
        "occurrences = occurrences + excluded.occurrences",
        [(t, a, o) for t, (a, o) in delta.items()])
    gone = [(t,) for t in before if t not in after]
    if gone:
        db.conn.executemany("delete from term_counts where term = ? and occurrences <= 0", gone)
    db.execute("insert or replace into article_terms (article_id, segmenter, terms) "
               "values (?, ?, ?)", [article_id, segmenter, terms])
    return True


def save_enrichment(db: sqlite_utils.Database, article_id: str, record: dict,
                    force: bool = True) -> None:
    """The entity lists, entity rows and words of a record. `force` False (an unchanged
    article read again, by a newer extractor perhaps): written only where they differ from
    what is stored."""
    if "entity_mentions" in record:
        lists = {kind: json.dumps(record.get(kind) or [], ensure_ascii=False, sort_keys=True)
                 for kind in ENTITY_KINDS}
        stored = db.execute("select people, organisations, documents from articles "
                            "where id = ?", [article_id]).fetchone()
        have = db.execute("select count(*) from article_entities where article_id = ?",
                          [article_id]).fetchone()[0]
        if force or stored is None or list(stored) != list(lists.values()) or have != len(
                {(m["kind"], m["name"]) for m in record["entity_mentions"]}):
            db.execute("update articles set people = ?, organisations = ?, documents = ? "
                       "where id = ?", [*lists.values(), article_id])
            save_article_entities(db, article_id, record["entity_mentions"])
    if "terms" in record:
        save_article_terms(db, article_id, record["terms"], record.get("terms_segmenter"))


def rebuild_term_counts(db: sqlite_utils.Database) -> None:
    """Count every term again from article_terms (after a bulk load that wrote the words
    directly, or to check the running counts)."""
    counts: Counter = Counter()
    documents: Counter = Counter()
    articles = tokens = 0
    for (terms,) in db.execute("select terms from article_terms"):
        bag = _counts(terms)
        counts.update(bag)
        documents.update(bag.keys())
        articles += 1
        tokens += sum(bag.values())
    with db.atomic():
        db.execute("delete from term_counts")
        db.conn.executemany("insert into term_counts (term, articles, occurrences) "
                            "values (?, ?, ?)", [(t, documents[t], n) for t, n in counts.items()])
        db.execute("insert into term_counts (term, articles, occurrences) values (?, ?, ?)",
                   [TOTAL, articles, tokens])
