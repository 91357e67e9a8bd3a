"""A large sample site for the benchmarks: N generated articles on people.cn URLs, rendered by
sample_site's own templates into a SampleSite, so the ReplayServer serves it unchanged.

Deterministic (same N and seed, same bytes). The text is random but plausible Chinese news
prose built from the vocabulary below, every word of it written for this project; never put
text from real pages here. Bump GENERATOR_VERSION whenever the output changes (it keys caches).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sample_site.lists import ListSpec
from sample_site.site import SampleSite

GENERATOR_VERSION = 1

# Channels: host, URL generation (n1/n2), catalog ids, breadcrumb channel, source outlet.
CHANNELS = [
    ("he.people.com.cn", "n2", (192235, 192236, 197051), "河北频道", "人民网－河北频道"),
    ("bj.people.com.cn", "n2", (233088, 14540, 82840), "北京频道", "人民网－北京频道"),
    ("tj.people.com.cn", "n2", (375366, 375555), "天津频道", "人民网－天津频道"),
    ("politics.people.com.cn", "n1", (1001, 1024), "时政", "人民网－时政频道"),
    ("finance.people.com.cn", "n1", (1004, 1037), "财经", "人民网－财经频道"),
    ("society.people.com.cn", "n1", (1008, 1062), "社会", "人民网－社会频道"),
]
PLACES = ["北京", "天津", "河北", "雄安新区", "通州区", "廊坊", "保定", "唐山", "张家口", "承德",
          "沧州", "石家庄", "滨海新区", "大兴", "武清", "固安", "白洋淀", "曹妃甸", "北三县",
          "燕郊", "宝坻", "秦皇岛", "衡水", "邢台", "邯郸", "亦庄", "顺义", "静海"]
OTHER_PLACES = ["成都", "昆明", "福州", "西安", "兰州", "南宁", "贵阳", "长沙", "合肥", "太原"]
TOPIC_WORDS = ["京津冀协同发展", "雄安新区建设", "城市副中心", "协同发展", "京津冀一体化",
               "非首都功能疏解", "交通一体化", "生态环境联防联治", "产业协同"]
SUBJECTS = ["当地政府", "有关部门", "三地人社部门", "区住建委", "市交通委", "园区管委会",
            "一批科技企业", "医院管理团队", "学校教师", "社区工作者", "基层干部", "施工单位",
            "村里的合作社", "物流企业", "志愿者队伍", "新区管委会", "省发展改革委", "多家银行"]
VERBS = ["加快推进", "稳步实施", "全面启动", "持续优化", "集中攻坚", "统筹部署", "深入开展",
         "着力打造", "积极探索", "协同建设", "大力支持", "有序推动", "扎实做好", "率先试点"]
OBJECTS = ["轨道交通网络", "跨省公交线路", "异地就医结算", "社保卡一卡通", "产业园区配套",
           "职业教育合作", "生态补水工程", "智慧城市平台", "老旧小区改造", "农产品物流配送",
           "科技成果转化", "营商环境改革", "文化旅游线路", "医疗联合体", "新能源示范项目",
           "河道综合治理", "人才公寓建设", "创新券互认", "港口集疏运体系", "数据共享机制"]
RESULTS = ["群众获得感不断增强", "通勤时间明显缩短", "企业办事更加便利", "项目进度好于预期",
           "服务覆盖范围持续扩大", "各项指标稳中向好", "百姓看病少跑了路", "水质逐年改善",
           "新增就业岗位数千个", "区域合作更加紧密", "投资规模再创新高", "居民出行更加方便"]
OPENERS = ["记者从{place}获悉，", "近日，", "今年以来，", "截至目前，", "据介绍，", "走进{place}，",
           "在{place}，", "记者了解到，", "{month}月以来，", "过去一年，"]
QUOTES = ["“我们的目标是让群众少跑腿、多办事。”", "“这样的变化，大家都看在眼里。”",
          "“下一步还要在细节上下功夫。”", "“项目建成后，周边居民将直接受益。”",
          "“合作越深入，机会就越多。”", "“每一步都要走得扎实。”"]
ROLES = ["负责人", "工作人员", "项目经理", "居民", "企业代表", "老师", "医生", "村支书"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "文华明国建立军平志红晓海东新宇子思雨嘉航佳欣浩然晨阳雪梅一凡丽娜俊峰"
COLUMN = "京津冀"  # the list column of on-topic articles (one channel list per host)
EDITORS = ["陈思远", "郭楠", "方彤", "付兆莎", "李晓明", "孙嘉宁", "吴一凡", "赵雨晨"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _sentence(rng: random.Random, places: list[str], topical: bool) -> str:
    place = rng.choice(places)
    opener = rng.choice(OPENERS).format(place=place, month=rng.randint(1, 12))
    parts = [f"{opener}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"]
    if topical and rng.random() < 0.35:
        parts.append(f"围绕{rng.choice(TOPIC_WORDS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}")
    if rng.random() < 0.6:
        parts.append(f"{rng.choice(RESULTS)}")
    if rng.random() < 0.3:
        parts.append(f"累计完成投资{rng.randint(2, 980)}亿元")
    text = "，".join(parts) + "。"
    if rng.random() < 0.15:
        text += f"{place}一位{rng.choice(ROLES)}{_name(rng)}说：{rng.choice(QUOTES)}"
    return text


def _paragraph(rng: random.Random, places: list[str], topical: bool) -> str:
    return "\u3000\u3000" + "".join(_sentence(rng, places, topical)
                                    for _ in range(rng.randint(2, 5)))


def _url(rng: random.Random, channel: tuple, when: datetime, content_id: int) -> str:
    host, gen, catalogs, *_ = channel
    return (f"http://{host}/{gen}/{when:%Y}/{when:%m%d}/c{rng.choice(catalogs)}-"
            f"{content_id}.html")


def generate_specs(n: int, seed: int = 7) -> tuple[str, dict[str, dict]]:
    """(seed URL, {page-1 URL → article spec}) for an n-article site.

    Link structure: relevant articles form a 5-ary tree by index (every one reachable within
    ~log5(n) hops of the seed) plus random cross links, which the crawl meets again and again;
    about 8% are off-topic leaves, linked from relevant articles but linking nowhere new.
    """
    rng = random.Random(seed)
    start = datetime(2014, 2, 26, 8, 0)
    span = (datetime(2025, 6, 30) - start).total_seconds()
    metas = []
    for i in range(n):
        channel = CHANNELS[0] if i == 0 else rng.choice(CHANNELS)
        when = start + timedelta(seconds=rng.random() * span)
        relevant = i == 0 or rng.random() > 0.08
        metas.append((channel, when.replace(second=0, microsecond=0), relevant))
    ids = rng.sample(range(30_000_000, 40_000_000), n)
    urls = [_url(rng, m[0], m[1], ids[i]) for i, m in enumerate(metas)]
    relevant = [i for i, m in enumerate(metas) if m[2]]
    off_topic = [i for i, m in enumerate(metas) if not m[2]]
    children: dict[int, list[int]] = {i: [] for i in range(n)}
    for pos, i in enumerate(relevant[1:], 1):
        children[relevant[(pos - 1) // 5]].append(i)
    for i in off_topic:
        children[rng.choice(relevant)].append(i)
    specs = {}
    for i, (channel, when, topical) in enumerate(metas):
        places = PLACES if topical else OTHER_PLACES
        links = [urls[c] for c in children[i]]
        if topical:
            links += [urls[rng.randrange(n)] for _ in range(rng.randint(1, 4))]
        links = list(dict.fromkeys(u for u in links if u != urls[i]))
        rng.shuffle(links)
        n_rec = min(len(links), rng.randint(0, 3))
        paragraphs: list = [_paragraph(rng, places, topical) for _ in range(rng.randint(5, 14))]
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                pic = (f"/NMediaFile/{when:%Y}/{when:%m%d}/LOCAL{when:%Y%m%d%H%M}"
                       f"{rng.randint(100, 999)}.jpg")
                caption = (f"{rng.choice(places)}{rng.choice(OBJECTS)}现场。"
                           f"人民网记者 {_name(rng)}摄")
                paragraphs.insert(rng.randint(1, len(paragraphs)), {"img": pic,
                                                                    "caption": caption})
        pages = []
        if rng.random() < 0.03:  # a multi-page article
            pages = [paragraphs[len(paragraphs) // 2:]]
            paragraphs = paragraphs[: len(paragraphs) // 2]
        title_place = rng.choice(places)
        title = f"{title_place}{rng.choice(VERBS)}{rng.choice(OBJECTS)} {rng.choice(RESULTS)}"
        if topical and rng.random() < 0.5:
            title = f"{rng.choice(TOPIC_WORDS)}：{title}"
        template = "2020" if when.year >= 2019 or rng.random() < 0.3 else "2016"
        spec = {
            "url": urls[i],
            "template": template,
            "charset": "gbk" if template == "2016" and rng.random() < 0.6 else "utf-8",
            "relevant": topical,
            "channel": channel[3],
            "column": COLUMN if topical else "综合",
            "title": title,
            "byline": f"人民网记者 {_name(rng)} {_name(rng)}" if rng.random() < 0.7 else "",
            "published": f"{when:%Y-%m-%d %H:%M}",
            "source": channel[4],
            "source_url": f"http://{channel[0]}/",
            "editors": rng.sample(EDITORS, 2),
            "keywords": " ".join(rng.sample(TOPIC_WORDS, 2)) if topical else "",
            "body": paragraphs,
            "related": links[n_rec:],
            "recommended": [{"url": u, "summary": _sentence(rng, places, topical)}
                            for u in links[:n_rec]],
        }
        if pages:
            spec["pages"] = pages
        specs[urls[i]] = spec
    return urls[0], specs


def list_urls() -> dict[str, str]:
    """host → URL of its 京津冀 column list, for the regional channels."""
    return {host: f"http://{host}/GB/{catalogs[0]}/index.html"
            for host, gen, catalogs, *_ in CHANNELS if gen == "n2"}


def build_big_site(n: int, seed: int = 7) -> SampleSite:
    seed_url, specs = generate_specs(n, seed)
    listings = [ListSpec(url=url, title=f"{COLUMN}·{host.split('.')[0]}", kind="list",
                         layout="list_16", page_size=40, host=host, columns=(COLUMN,))
                for host, url in list_urls().items()]
    site = SampleSite(seed=seed_url, articles=specs, listings=listings)
    site._render()  # noqa: SLF001 (SampleSite renders itself; build_site does the same)
    return site


def add_new_articles(site: SampleSite, share: float, seed: int = 11) -> list[str]:
    """Publish `share` × the site's size new on-topic articles (newer than all others, on the
    regional channels, so their column lists show them first); each is linked from an older
    article's page. Returns the new URLs."""
    rng = random.Random(seed)
    count = max(1, round(len(site.articles) * share))
    _, fresh = generate_specs(count + 1, seed=seed)
    old = [u for u, s in site.articles.items() if s["relevant"]]
    regional = [c for c in CHANNELS if c[1] == "n2"]
    added = []
    for i, spec in enumerate(list(fresh.values())[1:]):
        channel = regional[i % len(regional)]
        when = datetime(2025, 7, 1, 9, 0) + timedelta(minutes=7 * i)
        url = _url(rng, channel, when, 40_000_001 + i)
        spec.update(url=url, relevant=True, column=COLUMN, channel=channel[3],
                    source=channel[4], source_url=f"http://{channel[0]}/",
                    published=f"{when:%Y-%m-%d %H:%M}",
                    related=[rng.choice(old)], recommended=[])
        spec["title"] = f"{rng.choice(TOPIC_WORDS)}：{spec['title']}"
        site.articles[url] = spec
        site.articles[rng.choice(old)].setdefault("related", []).append(url)
        added.append(url)
    site._render()  # noqa: SLF001
    return added


def depth_needed(n: int) -> int:
    """Link hops from the seed that reach every relevant article of an n-article site."""
    hops, reach, level = 0, 1, 1
    while reach < n:
        level *= 5
        reach += level
        hops += 1
    return hops + 1  # + the off-topic leaves hanging from the deepest articles
