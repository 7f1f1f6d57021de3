"""Portal chrome lines: 【打印】【关闭】, 责任编辑, 分享到, 版权所有, 举报电话, 打开APP, bylines,
datelines and dates alone, page controls, pagination, breadcrumbs, read counters, a self-media
platform's disclaimer; and teasers. The extractor drops them as lines of its output, and gives a
block made of one no weight when it scores blocks. ``taoyu.steps.chrome_lines`` is the filter
step that does this for any text (WET, JSONL), with a reason for each line in the ledger.

The patterns are split in two because one pattern of fifty alternatives, some anchored at the
start, is slow in Python's ``re``: it tries every alternative at every position (4.5 µs a short
line). Anchored alternatives are tried once, at the start; the others all begin with a literal
character, so ``re`` skips to the positions where one of those characters stands (1.8 µs → 0.5).
Keep it so: one phrase that starts with a character class or a group makes ``re`` try every
position again (0.3 → 2.7 µs).
Case is ignored only where Latin letters are (Copyright, APP, ICP); a first letter is spelled
out in each case ``re.IGNORECASE`` matches (I: I, i, İ, ı), so the prefix stays literal.

The patterns are written in Simplified and see each line folded to Simplified character by
character (:mod:`taoyu.text.script`: 責任編輯 → 责任编辑, 上一則 → 上一则), one check for all of a
page's lines; the lines kept are the page's own. Taiwan words that no character fold reaches
are spelled in their folded form (列印 for 打印, 视窗 for 窗口, 报导 for 报道, 点阅, 字级).
"""

from __future__ import annotations

import re

from taoyu.text.script import fold, fold_each

