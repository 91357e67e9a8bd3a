"""Text rules of people.cn pages that hold for every template: date lines, bylines and roles,
editor lines, the 来源 outlet, the print-edition note, photo credits (series: series.py, re-
exported here). Pure string functions; no selectors, nothing that can raise on odd input."""

from __future__ import annotations

import datetime
import re

from peoplecn.pages.series import (  # noqa: F401 (re-exported: one import for every text rule)
    column_from_title,
    names_series,
    normalise_series,
    series_from_pre_title,
    series_from_pre_title_with_order,
    series_from_title,
    series_of,
)
from peoplecn.pages.strings import HAN as _HAN
from peoplecn.pages.strings import SPACES as _SPACES
from peoplecn.pages.strings import clean

_TITLE_SUFFIX = re.compile(r"--[^-]+--人民网\s*$")
_EDITORS = re.compile(r"(?:责任编辑|责编|编辑)\s*[：:]\s*([^)）\]】\n]+)")
# the next label on an editor line ends its names: （编辑：张三 审核：李四）
_NEXT_LABEL = re.compile(r"\s*[\u4e00-\u9fff]{2,4}\s*[：:]")
_WEB_EDITORS = re.compile(r"(?:Web\s+)?[Ee]ditors?\s*:\s*([^)]+)")
_PRINT_EDITION = re.compile(
    r"《\s*([^》]+?)\s*》\s*[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
    r"第?\s*([A-Za-z]?\d{1,3})\s*版\s*[）)]"
)
BEIJING = "+08:00"

# Byline roles (reference §5): a role word is removed from the names and kept as their role.
# "…记者", "…通讯员" etc. with an outlet prefix of up to six characters (本报记者, 人民网记者,
# 新华社记者, 人民日报记者, 本报特约记者 …).
_ROLE = re.compile(
    r"^((?:[\u4e00-\u9fff]{0,6}?)(?:特约|见习|实习)?(?:记者|通讯员)|实习生|本报实习生|摄影|摄像"
    r"|文/图|文／图|图/文|图／文|文图|撰文|编译)"
)
_NAME_SEP = re.compile(r"[、，,;；/／]+")
_TAIL_BYLINE = re.compile(r"[（(]((?:新华社|本报)?记者[^（）()]{2,40})[）)]\s*$")
_DATELINE = re.compile(r"^.{0,40}?电\s*[（(]([^（）()]{2,40})[）)]")
_CREDIT_ZH = re.compile(r"[（(]?\s*([^。！？!?；;，,（）()]{2,40}?)\s*摄(?:影)?\s*[）)]?\s*$")
_CREDIT_EN = re.compile(r"\(([^()]*(?:[Pp]hoto|Online|Xinhua|/|courtesy)[^()]*)\)\s*$")
# Print pieces set a box mark before a byline (□ 本报记者 王芳; also ■ ◎ ● ◆): a mark, not a name
BOX_MARKS = "□■◎●◆◇○"
# 原标题：… (also 原题：, bracketed): the headline the piece first ran under
_ORIGINAL_TITLE = re.compile(r"^[（(【\[]?\s*原(?:标)?题\s*[：:]\s*(.{2,200}?)\s*[）)】\]]?$")


def title_from_head(head_title: str) -> str:
    return clean(_TITLE_SUFFIX.sub("", head_title or ""))


def channel_from_head(head_title: str) -> str | None:
    parts = (head_title or "").strip().split("--")
    return clean(parts[-2]) or None if len(parts) >= 3 else None


