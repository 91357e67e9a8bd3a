"""Series membership into the archive: a series spider's listing (a topic page's members, in
order) is stored and consumed here; an article that names its series (pre-title) joins that
series' row and goes on to the next pipeline unchanged.

Runs before DedupePipeline (a listing is not an article). Settings read: XIETONG_ARCHIVE.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy.exceptions import DropItem

from archive import series
from archive.schema import open_archive


class SeriesPipeline:
    def __init__(self, path: str, stats):
        self.path = path
        self.stats = stats
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("XIETONG_ARCHIVE"), crawler.stats)

    def open_spider(self):
        self.db = open_archive(self.path)

    def close_spider(self):
        self.db.close()

    def process_item(self, item: dict):
        seen_at = datetime.now(UTC).isoformat(timespec="seconds")
        listing = item.get("series_listing") if isinstance(item, dict) else None
        if listing is not None:
            with self.db.conn:
                series.save_listing(self.db, listing["name"], listing["index_url"],
                                    listing["members"], seen_at)
            self.stats.inc_value("xietong/series_listings")
            # Consumed: the later pipelines store articles, and this is not one.
            raise DropItem(f"series listing stored: {listing['name']}", log_level="DEBUG")
        if isinstance(item, dict) and item.get("id"):
            item.update(series.known_series(self.db, item))
        if isinstance(item, dict) and item.get("series") and item.get("id"):
            with self.db.conn:
                series.join_series(self.db, item["id"], item["series"], seen_at,
                                   item.get("series_order"))
        return item
