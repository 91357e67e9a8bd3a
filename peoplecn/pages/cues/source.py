"""Source, editors and byline, template-blind: 来源：/Source: on the date line or near the
headline (the link after the label is the original), a closing source line, the editor line
(责编：, （责任编辑：…）, (Web editor: …)) wherever it stands, and the reporters named between
the headline and the text, on the date line, in the text's first or last paragraph, or under it.
"""

from __future__ import annotations

import re

from peoplecn.pages import dates
from peoplecn.pages import people_text as text
from peoplecn.pages.cues.base import SENTENCE, SOURCE_LABEL, CuesBase
from peoplecn.pages.cues.headline import EN_BY
from peoplecn.pages.lines import Line

_SOURCE_END = re.compile(r"\s{2,}|[\xa0\u3000|｜()（）]|作者|责任编辑|责编|编辑|记者\s*[：:]")
BYLINE_LABEL = re.compile(r"^(?:作者|文|记者|撰文|文图|图文)\s*[：:／/]\s*(.{1,40})$")
_AUTHOR = re.compile(r"(?:作者|记者)\s*[：:]\s*([^\s|｜]{1,12})")  # on the date line
_BYLINE_CUE = re.compile(r"记者|通讯员|实习生|采访组|报道组|调研组|评论员|特约|撰稿")
_EDITOR_CUE = re.compile(r"编辑\s*[：:]|责编|[Ee]ditors?\s*:")


def _byline_on(line: Line) -> str | None:
    """The byline a short header line prints: 人民网记者  张  雷, 作者：…, By …"""
    if line.size > 50 or line.link_share > 0.5 or SENTENCE.search(line.text.rstrip("。")):
        return None
    m = BYLINE_LABEL.match(line.text)
    if m:
        return m.group(1).strip()
    raw = line.raw.strip(" \u3000\t\r\n\xa0")
    found = text.byline_only(raw)
    if found:
        return found
    if _BYLINE_CUE.search(line.text) and not dates.printed_date(line.text) \
            and not SOURCE_LABEL.search(line.text):
        return raw
    m = EN_BY.match(line.text)
    return m.group(1).strip() if m else None


class SourceCues(CuesBase):
    # -- source ---------------------------------------------------------------------------
    def _source(self) -> tuple[str | None, str | None, Line | None]:
        return self._once("source", self._find_source)

    def _find_source(self):
        date_line = self._date_line()
        for line in ([date_line] if date_line else []) + self._near():
            found = self._source_on(line, line is date_line)
            if found:
                return (*found, line)
        # English pages close with "Source: Xinhua"; some Chinese ones with （来源：…）
        body = self.body()
        if body.closing_source:
            return body.closing_source
        for line in self.lines[body.end: body.end + 6]:
            found = self._source_on(line, False)
            if found and line.size <= 60:
                return (*found, line)
        meta = self._meta("@name='source'")
        name = text.clean(re.split(r"[：:]", meta[0], maxsplit=1)[-1]) if meta else ""
        return (name or None), None, None

    def _source_on(self, line: Line, is_date_line: bool) -> tuple[str, str | None] | None:
        m = SOURCE_LABEL.search(line.raw)
        if m:
            for a in line.anchors:
                if a.offset >= m.end() - 1 and a.text:
                    return a.text, self._absolute(a.href)
            rest = line.raw[m.end():].lstrip(" \t\r\n\xa0\u3000")
            name = text.clean(_SOURCE_END.split(rest, maxsplit=1)[0]).rstrip("。.")
            return (name, None) if name else None
        if is_date_line:
            # en.people.cn: "(<a>People's Daily Online</a>) 11:35, November 23, 2022"
            for a in line.anchors:
                if a.text and line.raw[:a.offset].rstrip().endswith(("(", "（")):
                    return a.text, self._absolute(a.href)
        return None

    # -- editors --------------------------------------------------------------------------
    @staticmethod
    def _editor_names(line: Line) -> list[str]:
        if line.size > 80 or line.link_share > 0.5 or not _EDITOR_CUE.search(line.text):
            return []
        names = (re.split(r"\s*(?:来源|作者|记者)\s*[：:]", n)[0]
                 for n in text.editors_from_line(line.raw))
        return [n for n in names if n]

    def _editor_line(self) -> Line | None:
        return self._once("editor_line", self._find_editor_line)

    def _find_editor_line(self) -> Line | None:
        h = max(self._h(), 0)
        found = [ln for ln in self.lines if self._editor_names(ln)]
        return next((ln for ln in found if ln.index > h), found[0] if found else None)

    def editors(self) -> list[str]:
        line = self._editor_line()
        return self._editor_names(line) if line else []

    # -- byline ---------------------------------------------------------------------------
    def byline(self) -> str | None:
        return self._once("byline", self._find_byline)

    def _find_byline(self) -> str | None:
        found = self._header_byline()
        if found:
            return found[0]
        date_line = self._date_line()
        m = date_line and (EN_BY.search(date_line.text) or _AUTHOR.search(date_line.text))
        if m:
            return m.group(1).strip()
        body = self.body()
        if body.byline:
            return body.byline
        for line in self.lines[body.end: body.end + 6]:  # 作者：… under the text
            m = BYLINE_LABEL.match(line.text)
            if m and not line.link_chars:
                return m.group(1).strip()
        return None

    def _header_byline(self) -> tuple[str, Line] | None:
        return self._once("header_byline", self._find_header_byline)

    def _find_header_byline(self) -> tuple[str, Line] | None:
        """A byline between the headline and the text: 人民网记者  张  雷, 作者：…, By …"""
        h = self._h()
        if h < 0:
            return None
        skip = {id(x) for x in (self._beside(+1) if self.subtitle() else None,
                                self._date_line()) if x}
        for line in self.lines[h + 1: h + 8]:
            if line.size > 60:
                break  # the text has begun
            if id(line) in skip or line.text.startswith(("—", "－")):
                continue
            found = _byline_on(line)
            if found:
                return found, line
        return None
