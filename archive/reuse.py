"""Text reuse across articles: which articles share text, how much, and who printed it first.

Each article is cut into passages (its paragraphs, short ones joined, long ones split); each
passage's character shingles get a MinHash signature (rensa), cut into LSH bands whose keys
live in the archive (`reuse_bands`). So the index grows with the archive on disk, is updated as
each article is saved (crawl, reparse, migration), and an article meets only the few articles
one of whose passages looks like one of its own — never all of them. Working on passages, not
whole texts, finds a paragraph taken into another article and two articles merged into one,
not only near-copies. Candidates are then checked on their real shingles: a pair sharing at
least MIN_OVERLAP of the shorter text, or a passage of MIN_SHARED shingles, is written to
`reuse`, earlier article first. Exact and lightly edited reprints (archive/reprints.py,
`reprint_of`) are the pairs of kind "reprint".

Plain functions over a sqlite_utils.Database; the caller owns the transaction. Bounded: a text
counts up to MAX_CHARS characters in at most MAX_PASSAGES passages, a lookup reads at most
MAX_BAND_HITS index rows and checks at most MAX_CANDIDATES articles.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from datetime import date

import rensa
import sqlite_utils

from archive.reprints import normalised_text
from archive.search import index_text

SHINGLE = 5  # characters: long enough that two unrelated 京津冀 stories share few
BANDS, ROWS = 5, 4  # per passage: found at Jaccard 0.8 with p ≈ 0.93, at 0.05 with p ≈ 3e-5
NUM_PERM = BANDS * ROWS
SEED = 20  # fixed: signatures written by every run and version compare
MIN_PASSAGE, MAX_PASSAGE = 60, 240  # characters of normalised text
MIN_SHINGLES = 40  # shorter texts (a caption, a notice) say too little to call reuse
MAX_CHARS = 50_000
MAX_PASSAGES = 200
MIN_OVERLAP = 0.2  # share of the shorter text's shingles found in the other …
MIN_SHARED = 100  # … or this many shingles in common (a passage of 100-odd characters)
MAX_BAND_HITS = 5_000
MAX_CANDIDATES = 50
REPRINT = "reprint"
REUSE = "reuse"


def shingles(body: str | None) -> set[bytes]:
    """The text's character shingles, after the normalisation reprints use (no dateline,
    punctuation or spaces; lower case)."""
    text = normalised_text(body)[:MAX_CHARS]
    return {text[i:i + SHINGLE].encode() for i in range(len(text) - SHINGLE + 1)}


def passages(body: str | None) -> list[str]:
    """The normalised text in passages: paragraphs, a short one joined to the next, a long one
    cut every MAX_PASSAGE characters from its start (so a paragraph copied whole is cut alike)."""
    out, pending = [], ""
    for paragraph in (body or "")[:MAX_CHARS].split("\n\n"):
        pending += normalised_text(paragraph)
        if len(pending) < MIN_PASSAGE:
            continue
        out += [pending[i:i + MAX_PASSAGE] for i in range(0, len(pending), MAX_PASSAGE)]
        pending = ""
    if pending:
        if out and len(pending) < MIN_PASSAGE:
            out[-1] += pending
        else:
            out.append(pending)
    return [p for p in out if len(p) >= SHINGLE][:MAX_PASSAGES]


# A signature as stored: NUM_PERM unsigned 32-bit values, little-endian, whatever the machine.
_SIGNATURE = struct.Struct(f"<{NUM_PERM}I")


def signature(text: str) -> bytes:
    """The MinHash values of one passage's shingles, packed (rensa's R-MinHash: the same
    estimate of Jaccard similarity as datasketch's MinHash, in Rust, without the numpy and
    scipy that datasketch loads — 47 MB of every crawl's memory)."""
    m = rensa.RMinHash(num_perm=NUM_PERM, seed=SEED)
    m.update([text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)])
    return _SIGNATURE.pack(*m.digest())


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band: the band's number and its ROWS values, hashed."""
    step = ROWS * 4
    return [int.from_bytes(hashlib.blake2b(bytes([b]) + sig[b * step:(b + 1) * step],
                                           digest_size=8).digest(), "big", signed=True)
            for b in range(BANDS)]


def _keys_of(signatures: bytes) -> set[int]:
    size = _SIGNATURE.size
    return {k for start in range(0, len(signatures) - size + 1, size)
            for k in band_keys(signatures[start:start + size])}


@dataclass(frozen=True)
class Overlap:
    shared: int  # shingles in both texts
    a_share: float  # of A's shingles, the share also in B
    b_share: float
    jaccard: float

    @property
    def overlap(self) -> float:
        """The share of the shorter text found in the longer."""
        return max(self.a_share, self.b_share)


def overlap(a: set[bytes], b: set[bytes]) -> Overlap:
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return Overlap(shared, shared / len(a) if a else 0.0, shared / len(b) if b else 0.0,
                   shared / union if union else 0.0)


