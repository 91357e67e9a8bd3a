"""Chinese full-text search over a stock FTS5 table: Han runs are indexed as overlapping bigrams
plus the run's last character, and queries become FTS5 phrases of the same tokens (docs/search.md).
Pure functions over a `sqlite_utils.Database`; never commits, never touches the network.
"""

from __future__ import annotations

import re
import unicodedata

import sqlite_utils

# Han ideographs: Extension A, the URO, compatibility ideographs, and planes 2 (B–F,
# compatibility supplement). SQLite 3.40's unicode61 treats every code point here as a token
# character and folds none of them, so a bigram written to the index comes back unchanged.
_HAN_RUN = re.compile("([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+)")

# unicode61 keeps L*, N* and Co together as words. We keep marks and unassigned code points too:
# whatever we keep that unicode61 would split is split again by unicode61 (harmlessly), whereas
# dropping something it keeps would make a query miss. Everything else never reaches FTS5.
_SEPARATOR_CATEGORIES = ("P", "S", "Z", "Cc", "Cf", "Cs")

SEARCH_TABLE = "articles_fts"


def _run_tokens(run: str, at_end: bool) -> list[str]:
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    # A query's run at the end of its term may continue in the document, so its last character
    # is not a run end there; a 1-character run at the end keeps its character (made a prefix).
    if at_end and bigrams:
        return bigrams
    return [*bigrams, run[-1]]


def _words(text: str) -> list[str]:
    cleaned = "".join(
        " " if unicodedata.category(c).startswith(_SEPARATOR_CATEGORIES) else c for c in text
    )
    return cleaned.split()


def index_text(text: str | None) -> str:
    """The text to store in the FTS table: Han runs as bigrams + last character, the rest as is.

    >>> index_text("雄安新区建设2024年Xiongan")
    '雄安 安新 新区 区建 建设 设 2024 年 Xiongan'
    """
    if not text:
        return ""
    parts = []
    for i, part in enumerate(_HAN_RUN.split(text)):
        if i % 2:
            parts.extend(_run_tokens(part, at_end=False))
        elif part.strip():
            parts.append(part.strip())
    return " ".join(parts)


def _term_phrase(term: str) -> str | None:
    pieces = _HAN_RUN.split(term)
    tokens: list[str] = []
    prefix = False
    for i, piece in enumerate(pieces):
        if i % 2:
            at_end = i == len(pieces) - 2 and not pieces[-1]
            tokens.extend(_run_tokens(piece, at_end))
            # 冀 must match the bigram 冀X as well as a run-final 冀: every position of a run
            # starts exactly one token, and both start with 冀.
            prefix = at_end and len(piece) == 1
        else:
            tokens.extend(_words(piece))
    if not tokens:
        return None
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return phrase + " *" if prefix else phrase


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a user's query: one phrase per whitespace-separated term,
    all terms required. Never raises on odd input; a query without words matches nothing.

    >>> fts_query('京津冀 冀 "NEAR(')
    '"京津 津冀" "冀" * "NEAR"'
    """
    phrases = [p for p in map(_term_phrase, (query or "").split()) if p]
    # FTS5 rejects an empty expression but accepts the empty phrase, which matches no row.
    return " ".join(phrases) or '""'


def ensure_search_index(db: sqlite_utils.Database) -> None:
    """Create `articles_fts` (rowid = articles.rowid) unless it exists."""
    # Stock tokenizer on purpose: any SQLite client can open and query the file.
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
        "title, body, tokenize='unicode61 remove_diacritics 2')"
    )


def index_article(db: sqlite_utils.Database, rowid: int, title: str | None, body: str | None):
    """Replace the search entry of one article; joins the caller's transaction if one is open."""
    db.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid = ?", [rowid])
    db.execute(
        f"INSERT INTO {SEARCH_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
        [rowid, index_text(title), index_text(body)],
    )


def search_rowids(db: sqlite_utils.Database, query: str) -> list[int]:
    """Rowids of the articles matching `query`, best match first (FTS5 rank)."""
    rows = db.execute(
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? ORDER BY rank",
        [fts_query(query)],
    )
    return [rowid for (rowid,) in rows]
