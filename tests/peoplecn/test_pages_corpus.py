"""Page readers on real pages from ../shared/corpus/raw, read as bytes (third-party pages: read
from there, never copied here; skipped when the folder is absent). Expected values were read off
each page by hand (corpus_expectations.py); long texts are compared by SHA-256.

The people.cn files were re-saved as UTF-8 although they declare GB2312 (corpus MANIFEST);
the Xinhua Hebei page is raw GB2312 bytes read by the generic reader. Reading them right is
part of the test.
"""

from __future__ import annotations

import pytest
from corpus_expectations import ARTICLES, NOT_ARTICLES, RAW, sha

from peoplecn.pages import NotAnArticle, parse_article

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="../shared/corpus/raw is absent")


def test_every_corpus_page_has_expectations():
    assert {p.name for p in RAW.iterdir()} == set(ARTICLES) | set(NOT_ARTICLES)


@pytest.fixture(scope="module", params=sorted(ARTICLES))
def case(request):
    want = ARTICLES[request.param]
    body = (RAW / request.param).read_bytes()
    return want, parse_article(want["url"], body)


def test_template_and_head(case):
    want, art = case
    assert art.template == want["template"]
    start, digest = want["title"]
    assert art.title.startswith(start) and sha(art.title) == digest
    assert art.channel == want["channel"]
    assert art.series == want["series"]
    assert art.confidence == (0.5 if want["template"] == "generic" else 1.0)


def test_date(case):
    want, art = case
    assert art.published_at == want["published_at"]
    assert art.date_method == want["date_method"]
    assert art.date_confidence == "high" and not art.date_conflict


def test_source(case):
    want, art = case
    assert (art.source, art.source_channel) == (want["source"], want["source_channel"])
    assert art.source_url == want["source_url"]


def test_people(case):
    want, art = case
    assert art.byline == want["byline"]
    assert art.authors == want["authors"]
    assert art.editors == want["editors"]


def test_body(case):
    want, art = case
    assert len(art.paragraphs) == want["paragraph_count"]
    for para, (start, digest) in ((art.paragraphs[0], want["first"]),
                                  (art.paragraphs[-1], want["last"])):
        assert para.startswith(start) and sha(para) == digest
    for junk in ("责编", "分享让更多人看到", "Web editor", "showPlayer", "<script", "关闭窗口"):
        assert junk not in art.body and junk not in art.body_html
    assert art.mojibake is want["mojibake"]
    assert art.language == want["language"]
    assert (art.charset, art.declared_charset) == want["charset"]


def test_images(case):
    want, art = case
    assert len(art.images) == len(want["images"])
    for img, (caption_start, credit) in zip(art.images, want["images"], strict=True):
        assert img.src.startswith("http") and "/NMediaFile/" in img.src
        assert (img.caption or "").startswith(caption_start or "") and img.credit == credit
        if caption_start is None:
            assert img.caption is None


def test_links(case):
    want, art = case
    assert [x.url for x in art.links if x.kind == "related"] == want["related"]
    assert [x.url for x in art.links if x.kind == "recommended"] == want["recommended"]
    assert len(art.page_urls) == want["page_urls"]


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_lists_homepages_and_feeds_are_not_articles(name):
    with pytest.raises(NotAnArticle) as err:
        parse_article(NOT_ARTICLES[name], (RAW / name).read_bytes())
    assert err.value.kind == "not_an_article"
