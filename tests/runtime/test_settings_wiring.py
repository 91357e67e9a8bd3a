"""How runtime/settings.py wires the middle layers into Scrapy: the order the downloader
middlewares, extensions and pipelines are built in (Scrapy's own resolution of the settings,
with its built-ins), and that every component named loads and builds from the crawler."""

from __future__ import annotations

from crawler_kit import crawler_for
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object


def order(crawler, setting: str) -> list[str]:
    return [c if isinstance(c, str) else f"{c.__module__}.{c.__name__}"
            for c in build_component_list(crawler.settings.getwithbase(setting))]


def test_downloader_middlewares_see_requests_and_answers_in_the_intended_order(tmp_path):
    chain = order(crawler_for(tmp_path / "a.db"), "DOWNLOADER_MIDDLEWARES")
    at = {name.rsplit(".", 1)[1]: i for i, name in enumerate(chain)}
    # Answers travel the list backwards: the capture is closest to the network, so it keeps
    # the bytes before decompression, redirects and retries act on them.
    assert chain[-1] == "runtime.capture.CaptureMiddleware"
    assert "HttpCompressionMiddleware" not in at  # replaced by the bounded one, same place
    assert at["RedirectMiddleware"] > at["BoundedDecompressionMiddleware"]
    assert at["BoundedDecompressionMiddleware"] > at["RetryAfterMiddleware"] > \
        at["RetryMiddleware"] > at["StateMiddleware"]  # Retry-After first; state records last
    assert at["StateMiddleware"] > at["PageSizeMiddleware"]
    assert at["CrawlDelayMiddleware"] == at["RobotsTxtMiddleware"] + 1


def test_every_component_the_settings_name_builds_from_the_crawler(tmp_path):
    crawler = crawler_for(tmp_path / "a.db", XIETONG_PROGRESS=True)
    ours = [name for setting in ("DOWNLOADER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES")
            for name in order(crawler, setting) if name.split(".")[0] in ("runtime", "pipelines")]
    assert len(ours) >= 12
    for name in ours:
        assert build_from_crawler(load_object(name), crawler) is not None, name


def test_pipelines_run_dedupe_enrich_store_and_the_services_come_first(tmp_path):
    crawler = crawler_for(tmp_path / "a.db")
    assert order(crawler, "ITEM_PIPELINES") == [
        "pipelines.dedupe.DedupePipeline", "pipelines.enrich.EnrichPipeline",
        "pipelines.store.ArchivePipeline"]
    extensions = [e for e in order(crawler, "EXTENSIONS") if e.startswith("runtime.")]
    assert extensions[0] == "runtime.services.CrawlServices"  # the others use its services
