"""Other spellings that also count for a search term, and where each comes from: the Chinese
names of English and pinyin place names (the gazetteer), topic names (the topic lexicon) and
policy words (the policy lexicon: hospital → 医院, Beijing-Tianjin-Hebei → 京津冀), the
gazetteer's other spellings of a Chinese place name (通州 → 城市副中心, as the place facet counts
it), and the simplified form of traditional characters.

Pure over the bundled data files; never touches FTS5 or a database. Quoted terms are never
widened, and the pages say what was added (Term.added, Term.sources).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from archive.query import HAN_RUN, Near, Query, Term

PLACE = "地名表 gazetteer"
TOPIC = "主题词表 topic lexicon"
POLICY = "政策词表 policy lexicon"
SIMPLIFIED = "繁体→简体 simplified"
MAX_NAME_WORDS = 6  # "relieving Beijing of non-capital functions" is one name


def name_key(text: str) -> str:
    """How names are compared: Xiong'an, xiongan and XIONG-AN are one name."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


_KIND_WORDS = re.compile(r"\s+(District|County|City|New Area|Mining District|Municipality|"
                         r"Province)$")


def _shortest_covering(spellings: list[str]) -> list[str]:
    """Drop each spelling that contains another one: a search for 通州 finds 通州区 too."""
    kept = []
    for s in sorted(set(spellings), key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return kept


@cache
def name_lexicon() -> dict[str, tuple[list[str], str]]:
    """English and pinyin names → (the Chinese spellings the archive uses, their source): from
    the gazetteer (Tongzhou → 通州, 城市副中心 …), the topic lexicon (ecology → 生态, 环境) and
    the policy lexicon (hospital → 医院). A place keeps its key (provinces and cities come
    first); topic and policy spellings of one key are pooled."""
    from archive.gazetteer import gazetteer
    from archive.policy_terms import policy_terms
    from archive.topics import lexicon

    names: dict[str, tuple[list[str], str]] = {}

    def add(english: str, spellings: list[str], source: str):
        key = name_key(english)
        if len(key) < 4:  # AI, FTZ, Xi: too short to mean one thing
            return
        if key not in names:
            names[key] = (spellings, source)
        elif names[key][1] != PLACE and source != PLACE:
            pooled = _shortest_covering([*names[key][0], *spellings])
            names[key] = (pooled, names[key][1] if source == names[key][1] else
                          f"{names[key][1]}、{source}")

    for place in gazetteer().places.values():
        if "," in place.en:  # "Qiaoxi District, Shijiazhuang": a name others share
            continue
        full = re.sub(r"\s*\(.*\)$", "", place.en)
        short = _KIND_WORDS.sub("", full)
        # The English name too: Xiongan finds English text that writes Xiong'an.
        spellings = [*_shortest_covering([place.name, *place.aliases]), short]
        add(full, spellings, PLACE)
        add(short, spellings, PLACE)
    for topic in lexicon().topics:
        spellings = _shortest_covering(list(topic.keywords[:2]))
        add(topic.en, spellings, TOPIC)
        add(topic.id.replace("_", " "), spellings, TOPIC)
    for term in policy_terms():
        spellings = _shortest_covering(list(term.zh))
        for english in term.en:
            add(english, spellings, POLICY)
        if term.pinyin:
            add(term.pinyin, spellings, POLICY)
    return names


def lookup_name(typed: str) -> tuple[list[str], str] | None:
    """The Chinese spellings of an English or pinyin name, and their source; a plural finds
    its singular (hospitals → hospital)."""
    names = name_lexicon()
    key = name_key(typed)
    if key in names:
        return names[key]
    if not key.isascii():
        return None
    for ending, instead in (("ies", "y"), ("es", ""), ("s", "")):
        if key.endswith(ending) and key[:-len(ending)] + instead in names:
            return names[key[:-len(ending)] + instead]
    return None


@cache
def _place_spellings() -> dict[str, list[str]]:
    """Each Chinese spelling of a place (name or alias) → every spelling of that place."""
    from archive.gazetteer import gazetteer

    out: dict[str, list[str]] = {}
    for place in gazetteer().places.values():
        every = [place.name, *place.aliases]
        for spelling in every:
            out.setdefault(spelling, every)
    return out


def place_spellings(typed: str) -> list[str]:
    """The gazetteer's other spellings of a Chinese place name or alias, those a search for
    `typed` would not find already (通州 → 城市副中心; 北京 → none, 北京市 contains 北京)."""
    every = _place_spellings().get(typed)
    if not every:
        return []
    return [s for s in _shortest_covering(every) if typed not in s]


@cache
def _t2s():
    from opencc_purepy import OpenCC  # a pure-Python OpenCC: dictionaries load on first use

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified (OpenCC t2s); other text unchanged."""
    if not HAN_RUN.search(text):
        return text
    return _t2s().convert(text)


def _widen(term: Term) -> None:
    extra: list[tuple[str, str]] = []
    plain = simplified(term.typed)
    if plain != term.typed:
        extra.append((plain, SIMPLIFIED))
    # A prefix (xiong*) already finds more than one name: it gets no name's spellings.
    found = None if term.prefix else lookup_name(term.typed)
    if found:
        extra += [(s, found[1]) for s in found[0]]
    elif HAN_RUN.fullmatch(plain) and not term.prefix:
        extra += [(s, PLACE) for s in place_spellings(plain)]
    seen = {term.typed.casefold()}
    for spelling, source in extra:
        if spelling.casefold() not in seen:
            seen.add(spelling.casefold())
            term.added.append(spelling)
            if source not in term.sources:
                term.sources.append(source)


def expand_query(query: Query) -> Query:
    """Add other spellings to each unquoted term, NEAR's too (quoted ones stay as typed)."""
    for group in query.groups:
        for alt in group:
            for term in alt.terms if isinstance(alt, Near) else [alt]:
                if not term.quoted:
                    _widen(term)
    # Two to six words that make one name (Xiong'an New Area, coordinated development).
    _join_multiword_names(query)
    return query


def _plain_word(group: list) -> bool:
    return len(group) == 1 and isinstance(group[0], Term) and not group[0].quoted \
        and not group[0].prefix


def _join_multiword_names(query: Query) -> None:
    groups, out, i = query.groups, [], 0
    while i < len(groups):
        for width in range(MAX_NAME_WORDS, 1, -1):
            window = groups[i:i + width]
            if len(window) == width and all(_plain_word(g) for g in window):
                typed = " ".join(g[0].typed for g in window)
                found = lookup_name(typed)
                # Words that are each a place (Beijing Tianjin) stay apart, unless together
                # they are a policy word (Beijing Tianjin Hebei → 京津冀).
                each_a_place = all((lookup_name(g[0].typed) or ((), ""))[1] == PLACE
                                   for g in window)
                if found and (found[1] != PLACE or not each_a_place):
                    out.append([Term(typed, added=list(found[0]), sources=[found[1]])])
                    i += width
                    break
        else:
            out.append(groups[i])
            i += 1
    query.groups[:] = out
