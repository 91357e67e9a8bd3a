"""What changed between two versions of an article, for reading on its page: the paragraphs a
version added and removed (archive/versions.py stores them), an edited paragraph paired with
the one it replaced and shown as words struck out and put in (`280余种` → `286种`), the rest
whole. Pure; bounded: at most MAX_PARAGRAPHS a side are paired, and an inline diff is made only
of paragraphs up to MAX_CHARS (difflib is quadratic in the worst case).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

MAX_PARAGRAPHS = 20
MAX_CHARS = 2000
SIMILAR = 0.5  # a removed and an added paragraph this alike are one paragraph, edited
# What is compared: a number or a Latin word whole (280 → 286 reads as one change), any other
# character alone (Chinese has no spaces to split words on).
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+|\s+|.", re.S)


def _inline(old: str, new: str) -> list[dict]:
    """Segments {kind: same | del | ins, text} turning `old` into `new`, token by token."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append({"kind": "same", "text": "".join(a[a0:a1])})
            continue
        if a1 > a0:
            out.append({"kind": "del", "text": "".join(a[a0:a1])})
        if b1 > b0:
            out.append({"kind": "ins", "text": "".join(b[b0:b1])})
    return out


def paragraph_changes(removed: list[str], added: list[str]) -> list[dict]:
    """Changes to read, in the new version's order: {kind: edited, segments} for a paragraph
    that was edited, {kind: added | removed, text} for one put in or taken out whole."""
    removed, added = removed[:MAX_PARAGRAPHS], added[:MAX_PARAGRAPHS]
    pairs: dict[int, int] = {}  # added index → removed index
    taken: set[int] = set()
    for j, new in enumerate(added):
        if len(new) > MAX_CHARS:
            continue
        best, best_ratio = None, SIMILAR
        for i, old in enumerate(removed):
            if i in taken or len(old) > MAX_CHARS:
                continue
            matcher = SequenceMatcher(None, old, new, autojunk=False)
            if matcher.quick_ratio() >= best_ratio and (ratio := matcher.ratio()) >= best_ratio:
                best, best_ratio = i, ratio
        if best is not None:
            pairs[j] = best
            taken.add(best)
    out = [{"kind": "removed", "text": old} for i, old in enumerate(removed) if i not in taken]
    for j, new in enumerate(added):
        if j in pairs:
            out.append({"kind": "edited", "segments": _inline(removed[pairs[j]], new)})
        else:
            out.append({"kind": "added", "text": new})
    return out
