"""Hand labels of the people, organisations and documents named in some of the sample site's
articles (sample_site/content/, text we wrote), by the rules of entity_labels.py. Shared by
tests/archive/test_entities.py and benchmarks/entity_accuracy.py."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[2] / "sample_site" / "content"

LABELS = {
    "he-2014-strategy.toml": {
        "people": {"史力", "刘卫东"}, "organisations": set(), "documents": set()},
    "bj-2016-yanjiao-medical.toml": {
        "people": {"秦川", "祁淑琴"},
        "organisations": {"北京医院", "燕郊医院", "北京市卫生计生委"}, "documents": set()},
    "bj-2022-xiongan-schools-hospital.toml": {
        "people": {"程蕾", "罗俊峰", "姜雨晴"},
        "organisations": {"北海幼儿园", "史家胡同小学", "北京四中", "宣武医院",
                          "首都医科大学宣武医院"},
        "documents": set()},
    "bj-2024-innovation.toml": {
        "people": {"程蕾", "邱明远"},
        "organisations": {"北京市科委", "中关村管委会", "京津冀国家技术创新中心"},
        "documents": set()},
    "finance-2024-industry-chains.toml": {
        "people": {"王芳", "李强"}, "organisations": {"北京市发展改革委", "氢能产业联盟"},
        "documents": set()},
    "he-2023-sscard-museum.toml": {
        "people": {"贺航", "陈蕊", "阎晓峰"},
        "organisations": {"河北省人力资源和社会保障厅", "河北博物院", "省图书馆",
                          "河北省人社厅"},
        "documents": set()},
    "bj-2021-dual-teacher.toml": {
        "people": {"周洁", "董悦", "席晓丽"}, "organisations": {"海淀区教委", "北京市教委"},
        "documents": set()},
    "bj-2019-daxing-airport.toml": {  # airports are places here, not bodies
        "people": {"程蕾", "童家伟", "吉海燕"}, "organisations": set(), "documents": set()},
}


def sample_fields(name: str) -> tuple[dict, list[str]]:
    """({field: text}, byline authors) of a sample article, as the page reader gives them."""
    from peoplecn.pages.people_text import authors_from_byline, clean

    data = tomllib.loads((CONTENT / name).read_text("utf-8"))
    paragraphs = [clean(p) for p in data.get("body", []) if isinstance(p, str) and clean(p)]
    byline = data.get("byline")
    return ({"title": data.get("title"), "byline": byline, "body": "\n\n".join(paragraphs)},
            authors_from_byline(byline))
