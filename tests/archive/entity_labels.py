"""Hand labels of the people, organisations and policy documents named in the real pages of
../shared/corpus/raw (third-party pages: only names and titles here, never their text), read
off each page by us, and the way each page's text is read for the extractor. Shared by
tests/archive/test_entities.py and benchmarks/entity_accuracy.py.

Labelling rules (docs/extraction.md): a person is any real, named person (reporters of the
byline and of 记者 credits included; characters of a play or a poem not); an organisation is a
named body as written — a sub-unit named after its parent is its own name (中国国家航天局 |
国际合作司), a short form counts as written (供排水集团), a website or an event does not; a
document is a policy document, plan, law or agreement, never a newspaper, book, poem, play or
painting. The outlet of a wire dateline (新华社北京…电) is the source, not a mention.
"""

from __future__ import annotations

from pathlib import Path

from archive.entities import KINDS, mentions_in

RAW = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "raw"

ARTICLE_URLS = {
    "people_politics_article_2024_0424_fundus.html":
        "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
    "people_culture_article_2019_0615_gne.html":
        "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html",
    "other_xinhua_hebei_article_2012_0611_wayback.html":
        "http://he.xinhuanet.com/content_25340717.htm",
}

# page → how its text is read → labels. "article": the page reader's record; "rss:N": the
# N-th item's title and description text; "links": the text of every link (list fragments).
LABELS = {
    ("people_politics_article_2024_0424_fundus.html", "article"): {
        "people": {"习近平", "姚建廷", "阎敏", "罗满月", "泰勒斯", "姚颂", "吴伟仁", "李金坤",
                   "米歇尔·布兰", "宋晨", "田中全"},
        "organisations": {"中国国家航天局", "国际合作司", "中国航天科工航天三江江北公司",
                          "南京航空航天大学", "东方空间", "湖北省国防科工办",
                          "法国天体物理学与行星学研究所"},
        "documents": set(),
    },
    ("people_culture_article_2019_0615_gne.html", "article"): {
        "people": {"郑板桥", "陆游", "陆聿", "东方朔", "陈廷焯"},
        "organisations": set(),
        "documents": set(),  # 《冬夜读书示子聿》《诫子诗》 are poems
    },
    ("other_xinhua_hebei_article_2012_0611_wayback.html", "article"): {
        "people": {"王敬照", "王贵鹏", "张晓阳", "王慧杰"},
        "organisations": {"省委宣传部", "沧州市委宣传部", "河北农业大学", "河北农大",
                          "沧州市供排水集团有限公司", "大浪淀水库管理处", "供排水集团",
                          "河北大学", "保定学院", "石家庄学院"},
        "documents": set(),  # 《约定无期限》 is a play
    },
    ("people_politics_rss_2020_0825_partial.xml", "rss:0"): {
        "people": {"郑海鸥", "谢金英", "娜赖依", "周庆富"},
        "organisations": {"文化和旅游部", "中央文化和旅游管理干部学院", "国际交流与合作局",
                          "尼日利亚新闻和文化部", "国际旅游司", "中国旅游研究院",
                          "中国社会科学院", "旅游研究中心", "北京大学"},
        "documents": {"中非合作论坛--北京行动计划（2019-2021年）"},
    },
    ("people_politics_rss_2020_0825_partial.xml", "rss:1"): {
        "people": {"李伟"},
        "organisations": {"北京市政协", "中央纪委国家监委", "中央民族学院", "北京市政府办公厅",
                          "北京市政府", "市政府办公厅", "市政府驻海南省办事处",
                          "市政府宽沟招待所", "市委", "政法委"},
        "documents": set(),
    },
    ("people_politics_rss_2020_0825_partial.xml", "rss:2"): {
        "people": {"戴小河"},
        "organisations": {"水利部"},
        "documents": set(),
    },
    ("people_finance_list_2020_0320_index2_fragment.html", "links"): {
        "people": {"朱虹", "孔祥文", "王智海", "张玉清"},
        "organisations": {"天津港", "天津港集团", "莱克电气公司", "莱克电气", "潍柴动力",
                          "长兴机械", "上海农商银行", "上海市青少年发展基金会",
                          "共青团上海市委员会", "上海市青年联合会",
                          "上海市青少年服务和权益保护办公室", "少先队上海市工作委员会",
                          "美联储"},
        "documents": set(),
    },
    ("people_homepage_fragment_yaowenbobao_2026_1003.html", "links"): {
        "people": set(),
        "organisations": {"最高法", "教育部", "司法部", "民政部", "商务部", "联合国安理会"},
        "documents": set(),  # 《千里江山图》 is a painting
    },
    ("people_homepage_fragment_headlines_2026_1004.html", "links"): {
        "people": set(),
        "organisations": set(),
        "documents": set(),  # 《西游记》 is a novel
    },
}


def page_fields(name: str, reading: str) -> tuple[dict, list[str]]:
    """({field: text}, byline authors) of one labelled page, read as its label says."""
    import lxml.etree
    import lxml.html

    from peoplecn.pages import parse_article

    data = (RAW / name).read_bytes()
    if reading == "article":
        article = parse_article(ARTICLE_URLS[name], data)
        return ({"title": article.title, "byline": article.byline,
                 "body": "\n\n".join(article.paragraphs)}, article.authors)
    if reading.startswith("rss:"):
        item = list(lxml.etree.fromstring(data).iter("item"))[int(reading[4:])]
        description = lxml.html.fromstring("<div>" + (item.findtext("description") or "")
                                           + "</div>").text_content()
        return {"title": item.findtext("title"), "body": description}, []
    root = lxml.html.fromstring(data.decode("utf-8"))
    texts = [a.text_content().strip() for a in root.iter("a") if a.text_content().strip()]
    return {"body": "\n\n".join(texts)}, []


def score(pages) -> dict[str, dict]:
    """pages: [(label, {kind: gold names}, {kind: found names})] → per kind tp, fp, fn and
    the false positives and misses by name."""
    out = {kind: {"tp": 0, "fp": [], "fn": []} for kind in KINDS}
    for label, gold, found in pages:
        for kind in KINDS:
            out[kind]["tp"] += len(found[kind] & gold[kind])
            out[kind]["fp"] += [f"{n} ({label})" for n in sorted(found[kind] - gold[kind])]
            out[kind]["fn"] += [f"{n} ({label})" for n in sorted(gold[kind] - found[kind])]
    for s in out.values():
        tp, fp, fn = s["tp"], len(s["fp"]), len(s["fn"])
        s["precision"] = tp / (tp + fp) if tp + fp else None
        s["recall"] = tp / (tp + fn) if tp + fn else None
    return out


def found_names(fields: dict, authors: list[str]) -> dict[str, set[str]]:
    mentions = mentions_in(fields, authors=authors)
    return {kind: {m.name for m in mentions if m.kind == kind} for kind in KINDS}


def real_pages():
    if not RAW.exists():
        return None
    pages = []
    for (name, reading), gold in LABELS.items():
        fields, authors = page_fields(name, reading)
        pages.append((f"{name}:{reading}", gold, found_names(fields, authors)))
    return pages


def sample_pages():
    from sample_entity_labels import LABELS, sample_fields

    return [(name, gold, found_names(*sample_fields(name))) for name, gold in LABELS.items()]
