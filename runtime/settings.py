"""Scrapy settings for xietong: polite defaults for the live site, every value overridable
with `-s NAME=VALUE`, `xietong crawl --set NAME=VALUE`, or the environment variables named below.

The crawler identifies itself and obeys robots.txt; lower the delays only with the site's leave.
"""

import os

BOT_NAME = "xietong"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

CONTACT_URL = os.environ.get("XIETONG_CONTACT_URL", "https://github.com/xietong-archive/xietong")
USER_AGENT = f"xietong/0.1 (research archive of Beijing-Tianjin-Hebei news; +{CONTACT_URL})"

# Politeness (reference §12): one request at a time per host, seconds apart, slowing further
# when the server slows; retry 429/503 later rather than hammering.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = float(os.environ.get("XIETONG_DOWNLOAD_DELAY", "5"))
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not tick like a metronome
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 120
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 60
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Breadth first: the spider gives deeper requests lower priority; FIFO within a priority.
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
DEPTH_LIMIT = 0  # the spider counts link hops itself (pages of one article are not hops)

# Every response is captured as received, before decompression and redirects: 950 is closer
# to the network than any built-in middleware.
DOWNLOADER_MIDDLEWARES = {
    "runtime.capture.CaptureMiddleware": 950,
    # issue 4: Crawl-delay after robots.txt (100); Retry-After before Scrapy's retry (550);
    # per-URL state last, so it records what finally came back.
    "runtime.middlewares.CrawlDelayMiddleware": 120,
    "runtime.middlewares.RetryAfterMiddleware": 560,
    "runtime.middlewares.StateMiddleware": 540,
}

EXTENSIONS = {
    "runtime.lock.CrawlLock": 100,  # one crawl per archive at a time
    "runtime.report.CrawlReport": 510,  # fetch counts and field coverage in the crawls row
}

ITEM_PIPELINES = {
    "pipelines.series.SeriesPipeline": 50,  # series listings stored here, not as articles
    "pipelines.dedupe.DedupePipeline": 100,
    "pipelines.enrich.EnrichPipeline": 500,  # places and topics, before the row is written
    "pipelines.store.ArchivePipeline": 900,
}

LOG_LEVEL = os.environ.get("XIETONG_LOG_LEVEL", "INFO")

# xietong's own settings
XIETONG_ARCHIVE = os.environ.get("XIETONG_ARCHIVE", "data/archive.db")
XIETONG_DEPTH = 3
XIETONG_SEEDS: list[str] = []
XIETONG_FOLLOW = ["related", "recommended", "body"]
XIETONG_KEYWORDS = [
    "京津冀", "协同发展", "雄安", "通州", "城市副中心", "北京城市副中心",
    "Beijing-Tianjin-Hebei", "Jing-Jin-Ji", "Xiong'an", "Xiongan", "Tongzhou",
]
XIETONG_BATCH_SIZE = 50

# Discovery and scheduling (issue 4; docs/decisions.md)
XIETONG_PROFILE = os.environ.get("XIETONG_PROFILE", "jingjinji")  # profiles/NAME.toml
XIETONG_CRAWL_DELAY_MAX = 600  # robots.txt Crawl-delay obeyed up to this (s); 0 ignores it
XIETONG_RETRY_AFTER_CODES = [429, 503]  # waited out (Retry-After, else back-off), then retried
XIETONG_RETRY_BACKOFF = 30  # s before the first retry when no Retry-After; doubles each time
XIETONG_RETRY_AFTER_MAX = 900  # a longer wait is not waited: the URL is left for the next run
XIETONG_REVISIT_MIN_DAYS = 1.0  # an article is fetched again after this …
XIETONG_REVISIT_MAX_DAYS = 90.0  # … doubling while it stays unchanged, up to this
XIETONG_REVISIT_PER_RUN = 200  # due revisits per spider and run, most overdue first
XIETONG_LIST_MAX_PAGES = 50  # pages of one list or topic read per run
XIETONG_SEARCH_LIMIT = 100  # records per search-API page (the API's maximum)
XIETONG_SEARCH_MAX_PAGES = 1000  # the API repeats page 1 past this: windows are split
XIETONG_SEARCH_OVERLAP_DAYS = 2  # a run searches from the last complete one less this
XIETONG_SEARCH_MIN_WINDOW_HOURS = 1  # windows are not split below this
# Share of a run's new articles allowed to lack a field; over it the run fails (exit 3).
XIETONG_COVERAGE_MAX_MISSING = {"title": 0.0, "published_at": 0.2, "body": 0.05,
                                "source": 0.5}
XIETONG_COVERAGE_MIN_NEW = 5  # runs with fewer new articles are not judged
# Share of a run's new people.cn articles allowed to be read by no template reader (the
# template-blind or generic reader); over it the run fails (exit 3): a new layout appeared.
XIETONG_TEMPLATE_BLIND_MAX_SHARE = 0.2
