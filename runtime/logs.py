"""One line per failed download in the crawl's log: Scrapy logs each with the Twisted traceback
of the network error, which says nothing a user can act on and fills cron mail. The line keeps
the error's type and message. Set as LOG_FORMATTER in runtime/settings.py; reads no settings.
"""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter

PREFIX = "Error downloading"


class _NoTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(PREFIX):
            record.exc_info = None
            record.exc_text = None
        return True


class OneLineLogFormatter(LogFormatter):
    def download_error(self, failure, request, spider, errmsg=None):
        error = errmsg or f"{failure.type.__name__}: {failure.value}"
        return {"level": logging.ERROR, "msg": f"{PREFIX} %(request)s: %(error)s",
                "args": {"request": request, "error": error}}

    @classmethod
    def from_crawler(cls, crawler):
        # The scraper logs failed pages, the robots.txt middleware a failed robots.txt.
        for name in ("scrapy.core.scraper", "scrapy.downloadermiddlewares.robotstxt"):
            log = logging.getLogger(name)
            if not any(isinstance(f, _NoTraceback) for f in log.filters):
                log.addFilter(_NoTraceback())
        return cls()
