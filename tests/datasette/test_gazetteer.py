"""The gazetteer of Beijing, Tianjin and Hebei and its tagger."""

from __future__ import annotations

from collections import Counter

import pytest

from archive.gazetteer import gazetteer, read_places


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def test_every_unit_the_issue_names_is_there(g):
    children = Counter(p.parent for p in g.places.values())
    assert children["北京市"] == 16
    assert children["天津市"] == 16
    cities = [p for p in g.places.values() if p.kind == "city"]
    assert len(cities) == 11 and {p.parent for p in cities} == {"河北省"}
    assert {p.name for p in g.places.values() if p.parent == "雄安新区"} == {
        "容城县", "雄县", "安新县"}
    # Hebei's 167 county-level units: under its cities, and 雄安新区's three counties
    county_level = [p for p in g.places.values()
                    if p.parent in {c.name for c in cities} | {"雄安新区"}]
    assert len(county_level) == 167


def test_names_are_unique_and_parents_exist(g):
    places = read_places()
    assert len(places) == len({p.name for p in places})
    assert all(p.parent is None or p.parent in g.places for p in places)


def test_coordinates_lie_in_beijing_tianjin_hebei(g):
    for p in g.places.values():
        assert 36.0 < p.latitude < 42.7 and 113.4 < p.longitude < 119.9, p


@pytest.mark.parametrize(("text", "expected"), [
    ("北京城市副中心建设提速", ["通州区"]),
    ("通州与北三县", ["通州区"]),
    ("雄安新区设立", ["雄安新区"]),  # not 安新县, whose short name sits inside 雄安新区
    ("白洋淀在安新，雄县、容城县紧邻", ["安新县", "雄县", "容城县"]),
    ("河北区域协同发展", ["河北省"]),  # 河北区域 is a region of Hebei, not Tianjin's 河北区
    ("天津市河北区政府", ["天津市", "河北区"]),
    ("确保定期巡查，巩固安全成果", []),  # 保定 and 固安 across word boundaries
    ("保定和固安", ["保定市", "固安县"]),
    ("大兴调查研究之风", []),  # 大兴 alone is a verb, not the district
    ("北京大兴国际机场", ["大兴区"]),  # the longer spelling wins over 北京
    ("一张北京发行的卡", ["北京市"]),
    ("石家庄市桥西区和张家口桥西区", ["石家庄市桥西区", "张家口市桥西区"]),
])
def test_find(g, text, expected):
    assert [p.name for p in g.find(text)] == expected


def test_each_place_once_in_order_of_first_mention(g):
    assert [p.name for p in g.find("雄安、北京、雄安新区、北京市")] == ["雄安新区", "北京市"]
