"""What a person types into a search box, read as a query: terms (all required), OR between two
terms, NOT or a leading - to leave a term out, "quoted phrases", NEAR(a b, n) and `a NEAR b`,
a trailing * for "words that begin so" — operators in upper or lower case, as people type
them — with a plain account of how the text was read (`Query.reading`, `Query.notes`).

Pure text work: never raises, never touches FTS5 or a database (archive/search.py compiles a
Query, archive/spellings.py adds other spellings to its terms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Han ideographs: Extension A, the URO, compatibility ideographs, and planes 2 (B–F,
# compatibility supplement). SQLite 3.40's unicode61 treats every code point here as a token
# character and folds none of them, so a bigram written to the index comes back unchanged.
HAN_RUN = re.compile("([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+)")

# unicode61 keeps L*, N* and Co together as words. We keep marks and unassigned code points too:
# whatever we keep that unicode61 would split is split again by unicode61 (harmlessly), whereas
# dropping something it keeps would make a query miss. Everything else never reaches FTS5.
_SEPARATOR_CATEGORIES = ("P", "S", "Z", "Cc", "Cf", "Cs")

MAX_TERMS = 32  # a query is typed by a person; a longer one is cut, not refused
MAX_CHARS = 500
NEAR_DEFAULT = 10  # characters (words in English) apart, as FTS5's own default
NEAR_MAX = 200

_AND, _OR, _NOT = {"and", "&&", "&"}, {"or", "||", "|"}, {"not"}
_INFIX_NEAR = re.compile(r"NEAR(?:/(\d+))?$")
# NEAR(…) as one item: its parentheses hold the terms and an optional ", n".
_ITEM = re.compile(r'(?<!\S)(-?)NEAR\s*\(([^()]*)\)(?!\S)'
                   r'|(?<!\S)(-?)"([^"]*)"(?!\S)'
                   r"|(\S+)", re.IGNORECASE)
_NEAR_DISTANCE = re.compile(r",\s*(\d+)\s*$")


def words(text: str) -> list[str]:
    """The words FTS5's unicode61 sees in `text` (punctuation and symbols are separators)."""
    cleaned = "".join(
        " " if unicodedata.category(c).startswith(_SEPARATOR_CATEGORIES) else c for c in text
    )
    return cleaned.split()


@dataclass
class Term:
    typed: str  # as the user wrote it (without quotes, the leading - or a trailing *)
    quoted: bool = False
    prefix: bool = False  # typed with a trailing *: any word that begins so
    added: list[str] = field(default_factory=list)  # other spellings that also count
    sources: list[str] = field(default_factory=list)  # where the added spellings come from

    @property
    def spellings(self) -> list[str]:
        return [self.typed, *self.added]

    def text(self) -> str:
        if self.quoted:
            return f'"{self.typed}"'
        return self.typed + ("*" if self.prefix else "")


@dataclass
class Near:
    terms: list[Term]  # at least two
    distance: int = NEAR_DEFAULT

    def text(self) -> str:
        return f"NEAR({' '.join(t.text() for t in self.terms)}, {self.distance})"


@dataclass
class Query:
    groups: list[list[Term | Near]]  # every group is required; any alternative of one will do
    excluded: list[Term | Near]
    notes: list[str] = field(default_factory=list)  # where the text was not taken literally

    @property
    def terms(self) -> list[Term]:
        """Every positive term, those inside NEAR too."""
        return [t for group in self.groups for alt in group for t in _terms_of(alt)]

    def additions(self) -> list[tuple[str, list[str]]]:
        """(typed, [added spellings]) for each term the query was widened for."""
        return [(t.typed, t.added) for t in self.terms if t.added]

    def pieces(self) -> list[str]:
        """Every spelling a matching article may contain (for excerpts and highlighting)."""
        return [s for t in self.terms for s in t.spellings]

    def reading(self) -> str:
        """The query as it was read, in the same language: `雄安 and 北京` → `雄安 北京`,
        `雄安 or 通州 not 天津` → `(雄安 OR 通州) -天津`."""
        many = len(self.groups) + len(self.excluded) > 1
        parts = []
        for group in self.groups:
            text = " OR ".join(alt.text() for alt in group)
            parts.append(f"({text})" if many and len(group) > 1 else text)
        parts += ["-" + alt.text() for alt in self.excluded]
        return " ".join(parts)


def _terms_of(alt: Term | Near) -> list[Term]:
    return alt.terms if isinstance(alt, Near) else [alt]


@dataclass
class _Item:
    text: str
    quoted: bool = False
    negative: bool = False
    near: Near | None = None

    @property
    def word(self) -> str | None:
        """The operator spelling this item could be (lower case), if it is a bare word."""
        return None if self.quoted or self.negative or self.near else self.text.casefold()


def _note(notes: list[str], text: str) -> None:
    if text not in notes:
        notes.append(text)


