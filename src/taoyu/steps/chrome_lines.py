"""Line-level removal of page chrome: app prompts, share bars, counters, bylines, footers, link lists.

Extractors leave these behind and WET text is full of them ("打开APP,阅读全文", "分享成功",
"阅读 5450045", "【编辑:惠小东】", "上一篇", a "热点推荐" list). They are recognised by pattern here,
one document at a time; the cross-document evidence (a line many pages of a site share) is the
``repeated_lines`` step's job, after dedup.

Patterns only fire on short lines: a long line that mentions "公众号" is prose, not a prompt.
Every removed line is listed in the edit event (index, reason, a prefix of the text), so the
ledger says which lines went and why.

The patterns are written in Simplified and matched against the page folded to Simplified
character by character (:mod:`taoyu.text.script`), so 責任編輯：… and 上一則 on a Taiwan portal go as
责任编辑：… and 上一则 do; the lines kept or removed are the page's own. A few Taiwan words that no
character fold reaches are spelled in their folded form (列印 for 打印, 报导 for 报道, 点阅, 字级).
User patterns (``extra_patterns``) see the line as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import Field

from taoyu.document import Document, meta_count
from taoyu.jit import kernel
from taoyu.registry import register
from taoyu.steps.base import StepParams, Transform
from taoyu.text import chars
from taoyu.text.chars import char_flags, codes
from taoyu.text.literals import WordLists
from taoyu.text.script import fold, fold_codes, fold_each, text_of

_PUNCT_AND_SPACE = r"\s,，.。:：;；!！?？、|｜/\\·•・\-—_~～>》<《()（）\[\]【】\"'“”‘’*#+"

_APP_PROMPT = re.compile(
    r"(打开|开启|下载|安装|前往|去)\s*\S{0,4}(APP|App|app|客户端)|(APP|App|app|客户端)\s*内?(打开|阅读|查看|观看)"
    r"|(阅读|查看|展开|显示)\s*(全文|剩余|余下|更多内容)|^展开$|^收起$|扫码(下载|关注|阅读|观看)|扫一扫"
    r"|长按(识别|扫码|二维码)|关注(我们|公众号|微信公众号|官方微信)|点击(关注|下载|查看|进入|阅读|播放)"
    r"|^直接打开$|继续阅读|^打开$|立即(下载|打开|体验)|^(安装|下载|打开)(应用|软件|APP|App|app)$"
)
# A bar of widgets: once these words, numbers and punctuation are taken away, nothing is left.
_WIDGET_WORDS = re.compile(
    r"分享到|分享至|分享成功|分享|转发|转寄|收藏|点赞|评论|举报|投诉|复制链接|复制连结|复制网址|链接已复制|"
    r"打印本页|列印本页|打印|列印|关闭窗口|关闭视窗|关闭本页|关闭|窗口|视窗|本页|"
    r"字号|字级|字体大小|字体|字型|默认|[大中小]|微信朋友圈|朋友圈|微信|微博|QQ空间|QQ|抖音|豆瓣|人民号|头条号|好友|"
    r"Facebook|facebook|Twitter|LINE|Line|Plurk|E-?mail|脸书|推特|广告|ADVERTISEMENT|Advertisement|advertisement|"
    r"阅读原文|原文|阅读数|阅读次数|阅读|浏览量|浏览次数|浏览|点击量|点击数|点击次数|点击|点阅数|点阅|访问次数|访问量|"
    r"播放量|播放|人气|热度|在看|喜欢|顶|踩|"
    r"支持楼主|楼主|支持|反对|人支持|人反对|人喜欢|人点赞|人阅读|人评论|次阅读|次浏览|次|人|条评论|"
    r"我要评论|发表评论|写评论|回复|引用|来自|查看更多|更多|返回顶部|返回|顶部|"
    r"网站地图|联系我们|关于我们|网站声明|隐私政策|法律声明|使用帮助|设为首页|加入收藏|意见反馈|友情链接|网站导航|首页|"
    r"[0-9０-９]+[万千wWkK+]?|[" + _PUNCT_AND_SPACE + r"]"
)
_WIDGET_NAME = re.compile(
    r"分享|转发|转寄|收藏|点赞|评论|举报|投诉|复制链接|复制连结|打印|列印|关闭|字号|字级|字体|字型|朋友圈|微信|微博|"
    r"QQ|抖音|豆瓣|阅读|浏览|点击|点阅|播放|人气|热度|在看|喜欢|顶|踩|支持|反对|楼主|回复|引用|更多|返回|广告|"
    r"ADVERTISEMENT|Advertisement|advertisement|网站地图|联系我们|关于我们|网站声明|隐私政策|法律声明|设为首页|"
    r"加入收藏|友情链接|网站导航"
)
_BYLINE = re.compile(
    r"^[【\[（(]?\s*(责任编辑|责编|编辑|主编|审核|审校|校对|值班编辑|实习编辑|来源|资料来源|新闻来源|信息来源|文章来源|"
    r"稿件来源|作者|记者|摄影|"
    r"摄像|通讯员|出品|监制|策划|制作|撰文|撰稿|编译|图片来源|图源|文|图)\s*[:：|丨/／]\s*[^。！？]{0,24}[】\]）)]?$"
)
# A reporter's line: 记者陈大文／台北报导, （记者 张三 李四）; asked only of lines holding 记者.
_REPORTER = re.compile(
    r"[【\[（(]?\s*(本报|本台|本网|中央社)?(特约|实习)?记者\s*[^。！？，,]{1,20}?[／/]\s*[^。！？，,\s]{1,12}(报导|报道)"
    r"\s*[】\]）)]?$|[【\[（(]\s*(本报|本台|本网|中央社)?(特约|实习)?记者\s*[^。！？，,()（）\[\]【】]{1,20}[】\]）)]$"
)
# Every branch starts with a literal character: re then skips, in C, to where one of those
# characters stands, where one branch opening with a class or a group makes it try every branch at
# every position (a page-wide search twice as slow).
_DISCLAIMER = re.compile(
    r"版权所有|版权归.{0,12}所有|版权均属|著作权所有(?![人者])|Copyright|copyright|©|"
    r"未经(授权|许可|允许).{0,12}(转载|使用|复制)|禁止转载|谢绝转载|严禁转载|不得转载|请勿转载|转载请注明|"
    r"转载必究|翻印必究|盗版必究|不代表本(网|站|平台|网站|号)(的)?(观点|立场)|"
    r"如(有|存在|涉及)(侵权|版权)|侵权.{0,8}(删除|联系|删)|免责声明|ICP备|ICP证|公网安备|增值电信业务|"
    # A portal's reprint terms and its price list for reprinting pictures
    r"凡本(网|站|报)注明|转载本(网|站|报)(图片|照片|作品|稿件|文章)|"
    r"图片(转载|使用)(价格|费用|收费|标准|稿酬)|照片(转载|使用)(价格|费用|收费|标准|稿酬)"
)
# A government page's document record (索引号, 发文字号… above the notice) and a site's own record
# (网站标识码, the browser it was built for): metadata, on every public-sector site alike.
_DOCUMENT_RECORD = re.compile(
    r"^(索引号|发文字号|文号|主题分类|公开方式|公开范围|公开时限|成文日期|发布机构|发文机关|组配分类)\s*[:：]"
)
_SITE_RECORD = re.compile(
    r"^((政府)?网站(标识|识别)码|最佳浏览|(建议|推荐)您?(使用|采用).{0,30}(浏览器|分辨率|浏览))"
)
_NAVIGATION = re.compile(
    r"^([上下]一(篇|页|条|则)|返回(顶部|顶端|首页|列表|上页|目录)|回到(顶部|顶端|首页)|回(顶部|顶端)|当前位置|"
    r"您(当前|现在|目前)?的?位置|你(当前|现在|目前)?的?位置\s*[:：]|所在位置|目前(的)?位置\s*[:：]|"
    r"位置\s*[:：]\s*首页|首页\s*[>›»/])"
)
_POST_META = re.compile(
    r"^(发布时间|发表时间|发布于|发表于|更新时间|更新于|时间|日期|发布日期)\s*[:：]?\s*\d{4}[-/.年]"
    r"|^\S{1,20}\s*(发表于|发布于|回复于|编辑于|最后编辑于)\s*[:：]?\s*\d{4}[-/.年]"
)
# A post's meta line: a date or a source/author, and a view counter ("2025-02-27 来源：某某 浏览：85609次").
_DATE_OR_BYLINE = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|来源|作者|发布|发表"
_COUNTER = r".{0,40}(阅读|浏览|点击|点阅|评论|人气)\s*[(（:：]?\s*\d+"
_COUNTER_META = re.compile(rf"(^{_DATE_OR_BYLINE}){_COUNTER}")
# Unanchored, it matches a page wherever _COUNTER_META matches one of its lines.
_COUNTER_META_ANYWHERE = re.compile(rf"({_DATE_OR_BYLINE}){_COUNTER}")
_TIMESTAMP = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s*\d{1,2}:\d{2}(:\d{2})?)?$")
# A name and a date, alone on a line under the title: who published it and when ("深圳中学
# 2013-03-26", "cn.engadget.com 2012-08-04"). Only among a page's first lines: further down the
# same shape is a notice's own line ("报名截止 2024-05-10").
_NAME_DATE = re.compile(
    r"^[^\s。，！？；：:,!?;]{2,30}\s+\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$"
)
_LIST_HEADING = re.compile(
    r"^(热点推荐|热门推荐|热门导读|热门文章|热门阅读|热门新闻|热门资讯|热门排行|热门标签|相关阅读|相关推荐|"
    r"相关文章|相关新闻|相关链接|相关资讯|延伸阅读|推荐阅读|猜你喜欢|为你推荐|更多精彩|精彩推荐|今日推荐|"
    r"编辑推荐|排行榜|点击排行|阅读排行|最新文章|最新资讯|最新新闻|热点新闻|热点资讯|大家都在看|看了又看|"
    r"网友评论|最新评论|热门评论|精彩评论|全部评论|相关报导|相关报道|更多新闻|即时新闻|推荐新闻|人气文章|"
    r"重点推荐|本站推荐|小编推荐|猜你想看|相关专题|专题推荐)\s*[:：>》»]*$"
)
_BULLET = re.compile(r"^[•·●○■□▪▫◆◇►▶▸➤\-*]\s*")
_SENTENCE_END = re.compile(r"[。！？!?]")


class ChromeLinesParams(StepParams):
    """How long a line may be and still be removed as chrome, per kind of pattern, and which optional
    rules run: the length caps keep an article sentence that happens to match from being cut."""

    max_chrome_chars: int = Field(40, ge=1)
    """Prompt, widget, byline and navigation patterns only remove lines up to this long."""
    max_disclaimer_chars: int = Field(120, ge=1)
    """Copyright and disclaimer lines run longer; they are removed up to this length."""
    link_lists: bool = True
    """Remove a "热点推荐 / 相关阅读" heading and the run of short link-like lines under it."""
    max_list_item_chars: int = Field(60, ge=1)
    """A line under a list heading is a list item if it is this short and not prose."""
    header_lines: int = Field(4, ge=0)
    """A name and a date alone on a line ("深圳中学 2013-03-26") is publication metadata among the
    page's first this many non-empty lines (0: off)."""
    max_footer_fragment_chars: int = Field(20, ge=0)
    """Unpunctuated lines up to this long among the chrome at a page's end are footer (0: off)."""
    extra_patterns: list[str] = Field(default_factory=list)
    """Site-specific regular expressions; a short line that matches (as written, not folded to
    Simplified) is removed with reason 'custom'."""
    max_logged_lines: int = Field(50, ge=0)
    """Removed lines listed in the ledger per document (all are counted)."""


