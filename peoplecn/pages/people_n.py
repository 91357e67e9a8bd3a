"""Reader for the 2012–2015 people.cn template (/n/ URLs): h1#p_title, span#p_publishtime,
#p_origin a, div#p_content, and the variants without ids (div.text_c with h5 or p.sou for the
date line, div.show_text for the text) — reference §4. No real page of this era is in the shared
corpus; the sample site's /n/ pages follow the reported markup.
"""

from __future__ import annotations

from peoplecn.pages import people_text as text
from peoplecn.pages.base import TemplateReader
from peoplecn.pages.record import Link

_TITLE = "h1#p_title, div.text_c > h1, div.text_title > h1"


class PeopleNReader(TemplateReader):
    NAME = "people_n"
    CONFIDENCE = 0.9  # reported markup, not yet checked against a real page
    MARKER = "#p_content, h1#p_title, span#p_publishtime, div.text_c div.show_text"
    BYLINE = "#p_author, div.text_c > h6, div.text_title > p.author"
    DATE_LINE = "#p_publishtime, div.text_c > h5, div.text_c > p.sou, div.text_title div.box01"
    BODY = ("#p_content", "div.show_text")
    EDITOR = "#p_editor, div.text_c div.edit, #p_content div.edit, div.show_text div.edit"
    PAGER = "div.zdfy a::attr(href), #p_pages a::attr(href)"

    def title(self) -> str:
        return self._text(_TITLE.split(",")[0]) or self._text(_TITLE) or super().title()

    def _beside_title(self, axis: str, tags: str) -> str | None:
        for h1 in self.sel.css(_TITLE)[:1]:
            near = h1.xpath(f"{axis}::*[1][{tags}]")
            return text.clean(text.visible_text(near[0])) or None if near else None
        return None

    def pre_title(self) -> str | None:
        return self._beside_title("preceding-sibling", "self::h2 or self::h3")

    def subtitle(self) -> str | None:
        return self._beside_title("following-sibling", "self::h2 or self::h4")

    def source_raw(self) -> str | None:
        origin = text.clean(" ".join(self.sel.css("#p_origin ::text").getall()))
        origin = text.source_from_line(origin) or origin.removeprefix("来源：")
        return origin or super().source_raw()

    def source_url(self) -> str | None:
        return self._absolute(self.sel.css("#p_origin a::attr(href)").get()) or \
            super().source_url()

    def related_links(self) -> list[Link]:
        return [*super().related_links(),
                *self._headed_links(("相关新闻", "相关链接", "相关阅读"), "related")]

    def recommended_links(self) -> list[Link]:
        return self._headed_links(("推荐阅读",), "recommended")
