"""What kind of text a document is (news, notice, tutorial, Q&A...), from the marks each kind leaves.

The second axis of a document's label, beside its industry: a finance dataset of news reports is
not one of forum threads. Each kind is recognised by the conventions of its genre, which hold on
every site: a news report names its reporter or agency and its date, a notice ends "特此通知",
a statute counts its articles (第十二条), a thread has floors and replies, a tutorial numbers its
steps, a listing is lines without sentences. Each cue adds its weight once per match, up to a cap
(a page that says "回复" forty times is no more a forum than one that says it five times); the
kind with the highest score wins, and a text with no score above ``MIN_SCORE`` is ``other``.

Rules, not a model: the genres are defined by these conventions, a person can read why a page got
its type (the scores are returned), and there is no labelled web text the project may train on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from taoyu.text.script import fold

KINDS = (
    "news",
    "government_notice",
    "academic",
    "tutorial",
    "qa",
    "forum",
    "blog",
    "literature",
    "legal",
    "product",
    "listing",
    "advertising",
)
OTHER = "other"
MIN_SCORE = 2.0
"""A type needs at least this much evidence (two strong cues, or several weak ones)."""


@dataclass(frozen=True)
class Cue:
    """A pattern that marks a kind of text: its weight per match, and at most ``cap`` matches count."""

    pattern: re.Pattern[str]
    weight: float
    cap: int = 3


def _cue(regex: str, weight: float, cap: int = 3) -> Cue:
    return Cue(re.compile(regex, re.MULTILINE), weight, cap)


_NUM = "[一二三四五六七八九十百零〇两0-9]"
_AGENCIES = "新华社|中新社|中新网|央视网|人民网|新华网|澎湃新闻|财新网"
"""Newsrooms whose name opens a report's lead: 新华社北京6月1日电, 央视网消息 (and 本报讯, 本台消息,
which are not followed by 电: 本台电脑 is a computer)."""
CUES: dict[str, tuple[Cue, ...]] = {
    "news": (
        _cue(rf"(?:{_AGENCIES})(?:记者|讯|电|消息)|(?:本报|本台)(?:记者|讯|消息)", 2.0, 2),
        _cue(r"(?:记者|通讯员)\s*[\u4e00-\u9fff]{2,4}(?:\s|报道|摄|）|\))", 1.5, 2),
        _cue(rf"月{_NUM}{{1,3}}日(?:电|讯)", 2.0, 1),
        # Taiwan's and Hong Kong's reporter lines (记者王小明／台北报导) and a dateline without its
        # month (中央社记者…台北1日电), as the text folded to Simplified writes them.
        _cue(r"记者\s*[\u4e00-\u9fff]{2,4}\s*[／/]\s*[\u4e00-\u9fff]{1,8}报[导道]", 2.0, 1),
        _cue(r"[\u4e00-\u9fff]{2,3}\d{1,2}日电", 2.0, 1),
        _cue(r"据[^。\n]{1,20}(?:报道|消息|介绍|了解)", 1.0, 2),
        _cue(r"(?:近日|日前|昨天|昨日|今天上午|当天|记者从|记者了解到|消息称|表示|据悉|获悉)", 0.4, 5),
        _cue(r"(?:责任编辑|编辑|来源)[:：]", 0.7, 2),
        # A portal's reprint of another newsroom's report names the original headline; a lead
        # opens with the newsroom and 讯 (新京报讯, 北京商报讯, 华龙网-新重庆客户端讯).
        _cue(r"(?:^|[（(])(?:本文)?原标题[:：]", 2.0, 1),
        _cue(r"^[^\n，。！？]{0,16}(?<![通资])讯(?:[ \t　]|\s*[，,（(])", 2.0, 1),
        # Today's date as reports write it (今（9）日, 今日（23日）), a reporter told something, and a
        # dated event with its reporting verb.
        _cue(r"今日?\s*[（(]\s*\d{1,2}\s*日?\s*[）)]", 2.0, 1),
        _cue(r"记者从[^。\n]{1,20}(?:获悉|了解到)", 2.0, 1),
        _cue(r"(?:告诉|对)[^。\n]{0,12}记者", 1.0, 2),
        _cue(
            rf"{_NUM}{{1,3}}月{_NUM}{{1,3}}日[^。\n]{{0,30}}?(?:表示|称|宣布|发布|获悉|介绍|透露|召开|举行|通报)",
            0.8,
            2,
        ),
    ),
    "government_notice": (
        _cue(r"特此(?:通知|公告|通告|公示|函告)", 3.0, 1),
        _cue(r"^关于[^\n]{2,60}的(?:通知|公告|通告|意见|决定|批复|函|公示|办法)\s*$", 2.5, 1),
        _cue(r"各(?:有关单位|区县|县（市、区）|部门|乡镇|级|有关部门|直属单位)[：:，,]", 2.0, 1),
        _cue(r"(?:现将|现就)[^。\n]{0,30}(?:通知|公告|公布|印发|公示)如下", 2.0, 1),
        _cue(r"(?:人民政府|办公厅|办公室|委员会|局)\s*\n?\s*20\d\d年\d{1,2}月\d{1,2}日", 1.5, 1),
        _cue(r"(?:印发|发布|公示期|联系电话|附件[：:0-9])", 0.5, 3),
    ),
    "academic": (
        _cue(r"^(?:摘\s*要|关键词|关键字|Abstract|Keywords|参考文献|基金项目)[：:\s]", 2.0, 3),
        _cue(r"\[\d{1,3}\]", 0.5, 6),
        _cue(r"(?:本文|本研究|研究表明|结果表明|实验结果|显著性|样本|假设|模型|方法论|p\s*<\s*0\.0)", 0.4, 6),
        _cue(r"doi[:：]|DOI[:：]|ISSN|et al\.", 1.5, 2),
    ),
    "tutorial": (
        _cue(rf"(?:第{_NUM}步|步骤\s*{_NUM}|Step\s*\d)", 1.5, 3),
        # A numbered list alone is not a tutorial (a digest of headlines is numbered too).
        _cue(r"^\s*\d{1,2}[.、)）]\s*\S", 0.3, 5),
        _cue(r"(?:教程|教你|如何|怎么|怎样|方法如下|操作步骤|具体步骤|注意事项)", 0.6, 4),
        _cue(r"(?:首先|然后|接着|最后|点击|打开|输入|选择|安装|运行|设置)", 0.25, 8),
        _cue(r"(?:\(\)|```|import [a-z]|def [a-z]|function [a-z]|^[ \t]*[$#>][ \t]+[A-Za-z])", 1.0, 4),
    ),
    "qa": (
        _cue(r"^\s*(?:问|Q)[：:]", 1.5, 3),
        _cue(r"^\s*(?:答|A)[：:]", 1.5, 3),
        _cue(r"(?:最佳答案|满意答案|推荐答案|提问者采纳|追问|网友回答|个回答|回答数|问题描述)", 1.5, 3),
        _cue(r"[？?][ \t]*$", 0.5, 4),
    ),
    "forum": (
        _cue(r"(?:楼主|沙发|板凳|地板|[0-9] ?楼|[0-9]#)", 1.0, 4),
        _cue(r"(?:回复|引用|发表于|跟帖|顶帖|帖子|主题帖|只看该作者|倒序浏览)", 0.6, 5),
    ),
    "blog": (
        _cue(r"我们?(?:的|觉得|认为|想|今天|也|就|在|是|去|又|还)", 0.3, 8),
        _cue(r"(?:日记|随笔|博客|博文|个人主页|分类[：:]|标签[：:]|阅读\(\d+\))", 0.8, 3),
    ),
    "literature": (
        _cue(rf"^\s*第{_NUM}{{1,4}}[章回节]\s", 2.0, 2),
        _cue(r"[“\"「][^”\"」\n]{2,80}[”\"」]\s*(?:他|她|我)?(?:说|道|问|喊|笑道)", 0.6, 5),
        _cue(r"(?:他|她)(?:看着|望着|笑了|叹了口气|低声|轻声|转过身|想起)", 0.5, 5),
        _cue(r"^[\u4e00-\u9fff]{5,7}[，,][\u4e00-\u9fff]{5,7}[。．]\s*$", 1.0, 4),
    ),
    "legal": (
        _cue(rf"^\s*第{_NUM}{{1,4}}条\s", 1.2, 5),
        _cue(rf"^\s*第{_NUM}{{1,3}}章\s", 0.8, 2),
        _cue(r"(?:本法|本条例|本办法|本规定|本解释)", 1.0, 3),
        _cue(r"(?:原告|被告|上诉人|被上诉人|审判长|判决如下|本院认为|裁定如下)", 1.2, 4),
    ),
    "product": (
        _cue(r"(?:[¥￥] ?[0-9]|元(?:/|起|包邮)|价格[：:])", 0.8, 4),
        _cue(
            r"(?:加入购物车|立即购买|包邮|现货|库存|月销|已售|规格|型号|尺寸|颜色分类|产品参数|品牌[：:])",
            0.8,
            5,
        ),
    ),
    "advertising": (
        _cue(r"(?:限时|优惠|特价|免费领取|立即咨询|抢购|火爆招商|加盟热线|诚招|扫码|添加微信|私信)", 0.8, 5),
        _cue(r"(?:咨询热线|服务热线|联系电话|电话[：:])\s*[\d\-－ ]{7,}", 1.0, 2),
    ),
}


@dataclass(frozen=True)
class ContentType:
    """A text's kind, how strongly it showed, and every kind's score (for the ledger)."""

    kind: str
    score: float
    scores: dict[str, float]


def listing_score(text: str) -> float:
    """How much the text reads as a list of links or headlines: many short lines, few sentences.

    0 for prose; up to 4 for a page of twenty or more short lines none of which ends a sentence.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 6:
        return 0.0
    short = sum(
        1 for line in lines if len(line) <= 40 and not line.endswith(("。", "！", "？", ".", "!", "?"))
    )
    share = short / len(lines)
    return round(max(0.0, share - 0.5) * 8 * min(len(lines), 20) / 20, 3)


