"""Portal chrome lines: 【打印】【关闭】, 责任编辑, 分享到, 版权所有, 举报电话, 打开APP, bylines,
datelines and dates alone, page controls, pagination, breadcrumbs, read counters, a self-media
platform's disclaimer; and teasers. The extractor drops them as lines of its output, and gives a
block made of one no weight when it scores blocks. ``taoyu.steps.chrome_lines`` is the filter
step that does this for any text (WET, JSONL), with a reason for each line in the ledger. The
words of each family (bylines, disclaimers, controls, navigation, headings, app prompts) are the
step's too: both build their patterns from :mod:`taoyu.text.chrome_vocabulary`, which says where
the two differ and why.

The patterns are split in two because one pattern of fifty alternatives, some anchored at the
start, is slow in Python's ``re``: it tries every alternative at every position (4.5 µs a short
line). Anchored alternatives are tried once, at the start; the others all begin with a literal
character, so ``re`` skips to the positions where one of those characters stands (1.8 µs → 0.5).
Keep it so: one phrase that starts with a character class or a group makes ``re`` try every
position again (0.3 → 2.7 µs). The vocabulary's lists come factored on their openings
(``chrome_vocabulary.alternation``): ``re`` tries an alternation's branches one by one, and the
merged lists tried one by one cost a quarter more a line (1.4 → 1.8 µs; factored, 1.45).
Case is ignored only where Latin letters are (Copyright, APP, ICP); a first letter is spelled
out in each case ``re.IGNORECASE`` matches (I: I, i, İ, ı), so the prefix stays literal.

The patterns are written in Simplified and see each line folded to Simplified character by
character (:mod:`taoyu.text.script`: 責任編輯 → 责任编辑, 上一則 → 上一则), one check for all of a
page's lines; the lines kept are the page's own. Taiwan words that no character fold reaches
are spelled in their folded form (列印 for 打印, 视窗 for 窗口, 报导 for 报道, 点阅, 字级).
"""

from __future__ import annotations

import re

from taoyu.text import chrome_vocabulary as vocabulary
from taoyu.text.script import fold, fold_each, taiwan_readings

