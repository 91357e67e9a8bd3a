"""Encoding from raw bytes: the same page as GBK, GB18030 and UTF-8 bytes gives the same record;
declarations in the header or the page are recorded; wrong declarations are read through;
garbled text is flagged, not passed off as text."""

from __future__ import annotations

import pytest

from peoplecn.pages import parse_article
from peoplecn.pages.encoding import decode_page, looks_garbled
from sample_site.site import build_site, pages_of
from sample_site.templates import RENDERERS

SITE = build_site()
BY_FILE = {s["_file"]: s for s in SITE.articles.values()}
# one page per template; every word of them is in GBK
FILES = ["he-seed.toml", "bj-2016-wholesale-market.toml", "he-2014-strategy.toml",
         "en-2024-ten-years.toml"]
ENCODINGS = [("GBK", "gbk"), ("GB18030", "gb18030"), ("GB2312", "gbk"), ("UTF-8", "utf-8")]


def html_of(name: str, declared: str) -> str:
    spec = BY_FILE[name]
    page = pages_of(spec, SITE.articles, SITE.redirects)[0]
    return RENDERERS[spec["template"]](page, declared)


def record(name: str, declared: str, codec: str, header: bool) -> dict:
    body = html_of(name, declared).encode(codec)
    content_type = f"text/html; charset={declared}" if header else None
    art = parse_article(BY_FILE[name]["url"], body, content_type).to_dict()
    return art


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("header", [True, False], ids=["header", "meta-only"])
def test_gbk_gb18030_utf8_give_identical_records(name, header):
    records = {label: record(name, label, codec, header) for label, codec in ENCODINGS}
    for label, rec in records.items():
        assert rec["declared_charset"] == label.lower()
        assert rec["charset"] == ("utf-8" if label == "UTF-8" else "gb18030")
        assert not rec["mojibake"]
    strip = lambda r: {k: v for k, v in r.items()  # noqa: E731
                       if k not in ("charset", "declared_charset")}
    first, *others = [strip(r) for r in records.values()]
    for other in others:
        assert other == first
    assert first["title"] == BY_FILE[name]["title"]


def test_header_wins_over_meta_and_bom_wins_over_both():
    html = html_of("he-seed.toml", "UTF-8")
    art = parse_article(BY_FILE["he-seed.toml"]["url"], html.encode("gbk"),
                        "text/html; charset=GBK")  # the page says UTF-8; the header is right
    assert (art.charset, art.declared_charset, art.mojibake) == ("gb18030", "gbk", False)
    bom = b"\xef\xbb\xbf" + html.encode("utf-8")
    art = parse_article(BY_FILE["he-seed.toml"]["url"], bom, "text/html; charset=GBK")
    assert art.charset == "utf-8" and art.title == BY_FILE["he-seed.toml"]["title"]


def test_wrong_declaration_is_read_through():
    # GBK bytes that claim UTF-8 everywhere: strict UTF-8 fails, GB18030 reads them cleanly
    html = html_of("he-seed.toml", "UTF-8")
    art = parse_article(BY_FILE["he-seed.toml"]["url"], html.encode("gbk"),
                        "text/html; charset=utf-8")
    assert (art.charset, art.declared_charset, art.mojibake) == ("gb18030", "utf-8", False)
    assert art.title == BY_FILE["he-seed.toml"]["title"]
    # UTF-8 bytes that claim GB2312 (a page re-saved without its declaration updated)
    html = html_of("he-seed.toml", "GB2312")
    art = parse_article(BY_FILE["he-seed.toml"]["url"], html.encode("utf-8"), None)
    assert (art.charset, art.declared_charset) == ("utf-8", "gb2312")


def test_undeclared_pages_are_detected():
    html = html_of("he-seed.toml", "UTF-8").replace("charset=UTF-8", "")
    for codec, used in (("utf-8", "utf-8"), ("gbk", "gb18030")):
        decoded = decode_page(html.encode(codec))
        assert decoded.declared is None and decoded.charset == used
        assert BY_FILE["he-seed.toml"]["title"] in decoded.text


def test_garbled_pages_are_flagged():
    url = BY_FILE["he-seed.toml"]["url"]
    html = html_of("he-seed.toml", "UTF-8")
    # bytes cut mid-character in the text: U+FFFD
    broken = html.encode("utf-8").replace("协同".encode(), "协同".encode()[:-1], 1)
    assert parse_article(url, broken).mojibake
    # UTF-8 once read as Latin-1 and saved again as UTF-8 ("å\x8d\x8f" for 协…)
    twice = html.encode("utf-8").decode("latin-1").encode("utf-8")
    decoded = decode_page(twice)
    assert "\ufffd" not in decoded.text and decoded.mojibake
    assert looks_garbled("锟斤拷锟斤拷") and not looks_garbled("京津冀协同发展")