ARTICLE_FIELDS = ("rowid, id, body, title, published_at, first_seen_at, channel, source, site, "
                  "reprint_of")
_NAMES = [f.strip() for f in ARTICLE_FIELDS.split(",")]


def _article(db, where: str, key) -> dict | None:
    row = db.execute(f"select {ARTICLE_FIELDS} from articles where {where} = ?",
                     [key]).fetchone()
    return dict(zip(_NAMES, row, strict=True)) if row else None


def _order(article: dict) -> tuple:
    """Who printed it first: the earlier publication time, then the earlier capture, then id."""
    return (article.get("published_at") or "9999", article.get("first_seen_at") or "9999",
            article["id"])


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return (date.fromisoformat((b or "")[:10]) - date.fromisoformat((a or "")[:10])).days
    except ValueError:
        return None


def _pair_row(one: dict, other: dict, found: Overlap, seen_at: str) -> dict:
    first, second = sorted((one, other), key=_order)
    first_share, second_share = ((found.a_share, found.b_share) if first is one
                                 else (found.b_share, found.a_share))
    reprint = (first["id"] == second.get("reprint_of")
               or (first.get("reprint_of") and first.get("reprint_of") == second.get("reprint_of")))
    return {
        "source_id": first["id"], "target_id": second["id"],
        "kind": REPRINT if reprint else REUSE,
        "overlap": round(found.overlap, 4),
        "source_share": round(first_share, 4), "target_share": round(second_share, 4),
        "jaccard": round(found.jaccard, 4), "shared_shingles": found.shared,
        "source_published_at": first.get("published_at"),
        "target_published_at": second.get("published_at"),
        "days_apart": _days(first.get("published_at"), second.get("published_at")),
        "source_title": first.get("title"), "target_title": second.get("title"),
        "source_channel": first.get("channel"), "target_channel": second.get("channel"),
        "source_outlet": first.get("source"), "target_outlet": second.get("source"),
        "same_site": int((first.get("site") or "") == (second.get("site") or "")),
        "found_at": seen_at,
    }


def forget(db: sqlite_utils.Database, article_id: str) -> None:
    """Take the article out of the index and out of every pair."""
    old = db.execute("select s.signatures, a.rowid from reuse_signatures s left join articles a "
                     "on a.id = s.article_id where s.article_id = ?", [article_id]).fetchone()
    if old:
        db.conn.executemany("delete from reuse_bands where band_key = ? and article = ?",
                            [(k, old[1]) for k in _keys_of(old[0])])
        db.execute("delete from reuse_signatures where article_id = ?", [article_id])
    _delete_pairs(db, "source_id = ? or target_id = ?", [article_id, article_id])


def _delete_pairs(db, where: str, params) -> None:
    db.execute(f"delete from reuse_fts where rowid in (select rowid from reuse where {where})",
               params)
    db.execute(f"delete from reuse where {where}", params)


def _candidates(db, rowid: int, keys: list[int]) -> list[int]:
    """Articles (rowids) with a passage sharing a band with one of ours, most shared bands
    first (at most MAX_CANDIDATES): a bucket every article falls in (boilerplate) is read only
    so far."""
    hits: dict[int, int] = {}
    for start in range(0, len(keys), 500):  # SQLite's limit on parameters
        chunk = keys[start:start + 500]
        for other, n in db.execute(
                f"select article, count(*) from (select article from reuse_bands "
                f"where band_key in ({', '.join('?' * len(chunk))}) and article != ? "
                f"limit {MAX_BAND_HITS}) group by article", [*chunk, rowid]):
            hits[other] = hits.get(other, 0) + n
    return sorted(hits, key=lambda k: (-hits[k], k))[:MAX_CANDIDATES]


def is_reuse(found: Overlap) -> bool:
    return found.overlap >= MIN_OVERLAP or found.shared >= MIN_SHARED


def update(db: sqlite_utils.Database, article_id: str, seen_at: str) -> int:
    """Index the article's current text and write its pairs; returns how many pairs it has.
    Run after the article is saved (and its reprint group set)."""
    forget(db, article_id)
    me = _article(db, "id", article_id)
    if me is None:
        return 0
    grams = shingles(me["body"])
    if len(grams) < MIN_SHINGLES:
        return 0
    sigs = [signature(p) for p in passages(me["body"])]
    keys = sorted({k for sig in sigs for k in band_keys(sig)})
    pairs = []
    for other_rowid in _candidates(db, me["rowid"], keys):
        other = _article(db, "rowid", other_rowid)
        if other is None:
            continue
        found = overlap(grams, shingles(other["body"]))
        if is_reuse(found):
            pairs.append(_pair_row(me, other, found, seen_at))
    # plain SQL on the hot path: sqlite-utils' insert reads the table's schema every time
    db.execute("insert or replace into reuse_signatures (article_id, signatures, passages) "
               "values (?, ?, ?)", [article_id, b"".join(sigs), len(sigs)])
    db.conn.executemany("insert or ignore into reuse_bands (band_key, article) values (?, ?)",
                        [(k, me["rowid"]) for k in keys])
    for pair in pairs:
        db["reuse"].insert(pair, pk=("source_id", "target_id"), replace=True)
        rowid = db.execute("select rowid from reuse where source_id = ? and target_id = ?",
                           [pair["source_id"], pair["target_id"]]).fetchone()[0]
        _index_pair(db, rowid, pair)
    return len(pairs)


