"""Text rules of people.cn pages that hold for every template: date lines, bylines and their
roles, editor lines, the 来源 outlet, the print-edition note, series names, photo credits.
Pure string functions; no selectors here, and nothing that can raise on odd input.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from parsel import SelectorList

_SPACES = re.compile(r"[ \t\r\n\xa0\u3000]+")
_TITLE_SUFFIX = re.compile(r"--[^-]+--人民网\s*$")
_EDITORS = re.compile(r"(?:责任编辑|责编|编辑)\s*[：:]\s*([^)）\]】\n]+)")
# the next label on an editor line ends its names: （编辑：张三 审核：李四）
_NEXT_LABEL = re.compile(r"\s*[\u4e00-\u9fff]{2,4}\s*[：:]")
_WEB_EDITORS = re.compile(r"(?:Web\s+)?[Ee]ditors?\s*:\s*([^)]+)")
_PRINT_EDITION = re.compile(
    r"《\s*([^》]+?)\s*》\s*[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
    r"第?\s*([A-Za-z]?\d{1,3})\s*版\s*[）)]"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
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


def clean(s: str | None) -> str:
    """Collapse markup whitespace; trim the U+3000 paragraph indent."""
    if not s:
        return ""
    return re.sub(r"[ \t\r\n\xa0]+", " ", s).strip(" \u3000")


# Plain strings straight from lxml: a Selector per text node cost ~1 kB each (issue 14: a
# paragraph of 200k links took 180 MB to read).
_VISIBLE = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]",
                       smart_strings=False)


def visible_text(sel) -> str:
    """The text of a Selector (or a list of them) outside script and style, in order."""
    roots = [s.root for s in sel] if isinstance(sel, SelectorList) else [sel.root]
    return "".join(t for root in roots for t in _VISIBLE(root))


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
    import datetime

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
    line = clean(line)
    if not line or len(line) > 40 or not re.search(r"记者|通讯员", line):
        return False
    tokens = _SPACES.sub(" ", _NAME_SEP.sub(" ", line)).split(" ")
    return bool(_ROLE.match(tokens[0])) and all(len(t) <= 10 for t in tokens)


def byline_only(line: str | None) -> str | None:
    """A paragraph that is nothing but a byline, as print pieces close ('（本报记者 王芳 李强）')
    or open ('本报记者  王  昊'): the byline without its brackets; None for text."""
    inner = (line or "").strip(" \u3000\t\r\n\xa0")
    if inner[:1] in "（(" and inner[-1:] in "）)":
        inner = inner[1:-1].strip(" \u3000\t\r\n\xa0")
    return inner if inner and is_byline_line(inner) else None


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


# -- photos -------------------------------------------------------------------------------------
def credit_from_caption(caption: str | None) -> str | None:
    """'…外景。人民网记者 孟兆安摄' → '人民网记者 孟兆安'; '(Photo/Xinhua)' → 'Photo/Xinhua'."""
    caption = clean(caption)
    if not caption:
        return None
    m = _CREDIT_ZH.search(caption)
    if m and caption.rstrip("）) ").endswith(("摄", "摄影")):
        return clean(m.group(1)) or None
    m = _CREDIT_EN.search(caption)
    return clean(m.group(1)) or None if m else None


def language_of(s: str) -> str:
    han, latin = len(_HAN.findall(s)), len(_LATIN.findall(s))
    return "zh" if han >= latin / 4 else "en"
