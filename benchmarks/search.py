"""Search benchmark: p50/p95 latency of 1-, 2- and 4-character Chinese and of English queries
through Datasette (make_datasette, `?_search=` with our escape_fts plugin, in-process ASGI
client) at 100k and 1M articles, against a LIKE scan of the same table: the bare search (JSON),
the articles list page a researcher sees (HTML, with every facet, counted in one pass), the
same page with Datasette's own facets (one query per facet: the baseline of the one-pass
facets), the ranked search page, and the per-month counts of a search (/-/timeline).

The big archives are built directly (sqlite-utils insert_all + archive.search.index_text), not
crawled, and cached in benchmarks/.cache/ keyed by generator version and size.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from archive.schema import open_archive
from archive.search import SEARCH_TABLE, fts_query, index_text
from benchmarks.common import CACHE, Table, goal, median, say
from benchmarks.sitegen import (
    CHANNELS,
    OPENERS,
    OTHER_PLACES,
    PLACES,
    RESULTS,
    SUBJECTS,
    TOPIC_WORDS,
    VERBS,
)
from benchmarks.sitegen import _name as person

QUERIES = [  # (kind, query)
    ("1 character", "冀"),
    ("1 character", "港"),
    ("2 characters", "雄安"),
    ("2 characters", "港口"),
    ("4 characters", "协同发展"),
    ("4 characters", "异地就医"),
    ("English", "Xiongan"),
    ("English", "hydrogen"),
]
ENGLISH = ["Xiongan New Area", "Beijing-Tianjin-Hebei", "coordinated development", "Tongzhou",
           "rail transit", "hydrogen energy", "medical cooperation", "port logistics",
           "innovation vouchers", "ecological restoration", "Baiyangdian Lake", "the capital"]
BATCH = 5000
TEXT_VERSION = 3  # bump when the generated text changes: it keys the cached archives
TOPIC_LABELS = ["交通一体化", "产业转移与协作", "疏解非首都功能", "生态环境", "公共服务：教育",
                "公共服务：医疗卫生", "科技创新", "文化旅游"]
SERIES = ["京津冀协同发展十年", "雄安新区设立五周年", "记者走基层", "聚焦京津冀协同发展"]
PLACE_NAMES = ["北京市", "天津市", "河北省", "雄安新区", "通州区", "廊坊市", "保定市", "唐山市",
               "张家口市", "承德市", "石家庄市", "沧州市", "容城县", "安新县", "雄县", "滨海新区"]


# The search archive's text: each article writes about a handful of words drawn from a large
# vocabulary (two morphemes each), so a word appears in a few per cent of articles, as real
# terms do, while the sentence frames (shared by all) play the part of common words.
MORPH_A = ("港口 物流 医疗 教育 交通 轨道 生态 湿地 水系 农业 文旅 科技 金融 数据 能源 氢能 "
           "光伏 制造 园区 社区 养老 托育 就业 人才 社保 住房 供暖 供水 环保 大气 森林 草原 "
           "旅游 体育 冰雪 文化 非遗 博物 图书 商贸 口岸 航空 机场 高铁 公交 地铁 公路 桥梁 "
           "隧道 码头 仓储 冷链 电商 直播 芯片 软件 算力 医药 器械 种业 蔬菜 果品 奶业 畜牧 "
           "渔业 林业 地质 气象 应急 消防 安全 司法 税务 海关 市场 质量 标准 专利 创业 孵化 "
           "基金 债券 保险 信贷 普惠 乡村 县域 街道 楼宇 管网 电网 储能 风电 环卫 垃圾 污水 "
           "河长 绿道 公园 校园 课堂 教研 学科 职教 高校 实验 检测 诊疗 急救 康复 中医 疾控"
           ).split()
MORPH_B = ("建设 改造 升级 合作 联动 规划 试点 示范 服务 保障 监管 治理 提升 转型 创新 融合 "
           "布局 项目 工程 平台 中心 基地 走廊 集群 网络 体系 机制 标准 清单 指南 方案 行动 "
           "计划 专班 联盟 协会 论坛 展会 大赛 课程 队伍 窗口 专线 枢纽 节点 链条 配套 用地 "
           "审批 备案 结算 互认 共享 直通 一体 同城 外迁 疏解 承接 落地 投产 开工 竣工 验收"
           ).split()
RARE = ["异地就医", "跨省通办", "双师课堂", "一卡通行", "同城待遇"]
EXTRA_PLACES = ("安新 容城 雄县 涿州 三河 大厂 香河 怀来 张北 崇礼 迁安 遵化 黄骅 任丘 霸州 "
                "平谷 密云 延庆 昌平 房山 门头沟 蓟州 宁河 东丽 西青 津南 北辰 南开 河西").split()


def _article_text(rng: random.Random, topical: bool) -> tuple[str, str]:
    words = [rng.choice(MORPH_A) + rng.choice(MORPH_B) for _ in range(rng.randint(5, 9))]
    if rng.random() < 0.03:
        words.append(rng.choice(RARE))
    places = rng.sample(PLACES if topical else OTHER_PLACES, 2) + rng.sample(EXTRA_PLACES, 2)
    topic = rng.choice(TOPIC_WORDS) if topical and rng.random() < 0.4 else None
    paragraphs = []
    for _ in range(rng.randint(5, 12)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            opener = rng.choice(OPENERS).format(place=rng.choice(places),
                                                month=rng.randint(1, 12))
            text = f"{opener}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(words)}"
            if topic and rng.random() < 0.2:
                text += f"，围绕{topic}{rng.choice(VERBS)}{rng.choice(words)}"
            if rng.random() < 0.5:
                text += f"，{rng.choice(RESULTS)}"
            sentences.append(text + "。")
        paragraphs.append("".join(sentences))
    title = f"{places[0]}{rng.choice(VERBS)}{words[0]} {rng.choice(RESULTS)}"
    return title, "\n\n".join(paragraphs)


def _rows(start: int, count: int, rng: random.Random):
    for i in range(start, start + count):
        channel = CHANNELS[i % len(CHANNELS)]
        year, month = 2014 + i % 12, 1 + (i * 7) % 12
        if i % 20 == 0:  # an English article now and then (en.people.cn)
            words = [rng.choice(ENGLISH) for _ in range(rng.randint(60, 160))]
            title = f"{rng.choice(ENGLISH)} sees {rng.choice(ENGLISH)} progress"
            body = " ".join(words) + "."
            language = "en"
        else:
            title, body = _article_text(rng, topical=i % 12 != 0)
            language = "zh"
        content_id = 60_000_000 + i
        # The list columns and series the crawler's enrichment fills, so facets count real
        # values (places, topics, editors as JSON lists; a series for 1 article in 20).
        places = rng.sample(PLACE_NAMES, rng.randint(1, 5))
        topics = rng.sample(TOPIC_LABELS, rng.randint(0, 2))
        editors = [person(rng) for _ in range(rng.randint(1, 2))]
        yield {
            "places": json.dumps(places, ensure_ascii=False),
            "topics": json.dumps(topics, ensure_ascii=False),
            "editors": json.dumps(editors, ensure_ascii=False),
            "series": SERIES[i % len(SERIES)] if i % 20 == 3 else None,
            "id": f"{channel[0].split('.')[0]}-{content_id}",
            "url": f"http://{channel[0]}/{channel[1]}/{year}/{month:02d}01/c{channel[2][0]}-"
                   f"{content_id}.html",
            "content_id": str(content_id), "site": channel[0], "channel": channel[3],
            "title": title, "body": body, "source": channel[4],
            "published_at": f"{year}-{month:02d}-01T09:00:00+08:00",
            "published_month": f"{year}-{month:02d}", "language": language,
            "byline": f"人民网记者 {person(rng)}", "status": "live",
            "paragraph_count": body.count("\n\n") + 1, "template": "people_2020",
        }


def build(n: int) -> Path:
    """An n-article archive with its search index, cached across runs."""
    path = CACHE / f"search-v{TEXT_VERSION}-{n}.db"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    db = open_archive(partial)
    db.execute("PRAGMA journal_mode = OFF")  # a build, not an archive: nothing to protect yet
    rng = random.Random(n)
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        rows = list(_rows(start, min(BATCH, n - start), rng))
        with db.atomic():
            db["articles"].insert_all(rows, batch_size=500)
            first = db.execute("select max(rowid) from articles").fetchone()[0] - len(rows) + 1
            db.conn.executemany(
                f"INSERT INTO {SEARCH_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
                [(first + k, index_text(r["title"]), index_text(r["body"]))
                 for k, r in enumerate(rows)])
        if start and start % 100_000 == 0:
            say(f"search: built {start:,}/{n:,} ({time.perf_counter() - started:.0f} s)")
    db.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    partial.rename(path)
    return path


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return median(ordered) * 1000, p95 * 1000


PATHS = {  # what is timed through Datasette, per query
    "search": "/{db}/articles.json?_search={q}&_nofacet=1",
    "list page": "/{db}/articles?_search={q}",
    "list page, Datasette facets": "/{db}/articles?_search={q}",
    "ranked": "/-/search?q={q}",
    "per month": "/-/timeline?q={q}",
}
# The facets as Datasette counts them, one query each: the baseline of the one-pass facets.
DATASETTE_FACETS = ["channel", "source", "series", {"year": "published_at"}, "published_month",
                    "language", "status", {"array": "places"}, {"array": "topics"},
                    {"array": "editors"}, {"array": "people"}, {"array": "organisations"},
                    {"array": "documents"}]


def _datasette(path: Path, own_facets: bool):
    from datasette.app import Datasette

    from archive.serve import SETTINGS, STATIC, TEMPLATES, make_datasette, metadata_for

    if own_facets:
        return make_datasette(path)
    meta = metadata_for(path)
    meta["databases"][path.stem]["tables"]["articles"]["facets"] = DATASETTE_FACETS
    return Datasette([str(path)], metadata=meta, settings=SETTINGS,
                     template_dir=str(TEMPLATES), static_mounts=[("xietong-static", str(STATIC))])


async def _datasette_times(path: Path, query: str, repeats: dict[str, int]
                           ) -> tuple[dict[str, list[float]], dict[str, int], int]:
    """Seconds per request for each path, how many were cut off by Datasette's SQL time
    limit (an error page, counted at the time it took), and the number of matches."""
    ours, baseline = _datasette(path, True), _datasette(path, False)
    hits = -1
    times: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    for name, template in PATHS.items():
        ds = baseline if name == "list page, Datasette facets" else ours
        url = template.format(db=path.stem, q=quote(query))
        times[name], failed[name] = [], 0
        for i in range(repeats[name] + 2):
            started = time.perf_counter()
            response = await ds.client.get(url)
            elapsed = time.perf_counter() - started
            if i < 2:
                continue  # two warm-ups
            times[name].append(elapsed)
            if response.status_code != 200 or "facets-timed-out" in response.text:
                failed[name] += 1
            elif name == "search":
                hits = response.json().get("filtered_table_rows_count", hits)
    return times, failed, hits


def _hits(path: Path, query: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"select count(*) from {SEARCH_TABLE} where {SEARCH_TABLE} match ?",
                            [fts_query(query)]).fetchone()[0]
    finally:
        conn.close()


def _p95_cell(samples: list[float], failed: int) -> str:
    p95 = _percentiles(samples)[1]
    return f"{p95:.0f}" + (f" ({failed} of {len(samples)} hit the time limit)" if failed else "")


def _like_times(path: Path, query: str, repeats: int) -> list[float]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    pattern = f"%{query}%"
    where = "title like ? or body like ?"
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        conn.execute(f"select count(*) from articles where {where}", [pattern, pattern])
        conn.execute(f"select * from articles where {where} order by rowid limit 25",
                     [pattern, pattern]).fetchall()
        times.append(time.perf_counter() - started)
    conn.close()
    return times


def run(quick: bool, only: list[int] | None = None) -> list[Table]:
    # (articles, timed requests of the search itself, of the pages, LIKE runs)
    sizes = [(10_000, 10, 5, 2)] if quick else [(100_000, 30, 20, 5), (1_000_000, 10, 5, 3)]
    if only:
        sizes = [s for s in sizes if s[0] in only] or [(n, 10, 5, 3) for n in only]
    tables = []
    for n, repeats, pages, like_repeats in sizes:
        cached = (CACHE / f"search-v{TEXT_VERSION}-{n}.db").exists()
        say(f"search: {'cached' if cached else 'building'} {n:,}-article archive")
        started = time.perf_counter()
        path = build(n)
        built = time.perf_counter() - started
        table = Table(f"Search: {n:,} articles",
                      ["query", "kind", "hits", "search p50 ms", "search p95 ms",
                       "list page p50 ms", "list page p95 ms", "list page, Datasette facets p95 ms",
                       "ranked p95 ms", "per month p95 ms", "LIKE p95 ms",
                       "LIKE ÷ search (p95)"])
        two_char = []
        for kind, query in QUERIES:
            say(f"search: {n:,} articles, {query!r}")
            times, failed, hits = asyncio.run(_datasette_times(
                path, query, {"search": repeats, "list page": pages,
                              "list page, Datasette facets": max(3, pages // 4),
                              "ranked": pages, "per month": max(3, pages // 4)}))
            p50, p95 = _percentiles(times["search"])
            list50, list95 = _percentiles(times["list page"])
            ranked95 = _percentiles(times["ranked"])[1]
            l95 = _percentiles(_like_times(path, query, like_repeats))[1]
            table.rows.append([
                query, kind, hits if hits >= 0 else _hits(path, query), p50,
                _p95_cell(times["search"], failed["search"]), list50,
                _p95_cell(times["list page"], failed["list page"]),
                _p95_cell(times["list page, Datasette facets"],
                          failed["list page, Datasette facets"]),
                _p95_cell(times["ranked"], failed["ranked"]),
                _p95_cell(times["per month"], failed["per month"]), l95, f"{l95 / p95:.0f}×"])
            if kind == "2 characters":
                base95 = _percentiles(times["list page, Datasette facets"])[1]
                two_char.append((p95, l95 / p95, list95, ranked95, base95))
        size_mb = path.stat().st_size / 2**20
        worst = {name: max(t[i] for t in two_char)
                 for i, name in enumerate(["search", "ratio", "list", "ranked", "base"])}
        worst["ratio"] = min(t[1] for t in two_char)
        table.notes.append(
            f"search: `GET /{path.stem}/articles.json?_search=…&_nofacet=1` — the full-text "
            "match (escape_fts), the first 25 rows by date and the count. list page: "
            "`GET /…/articles?_search=…`, the HTML page a researcher reads — count, 25 entries "
            "with excerpts, and the ten facets counted in one read of the matching rows "
            "(archive/datasette/facets.py). list page, Datasette facets: the same page with the "
            "facets configured as Datasette's own (one query per facet), the baseline of the "
            "one-pass facets. ranked: `/-/search?q=…` (bm25, excerpts). per month: "
            "`/-/timeline?q=…`, the search counted per month next to all articles. Through "
            "make_datasette's ASGI client in this process, after two warm-ups: "
            f"{repeats} timed requests for search, {pages} for the list page and ranked, "
            f"{max(3, pages // 4)} for the others. LIKE: `count(*)` and the first 25 rows "
            "`where title like '%q%' or body like '%q%'`, straight on the same file with "
            f"sqlite3, {like_repeats} runs. A cell noting the time limit counts requests that "
            "hit the SQL or facet time limit (an error, or facets left out).")
        table.notes.append(
            f"Archive file {size_mb:,.0f} MB ({'cached' if cached else f'built in {built:.0f} s'}"
            "); generated text where a word appears in a few per cent of articles, 1 article "
            "in 20 in English; places (1–5), topics (0–2) and editors (1–2) as JSON lists.")
        if n == 100_000 or quick:
            table.notes.append(
                "Goals (2-character queries, worst of the two): list page with its facets p95 "
                f"≤ 150 ms — {worst['list']:.0f} ms ({goal(worst['list'] <= 150)}; with "
                f"Datasette's facets {worst['base']:.0f} ms, "
                f"{worst['base'] / worst['list']:.1f}× slower); ranked search p95 ≤ 100 ms — "
                f"{worst['ranked']:.0f} ms ({goal(worst['ranked'] <= 100)}); search p95 ≤ "
                f"100 ms and ≥ 10× faster than LIKE — {worst['search']:.0f} ms "
                f"({goal(worst['search'] <= 100)}), {worst['ratio']:.0f}× "
                f"({goal(worst['ratio'] >= 10)}).")
        tables.append(table)
    return tables
