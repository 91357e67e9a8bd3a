"""Is an article about the topic? A keyword filter over its title, pre-title, subtitle and body.

Latin keywords match case-insensitively; Chinese keywords as substrings.
"""

from __future__ import annotations

from peoplecn.pages import Article


def is_relevant(article: Article, keywords: list[str]) -> bool:
    if not keywords:
        return True
    text = "\n".join(
        filter(None, [article.title, article.pre_title, article.subtitle, article.body])
    ).casefold()
    return any(k.casefold() in text for k in keywords)
