"""Every reader, fed random and mutated pages (byte flips, truncation, tag deletion, encoding
swaps, junk), returns an Article or raises a typed PageError — never any other exception.

Every reader of READERS is fed every page, the template-blind one (cues) included. Seeds: a
sample-site page of each template and of each layout no template claims, a page of another
outlet, and the real corpus pages when ../shared/corpus is present. Runs derandomised under CI
so a failure reproduces.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peoplecn.pages import READERS, Article, PageError, parse_article, parse_with
from peoplecn.pages.cues import CuesReader
from peoplecn.pages.sanitize import TAGS
from sample_site.site import build_site

SAFE_TAGS = TAGS | {"div"}  # div: the parent made for parsing the fragment
SITE = build_site()
RAW = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "raw"


def _seeds() -> list[tuple[str, bytes]]:
    seeds = []
    for template in sorted({s["template"] for s in SITE.articles.values()}):
        spec = next(s for s in sorted(SITE.articles.values(), key=lambda s: s["url"])
                    if s["template"] == template)
        seeds.append((spec["url"], SITE.get(spec["url"]).body))
    other = ("<html><head><title>其他网站的一篇文章</title></head><body><h1>其他网站的一篇文章</h1>"
             "<p>2024-02-26 08:30 来源：某报</p>"
             + "<p>这是一段足够长的正文，用来让通用读取器工作。</p>" * 6
             + "<p>责任编辑：某某</p></body></html>")
    seeds.append(("http://www.example.com/2024-02/26/content_1.htm", other.encode("gbk")))
    if RAW.is_dir():
        seeds += [("http://www.people.com.cn/n1/2024/0101/c1-1.html", p.read_bytes())
                  for p in sorted(RAW.iterdir())]
    return seeds


SEEDS = _seeds()
CONTENT_TYPES = [None, "text/html", "text/html; charset=GBK", "text/html; charset=utf-8",
                 "text/html; charset=utf-16", "text/html; charset=no-such-codec",
                 "text/html; charset=gb2312", "application/xml"]
CODECS = ["utf-8", "gbk", "gb18030", "big5", "utf-16", "latin-1", "shift_jis"]
TAG = re.compile(rb"<[^<>]{0,200}>")
SETTINGS = settings(max_examples=int(os.environ.get("XIETONG_FUZZ_EXAMPLES", "40")),
                    deadline=None, derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated_pages(draw):
    url, body = draw(st.sampled_from(SEEDS))
    data = bytearray(body)
    for op in draw(st.lists(st.sampled_from(
            ["flip", "truncate", "delete_tag", "swap_encoding", "junk", "duplicate"]),
            min_size=1, max_size=4)):
        if not data:
            break
        if op == "flip":
            for _ in range(draw(st.integers(1, 20))):
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[draw(st.integers(0, len(data) - 1)):]
        elif op == "delete_tag":
            tags = list(TAG.finditer(data))
            for m in sorted(draw(st.lists(st.sampled_from(tags), max_size=15, unique_by=id))
                            if tags else [], key=lambda m: -m.start()):
                del data[m.start():m.end()]
        elif op == "swap_encoding":
            text = bytes(data).decode(draw(st.sampled_from(["utf-8", "gb18030"])), "replace")
            data = bytearray(text.encode(draw(st.sampled_from(CODECS)), "replace"))
        elif op == "junk":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.binary(max_size=200))
        elif op == "duplicate":
            at = draw(st.integers(0, len(data) - 1))
            data[at:at] = data[at: at + draw(st.integers(1, 2000))]
    return url, bytes(data), draw(st.sampled_from(CONTENT_TYPES))


def test_the_template_blind_reader_is_fuzzed():
    assert CuesReader in READERS


def _every_reader_answers_properly(url: str, body: bytes, content_type: str | None) -> None:
    for reader in (None, *READERS):
        try:
            result = (parse_article(url, body, content_type) if reader is None
                      else parse_with(reader, url, body, content_type))
        except PageError as e:
            assert e.kind and str(e)
        else:
            assert isinstance(result, Article)
            assert result.title and result.paragraphs
            _assert_safe(result.body_html)


def _assert_safe(html: str) -> None:
    """Only allowed elements; no event handlers; URLs only http(s). (Text may say anything.)"""
    if not html:
        return
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        assert el.tag in SAFE_TAGS, el.tag
        for name, value in el.attrib.items():
            assert name in ("href", "src", "alt"), name
            if name != "alt":
                assert value.startswith(("http://", "https://")), value


@SETTINGS
@given(mutated_pages())
def test_mutated_pages(page):
    _every_reader_answers_properly(*page)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(CONTENT_TYPES),
       st.sampled_from(["http://he.people.com.cn/n2/2024/0225/c192235-40745301.html",
                        "http://example.com/", "not a url", ""]))
def test_random_bytes(body, content_type, url):
    _every_reader_answers_properly(url, body, content_type)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' pdivclasimgrc_txtonwzh1-"))
               | st.characters(exclude_categories=("Cs",)), max_size=2000))
def test_random_markup(text):
    _every_reader_answers_properly(
        "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html", text.encode(), None)
