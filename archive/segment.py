"""Chinese word segmentation for the research views: rjieba (jieba-rs, the jieba algorithm and
dictionary in Rust) with the archive's own vocabulary — the gazetteer's names, the topic
lexicon's keywords, the entity lexicon's documents and organisations, and a few terms of the
field (archive/data/vocabulary.txt) — added as its user dictionary, so 京津冀协同发展, 雄安新区 and
城市副中心 stay one word. Choice and measurements: docs/decisions.md (issue 19).

Pure: one in-process segmenter, built on first use; never touches the network or an archive.
Search does NOT use it (docs/search.md: bigrams keep the substring guarantee).
"""

from __future__ import annotations

import hashlib
import pkgutil
import re
from functools import cache
from importlib.metadata import version

VOCABULARY_TXT = "data/vocabulary.txt"  # beside this module
# A word token: Han, letters or digits (a run of one kind; jieba splits Han from the rest).
# Punctuation, spaces and symbols are not words and never reach the stored terms.
_WORD = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# jieba cuts at most this much at once; longer texts are cut at line ends (a 60 MB body costs
# what its lines cost, never one call over the whole).
CHUNK = 20_000


def _lines(data: bytes | None) -> list[str]:
    text = (data or b"").decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()
            and not line.lstrip().startswith("#")]


@cache
def user_words() -> tuple[tuple[str, str | None], ...]:
    """Every word of the user dictionary with its part of speech (jieba's tags: ns place, nt
    organisation, nz other proper noun; None keeps a known word's own): places (names and
    aliases), known organisations and documents, the field's vocabulary, topic keywords."""
    from archive.entity_lexicon import entity_lexicon
    from archive.gazetteer import gazetteer
    from archive.topics import lexicon

    tags: dict[str, str | None] = {}
    entities = entity_lexicon()
    for place in gazetteer().places.values():
        for name in (place.name, *place.aliases):
            tags.setdefault(name, "ns")
    for name in entities.organisations:
        tags.setdefault(name, "nt")
    for name in (*entities.documents, *_lines(pkgutil.get_data(__name__, VOCABULARY_TXT))):
        tags.setdefault(name, "nz")
    for topic in lexicon().topics:
        for keyword in topic.keywords:
            tags.setdefault(keyword, None)  # 搬迁, 承接: verbs stay verbs
    # Only Han words help the segmenter (PM2.5 and English never meet its dictionary).
    return tuple(sorted(((w, t) for w, t in tags.items() if _HAN.search(w) and len(w) >= 2),
                        key=lambda wt: (-len(wt[0]), wt[0])))


@cache
def segmenter():
    """The rjieba segmenter with the user dictionary (about 0.2 s to build, once)."""
    import rjieba

    jieba = rjieba.Jieba()
    for word, tag in user_words():
        if tag is None and jieba.has_word(word):
            continue  # a dictionary word already, with its own part of speech
        # No frequency: jieba-rs then gives the word just enough weight to be kept whole
        # (suggest_freq), the way jieba's own add_word does.
        jieba.add_word(word, None, tag or "n")
    return jieba


@cache
def segmenter_key() -> str:
    """Which segmentation stored terms were made with: the library's version and a hash of the
    user dictionary. Stored beside the terms; a change makes `xietong reparse` cut again."""
    listed = "\n".join(f"{w}\t{t}" for w, t in user_words())
    digest = hashlib.sha256(listed.encode()).hexdigest()[:12]
    return f"rjieba-{version('rjieba')}+{digest}"


def _chunks(text: str):
    while len(text) > CHUNK:
        cut = text.rfind("\n", 0, CHUNK)
        cut = cut + 1 if cut > 0 else CHUNK
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


def cut(text: str | None) -> list[str]:
    """Every token of `text` in order, punctuation and spaces included (they concatenate back
    to the text)."""
    jieba = segmenter()
    return [t for chunk in _chunks(text or "") for t in jieba.cut(chunk)]


@cache
def _user_tags() -> dict[str, str]:
    # jieba-rs keeps a known word's own tag when it is added again (保定 stays a verb): the
    # archive's names get theirs here.
    return {word: tag for word, tag in user_words() if tag}


def tagged(text: str | None) -> list[tuple[str, str, int]]:
    """(token, part of speech, offset in `text`) for every token — jieba's dictionary tags,
    with the user dictionary's for the archive's own names; tokens concatenate back to
    `text`."""
    jieba, own = segmenter(), _user_tags()
    out, at = [], 0
    for chunk in _chunks(text or ""):
        for token, tag in jieba.tag(chunk):
            out.append((token, own.get(token, tag), at))
            at += len(token)
    return out


def words(text: str | None) -> list[str]:
    """The word tokens of `text` in order, lower-cased: what the terms views count."""
    return [t.lower() for t in cut(text) if _WORD.search(t) and not t.isspace()]


def terms_text(title: str | None, body: str | None) -> str:
    """The stored form of an article's words: tokens separated by spaces, one line per
    paragraph (collocation windows do not cross a line). Title first."""
    lines = []
    for part in (title or "", *(body or "").split("\n")):
        tokens = words(part)
        if tokens:
            lines.append(" ".join(t.replace(" ", "") for t in tokens))
    return "\n".join(lines)