# The words of each family come from taoyu.text.chrome_vocabulary, shared with the chrome_lines
# step; the shapes are this module's. Case is ignored in the patterns that start the text (they
# are compiled so) and spelled out letter by letter in the phrases (vocabulary.latin).
_words, _first = vocabulary.alternation, vocabulary.first_characters
_CONTROL_WORDS = (
    vocabulary.PAGE_CONTROLS
    + vocabulary.COUNTED
    + vocabulary.CONTROLS_OPENING
    + vocabulary.CONTROLS_IN_LINE
    + vocabulary.FONT_SIZE_LABELS
    + vocabulary.BACK_TO_TOP
    + tuple(p for p in vocabulary.APP_PROMPTS_ALONE if re.escape(p) == p)  # 展开, 收起 in a bar
)
_CONTROLS, _CONTROLS_FIRST = _words(_CONTROL_WORDS), _first(map(re.escape, _CONTROL_WORDS))
_ALONE = vocabulary.with_app(vocabulary.APP_PROMPTS_ALONE, ignore_case=True)
_FONT_SIZE = _words(vocabulary.FONT_SIZE_LABELS)
_LABELS = _words(vocabulary.BYLINE_LABELS)
_CREDITS = (*vocabulary.BYLINE_LABELS, vocabulary.PICTURE_CREDIT)
# Alternatives that must start the text, each with the characters it can start with (for the
# first test below; None: its openings are in _STARTS_OPENINGS).
_STARTS_ALTERNATIVES: list[tuple[str, str | None]] = [
    (r"(?:【[^】]{1,8}】\s*){1,}$", "【"),
    # Previous and next, back to the top, where a breadcrumb starts (当前位置：, 您的位置：…)
    (vocabulary.factored(vocabulary.navigation_patterns()), _first(vocabulary.navigation_patterns())),
    (_words(vocabulary.CONTROLS_OPENING), _first(vocabulary.CONTROLS_OPENING)),
    (r"评论\s*\(?\d*\)?$", "评"),
    # A comment box's heading: 网友评论, 最新评论 (23)
    (_words(vocabulary.COMMENT_HEADINGS), _first(vocabulary.COMMENT_HEADINGS)),
    (r"阅读\s*\d+$|\d+\s*阅读$", r"阅\d"),
    # A page's controls, alone on their line or side by side: [打印] ← 返回 展开 仅看楼主 回复 1 +1,
    # 打印本页 关闭窗口. Spaces are taken before a closing bracket or as a separator, never
    # either, so a line is read one way (a failing line does not backtrack through the splits).
    # The lookahead at its start turns most lines away before the hundred controls are tried.
    (
        rf"(?=[\[【(←\s]*[{_CONTROLS_FIRST}])[\[【(←\s]*(?:{_CONTROLS})(?:\s*[\]】)])*"
        rf"(?:[\s|｜/]+(?:[\[【(]\s*)*(?:{_CONTROLS})(?:\s*[\]】)])*)*[\s\d]*$|\+\d+$",
        r"\[【(←\s+" + _CONTROLS_FIRST,
    ),
    # Prompts that are chrome alone on their line: 打开, 直接打开
    (f"(?:{vocabulary.factored(_ALONE)})$", _first(_ALONE)),
    # A font-size control: 字号：大 中 小, 【字级：小 中 大】 (its opening （ is in _STARTS_OPENINGS)
    (
        rf"[【\[(（]?\s*(?:{_FONT_SIZE})\s*[:：]?\s*(?:[大中小][\s|｜/]*)+[】\])）]?$",
        r"【\[(\s" + _first(vocabulary.FONT_SIZE_LABELS),
    ),
    # An advertisement's label alone (广告 is a control above)
    (rf"{vocabulary.ADVERTISEMENT}\s*$", None),
    # Headings of link lists: 延伸阅读, 热门新闻 (a line of its own; the words can be prose too)
    (rf"(?:{_words(vocabulary.LIST_HEADINGS)})\s*[:：>》»]*$", _first(vocabulary.LIST_HEADINGS)),
    # An encyclopedia entry's edit controls, often glued: 编辑播报, 编辑锁定讨论
    (vocabulary.edit_controls(), vocabulary.EDIT_CONTROL_OPENINGS),
    # A wire service's tag ending its story: （中央社）
    (vocabulary.AGENCY_TAG, "（("),
    # Counts side by side: 查看: 1031 | 回复: 1, 阅读 (177万)
    (vocabulary.counter_bar(), vocabulary.counter_bar_first()),
    # A heading with the one headline it leads: 【相关报道】港铁加价方案出炉, 延伸阅读：…
    (
        vocabulary.list_heading_with_item(),
        vocabulary.LIST_HEADING_OPENINGS + _first(vocabulary.list_headings_with_item()),
    ),
    # A pager, alone on its line: 首页 上一页 1 2 3 下一页 尾页
    (vocabulary.pager_line(), vocabulary.pager_first()),
    # Pages of a story, and the comment box under it
    (
        r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页$|[<《«\s]*(?:上一页|下一页)(?:.{0,20}下一页)?[>》»\s]*$",
        r"第<《«\s上下",
    ),
    (r"\d*\s*条评论$|参与评论|更多.{0,30}请(?:关注|访问|点击)", r"\d条参更"),
    # Where the poster was, when it went up, and what the forum did to the thread
    (r"(?:发布于|IP属地)[:：]\s*\S{1,8}$", "发I"),
    (
        rf"(?:{_words(vocabulary.DATELINE_LABELS)})[:：]\s*[\d.\-/年月日\s:]+$",
        _first(vocabulary.DATELINE_LABELS),
    ),
    (
        r"本文来源于\S{1,20}(?:\s+[\d\-/:\s]+)?$"
        r"|本(?:主题|帖)由.{1,40}于.{1,30}(?:审核|设置|移动|置顶|加入|关闭|提升|编辑)",
        "本",
    ),
    # A date alone on its line: a post's or a story's timestamp (the step reads the date itself)
    (vocabulary.DATE_ALONE, r"\d"),
    (vocabulary.DATE_IN_BRACKETS, r"(（"),
    # Bylines (the extraction step reads the author from the page's markup): 作者：…, 文／…, 图／…,
    # 来源： left empty, and a reporter's line (记者陈大文／台北报导, （记者 张三）; openings below)
    (rf"(?:{_LABELS})\s*[:：]", _first(vocabulary.BYLINE_LABELS)),
    (rf"(?:{_words(_CREDITS)})\s*[／/]\s*[^。！？，,]{{1,20}}$", _first(_CREDITS)),
    # and a picture's credit in brackets: （圖／翻攝自臉書）
    (rf"[（(]\s*(?:{_words(_CREDITS)})\s*[／/]\s*[^。！？，,（）()]{{1,20}}[）)]$", "（("),
    (rf"(?:{_words(vocabulary.SOURCE_LABELS)})\s*[:：]\s*$", _first(vocabulary.SOURCE_LABELS)),
    (f"(?:{vocabulary.REPORTER_LINE})", r"【\[(（\s记"),
]
_STARTS_PATTERN = "|".join(alternative for alternative, _ in _STARTS_ALTERNATIVES)
# Every alternative above starts with one of these: most texts fail this one test at once.
_STARTS_FIRST = "[{}]".format(
    "".join(dict.fromkeys(re.findall(r"\\.|.", "".join(first for _, first in _STARTS_ALTERNATIVES if first))))
)
# Three alternatives can start with characters that start many lines of prose too ("（一）", "A",
# "中国…"): their own openings stand in the first test, each starting with a literal, so those
# lines still fail it at once. A reporter's line: （记者…, （本报记者…, 中央社记者…, 特约记者…
_DESKS, _KINDS = _words(vocabulary.REPORTER_DESKS), _words(vocabulary.REPORTER_KINDS)
_STARTS_OPENINGS = (
    rf"（\s*(?:{_DESKS})?(?:{_KINDS})?记者|{_words(vocabulary.REPORTER_DESKS + vocabulary.REPORTER_KINDS)}"
    rf"|（\s*(?:{_FONT_SIZE})|{vocabulary.ADVERTISEMENT}\s*$"
)
_STARTS = re.compile(f"(?={_STARTS_FIRST}|{_STARTS_OPENINGS})(?:{_STARTS_PATTERN})", re.IGNORECASE)
# Breadcrumbs (当前位置：首页 > 新闻 > 正文), asked only of texts with a separator in them.
# A step is a short name: no brackets or commas, which code and lists of types have. The last
# step may be the page's own headline (论坛 » 学术前沿 » 社会资本、人力资本与下岗职工的再就业),
# after two steps at least, and ends with no sentence mark (菜单 > 更多工具 > 开发者工具。 is a
# sentence of a manual).
_CRUMB = r"[^<>›»＞\n,，]{1,16}"
_HEADLINE_CRUMB = r"[^<>›»＞\n]{0,39}[^<>›»＞\n。！？；.!?;]"
_BREADCRUMB = re.compile(
    rf"(?:当前位置[:：]\s*)?{_CRUMB}(?:\s*[>›»＞]\s*{_CRUMB}){{1,}}\s*[>›»＞]\s*{_HEADLINE_CRUMB}$"
)
_BREADCRUMB_SEPARATOR = re.compile(r"[>›»＞]")
# Phrases anywhere in the text: the vocabulary's, factored on their openings, and this module's own.
# Each alternative starts with a literal character (see above).
_PHRASES_ALTERNATIVES = [
    vocabulary.factored(
        [
            # Copyright lines, registration numbers, reprint notices
            *vocabulary.COPYRIGHT,
            *[form for word in vocabulary.COPYRIGHT_LATIN for form in vocabulary.latin(word, True)],
            *vocabulary.RESERVED_RIGHTS,
            *vocabulary.REPRINT,
            # A share bar, app prompts, link-list headings, read counters (阅读数：12, 点阅率：3)
            *map(re.escape, vocabulary.CONTROLS_IN_LINE),
            *vocabulary.with_app(vocabulary.APP_PROMPTS, ignore_case=True),
            *map(re.escape, vocabulary.LIST_HEADINGS_IN_LINE),
            *[
                rf"{counted}(?:{vocabulary.alternation(vocabulary.COUNT_SUFFIXES)})?\s*[:：]\s*\d+"
                for counted in vocabulary.COUNTED
            ],
        ]
    ),
    r"责任编辑|编辑[:：]|来源[:：]\s*\S{1,12}$|原文出处[:：]\s*\S{1,12}$",
    r"举报电话\s*[:：]?\s*[\d(（]|不良信息举报(?:电话|中心|邮箱|专区)",
    # Login prompts, moderation notices
    r"登录\s*后\s*(?:方可|才能|即可)?\s*(?:回复|评论|发表|发帖|查看|下载)|评论将在.{0,10}审核|更多内容请|申请版主",
    # A blog's trackback, a commenter's masked IP ([219.130.79.*])
    r"T(?i:rackback)|t(?i:rackback)|\*\](?<=\d\.\*\])",
    # A thread's read count and its closed notice, a comment box's counter
    r"已被(?:阅读|浏览|查看)\s*\d+\s*次",
    r"第\s*\d+\s*(?:个|位)(?:阅览者|读者|访客|访问者)|主题已(?:经)?(?:被)?关闭|已输入\s*\d+\s*字",
]
_PHRASES = re.compile("|".join(_PHRASES_ALTERNATIVES))
# Platform disclaimers under self-media posts run long, so they are matched at any length.
_DISCLAIMER_OPENING = rf"(?:{vocabulary.alternation(vocabulary.DISCLAIMER_HEADINGS)})\s*[:：]"
_DISCLAIMER_START = re.compile(_DISCLAIMER_OPENING)
# A short line is asked both at once: one call fewer for each line of a page.
_STARTS_OR_DISCLAIMER = re.compile(
    f"(?={_STARTS_FIRST}|{_STARTS_OPENINGS}|{_DISCLAIMER_OPENING})(?:{_STARTS_PATTERN}|{_DISCLAIMER_OPENING})",
    re.IGNORECASE,
)
# A self-media platform's disclaimer, a portal's copyright and reprint terms (凡本网注明“来源：某网”
# 的作品，版权均属于…), a price list for reprinting pictures, and the terms that reserve the rights.
_DISCLAIMER = re.compile(vocabulary.factored([*vocabulary.DISCLAIMER, *vocabulary.RESERVED_RIGHTS]))
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


