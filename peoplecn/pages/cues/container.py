"""Where the text lives, template-blind: the densest block by Readability's rule on the page's
lines — a paragraph's plain-text length (and its commas) counts for the block holding it, half
for the block above, discounted by link density. One pass over the lines: linear.
"""

from __future__ import annotations

from peoplecn.pages.cues.base import SENTENCE, CuesBase
from peoplecn.pages.lines import BLOCK_TAGS
from peoplecn.pages.record import MissingField

PARA_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote",
                       "pre", "figcaption", "caption", "address", "center"})
MIN_PARAGRAPH = 8  # fewer characters of plain text: a label, not a paragraph


class ContainerCues(CuesBase):
    def container(self):
        return self._once("container", self._densest)

    def _densest(self):
        """The element the text lives in, by Readability's rule on our lines: a paragraph's
        plain-text length (and its commas) counts for the block holding it, half for the
        block above, discounted by link density. One pass over the lines: linear."""
        score: dict = {}
        half: dict = {}
        total: dict = {}
        linked: dict = {}
        for line in self.lines:
            if not line.size:
                continue
            owner = line.owner
            target = owner.getparent() if self._paragraph_block(owner) else owner
            target = owner if target is None else target
            total[target] = total.get(target, 0) + line.size
            linked[target] = linked.get(target, 0) + line.link_chars
            plain = line.size - line.link_chars
            if plain < MIN_PARAGRAPH:
                continue
            s = plain + 10 * len(SENTENCE.findall(line.text))
            score[target] = score.get(target, 0) + s
            parent = target.getparent()
            if parent is not None:
                half[parent] = half.get(parent, 0) + s / 2

        def value(el):
            density = linked.get(el, 0) / total[el] if total.get(el) else 0.0
            return (score.get(el, 0) + half.get(el, 0)) * (1 - density)

        candidates = list(dict.fromkeys([*score, *half]))  # page order: ties go the same way
        if not candidates:
            raise MissingField(self.url, "body")
        best = max(candidates, key=value)
        for _ in range(4):  # text split over sibling blocks: take the block that holds them
            parent, own = best.getparent(), score.get(best, 0) / 2
            if parent is None or not own or half.get(parent, 0) - own < 0.3 * own:
                break
            best = parent
        return best

    def _paragraph_block(self, owner) -> bool:
        """A block that is one paragraph: <p>, <li> … or a <div> holding one line and no
        other block (channels that set each paragraph in a div)."""
        if owner.tag in PARA_TAGS:
            return True
        return owner.tag in ("div", "span", "font", "section") \
            and self.page_lines.owner_lines.get(owner) == 1 \
            and not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in owner)
