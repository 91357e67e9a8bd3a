"""The people.cn URL grammar (peoplecn/urls.py): which URLs are articles, their one canonical
form and their ids — the 2012-on /n/ URLs, the pre-2012 /GB/ pages and the old English site."""

from __future__ import annotations

import pytest

from peoplecn import urls


@pytest.mark.parametrize("url, canonical, article_id, day, page", [
    ("http://he.people.com.cn/n2/2024/0225/c192235-40745301-2.html",
     "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", "he-40745301", "2024-02-25",
     2),
    ("https://HE.people.com.cn/BIG5/n2/2024/0225/c192235-40745301.html?from=x#top",
     "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", "he-40745301", "2024-02-25",
     1),
    # before 2012: /GB/{catalog}/…/{contentId}.html and its /BIG5/ mirror; no date in the URL
    ("http://www.people.com.cn/GB/14857/8882345.html",
     "http://www.people.com.cn/GB/14857/8882345.html", "www-gb8882345", None, 1),
    ("http://he.people.com.cn/BIG5/197051/379555/1234567.html",
     "http://he.people.com.cn/GB/197051/379555/1234567.html", "he-gb1234567", None, 1),
    # the English site before en.people.cn
    ("http://english.people.com.cn/200707/12/eng20070712_398765.html",
     "http://english.people.com.cn/200707/12/eng20070712_398765.html", "english-398765",
     "2007-07-12", 1),
    ("http://english.people.com.cn/90001/90776/6295012.html",
     "http://english.people.com.cn/90001/90776/6295012.html", "english-6295012", None, 1),
])
def test_article_urls(url, canonical, article_id, day, page):
    assert urls.is_article_url(url)
    assert (urls.canonical_article_url(url), urls.article_id(url), urls.url_date(url),
            urls.page_number(url)) == (canonical, article_id, day, page)
    assert urls.content_id(url) == article_id.split("-")[1].removeprefix("gb")


@pytest.mark.parametrize("url", [
    "http://www.people.com.cn/GB/70846/index2.html",  # a list page
    "http://politics.people.com.cn/GB/8198/441926/index.html",  # a topic page
    "http://www.people.com.cn/",
    "http://www.news.cn/20240424/b3e483975ed64224afba3567f940a0b0/c.html",
    "http://example.com/GB/14857/8882345.html",  # not a people.cn host
    "not a url",
])
def test_not_article_urls(url):
    assert not urls.is_article_url(url) and urls.article_id(url) is None
