"""Page readers on real people.cn pages from ../shared/corpus/raw (third-party pages: read from
there, never copied here; skipped when the folder is absent). Expected values were read off
each page by hand; long texts are compared by SHA-256 so that no page text lives in this repo.

These files were re-saved as UTF-8 although they declare GB2312 (corpus MANIFEST): reading them
right is part of the test.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from spiders.pages import parse_article

RAW = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "raw"
pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="../shared/corpus/raw is absent")


def sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:16]


PAGES = {
    "people_politics_article_2024_0424_fundus.html": dict(
        url="http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
        template="people_2020",
        title_sha="9ff6e25cacf4e00d",
        title_start="促进航天技术更好惠及人民——",  # U+2015 in the file, normalised to U+2014
        published_at="2024-04-24T23:52:00+08:00",
        channel="时政",
        source="新华网",
        source_url="http://www.news.cn/20240424/b3e483975ed64224afba3567f940a0b0/c.html",
        editors=["牛镛", "岳弘彬"],
        paragraph_count=12,
        first=("新华社北京4月24日电", "3f9385c028163774"),
        last=("对于习近平主席贺信中", "daee3edb8626fb94"),
        images=0,
        related=[],
        recommended=[],
        page_urls=0,
        # The upstream fixture was decoded with the strict GB2312 codec: two U+FFFD remain in
        # the last paragraph. The reader must flag that, not hide it.
        mojibake=True,
    ),
    "people_culture_article_2019_0615_gne.html": dict(
        url="http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html",
        template="people_2016",
        title_sha="a887c18cde8aeaa1",
        title_start="女儿出嫁，郑板桥",
        published_at="2019-06-15T08:18:00+08:00",
        channel="文化",
        source="人民网-文化频道",
        source_url="http://culture.people.com.cn/",
        editors=["汤诗瑶", "丁涛"],
        paragraph_count=27,  # 28 <p> with text, less the "点击进入…>>" channel promo
        first=("父亲的教诲像一盏灯", "4a272b98986bad25"),
        last=("虽然，东方朔为人洒脱", "487db550ca0ff4e2"),
        images=2,
        related=[
            "http://sn.people.com.cn/n2/2019/0215/c378296-32641594.html",
            "http://gx.people.com.cn/n2/2018/1226/c229131-32456513.html",
            "http://jx.people.com.cn/n2/2018/0817/c355202-31945369.html",
            "http://sn.people.com.cn/n2/2018/0516/c378296-31586983.html",
        ],
        recommended=[
            "http://culture.people.com.cn/GB/22226/421076/index.html",
            "http://culture.people.com.cn/GB/22226/422341/index.html",
        ],
        page_urls=4,
        mojibake=False,
    ),
}


@pytest.fixture(scope="module", params=sorted(PAGES))
def case(request):
    want = PAGES[request.param]
    body = (RAW / request.param).read_bytes()
    return want, parse_article(want["url"], body)


def test_template_and_head(case):
    want, art = case
    assert art.template == want["template"]
    assert art.title.startswith(want["title_start"]) and sha(art.title) == want["title_sha"]
    assert art.channel == want["channel"]


def test_date_and_source(case):
    want, art = case
    assert art.published_at == want["published_at"]
    assert (art.source, art.source_url) == (want["source"], want["source_url"])


def test_editors(case):
    want, art = case
    assert art.editors == want["editors"]


def test_body(case):
    want, art = case
    assert len(art.paragraphs) == want["paragraph_count"]
    for para, (start, digest) in ((art.paragraphs[0], want["first"]),
                                  (art.paragraphs[-1], want["last"])):
        assert para.startswith(start) and sha(para) == digest
    assert "责编" not in art.body and "分享让更多人看到" not in art.body
    assert len(art.images) == want["images"]
    assert art.mojibake is want["mojibake"]


def test_links(case):
    want, art = case
    assert [x.url for x in art.links if x.kind == "related"] == want["related"]
    assert [x.url for x in art.links if x.kind == "recommended"] == want["recommended"]
    assert len(art.page_urls) == want["page_urls"]