# A site's count of unread messages or notifications, which it writes before the page's <title>
# ("(99+ 封私信 / 81 条消息) 问题 - 知乎", "(3 条消息) …", "(2 messages) …"): the reader's, not the page's.
_TITLE_COUNTER = re.compile(
    r"^\s*[(（]\s*(?:\d+\+?\s*(?:封私信|条消息|条新消息|条通知|个通知|条未读|new messages?|messages?|"
    r"notifications?|unread)\s*[/／|,，]?\s*)+[)）]\s*",
    re.IGNORECASE,
)


def page_title(title: str) -> str:
    """A page's ``<title>`` without the count of unread messages a site writes before it."""
    return _TITLE_COUNTER.sub("", title, count=1).strip() or title.strip()


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
    if len(line) < CHROME_LINE_BELOW and (_is_chrome_text(line) or _is_record(line)):
        return True
    if "提醒您" in line and len(line) < DISCLAIMER_BELOW and vocabulary.is_media_reminder(line):
        return True
    if vocabulary.is_english_chrome(line) or vocabulary.is_english_credits(line):  # up to 80 and 250
        return True
    if vocabulary.is_post_age_line(line) or vocabulary.is_bbs_chrome(line):
        return True
    if len(line) >= DISCLAIMER_BELOW:
        return False
    if _DISCLAIMER_START.match(line) is not None or _DISCLAIMER.search(line) is not None:
        return True
    # ▲（圖／記者王小明攝）, ► 點我看更多, ★某某新聞提醒您：… : past the decoration, the rest is judged
    if line[:1] not in vocabulary.LINE_DECORATIONS:
        return False
    bare = vocabulary.undecorated(line)
    return bare != "" and is_chrome_line(bare)


