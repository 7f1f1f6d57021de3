"""Spam and parasite-page evaluation set, built at run time from real Chinese text.

    python bench/make_spam_eval.py --shared ../shared --out bench/_work/spam_eval.jsonl [--n 3000] [--seed 0]

Why build it instead of labelling crawled pages: parasite SEO pages are real articles with a
block of spam spliced in, and spam pages are sentences stolen from many real articles. Both can
be generated faithfully from clean text, with exact ground truth down to which lines are the
article and which are the spam; labelled crawl data gives neither. Nothing from ../shared is
copied into the repository: this script reads it each time and writes under bench/_work/.

Rows (JSONL): ``id, url, title, text, label, kind, source, article_lines`` plus ``spam_lines``
(``[{"part", "line"}]``, what was inserted) and ``chrome_lines`` (harmless page chrome appended).

* ``clean`` (~50%): real news items (新闻联播), law chunks, TiDB doc sections (Markdown shown as a
  browser would), human gold text of real pages (shared/data/extraction, Chinese pages only),
  main text extracted from real news pages (html_gne), a few poems. Kind ``clean_chrome`` has
  harmless chrome lines (责任编辑, 分享到, 来源 ...) added; it is still clean.
* ``injected`` (~25%): a clean article with one or two parasite blocks at the end or between
  paragraphs: a spam title, a fake post meta line, lines of 3-8 sentences spliced from other
  articles, hidden random tags, app chrome; the mix varies per row.
* ``spam`` (~25%): spam throughout: spliced sentences (10-60, each from a different article),
  with a keyword-stuffed or spam title, stuffed sentences, tags; ``spam_spliced`` rows have a
  real article's title and nothing but spliced sentences (the hard case).

``article_lines`` are the article's non-empty stripped lines with at least two Han or Latin
letters (bare punctuation, numbers and footnote marks are left out): a filter must keep them all.
The units here (news items, law chunks, doc sections, poems) are shared with bench/filters.py,
which imports ``iter_units`` to measure false drops on the clean corpora themselves.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import string
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import zstandard

from taoyu.jit import compile_at_first_call

REPO = Path(__file__).resolve().parents[1]
CLEAN_SOURCES = ["news", "laws", "tidb_docs", "poetry", "html_gne"]
"""Sources of the clean corpora under shared/data/corpus, as ``iter_units`` names them."""


@dataclass(slots=True)
class Article:
    source: str
    key: str
    """Unique per unit (source, file, part): spliced sentences must never share one."""
    title: str
    text: str
    url: str


def require_shared(shared: Path) -> Path:
    """The corpus folder, or exit with a message that says what is missing and where."""
    corpus = shared / "data" / "corpus"
    if not corpus.is_dir():
        sys.exit(f"needs the shared data folder: {corpus} does not exist (pass --shared PATH)")
    return corpus


def read_jsonl_zst(path: Path) -> Iterator[dict]:
    with path.open("rb") as fh:
        reader = zstandard.ZstdDecompressor().stream_reader(fh)
        for line in io.TextIOWrapper(reader, encoding="utf-8"):
            if line.strip():
                yield orjson.loads(line)


# ------------------------------------------------------------------------------------- sources
# The news file is one daily transcript per line; make_corpus.py splits it into items the same way.
_P_TAG = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>")
_ANY_TAG = re.compile(r"<[^>]+>")
_NEWS_ITEM = re.compile(r"^### (.+)$", re.M)
_NEWS_LINK = re.compile(r"\[查看原文\]\((\S+?)\)")


def _fragment_text(s: str) -> str:
    s = _ANY_TAG.sub("", _P_TAG.sub("\n", s))
    s = s.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return "\n".join(ln.strip() for ln in s.split("\n") if ln.strip())


def news_units(corpus: Path) -> Iterator[Article]:
    for d in read_jsonl_zst(corpus / "xinwenlianbo" / "news.jsonl.zst"):
        text, date = d["text"], Path(d["path"]).name[:8]
        pos = text.find("## 详细新闻")
        if pos < 0:
            continue
        body = text[pos:]
        heads = list(_NEWS_ITEM.finditer(body))
        for i, m in enumerate(heads):
            seg = body[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(body)]
            item = _fragment_text(_NEWS_LINK.sub("", seg))
            if len(item) < 40:
                continue
            title = m.group(1).strip()
            url = f"https://news.example-cctv.cn/{date[:4]}/{date[4:6]}/{date[6:]}/item{i}.shtml"
            yield Article("news", f"news/{date}/{i}", title, f"{title}\n{item}", url)


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LAW_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇]+条)", re.M)


def law_units(corpus: Path, max_chars: int = 1500) -> Iterator[Article]:
    """Laws cut into chunks of whole articles (条), each led by the law's title, as a page would be."""
    for n, d in enumerate(read_jsonl_zst(corpus / "laws" / "laws.jsonl.zst")):
        text = _COMMENT.sub("", d["text"])
        m = re.match(r"\s*#\s*(.+)", text)
        title = m.group(1).strip() if m else Path(d["path"]).stem
        text = re.sub(r"^#+\s*", "", text, flags=re.M)
        starts = [m.start() for m in _LAW_ARTICLE.finditer(text)]
        if starts:
            pieces = [text[: starts[0]]] + [
                text[s:e] for s, e in zip(starts, [*starts[1:], len(text)], strict=True)
            ]
        else:
            pieces = [p for p in text.split("\n\n") if p.strip()]
        chunks, buf = [], []
        for p in pieces:
            buf.append(p.strip())
            if sum(len(x) for x in buf) >= max_chars:
                chunks.append(buf)
                buf = []
        if buf and sum(len(x) for x in buf) >= 200:
            chunks.append(buf)
        for part, chunk in enumerate(chunks):
            body = "\n".join(x for x in chunk if x)
            body = "\n".join(ln.strip() for ln in body.split("\n") if ln.strip())
            if not body.startswith(title):
                body = f"{title}\n{body}"
            url = f"https://law.example-npc.cn/detail/{n:05d}.html?part={part}"
            yield Article("laws", f"laws/{n}/{part}", title, body, url)


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}")
_HEADING = re.compile(r"^#{1,6}\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPH = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def markdown_to_text(md: str) -> str:
    """Markdown as a browser shows it, one block per line: the docs are crawled as HTML pages,
    so ``##``, ``|---|`` and fences would be artefacts no real extracted page contains."""
    out, in_code = [], False
    for line in _SHORTCODE.sub("", _COMMENT.sub("", md)).split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            out.append(line.rstrip())
            continue
        if _TABLE_SEP.match(line) and "|" in line:
            continue
        s = line.strip()
        if s.startswith("|"):
            s = "  ".join(c.strip() for c in s.strip("|").split("|") if c.strip())
        s = _BULLET.sub("", _QUOTE.sub("", _HEADING.sub("", s)))
        s = _MD_LINK.sub(r"\1", _IMAGE.sub("", s))
        s = _EMPH.sub(lambda m: m.group(1) or m.group(2), s).replace("`", "")
        out.append(s.strip())
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def tidb_units(corpus: Path, min_chars: int = 500) -> Iterator[Article]:
    """TiDB docs cut at ``##`` sections into chunks of at least min_chars, as make_corpus.py does."""
    for d in read_jsonl_zst(corpus / "tidb_docs_cn" / "docs.jsonl.zst"):
        raw = d["text"]
        front = _FRONT.match(raw)
        title_m = re.search(r"^title:\s*(.+)$", front.group(1), re.M) if front else None
        raw = _FRONT.sub("", raw)
        h1 = re.search(r"^#\s+(.+)$", raw, re.M)
        title = (title_m.group(1) if title_m else h1.group(1) if h1 else d["path"]).strip().strip("'\"")
        slug = d["path"][:-3]
        buf, part = "", 0
        secs = re.split(r"^## ", raw, flags=re.M)
        for i, sec in enumerate(secs):
            buf = buf + "\n\n## " + sec if i else sec
            last = i == len(secs) - 1
            if len(buf) >= min_chars or (last and len(buf) >= 200):
                text = markdown_to_text(buf)
                first = text.split("\n", 1)[0]
                page_title = title if part == 0 or not first else f"{first} | {title}"
                url = f"https://docs.example-pingcap.cn/zh/tidb/{slug}#s{part}"
                yield Article("tidb_docs", f"tidb/{slug}/{part}", page_title, text, url)
                buf, part = "", part + 1


def poetry_units(corpus: Path) -> Iterator[Article]:
    for n, p in enumerate(read_jsonl_zst(corpus / "poetry" / "poems.jsonl.zst")):
        body = "\n".join(ln.strip() for ln in p["text"].split("\n") if ln.strip())
        url = f"https://poem.example-gushiwen.cn/shiwen/{n}.aspx"
        yield Article("poetry", f"poetry/{n}", p["title"], f"{p['title']}\n{p['author']}\n{body}", url)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S | re.I)