# Where a page says what it is before its text does: a question as its title (the site's name
# after it aside: "…为什么？ - 知乎"), a Q&A site's or a forum's address.
_QUESTION_TITLE = re.compile(r"[？?]\s*(?:[-_|｜—–]+\s*[^？?]{1,30})?\s*$")
_QA_URL = re.compile(r"/questions?/|zhidao\.|wenda\.|/wenda/|/ask/|/answers?/", re.IGNORECASE)
_FORUM_URL = re.compile(r"/thread-|/forum|viewthread|showtopic|/bbs/|//bbs\.|tieba\.|/t/\d", re.IGNORECASE)
_PAGE_CUES = {"qa": 1.5, "forum": 1.5}
"""What a question title and a Q&A address each add to ``qa``, a forum's address to ``forum``:
more than one cue of the text, less than a type's minimum alone (a report may ask in its
headline); a question at a question's address is Q&A."""


def classify(
    text: str, max_chars: int = 1500, title: str | None = None, url: str | None = None
) -> ContentType:
    """The kind of ``text`` (its first ``max_chars`` characters are read, folded to Simplified:
    a Taiwan report's 記者 is a reporter too), with the page's ``title`` and ``url`` when known:
    a question for a title, a Q&A site's or a forum's address."""
    head = fold(text[:max_chars])  # the cues are written in Simplified, as every rule is
    title = fold(title) if title else title
    scores = {kind: 0.0 for kind in KINDS}
    for kind, cues in CUES.items():
        total = 0.0
        for cue in cues:
            hits = 0
            for _ in cue.pattern.finditer(head):
                hits += 1
                if hits >= cue.cap:
                    break
            total += cue.weight * hits
        scores[kind] = round(total, 3)
    scores["listing"] = listing_score(head)
    for asks in (bool(title and _QUESTION_TITLE.search(title)), bool(url and _QA_URL.search(url))):
        scores["qa"] = round(scores["qa"] + _PAGE_CUES["qa"] * asks, 3)
    if url and _FORUM_URL.search(url):
        scores["forum"] = round(scores["forum"] + _PAGE_CUES["forum"], 3)
    kind = max(KINDS, key=lambda k: scores[k])
    if scores[kind] < MIN_SCORE:
        return ContentType(OTHER, scores[kind], scores)
    return ContentType(kind, scores[kind], scores)