def _term(text: str, quoted: bool, notes: list[str]) -> Term | None:
    """A term from one typed word or phrase; None when nothing is left of it."""
    if quoted:
        return Term(text, quoted=True) if text.strip() else None
    stripped = text.strip("()（）")
    if stripped != text:
        _note(notes, "括号不分组：OR 只连接两旁的词 · parentheses do not group: OR joins the "
                     "words on either side of it")
    prefix = False
    if stripped.endswith(("*", "＊")):
        stripped = stripped.rstrip("*＊")
        if stripped and HAN_RUN.fullmatch(stripped[-1]):
            _note(notes, f"中文词本来就能找到更长的词，不需要 *：{stripped}* → {stripped} · a "
                         f"Chinese word already finds longer words: no * needed")
        elif stripped:
            prefix = True
            _note(notes, f"{stripped}* 找以 {stripped} 开头的词 · finds words beginning "
                         f"with {stripped}")
    if not words(stripped):
        return None
    return Term(stripped, prefix=prefix)


def _near(inner: str, notes: list[str]) -> Near | list[Term]:
    """NEAR(a b, n): a Near of the terms, or the terms alone when there are fewer than two."""
    distance = NEAR_DEFAULT
    found = _NEAR_DISTANCE.search(inner)
    if found:
        distance = min(int(found.group(1)), NEAR_MAX)
        inner = inner[:found.start()]
    terms = [t for m in re.finditer(r'"([^"]*)"|(\S+)', inner)
             if (t := _term(m.group(1) if m.group(1) is not None else m.group(2),
                            m.group(1) is not None, notes))]
    if len(terms) < 2:
        return terms
    return Near(terms, distance)


def _items(query: str, notes: list[str]) -> list[_Item]:
    items = []
    for m in _ITEM.finditer(query[:MAX_CHARS]):
        if m.group(2) is not None:  # NEAR(…)
            found = _near(m.group(2), notes)
            if isinstance(found, Near):
                items.append(_Item(found.text(), negative=bool(m.group(1)), near=found))
            else:
                items += [_Item(t.typed, t.quoted, bool(m.group(1))) for t in found]
        elif m.group(4) is not None:  # "a phrase"
            if m.group(4).strip():
                items.append(_Item(m.group(4).strip(), True, bool(m.group(3))))
        else:
            word = m.group(5)
            if word.startswith("-") and len(word) > 1:
                items.append(_Item(word[1:], negative=True))
            else:
                items.append(_Item(word))
    return items[:MAX_TERMS]


def _is_operator(item: _Item | None) -> bool:
    return item is not None and (item.word in _AND | _OR | _NOT
                                 or bool(item.word and _INFIX_NEAR.match(item.text)))


def parse_query(query: str | None) -> Query:
    """The structure of what a user typed: required groups of alternatives, and exclusions.
    Never raises; an operator without a term where it needs one is an ordinary word."""
    notes: list[str] = []
    items = _items(query or "", notes)
    groups: list[list[Term | Near]] = []
    excluded: list[Term | Near] = []
    join_next = negate_next = after_term = False
    near_distance: int | None = None

    def term_follows(i: int) -> bool:
        following = items[i + 1] if i + 1 < len(items) else None
        return following is not None and not following.negative \
            and not _is_operator(following)

    for i, item in enumerate(items):
        word = item.word
        # AND between two terms is what a space already says (AND NOT: the NOT decides).
        following = items[i + 1] if i + 1 < len(items) else None
        if word in _AND and after_term and not (join_next or negate_next) and (
                term_follows(i) or (following is not None and following.word in _NOT)):
            _note(notes, f"{item.text} 可省略：空格分开的词都必须出现 · {item.text} is the "
                         "default: every word is required")
            continue
        # OR joins the term before it (not an exclusion) and the one after it.
        if word in _OR and after_term and term_follows(i) and not (join_next or negate_next):
            join_next = True
            if item.text != "OR":
                _note(notes, f"{item.text} 读作 OR · {item.text} read as OR")
            continue
        # NOT leaves out the term after it, as a leading - does.
        if word in _NOT and term_follows(i) and not (join_next or negate_next):
            negate_next = True
            _note(notes, f"{item.text} x 读作 -x · {item.text} x read as -x (leave out)")
            continue
        near = _INFIX_NEAR.match(item.text) if word else None
        if near and after_term and term_follows(i) and not (join_next or negate_next) \
                and groups and len(groups[-1]) == 1:
            near_distance = min(int(near.group(1) or NEAR_DEFAULT), NEAR_MAX)
            continue
        if item.near:
            alt: Term | Near | None = item.near
        else:
            alt = _term(item.text, item.quoted, notes)
        if alt is None:
            join_next = negate_next = False
            near_distance = None
            continue
        if near_distance is not None:
            previous = groups[-1][0]
            inner = previous.terms if isinstance(previous, Near) else [previous]
            groups[-1][0] = Near([*inner, *_terms_of(alt)], near_distance)
            near_distance = None
            continue
        if item.negative or negate_next:
            excluded.append(alt)
        elif join_next:
            groups[-1].append(alt)
        else:
            groups.append([alt])
        after_term = not (item.negative or negate_next)
        join_next = negate_next = False
    if any(isinstance(alt, Near) for g in groups for alt in g) or any(
            isinstance(alt, Near) for alt in excluded):
        _note(notes, "NEAR(a b, n)：a 与 b 相隔不超过约 n 个字（英文为词） · a and b at most "
                     "about n characters apart (words in English)")
    return Query(groups, excluded, notes)
