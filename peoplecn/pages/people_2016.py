"""Reader for the 2016 people.cn article template (≈2016–2020): head in div.text_title, body in
div.box_con#rwb_zw (reference §4–§5).

推荐阅读 is #rwb_tjyd div.hdNews (title in <strong>, link on the photo and on 【详细】);
相关新闻 is #rwb_xgxw ul li a. Photos link to the next page, so they are not body links.
"""

from __future__ import annotations

from peoplecn.pages import people_text as text
from peoplecn.pages.base import TemplateReader
from peoplecn.pages.record import Link


class People2016Reader(TemplateReader):
    NAME = "people_2016"
    MARKER = "#rwb_zw"
    HEAD = "div.text_title"
    BYLINE = "div.text_title > p.author"
    DATE_LINE = "div.text_title div.box01 > div.fl"
    BODY = ("#rwb_zw",)
    EDITOR = "#rwb_zw div.edit"

    def related_links(self) -> list[Link]:
        return [*super().related_links(), *self._links(self.sel.css("#rwb_xgxw ul li"), "related")]

    def recommended_links(self) -> list[Link]:
        out = []
        for item in self.sel.css("#rwb_tjyd div.hdNews"):
            url = self._absolute(item.css("a::attr(href)").get())
            if not url:
                continue
            title = text.clean(" ".join(item.css("strong ::text").getall())) or text.clean(
                item.css("img::attr(alt)").get("").split("\n")[0])
            out.append(Link(url=url, text=title, kind="recommended"))
        return out
