"""Reader for the 2012–2015 people.cn template (/n/ URLs): h1#p_title, span#p_publishtime,
#p_origin a, div#p_content, and the variants without ids (div.text_c with h5 or p.sou for the
date line, div.show_text for the text) — reference §4. No real page of this era is in the shared
corpus; the sample site's /n/ pages follow the reported markup. 2000s /GB/ pages reuse some of
these ids; what they print elsewhere (a pre-title in p.p1) the template-blind reader fills in.
"""

from __future__ import annotations

from peoplecn.pages.template import TemplateReader

_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_HEADLINE = (f"(//h1[@id='p_title'] | //div[{_CLASS.format('text_c')}]/h1"
             f" | //div[{_CLASS.format('text_title')}]/h1)[1]")


class PeopleNReader(TemplateReader):
    NAME = "people_n"
    CONFIDENCE = 0.9  # reported markup, not yet checked against a real page
    MARKER = "#p_content, h1#p_title, span#p_publishtime, div.text_c div.show_text"
    TITLE = ("h1#p_title", "h1#p_title, div.text_c > h1, div.text_title > h1")
    PRE_TITLE = f"{_HEADLINE}/preceding-sibling::*[1][self::h2 or self::h3]"
    SUBTITLE = f"{_HEADLINE}/following-sibling::*[1][self::h2 or self::h4]"
    BYLINE = "#p_author, div.text_c > h6, div.text_title > p.author"
    DATE_LINE = "#p_publishtime, div.text_c > h5, div.text_c > p.sou, div.text_title div.box01"
    SOURCE = "#p_origin"
    BODY = ("#p_content", "div.show_text")
    EDITOR = "#p_editor, div.text_c div.edit, #p_content div.edit, div.show_text div.edit"
    PAGER = "div.zdfy a, #p_pages a"
    RELATED_HEADS = ("相关新闻", "相关链接", "相关阅读")
    RECOMMENDED_HEADS = ("推荐阅读",)
