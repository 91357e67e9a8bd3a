"""The text rules every people.cn template shares, on literal strings."""

import pytest

from peoplecn.pages import people_text as t


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
    ("「聚焦京津冀协同发展」系列报道之一", "聚焦京津冀协同发展"),
    ("聚焦京津冀协同发展（2）", "聚焦京津冀协同发展"),
    ("「雄安新区设立五周年」", "雄安新区设立五周年"),
    # kickers (引题) with no series mark are only pre-titles
    ("京津冀协同发展三周年", None),
    ("记者走基层", None),
    ("——写在《规划纲要》实施十周年之际", None),
    (None, None),
])
def test_series_from_pre_title(pre, series):
    assert t.series_from_pre_title(pre) == series


def test_print_edition_line():
    assert t.is_print_edition("《 人民日报 》（ 2024年02月26日 01 版）")
    assert not t.is_print_edition("《人民日报》报道了雄安新区的建设进展。")


@pytest.mark.parametrize("byline, people", [
    ("人民网记者  张  雷  李晓明", [("张雷", "人民网记者"), ("李晓明", "人民网记者")]),
    ("人民网记者 王磊 实习生 赵一然", [("王磊", "人民网记者"), ("赵一然", "实习生")]),
    ("本报记者王晓东", [("王晓东", "本报记者")]),
    ("记者贺航、陈蕊", [("贺航", "记者"), ("陈蕊", "记者")]),
    ("本报记者  王  昊  本报通讯员  李  娜", [("王昊", "本报记者"), ("李娜", "本报通讯员")]),
    ("人民网京津冀联合采访组", [("人民网京津冀联合采访组", None)]),
    ("新华社记者", []),
])
def test_contributors_keep_the_role(byline, people):
    assert [(c["name"], c["role"]) for c in t.contributors_from_byline(byline)] == people


def test_bylines_printed_elsewhere():
    assert t.byline_from_dateline("人民网石家庄2月24日电（记者贺航）“在保定") == "记者贺航"
    assert t.byline_from_dateline("新华社北京4月24日电　题：某某") is None
    assert t.byline_from_tail("合作与交流。（记者宋晨、田中全）") == "记者宋晨、田中全"
    assert t.byline_from_tail("合作与交流。（记者宋晨、胡\ufffd）") is None
    assert t.is_byline_line("新华社记者") and t.is_byline_line("本报记者  王  昊  宋  阳")
    assert not t.is_byline_line("记者从河北省了解到，今年全省新增就业岗位十万个以上。")


@pytest.mark.parametrize("line, names", [
    ("(责编：牛镛、岳弘彬)", ["牛镛", "岳弘彬"]),
    ("（责任编辑：王  洋、李明）", ["王洋", "李明"]),
    ("编辑： 王华军", ["王华军"]),
    ("【责任编辑：张雪】", ["张雪"]),
    ("（编辑：张雪 审核：李明）", ["张雪"]),
    ("(Web editor: Hongyu, Du Mingming)", ["Hongyu", "Du Mingming"]),
    ("(Web editor: Li Yan and Zhang Kai)", ["Li Yan", "Zhang Kai"]),
])
def test_editor_lines(line, names):
    assert t.editors_from_line(line) == names


@pytest.mark.parametrize("raw, outlet, channel", [
    ("人民网－人民日报", "人民日报", None),
    ("人民网-人民日报海外版", "人民日报海外版", None),
    ("人民网-河北频道", "人民网", "河北频道"),
    ("人民网－文化频道", "人民网", "文化频道"),
    ("人民网－人民雄安网", "人民雄安网", None),
    ("新华网", "新华网", None),
    ("", None, None),
])
def test_source_is_normalised(raw, outlet, channel):
    assert t.normalise_source(raw) == (outlet, channel)


