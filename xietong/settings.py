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

ITEM_PIPELINES = {
    "pipelines.dedupe.DedupePipeline": 100,
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