@register("chrome_lines")
class ChromeLines(Transform):
    """Remove chrome lines: APP prompts, share/report bars, counters, bylines, copyright, link lists."""

    Params = ChromeLinesParams
    params: ChromeLinesParams

    def setup(self) -> None:
        """Compile the recipe's own patterns once per worker rather than once per page."""
        self._custom = [re.compile(p) for p in self.params.extra_patterns]

    def edit(self, doc: Document) -> tuple[str, Mapping[str, Any]]:
        """Remove the page's chrome lines, matched on the text folded to Simplified so one pattern covers
        both scripts while kept lines stay as written; the ledger gets counts by reason and the lines."""
        if not hasattr(self, "_custom"):
            self.setup()
        lines = doc.text.split("\n")
        # The patterns see the page folded to Simplified; the lines kept are the page's own.
        folded, screen = PageScreen.folded(doc.text)
        folded_lines = lines if folded is doc.text else folded.split("\n")
        reasons = chrome_reasons(lines, self.params, self._custom, screen, folded_lines)
        if not reasons:
            return doc.text, {}
        kept = [line for i, line in enumerate(lines) if i not in reasons]
        counts: dict[str, int] = {}
        for reason in reasons.values():
            counts[reason] = counts.get(reason, 0) + 1
        logged = [
            [i, reasons[i], lines[i].strip()[:40]] for i in sorted(reasons)[: self.params.max_logged_lines]
        ]
        doc.meta["chrome_lines"] = meta_count(doc.meta, "chrome_lines") + len(reasons)
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
        return text, {"lines_removed": len(reasons), "by_reason": counts, "removed": logged}


