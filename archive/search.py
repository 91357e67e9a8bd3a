"""Chinese full-text search over a stock FTS5 table: Han runs are indexed as overlapping bigrams
plus the run's last character, and queries become FTS5 phrases of the same tokens (docs/search.md).
What a user typed is read by archive/query.py and widened by archive/spellings.py; this module
turns the result into an FTS5 expression. Pure functions over a `sqlite_utils.Database`; never
commits, never touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

import sqlite_utils

from archive.query import HAN_RUN as _HAN_RUN
from archive.query import Near, Query, Term, parse_query
from archive.query import words as _words
from archive.spellings import expand_query, name_lexicon, simplified

__all__ = ["SEARCH_TABLE", "Near", "Query", "Term", "compile_query", "ensure_search_index",
           "expand_query", "fts_query", "index_article", "index_text", "name_lexicon",
           "parse_query", "search_rowids", "simplified", "understood_query"]

SEARCH_TABLE = "articles_fts"
MAX_NEAR_COMBINATIONS = 16  # NEAR over terms with other spellings: each combination is a NEAR


def _run_tokens(run: str, at_end: bool) -> list[str]:
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    # A query's run at the end of its term may continue in the document, so its last character
    # is not a run end there; a 1-character run at the end keeps its character (made a prefix).
    if at_end and bigrams:
        return bigrams
    return [*bigrams, run[-1]]


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


def _term_phrase(term: str, prefix_word: bool = False) -> str | None:
    """One FTS5 phrase of index tokens; `prefix_word`: the last word may continue (xiong*)."""
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
            found = _words(piece)
            tokens.extend(found)
            if found:
                prefix = prefix_word and i == len(pieces) - 1
    if not tokens:
        return None
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return phrase + " *" if prefix else phrase


def _phrases(term: Term) -> list[str]:
    return [p for s in term.spellings if (p := _term_phrase(s, term.prefix and s == term.typed))]


def _alternatives(alt: Term | Near) -> list[str]:
    """The FTS5 expressions of which any one matches `alt`: a phrase per spelling, or one NEAR
    per combination of spellings (FTS5's NEAR takes phrases only, no OR inside)."""
    if isinstance(alt, Term):
        return _phrases(alt)
    options = [found for t in alt.terms if (found := _phrases(t))]
    if len(options) < 2:
        return [" ".join(o[0] for o in options)] if options else []
    # Tokens are about one per character: n characters apart is n + 1 tokens between.
    return [f"NEAR({' '.join(combo)}, {alt.distance + 1})"
            for combo in islice(product(*options), MAX_NEAR_COMBINATIONS)]


def compile_query(query: Query) -> str:
    """The FTS5 MATCH expression of a parsed query. Only phrases we built and the operators
    AND, OR, NOT and NEAR ever reach FTS5."""
    required = []
    for group in query.groups:
        # Inside quotes whitespace does not split: the words of a phrase follow one another.
        alternatives = list(dict.fromkeys(p for alt in group for p in _alternatives(alt)))
        if len(alternatives) == 1:
            required.append(alternatives[0])
        elif alternatives:
            required.append("(" + " OR ".join(alternatives) + ")")
    if not required:
        # FTS5 rejects an empty expression but accepts the empty phrase, which matches no row.
        # A query of exclusions alone has nothing to find either.
        return '""'
    # FTS5 joins two phrases by AND when nothing stands between them, but not a parenthesis
    # or a NEAR group.
    joiner = " AND " if any(r.startswith(("(", "NEAR(")) for r in required) else " "
    expression = joiner.join(required)
    excluded = []
    for alt in query.excluded:
        plain = Term(alt.typed, alt.quoted, alt.prefix) if isinstance(alt, Term) else alt
        found = _alternatives(plain)
        if len(found) == 1:
            excluded.append(found[0])
        elif found:
            excluded.append("(" + " OR ".join(found) + ")")
    if excluded:
        # NOT binds tighter than OR in FTS5: the required part goes in parentheses.
        if len(required) > 1:
            expression = f"({expression})"
        expression += "".join(f" NOT {p}" for p in excluded)
    return expression


@lru_cache(maxsize=4096)
def understood_query(query: str | None) -> Query:
    """The parsed and widened query (cached: pages ask for it several times per request).
    Treat the result as read-only."""
    return expand_query(parse_query(query))


@lru_cache(maxsize=4096)
def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for a user's query (see above). Never raises on odd input; a
    query without words matches nothing.

    >>> fts_query('京津冀 冀 "NEAR(')
    '"京津 津冀" "冀" * "NEAR"'
    >>> fts_query('雄安 OR 通州 -天津')
    '("雄安" OR "通州") NOT "天津"'
    """
    return compile_query(understood_query(query))


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