# Alternatives that must start the text.
_STARTS_PATTERN = (
    r"(?:【[^】]{1,8}】\s*){1,}$|上一(?:篇|则)|下一(?:篇|则)|点赞|收藏|评论\s*\(?\d*\)?$|返回顶部|回到顶部|回到顶端|"
    r"回顶端|网友评论|阅读\s*\d+$|\d+\s*阅读$|"
    # A page's controls, alone on their line or side by side: [打印] ← 返回 展开 仅看楼主 回复 1 +1,
    # 打印本页 关闭窗口. Spaces are taken before a closing bracket or as a separator, never
    # either, so a line is read one way (a failing line does not backtrack through the splits).
    r"[\[【(←\s]*(?:打印本页|列印本页|打印|列印|关闭窗口|关闭视窗|关闭本页|关闭|返回|返回列表|展开|收起|首赞|正文|"
    r"倒序看帖|仅看楼主|只看楼主|发表评论|回复|举报|分享|转寄|复制链接|复制连结|广告|订阅|新浪微博|微信好友|朋友圈|"
    r"QQ空间|楼主|字号|字级|字体大小|我要跟帖|跟帖|关注|相关推荐)(?:\s*[\]】)])*"
    r"(?:[\s|｜/]+(?:[\[【(]\s*)*(?:打印本页|列印本页|打印|列印|关闭窗口|关闭视窗|关闭本页|关闭|返回|收藏本页|"
    r"加入收藏|返回顶部|回到顶部)(?:\s*[\]】)])*)*[\s\d]*$|\+\d+$|"
    # A font-size control: 字号：大 中 小, 【字级：小 中 大】
    r"[【\[(（]?\s*(?:字号|字体大小|字体|字级|字型)\s*[:：]?\s*(?:[大中小][\s|｜/]*)+[】\])）]?$|"
    # An advertisement's label alone (广告 is a control above)
    r"advertisement\s*$|"
    # Headings of link lists: 延伸阅读, 热门新闻 (a line of its own; the words can be prose too)
    r"(?:延伸阅读|热门新闻|相关报导|相关报道|更多新闻|最新新闻)\s*[:：>》»]*$|"
    # Pages of a story, and the comment box under it
    r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页$|[<《«\s]*(?:上一页|下一页)(?:.{0,20}下一页)?[>》»\s]*$|"
    r"(?:最新|热门|精彩|全部|更多)评论|\d*\s*条评论$|参与评论|更多.{0,30}请(?:关注|访问|点击)|"
    # Where a breadcrumb starts: 当前位置：, 您的位置：, 您当前位置：, 位置：首页
    r"(?:您|你)(?:当前|现在|目前|所在)?的?位置\s*[:：]|当前的?位置\s*[:：]|位置\s*[:：]\s*首页|"
    # Where the poster was, when it went up, and what the forum did to the thread
    r"(?:发布于|IP属地)[:：]\s*\S{1,8}$|(?:时间|日期|发布时间|发表时间|更新时间)[:：]\s*[\d.\-/年月日\s:]+$|"
    r"本文来源于\S{1,20}(?:\s+[\d\-/:\s]+)?$|本(?:主题|帖)由.{1,40}于.{1,30}(?:审核|设置|移动|置顶|加入|关闭|提升|编辑)|"
    # A date alone on its line: a post's or a story's timestamp (the step reads the date itself)
    r"\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$|"
    # Bylines (the extraction step reads the author from the page's markup): 作者：…, 文／…, a
    # reporter's line (记者陈大文／台北报导, （记者 张三）)
    r"(?:作者|文|译|撰文|摄影|编译|整理|供稿|通讯员)\s*[:：]|来源\s*[:：]\s*$|"
    r"(?:文|图|摄影|撰文)\s*[／/]\s*[^。！？，,]{1,20}$|"
    r"(?:本报|本台|本网)?记者\s*[^。！？，,]{1,20}?[／/]\s*[^。！？，,\s]{1,12}报[导道]$|"
    r"[（(【\[]\s*(?:本报|本台|本网|中央社)?(?:特约|实习)?记者\s*[^。！？，,()（）\[\]【】]{1,20}[）)】\]]$"
)
# Every alternative above starts with one of these: most texts fail this one test at once.
_STARTS_FIRST = "".join(
    (
        r"[【上下点收评返网阅\d\[(←\s",
        "打关展首正倒仅只发回举分复广订新微朋Q楼字我跟相列转",
        "+第<《«最热精全更条参当I时日本作文译撰摄编整供通来",
        "延您你位图记]",
    )
)
# Three alternatives start with characters that start many lines of prose too ("（一）", "A"):
# their own opening stands in the first test, so those lines still fail it at once.
_STARTS_OPENINGS = (
    r"（\s*(?:本报|本台|本网|中央社)?(?:特约|实习)?记者|（\s*(?:字号|字体大小|字体|字级|字型)|advertisement\s*$"
)
_STARTS = re.compile(f"(?={_STARTS_FIRST}|{_STARTS_OPENINGS})(?:{_STARTS_PATTERN})", re.IGNORECASE)
# Breadcrumbs (当前位置：首页 > 新闻 > 正文), asked only of texts with a separator in them.
# A step is a short name: no brackets or commas, which code and lists of types have.
_CRUMB = r"[^<>›»＞\n,，]{1,12}"
_BREADCRUMB = re.compile(rf"(?:当前位置[:：]\s*)?{_CRUMB}(?:\s*[>›»＞]\s*{_CRUMB}){{2,}}$")
_BREADCRUMB_SEPARATOR = re.compile(r"[>›»＞]")
# Phrases anywhere in the text.
_PHRASES = re.compile(
    r"责任编辑|编辑[:：]|来源[:：]\s*\S{1,12}$|版权所有|C(?i:opyright)|c(?i:opyright)|©|分享到|分享至|"
    r"举报电话\s*[:：]?\s*[\d(（]|不良信息举报(?:电话|中心|邮箱|专区)|打开(?i:app)|下载(?i:app)|扫码下载|扫一扫|"
    r"关注公众号|关注我们|阅读全文|展开全文|相关阅读|相关新闻|著作权所有(?![人者])|转载必究|翻印必究|盗版必究|"
    r"热点推荐|推荐阅读|猜你喜欢|I(?i:cp)备|i(?i:cp)备|\u0130(?i:cp)备|\u0131(?i:cp)备|公网安备|我要评论|"
    # Reprint notices, login prompts, moderation notices
    r"请勿转载|不得转载|禁止转载|严禁转载|转载时?务?请注明|登录\s*后\s*(?:方可|才能|即可)?\s*(?:回复|评论|发表|发帖|查看|下载)|"
    r"评论将在.{0,10}审核|更多内容请|A(?i:ll rights reserved)|a(?i:ll rights reserved)|申请版主|"
    # A blog's trackback, an app prompt, a commenter's masked IP ([219.130.79.*])
    r"T(?i:rackback)|t(?i:rackback)|下载.{0,8}(?:客户端|应用程序)|\*\](?<=\d\.\*\])|"
    # Read counters and a closed thread's notice
    r"阅读(?:数|量|次数)?\s*[:：]\s*\d+|浏览(?:数|量|次数)?\s*[:：]\s*\d+|点击(?:数|量|次数)?\s*[:：]\s*\d+|"
    r"点阅(?:数|率|次数)?\s*[:：]\s*\d+|"
    r"已被(?:阅读|浏览|查看)\s*\d+\s*次|"
    r"第\s*\d+\s*(?:个|位)(?:阅览者|读者|访客|访问者)|主题已(?:经)?(?:被)?关闭|已输入\s*\d+\s*字"
)
# Platform disclaimers under self-media posts run long, so they are matched at any length.
_DISCLAIMER_OPENING = r"(?:特别|平台|免责)声明[:：]"
_DISCLAIMER_START = re.compile(_DISCLAIMER_OPENING)
# A short line is asked both at once: one call fewer for each line of a page.
_STARTS_OR_DISCLAIMER = re.compile(
    f"(?={_STARTS_FIRST}|{_STARTS_OPENINGS}|{_DISCLAIMER_OPENING})(?:{_STARTS_PATTERN}|{_DISCLAIMER_OPENING})",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"仅提供信息存储|观点仅代表作者|仅代表作者(?:本人|个人)?(?:的)?观点|不代表本(?:网|站|平台)(?:赞同|立场|观点)|"
    r"uploaded and posted by a user of|"
    # A portal's copyright terms: 凡本网注明“来源：某网”的作品，版权均属于…
    r"版权(?:与|和|及)?免责声明|凡本(?:网|站|报)注明|同本(?:网|站)联系|转载目的在于传递更多信息|"
    # Reprint terms and a price list for reprinting pictures
    r"转载本(?:网|站|报)(?:图片|照片|作品|稿件|文章)|图片(?:转载|使用)(?:价格|费用|收费|标准|稿酬)|"
    r"照片(?:转载|使用)(?:价格|费用|收费|标准|稿酬)|著作权所有(?![人者])|转载必究|翻印必究"
)
# A teaser: a summary cut short, then a link to the rest ("…脱离爱好者们所面... [详细]"). It ends
# a line, so only a line's last characters are searched.
_TEASER = re.compile(
    r"(?:\.{2,}|…+|。{3,})\s*[\[【(（]?\s*"
    r"(?:详细|详情|更多|全文|阅读全文|查看全文|阅读更多|more|read more|continue reading)"
    r"\s*[\]】)）]?\s*(?:>>|»|›|>)?$",
    re.IGNORECASE,
)
_TEASER_TAIL = 40
_CUT_SHORT = re.compile(r"(?:\.{2,}|…+)$")
# A short line is chrome when either matches: one scan, where two were one each.
_PHRASES_OR_DISCLAIMER = re.compile(f"{_PHRASES.pattern}|{_DISCLAIMER.pattern}")
# Longer lines are prose that mentions these words, not chrome.
CHROME_LINE_BELOW = 60
DISCLAIMER_BELOW = 300