# What any match of a pattern must contain, unanchored: if the page holds none, no line matches.
# All lists are looked for in one compiled pass over the page (``WordLists``).
_SCREEN_WORDS = {
    "disclaimer": "版权 著作权 opyright © 未经 转载 必究 不代表本 侵权 免责声明 ICP 公网安备 "
    "增值电信业务 凡本 图片使用 照片使用",
    "counter_meta": "阅读 浏览 点击 点阅 评论 人气",
    "navigation": "上一 下一 返回 回到 回顶 首页 当前位置 所在位置 目前位置 目前的位置 您的位置 你的位置 "
    "您位置 你位置 您当前 你当前 您现在 你现在 您目前 你目前",
    "widget": _WIDGET_NAME.pattern.replace("|", " "),  # a widget bar must name a widget
    "app_prompt": "APP App app 客户端 全文 剩余 余下 更多内容 展开 收起 扫码 扫一扫 长按 关注 点击 打开 "
    "继续阅读 立即 应用 软件",
}
_SCREENS = WordLists({name: words.split() for name, words in _SCREEN_WORDS.items()})


@kernel
def _dated(points: np.ndarray, flags: np.ndarray) -> bool:
    """Whether four digits are followed by - / . or 年 anywhere: what _TIMESTAMP and _POST_META need."""
    run = 0
    for c in points:
        if run >= 4 and (c == 45 or c == 47 or c == 46 or c == 0x5E74):  # - / . 年
            return True
        run = run + 1 if flags[c] & chars.DECIMAL else 0
    return False


