"""Reader for the 2020s people.cn article template (≈2020–2025; regional n2 channels too):
head in div.rm_txt > div.col-1, body in div.rm_txt_con (reference §4–§5). The 2026 variant
wraps the text in #rm_txt_zw inside div.rm_txt_con; the same reader takes both.

Related links are printed inside the body after a 【相关链接】 line; 推荐阅读 is a
div.rm_relevant.rm_recommend block of dl > dt > a with site-relative hrefs. A related box this
map does not name is found by the template-blind reader (agreement.py).
"""

from __future__ import annotations

from peoplecn.pages.template import TemplateReader


class People2020Reader(TemplateReader):
    NAME = "people_2020"
    MARKER = "div.rm_txt_con"
    HEAD = "div.rm_txt div.col-1"
    BYLINE = "div.rm_txt div.col-1 > div.author"
    DATE_LINE = "div.channel div.col-1-1"
    BODY = ("#rm_txt_zw", "div.rm_txt_con")
    EDITOR = "div.rm_txt_con div.edit"
    RECOMMENDED = "div.rm_relevant.rm_recommend dl dt"
