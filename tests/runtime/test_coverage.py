"""Field coverage of a run (runtime/coverage.py): which fields a record lacks, the share of new
articles lacking each, which shares are over their thresholds — only on runs big enough to
judge — and the template-blind share."""

from __future__ import annotations

from collections import Counter

from runtime import coverage

FULL = {"title": "京津冀协同发展十周年", "published_at": "2024-02-25T08:31:00+08:00",
        "paragraphs": ["第一段。"], "source": "人民网－河北频道", "source_url": "http://x/",
        "channel": "河北频道", "byline": "记者 张三", "editors": ["李四"],
        "template": "people_2020", "site": "he.people.com.cn"}


def test_a_full_record_lacks_nothing_and_an_empty_one_lacks_everything():
    assert coverage.missing_fields(FULL) == set()
    assert coverage.missing_fields({}) == set(coverage.CHECKS)


def test_a_date_without_time_or_blank_paragraphs_count_as_missing():
    record = {**FULL, "published_at": "2024-02-25", "paragraphs": ["  ", ""]}
    assert coverage.missing_fields(record) == {"published_at", "body"}


def test_shares_over_their_thresholds_fail_only_on_runs_big_enough():
    missing = Counter({"title": 1, "source": 3})
    report = coverage.coverage(missing, 4)
    assert report["new"] == 4 and report["missing"]["source"] == 0.75
    assert report["missing"]["title"] == 0.25 and report["missing"]["body"] == 0.0
    thresholds = {"title": 0.0, "source": 0.5, "body": 0.05}
    assert coverage.failing(report, thresholds, min_new=4) == ["title", "source"]
    assert coverage.failing(report, thresholds, min_new=5) == []
    assert coverage.describe(report, ["source"], thresholds) == (
        "source missing on 75% of 4 new articles (allowed 50%)")
    assert coverage.coverage(Counter(), 0)["missing"]["title"] == 0.0


def test_template_blind_means_a_people_cn_page_no_template_read():
    assert coverage.read_without_template({**FULL, "template": "cues"})
    assert not coverage.read_without_template(FULL)
    assert not coverage.read_without_template({**FULL, "template": "generic",
                                               "site": "www.xinhuanet.com"})
    assert coverage.template_blind_failing(2, 5, 0.2, 5)
    assert not coverage.template_blind_failing(1, 5, 0.2, 5)
    assert not coverage.template_blind_failing(4, 4, 0.2, 5)