@pytest.mark.parametrize("name, series", [
    ("「京津冀协同发展十年」系列报道", ("京津冀协同发展十年", None)),
    ("《京津冀协同发展十年》系列报道之三", ("京津冀协同发展十年", 3)),
    ("“京津冀协同发展十年” 系列", ("京津冀协同发展十年", None)),
    ("京津冀协同发展十年（5）", ("京津冀协同发展十年", 5)),
    ("京津冀 协同发展 十年 第十二篇", ("京津冀协同发展十年", 12)),
    ("「ＸＩＯＮＧＡＮ　２０３５」", ("XIONGAN 2035", None)),
    ("", (None, None)),
])
def test_series_names_have_one_spelling(name, series):
    assert t.normalise_series(name) == series


@pytest.mark.parametrize("title, series", [
    ("中国经济供需循环愈加畅通（锐财经·一手抓防疫  一手促发展(29)）", ("一手抓防疫一手促发展", 29)),
    ("三地社保卡互通（锐财经·京津冀协同发展十年（5））", ("京津冀协同发展十年", 5)),
    ("走进雄安（人民眼）", (None, None)),  # a column marker (column_from_title)
    ("某地发布新规（推动高质量发展·权威发布）", (None, None)),
    ("某地新规（京津冀协同发展十年系列报道）", ("京津冀协同发展十年", None)),
    ("雄安新貌（图）", (None, None)),
    ("雄安新貌（附视频）", (None, None)),
    ("雄安新区这五年（上）", (None, None)),
    ("雄安新貌(组图)", (None, None)),
])
def test_series_from_a_headline_suffix(title, series):
    assert t.series_from_title(title) == series


@pytest.mark.parametrize("title, column", [
    ("走进雄安（人民眼）", "人民眼"),
    ("某地发布新规（推动高质量发展·权威发布）", "推动高质量发展·权威发布"),
    ("三地社保卡互通（锐财经·京津冀协同发展十年（5））", "锐财经"),
    ("某地新规（京津冀协同发展十年系列报道）", None),
    ("雄安新貌（图）", None),
    ("雄安新貌", None),
])
def test_column_from_a_headline_suffix(title, column):
    assert t.column_from_title(title) == column


def test_source_in_title_marks_is_the_paper():
    assert t.normalise_source("人民网-《人民日报》") == ("人民日报", None)
    assert t.normalise_source("《经济日报》") == ("经济日报", None)


@pytest.mark.parametrize("line, byline", [
    ("（本报记者 王芳 李强）", "本报记者 王芳 李强"),
    ("(记者 赵一然)", "记者 赵一然"),
    ("本报记者  王  昊", "本报记者  王  昊"),
    ("（记者从河北省了解到，今年全省新增就业岗位十万个以上。）", None),
    ("（完）", None),
])
def test_a_paragraph_that_is_only_a_byline(line, byline):
    assert t.byline_only(line) == byline


def test_series_prefers_the_pre_title_then_the_title_then_a_topic():
    assert t.series_of("「甲系列」", "标题（乙·丙（2））", "丁") == ("甲", None)
    assert t.series_of(None, "标题（乙·丙（2））", "丁") == ("丙", 2)
    assert t.series_of(None, "标题", "丁") == ("丁", None)
    assert t.series_of("记者走基层", "标题（人民眼）") == (None, None)


@pytest.mark.parametrize("line, edition", [
    ("《 人民日报 》（ 2024年02月26日 01 版）", ("人民日报", "2024-02-26", "01")),
    ("《人民日报海外版》（2019年3月5日第A05版）", ("人民日报海外版", "2019-03-05", "A05")),
    ("《人民日报》报道了雄安新区的建设进展。", None),
    ("《 人民日报 》（ 2024年02月30日 01 版）", None),
])
def test_print_edition_parts(line, edition):
    assert t.print_edition(line) == edition


@pytest.mark.parametrize("caption, credit", [
    ("商户在闭市前整理货物。人民网记者 毛婧摄", "人民网记者 毛婧"),
    ("北京艺术中心外景。（张沐阳 摄）", "张沐阳"),
    ("雄安站全景。新华社记者 李明 摄", "新华社记者 李明"),
    ("A train in Xiong'an. (Photo/Xinhua)", "Photo/Xinhua"),
    ("雄安新区航拍。", None),
    (None, None),
])
def test_photo_credits(caption, credit):
    assert t.credit_from_caption(caption) == credit
