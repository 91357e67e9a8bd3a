"""Scrapy settings for xietong: polite defaults for the live site, every value overridable
with `-s NAME=VALUE`, `xietong crawl --set NAME=VALUE`, or the environment variables named below.

Every XIETONG_* setting is declared here, once, with its default and a one-line meaning, and is
read elsewhere without a fallback (tests/runtime/test_settings.py holds the code to that; the
list for users is docs/settings.md).

The crawler identifies itself and obeys robots.txt; lower the delays only with the site's leave.
"""

import os

from runtime.checks import (
    Choices,
    ClassPath,
    File,
    Flag,
    Number,
    Shares,
    Statuses,
    Text,
    Whole,
)
from runtime.coverage import CHECKS as COVERAGE_CHECKS

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
# Read as Scrapy reads every setting (getfloat): a bad value is refused before a crawl starts.
DOWNLOAD_DELAY = os.environ.get("XIETONG_DOWNLOAD_DELAY", "5")
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

# Sizes (issue 14): Scrapy's DOWNLOAD_MAXSIZE bounds a response as sent and as decompressed (a
# gzip bomb stops at the limit). Pages — articles, lists, topics, search answers — get the
# smaller XIETONG_PAGE_MAXSIZE per request (runtime/middlewares.py PageSizeMiddleware); a request
# that sets its own `download_maxsize` meta (a photo, a stylesheet) keeps it.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Every response is captured as received, before decompression and redirects: 950 is closer
# to the network than any built-in middleware.
DOWNLOADER_MIDDLEWARES = {
    "runtime.capture.CaptureMiddleware": 950,
    # issue 14: pages get XIETONG_PAGE_MAXSIZE; decompression over it is recorded, not lost
    "runtime.middlewares.PageSizeMiddleware": 530,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "runtime.middlewares.BoundedDecompressionMiddleware": 590,
    # issue 4: Crawl-delay after robots.txt (100); Retry-After before Scrapy's retry (550);
    # per-URL state last, so it records what finally came back.
    "runtime.middlewares.CrawlDelayMiddleware": 120,
    # issue 18: the failure ledger sees each request's final answer or error, after retries
    "runtime.failures.FailureLedgerMiddleware": 545,
    "runtime.middlewares.RetryAfterMiddleware": 560,
    "runtime.middlewares.StateMiddleware": 540,
}

# issue 18: a response's held crawl state is released when its callback has produced everything
SPIDER_MIDDLEWARES = {"runtime.middlewares.HeldStateRelease": 40}

EXTENSIONS = {
    "runtime.services.CrawlServices": 0,  # the crawl's writer and per-URL state
    "runtime.lock.CrawlLock": 100,  # one crawl per archive at a time
    "runtime.report.CrawlReport": 510,  # fetch counts and field coverage in the crawls row
    "runtime.stop.CleanStop": 520,  # SIGTERM / Ctrl-C: stop within seconds, commit what is whole
}

ITEM_PIPELINES = {
    "pipelines.dedupe.DedupePipeline": 100,
    "pipelines.enrich.EnrichPipeline": 500,  # places and topics, before the row is written
    "pipelines.store.ArchivePipeline": 900,  # articles, status events, series listings
}

LOG_LEVEL = os.environ.get("XIETONG_LOG_LEVEL", "INFO")
LOG_FORMATTER = "runtime.logs.OneLineLogFormatter"  # a failed download is one line, no traceback
# … and one line only: the download error's line says it; Scrapy's "Gave up retrying" would be a
# second line for the same request (issue 18).
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"

# -- xietong's own settings ------------------------------------------------------------------
# What a crawl archives, and where
XIETONG_ARCHIVE = os.environ.get("XIETONG_ARCHIVE", "data/archive.db")  # the archive file
# The topic profile (profiles/NAME.toml, or a path): keywords, seeds, channel lists, series pages
XIETONG_PROFILE = os.environ.get("XIETONG_PROFILE", "jingjinji")
XIETONG_DEPTH = 3  # link hops the related spider follows from a seed
XIETONG_FOLLOW = ["related", "recommended", "body"]  # link kinds the related spider follows
XIETONG_BATCH_SIZE = 50  # article records per archive transaction
XIETONG_PLACES = None  # gazetteer TSV for place tags (None: the bundled archive/data/places.tsv)
XIETONG_TOPICS = None  # topic lexicon TOML (None: the bundled archive/data/topics.toml)
XIETONG_PROGRESS = False  # a live progress line on stderr (the xietong command turns it on)
XIETONG_PROGRESS_INTERVAL = 30  # s between progress lines when stderr is no terminal (cron)

# Services (runtime/services.py): the classes that write the archive and keep per-URL state
XIETONG_WRITER = "runtime.services.ArchiveWriterService"  # writes captures and rows; workers: Redis
XIETONG_STATE = "runtime.state.CrawlState"  # per-URL fetch state; distributed workers swap it

# Politeness and fetch-once scheduling (issue 4; docs/decisions.md)
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
XIETONG_SEARCH_MIN_WINDOW_HOURS = 1  # search windows are not split below this

# Page requisites (issue 12; spiders/requisites.py): what an archived article's page needs
XIETONG_REQUISITES = True  # fetch the photos of every archived article (all its pages), once
XIETONG_REQUISITES_PAGE = True  # … and its pages' stylesheets and other images on people.cn hosts
XIETONG_REQUISITES_PER_PAGE = 50  # page stylesheets and images fetched per article page, at most
XIETONG_REQUISITE_MAX_BYTES = 8 * 1024 * 1024  # larger: not stored, url_state says too_large
XIETONG_REQUISITES_REFETCH = False  # fetch requisites again though archived (they do not change)

