"""A small, high-precision lexicon of porn, gambling and black-market terms, written for taoyu.

The community lists in circulation (thousands of words: 色情词库, 广告类型…) hit up to 78% of clean
news paragraphs because they contain everyday words (午夜, 激情, 开奖, 小姐), so "any hit, drop" with
them destroys a corpus. These patterns are phrases that clean Chinese web text practically never
uses: each was checked against news, law, documentation and poetry corpora (bench/filters.py
reports how often each category fires on clean text). Terms a clean article can use in passing
(赌博 in a police report, 色情 in a policy) are deliberately absent: they say what an article is
about, not that a page is spam.

The patterns and anchors are written in Simplified and asked of the text folded to Simplified
character by character (:mod:`taoyu.text.script`), so 國產自拍 and 真人百家樂 are found as their
Simplified forms are; spans in the folded text are spans of the original.
"""

from __future__ import annotations

import re

from taoyu.text.chars import codes
from taoyu.text.literals import WordLists
from taoyu.text.recent import RecentPages
from taoyu.text.script import fold, fold_codes, text_of

PORN = (
    r"国产(在线|精品|自拍|偷拍|av|AV|视频|乱|亚洲)|尤物(视频|在线|影院|网站)|无码|有码|一本道|女优|(av|AV)(在线|电影|天堂|片|网)"
    r"|(成人|色情|黄色|情色)(影院|电影|视频|网站|网址|小说|图片|直播)|(偷拍|自拍)(视频|在线|偷拍|图片)"
    # Adult games and comics, each beside what makes it one (黄油 is butter; 里番, 工口 and 拔作 occur
    # across word boundaries in poems and news), 18禁 not in 18禁止; 成人游戏 is left out: an
    # encyclopedia writes it
    r"|绅士(游戏|漫画|动漫|资源)|黄油(下载|汉化|合集|资源|游戏)|工口(游戏|漫画|动漫|本子)|里番(动漫|动画|资源|下载|在线)"
    r"|拔作(游戏|下载|资源)|18禁(?!止)|[Rr]18(游戏|漫画|本子|资源)"
    r"|本子(漫画|资源|合集|下载)"
    r"|福利(视频|影院|在线|姬|网站)|伦理(片|电影|在线)|三级(片|电影|在线)|黄片|毛片|a片|A片"
    r"|(美女|少妇|人妻|熟女|萝莉)(裸|脱衣|诱惑|自慰|被)|裸(聊|体视频|照视频)|约炮|一夜情|(?<!支)援交|乱伦"
    # 支援交通 (Taiwan's 支持), 一次性交纳, 区域性交通, 随机性交易, 争做爱党爱国, 做爱心人士: words
    # that meet, not the words
    r"|做爱(?![国党心岗民家护卫校戴])|性交(?![通易纳流付费往换接界汇叉替])|口交|丝袜(美腿|诱惑)|激情(视频|电影|小说|图片|五月|网)|色(播|中色|综合|狠狠|婷婷|姑娘|情网)"
    r"|亚洲(色|无码|精品|av|AV)|欧美(色|精品|无码|av|AV)|日韩(精品|无码|av|AV)|久久(精品|热|爱|综合|re)"
    r"|午夜(福利|影院|剧场|视频|在线|免费)|夜夜(爽|撸|射)|撸(撸|一撸)|插插|操逼|骚逼|奶子|[一二三]区[二三四]区"
    r"|私拍|(影院|影视|视频网)\d{2,}|人妻|(欧美|亚洲|日韩|国产|成人|午夜|激情|久久)\S{0,4}(在线播放|免费播放|偷拍|精品视频)"
)
GAMBLING = (
    r"(澳门|新)?(葡京|金沙|威尼斯人)(娱乐|赌场|官网|平台|棋牌)|赌场|博彩|百家乐|娱乐城|真人(娱乐|视讯|荷官)"
    r"|时时彩|六合彩|香港马会|北京赛车|[pP][kK]10|老虎机|电子游艺|(棋牌|捕鱼)(游戏)?(平台|官网|下载|app|APP)"
    r"|(线上|网上|网络)(赌博平台|博彩|赌场)|赌(球|钱网站|博网站)|(投注|下注)(平台|网站|技巧|网址)"
    r"|彩票(平台|网站|app|APP|注册|计划|网投)|彩金|首存送|注册送|(体育|娱乐|彩票)(官网|平台)(登录|注册|入口|下载)"
    r"|bet365|亚博(体育|娱乐)|皇冠(体育|足球|平台|网址|现金)|(一码|特码|平特|三肖|六肖|精准)(中特|一肖|资料|必中)"
    r"|开元棋牌|德州扑克(平台|官网)|斗地主(赢钱|真钱)|真钱(游戏|棋牌|捕鱼)|幸运飞艇|快乐8|大发快三|[江极]速快三"
    r"|(快三|快3|11选5|时时彩|飞艇|赛车)(计划|平台|开奖|官网)|开奖直播|麻将下分|上分下分|(娱乐|彩票|体育)(vip)?app下载"
    r"|(牛牛|麻将|斗地主|棋牌|捕鱼)\S{0,4}(真人|提现|下分|秒到账|赢钱|官方下载)|秒到账|网投|(体育|娱乐)投注"
    r"|(极速赛车|福彩3D|双色球|彩票)\S{0,6}(计划|预测|平台|稳赚)|第20\d{5}期"
)
BLACK_MARKET = (
    r"代孕|供卵|借卵|私服|(冰雪|热血|单职业|超变|复古)传奇|外挂(下载|购买|出售)|办证|代开(发票|增值税)|发票代开|刷单(兼职|返利)|(出售|买卖|收购)(银行卡|身份证|手机卡|公民信息)"
    r"|迷药|(枪支|仿真枪|气枪)(出售|购买|网购)|裸贷|套现(平台|秒到)|代办(信用卡|学历)"
)

