"""Reader for the 2016 people.cn article template (≈2016–2020): head in div.text_title, body in
div.box_con#rwb_zw (reference §4–§5).

推荐阅读 is #rwb_tjyd div.hdNews (title in <strong>, link on the photo and on 【详细】);
相关新闻 is #rwb_xgxw ul li a. Photos link to the next page, so they are not body links.
"""

from __future__ import annotations

from peoplecn.pages.template import TemplateReader


class People2016Reader(TemplateReader):
    NAME = "people_2016"
    MARKER = "#rwb_zw"
    HEAD = "div.text_title"
    BYLINE = "div.text_title > p.author"
    DATE_LINE = "div.text_title div.box01 > div.fl"
    BODY = ("#rwb_zw",)
    EDITOR = "#rwb_zw div.edit"
    RELATED = "#rwb_xgxw ul li"
    RECOMMENDED = "#rwb_tjyd div.hdNews"
    RECOMMENDED_TITLE = "strong"
