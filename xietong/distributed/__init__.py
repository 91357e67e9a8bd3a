"""Crawling with several worker processes, on one machine or several, through Redis
(scrapy-redis): the workers share the frontier and the duplicate filter and push their rows to
Redis (redis_writer.py); one coordinator (coordinator.py) drains them into the archive
(drain.py) — the only process writing SQLite. jobs.py holds what both sides share.
"""
