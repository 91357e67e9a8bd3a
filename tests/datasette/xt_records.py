"""Article records for tests that build an archive by hand."""

from __future__ import annotations

from peoplecn.pages.record import Article


def article_record(article_id: str, title: str, paragraphs: list[str], **fields) -> dict:
    host, content_id = article_id.split("-")
    article = Article(
        url=f"http://{host}.people.com.cn/n2/2024/0101/c1-{content_id}.html", id=article_id,
        content_id=content_id, site=f"{host}.people.com.cn", channel="河北频道", title=title,
        pre_title=None, subtitle=None, series=None, published_at="2024-01-01T08:00:00+08:00",
        source="人民网", source_url=None, byline=None, authors=[], editors=[],
        paragraphs=paragraphs, images=[], links=[], language="zh", template="people_2020",
        charset="utf-8")
    return {**article.to_dict(), **fields}