def _index_pair(db, rowid: int, pair: dict) -> None:
    db.execute("delete from reuse_fts where rowid = ?", [rowid])
    db.execute("insert into reuse_fts (rowid, source_title, target_title) values (?, ?, ?)",
               [rowid, index_text(pair["source_title"]), index_text(pair["target_title"])])


def ensure_reuse_index(db: sqlite_utils.Database) -> None:
    """The index's band table (one row per article and band, nothing else: WITHOUT ROWID keeps
    it to one B-tree) and `reuse_fts`, the pairs' headlines searchable as articles are
    (archive/search.py)."""
    # The article is its rowid (as in articles_fts): an integer keeps the index a third the
    # size of one keyed by id text, so a 100k-article index stays within the page cache.
    db.execute("CREATE TABLE IF NOT EXISTS reuse_bands (band_key INTEGER NOT NULL, "
               "article INTEGER NOT NULL, PRIMARY KEY (band_key, article)) WITHOUT ROWID")
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS reuse_fts USING fts5("
               "source_title, target_title, tokenize='unicode61 remove_diacritics 2')")


# -- shared passages, for reading (the article page and the comparison page) ----------------
MAX_ALIGNED_PARAGRAPHS = 300
MAX_MARKED_CHARS = 2_000  # longer paragraphs are shown without their edits marked …
MAX_MARKED_TOTAL = 40_000  # … and so is every paragraph past this many of a comparison
MIN_PARAGRAPH_SHARE = 0.5


def _paragraph_grams(paragraph: str) -> set[str]:
    text = normalised_text(paragraph)
    return {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def edits(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both paragraphs as runs of (text, changed): what one has that the other does not."""
    if len(a) > MAX_MARKED_CHARS or len(b) > MAX_MARKED_CHARS:
        return [(a, False)], [(b, False)]
    import difflib

    left, right = [], []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if a[i1:i2]:
            left.append((a[i1:i2], op != "equal"))
        if b[j1:j2]:
            right.append((b[j1:j2], op != "equal"))
    return left, right


def aligned_passages(body_a: str | None, body_b: str | None) -> list[dict]:
    """Which paragraphs of A appear in B, edited or not, side by side: one row per paragraph of
    A with its best match in B (sharing at least half of the shorter one's shingles), then B's
    paragraphs that match none. Each row: a, b (text or None), share (0–1), same (identical
    once normalised), a_runs, b_runs (edits marked). Linear: B's paragraphs are looked up by
    shingle, never compared one by one with each of A's."""
    paras_a = [p.strip() for p in (body_a or "").split("\n\n") if p.strip()]
    paras_b = [p.strip() for p in (body_b or "").split("\n\n") if p.strip()]
    paras_a, paras_b = paras_a[:MAX_ALIGNED_PARAGRAPHS], paras_b[:MAX_ALIGNED_PARAGRAPHS]
    grams_b = [_paragraph_grams(p) for p in paras_b]
    where: dict[str, list[int]] = {}
    for j, grams in enumerate(grams_b):
        for g in grams:
            where.setdefault(g, []).append(j)
    rows, used, marked = [], set(), 0
    for paragraph in paras_a:
        grams = _paragraph_grams(paragraph)
        counts: dict[int, int] = {}
        for g in grams:
            for j in where.get(g, ())[:50]:  # a shingle in every paragraph says nothing
                counts[j] = counts.get(j, 0) + 1
        best = max(counts, key=lambda j: (counts[j], -j), default=None)
        share = 0.0
        if best is not None:
            share = counts[best] / max(1, min(len(grams), len(grams_b[best])))
        if best is None or share < MIN_PARAGRAPH_SHARE:
            rows.append({"a": paragraph, "b": None, "share": 0.0, "same": False,
                         "a_runs": [(paragraph, False)], "b_runs": []})
            continue
        used.add(best)
        same = normalised_text(paragraph) == normalised_text(paras_b[best])
        if same or marked > MAX_MARKED_TOTAL:
            a_runs, b_runs = [(paragraph, False)], [(paras_b[best], False)]
        else:
            a_runs, b_runs = edits(paragraph, paras_b[best])
            marked += len(paragraph) + len(paras_b[best])
        rows.append({"a": paragraph, "b": paras_b[best], "share": round(min(share, 1.0), 3),
                     "same": same, "a_runs": a_runs, "b_runs": b_runs})
    rows += [{"a": None, "b": p, "share": 0.0, "same": False, "a_runs": [],
              "b_runs": [(p, False)]} for j, p in enumerate(paras_b) if j not in used]
    return rows
