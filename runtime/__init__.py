"""The crawl runtime: the Scrapy settings, the downloader middlewares (politeness, captures,
per-URL state), the extensions (lock, report, progress) and the services spiders and pipelines
share (the archive writer, the crawl state, the topic profile).

Spiders and pipelines use it; it never imports them (import-linter contracts, pyproject.toml).
"""