def is_chrome_text(text: str) -> bool:
    """Whether a short text (a line, a block's own text) is portal chrome."""
    return _is_chrome_text(fold(text))


def _is_chrome_text(text: str) -> bool:
    if _STARTS.match(text) is not None or _PHRASES.search(text) is not None:
        return True
    return _BREADCRUMB_SEPARATOR.search(text) is not None and _BREADCRUMB.match(text) is not None


def is_chrome_line(line: str) -> bool:
    """Whether a line of extracted text is chrome: a short chrome text, or a disclaimer."""
    line = fold(line)
    if len(line) < CHROME_LINE_BELOW and _is_chrome_text(line):
        return True
    if len(line) >= DISCLAIMER_BELOW:
        return False
    return _DISCLAIMER_START.match(line) is not None or _DISCLAIMER.search(line) is not None


def chrome_texts(texts: list[str], traditional: bool = True) -> list[bool]:
    """:func:`is_chrome_text` of each text, in one loop: a page has dozens of short blocks, and
    a Python call apiece costs as much as their patterns. ``traditional=False`` says the page
    holds no character the fold changes (extraction checks its code points once), so the texts
    are not folded."""
    starts, phrases = _STARTS.match, _PHRASES.search
    separator, breadcrumb = _BREADCRUMB_SEPARATOR.search, _BREADCRUMB.match
    if traditional:
        texts = fold_each(texts)
    return [
        starts(text) is not None
        or phrases(text) is not None
        or (separator(text) is not None and breadcrumb(text) is not None)
        for text in texts
    ]


