"""The ground truth of text reuse, and its measure: which pairs of articles share text, and how
many of them `reuse` finds (precision, recall). Shared by tests/archive/test_reuse.py and
benchmarks/reuse_accuracy.py.

Two sets of cases:
- the sample site: every content file's `reuses` names the articles it was written from (a
  reprint, a paragraph dropped, a lead rewritten, two articles merged — all in our own words);
- the real article pages of ../shared/corpus/raw, read in place, and variants of them made here
  in memory (never written anywhere): a paragraph dropped, the lead replaced by a sentence of
  ours, and the first half of one joined to the second half of another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import sqlite_utils
from corpus_expectations import ARTICLES, RAW

from archive.reprints import normalised_text
from archive.reuse import MIN_OVERLAP, MIN_SHARED
from archive.store import save_article
from peoplecn import urls
from peoplecn.pages import parse_article

# Our sentence for a rewritten lead (the variant's first paragraph).
OUR_LEAD = "　　本网综合报道 记者近日从有关方面了解到，这项工作正在稳步推进，相关情况介绍如下。"


@dataclass(frozen=True)
class Score:
    pairs: int  # true pairs
    found: int  # pairs found
    right: int  # found and true

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.pairs if self.pairs else 1.0


def sample_truth(site) -> set[frozenset[str]]:
    """Pairs (article ids) the sample site's content files declare with `reuses`."""
    truth = set()
    for spec in site.articles.values():
        for source in spec.get("reuses", []):
            truth.add(frozenset((urls.article_id(spec["url"]), urls.article_id(source))))
    return truth


def found_pairs(db: sqlite_utils.Database, ids: set[str] | None = None) -> set[frozenset[str]]:
    pairs = {frozenset(p) for p in db.execute("select source_id, target_id from reuse")}
    return {p for p in pairs if ids is None or p <= ids}


def score(found: set[frozenset[str]], truth: set[frozenset[str]]) -> Score:
    return Score(len(truth), len(found), len(found & truth))


def corpus_records() -> dict[str, dict]:
    """The real article pages (Chinese and English) as reader records, by id."""
    out = {}
    for name, expected in ARTICLES.items():
        path = RAW / name
        if not path.exists():
            continue
        record = parse_article(expected["url"], path.read_bytes()).to_dict()
        if len(record["paragraphs"]) >= 4:
            out[record["id"]] = record
    return out


def _variant(record: dict, suffix: str, parts: list[tuple[dict, int] | str],
             title: str) -> dict:
    """A new record made of paragraphs of others ((record, index)) and sentences of ours (str);
    `provenance` says where each paragraph came from."""
    url = re.sub(r"(\d+)(\.s?html?)$", rf"\g<1>{suffix}\2", record["url"])
    content_id = record["content_id"] + suffix if record.get("content_id") else None
    paragraphs, provenance = [], []
    for part in parts:
        if isinstance(part, str):
            paragraphs.append(part)
            provenance.append(None)
        else:
            source, index = part
            paragraphs.append(source["paragraphs"][index])
            provenance.append(source["provenance"][index])
    return {**record, "id": urls.article_id(url) or url, "url": url, "content_id": content_id,
            "title": title, "paragraphs": paragraphs, "provenance": provenance, "links": []}


def corpus_variants(records: dict[str, dict]) -> list[dict]:
    """The real pages and rewritten reprints of them: a paragraph dropped, the lead replaced by
    our sentence, two pages of one language merged (first half of one, second of the other)."""
    originals = [{**r, "provenance": [(r["id"], i) for i in range(len(r["paragraphs"]))]}
                 for r in sorted(records.values(), key=lambda r: r["id"])]
    variants = []
    for r in originals:
        n = len(r["paragraphs"])
        variants.append(_variant(r, "1", [(r, i) for i in range(n) if i != n // 2],
                                 "（转载）" + r["title"]))
        variants.append(_variant(r, "2", [OUR_LEAD, *((r, i) for i in range(1, n))],
                                 r["title"] + "（综述）"))
    for k, (a, b) in enumerate(combinations(originals, 2)):
        if a.get("language") == b.get("language"):
            parts = [(a, i) for i in range(len(a["paragraphs"]) // 2)]
            parts += [(b, i) for i in range(len(b["paragraphs"]) // 2, len(b["paragraphs"]))]
            variants.append(_variant(a, f"3{k}", parts, "综合：" + a["title"]))
    return originals + variants


def true_pairs(records: list[dict]) -> set[frozenset[str]]:
    """Pairs that share, by construction, a paragraph of MIN_SHARED characters or more, or
    MIN_OVERLAP of the shorter text (normalised characters): what `reuse` should find."""
    def size(paragraph: str) -> int:
        return len(normalised_text(paragraph))

    truth = set()
    for a, b in combinations(records, 2):
        shared = {p for p in a["provenance"] if p} & {p for p in b["provenance"] if p}
        lengths = {p: size(par) for p, par in zip(a["provenance"], a["paragraphs"], strict=True)
                   if p in shared}
        common = sum(lengths.values())
        shorter = min(sum(size(p) for p in a["paragraphs"]), sum(size(p) for p in b["paragraphs"]))
        if shared and (max(lengths.values()) >= MIN_SHARED or common >= MIN_OVERLAP * shorter):
            truth.add(frozenset((a["id"], b["id"])))
    return truth


def archive_of(records: list[dict], db: sqlite_utils.Database) -> None:
    """Save records into an archive (ensure_schema done), as the crawl's writer would."""
    with db.atomic():
        for record in records:
            record = {k: v for k, v in record.items() if k != "provenance"}
            save_article(db, record, "2025-01-01T00:00:00+00:00")
