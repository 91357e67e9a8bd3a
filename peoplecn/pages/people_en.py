"""Reader for en.people.cn articles (reference §13): div.d2txtCon (older div.d2txt_con) holds
the crumbs, h1, div.origin (source link, optional "By …", time "%H:%M, %B %d, %Y" in Beijing
time) and the paragraphs; photos are centred <p><img>, captions the <p><em> after them; the
editor line is div.editor "(Web editor: A, B)".
"""

from __future__ import annotations

from peoplecn.pages.template import TemplateReader


class PeopleEnReader(TemplateReader):
    NAME = "people_en"
    MARKER = "div.d2txtCon, div.d2txt_con"
    TITLE = ("div.d2txtCon > h1", "div.d2txt_con > h1")
    DATE_LINE = "div.d2txtCon div.origin, div.d2txt_con div.origin"
    DATE_FORMAT = "en"
    BYLINE = DATE_LINE
    BYLINE_PATTERN = r"\bBy\s+(.+?)\s*(?:\(|$)"
    BODY = ("div.d2txtCon", "div.d2txt_con")
    EDITOR = "div.d2txtCon div.editor, div.d2txt_con div.editor"
    CRUMBS = "div.d2txtCon div.route a, div.d2txt_con div.route a"
    CHANNEL_FROM_TITLE = False
    RELATED_HEADS = ("Related Stories", "Related", "相关新闻")