CATEGORIES: dict[str, re.Pattern[str]] = {
    "porn": re.compile(PORN),
    "gambling": re.compile(GAMBLING),
    "black_market": re.compile(BLACK_MARKET),
}
ANY = re.compile("|".join(f"(?:{p})" for p in (PORN, GAMBLING, BLACK_MARKET)))

# Every match of the patterns above contains one of these literals. Finding them all is one
# compiled pass (``WordLists``; 0.014 ms where the patterns cost 0.74 ms on a 900-character
# page), so the patterns only run in windows around an anchor. Anchors common in clean text
# (精准, 资料, 平台, 娱乐) are replaced by the longer pieces the patterns really need.
ANCHORS = """
国产 尤物 无码 有码 一本道 女优 av AV 成人 色情 黄色 情色 偷拍 自拍 福利 伦理 三级 黄片 毛片 a片 A片
美女 少妇 人妻 熟女 萝莉 裸 约炮 一夜情 援交 乱伦 做爱 性交 口交 丝袜 激情 色播 色中色 色综合 色狠狠
色婷婷 色姑娘 亚洲 欧美 日韩 久久 午夜 夜夜 撸 插插 操逼 骚逼 奶子 区二区 区三区 区四区 私拍 影院 影视
视频网 葡京 金沙 威尼斯人 赌场 博彩 百家乐 娱乐城 真人 时时彩 六合彩 香港马会 北京赛车 pk10 PK10 Pk10
pK10 老虎机 电子游艺 棋牌 捕鱼 赌博平台 赌球 赌钱网站 赌博网站 投注 下注 彩票 彩金 首存送 注册送
官网登录 官网注册 官网入口 官网下载 平台登录 平台注册 平台入口 平台下载 bet365 亚博 皇冠 中特 一肖 必中
码资料 肖资料 特资料 准资料 德州扑克 斗地主 真钱 幸运飞艇 快乐8 快三 快3 11选5 飞艇 赛车 开奖 麻将 下分
app下载 牛牛 秒到账 网投 福彩 双色球 第20 代孕 供卵 借卵 私服 传奇 外挂 办证 代开 发票代开 刷单 银行卡
身份证 手机卡 公民信息 迷药 枪支 仿真枪 气枪 套现 代办 绅士 黄油 工口 里番 拔作 18禁 R18 r18 本子
""".split()  # noqa: SIM905 (a word list reads best as text)
_ANCHORS = WordLists({"anchors": ANCHORS})
_REACH = 20  # no pattern reaches further than this from its anchor


_recent: RecentPages[tuple[str, list[tuple[int, int]]]] = RecentPages()


def _scan(text: str) -> tuple[str, list[tuple[int, int]]]:
    points = codes(text)
    folded = fold_codes(points)  # checked on the code points the anchors are found in
    if folded is None:
        return text, _ANCHORS.find_all_in(points)
    return text_of(folded), _ANCHORS.find_all_in(folded)


def _folded(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` folded to Simplified, and the spans of the anchors in it; a page's are
    remembered, as two steps ask for them."""
    if len(text) < 200:  # a title or a line: scanning is cheaper than remembering
        return _scan(text)
    return _recent.get(text, _scan)


def _windows(text: str, anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Disjoint spans of ``text`` around ``anchors``: the only places a pattern can match."""
    spans: list[list[int]] = []
    for start, end in anchors:
        lo, hi = max(0, start - _REACH), end + _REACH
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return [(lo, min(hi, len(text))) for lo, hi in spans]


def anchored_lines(text: str) -> list[int]:
    """Indices of the lines of ``text`` (split on newlines) holding an anchor: the only lines
    ``search`` can be true for. One scan of the page instead of one per line. No anchor spans a
    newline, so every line holding an anchor gets at least one of the scan's matches."""
    out: list[int] = []
    line, pos = 0, 0
    for start, _ in _folded(text)[1]:  # the fold leaves newlines where they are
        line += text.count("\n", pos, start)
        pos = start
        if not out or out[-1] != line:
            out.append(line)
    return out


def search(text: str) -> bool:
    """Whether any pattern matches ``text`` (folded to Simplified)."""
    folded, anchors = _folded(text)
    return any(ANY.search(folded, lo, hi) for lo, hi in _windows(folded, anchors))


def hits(text: str) -> dict[str, int]:
    """Matches per category (categories without a match are left out)."""
    folded, anchors = _folded(text)
    out: dict[str, int] = {}
    for lo, hi in _windows(folded, anchors):
        if not ANY.search(folded, lo, hi):
            continue
        for name, pattern in CATEGORIES.items():
            n = len(pattern.findall(folded, lo, hi))
            if n:
                out[name] = out.get(name, 0) + n
    return out


def matches(text: str) -> list[str]:
    """The phrases the patterns match in ``text``, as folded to Simplified, in order."""
    folded, anchors = _folded(text)
    return [m.group(0) for lo, hi in _windows(folded, anchors) for m in ANY.finditer(folded, lo, hi)]


def hits_exhaustive(text: str) -> dict[str, int]:
    """``hits`` without the anchor windows: slow, for checking that the anchors miss nothing."""
    text = fold(text)
    out = {}
    for name, pattern in CATEGORIES.items():
        n = len(pattern.findall(text))
        if n:
            out[name] = n
    return out
