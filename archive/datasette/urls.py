"""Addresses of our pages inside Datasette: an article's page, a series page, a faceted list."""

from __future__ import annotations

from urllib.parse import urlencode

from datasette.utils import tilde_encode


def article_url(datasette, database: str, article_id: str) -> str:
    return datasette.urls.row(database, "articles", tilde_encode(str(article_id)))


def series_url(datasette, database: str, series: str) -> str:
    return datasette.urls.database(database) + "/series_articles?" + urlencode({"series": series})


def facet_url(datasette, database: str, column: str, value: str, array: bool = False) -> str:
    key = f"{column}__arraycontains" if array else column
    return datasette.urls.table(database, "articles") + "?" + urlencode({key: value})