@dataclass(frozen=True, slots=True)
class PageScreen:
    """Which patterns can match anywhere in the page, found in one compiled pass over it.

    A page has some twenty lines and most patterns match none of them; asking the page once
    rules a pattern out for every line at once. A screen is something every match of its pattern
    must contain (tests check this against strings generated from each pattern), and a line is a
    substring of the page, so a screen that misses the page means the pattern misses every line.
    The two patterns that also run on long lines are then tried on the page itself (unanchored),
    which rules them out on most pages that pass their screen.
    """

    disclaimer: bool = True
    counter_meta: bool = True
    dated: bool = True
    navigation: bool = True
    widget: bool = True
    app_prompt: bool = True

    @classmethod
    def of(cls, text: str) -> PageScreen:
        """The screen of a page as written (it is folded to Simplified here)."""
        return cls.folded(text)[1]

    @classmethod
    def folded(cls, text: str) -> tuple[str, PageScreen]:
        """The page folded to Simplified (``text`` itself when nothing folds), and its screen.
        The code points the screens read are the ones the fold is checked on: one encoding."""
        points = codes(text)
        folded = fold_codes(points)
        if folded is not None:
            text, points = text_of(folded), folded
        found = _SCREENS.present_in(points)
        found["dated"] = _dated(points, char_flags())
        found["disclaimer"] = found["disclaimer"] and bool(_DISCLAIMER.search(text))
        found["counter_meta"] = found["counter_meta"] and bool(_COUNTER_META_ANYWHERE.search(text))
        return text, cls(**found)


def line_reason(
    line: str,
    p: ChromeLinesParams,
    custom: list[re.Pattern[str]] | None = None,
    screen: PageScreen = PageScreen(),
) -> str | None:
    """Why ``line`` is chrome, or None when it is content (``screen``: of the page, folded)."""
    return _reason(fold(line).strip(), line.strip(), p, custom, screen)


