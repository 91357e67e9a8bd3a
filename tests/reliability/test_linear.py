"""The steps that were quadratic or silently lossy, on inputs large enough that the old code
would not finish within the suite's per-test timeout (300 s): the version diff over repeated
paragraphs, excerpts of a text full of matches; and text nested deeper than the parser reads,
which is now marked instead of lost."""

from __future__ import annotations

from archive.datasette.excerpts import excerpt
from archive.versions import change_summary
from peoplecn.pages import parse_article

SEED = "http://he.people.com.cn/n2/2024/0225/c192235-40745301.html"


def test_version_diff_of_many_repeated_paragraphs():
    old = "\n\n".join(["同一段落。"] * 60_000 + ["旧的结尾。"])
    new = "\n\n".join(["新的开头。"] + ["同一段落。"] * 59_999)
    summary = change_summary({"body": old}, {"body": new})
    assert summary["paragraphs_added"] == ["新的开头。"]
    assert summary["paragraphs_removed"] == ["同一段落。", "旧的结尾。"]


def test_excerpt_of_a_text_full_of_matches():
    text = "京津冀协同发展推进雄安新区建设。" * 500_000  # 8 million characters
    cut = str(excerpt(text, "雄安 京津冀"))
    assert "<mark>雄安</mark>" in cut and "<mark>京津冀</mark>" in cut and cut.endswith("…")


def test_text_nested_deeper_than_the_parser_reads_is_marked(site):
    page = site.get(SEED).body.decode("utf-8")
    end = page.rindex("</body>")
    deep = page[:end] + "<div>" * 3000 + "<p>深处的段落</p>" + "</div>" * 3000 + page[end:]
    article = parse_article(SEED, deep.encode("utf-8"), "text/html; charset=utf-8")
    assert article.truncated and article.truncated["nesting"] >= 2040
    shallow = parse_article(SEED, page.encode("utf-8"), "text/html; charset=utf-8")
    assert shallow.truncated is None