def _html_title(html: str) -> str:
    import html as htmllib

    m = _TITLE.search(html)
    return re.sub(r"\s+", " ", htmllib.unescape(m.group(1))).strip() if m else ""


def html_gne_units(corpus: Path) -> Iterator[Article]:
    """Real news pages through taoyu's main-text extractor; list pages (test_list_page/) are not articles."""
    from taoyu.extract.main_text import main_text

    for n, d in enumerate(read_jsonl_zst(corpus / "html_gne" / "html.jsonl.zst")):
        if d["path"].startswith("test_list_page/"):
            continue
        text = main_text(d["text"])
        if len(text) < 100:
            continue
        title = _html_title(d["text"]) or text.split("\n", 1)[0][:40]
        site = d["path"].split("/")[1]
        yield Article(
            "html_gne", f"html_gne/{d['path']}", title, text, f"https://{site}.example-news.cn/{n}.html"
        )


def extraction_units(shared: Path, max_chars: int = 20000) -> Iterator[Article]:
    """Human gold main text of the Chinese pages in shared/data/extraction (titles from the HTML)."""
    from taoyu.io.encoding import decode_html

    root = shared / "data" / "extraction"
    for meta in sorted(root.glob("*/meta.tsv")):
        with meta.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        for row in rows:
            if row.get("lang") != "zh":
                continue
            gold = meta.parent / f"{row['name']}.txt"
            page = meta.parent / f"{row['name']}.html"
            if not gold.exists():
                continue
            text = gold.read_text(encoding="utf-8", errors="replace").strip()
            if not 100 <= len(text) <= max_chars:
                continue
            title = _html_title(decode_html(page.read_bytes()).text) if page.exists() else ""
            title = title or next(ln.strip() for ln in text.split("\n") if ln.strip())[:40]
            url = f"https://www.example-{meta.parent.name.replace('_', '-')}.cn/{row['name']}.html"
            yield Article("extraction", f"extraction/{meta.parent.name}/{row['name']}", title, text, url)


