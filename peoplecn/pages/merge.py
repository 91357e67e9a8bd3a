"""One article from the pages of a multi-page article, in page order: text, photos, links and
HTML appended; at most MAX_LINKS links, what is cut counted in `truncated`. Pure.
"""

from __future__ import annotations

from dataclasses import replace

from peoplecn.pages.limits import MAX_LINKS
from peoplecn.pages.record import Article, Link


def _cuts(pages: list[Article], **more: int) -> dict | None:
    cut: dict[str, int] = {}
    for page in pages:
        for key, n in (page.truncated or {}).items():
            cut[key] = max(cut.get(key, 0), n) if key == "nesting" else cut.get(key, 0) + n
    for key, n in more.items():
        if n:
            cut[key] = cut.get(key, 0) + n
    return cut or None


def _links(pages: list[Article]) -> tuple[list[Link], int]:
    links: list[Link] = []
    seen: set[Link] = set()
    over = 0
    for page in pages:
        for link in page.links:
            if link in seen:
                continue
            seen.add(link)
            if len(links) < MAX_LINKS:
                links.append(link)
            else:
                over += 1
    return links, over


def _sources(pages: list[Article]) -> dict:
    """Page 1's sources; a field only a later page had is that page's reader's."""
    sources: dict = {}
    for page in reversed(pages):
        sources.update(page.field_sources)
    return {**sources, **pages[0].field_sources}


def merge_pages(first: Article, rest: list[Article]) -> Article:
    """One article from its pages, in page order."""
    pages = sorted([first, *rest], key=lambda a: a.page_no)
    links, over = _links(pages)
    head = pages[0]
    edition = next((p for p in pages if p.print_edition), head)
    return replace(
        head,
        paragraphs=[p for page in pages for p in page.paragraphs],
        body_html="".join(page.body_html for page in pages),
        images=[img for page in pages for img in page.images],
        links=links,
        editors=head.editors or next((p.editors for p in pages if p.editors), []),
        print_edition=edition.print_edition,
        print_date=edition.print_date,
        print_page=edition.print_page,
        mojibake=any(p.mojibake for p in pages),
        truncated=_cuts(pages, links=over) if rest else head.truncated,
        field_sources=_sources(pages) if rest else head.field_sources,
        disagreements=sorted({d for p in pages for d in p.disagreements}),
        compared=any(p.compared for p in pages),
    )
