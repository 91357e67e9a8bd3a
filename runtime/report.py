"""A Scrapy extension that completes the run's `crawls` row: article pages fetched, not
modified and failed, list pages fetched, the profile, and the field coverage of the new
articles — and flags a run whose coverage is under its thresholds (stat xietong/coverage_failed,
an ERROR log line naming the fields; `xietong crawl` then exits non-zero).

It also flags a run where too many new people.cn articles were read by no template reader (a
new layout: "template_blind"); crawl_totals counts the articles each reader read
(crawls.readers) and the fields the two readers of a page read differently
(crawls.field_disagreements), for a crawl in one process and for a distributed one.

Coverage is judged only on runs that did not fail (run_failure): the pages a failed run read
are a sample nobody chose, and its unread pages are failures, not layouts.

Settings read: XIETONG_ARCHIVE, XIETONG_COVERAGE_MAX_MISSING, XIETONG_COVERAGE_MIN_NEW,
XIETONG_TEMPLATE_BLIND_MAX_SHARE, XIETONG_FAILURE_MAX_SHARE, XIETONG_FAILURE_MIN_COUNT.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping

from scrapy import signals

from archive.schema import ArchiveError, open_archive
from runtime import coverage, failures
from runtime.items import ArticleItem
from runtime.services import WRITE_ERRORS, write_failed

logger = logging.getLogger(__name__)
LIST_KINDS = ("list", "topic", "search")


def run_failure(stats: Mapping, reason: str | None, max_share: float,
                min_count: int) -> str | None:
    """Why a run failed, in one line — None when it did what it was asked. Failed: a write
    failed (a full disk, a damaged archive); the spider did not finish (stopped by a signal,
    or closed for another reason); a spider callback raised an unexpected error (a bug); or
    its failures say so (runtime/failures.py judge: it reached nothing it was asked for, or
    too many requests failed). `xietong crawl` exits 1 with this line, and the crawls row
    keeps it (`failure`)."""
    if stats.get("xietong/write_failed"):
        errors = stats.get("xietong/write_errors", 1)
        return (f"a write failed and the run stopped ({errors} write error"
                f"{'s' if errors != 1 else ''}): {stats['xietong/write_failed']}")
    if reason == "shutdown":
        return ("the run was stopped before it finished (SIGTERM or Ctrl-C); what was "
                "complete is committed, the rest is fetched by the next run")
    if reason != "finished":
        return f"the run did not finish ({reason})"
    crashes = stats.get(failures.PREFIX + "spider", 0)
    if crashes:
        return (f"{crashes} response{'s' if crashes != 1 else ''} raised an unexpected error "
                "in the spider (a bug: run with -v to see it)")
    return failures.judge(stats, max_share, min_count)


def failure_of(crawler, reason: str | None) -> str | None:
    """run_failure for a crawler, with its thresholds from its settings."""
    s = crawler.settings
    return run_failure(crawler.stats.get_stats(), reason,
                       s.getfloat("XIETONG_FAILURE_MAX_SHARE"),
                       s.getint("XIETONG_FAILURE_MIN_COUNT"))


def _counted(stats: Mapping, prefix: str) -> str:
    """{name: n} of the stats under `prefix`, as JSON."""
    return json.dumps({k.removeprefix(prefix): v for k, v in sorted(stats.items())
                       if k.startswith(prefix)}, sort_keys=True)


def crawl_totals(stats: Mapping, outcomes: Mapping[str, int]) -> dict:
    """The counts of a finished run's `crawls` row, from its Scrapy stats and its writer's
    outcomes — one rule for a crawl in one process and for a distributed crawl (its workers'
    stats summed, its coordinator's outcomes)."""
    causes = failures.by_cause(stats)
    requisites = stats.get("xietong/requisites/fetched", 0)  # photos etc. are not pages
    return {
        "pages_fetched": stats.get("downloader/response_count", 0) - requisites,
        "articles_new": outcomes.get("new", 0),
        "articles_changed": outcomes.get("changed", 0),
        "articles_unchanged": outcomes.get("unchanged", 0),
        "articles_irrelevant": stats.get("xietong/articles_irrelevant", 0),
        "parse_errors": stats.get("xietong/parse_errors", 0),
        # final answers ≥ 400 of pages (a retried 503 that then answered is no error)
        "http_errors": sum(v for c, v in causes.items() if c.startswith("http_"))
        - stats.get("xietong/requisites/http_errors", 0),
        "requisites_fetched": requisites,
        "requisites_too_large": stats.get("xietong/requisites/too_large", 0),
        "requisites_failed": stats.get("xietong/requisites/failed", 0),
        "pages_too_large": stats.get("xietong/too_large", 0),
        # the failure ledger (runtime/failures.py): every request without a stored result
        "errors": stats.get(failures.TOTAL, 0),
        "errors_by_cause": json.dumps(causes, sort_keys=True),
        "readers": _counted(stats, "xietong/read_by/"),
        "field_disagreements": json.dumps({
            "pages_compared": stats.get("xietong/agreement/compared", 0),
            "disagreed": json.loads(_counted(stats, "xietong/agreement/disagreed/")),
            "filled": json.loads(_counted(stats, "xietong/agreement/filled/")),
        }, sort_keys=True),
    }


class CrawlReport:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = s.get("XIETONG_ARCHIVE")
        self.thresholds = s.getdict("XIETONG_COVERAGE_MAX_MISSING")
        self.min_new = s.getint("XIETONG_COVERAGE_MIN_NEW")
        self.blind_limit = s.getfloat("XIETONG_TEMPLATE_BLIND_MAX_SHARE")
        self.blind = 0
        self.known: set[str] = set()
        self.new: set[str] = set()
        self.missing: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        try:
            db = open_archive(self.path)
            self.known = {r[0] for r in db.execute("select id from articles")}
            db.close()
        except (*WRITE_ERRORS, ArchiveError) as e:
            write_failed(self.crawler, e, "reading the archive")

    def item_scraped(self, item, response, spider):
        if not isinstance(item, ArticleItem) or item.id in self.known or item.id in self.new:
            return
        self.new.add(item.id)
        record = item.record()
        self.missing.update(coverage.missing_fields(record))
        self.blind += coverage.read_without_template(record)

    def closed(self, spider, reason):
        stat = self.stats.get_value
        report = coverage.coverage(self.missing, len(self.new))
        # Coverage speaks of the pages that were read. A run that failed (its pages unreached,
        # a full disk, a stop) read a sample nobody chose: no alarm about layouts, only the
        # failure, which is its own exit code.
        judged = failure_of(self.crawler, reason) is None
        failed = coverage.failing(report, self.thresholds, self.min_new) if judged else []
        if failed:
            logger.error("coverage below threshold — a page template may have changed: %s",
                         coverage.describe(report, failed, self.thresholds))
        report["template_blind"] = round(self.blind / len(self.new), 3) if self.new else 0.0
        if judged and coverage.template_blind_failing(self.blind, len(self.new),
                                                      self.blind_limit, self.min_new):
            failed.append("template_blind")
            logger.error("%d of %d new articles were read by no template reader (allowed "
                         "%.0f%%) — a new page layout has appeared", self.blind, len(self.new),
                         self.blind_limit * 100)
        if failed:
            self.stats.set_value("xietong/coverage_failed", ",".join(failed))
        profile = getattr(spider, "profile", None)
        fields = {
            "profile": profile.name if profile is not None else None,
            "articles_fetched": stat("xietong/fetched/article", 0),
            "articles_not_modified": stat("xietong/not_modified/article", 0),
            "articles_failed": stat("xietong/failed/article", 0) + stat("xietong/parse_errors", 0),
            "lists_fetched": sum(stat(f"xietong/fetched/{k}", 0) for k in LIST_KINDS),
            "coverage": json.dumps(report, ensure_ascii=False, sort_keys=True),
            "coverage_failed": ",".join(failed) or None,
        }
        try:
            db = open_archive(self.path)
            row = db.execute("select max(id) from crawls where spider = ?",
                             [spider.name]).fetchone()
            if row and row[0] is not None:
                # The lock makes the newest row of this spider this run's (the store pipeline
                # created it when the spider opened).
                with db.conn:
                    db["crawls"].update(row[0], fields)
            db.close()
        except (*WRITE_ERRORS, ArchiveError) as e:
            write_failed(self.crawler, e, "the crawls row")
