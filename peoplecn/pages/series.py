"""Series (系列) and columns (栏目) as people.cn pages name them: a pre-title with a series mark,
a full-width headline suffix with an ordinal, a topic link in the body (reference §7). One
spelling per series. Pure string functions, nothing here can raise on odd input.
"""

from __future__ import annotations

import re
import unicodedata

from peoplecn.pages.strings import clean

_SERIES_QUOTES = "「」『』《》“”‘’\"'〈〉【】[]"
_SERIES_SUFFIX = re.compile(r"(?:系列报道|系列评论|系列访谈|专题报道|特别报道|系列|专题)$")
_ORDINAL = re.compile(
    r"(?:之\s*([一二三四五六七八九十百\d]+)|[（(]\s*(\d{1,3})\s*[）)]|第\s*([一二三四五六七八九十百\d]+)\s*[篇期集章])\s*$"
)
_TITLE_SERIES = re.compile(r"（([^（）]+?)\s*(?:[（(]\s*(\d{1,3})\s*[）)])?\s*）\s*$")
_NOT_SERIES = re.compile(r"^(?:附|图|组图|高清组图|视频|附视频|双语|全文|实录|上|中|下|\d+)")
_SERIES_DOT = re.compile(r"\s*[·•・‧]\s*")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def _number(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c not in "十百" for c in s):
        return None
    total, current = 0, 0
    for c in s:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[c]
    return total + current or None


def normalise_series(name: str | None) -> tuple[str | None, int | None]:
    """One spelling per series, and the ordinal if the name carries one.

    「京津冀协同发展十年」系列报道之三 → (京津冀协同发展十年, 3); full-width letters and digits
    become half-width (NFKC); quotes, 系列报道/系列 suffixes and spaces between Chinese go.
    """
    if not name:
        return None, None
    s = unicodedata.normalize("NFKC", name).strip()
    order = None
    m = _ORDINAL.search(s)
    if m:
        order = _number(next(g for g in m.groups() if g))
        s = s[: m.start()]
    m = re.search(r"[「『《“\"]([^」』》”\"]+)[」』》”\"]", s)
    if m:
        s = m.group(1)
    s = s.strip(_SERIES_QUOTES + " ")
    for _ in range(2):
        s = _SERIES_SUFFIX.sub("", s).strip(_SERIES_QUOTES + " ")
    # spaces only survive between two Latin words
    s = re.sub(r"(?<=[^A-Za-z0-9])\s+|\s+(?=[^A-Za-z0-9])", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    return (s or None), order


def names_series(name: str | None) -> bool:
    """Does a line name a series, not just introduce a headline? Only with a series mark:
    系列 (「…」系列报道), a name in corner brackets 「…」, or an ordinal (之三, （5）, 第3篇).
    A kicker (引题) such as 京津冀协同发展三周年 is only a pre-title."""
    s = unicodedata.normalize("NFKC", clean(name))
    if not s:
        return False
    return ("系列" in s or bool(_ORDINAL.search(s))
            or bool(re.fullmatch(r"[「『][^」』]+[」』].{0,6}", s)))


def _title_marker(title: str | None) -> tuple[str, str | None] | None:
    """The full-width bracketed suffix of a headline and its ordinal, if it is a marker."""
    m = _TITLE_SERIES.search(title or "")
    if not m:
        return None
    inner = clean(m.group(1))
    if not inner or _NOT_SERIES.match(inner) or len(inner) > 30:
        return None
    return inner, m.group(2)


def series_from_title(title: str | None) -> tuple[str | None, int | None]:
    """A headline suffix names a series only with an ordinal or a 系列 mark:
    '（锐财经·一手抓防疫  一手促发展(29)）' → (一手抓防疫一手促发展, 29), the part after the
    last '·' (before it: the paper's column). Without one it is a column marker
    (（推动高质量发展·权威发布）, （人民眼）: column_from_title). '（图）', '（上）' are neither."""
    marker = _title_marker(title)
    if not marker:
        return None, None
    inner, ordinal = marker
    name = _SERIES_DOT.split(inner)[-1]
    if not ordinal and not names_series(name):
        return None, None
    series, order = normalise_series(name)
    if ordinal:
        order = int(ordinal)
    return series, order


def column_from_title(title: str | None) -> str | None:
    """The column (栏目) a headline suffix names: （推动高质量发展·权威发布） → the whole marker;
    for a series suffix, the part before the series (（锐财经·…（5）） → 锐财经)."""
    marker = _title_marker(title)
    if not marker:
        return None
    inner, _ = marker
    if series_from_title(title)[0]:
        parts = _SERIES_DOT.split(inner)
        return "·".join(parts[:-1]) or None
    return "·".join(_SERIES_DOT.split(inner))


def series_of(pre_title: str | None, title: str | None,
              topic: str | None = None) -> tuple[str | None, int | None]:
    """A pre-title that names a series, then the headline suffix, then a topic link the body
    opens with (reference §7). A pre-title without a series mark is only a pre-title (the
    archive still joins it to a series its `series` table already knows: archive/writer.py).
    """
    for name, order in (series_from_pre_title_with_order(pre_title), series_from_title(title),
                        normalise_series(topic)):
        if name:
            return name, order
    return None, None


def series_from_pre_title_with_order(pre_title: str | None) -> tuple[str | None, int | None]:
    return normalise_series(pre_title) if names_series(pre_title) else (None, None)


def series_from_pre_title(pre_title: str | None) -> str | None:
    return series_from_pre_title_with_order(pre_title)[0]