# Bounded work (issue 14; docs/reliability.md)
XIETONG_PAGE_MAXSIZE = 8 * 1024 * 1024  # bytes a page may have, as sent and decompressed

# Field coverage (runtime/report.py)
# Share of a run's new articles allowed to lack each field; over it the run fails (exit 3)
XIETONG_COVERAGE_MAX_MISSING = {"title": 0.0, "published_at": 0.2, "body": 0.05,
                                "source": 0.5}
XIETONG_COVERAGE_MIN_NEW = 5  # runs with fewer new articles are not judged
# Share of a run's new people.cn articles allowed to be read by no template reader (the
# template-blind or generic reader); over it the run fails (exit 3): a new layout appeared.
XIETONG_TEMPLATE_BLIND_MAX_SHARE = 0.2

# Failures (runtime/failures.py): every request without a stored result is counted by cause.
# Over this share of a run's page requests failing for the run's sake (not 404/410, not
# robots.txt) the run fails (exit 1, crawls.failure says why) …
XIETONG_FAILURE_MAX_SHARE = 0.2
XIETONG_FAILURE_MIN_COUNT = 3  # … when at least this many failed (one dead link is no failure)

# Distributed crawling (xietong/distributed/): set by the coordinator for its workers
XIETONG_REDIS_URL = None  # the Redis a worker shares the frontier through
XIETONG_REDIS_PREFIX = "xietong"  # the job's Redis keys start with this
XIETONG_CRAWL_ID = None  # the coordinator's crawls row a worker's batches belong to
XIETONG_WORKER_NAME = None  # this worker's name in the job (host-pid)
XIETONG_WORKERS_EXPECTED = 1  # workers started together: each waits (≤ 10 s) for the others
XIETONG_WORKER_PREFETCH = 2  # requests a worker takes from the shared queue before sending them

# -- What each of our settings may hold (issue 18) -------------------------------------------
# Checked before a crawl starts (runtime/checks.py): a bad value is one line and exit 2.
# Lower-case, so Scrapy does not take it for a setting.
kinds = {
    "XIETONG_ARCHIVE": Text(),
    "XIETONG_PROFILE": Text(),
    "XIETONG_DEPTH": Whole(0, 50),
    "XIETONG_FOLLOW": Choices("related", "recommended", "body"),
    "XIETONG_BATCH_SIZE": Whole(1, 100_000),
    "XIETONG_PLACES": File(optional=True),
    "XIETONG_TOPICS": File(optional=True),
    "XIETONG_PROGRESS": Flag(),
    "XIETONG_PROGRESS_INTERVAL": Number(1, 86_400),
    "XIETONG_WRITER": ClassPath("archive.writer.CaptureLog"),
    "XIETONG_STATE": ClassPath("runtime.state.CrawlState"),
    "XIETONG_CRAWL_DELAY_MAX": Number(0, 86_400),
    "XIETONG_RETRY_AFTER_CODES": Statuses(),
    "XIETONG_RETRY_BACKOFF": Number(0, 86_400),
    "XIETONG_RETRY_AFTER_MAX": Number(0, 86_400),
    "XIETONG_REVISIT_MIN_DAYS": Number(0, 3650),
    "XIETONG_REVISIT_MAX_DAYS": Number(0, 3650),
    "XIETONG_REVISIT_PER_RUN": Whole(0, 10_000_000),
    "XIETONG_LIST_MAX_PAGES": Whole(1, 100_000),
    "XIETONG_SEARCH_LIMIT": Whole(1, 100),
    "XIETONG_SEARCH_MAX_PAGES": Whole(1, 1_000_000),
    "XIETONG_SEARCH_OVERLAP_DAYS": Number(0, 3650),
    "XIETONG_SEARCH_MIN_WINDOW_HOURS": Number(0.01, 1_000_000),
    "XIETONG_REQUISITES": Flag(),
    "XIETONG_REQUISITES_PAGE": Flag(),
    "XIETONG_REQUISITES_PER_PAGE": Whole(0, 100_000),
    "XIETONG_REQUISITE_MAX_BYTES": Whole(1, 1 << 40),
    "XIETONG_REQUISITES_REFETCH": Flag(),
    "XIETONG_PAGE_MAXSIZE": Whole(1024, 1 << 40),
    "XIETONG_COVERAGE_MAX_MISSING": Shares(COVERAGE_CHECKS),
    "XIETONG_COVERAGE_MIN_NEW": Whole(0),
    "XIETONG_TEMPLATE_BLIND_MAX_SHARE": Number(0, 1),
    "XIETONG_FAILURE_MAX_SHARE": Number(0, 1),
    "XIETONG_FAILURE_MIN_COUNT": Whole(0),
    "XIETONG_REDIS_URL": Text(optional=True),
    "XIETONG_REDIS_PREFIX": Text(),
    "XIETONG_CRAWL_ID": Whole(0, optional=True),
    "XIETONG_WORKER_NAME": Text(optional=True),
    "XIETONG_WORKERS_EXPECTED": Whole(1, 1000),
    "XIETONG_WORKER_PREFETCH": Whole(1, 10_000),
}
