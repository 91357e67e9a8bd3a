"""Which words mark a selection of articles, and which words keep a term company: keyness
(Dunning's log-likelihood G² of a word's count in the selection against the whole archive,
with the log ratio of their rates as the effect size) and collocates (counts within a window of
the node, with log-Dice and MI). Pure functions over counts and stored word lists
(archive/segment.py terms_text); the serving layer decides what to read.
"""

from __future__ import annotations

import math
import pkgutil
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

STOPWORDS_TXT = "data/stopwords.txt"  # beside this module
_NUMBER = re.compile(r"^[\d.,%]+$")


@cache
def default_stopwords() -> frozenset[str]:
    text = (pkgutil.get_data(__name__, STOPWORDS_TXT) or b"").decode("utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


def wanted(term: str, stop: frozenset[str], numbers: bool = False) -> bool:
    """A term the views count: not a stop word, and not a bare number unless asked."""
    return term not in stop and (numbers or not _NUMBER.match(term))


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G² of a word seen `a` times in `c` tokens against `b` times in `d` tokens."""
    if not (c and d) or not (a + b):
        return 0.0
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    g2 = (a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0)
    return 2 * g2


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """log2 of the ratio of the two rates (0.5 added to each count: a word absent from one side
    still gets a finite value) — Hardie's effect size beside G²."""
    return math.log2(((a + 0.5) / c) / ((b + 0.5) / d)) if c and d else 0.0


@dataclass
class Key:
    term: str
    selection: int  # occurrences in the selection
    articles: int  # selected articles that have it
    archive: int  # occurrences in the whole archive
    archive_articles: int
    g2: float
    log_ratio: float


def keyness(selected: Counter, selected_articles: Counter, selected_tokens: int,
            reference: dict[str, tuple[int, int]], reference_tokens: int, min_count: int,
            limit: int) -> list[Key]:
    """The terms over-represented in the selection, strongest first. `reference`: term →
    (articles, occurrences) in the whole archive."""
    out = []
    for term, a in selected.items():
        if a < min_count:
            continue
        ref_articles, b = reference.get(term, (0, 0))
        b = max(b, a)  # the selection is part of the archive
        if a / selected_tokens <= b / reference_tokens:
            continue  # under-represented or even
        out.append(Key(term, a, selected_articles[term], b, max(ref_articles,
                                                                selected_articles[term]),
                       log_likelihood(a, b, selected_tokens, reference_tokens),
                       log_ratio(a, b, selected_tokens, reference_tokens)))
    out.sort(key=lambda k: (-k.g2, k.term))
    return out[:limit]


def node_matcher(nodes: list[str]):
    """Which tokens are the node, any of its spellings: for a Han spelling every token
    containing it (雄安 is in 雄安新区 and 河北雄安新区), otherwise the token itself (case
    folded)."""
    spellings = [n.strip().lower() for n in nodes if n.strip()]
    han = [s for s in spellings if re.search(r"[\u3400-\u9fff]", s)]
    whole = frozenset(s for s in spellings if s not in han)
    return lambda token: token in whole or any(s in token for s in han)  # tokens: lower case


@dataclass
class Collocate:
    term: str
    together: int  # occurrences within the window of a node
    frequency: int  # occurrences in the texts read
    log_dice: float
    mi: float


class _Memo(dict):
    """A token → answer cache: a text repeats its words, the question is asked once each."""

    def __init__(self, ask):
        super().__init__()
        self.ask = ask

    def __missing__(self, token: str) -> bool:
        self[token] = answer = self.ask(token)
        return answer


def collocates(texts, node: list[str], window: int, stop: frozenset[str], numbers: bool,
               min_count: int, limit: int, frequency: Counter | None = None
               ) -> tuple[list[Collocate], int, int, Counter]:
    """Collocates of `node` (its spellings) within ±window tokens on the same line of the
    stored word lists. `frequency`: the texts' word counts when the caller has them already.
    Returns (collocates by log-Dice, node occurrences, tokens read, node forms seen)."""
    is_node = _Memo(node_matcher(node))
    counted = _Memo(lambda token: not is_node[token] and wanted(token, stop, numbers))
    keys = [n.strip().lower() for n in node if n.strip()]  # stored words are lower-cased
    together: Counter = Counter()
    forms: Counter = Counter()
    nodes = 0
    if frequency is None:
        frequency = Counter()
        for text in texts:
            frequency.update((text or "").split())
    tokens = sum(frequency.values())
    for text in texts:
        text = text or ""
        if not any(k in text for k in keys):
            continue  # only texts and lines that can hold the node are walked word by word
        for line in text.split("\n"):
            if not any(k in line for k in keys):
                continue
            words = line.split()
            at = [i for i, word in enumerate(words) if is_node[word]]
            nodes += len(at)
            forms.update(words[i] for i in at)
            near: set[int] = set()  # each token counts once, however many nodes it is near
            for i in at:
                near.update(range(max(0, i - window), min(len(words), i + window + 1)))
            together.update(word for word in map(words.__getitem__, near) if counted[word])
    out = []
    span = 2 * window
    for term, n in together.items():
        if n < min_count:
            continue
        f = frequency[term]
        out.append(Collocate(term, n, f, 14 + math.log2(2 * n / (nodes + f)),
                             math.log2(n * tokens / (nodes * f * span))))
    out.sort(key=lambda c: (-c.log_dice, -c.together, c.term))
    return out[:limit], nodes, tokens, forms
