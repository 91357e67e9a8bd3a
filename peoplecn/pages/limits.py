"""The caps that keep reading one page linear and bounded, whatever the page holds. What a cap
leaves out is recorded in the article's `truncated` ({"links": n, "paragraphs": n, "pages": n,
"nesting": depth}), never dropped silently. Pure constants; docs/reliability.md has the figures.
"""

MAX_LINKS = 1_000  # links kept per article (related, recommended and in-text together)
MAX_PARAGRAPHS = 5_000  # body blocks read per page (people.cn articles: 1–200)
MAX_PAGES = 50  # pages of one multi-page article (the longest seen: 12)
# libxml2 stops building the tree at this depth (lxml's huge_tree, as parsel parses): anything
# nested deeper is not read, so an article that deep is marked {"nesting": depth}.
PARSER_MAX_DEPTH = 2048