# -- dates ------------------------------------------------------------------------------------
# (the choice between candidates is in dates.py; these only read one string)
_DATE_TIME = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(\d{1,2})\s*[:：]\s*(\d{2})"
)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def _valid(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> bool:
    try:
        datetime.datetime(y, mo, d, h, mi, s)
    except ValueError:
        return False
    return 1990 <= y <= 2100


def iso(y: int, mo: int, d: int, h: int | None = None, mi: int = 0, s: int = 0) -> str | None:
    """ISO 8601 in Beijing time ('…T18:19:00+08:00'), or a bare date when there is no time."""
    if not _valid(y, mo, d, h or 0, mi, s):
        return None
    if h is None:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{BEIJING}"


def datetime_from_line(line: str | None) -> str | None:
    """'2024年02月25日18:19' → '2024-02-25T18:19:00+08:00' (the site prints Beijing time)."""
    for m in _DATE_TIME.finditer(line or ""):
        value = iso(*(int(g) for g in m.groups()))
        if value:
            return value
    return None


def date_only(value: str | None) -> str | None:
    m = _ISO_DATE.match(value or "")
    return iso(*(int(g) for g in m.groups())) if m else None


# -- source -----------------------------------------------------------------------------------
_OUTLET_SEP = re.compile(r"\s*[-－—–]+\s*")
PEOPLE_SITES = ("人民网",)


def source_from_line(line: str) -> str:
    if "来源" not in (line or ""):
        return ""
    rest = re.split(r"来源\s*[：:]", line, maxsplit=1)[-1].lstrip(" \t\r\n\xa0\u3000")
    # the outlet ends at a wide gap or at the next label (作者：, 编辑： …)
    return clean(re.split(r"\s{2,}|[\xa0\u3000|｜]|作者|责任编辑|编辑|记者\s*[：:]", rest,
                          maxsplit=1)[0])


def normalise_source(raw: str | None) -> tuple[str | None, str | None]:
    """The 来源 text → (outlet, people.cn channel).

    人民网－人民日报 → (人民日报, None): the piece is 人民日报's, republished by 人民网.
    人民网-河北频道 → (人民网, 河北频道): 人民网's own, from its Hebei channel.
    """
    raw = clean(raw)
    if not raw:
        return None, None
    # A paper's name is often printed as a title: 人民网-《人民日报》 is 人民日报's piece.
    parts = [p.strip("《》〈〉 ") for p in _OUTLET_SEP.split(raw)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or parts[0] not in PEOPLE_SITES:
        return (parts[0] if len(parts) == 1 else raw), None
    site, rest = parts[0], "-".join(parts[1:])
    if rest.endswith(("频道", "站", "专题", "网评")) or rest in ("人民网", "要闻"):
        return site, rest
    return rest, None


# -- people -----------------------------------------------------------------------------------
def _merge_padded(tokens: list[str]) -> list[str]:
    """Two-character names are padded to three cells ('张  雷'): lone characters pair up."""
    names, pending = [], ""
    for token in tokens:
        if len(token) == 1 and _HAN.match(token):
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


def contributors_from_byline(byline: str | None) -> list[dict]:
    """'人民网记者  张  雷  李晓明' → [{name: 张雷, role: 人民网记者}, {name: 李晓明, …}].

    Names are separated by two spaces (or 、) and two-character names are padded; a role word
    (本报记者, 记者, 新华社记者, 通讯员, 实习生 …) applies to the names after it.
    """
    if not byline:
        return []
    out: list[dict] = []
    role: str | None = None
    run: list[str] = []

    def flush():
        out.extend({"name": n, "role": role} for n in _merge_padded(run))
        run.clear()

    text = _NAME_SEP.sub(" ", byline)
    for token in _SPACES.sub(" ", text).strip().split(" "):
        token = token.strip("（）()[]【】:：")
        m = _ROLE.match(token)
        if m and m.group(1) != token and _looks_like_name(token[len(m.group(1)):]):
            flush()
            role, token = m.group(1), token[len(m.group(1)):]
        elif m and m.group(1) == token:
            flush()
            role, token = token, ""
        token = re.sub(r"(?:摄影报道|报道|摄)$", "", token) if len(token) > 2 else token
        if token:
            run.append(token)
    flush()
    return out


def _looks_like_name(s: str) -> bool:
    return 1 <= len(s) <= 6 and bool(_HAN.match(s))


def authors_from_byline(byline: str | None) -> list[str]:
    return [c["name"] for c in contributors_from_byline(byline)]


def byline_from_dateline(first_paragraph: str | None) -> str | None:
    """'人民网石家庄2月24日电（记者贺航）…' → '记者贺航' (the byline wire copy prints there)."""
    m = _DATELINE.match(first_paragraph or "")
    if not m:
        return None
    inner = clean(m.group(1))
    return inner if re.search(r"记者|通讯员|实习生", inner) else None


def byline_from_tail(last_paragraph: str | None) -> str | None:
    """'…合作与交流。（记者宋晨、田中全）' → '记者宋晨、田中全' (Xinhua closes with its byline)."""
    m = _TAIL_BYLINE.search(last_paragraph or "")
    return clean(m.group(1)) if m and "\ufffd" not in m.group(1) else None


def contributors_en(byline: str | None) -> list[dict]:
    """English bylines name people as written ('Li Ming and Wang Fang'): no padding rules."""
    names = [n for n in re.split(r"\s*(?:,|\band\b|&)\s*", clean(byline)) if n]
    return [{"name": n, "role": None} for n in names]


def is_byline_line(line: str) -> bool:
    """A body paragraph that is only a byline: '新华社记者', '本报记者  王  昊  宋  阳'."""
    line = clean(line).lstrip(BOX_MARKS + " \u3000")
    if not line or len(line) > 40 or not re.search(r"记者|通讯员", line):
        return False
    tokens = _SPACES.sub(" ", _NAME_SEP.sub(" ", line)).split(" ")
    return bool(_ROLE.match(tokens[0])) and all(len(t) <= 10 for t in tokens)


def byline_only(line: str | None) -> str | None:
    """A paragraph that is nothing but a byline, as print pieces close ('（本报记者 王芳 李强）',
    '□ 本报记者 王芳') or open ('本报记者  王  昊'): the byline without its brackets and box
    mark; None for text."""
    inner = (line or "").strip(" \u3000\t\r\n\xa0")
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1].strip(" \u3000\t\r\n\xa0")
    inner = inner.lstrip(BOX_MARKS + " \u3000\xa0")
    return inner if inner and is_byline_line(inner) else None


def original_title(line: str | None) -> str | None:
    """'原标题：京津冀……' → '京津冀……' (the 原标题 line is a field, never body text)."""
    if not line or "原" not in line[:12]:
        return None  # (every paragraph is asked: the cheap test first)
    m = _ORIGINAL_TITLE.match(clean(line))
    return m.group(1).strip() if m else None


def editors_from_line(line: str | None) -> list[str]:
    """'(责编：牛镛、岳弘彬)' → ['牛镛', '岳弘彬']; '(Web editor: A, B)' → ['A', 'B']."""
    line = line or ""
    m = _EDITORS.search(line)
    if m:
        names = []
        for part in _NAME_SEP.split(_NEXT_LABEL.split(m.group(1), maxsplit=1)[0]):
            tokens = [t for t in _SPACES.split(part) if t]
            names.extend(_merge_padded(tokens))
        return [n for n in names if n]
    m = _WEB_EDITORS.search(line)
    if m:
        parts = re.split(r"\s*(?:,|，|;|\band\b|&)\s*", m.group(1))
        return [p for p in (clean(x) for x in parts) if p]
    return []


# -- print edition ------------------------------------------------------------------------------
def print_edition(line: str | None) -> tuple[str, str, str] | None:
    """'《 人民日报 》（ 2024年02月26日 01 版）' → ('人民日报', '2024-02-26', '01')."""
    m = _PRINT_EDITION.search(line or "")
    if not m:
        return None
    day = iso(int(m.group(2)), int(m.group(3)), int(m.group(4)))
    if not day:
        return None
    return clean(m.group(1)), day, m.group(5).strip()


def is_print_edition(line: str) -> bool:
    m = _PRINT_EDITION.search(line or "")
    return bool(m) and not clean(_PRINT_EDITION.sub("", line))


# -- series -------------------------------------------------------------------------------------
# -- photos -------------------------------------------------------------------------------------
def credit_from_caption(caption: str | None) -> str | None:
    """'…外景。人民网记者 孟兆安摄' → '人民网记者 孟兆安'; '(Photo/Xinhua)' → 'Photo/Xinhua'."""
    caption = clean(caption)
    if not caption:
        return None
    # the cheap test first: the searches try every start of a caption that has no credit
    if caption.rstrip("）) ").endswith(("摄", "摄影")):
        m = _CREDIT_ZH.search(caption)
        if m:
            return clean(m.group(1)) or None
    m = _CREDIT_EN.search(caption) if caption.endswith(")") else None
    return clean(m.group(1)) or None if m else None
