"""`xietong export`'s CSV files read as bytes, the way a spreadsheet program meets them: UTF-8
with a byte order mark first (without it Excel reads the Chinese text as GBK and shows mojibake),
once, then the header. A reader decoding with utf-8-sig would not notice the mark missing."""

from __future__ import annotations

import pytest
from conftest import run_xietong
from crawler_kit import crawl_seed

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def exported(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    crawl_seed(site, folder / "archive.db")
    proc = run_xietong("export", "--db", str(folder / "archive.db"), "--out",
                       str(folder / "out"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    return folder / "out"


@pytest.mark.parametrize("name, header", [("articles.csv", b"id,"),
                                          ("links.csv", b"from_article,")])
def test_each_csv_starts_with_the_utf8_byte_order_mark_then_the_header(exported, name, header):
    data = (exported / name).read_bytes()
    assert data[:3] == BOM
    assert data[3:3 + len(header)] == header
    assert data.count(BOM) == 1


def test_the_chinese_text_is_utf8_bytes(site, exported):
    title = site.articles[site.seed]["title"].encode("utf-8")
    assert title in (exported / "articles.csv").read_bytes()