def without_chrome_lines(lines: list[str], traditional: bool = True) -> list[str]:
    """The lines less chrome lines (:func:`is_chrome_line`) and teasers (:func:`without_teasers`),
    in one loop: a page has a hundred lines, and a Python call apiece costs as much as the
    patterns. ``traditional``: as for :func:`chrome_texts`."""
    starts_or_disclaimer, phrases_or_disclaimer = _STARTS_OR_DISCLAIMER.match, _PHRASES_OR_DISCLAIMER.search
    separator, breadcrumb = _BREADCRUMB_SEPARATOR.search, _BREADCRUMB.match
    disclaimer_start, disclaimer = _DISCLAIMER_START.match, _DISCLAIMER.search
    # Only lines this short can be chrome, so only they are folded (an article's paragraphs,
    # most of its characters, are not even looked at), and only on a page where one of them
    # holds a Traditional character: one check for all of them.
    short = [line for line in lines if len(line) < DISCLAIMER_BELOW] if traditional else []
    folded = fold_each(short)
    texts = lines
    if folded is not short:  # one fold for all of them, put back in their places
        each = iter(folded)
        texts = [next(each) if len(line) < DISCLAIMER_BELOW else line for line in lines]
    kept = []
    for line, text in zip(lines, texts, strict=True):
        size = len(line)
        if size < CHROME_LINE_BELOW:  # a short line: chrome text or a disclaimer, one scan for both
            chrome = (
                starts_or_disclaimer(text) is not None
                or phrases_or_disclaimer(text) is not None
                or (separator(text) is not None and breadcrumb(text) is not None)
            )
        elif size < DISCLAIMER_BELOW:
            chrome = disclaimer_start(text) is not None or disclaimer(text) is not None
        else:
            chrome = False
        if not chrome:
            kept.append(line)
    return without_teasers(kept, traditional)


def without_teasers(lines: list[str], traditional: bool = True) -> list[str]:
    """The lines less teasers (a summary cut short with a link to the rest: a listing page's
    items, or "more" boxes under an article) and the headline above each one when it is cut
    short too. A teaser repeats the start of another page; a corpus wants that page whole."""
    # A teaser's cut ("..", "…", "。。。") is in its tail: most lines fail the first tests at once,
    # and only the rest are folded to Simplified for the pattern ([詳細] is [详细]).
    cut = [i for i, line in enumerate(lines) if ".." in line or "…" in line or "。。。" in line]
    teasers = [i for i in cut if _is_teaser(fold(lines[i]) if traditional else lines[i])]
    if not teasers:
        return lines
    gone = set(teasers)
    for i in teasers:
        if i and _CUT_SHORT.search(lines[i - 1], max(0, len(lines[i - 1]) - _TEASER_TAIL)):
            gone.add(i - 1)
    return [line for i, line in enumerate(lines) if i not in gone]


def _is_teaser(line: str) -> bool:
    return _TEASER.search(line, max(0, len(line) - _TEASER_TAIL)) is not None