def iter_units(shared: Path, source: str) -> Iterator[Article]:
    """Every document unit of one clean source (see CLEAN_SOURCES, plus 'extraction')."""
    corpus = require_shared(shared)
    readers = {
        "news": news_units,
        "laws": law_units,
        "tidb_docs": tidb_units,
        "poetry": poetry_units,
        "html_gne": html_gne_units,
    }
    if source in readers:
        return readers[source](corpus)
    if source == "extraction":
        return extraction_units(shared)
    raise ValueError(f"unknown source {source!r}")


def sample_units(shared: Path, source: str, k: int, rng: random.Random, min_chars: int = 0) -> list[Article]:
    """Up to k units, uniformly (reservoir sampling): the poetry file has 178k poems."""
    out: list[Article] = []
    seen = 0
    for a in iter_units(shared, source):
        if len(a.text) < min_chars:
            continue
        seen += 1
        if len(out) < k:
            out.append(a)
        else:
            j = rng.randrange(seen)
            if j < k:
                out[j] = a
    return out


# ------------------------------------------------------------------------------ sentence bank
_SENT = re.compile(r"(?<=[。！？!?；])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MARKUP = re.compile(r"[|#*`<>\[\]{}_=]|https?:|www\.")


class SentenceBank:
    """Sentences grouped by the article they came from, so a page never splices two from one."""

    def __init__(self, articles: list[Article]) -> None:
        self.keys: list[str] = []
        self.sents: list[list[str]] = []
        self.titles: list[str] = []
        for a in articles:
            ss = []
            for line in a.text.split("\n"):
                for s in _SENT.split(line):
                    s = s.strip()
                    han = len(_HAN.findall(s))
                    if 10 <= len(s) <= 90 and han >= 6 and han >= 0.5 * len(s) and not _MARKUP.search(s):
                        ss.append(s)
            if ss:
                self.keys.append(a.key)
                self.sents.append(ss)
                self.titles.append(a.title)

    def draw(self, rng: random.Random, k: int, exclude: set[str]) -> list[str]:
        """k sentences, each from a different article, none from an excluded article.

        The articles drawn are added to ``exclude``, so a page that draws twice (two parasite
        blocks) still never holds two sentences of one article."""
        idx = rng.sample(range(len(self.keys)), min(len(self.keys), k + len(exclude) + 5))
        picked = [i for i in idx if self.keys[i] not in exclude][:k]
        exclude.update(self.keys[i] for i in picked)
        return [rng.choice(self.sents[i]) for i in picked]


# ----------------------------------------------------------------------------- spam vocabulary
# Synthetic vocabularies, written here: the shapes of titles SEO spam uses, not copied pages.
PORN = ["国产", "精品", "国产精品", "在线", "视频", "高清", "无码", "免费", "观看", "午夜", "福利", "成人",
        "影院", "久久", "一区二区", "二区三区", "日韩", "亚洲", "欧美", "在线播放", "免费观看", "最新",
        "私拍", "偷拍", "直播", "少妇", "人妻", "激情"]  # fmt: skip
CASINO = ["澳门葡京", "新葡京", "威尼斯人", "金沙", "永利", "银河", "太阳城", "皇冠", "凯发", "博狗",
          "澳门", "葡京", "鼎盛", "万博", "亿博", "明升"]  # fmt: skip
CASINO_SUFFIX = ["娱乐城", "娱乐", "赌场", "官网", "真人", "百家乐", "老虎机", "体育投注", "开户",
                 "注册送彩金", "平台", "app下载", "真人荷官", "电子游艺", "网投"]  # fmt: skip
LOTTERY = ["时时彩", "重庆时时彩", "北京赛车", "pk10", "六合彩", "大发快三", "福彩3D", "双色球", "彩票",
           "幸运飞艇", "极速赛车", "快乐8"]  # fmt: skip
LOTTERY_SUFFIX = ["计划", "开奖结果", "走势图", "人工计划", "稳赚", "预测", "杀号", "免费计划", "全天计划",
                  "开奖直播", "平台", "官方网站"]  # fmt: skip
CHESS = ["棋牌", "开元棋牌", "真钱棋牌", "斗地主", "炸金花", "牛牛", "捕鱼", "德州扑克", "麻将", "棋牌游戏"]
CHESS_SUFFIX = ["上分", "下分", "提现", "官方下载", "真人", "赢钱", "app", "平台", "微信群", "秒到账"]
SURROGACY = ["代孕", "试管代孕", "代孕机构", "代孕公司", "供卵", "代孕中心", "借腹生子"]
SURROGACY_SUFFIX = ["包成功", "包男孩", "费用多少", "哪家好", "价格表", "咨询", "一条龙", "正规机构"]
SERVER = ["传奇私服", "魔域私服", "奇迹私服", "私服", "冰雪传奇", "热血传奇", "梦幻私服", "仙剑私服"]
SERVER_SUFFIX = ["发布网", "新开", "一秒一刀", "超变", "无限元宝", "今日新开", "合击版", "单职业", "网站"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "长沙", "郑州", "南京", "重庆"]
PROVINCES = ["湖南", "广东", "江苏", "浙江", "四川", "河南", "山东", "湖北", "福建", "河北", "江西", "广西"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平"]
SITE_WORDS = ["飘花", "天堂", "八戒", "星辰", "西瓜", "青青", "樱桃", "蜜桃", "夜色", "午夜", "七七", "奇米"]
STUFF_SEGMENTS = ["官网", "官方网站", "下载", "app下载", "注册", "注册登录", "登录", "手机版", "平台",
                  "网址", "最新版", "入口", "首页", "客户端", "登录入口", "官方app"]  # fmt: skip
HIDDEN_TAGS = ["kbd", "del", "b", "i", "em", "font", "sub", "sup", "ins", "small", "big", "tt", "strike",
               "u", "span", "abbr", "code", "time", "dfn", "var", "address", "acronym", "noframes", "map",
               "bdo", "legend", "center", "dl", "dd", "dt", "strong", "label", "cite", "q", "s"]  # fmt: skip
HIDDEN_ATTRS = ["date-time", "id", "lang", "dir", "dropzone", "draggable", "class", "title"]
APP_CHROME = ["打开APP，阅读全文", "打开APP,阅读全文", "举报", "阅读 {n}", "{k}人支持", "{k}人反对",
              "打开百度APP看高清图片", "点赞({k})", "评论 {k}", "分享", "收藏", "APP内打开", "展开全文",
              "阅读 {n} 次", "{k}赞"]  # fmt: skip
EDITORS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周涛", "吴婷"]
MEDIA = ["央视网", "新华网", "人民网", "中国新闻网", "光明网", "澎湃新闻", "环球网", "本站"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def _token(rng: random.Random, lo: int = 4, hi: int = 9) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(lo, hi)))


def _num_tag(rng: random.Random) -> str:
    return rng.choice(["", "", str(rng.randint(1, 999)), rng.choice(["8888", "js333", "vip", "365", "6686"])])


def _stamp(rng: random.Random) -> str:
    return (
        f"{rng.choice([2025, 2026])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    )


def _pair(rng: random.Random, heads: list[str], tails: list[str]) -> str:
    return rng.choice(heads) + rng.choice(tails)


def spam_title(rng: random.Random) -> tuple[str, str]:
    """(category, a spam title line) from one of several templates per category."""
    cat = rng.choice(["porn", "gambling", "lottery", "chess", "surrogacy", "server"])
    if cat == "porn":
        words = rng.sample(PORN, rng.randint(3, 5))
        t = rng.choice(
            [
                "".join(words),
                "".join(words[:2]) + "_" + "".join(words[2:]) + f"_{rng.choice(SITE_WORDS)}影院",
                f"{_name(rng)}{rng.choice(['的秘密', '的日常', '私密', '全集'])}" + "".join(words[:3]),
                "".join(words[:3]) + f"第{rng.randint(1, 99)}集" + rng.choice(["在线观看", "免费播放"]),
            ]
        )
    elif cat == "gambling":
        b = rng.choice(CASINO)
        t = rng.choice(
            [
                f"{b}{rng.choice(CASINO_SUFFIX)}-{b}{rng.choice(CASINO_SUFFIX)}",
                f"{b}{_num_tag(rng)}{rng.choice(CASINO_SUFFIX)}{rng.choice(CASINO_SUFFIX)}",
                f"{rng.choice(CITIES)}{_pair(rng, CASINO, CASINO_SUFFIX)}",
                f"{b}{rng.choice(CASINO_SUFFIX)}({rng.choice(['中国', '官方', '认证'])})有限公司",
            ]
        )
    elif cat == "lottery":
        t = rng.choice(
            [
                _pair(rng, LOTTERY, LOTTERY_SUFFIX) + _pair(rng, LOTTERY, LOTTERY_SUFFIX),
                f"{rng.choice(LOTTERY)}第{rng.randint(2025001, 2026365)}期{rng.choice(LOTTERY_SUFFIX)}",
                f"最新{_pair(rng, LOTTERY, LOTTERY_SUFFIX)}{_num_tag(rng)}",
            ]
        )
    elif cat == "chess":
        t = rng.choice(
            [
                _pair(rng, CHESS, CHESS_SUFFIX) + _pair(rng, CHESS, CHESS_SUFFIX),
                f"{rng.choice(CHESS)}{_num_tag(rng)}{rng.choice(CHESS_SUFFIX)}-{rng.choice(CASINO)}娱乐",
                f"{rng.choice(['真人', '正规', '靠谱'])}{_pair(rng, CHESS, CHESS_SUFFIX)}",
            ]
        )
    elif cat == "surrogacy":
        t = rng.choice(
            [
                f"{rng.choice(CITIES)}{_pair(rng, SURROGACY, SURROGACY_SUFFIX)}",
                _pair(rng, SURROGACY, SURROGACY_SUFFIX) + rng.choice(SURROGACY_SUFFIX),
                f"{rng.choice(CITIES)}{rng.choice(SURROGACY)}{rng.randint(10, 80)}万"
                + rng.choice(SURROGACY_SUFFIX),
            ]
        )
    else:
        t = rng.choice(
            [
                _pair(rng, SERVER, SERVER_SUFFIX) + rng.choice(SERVER_SUFFIX),
                f"{rng.choice(SERVER_SUFFIX)}{rng.choice(SERVER)}{_num_tag(rng)}",
                f"{rng.randint(1, 5)}.{rng.randint(0, 9)}{_pair(rng, SERVER, SERVER_SUFFIX)}",
            ]
        )
    wrap = rng.random()
    if wrap < 0.45:
        t = f"《{t}》"
    elif wrap < 0.55:
        t = f"【{t}】"
    return cat, t


def stuffed_brand(rng: random.Random) -> str:
    return rng.choice(
        [
            rng.choice(CASINO) + rng.choice(["娱乐", "娱乐城", "体育", "棋牌"]),
            rng.choice(CHESS) + rng.choice(["", "游戏"]),
            rng.choice(SERVER),
            rng.choice(LOTTERY) + rng.choice(["计划", "平台"]),
            rng.choice(SURROGACY),
            rng.choice(SITE_WORDS) + rng.choice(["影院", "视频"]),
        ]
    )


def stuffed_title(rng: random.Random, brand: str) -> str:
    """The 'XX娱乐官网-XX娱乐下载-XX娱乐注册登录-XX娱乐app' shape, sometimes one segment repeated."""
    segs = rng.sample(STUFF_SEGMENTS, rng.randint(3, 6))
    if rng.random() < 0.3:
        segs = [segs[0]] * rng.randint(3, 5)
    sep = rng.choice(["-", "_", "|", " ", "-"])
    parts = [brand + s for s in segs]
    if rng.random() < 0.3:
        parts.append(brand)
    return sep.join(parts)


def stuffed_sentence(rng: random.Random, brand: str) -> str:
    s1, s2, s3 = rng.sample(STUFF_SEGMENTS, 3)
    return rng.choice(
        [
            f"{brand}{s1}为您提供{brand}{s2}、{brand}{s3}等服务。",
            f"欢迎来到{brand}，{brand}是{rng.choice(['亚洲', '全国', '业内'])}"
            + f"最{rng.choice(['火', '大', '好'])}的平台。",
            f"{brand}{s1}，{brand}{s2}，{brand}{s3}。",
            f"想了解更多{brand}请访问{brand}{s1}。",
            f"{brand}{s1}{brand}{s2}{brand}{s3}{brand}。",
        ]
    )


def hidden_tags(rng: random.Random, k: int | None = None) -> str:
    out = []
    for _ in range(k or rng.randint(1, 3)):
        tag = rng.choice(HIDDEN_TAGS)
        out.append(f'<{tag} {rng.choice(HIDDEN_ATTRS)}="{_token(rng)}"></{tag}>')
    return "".join(out)


def meta_line(rng: random.Random) -> str:
    site = rng.choice(SITE_WORDS) + rng.choice(["影院", "视频网", "娱乐", "直播"])
    return rng.choice(
        [
            f"发布时间:{_stamp(rng)} {site}{rng.randint(1, 999)} 来自{rng.choice(PROVINCES)}",
            f"发布时间：{_stamp(rng)}  来源：{site}  作者：{_name(rng)}",
            f"{_stamp(rng)} 来源：{stuffed_brand(rng)}官网 浏览：{rng.randint(100, 99999)}次",
            f"作者：{site}{rng.randint(1, 999)}  {_stamp(rng)[:10]}  阅读({rng.randint(10, 99999)})",
        ]
    )


def app_chrome(rng: random.Random) -> list[str]:
    lines = [
        c.format(n=rng.randint(1000, 9_999_999), k=rng.randint(1, 999))
        for c in rng.sample(APP_CHROME, rng.randint(1, 4))
    ]
    return [" ".join(lines)] if rng.random() < 0.4 else lines


def spliced_lines(rng: random.Random, sents: list[str], tags: float, stuff: str | None = None) -> list[str]:
    """Group sentences into lines of 3-8, glued or two-space joined, with tags and stuffing mixed in."""
    out, i = [], 0
    glue = rng.choice(["", "", "  "])
    while i < len(sents):
        k = rng.randint(3, 8)
        group = sents[i : i + k]
        i += k
        if stuff and rng.random() < 0.7:
            group.insert(rng.randrange(len(group) + 1), stuffed_sentence(rng, stuff))
        if rng.random() < tags:
            for _ in range(rng.randint(1, 3)):
                j = rng.randrange(len(group) + 1)
                group.insert(j, hidden_tags(rng))
        out.append(glue.join(group))
    return out


# ------------------------------------------------------------------------------- row builders
HARMLESS_TAIL = [
    "责任编辑：{ed}", "（责任编辑：{ed}）", "[责任编辑:{ed}]", "编辑：{ed}", "分享到：微信 微博 QQ空间",
    "分享到：", "【打印本页】【关闭窗口】", "本文来源：{media}", "扫一扫在手机打开当前页",
    "版权所有 © {year} {media} 保留所有权利", "字号：大 中 小", "【纠错】", "（来源：{media}）",
]  # fmt: skip
HARMLESS_HEAD = ["来源：{media}  {date}", "{date}  来源：{media}", "发布时间：{date}  来源：{media}"]


def _fill(rng: random.Random, tpl: str) -> str:
    date = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return tpl.format(
        ed=rng.choice(EDITORS), media=rng.choice(MEDIA), year=rng.randint(2005, 2025), date=date
    )


_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _lines(text: str) -> list[str]:
    """The article's lines a filter must keep: non-empty, stripped, with at least two Han or Latin
    letters. Lines of bare punctuation, numbers or footnote marks ("、", "---", "[29]", "3"), which
    gold texts and extracted pages are full of, carry no content and may rightly be dropped."""
    return [s for s in (ln.strip() for ln in text.split("\n")) if len(_WORDY.findall(s)) >= 2]


def clean_row(rng: random.Random, a: Article, chrome: bool) -> dict:
    text, extra = a.text, []
    if chrome:
        tail = [_fill(rng, t) for t in rng.sample(HARMLESS_TAIL, rng.randint(1, 3))]
        extra += tail
        text = text + "\n" + "\n".join(tail)
        if rng.random() < 0.3:
            head = _fill(rng, rng.choice(HARMLESS_HEAD))
            extra.insert(0, head)
            text = head + "\n" + text
    return {
        "url": a.url, "title": a.title, "text": text, "label": "clean",
        "kind": "clean_chrome" if chrome else "clean", "source": a.source,
        "article_lines": _lines(a.text), "spam_lines": [], "chrome_lines": extra,
    }  # fmt: skip


def parasite_block(rng: random.Random, bank: SentenceBank, exclude: set[str]) -> list[tuple[str, str]]:
    """One injected block as (part, line) pairs; the mix of parts varies from block to block."""
    want = {
        "title": rng.random() < 0.75,
        "meta": rng.random() < 0.5,
        "spliced": rng.random() < 0.9,
        "tags": rng.random() < 0.35,
        "chrome": rng.random() < 0.45,
    }
    if sum(want.values()) < 2 or not (want["title"] or want["spliced"]):
        want["spliced"] = want["title"] = True
    block: list[tuple[str, str]] = []
    if want["title"]:
        block.append(("title", spam_title(rng)[1]))
    if want["meta"]:
        block.insert(rng.randrange(len(block) + 1), ("meta", meta_line(rng)))
    if want["spliced"]:
        n_lines = rng.choice([1, 1, 2, 2, 3])
        sents = bank.draw(rng, sum(rng.randint(3, 8) for _ in range(n_lines)), exclude)
        tags = 0.5 if rng.random() < 0.5 else 0.0
        block += [("spliced", ln) for ln in spliced_lines(rng, sents, tags)]
    if want["tags"]:
        block.insert(rng.randrange(len(block) + 1), ("tags", hidden_tags(rng, rng.randint(2, 5))))
    if want["chrome"]:
        block += [("chrome", ln) for ln in app_chrome(rng)]
    return block


def injected_row(rng: random.Random, a: Article, bank: SentenceBank) -> dict:
    lines = a.text.split("\n")
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    where = rng.choices(["end", "middle", "two"], [0.45, 0.40, 0.15])[0]
    if len(content) < 3:
        where = "end"
    blocks = []
    exclude = {a.key}
    if where in ("middle", "two"):
        after = rng.choice(content[:-1])  # between paragraphs, never before the first line
        blocks.append((after + 1, parasite_block(rng, bank, exclude)))
    if where in ("end", "two"):
        blocks.append((len(lines), parasite_block(rng, bank, exclude)))
    spam: list[dict] = []
    for pos, block in sorted(blocks, reverse=True):
        sep = [""] if rng.random() < 0.4 else []
        lines[pos:pos] = sep + [ln for _, ln in block] + sep
    for _, block in sorted(blocks):
        spam += [{"part": p, "line": ln} for p, ln in block]
    chrome = []
    if rng.random() < 0.15:
        chrome = [_fill(rng, t) for t in rng.sample(HARMLESS_TAIL, rng.randint(1, 2))]
        lines += chrome
    return {
        "url": a.url, "title": a.title, "text": "\n".join(lines), "label": "injected",
        "kind": f"injected_{where}", "source": a.source, "article_lines": _lines(a.text),
        "spam_lines": spam, "chrome_lines": chrome,
    }  # fmt: skip


def spam_row(rng: random.Random, bank: SentenceBank, kind: str) -> dict:
    sents = bank.draw(rng, rng.randint(10, 60), set())
    parts: list[tuple[str, str]] = []
    if kind == "spam_spliced":
        # The hard case: a real article's title, nothing but stolen sentences, no tags, no stuffing.
        title = rng.choice(bank.titles)
        parts += [("spliced", ln) for ln in spliced_lines(rng, sents, 0.0)]
    else:
        brand = stuffed_brand(rng)
        stuff = brand if kind == "spam_keyword" or rng.random() < 0.3 else None
        title = stuffed_title(rng, brand) if kind == "spam_keyword" else spam_title(rng)[1]
        if rng.random() < 0.6:
            parts.append(("title", title if rng.random() < 0.5 else spam_title(rng)[1]))
        if kind == "spam_titled" and rng.random() < 0.5:
            parts.append(("meta", meta_line(rng)))
        parts += [("spliced", ln) for ln in spliced_lines(rng, sents, rng.choice([0.0, 0.5, 0.8]), stuff)]
        if rng.random() < 0.4:
            parts += [("chrome", ln) for ln in app_chrome(rng)]
    if rng.random() < 0.5:
        url = f"https://www.{_token(rng, 5, 8).lower()}.example.com/{rng.randint(1, 10**7)}.html"
    else:  # parasite pages live on hijacked, respectable-looking hosts too
        host = rng.choice(["news.example-cctv.cn", "law.example-npc.cn", "www.example-news.cn"])
        url = f"https://{host}/{rng.choice(['html', 'news', 'a', 'p'])}/{rng.randint(1, 10**7)}.html"
    return {
        "url": url, "title": title, "text": "\n".join(ln for _, ln in parts), "label": "spam",
        "kind": kind, "source": "spam", "article_lines": [],
        "spam_lines": [{"part": p, "line": ln} for p, ln in parts], "chrome_lines": [],
    }  # fmt: skip


# ------------------------------------------------------------------------------------ assembly
CLEAN_SHARE = {"news": 0.40, "laws": 0.22, "tidb_docs": 0.15, "extraction": 0.10, "html_gne": 0.05,
               "poetry": 0.04}  # fmt: skip
INJECT_SHARE = {"news": 0.45, "laws": 0.20, "tidb_docs": 0.15, "extraction": 0.10, "html_gne": 0.07,
                "poetry": 0.03}  # fmt: skip
SMALL = ("extraction", "html_gne")
"""Sources with ~100 pages: their pages are reused between clean and injected rows (paired)."""


def allocate(total: int, share: dict[str, float], have: dict[str, int]) -> dict[str, int]:
    want = {s: min(int(total * f), have[s]) for s, f in share.items()}
    want["news"] += total - sum(want.values())
    return want


def build(shared: Path, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    pools: dict[str, list[Article]] = {}
    sizes = {
        "news": 6000,
        "laws": 3000,
        "tidb_docs": 2000,
        "poetry": 600,
        "html_gne": 10**6,
        "extraction": 10**6,
    }
    for src, k in sizes.items():
        min_chars = 50 if src == "poetry" else 120
        pools[src] = sample_units(shared, src, k, random.Random(f"{seed}-{src}"), min_chars)
        rng.shuffle(pools[src])
        print(f"[pool] {src}: {len(pools[src])} units ({time.perf_counter() - t0:.1f}s)", file=sys.stderr)

    n_clean, n_inj = round(n * 0.5), round(n * 0.25)
    n_spam = n - n_clean - n_inj
    have = {s: len(p) for s, p in pools.items()}
    clean_alloc = allocate(n_clean, CLEAN_SHARE, have)
    inj_have = {s: (len(p) if s in SMALL else len(p) - clean_alloc[s]) for s, p in pools.items()}
    inj_alloc = allocate(n_inj, INJECT_SHARE, inj_have)

    hosts_clean: list[Article] = []
    hosts_inj: list[Article] = []
    for src, pool in pools.items():
        hosts_clean += pool[: clean_alloc[src]]
        start = 0 if src in SMALL else clean_alloc[src]
        hosts_inj += (pool[start:] + pool[:start])[: inj_alloc[src]]
    used = {a.key for a in hosts_clean + hosts_inj}
    # The bank: a cross-source mix, mostly articles not used as hosts (hosts are excluded per row anyway).
    bank_articles = [
        a for src in ("news", "laws", "tidb_docs", "poetry") for a in pools[src] if a.key not in used
    ]
    bank_articles += pools["extraction"] + pools["html_gne"]
    bank = SentenceBank(bank_articles)
    print(f"[bank] {sum(map(len, bank.sents))} sentences from {len(bank.keys)} articles", file=sys.stderr)

    rows = [clean_row(rng, a, chrome=rng.random() < 0.25) for a in hosts_clean]
    rows += [injected_row(rng, a, bank) for a in hosts_inj]
    kinds = rng.choices(["spam_keyword", "spam_titled", "spam_spliced"], [0.35, 0.35, 0.30], k=n_spam)
    rows += [spam_row(rng, bank, k) for k in kinds]
    rng.shuffle(rows)
    width = max(5, len(str(len(rows))))
    return [{"id": f"s{i:0{width}d}", **r} for i, r in enumerate(rows)]


def print_counts(rows: list[dict]) -> None:
    by = Counter((r["label"], r["kind"], r["source"]) for r in rows)
    labels = Counter(r["label"] for r in rows)
    print(f"{len(rows)} rows: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    print("| label | kind | source | rows |\n|---|---|---|---|")
    for (label, kind, src), c in sorted(by.items()):
        print(f"| {label} | {kind} | {src} | {c} |")
    parts = Counter(s["part"] for r in rows for s in r["spam_lines"])
    print("spam lines by part: " + ", ".join(f"{k} {v}" for k, v in sorted(parts.items())))


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "_work" / "spam_eval.jsonl")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    require_shared(args.shared)
    rows = build(args.shared, args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as fh:
        for r in rows:
            fh.write(orjson.dumps(r) + b"\n")
    print(f"wrote {args.out}")
    print_counts(rows)


if __name__ == "__main__":
    main()
