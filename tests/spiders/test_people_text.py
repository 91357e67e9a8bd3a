"""The text rules every people.cn template shares, on literal strings."""

import pytest

from spiders.pages import people_text as t


@pytest.mark.parametrize("byline, names", [
    ("人民网记者  张  雷  李晓明", ["张雷", "李晓明"]),
    ("本报记者  王晓东  刘  洋", ["王晓东", "刘洋"]),
    ("新华社记者  李  明", ["李明"]),
    ("人民网记者 王磊 实习生 赵一然", ["王磊", "赵一然"]),
    ("本报记者王晓东", ["王晓东"]),
    ("人民网京津冀联合采访组", ["人民网京津冀联合采访组"]),
    ("", []),
    (None, []),
])
def test_authors_from_byline(byline, names):
    assert t.authors_from_byline(byline) == names


@pytest.mark.parametrize("line, iso", [
    ("2024年02月25日18:19 | 来源：", "2024-02-25T18:19:00+08:00"),
    ("2019年6月5日8:08\xa0\xa0来源：", "2019-06-05T08:08:00+08:00"),
    ("来源：人民网", None),
])
def test_datetime_from_line(line, iso):
    assert t.datetime_from_line(line) == iso


def test_editors_from_line():
    assert t.editors_from_line("(责编：牛镛、岳弘彬)") == ["牛镛", "岳弘彬"]
    assert t.editors_from_line("（责编：方彤）") == ["方彤"]
    assert t.editors_from_line("no editors here") == []


def test_title_and_channel_from_head():
    head = "雄安新区新貌--河北频道--人民网 "
    assert t.title_from_head(head) == "雄安新区新貌"
    assert t.channel_from_head(head) == "河北频道"


@pytest.mark.parametrize("pre, series", [
    ("「京津冀协同发展十年」系列报道", "京津冀协同发展十年"),
    ("京津冀协同发展三周年", "京津冀协同发展三周年"),
    (None, None),
])
def test_series_from_pre_title(pre, series):
    assert t.series_from_pre_title(pre) == series


def test_print_edition_line():
    assert t.is_print_edition("《 人民日报 》（ 2024年02月26日 01 版）")
    assert not t.is_print_edition("《人民日报》报道了雄安新区的建设进展。")
