"""Drop a second copy of an article within one run (the same host + content id reached under
two URL spellings, e.g. an old catalog that redirects). Never touches the archive; other items
pass untouched.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from runtime.items import ArticleItem


class DedupePipeline:
    def __init__(self, stats):
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        if not isinstance(item, ArticleItem):
            return item
        if item.id in self.seen:
            self.stats.inc_value("xietong/duplicates_dropped")
            raise DropItem(f"already archived in this run: {item.id}")
        self.seen.add(item.id)
        return item
