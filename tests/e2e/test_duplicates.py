"""One article however it is reached: every URL form in the sample site (https, upper-case
host, /BIG5/ mirror, query and fragment, page-1 suffix) resolves to one row, fetched once;
and reprints of one story on two channels are grouped under the earlier one."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlite_utils

from peoplecn import urls

FORMS = {
    "https://he.people.com.cn/n2/2024/0224/c192235-40744627.html": "he-40744627",
    "http://HE.PEOPLE.COM.CN/n2/2022/0330/c192235-38142706.html": "he-38142706",
    "http://he.people.com.cn/BIG5/n2/2022/0331/c192235-38145133.html": "he-38145133",
    "http://bj.people.com.cn/n2/2024/0301/c82838-40752147.html?from=groupmessage#comments":
        "bj-40752147",
    "http://tj.people.com.cn/n2/2022/0920/c375366-38804369-1.html": "tj-38804369",
    # the old catalog of a moved article (the site answers 301)
    "http://tj.people.com.cn/n2/2023/0608/c375555-40451127.html": "tj-40451127",
}


@pytest.mark.parametrize("form, article_id", FORMS.items())
def test_url_form_is_one_article(form, article_id):
    assert urls.article_id(form) == article_id
    canonical = urls.canonical_article_url(form)
    assert canonical.startswith("http://") and "?" not in canonical and "BIG5" not in canonical
    assert urls.page_number(canonical) == 1


def test_every_form_in_the_site_resolves_to_one_archived_row(site, sample_archive):
    db, _, requests = sample_archive
    declared = [u for spec in site.articles.values() for u in spec.get("related", [])]
    present = [f for f in FORMS if f in declared]
    assert len(present) == len(FORMS)
    archive = sqlite_utils.Database(db)
    for form, article_id in FORMS.items():
        assert archive["articles"].count_where("id = ?", [article_id]) == 1
        (n,) = archive.execute("select count(*) from links where to_url = ? and to_article = ?",
                               [urls.canonical_article_url(form), article_id]).fetchone()
        assert n >= 1, form
    fetched = Counter(urls.article_id(u) for _, u in requests if urls.is_article_url(u)
                      and urls.page_number(u) == 1)
    assert all(fetched[aid] <= 2 for aid in FORMS.values())  # 2 only for the 301 hop
    assert fetched["tj-40451127"] == 2 and fetched["he-40744627"] == 1


def test_reprints_are_grouped_under_the_earliest(sample_archive):
    db, _, _ = sample_archive
    archive = sqlite_utils.Database(db)
    reprint = archive["articles"].get("society-40746032")
    original = archive["articles"].get("he-40744627")
    assert reprint["reprint_of"] == "he-40744627" and original["reprint_of"] is None
    assert reprint["text_fingerprint"] == original["text_fingerprint"]
    assert archive["articles"].count_where("reprint_of is not null") == 1