def _reason(
    s: str,
    original: str,
    p: ChromeLinesParams,
    custom: list[re.Pattern[str]] | None,
    screen: PageScreen,
) -> str | None:
    """Why a stripped line is chrome: ``s`` folded to Simplified, ``original`` as written."""
    if not s:
        return None
    n = len(s)
    if screen.disclaimer and n <= p.max_disclaimer_chars and _DISCLAIMER.search(s):
        return "disclaimer"
    if screen.counter_meta and n <= p.max_chrome_chars * 1.5 and _COUNTER_META.search(s):
        return "post_meta"  # dates, names and counters make these longer than other chrome
    if n > p.max_chrome_chars:
        return None
    if screen.dated and _TIMESTAMP.match(s):
        return "timestamp"
    if screen.dated and _POST_META.match(s):
        return "post_meta"
    if screen.navigation and _NAVIGATION.match(s):
        return "navigation"
    if _BYLINE.match(s) or ("记者" in s and _REPORTER.match(s)):
        return "byline"
    if _DOCUMENT_RECORD.match(s):
        return "post_meta"
    if _SITE_RECORD.match(s):
        return "footer"
    if screen.app_prompt and _APP_PROMPT.search(s):
        return "app_prompt"
    # Naming a widget is asked first: it is rarer, and a fifth of the cost of stripping the words.
    if screen.widget and _WIDGET_NAME.search(s) and not _WIDGET_WORDS.sub("", s):  # a bare number is content
        return "widget"
    if custom and any(c.search(original) for c in custom):
        return "custom"
    return None


def _is_list_item(line: str, p: ChromeLinesParams) -> bool:
    s = line.strip()
    if _BULLET.match(s):
        s = _BULLET.sub("", s)
        return len(s) <= p.max_list_item_chars and len(_SENTENCE_END.findall(s)) <= 1
    return len(s) <= p.max_list_item_chars and not _SENTENCE_END.search(s)


def chrome_reasons(
    lines: list[str],
    p: ChromeLinesParams,
    custom: list[re.Pattern[str]] | None = None,
    screen: PageScreen = PageScreen(),
    folded: list[str] | None = None,
) -> dict[int, str]:
    """Line index → reason, for every chrome line of a document (``screen``: of its whole text,
    folded; ``folded``: the lines folded to Simplified, computed here when not given)."""
    if folded is None:
        folded = fold_each(lines)
    reasons: dict[int, str] = {}
    i = seen = 0  # seen: non-empty lines before line i, outside link lists
    while i < len(lines):
        s = folded[i].strip()
        if p.link_lists and s and len(s) <= 12 and _LIST_HEADING.match(s):
            reasons[i] = "link_list"
            j = i + 1
            # The list runs while lines look like items (or are chrome themselves) and ends at the
            # first line of prose. Across a blank line only bulleted items continue it: a short
            # unbulleted line after a gap is the next block, not the list.
            after_gap = False
            while j < len(lines):
                t = folded[j].strip()
                if not t:
                    after_gap = True
                    j += 1
                    continue
                chrome = _reason(t, lines[j].strip(), p, custom, screen)
                if not chrome and (not _is_list_item(t, p) or (after_gap and not _BULLET.match(t))):
                    break
                reasons[j] = chrome or "link_list"
                after_gap = False
                j += 1
            i = j
            continue
        reason = _reason(s, lines[i].strip(), p, custom, screen)
        if not reason and s and seen < p.header_lines and screen.dated and _NAME_DATE.match(s):
            reason = "post_meta"
        if reason:
            reasons[i] = reason
        seen += bool(s)
        i += 1
    _mark_footer(lines, reasons, p)
    return reasons


def _mark_footer(lines: list[str], reasons: dict[int, str], p: ChromeLinesParams) -> None:
    """Short unpunctuated fragments among the chrome at the end of a page are footer too.

    An app banner's slogan or a site's tagline matches no pattern, but an article does not end
    in a fragment sitting among share bars and prompts. Only the tail is touched, and only when
    chrome lines are part of it.
    """
    tail: list[int] = []
    chrome_seen = False
    for i in range(len(lines) - 1, -1, -1):
        s = lines[i].strip()
        if not s:
            continue
        if i in reasons:
            chrome_seen = True
            continue
        if len(s) <= p.max_footer_fragment_chars and not _SENTENCE_END.search(s):
            tail.append(i)
            continue
        break
    else:
        return  # no prose anywhere: a list or a table, not an article with a footer
    if chrome_seen:
        for i in tail:
            reasons[i] = "footer"
