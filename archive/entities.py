"""People, organisations and policy documents an article names, each with its evidence: the
field (title, byline, body), the character offset in it and the text that showed it.

Rules, not a trained model (docs/extraction.md measures them):
- documents: titles in 《》 (and 〈〉 inside them) that end in a kind of document (规划, 纲要,
  意见, 通知, 条例 …), start with 关于, or are laws; newspapers and programmes (《人民日报》) are
  sources and never documents; the lexicon's known plans count with or without 《》.
- organisations: the lexicon's known bodies, and names ending in an organisation word (委员会,
  局, 集团, 医院, 大学 …) whose left edge is where the name-like words before it end (the
  segmenter's parts of speech: a verb, particle, pronoun, number or punctuation ends a name);
  a name that goes on past a complete body is a sub-unit and listed on its own
  (中国国家航天局 | 国际合作司); generic heads (有关部门, 当地医院) are not names.
- people: the reporters of the byline and of 记者 credits in the text; speakers — 职务 + name
  before a verb of saying (副司长姚建廷说), a name opening a clause before one (张晓阳表示) —
  and a name before a senior title (习近平主席).
Pure over one record; never touches the network or an archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.entity_lexicon import EntityLexicon, entity_lexicon
from archive.segment import segmenter, tagged

KINDS = ("people", "organisations", "documents")
MAX_FIELD = 200_000  # a field is read up to here (a 60 MB body costs what a long one does)
MAX_MENTIONS = 2_000  # mentions kept per article
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BRACKETED = re.compile(r"《([^《》\n]{1,120})》")
_INNER = re.compile(r"〈([^〈〉\n]{1,120})〉")
_TRAILING_PARENS = re.compile(r"(?:[（(][^（）()]*[）)])+$")
_SPACES = re.compile(r"\s+")
# The dateline of wire copy (新华社北京4月24日电, 人民网石家庄2月24日电): the outlet is the
# source there, not an organisation the article names.
_DATELINE = re.compile(rf"^[{_HAN}]{{2,12}}?\d{{1,2}}月\d{{1,2}}日电")
# Organisation names: parts of speech that may stand inside one (nouns, names, places,
# abbreviations, distinguishing words, nominal verbs) …
_NAME_TAGS = frozenset({"n", "nt", "ns", "nz", "nr", "nrt", "nrfg", "j", "b", "l", "an", "vn",
                        "ng", "eng", "s", "i", "g", "zg"})
_JOINING = ("与", "和")
_COUNTING = frozenset({"m", "q", "r", "mq"})  # numbers, measure words, pronouns
_DESCRIBING = frozenset({"一家", "一所", "一个", "这家", "那家", "该", "有个", "某", "各", "每",
                         "多家", "几家", "两家", "不少"})
_JOINABLE = frozenset({"n", "nz", "vn", "an", "l"})
MAX_ORGANISATION = 24  # characters; a longer run of nouns is a phrase, not a name
_SENIOR = ("总书记", "国家主席", "主席", "总理", "副总理", "委员长", "国务委员", "书记", "省长",
           "市长", "部长", "院士", "教授")


@dataclass(frozen=True)
class Mention:
    kind: str  # people | organisations | documents
    name: str
    role: str  # reporter | speaker | named | titled | document | organisation
    field: str  # title | byline | body
    offset: int  # in the field, characters
    evidence: str  # the text that showed it

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "role": self.role, "field": self.field,
                "offset": self.offset, "evidence": self.evidence}


# --- documents ------------------------------------------------------------------------------

def _document_name(raw: str) -> str:
    return _SPACES.sub("", raw).strip("“”\"'‘’")


def is_document(name: str, lex: EntityLexicon) -> bool:
    """Whether a title in 《》 names a policy document (not a newspaper, book, play or film)."""
    if not name or name in lex.not_document_titles:
        return False
    if name in lex.documents:
        return True
    bare = _TRAILING_PARENS.sub("", name)  # …规划（2018—2035年） → …规划
    if any(bare.endswith(s) for s in lex.not_document_suffixes):
        return False
    if name.startswith((lex.law_prefix, lex.subject_prefix)):
        return True
    if any(bare.endswith(s) for s in lex.document_suffixes):
        return True
    return len(bare) >= 4 and bare.endswith(lex.law_suffix)


def _documents(field: str, text: str, lex: EntityLexicon) -> list[Mention]:
    out, covered = [], []
    for m in _BRACKETED.finditer(text):
        covered.append(m.span())
        name = _document_name(m.group(1))
        if is_document(name, lex):
            out.append(Mention("documents", name, "document", field, m.start(), m.group()))
        for inner in _INNER.finditer(m.group(1)):
            name = _document_name(inner.group(1))
            if is_document(name, lex):
                out.append(Mention("documents", name, "document", field,
                                   m.start(1) + inner.start(), inner.group()))
    if lex.documents:
        for m in _known_pattern(lex.documents).finditer(text):
            if not any(s <= m.start() < e for s, e in covered):
                out.append(Mention("documents", m.group(), "document", field, m.start(),
                                   m.group()))
    return out


_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}


def _known_pattern(words: tuple[str, ...]) -> re.Pattern:
    pattern = _PATTERNS.get(words)
    if pattern is None:
        pattern = _PATTERNS[words] = re.compile("|".join(re.escape(w) for w in words))
    return pattern


# --- organisations --------------------------------------------------------------------------

def _suffix_of(word: str, lex: EntityLexicon) -> str | None:
    """The longest organisation word `word` ends with (a set lookup per length: this runs for
    every token of every article)."""
    suffixes = _suffix_sets(lex)
    for length in range(min(len(word), len(suffixes)), 0, -1):
        if word[-length:] in suffixes[length - 1]:
            return word[-length:]
    return None


_SUFFIX_SETS: dict[int, tuple[frozenset[str], ...]] = {}


def _suffix_sets(lex: EntityLexicon) -> tuple[frozenset[str], ...]:
    found = _SUFFIX_SETS.get(id(lex))
    if found is None:
        longest = max(map(len, lex.organisation_suffixes), default=0)
        found = _SUFFIX_SETS[id(lex)] = tuple(
            frozenset(s for s in lex.organisation_suffixes if len(s) == n)
            for n in range(1, longest + 1))
    return found


def _is_name_part(token: str, tag: str, lex: EntityLexicon) -> bool:
    return (tag in _NAME_TAGS and token not in lex.generic_prefixes
            and not token.isspace() and token not in lex.titles)


def _organisation(tokens: list[tuple[str, str, int]], lex: EntityLexicon) -> str | None:
    """The name these tokens make, or None when it is generic (有关部门) or no name."""
    while tokens and tokens[0][0] in lex.generic_prefixes:
        tokens = tokens[1:]
    name = "".join(t for t, _, _ in tokens)
    suffix = _suffix_of(name, lex)
    if not suffix or name in lex.not_organisations or name == suffix:
        return None
    if any(name[-n:] in lex.not_organisations for n in range(len(suffix) + 1, len(name))):
        return None  # 城市副中心 ends in 中心 but is a place
    head = name[: -len(suffix)]
    specific = any(tag in ("nt", "ns", "nz", "nr", "nrt", "j", "eng") or t in lex.organisations
                   for t, tag, _ in tokens[:-1]) or any(
        tag in ("nt", "ns") for _, tag, _ in tokens[-1:])
    # A head of one or two plain characters (新中心, 该局) is a description, not a name.
    if len(head) < 2 or (not specific and len(name) < 5):
        return None
    return name


def _organisations(field: str, text: str, lex: EntityLexicon) -> list[Mention]:
    tokens = tagged(text)
    out = []
    i = 0
    while i < len(tokens):
        token, tag, at = tokens[i]
        suffix = _suffix_of(token, lex)
        known = token in lex.organisations
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # A run of suffix words (集团 有限公司) is one name: it ends at the last of them.
        if (suffix or known) and nxt and (_suffix_of(nxt[0], lex) == nxt[0]):
            i += 1
            continue
        if not (suffix or known) or tag in ("v", "vd", "a", "d", "p", "c"):
            i += 1
            continue
        start, length = i, len(token)
        while start > 0:
            prev, prev_tag, _ = tokens[start - 1]
            if length + len(prev) > MAX_ORGANISATION:
                break
            if prev in _JOINING and start > 1 and start < i and \
                    tokens[start - 2][1] in _JOINABLE and tokens[start][1] in _JOINABLE:
                # 天体物理学与行星学研究所: fields of study joined inside one name (places
                # joined by 和 are two bodies: they are not nouns of this kind).
                start -= 1
                length += len(prev)
                continue
            if prev == "驻" and tokens[start][1] == "ns":  # 市政府驻海南省办事处
                start -= 1
                length += 1
                continue
            if not _is_name_part(prev, prev_tag, lex):
                break
            start -= 1
            length += len(prev)
        if start > 0 and (tokens[start - 1][1] in _COUNTING
                          or tokens[start - 1][0] in _DESCRIBING):
            i += 1  # 一家农业科技有限公司, 有个机器人学校: a description, not a name
            continue
        proper = [k for k in range(start, i) if tokens[k][1] == "nt"]
        if proper and not any(t == "驻" for t, _, _ in tokens[start:i]):
            start = proper[0]  # 积极响应共青团上海市委员会: the name starts at a known body
        out.extend(_split_organisations(field, tokens[start:i + 1], lex, known))
        i += 1
    return out


def _split_organisations(field: str, run: list[tuple[str, str, int]], lex: EntityLexicon,
                         known_end: bool) -> list[Mention]:
    """A run of name tokens ending in an organisation word; a complete body inside it
    (…局 | …司) ends one name and starts the next."""
    pieces, begin = [], 0
    for k in range(len(run) - 1):
        word = "".join(t for t, _, _ in run[begin:k + 1])
        if _suffix_of(run[k + 1][0], lex) == run[k + 1][0]:
            continue  # 集团 | 有限公司: a run of kind words ends at its last
        if _organisation(run[begin:k + 1], lex) and _suffix_of(run[k][0], lex) and \
                _organisation(run[k + 1:], lex):
            pieces.append(run[begin:k + 1])
            begin = k + 1
        elif word in lex.organisations and _organisation(run[k + 1:], lex):
            pieces.append(run[begin:k + 1])
            begin = k + 1
    pieces.append(run[begin:])
    out = []
    for piece in pieces:
        name = "".join(t for t, _, _ in piece)
        if not (name in lex.organisations or _organisation(piece, lex)):
            if not (known_end and piece is pieces[-1] and piece[-1][0] in lex.organisations):
                continue
            name = piece[-1][0]
            piece = piece[-1:]
        out.append(Mention("organisations", name, "organisation", field, piece[0][2], name))
    return out


# --- people ---------------------------------------------------------------------------------

def _is_chinese_name(name: str, lex: EntityLexicon) -> bool:
    if name in lex.not_names or not re.fullmatch(f"[{_HAN}]+", name):
        return False
    if name[:2] in lex.compound_surnames and 3 <= len(name) <= 4:
        return True
    return name[0] in lex.surnames and 2 <= len(name) <= 3


def _is_foreign_name(name: str, lex: EntityLexicon) -> bool:
    """A transliterated name: parts joined by · (米歇尔·布兰), or one word the segmenter's
    dictionary tags as a personal name (泰勒斯)."""
    if name in lex.not_names or not 2 <= len(name) <= 16:
        return False
    if "·" in name:
        # each part a short transliteration: 米歇尔·布兰深表赞同 is a name and a verb
        return all(re.fullmatch(f"[{_HAN}]{{1,4}}", p) for p in name.split("·"))
    tags = segmenter().tag(name)
    return len(tags) == 1 and tags[0][1] in ("nr", "nrt", "nrfg")


def _unknown_word(name: str) -> bool:
    """Not a word of the segmenter's dictionary, or one it tags as a personal name: a common
    word before 说 (马上说, 高度评价) is not a name."""
    jieba = segmenter()
    if not jieba.has_word(name):
        return True
    return any(tag.startswith("nr") for _, tag in jieba.tag(name))


@dataclass(frozen=True)
class _PeoplePatterns:
    titled: re.Pattern  # 职务 + name, then punctuation or (adverb 地 +) a verb of saying
    opening: re.Pattern  # clause start + name + verb of saying
    senior: re.Pattern  # name + senior title
    credit: re.Pattern  # （记者宋晨、田中全）


_PEOPLE: dict[int, _PeoplePatterns] = {}


def _people_patterns(lex: EntityLexicon) -> _PeoplePatterns:
    found = _PEOPLE.get(id(lex))
    if found:
        return found
    titles, verbs = lex.alternation(lex.titles), lex.alternation(lex.speech_verbs)
    saying = rf"(?=(?:[{_HAN}]{{2}}地)?(?:{verbs}))"
    # 职务 + name ends where the sentence goes on: punctuation, 和/与/等, or a verb of saying.
    after = rf"(?=[、，。；：！？）)」”\s和与等]|$|(?:[{_HAN}]{{2}}地)?(?:{verbs}))"
    reporters = lex.alternation(lex.reporter_words)
    found = _PeoplePatterns(
        # In a lookahead, so that matches overlap: 公使衔参赞罗满月说 is tried at 参赞 too.
        titled=re.compile(rf"(?=(?:{titles})([{_HAN}·]{{2,16}}?){after})"),
        opening=re.compile(rf"(?:^|(?<=[，。；！？：、“”\"（(\s的]))([{_HAN}]{{2,4}}?){saying}"),
        senior=re.compile(rf"(?:^|(?<=[，。；！？：、“”\"（(\s的向与和同]))([{_HAN}]{{2,4}}?)"
                          rf"(?=(?:{lex.alternation(_SENIOR)}))"),
        credit=re.compile(rf"[（(]\s*(?:{reporters})\s*([^（）()]{{2,60}})[）)]"),
    )
    _PEOPLE[id(lex)] = found
    return found


_CREDIT_SEP = re.compile(r"[、，,；;\s]+")


def _credit_names(text: str, lex: EntityLexicon) -> list[tuple[str, int]]:
    """Names of a 记者 credit, with their offsets in `text`."""
    out = []
    for m in _people_patterns(lex).credit.finditer(text):
        at = m.start(1)
        for part in _CREDIT_SEP.split(m.group(1)):
            name = re.sub(r"(?:摄影报道|报道|摄)$", "", part)
            if name and _is_chinese_name(name, lex):
                out.append((name, text.find(name, at)))
    return out


def _people(field: str, text: str, lex: EntityLexicon) -> list[Mention]:
    patterns = _people_patterns(lex)
    out = [Mention("people", name, "reporter", field, at, name)
           for name, at in _credit_names(text, lex)]
    for m in patterns.titled.finditer(text):
        name = m.group(1)
        # A two-character name that is a common word (专家门诊) is the word.
        chinese = _is_chinese_name(name, lex) and (len(name) > 2 or _unknown_word(name))
        if chinese or _is_foreign_name(name, lex):
            out.append(Mention("people", name, "speaker", field, m.start(1),
                               text[m.start():m.end(1) + 2]))
    for m in patterns.opening.finditer(text):
        name = m.group(1)
        if _is_chinese_name(name, lex) and _unknown_word(name):
            out.append(Mention("people", name, "speaker", field, m.start(1),
                               text[m.start(1):m.end() + 2]))
    for m in patterns.senior.finditer(text):
        name = m.group(1)
        if _is_chinese_name(name, lex) and _unknown_word(name):
            out.append(Mention("people", name, "titled", field, m.start(1),
                               text[m.start(1):m.end() + 3]))
    return out


def _byline_people(byline: str | None, authors: list[str]) -> list[Mention]:
    out = []
    for name in authors or []:
        spaced = re.compile(r"\s*".join(map(re.escape, name)))
        m = spaced.search(byline or "")
        out.append(Mention("people", name, "reporter", "byline", m.start() if m else 0,
                           m.group() if m else name))
    return out


# --- the article ----------------------------------------------------------------------------

def _masked_dateline(text: str) -> str:
    """The text with the dateline of each paragraph blanked (offsets kept)."""
    def blank(line: str) -> str:
        m = _DATELINE.match(line.lstrip())
        if not m:
            return line
        end = len(line) - len(line.lstrip()) + m.end()
        return " " * end + line[end:]

    return "\n".join(blank(line) for line in text.split("\n"))


def mentions_in(fields: dict[str, str | None], lex: EntityLexicon | None = None,
                authors: list[str] | None = None) -> list[Mention]:
    """Every mention in `fields` ({field: text}), in field order, then by offset."""
    lex = lex or entity_lexicon()
    out: list[Mention] = []
    for field, text in fields.items():
        text = (text or "")[:MAX_FIELD]
        if field == "byline":
            out += _byline_people(text, authors or [])
            continue
        out += _documents(field, text, lex)
        out += _people(field, text, lex)
        out += _organisations(field, _masked_dateline(text), lex)
    people = {m.name for m in out if m.kind == "people"}
    # A person's name is never also an organisation (张华集团 aside, rare in news text).
    out = [m for m in out if not (m.kind == "organisations" and m.name in people)]
    seen, unique = set(), []
    for m in sorted(out, key=lambda m: (list(fields).index(m.field), m.offset, m.kind)):
        key = (m.kind, m.name, m.field, m.offset)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique[:MAX_MENTIONS]


def article_entities(record: dict, lex: EntityLexicon | None = None) -> dict:
    """{people, organisations, documents: [names, first mention first], mentions: [dicts]}
    for an article record (title, byline, authors, paragraphs)."""
    fields = {"title": record.get("title"), "byline": record.get("byline"),
              "body": "\n\n".join(record.get("paragraphs") or [])}
    mentions = mentions_in(fields, lex, record.get("authors") or [])
    names: dict[str, dict[str, None]] = {kind: {} for kind in KINDS}
    for m in mentions:
        names[m.kind].setdefault(m.name, None)
    return {**{kind: list(names[kind]) for kind in KINDS},
            "mentions": [m.to_dict() for m in mentions]}
