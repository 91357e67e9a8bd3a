"""Which URLs an article page needs to be seen as captured (peoplecn/requisites.py): read from the
sample site's real markup, people.cn hosts only, never scripts."""

from __future__ import annotations

import pytest

from peoplecn.requisites import (
    IMAGE,
    PHOTO,
    STYLESHEET,
    Requisite,
    article_requisites,
    page_requisites,
    requisite_url,
    stylesheet_requisites,
)
from sample_site.media import photo_urls

SEED = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


@pytest.fixture(scope="module")
def seed_page(site):
    return page_requisites(SEED, site.get(SEED).body)


def test_a_2020_page_needs_its_stylesheet_first_then_its_images(seed_page):
    assert seed_page[0] == Requisite("http://www.people.com.cn/img/2020wbc/css/page202102.css",
                                     STYLESHEET)
    urls = [r.url for r in seed_page]
    assert "http://he.people.com.cn/img/2020wbc/imgs/logo.png" in urls  # relative, made absolute
    assert "http://he.people.com.cn/NMediaFile/2024/0225/LOCAL202402251819306412.jpg" in urls
    assert len(urls) == len(set(urls))


def test_scripts_and_other_hosts_are_never_requisites(seed_page):
    assert not [r for r in seed_page if r.url.endswith(".js")]
    assert all(".people.com.cn/" in r.url or ".people.cn/" in r.url for r in seed_page)


@pytest.mark.parametrize("ref, expected", [
    ("/NMediaFile/a.jpg", "http://he.people.com.cn/NMediaFile/a.jpg"),
    ("http://www.people.com.cn/img/x.png#top", "http://www.people.com.cn/img/x.png"),
    ("https://img.example.com/a.jpg", None),
    ("data:image/png;base64,AAAA", None),
    ("javascript:alert(1)", None),
    ("", None),
    ("http://[bad", None),
])
def test_requisite_url(ref, expected):
    assert requisite_url(SEED, ref) == expected


def test_a_stylesheet_pulls_in_its_images_relative_to_itself(site):
    css_url = "http://www.people.com.cn/img/2020wbc/css/page202102.css"
    assert stylesheet_requisites(css_url, site.get(css_url).body) == [
        Requisite("http://www.people.com.cn/img/2020wbc/imgs/bg_title.png", IMAGE)]
    css = b'@import "print.css"; .a { background: url( \'/img/b.gif\' ) } .c{b:url(http://x.org/c.png)}'
    assert stylesheet_requisites(css_url, css) == [
        Requisite("http://www.people.com.cn/img/2020wbc/css/print.css", STYLESHEET),
        Requisite("http://www.people.com.cn/img/b.gif", IMAGE)]


def test_photos_come_first_and_page_images_are_capped_per_page(site, seed_page):
    spec = site.articles[SEED]
    photos = photo_urls(spec)
    wanted = article_requisites(photos, [seed_page], page_assets=True, per_page=3)
    assert [r.url for r in wanted[:len(photos)]] == photos
    assert all(r.kind == PHOTO for r in wanted[:len(photos)])
    assert len(wanted) == len(photos) + 3  # photos are not page images, not counted again
    assert article_requisites(photos, [seed_page], page_assets=False) == wanted[:len(photos)]


def test_a_multi_page_article_has_the_photos_of_every_page(site):
    spec = next(s for s in site.articles.values() if s.get("pages") and
                any(isinstance(p, dict) for page in s["pages"] for p in page))
    photos = photo_urls(spec)
    on_page_1 = [p for p in spec["body"] if isinstance(p, dict)]
    assert len(photos) > len(on_page_1)
    assert len(article_requisites(photos, [])) == len(photos)
