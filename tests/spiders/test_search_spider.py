"""The `search` spider (spiders/search.py) against the sample site's search API answers: the query
it sends, articles from the API's full text or else their pages, every page of results, windows
split where the index stops paging, and each key remembered after a finished run so the next
starts there, less an overlap.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from crawler_kit import crawler_for, open_spider, response_for, start_requests
from scrapy.http import Request
from twisted.python.failure import Failure

from peoplecn import search_api
from runtime.items import ArticleItem
from sample_site.search_api import indexed
from spiders.search import SearchSpider

KEY = "京津冀"


def spider_for(archive, settings: dict | None = None, **args) -> SearchSpider:
    return open_spider(crawler_for(archive, SearchSpider, **(settings or {})), **args)


def answer(site, request: Request) -> list:
    """What the spider yields for the API's answer to `request`."""
    res = site.post(request.url, request.body)
    spider = request.callback.__self__
    return list(spider.parse_results(response_for(request.url, res, request=request)))


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def test_each_key_is_searched_newest_first_from_the_profiles_date(tmp_path):
    spider = spider_for(tmp_path / "a.db")
    (request,) = start_requests(spider)
    body = json.loads(request.body)
    assert (request.method, request.url) == ("POST", search_api.ENDPOINT)
    assert (body["key"], body["page"], body["limit"], body["sortType"]) == (KEY, 1, 100, 2)
    assert body["startTime"] == ms(datetime(2021, 1, 1, tzinfo=UTC))
    assert abs(body["endTime"] - ms(datetime.now(UTC))) < 60_000
    assert request.meta["kind"] == "search" and request.headers[b"Origin"]


def test_results_become_articles_from_the_full_text_else_page_requests(site, tmp_path):
    spider = spider_for(tmp_path / "a.db", {"XIETONG_SEARCH_LIMIT": 5})
    (first,) = start_requests(spider)
    out = answer(site, first)
    hits = indexed(site.articles, KEY)
    pages = [r for r in out if isinstance(r, Request) and r.meta.get("kind") == "search"]
    assert [json.loads(r.body)["page"] for r in pages] == list(range(2, -(-len(hits) // 5) + 1))
    items = [x for x in out if isinstance(x, ArticleItem)]
    fetch = [r for r in out if isinstance(r, Request) and r.meta.get("kind") == "article"]
    assert len(items) + len(fetch) == 5
    assert items and all(i.article.template == "search_api" for i in items)
    assert spider.crawler.stats.get_value("xietong/articles_from_api") == len(items)
    for item in items:  # its state travels with it, to be committed with the record …
        assert [w.kwargs["url"] for w in item.state_writes] == [item.article.url]
        assert spider.state.worth_fetching(item.article.url)  # … not before
        for write in item.state_writes:  # as the store pipeline hands them to the writer
            spider.state.writer.add_state(write)
    spider.state.writer.flush()
    for item in items:  # archived from the API: fetched, as far as the schedule is concerned
        assert not spider.state.worth_fetching(item.article.url)


def test_a_window_the_index_cannot_page_through_is_split_in_two(site, tmp_path):
    spider = spider_for(tmp_path / "a.db", {"XIETONG_SEARCH_LIMIT": 1,
                                            "XIETONG_SEARCH_MAX_PAGES": 2})
    (first,) = start_requests(spider)
    start, end = first.meta["window"]
    newer, older = answer(site, first)
    middle = (start + end) // 2
    assert (newer.meta["window"], older.meta["window"]) == ((middle + 1, end), (start, middle))
    assert spider.crawler.stats.get_value("xietong/search_windows_split") == 1


def test_a_window_too_short_to_split_reads_what_the_index_shows(site, tmp_path):
    spider = spider_for(tmp_path / "a.db", {"XIETONG_SEARCH_LIMIT": 1,
                                            "XIETONG_SEARCH_MAX_PAGES": 2,
                                            "XIETONG_SEARCH_MIN_WINDOW_HOURS": 10 ** 6})
    (first,) = start_requests(spider)
    out = answer(site, first)
    assert [json.loads(r.body)["page"] for r in out if isinstance(r, Request)
            and r.meta.get("kind") == "search"] == [2]


def test_a_finished_run_is_remembered_and_the_next_starts_there_less_the_overlap(tmp_path):
    archive = tmp_path / "a.db"
    spider = spider_for(archive, keys=f"{KEY},雄安")
    failure = Failure(TimeoutError("the API did not answer"))
    failure.request = Request(search_api.ENDPOINT, meta={"key": "雄安"})  # as Scrapy sets it
    spider.search_failed(failure)
    spider.closed("finished")
    spider.state.writer.flush()  # the run's last batch (pipelines/store.py, when it closes)
    assert spider.state.get(f"{search_api.ENDPOINT}#key={KEY}")["status"] == 200
    assert spider.state.get(f"{search_api.ENDPOINT}#key=雄安") is None  # failed: not done
    again = spider_for(archive, {"XIETONG_SEARCH_OVERLAP_DAYS": 2}, keys=KEY)
    (request,) = start_requests(again)
    start = datetime.fromtimestamp(json.loads(request.body)["startTime"] / 1000, UTC)
    assert abs(start - (datetime.now(UTC) - timedelta(days=2))) < timedelta(minutes=1)


def test_a_run_that_did_not_finish_is_not_remembered(tmp_path):
    spider = spider_for(tmp_path / "a.db")
    spider.closed("shutdown")
    assert spider.state.get(f"{search_api.ENDPOINT}#key={KEY}") is None


def test_an_api_error_is_counted_and_the_key_not_done(tmp_path):
    spider = spider_for(tmp_path / "a.db")
    (request,) = start_requests(spider)
    broken = response_for(request.url, body=b'{"code": "500", "msg": "busy"}', request=request)
    assert list(spider.parse_results(broken)) == []
    assert spider.crawler.stats.get_value("xietong/search_errors") == 1
    spider.closed("finished")
    assert spider.state.get(f"{search_api.ENDPOINT}#key={KEY}") is None
