"""What each page in ../shared/corpus/raw says, read off the page by hand (third-party pages:
long texts only as SHA-256 and a prefix of under 20 characters, never copied here).

Shared by tests/spiders/test_pages_corpus.py and benchmarks/extraction_accuracy.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

RAW = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "raw"


def sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:16]


ARTICLES = {
    "people_politics_article_2024_0424_fundus.html": dict(
        url="http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
        template="people_2020",
        title=("促进航天技术更好惠及人民——", "9ff6e25cacf4e00d"),  # U+2015 in the file → U+2014
        published_at="2024-04-24T23:52:00+08:00",
        date_method="date_line",
        channel="时政",
        source="新华网",
        source_channel=None,
        source_url="http://www.news.cn/20240424/b3e483975ed64224afba3567f940a0b0/c.html",
        # wire copy: the byline is a body paragraph holding only the role
        byline="新华社记者",
        authors=[],
        editors=["牛镛", "岳弘彬"],
        series=None,
        paragraph_count=11,  # 12 <p> with text, less the byline paragraph
        first=("新华社北京4月24日电", "3f9385c028163774"),
        last=("对于习近平主席贺信中", "daee3edb8626fb94"),
        images=[],
        related=[],
        recommended=[],
        page_urls=0,
        language="zh",
        charset=("utf-8", "gb2312"),
        # The upstream fixture was decoded with the strict GB2312 codec: two U+FFFD remain in
        # the last paragraph. The reader must flag that, not hide it.
        mojibake=True,
    ),
    "people_culture_article_2019_0615_gne.html": dict(
        url="http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html",
        template="people_2016",
        title=("女儿出嫁，郑板桥", "a887c18cde8aeaa1"),
        published_at="2019-06-15T08:18:00+08:00",
        date_method="date_line",
        channel="文化",
        source="人民网",
        source_channel="文化频道",  # printed 人民网-文化频道
        source_url="http://culture.people.com.cn/",
        byline=None,
        authors=[],
        editors=["汤诗瑶", "丁涛"],
        series="文艺星青年",  # the body opens with a link to that column: 点击进入“文艺星青年”>>
        paragraph_count=27,  # 28 <p> with text, less the "点击进入…>>" channel promo
        first=("父亲的教诲像一盏灯", "4a272b98986bad25"),
        last=("虽然，东方朔为人洒脱", "487db550ca0ff4e2"),
        images=[(None, None), (None, None)],  # two photos, no captions
        related=[
            "http://sn.people.com.cn/n2/2019/0215/c378296-32641594.html",
            "http://gx.people.com.cn/n2/2018/1226/c229131-32456513.html",
            "http://jx.people.com.cn/n2/2018/0817/c355202-31945369.html",
            "http://sn.people.com.cn/n2/2018/0516/c378296-31586983.html",
        ],
        recommended=[
            "http://culture.people.com.cn/GB/22226/421076/index.html",
            "http://culture.people.com.cn/GB/22226/422341/index.html",
        ],
        page_urls=4,
        language="zh",
        charset=("utf-8", "gb2312"),
        mojibake=False,
    ),
    "people_en_article_2022_1123_fragment.html": dict(
        url="http://en.people.cn/n3/2022/1123/c90000-10175286.html",
        template="people_en",
        title=("Monitoring system", "38aabbc5fb60eab1"),
        published_at="2022-11-23T11:35:00+08:00",
        date_method="date_line",
        channel=None,  # the fragment's crumbs hold only "Home"
        source="People's Daily Online",
        source_channel=None,
        source_url="http://en.people.cn/",
        byline=None,
        authors=[],
        editors=["Hongyu", "Du Mingming"],  # (Web editor: …)
        series=None,
        paragraph_count=13,
        first=("Since it was establi", "690705ddd0c12ecb"),
        last=("Thanks to this techn", "9a481f3c374acc7b"),
        # both captions end in the same credit
        images=[("Photo shows a Siber",
                 "People’s Daily Online/courtesy of the National Forestry and Grassland "
                 "Administration"),
                ("Photo shows an Amur",
                 "People’s Daily Online/courtesy of the National Forestry and Grassland "
                 "Administration")],
        related=[],
        recommended=[],
        page_urls=0,
        language="en",
        charset=("utf-8", None),  # a fragment: nothing declared
        mojibake=False,
    ),
    "other_xinhua_hebei_article_2012_0611_wayback.html": dict(
        url="http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm",
        template="generic",
        title=("话剧《约定无期限》", "c469341b417821b9"),
        published_at="2012-06-04T09:20:26+08:00",
        date_method="date_line",
        channel=None,
        source="河北日报",  # 稿件来源： 河北日报
        source_channel=None,
        source_url=None,
        byline="记者王敬照",  # 作者： 记者王敬照
        authors=["王敬照"],
        editors=["王华军"],  # 编辑： 王华军
        series=None,
        paragraph_count=6,
        first=("一个约定，信守15年", "1c8c3efe4e3cb518"),
        last=("如今，向河北农大果树", "94488190717e33f7"),
        images=[],
        related=[],
        recommended=[],
        page_urls=0,
        language="zh",
        charset=("gb18030", "gb2312"),  # the only raw GB2312 bytes in the corpus
        mojibake=False,
    ),
}

# Pages that are not one article: each must give a typed NotAnArticle error.
NOT_ARTICLES = {
    "people_finance_list_2020_0320_index2_fragment.html":
        "http://finance.people.com.cn/GB/70846/index2.html",
    "people_homepage_fragment_headlines_2026_1004.html": "http://www.people.com.cn/",
    "people_homepage_fragment_yaowenbobao_2026_1003.html": "http://www.people.com.cn/",
    "people_politics_rss_2020_0825_partial.xml": "http://www.people.com.cn/rss/politics.xml",
}
