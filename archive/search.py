"""Chinese full-text search over a stock FTS5 table: Han runs are indexed as overlapping bigrams
plus the run's last character, and queries become FTS5 phrases of the same tokens (docs/search.md).
Pure functions over a `sqlite_utils.Database`; never commits, never touches the network.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache

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


# --- what a user types ----------------------------------------------------------------------
# Terms are separated by whitespace and all required; `OR` (upper case) between two terms
# makes either do; a leading `-` leaves out articles with that term; "double quotes" keep a
# phrase together and as typed (no added names). English and pinyin place and topic names
# also find their Chinese spellings, and traditional characters their simplified form.

_QUOTED_OR_WORD = re.compile(r'(?<!\S)"([^"]*)"(?!\S)|(\S+)')
_MAX_TERMS = 32  # a query is typed by a person; a longer one is cut, not refused
_MAX_CHARS = 500


@dataclass
class Term:
    typed: str  # as the user wrote it (without quotes or the leading -)
    quoted: bool = False
    added: list[str] = field(default_factory=list)  # other spellings that also count

    @property
    def spellings(self) -> list[str]:
        return [self.typed, *self.added]


@dataclass
class Query:
    groups: list[list[Term]]  # every group is required; any term of a group will do
    excluded: list[Term]

    @property
    def terms(self) -> list[Term]:
        return [t for group in self.groups for t in group]

    def additions(self) -> list[tuple[str, list[str]]]:
        """(typed, [added spellings]) for each term the query was widened for."""
        return [(t.typed, t.added) for t in self.terms if t.added]

    def pieces(self) -> list[str]:
        """Every spelling a matching article may contain (for excerpts and highlighting)."""
        return [s for t in self.terms for s in t.spellings]


def parse_query(query: str | None) -> Query:
    """The structure of what a user typed: required groups of alternatives, and exclusions.
    Never raises; operators without a term on each side are ordinary words."""
    items: list[tuple[str, bool, bool]] = []  # (text, quoted, excluded)
    for m in _QUOTED_OR_WORD.finditer((query or "")[:_MAX_CHARS]):
        if m.group(1) is not None:
            if m.group(1).strip():
                items.append((m.group(1).strip(), True, False))
            continue
        word = m.group(2)
        if word.startswith("-") and len(word) > 1:
            items.append((word[1:], False, True))
        else:
            items.append((word, False, False))
    items = items[:_MAX_TERMS]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = after_term = False

    def is_or(item) -> bool:
        return item[0] == "OR" and not item[1] and not item[2]

    for i, item in enumerate(items):
        text, quoted, negative = item
        following = items[i + 1] if i + 1 < len(items) else None
        # OR joins the term before it (not an exclusion) and the one after it.
        if is_or(item) and after_term and not join_next and following \
                and not following[2] and not is_or(following):
            join_next = True
            continue
        term = Term(text, quoted)
        if negative:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next, after_term = False, not negative
    return Query(groups, excluded)


def _name_key(text: str) -> str:
    """How names are compared: Xiong'an, xiongan and XIONG-AN are one name."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


_KIND_WORDS = re.compile(r"\s+(District|County|City|New Area|Mining District|Municipality|"
                         r"Province)$")


@cache
def name_lexicon() -> dict[str, list[str]]:
    """English and pinyin names → the Chinese spellings the archive uses, from the gazetteer
    (Tongzhou → 通州区, 通州, 城市副中心 …) and the topic lexicon (ecology → 生态, 环境)."""
    from archive.gazetteer import gazetteer
    from archive.topics import lexicon

    names: dict[str, list[str]] = {}

    def add(english: str, spellings: list[str]):
        key = _name_key(english)
        if len(key) >= 4 and key not in names:  # first come (provinces, cities) wins
            names[key] = spellings

    for place in gazetteer().places.values():
        if "," in place.en:  # "Qiaoxi District, Shijiazhuang": a name others share
            continue
        full = re.sub(r"\s*\(.*\)$", "", place.en)
        short = _KIND_WORDS.sub("", full)
        # The English name too: Xiongan finds English text that writes Xiong'an.
        spellings = [*_shortest_covering([place.name, *place.aliases]), short]
        add(full, spellings)
        add(short, spellings)
    for topic in lexicon().topics:
        spellings = _shortest_covering(list(topic.keywords[:2]))
        add(topic.en, spellings)
        add(topic.id.replace("_", " "), spellings)
    return names


def _shortest_covering(spellings: list[str]) -> list[str]:
    """Drop each spelling that contains another one: a search for 通州 finds 通州区 too."""
    kept = []
    for s in sorted(set(spellings), key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return kept


@cache
def _t2s():
    from opencc_purepy import OpenCC  # a pure-Python OpenCC: dictionaries load on first use

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified (OpenCC t2s); other text unchanged."""
    if not _HAN_RUN.search(text):
        return text
    return _t2s().convert(text)


def expand_query(query: Query) -> Query:
    """Add the Chinese spellings of English or pinyin names, and the simplified form of
    traditional characters, to each unquoted term (quoted ones stay as typed)."""
    names = name_lexicon()
    for group in query.groups:
        for term in group:
            if term.quoted:
                continue
            extra = [simplified(term.typed)]
            extra += names.get(_name_key(term.typed), [])
            seen = {term.typed.casefold()}
            term.added = [s for s in extra
                          if s.casefold() not in seen and not seen.add(s.casefold())]
    # Two or three words that make one name (Xiong'an New Area, Tongzhou District).
    _join_multiword_names(query, names)
    return query


def _join_multiword_names(query: Query, names: dict[str, list[str]]) -> None:
    groups, out, i = query.groups, [], 0
    while i < len(groups):
        for width in (3, 2):
            window = groups[i:i + width]
            if len(window) == width and all(len(g) == 1 and not g[0].quoted for g in window):
                typed = " ".join(g[0].typed for g in window)
                spellings = names.get(_name_key(typed))
                if spellings and not all(_name_key(g[0].typed) in names for g in window):
                    out.append([Term(typed, quoted=False, added=list(spellings))])
                    i += width
                    break
        else:
            out.append(groups[i])
            i += 1
    query.groups[:] = out


def compile_query(query: Query) -> str:
    """The FTS5 MATCH expression of a parsed query. Only phrases we built and the operators
    AND, OR, NOT ever reach FTS5."""
    required = []
    for group in query.groups:
        # Inside quotes whitespace does not split: the words of a phrase follow one another.
        alternatives = list(dict.fromkeys(
            p for t in group for s in t.spellings if (p := _term_phrase(s))))
        if len(alternatives) == 1:
            required.append(alternatives[0])
        elif alternatives:
            required.append("(" + " OR ".join(alternatives) + ")")
    if not required:
        # FTS5 rejects an empty expression but accepts the empty phrase, which matches no row.
        # A query of exclusions alone has nothing to find either.
        return '""'
    # FTS5 joins two phrases by AND when nothing stands between them, but not a parenthesis.
    expression = (" AND " if any(r.startswith("(") for r in required) else " ").join(required)
    excluded = [p for t in query.excluded if (p := _term_phrase(t.typed))]
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
