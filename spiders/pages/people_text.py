"""Text rules of people.cn pages that hold for every template: date lines, bylines, editor
lines, the <title> suffix, series in pre-titles. Pure string functions; no selectors here.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\r\n\xa0]+")
_DATE_TIME = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_TITLE_SUFFIX = re.compile(r"--[^-]+--人民网\s*$")
_EDITORS = re.compile(r"责编\s*[：:]\s*([^)）]+)")
_PRINT_EDITION = re.compile(
    r"^《\s*[^》]+》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d+\s*版\s*[）)]$"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
BEIJING = "+08:00"

# Byline role words (reference §5): removed from names, in longest-first order so that
# 人民网记者 is not read as 人民网 + 记者.
ROLES = sorted(
    ["本报记者", "人民网记者", "新华社记者", "中新社记者", "人民日报记者", "记者", "实习生",
     "本报通讯员", "通讯员", "摄影", "文/图", "文／图"],
    key=len, reverse=True,
)


def clean(s: str | None) -> str:
    """Collapse markup whitespace; trim the U+3000 paragraph indent."""
    if not s:
        return ""
    return _SPACES.sub(" ", s).strip(" \u3000")


def visible_text(sel) -> str:
    return "".join(sel.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall())


def title_from_head(head_title: str) -> str:
    return clean(_TITLE_SUFFIX.sub("", head_title or ""))


def channel_from_head(head_title: str) -> str | None:
    parts = (head_title or "").strip().split("--")
    return clean(parts[-2]) if len(parts) >= 3 else None


def datetime_from_line(line: str) -> str | None:
    """'2024年02月25日18:19' → '2024-02-25T18:19:00+08:00' (the site prints Beijing time)."""
    m = _DATE_TIME.search(line or "")
    if not m:
        return None
    y, mo, d, h, mi = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:00{BEIJING}"


def date_only(value: str | None) -> str | None:
    m = _ISO_DATE.match(value or "")
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"


def source_from_line(line: str) -> str:
    if "来源" not in (line or ""):
        return ""
    return clean(re.split(r"来源\s*[：:]", line, maxsplit=1)[-1])


def editors_from_line(line: str) -> list[str]:
    m = _EDITORS.search(line or "")
    if not m:
        return []
    return [n for n in (clean(x) for x in re.split(r"[、,，/／\s]+", m.group(1))) if n]


def is_print_edition(line: str) -> bool:
    return bool(_PRINT_EDITION.match(line))


def authors_from_byline(byline: str | None) -> list[str]:
    """'人民网记者  张  雷  李晓明' → ['张雷', '李晓明'].

    Names are separated by two spaces and two-character names are padded to three cells
    ('张  雷'), so lone characters are merged pairwise. Role words are dropped.
    """
    if not byline:
        return []
    tokens = []
    for token in _SPACES.sub(" ", byline.replace("\u3000", " ")).split(" "):
        for role in ROLES:
            if token.startswith(role) and token != role:
                token = token[len(role):]
                break
        if token and token not in ROLES:
            tokens.append(token)
    names, pending = [], ""
    for token in tokens:
        if len(token) == 1:
            if pending:
                names.append(pending + token)
                pending = ""
            else:
                pending = token
            continue
        if pending:
            names.append(pending)
            pending = ""
        names.append(token)
    if pending:
        names.append(pending)
    return names


def series_from_pre_title(pre_title: str | None) -> str | None:
    """「京津冀协同发展十年」系列报道 → 京津冀协同发展十年; a plain pre-title is kept whole."""
    if not pre_title:
        return None
    m = re.search(r"[「『“\"]([^」』”\"]+)[」』”\"]", pre_title)
    name = m.group(1) if m else pre_title
    return clean(re.sub(r"(系列报道|系列|专题报道)$", "", name)) or None


def language_of(s: str) -> str:
    han, latin = len(_HAN.findall(s)), len(_LATIN.findall(s))
    return "zh" if han >= latin / 4 else "en"