def chrome_texts(texts: list[str], traditional: bool = True) -> list[bool]:
    """:func:`is_chrome_text` of each text, in one loop: a page has dozens of short blocks, and
    a Python call apiece costs as much as their patterns. ``traditional=False`` says the page
    holds no character the fold changes (extraction checks its code points once), so the texts
    are not folded."""
    starts, phrases = _STARTS.match, _PHRASES.search
    separator, breadcrumb = _BREADCRUMB_SEPARATOR.search, _BREADCRUMB.match
    readings: list[str | None] | None = None
    if traditional:
        folded = fold_each(texts)
        readings = taiwan_readings(texts, folded) if folded is not texts else None
        texts = folded
    chrome = [
        starts(text) is not None
        or phrases(text) is not None
        or (separator(text) is not None and breadcrumb(text) is not None)
        for text in texts
    ]
    if readings is not None:  # a page written in Traditional: the Taiwan reading of the rest
        for k, reading in enumerate(readings):
            if reading is not None and not chrome[k]:
                chrome[k] = _is_chrome_text(reading)
    return chrome


def without_chrome_lines(
    lines: list[str], traditional: bool = True, removed: list[str] | None = None
) -> list[str]:
    """The lines less chrome lines (:func:`is_chrome_line`), bars of links
    (:func:`taoyu.text.chrome_vocabulary.is_link_bar`) and teasers (:func:`without_teasers`),
    in one loop: a page has a hundred lines, and a Python call apiece costs as much as the
    patterns. ``traditional``: as for :func:`chrome_texts`. ``removed``, when given, collects the
    short lines taken as chrome (up to :data:`REMOVED_KEPT`)."""
    starts_or_disclaimer, phrases_or_disclaimer = _STARTS_OR_DISCLAIMER.match, _PHRASES_OR_DISCLAIMER.search
    separator, breadcrumb = _BREADCRUMB_SEPARATOR.search, _BREADCRUMB.match
    disclaimer_start, disclaimer = _DISCLAIMER_START.match, _DISCLAIMER.search
    english, english_chars = vocabulary.is_english_chrome, vocabulary.ENGLISH_CHROME_CHARS
    # Only lines this short can be chrome, so only they are folded (an article's paragraphs,
    # most of its characters, are not even looked at), and only on a page where one of them
    # holds a Traditional character: one check for all of them.
    short = [line for line in lines if len(line) < DISCLAIMER_BELOW] if traditional else []
    folded = fold_each(short)
    texts = lines
    readings: list[str | None] = []
    if folded is not short:  # one fold for all of them, put back in their places
        each = iter(folded)
        texts = [next(each) if len(line) < DISCLAIMER_BELOW else line for line in lines]
        readings = _taiwan_readings(lines, short, folded)
    kept = []
    items = False  # under an English list heading: its headlines are chrome
    closing = vocabulary.closing_date(lines) if any("年" in line for line in lines[-2:]) else None
    for k, (line, text) in enumerate(zip(lines, texts, strict=True)):
        if closing and k == closing[0] and kept and kept[-1] is lines[closing[1]]:
            kept.append(line)  # a notice's own date, under its signature
            continue
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
        if not chrome and readings and readings[k] is not None:  # a page written in Traditional
            reading = readings[k]
            long = size >= CHROME_LINE_BELOW  # read as far as a disclaimer's heading
            chrome = disclaimer_start(reading) is not None if long else is_chrome_line(reading)
        if not chrome and size <= vocabulary.LINK_BAR_CHARS and vocabulary.is_link_bar(line):
            chrome = True  # a bar of links, longer than other chrome may be
        if not chrome and vocabulary.is_bbs_chrome(text):
            chrome = True  # a BBS post's frame: its header, its signature
        if not chrome and "0" <= line[:1] <= "z" and size <= english_chars and english(line):
            chrome = True
            items = items or vocabulary.is_english_list_heading(line)  # the headlines under it go too
        elif items and not chrome:  # the run of headlines ends at the first line of prose
            chrome = items = vocabulary.is_english_list_item(line)
        if not chrome and "A" <= line[:1] <= "Z" and vocabulary.is_english_credits(line):
            chrome = True
        if not chrome and size <= vocabulary.POST_AGE_CHARS and vocabulary.is_post_age_line(text):
            chrome = True
        if not chrome and size < CHROME_LINE_BELOW and _is_record(text):
            chrome = True  # a story's or a post's record: its date with a label or a site
        if not chrome and "提醒您" in text and size < DISCLAIMER_BELOW:
            chrome = vocabulary.is_media_reminder(text)  # a medium's reminder under its story
        if not chrome and text[:1] in vocabulary.LINE_DECORATIONS:  # read past ▲ and ►
            bare = vocabulary.undecorated(text)
            chrome = bare != "" and is_chrome_line(bare)
        if not chrome:
            kept.append(line)
        elif removed is not None and size < CHROME_LINE_BELOW and len(removed) < REMOVED_KEPT:
            removed.append(line)
    return without_teasers(kept, traditional)


REMOVED_KEPT = 24


_RECORD = re.compile(vocabulary.record_line())


def _is_record(line: str) -> bool:
    """Whether a short line is a story's or a post's record (``vocabulary.record_line``): asked
    only of a line holding a year's first digits."""
    return ("20" in line or "19" in line) and _RECORD.match(line) is not None


def _taiwan_readings(lines: list[str], short: list[str], folded: list[str]) -> list[str | None]:
    """The Taiwan reading (``taiwan_readings``) of each line that may be chrome, in its place
    among ``lines``; [] on a page not written in Traditional. A line of a disclaimer's length is
    read only as far as a disclaimer's heading (免責宣告：)."""
    taiwan = taiwan_readings(short, folded, CHROME_LINE_BELOW - 1, _HEADING_CHARS)
    if not any(taiwan):
        return []
    each = iter(taiwan)
    return [next(each) if len(line) < DISCLAIMER_BELOW else None for line in lines]


_HEADING_CHARS = 12


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
