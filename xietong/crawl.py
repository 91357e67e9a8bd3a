"""Run one spider, or several in turn under one lock, in this process with the project settings
plus the caller's overrides.

A Twisted reactor runs once per process, so callers that need several crawls (the demo, the
tests) start `xietong crawl` as a subprocess each time.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from runtime import failures, lock, stop
from runtime.report import failure_of


def run_crawl(spider: str, archive: Path, spider_args: dict, overrides: dict,
              proxy: str | None = None) -> int:
    """Crawl into `archive`; returns a process exit code (0 when the run finished cleanly)."""
    return run_crawls([(spider, spider_args)], archive, overrides, proxy)


def run_crawls(runs: list[tuple[str, dict]], archive: Path, overrides: dict,
               proxy: str | None = None) -> int:
    """Run the spiders one after another in this process, holding the archive's lock
    throughout (each gets its own `crawls` row). Exit code: 0 clean; 1 a run failed
    (runtime/report.py run_failure); 3 a run's field coverage fell under its threshold.
    Raises lock.Locked when another crawl holds the archive, archive.schema.ArchiveError for
    a file that is not ours."""
    from archive.schema import check_archive

    check_archive(archive)  # before anything (the lock, Scrapy) touches a file not ours
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "runtime.settings")
    if proxy:
        # Scrapy's HttpProxyMiddleware takes proxies from the environment, as curl does.
        os.environ["http_proxy"] = proxy
        os.environ["https_proxy"] = proxy
        os.environ.pop("no_proxy", None)
    names = " ".join(name for name, _ in runs)
    with lock.held(archive, f"xietong crawl {names}"):
        crawlers = _crawl_in_turn(runs, archive, overrides)
    crawlers = [c for c in crawlers if c.spider is not None]  # a stop leaves some unstarted
    codes = [_exit_code(crawler) for crawler in crawlers] or [1]
    if len(crawlers) > 1:
        sys.stderr.write(_summary(crawlers) + "\n")
    # A failure (1) outranks a coverage alarm (3): cron and systemd must read "failed".
    return 1 if 1 in codes else max(codes)


def _crawl_in_turn(runs: list[tuple[str, dict]], archive: Path, overrides: dict) -> list:
    settings = get_project_settings()
    settings.set("XIETONG_ARCHIVE", str(archive), priority="cmdline")
    extensions = {**settings.getdict("EXTENSIONS"), "runtime.progress.Progress": 500}
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("XIETONG_PROGRESS", True, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(name) for name, _ in runs]

    def start(i: int):
        if stop.requested():
            return None  # stopped (SIGTERM): the spiders after this one do not start
        args = {k: v for k, v in runs[i][1].items() if v is not None}
        d = process.crawl(crawlers[i], **args)
        if i + 1 < len(runs):
            d.addBoth(lambda _: start(i + 1))  # the next spider starts when this one ends
        return d

    start(0)
    process.start()
    return crawlers


def _exit_code(crawler) -> int:
    """1 when the run failed (runtime/report.py run_failure: the one rule for the exit code
    and the crawls row), else 3 when its field coverage fell under a threshold, else 0. A
    failed run is never reported as a coverage alarm."""
    stats = crawler.stats.get_stats()
    failure = failure_of(crawler, stats.get("finish_reason"))
    name = crawler.spider.name if crawler.spider else "crawl"
    if failure:
        sys.stderr.write(f"{name}: run failed: {failure}\n")
        return 1
    if stats.get("xietong/coverage_failed"):
        sys.stderr.write(f"{name}: field coverage under threshold: "
                         f"{stats['xietong/coverage_failed']} (a page template may have "
                         "changed; see the crawls row)\n")
        return 3
    return 0


def _summary(crawlers) -> str:
    total = {"fetched": 0, "new": 0, "changed": 0, "unchanged": 0}
    causes: Counter[str] = Counter()
    for c in crawlers:
        s = c.stats.get_value
        total["fetched"] += s("downloader/response_count", 0)
        for k in ("new", "changed", "unchanged"):
            total[k] += s(f"xietong/articles_{k}", 0)
        total["unchanged"] += s("xietong/articles_not_modified", 0)  # 304s
        causes.update(failures.by_cause(c.stats.get_stats()))
    spiders = ", ".join(c.spider.name for c in crawlers if c.spider)
    errors = sum(causes.values())
    return (f"all ({spiders}): fetched {total['fetched']} pages · new {total['new']} · "
            f"changed {total['changed']} · unchanged {total['unchanged']} · "
            f"errors {errors}" + (f" ({failures.describe(causes)})" if errors else ""))
