"""The words portal chrome is made of, each family written once for the two rules that remove it.

Two rules remove chrome lines: the HTML extractor drops them from its output
(:mod:`taoyu.extract.boilerplate`: one verdict a line, tuned for speed), and the ``chrome_lines``
step drops them from any text, with a reason for each in the ledger (:mod:`taoyu.steps.chrome_lines`).
Each used to keep its own lists, and they drifted: a reprint notice or a list heading one knew,
the other missed. Here each family is named once; both modules build their patterns from it,
each in the shape its job needs, and ``tests/test_chrome_vocabulary.py`` checks that every entry
is recognised by both (a word added here reaches both, or the test fails).

Two kinds of entries:

* words (plain strings): matched literally; :func:`alternation` escapes them and factors them on
  their openings (分享(?:成功|到|至)?), the longer first, so a bar of widgets is stripped word by word.
* patterns (regular-expression fragments): each starts with a literal character and has no ``|``
  of its own at the top, so it is one alternative that ``re`` can skip ahead to, and
  :func:`required_literal` finds a substring every match of it holds (the step's page screens).

Everything is written in Simplified: both modules fold text to Simplified before matching
(:mod:`taoyu.text.script`). Taiwan words no character fold reaches are spelled in their folded
form (列印 for 打印, 视窗 for 窗口, 报导 for 报道, 点阅, 字级, 连结). Latin words are written in lower
case; the extractor ignores their case, the step matches the forms pages write (:func:`latin`).
``{app}`` in an app prompt stands for the names of an app (:data:`APP_NAMES`, each module's forms).

The lists are the union of the two modules' old lists (each family says what either lacked).
Where the union lost on a measurement (bench/extraction.py per source, bench/chrome_false_positives.py
on clean prose, the realweb-dev pages through recipes/zh-web.yaml), the entries stay with the module
that had them, in a group named ``..._STEP_ONLY`` that says what was measured. Families only one
module has a rule for (the extractor's teasers, pagination, breadcrumb shape and login prompts;
the step's document and site records) stay in that module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from re import _constants as _sre_constants  # type: ignore[attr-defined]  # re's own parser: the
from re import _parser as _sre_parse  # type: ignore[attr-defined]  # literals a pattern is made of

# --- building patterns from the lists below -------------------------------------------------


def alternation(words: Iterable[str]) -> str:
    """Words as one regular expression, factored on their common openings (分享(?:成功|到|至)?):
    ``re`` tries the branches of an alternation one by one, so a list of a hundred words cost a
    hundred tries at every place a line could match; factored, a place costs one try a character.
    The longer word is preferred where two match (a bar of widgets must lose 分享到, not 分享)."""
    return _trie([(word, "") for word in set(words)])


def factored(patterns: Iterable[str]) -> str:
    """Patterns (each one alternative, starting with a literal character) as one alternation,
    factored on their literal openings as :func:`alternation` factors words: every branch at the
    top still starts with a literal character, so ``re`` skips ahead to where one stands."""
    return _trie([_literal_opening(pattern) for pattern in dict.fromkeys(patterns)])


_SPECIAL = set("\\.^$*+?{}[]|()")


def _literal_opening(pattern: str) -> tuple[str, str]:
    """A pattern split into its opening plain characters and the rest (转载时?务?请注明 → 转载,
    时?务?请注明: a character a quantifier follows belongs to the rest)."""
    end = 0
    while end < len(pattern) and pattern[end] not in _SPECIAL:
        if end + 1 < len(pattern) and pattern[end + 1] in "?*+{":
            break
        end += 1
    return pattern[:end], pattern[end:]


def _trie(entries: list[tuple[str, str]]) -> str:
    """(literal opening, rest of the pattern) pairs as a regular expression, factored character by
    character on the openings; a pattern's rest is already a regular expression."""
    parts, ends_here = _branches(entries)
    if ends_here and parts:  # a word ends here and longer ones go on: the longer first
        return f"(?:{'|'.join(parts)})?"
    return "|".join(parts)


def _branches(entries: list[tuple[str, str]]) -> tuple[list[str], bool]:
    """The branches of :func:`_trie` at one place, and whether an entry ends there."""
    below: dict[str, list[tuple[str, str]]] = {}
    rests: list[str] = []
    for opening, rest in entries:
        if opening:
            below.setdefault(opening[0], []).append((opening[1:], rest))
        else:
            rests.append(rest)
    parts = []
    for char in sorted(below):
        inner, ends_here = _branches(below[char])
        if not inner:
            parts.append(re.escape(char))
        elif ends_here:
            parts.append(f"{re.escape(char)}(?:{'|'.join(inner)})?")
        elif len(inner) == 1:
            parts.append(re.escape(char) + inner[0])
        else:
            parts.append(f"{re.escape(char)}(?:{'|'.join(inner)})")
    parts += sorted((rest for rest in rests if rest), key=lambda r: (-len(r), r))
    return parts, "" in rests


def _group(words: Iterable[str]) -> str:
    return f"(?:{alternation(words)})"


def case_forms(word: str) -> tuple[str, ...]:
    """A word as pages write it: a lower-case Latin word also capitalised and in capitals
    (copyright, Copyright, COPYRIGHT; qq空间, Qq空间, QQ空间); any other word as it is."""
    if not (word[0].isascii() and word[0].isalpha()):
        return (word,)
    return tuple(dict.fromkeys((word, word[0].upper() + word[1:], word.upper())))


def latin(word: str, ignore_case: bool) -> list[str]:
    """A lower-case Latin ``word`` as alternatives: ignoring case with the first letter spelled
    out (``C(?i:opyright)|c(?i:opyright)``: each starts with a literal, so ``re`` can still skip
    ahead; I also matches İ and ı under ``re.IGNORECASE``, so they are spelled too), or in the three
    forms pages write (copyright, Copyright, COPYRIGHT), which a page screen can look for."""
    first, rest = word[0], re.escape(word[1:])
    if not ignore_case:
        return [re.escape(form) for form in case_forms(word)]
    candidates = (first.upper(), first, "\u0130", "\u0131", "\u212a", "\u017f")  # İ ı, the Kelvin sign, ſ
    firsts = [c for c in candidates if re.fullmatch(first, c, re.IGNORECASE)]
    return [f"{c}(?i:{rest})" if rest else c for c in dict.fromkeys(firsts)]


def with_app(patterns: Iterable[str], ignore_case: bool) -> list[str]:
    """App prompts with ``{app}`` spelled out, one alternative per name of the app, so that every
    alternative still starts with a literal (``re``'s skip-ahead; :func:`required_literal`)."""
    names = [form for name in APP_NAMES for form in (latin(name, ignore_case) if name.isascii() else [name])]
    out: list[str] = []
    for pattern in patterns:
        forms = [pattern.format(app=name) for name in names] if "{app}" in pattern else [pattern.format()]
        out += [form for form in forms if form not in out]
    return out


def required_literal(pattern: str) -> str:
    """The longest run of literal characters every match of ``pattern`` holds (one alternative, no
    ``|`` at its top): what a page must contain for the pattern to match one of its lines."""
    best = run = ""
    for op, value in _sre_parse.parse(pattern):
        if op is _sre_constants.LITERAL:
            run += chr(value)
            best = max(best, run, key=len)
        else:
            run = ""
    if not best:
        raise ValueError(f"no literal that every match holds: {pattern!r}")
    return best


def first_characters(patterns: Iterable[str]) -> str:
    """The first character of each pattern (each starts with a literal one), as a character class's
    contents: the extractor's first test of a line."""
    chars = set()
    for pattern in patterns:
        op, value = _sre_parse.parse(pattern)[0]
        if op is not _sre_constants.LITERAL:
            raise ValueError(f"does not start with a literal character: {pattern!r}")
        chars.add(chr(value))
    return "".join(re.escape(c) for c in sorted(chars))


# --- bylines ---------------------------------------------------------------------------------

# Who made a story: a label, a separator and a name (责任编辑：王晓明, 文／李四, 【编辑:惠小东】).
# The step drops a short line that is a label, a separator and up to 24 characters of a name with
# no sentence end. The extractor drops a short line that opens with one of these labels and a
# colon, or is one of them, a slash and a name (文／李四).
BYLINE_LABELS = (
    "作者", "文", "译", "撰文", "撰文者", "摄影", "编译", "整理", "供稿", "通讯员", "图文",
    # a video's credit (影／翻攝自YouTube, Taiwan portals)
    "影",
    # Where the story is online (原文網址：https://…, Taiwan portals under each story)
    "原文网址", "原文链接", "原文连结", "原文地址", "本文链接",
)  # fmt: skip
# A picture's credit: the extractor takes it only before a slash (图／新华社): 图： opens a caption.
PICTURE_CREDIT = "图"
# The step's only. In the extractor, in the step's shape, they dropped six bylines that
# magic_html_bench's gold keeps (责编：杨煜, 编辑/倪家宁, 来源 | …: F1 −0.00056, zh −0.00070, no
# other source moved); after a bare colon, as the extractor takes its own labels, 记者 takes the
# questions of an interview (记者：你通过什么渠道…, five lines of one cwced page's gold). In the
# pipeline the step removes these bylines right after extraction anyway.
BYLINE_LABELS_STEP_ONLY = (
    "责任编辑", "责编", "编辑", "主编", "值班编辑", "实习编辑", "审核", "审校", "校对", "记者", "撰稿",
    "摄像", "出品", "监制", "策划", "制作", "核稿编辑",
)  # fmt: skip
# Where a story came from. Apart from the people above because 来源： opens a line of prose too
# ("来源：据统计…" in a law's notes): the extractor takes it only with nothing after it (a field the
# page left empty) or a short source after it, wherever it stands.
SOURCE_LABELS = (
    "来源", "本文来源", "资料来源", "新闻来源", "信息来源", "文章来源", "稿件来源", "图片来源", "图源",
    # the lead picture's source (首圖來源：shutterstock, 题图来源：视觉中国)
    "首图来源", "题图来源", "头图来源", "封面来源", "原文出处",
)  # fmt: skip

# A reporter's line: 记者陈大文／台北报导, （记者 张三 李四）, （中央社记者林佳慧／综合报导）.
REPORTER_DESKS = ("本报", "本台", "本网", "中央社")
REPORTER_KINDS = ("特约", "实习")
REPORTED = ("报导", "报道")


_REPORTER_OPENING = rf"[【\[（(〔﹝]?\s*{_group(REPORTER_DESKS)}?{_group(REPORTER_KINDS)}?记者"
# The whole line, for a match at its start (both modules). The step's shape: the extractor's
# lacked 中央社, 特约 and 实习, and brackets around the slashed form.
REPORTER_LINE = (
    rf"{_REPORTER_OPENING}\s*[^。！？，,]{{1,20}}?[／/]\s*[^。！？，,\s]{{1,12}}{_group(REPORTED)}\s*[】\]）)〕﹞]?$"
    # bracketed, after the outlet's name when it leads (【健康医疗网／记者王小明报导】)
    rf"|[【\[（(〔﹝]\s*(?:[^／/【】\[\]（）()〔〕]{{1,12}}[／/]\s*)?{_group(REPORTER_DESKS)}?{_group(REPORTER_KINDS)}?"
    rf"记者\s*[^。！？，,()（）\[\]【】〔〕﹝﹞]{{1,20}}[】\]）)〕﹞]$"
)
# A wire service's tag, alone on the line that ends its story: （中央社）, （新华社）.
AGENCY_TAG = r"[（(]\s*(?:中央社|新华社|中新社|美联社|路透社|法新社|共同社|韩联社)\s*[)）]$"
# What Taiwan's and Hong Kong's portals put before a line of chrome (▲ before a picture's credit,
# ► before 點我看更多, ★ before a reminder): read past, the rest of the line is judged.
LINE_DECORATIONS = "▲△►▶▷▼★☆※◎●○■□◆◇→"


def undecorated(line: str) -> str:
    """A stripped line without the decorations that open it (:data:`LINE_DECORATIONS`)."""
    return line.lstrip(LINE_DECORATIONS).lstrip()


# A medium's reminder under its story (★ETtoday新聞雲提醒您：飲酒過量，有害健康; 《某某新聞》提醒您：…):
# the name is a medium's (新闻, 网, 云, 台, 报, TV), not 警方 quoted in the story.
_MEDIA_REMINDER = re.compile(
    r"[《]?[^\s，。：:《》]{0,12}?(?:新闻|网|云|台|报|tv|TV)[^\s，。：:《》]{0,6}?[》]?提醒您\s*[:：]"
)


def is_media_reminder(line: str) -> bool:
    """Whether a stripped line, folded and undecorated, opens with a medium's reminder."""
    return "提醒您" in line and _MEDIA_REMINDER.match(line) is not None


# --- datelines and counters ------------------------------------------------------------------

# A dateline's label: 发布时间：2026-01-05 09:30. The extractor's list lacked 发布日期 and the
# 于 forms (发布于 2026-01-05); the step's is all of these.
DATELINE_LABELS = (
    "发布时间", "发表时间", "更新时间", "发布日期", "时间", "日期", "发布于", "发表于", "更新于",
    "最后更新时间", "最后更新",
)  # fmt: skip
# A date alone on its line (a post's or a story's timestamp), the same pattern in both modules.
_DAY = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
DATE_ALONE = rf"{_DAY}(?:\s*{_CLOCK})?$"
# A story's or a post's record on a line of its own, without a sentence's end: a publishing label
# and its date anywhere in it (〓 网易娱乐 发布时间 2005/03/15 22:36:13 by 某某 〓, 发布时间：2015-06-01 10:23
# 来源：新华网 作者：张三), or a site's address and a date (http://www.sina.net 2005年03月21日 11:21 《理财
# 周刊》, AUTO.SOHU.COM 2005年05月13日14:15), or a date and then a credit (2026-09-28 来源：本报记者
# 林晓). Not 时间 and 日期 inside a line: a notice's 活动时间：2024-05-01 is its own.
_PUBLISHED = frozenset(DATELINE_LABELS) - {"时间", "日期"}
_SITE = r"(?:https?://)?(?:[A-Za-z0-9-]+\.)+(?i:com|cn|net|org|gov|edu|info|tv|cc|hk|tw)(?:\.[a-zA-Z]{2})?/?"


def record_line() -> str:
    """A line that is a story's or a post's record (see above), for ``re.match`` on a short
    stripped line folded to Simplified."""
    labelled = rf"(?:{alternation(sorted(_PUBLISHED))})\s*[:：]?\s*"
    date = rf"{_DAY}(?=[\s\d]|$)"  # a date, not the start of a phrase (2024年5月1日起开放)
    credited = alternation([*SOURCE_LABELS, *BYLINE_LABELS, *BYLINE_LABELS_STEP_ONLY])
    dated_credit = rf"{_DAY}(?:\s*{_CLOCK})?\s*(?:{credited})\s*[:：]"  # 2026-09-28 来源：本报记者 林晓
    return (
        rf"(?=[^。！？!?]*$)(?:[^\s。！？]{{0,20}}\s+){{0,3}}"
        rf"(?:(?:{labelled}|{_SITE}\S*\s*){date}|{dated_credit})"
    )


def is_credit_line(line: str) -> bool:
    """Whether a stripped line, folded to Simplified, is a story's credit or record: a reporter's
    line (REPORTER_LINE), a byline or a source with its label (作者：…, 来源：…), or a record line
    (:func:`record_line`). Chrome to a reader, and yet what says a text is a report: extraction
    hands the ones it removed to the steps that tell a text's kind."""
    return _credit_pattern().match(line) is not None


@cache
def _credit_pattern() -> re.Pattern[str]:
    labels = alternation([*BYLINE_LABELS, *BYLINE_LABELS_STEP_ONLY, *SOURCE_LABELS])
    labelled = rf"[【\[（(〔]?\s*(?:{labels})\s*[:：／/]"
    return re.compile(rf"(?:{REPORTER_LINE})|{labelled}|(?:{record_line()})")


# A paywall's message: the rest of the story is for members or subscribers (本文为付费会员专属内容,
# 订阅会员即可阅读全文, 登录后继续阅读). Chrome to the text, and what says the page holds a teaser of
# its story, not the story. Short: a sentence about a platform's paid members runs longer. Not a
# login to see more comments (登录后查看更多评论): the story is there. Taiwan's 檢視 is 查看.
_PAYWALL = re.compile(
    r"付费(?:会员|内容|阅读|文章)|会员(?:专属|专享|独享)|"
    r"(?:订阅|登录|登入|开通会员)[^。！？]{0,10}"
    r"(?:(?:阅读|查看|检视|观看)(?:全文|完整|剩余|更多)(?![^。！？]{0,4}(?:评论|回复|回答|留言))|继续阅读)"
)
PAYWALL_CHARS = 30


def is_paywall(line: str) -> bool:
    """Whether a stripped line, folded to Simplified, is a paywall's message (see above)."""
    return len(line) <= PAYWALL_CHARS and _PAYWALL.search(line) is not None


# A notice's closing date, under its signature at its end (吉林省人民政府 / 2022年1月27日, 学校办公室 /
# 2026年12月1日): the notice's own, where a date alone elsewhere is a story's stamp. Written with 年
# 月 日 and no time; the signature above it a short line without punctuation.
_CLOSING_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_SIGNATURE = re.compile(r"[^\s\d，,。！？!?：:；;、（）()|｜]{2,24}")


def closing_date(lines: list[str]) -> tuple[int, int] | None:
    """The indexes of a notice's closing date and of its signature among ``lines`` (see above):
    the date one of the last two non-empty lines, alone, right under the signature; None when
    there is none. The date is the notice's own only while its signature is kept."""
    filled = [k for k in range(len(lines) - 1, -1, -1) if lines[k].strip()][:3]
    for at, above in pairwise(filled):
        date, signer = lines[at].strip(), lines[above].strip()
        if _CLOSING_DATE.fullmatch(date) and _SIGNATURE.fullmatch(signer):
            return at, above
    return None


# A date and a time in brackets, as blogs print each comment's time: (2006-12-24 03:45:27). With its
# time only: a decision's or a speech's date under its title is its own, （2025年1月23日）.
DATE_IN_BRACKETS = rf"[（(]\s*{_DAY}\s*{_CLOCK}\s*[)）]$"
# A reply's byline on a forum or under a post: the poster's name, and how long ago (马亮南生 10月前,
# 小诺抓 (楼主)10月前, 张三 2小时前 · 北京, 张三 5分钟前 来自iPhone客户端). The name is needed, apart
# from the time by a space or a (楼主): a time alone ("11 天前") is kept in a forum's gold.
_RELATIVE_TIME = r"(?:\d{1,3}\s*(?:秒|分钟|小时|天|周|星期|个月|月|年)前|刚刚)"
POST_AGE_LINE = re.compile(
    rf"\s*(?!\d)[^\s。，！？；：,!?;:]{{1,16}}(?:\s+|\s*[(（](?:楼主|作者|博主|up主|UP主)[)）]\s*){_RELATIVE_TIME}"
    r"(?:\s+来自\S{1,12}|\s*[·|｜]\s*[^\s。，！？；,!?;]{1,10}|\s+IP属地[:：]?\s*\S{1,8})?\s*$"
)
POST_AGE_CHARS = 48


def is_post_age_line(line: str) -> bool:
    """Whether ``line`` is, whole, a reply's byline with its age (:data:`POST_AGE_LINE`)."""
    return (
        len(line) <= POST_AGE_CHARS
        and ("前" in line or "刚刚" in line)
        and POST_AGE_LINE.match(line) is not None
    )


# What a counter counts: 阅读：5450045, 浏览次数：1234, 点阅数：88, 人气(3). Each is a page control
# too (阅读 12 in a bar of widgets). The extractor's list lacked 评论 and 人气 (the step counts them
# in a post's meta line).
COUNTED = ("阅读", "浏览", "点击", "点阅", "评论", "人气")
# The words between a counter's name and its number (阅读数, 浏览量, 点击次数, 点阅率).
COUNT_SUFFIXES = ("数", "量", "次数", "率")
# Counts shown side by side on a line of their own, a thread's or a post's (查看: 1031 | 回复: 1,
# 浏览 3,215 回复 4, 1.2万 阅读 · 36 评论): two or more, each a counted word and a number; or one
# counter (COUNTED) with its number in brackets (阅读 (177万)). The counted words are COUNTED, these,
# and the controls and a poster's fields that show a count.
COUNTER_BAR_WORDS = ("查看", "回帖", "主题", "粉丝", "赞")
_COUNTED_ELSEWHERE = frozenset(
    {"回复", "转发", "分享", "点赞", "收藏", "关注", "喜欢", "播放", "帖子", "积分"}
)


def counter_bar() -> str:
    """A line of counts (see :data:`COUNTER_BAR_WORDS`), whole, for ``re.match`` on a stripped
    line folded to Simplified."""
    words = alternation([*COUNTED, *COUNTER_BAR_WORDS, *sorted(_COUNTED_ELSEWHERE)])
    number = r"\d[\d,.]*\s*(?:万|千|亿|[kKwW])?\+?"
    suffix = rf"(?:{alternation(COUNT_SUFFIXES)})?"
    item = rf"(?:(?:{words}){suffix}\s*[:：]?\s*[(（\[]?\s*{number}\s*[)）\]]?|{number}\s*(?:{words}))"
    separator = r"\s*[|｜/·•,，]?\s*"
    bracketed = rf"(?:{alternation(COUNTED)}){suffix}\s*[(（\[]\s*{number}\s*[)）\]]"
    return rf"(?:{item}(?:{separator}{item})+|{bracketed})\s*$"


def counter_bar_first() -> str:
    """The characters a line of counts can start with."""
    return first_characters([*COUNTED, *COUNTER_BAR_WORDS, *_COUNTED_ELSEWHERE]) + "0123456789"


# An encyclopedia entry's controls beside its title and each section's heading, two or more on a
# line, often glued (their links stand side by side: 编辑播报, 编辑锁定讨论上传视频).
_EDIT_CONTROLS = frozenset({"编辑", "播报", "锁定", "讨论", "上传视频"})
EDIT_CONTROL_OPENINGS = "".join(sorted({word[0] for word in _EDIT_CONTROLS}))
"""The characters a line of edit controls starts with."""


def edit_controls() -> str:
    """A line of an entry's edit controls (see above), whole, for ``re.match``."""
    return rf"(?:(?:{alternation(sorted(_EDIT_CONTROLS))})[\s|｜/·]*){{2,}}$"


# --- copyright, reprint terms and disclaimers ---------------------------------------------------

# Copyright lines and a site's registration numbers, in a footer (patterns). The extractor
# drops a short line holding one; the step a line up to a paragraph's length. The extractor's
# list lacked 版权归…所有, 版权均属 and ICP证; the step's All rights reserved, and cases other
# than Copyright and copyright.
COPYRIGHT = ("版权所有", "版权归.{0,12}所有", "版权均属", "©", "公网安备")
# The step's only: in the extractor's short lines it flagged prose on telecom licensing
# (bench/chrome_false_positives.py: 新闻联播 0 → 6 lines, laws 23 → 25; "鼓励增值电信业务先行先试").
COPYRIGHT_STEP_ONLY = (
    "增值电信业务",
    # A licence a Chinese portal must print in its footer, with its number (互联网新闻信息服务许可证
    # 32120170004, 信息网络传播视听节目许可证1008318号); prose names a licence without a number.
    # (one entry per licence: each entry starts with a literal, see ``factored``)
    *(
        f"{licence}许可证(?:编号|号)?\\s*[:：]?\\s*(?:[\u4e00-\u9fff]字第)?[0-9]"
        for licence in ("新闻信息服务", "视听节目", "文化经营", "节目制作经营", "出版物经营")
    ),
)
COPYRIGHT_LATIN = ("copyright", "all rights reserved", "icp备", "icp证")
# Terms that reserve the rights: no prose writes them, so both modules drop them in a line up
# to a paragraph long. 著作权所有人 and 著作权所有者 are the law's words for the owner.
RESERVED_RIGHTS = ("著作权所有(?![人者])", "转载必究", "翻印必究", "盗版必究")
# Reprint notices (patterns). The extractor's list lacked 谢绝转载; the step's 转载时务请注明.
REPRINT = (
    "禁止转载", "谢绝转载", "严禁转载", "不得转载", "请勿转载", "转载时?务?请注明", "本文经授权转载",
    "本文转载自", "本文由[^。，]{1,12}授权(?:提供|刊登|转载)",
)  # fmt: skip
# The step's only: laws write it ("未经许可，在合同中使用他人的专利号…"; in the extractor,
# bench/chrome_false_positives.py's laws went from 23 to 28 lines flagged).
REPRINT_STEP_ONLY = ("未经(?:授权|许可|允许).{0,12}(?:转载|使用|复制)",)
# A platform's or a portal's disclaimer and terms, at any length up to a paragraph (patterns).
# The extractor's list lacked 免责声明 at a line's end, 不代表本网站/本号, and 如有侵权…删除; the step's the
# self-media platforms' disclaimers (仅提供信息存储, 观点仅代表作者), 同本网联系 and 转载目的在于….
DISCLAIMER = (
    "仅提供信息存储", "观点仅代表作者", "仅代表作者(?:本人|个人)?(?:的)?观点",
    "不代表本(?:网站|网|站|平台|号)(?:的)?(?:赞同|立场|观点)", "uploaded and posted by a user of",
    # 免责声明 as a heading or a footer's link (版权与免责声明), not in prose about disclaimers
    # ("法院认为格式条款中的免责声明无效")
    "免责声明\\s*(?:[:：]|(?m:$))", "凡本(?:网|站|报)注明", "同本(?:网|站)联系", "转载目的在于传递更多信息",
    # The reprint disclaimer most portals print under a reprinted article ("本网转载此文出于传递更多
    # 信息之目的，并不意味着赞同其观点或证实其描述"), in its two halves, either of which may stand alone
    "传递更多信息之目的", "不意味着赞同其观点",
    # A portal's reprint terms and its price list for reprinting pictures
    "转载本(?:网|站|报)(?:图片|照片|作品|稿件|文章)", "图片转载(?:价格|费用|收费|标准|稿酬)",
    "图片使用(?:价格|费用|收费|标准|稿酬)", "照片转载(?:价格|费用|收费|标准|稿酬)",
    "照片使用(?:价格|费用|收费|标准|稿酬)",
    # "如有侵权，请联系删除"
    "如有侵权", "如有版权", "如存在侵权", "如存在版权", "如涉及侵权", "如涉及版权",
    "侵权.{0,8}(?:删除|联系|删)",
    # A cookie notice ("本站使用Cookie以改善浏览体验，继续浏览即表示同意"): the cookie and the consent
    # to it in one line (a web tutorial writes of cookies, and of 隐私 and 接受, but not of this)
    # (each entry opens with a word a page rarely holds otherwise: the step asks the page for it
    # before it searches the page, and 使用, 接受 or a lone "c" would send every page on)
    "Cookies?.{0,40}(?:继续浏览|继续使用|即表示(?:您)?同意|即视为(?:您)?同意)",
    "cookies?.{0,40}(?:继续浏览|继续使用|即表示(?:您)?同意|即视为(?:您)?同意)",
    "COOKIES?.{0,40}(?:继续浏览|继续使用|即表示(?:您)?同意|即视为(?:您)?同意)",
    "继续浏览.{0,40}(?i:cookie)", "继续使用.{0,40}(?i:cookie)", "接受所有\\s*(?i:cookie)",
    "接受全部\\s*(?i:cookie)", "本网站\\s*(?:会)?\\s*使用\\s*(?i:cookie)",
    "本站\\s*(?:会)?\\s*使用\\s*(?i:cookie)",
)  # fmt: skip
# A disclaimer's heading, with a colon after it: 特别声明：…, 平台声明：… (the extractor took them
# only at a line's start).
DISCLAIMER_HEADINGS = ("特别声明", "平台声明")  # 免责声明 is in DISCLAIMER (above)

# --- link lists -----------------------------------------------------------------------------

# Headings of link lists, alone on their line (延伸阅读, 热门新闻: the step also drops the run of
# items under one). 相关推荐 was a page control to the extractor.
LIST_HEADINGS = ("延伸阅读", "热门新闻", "相关报导", "相关报道", "更多新闻", "最新新闻", "相关推荐")
# The step's only. The extractor drops a heading alone on its line, and the step then no longer
# sees the list under it: with these in the extractor, realweb-dev kept a line the step had taken
# as the item under a 重点推荐 heading (本文来源：中国证券报·中证网 作者：王小伟), for +0.00002 F1
# on one cwced page (a 相关链接 heading).
LIST_HEADINGS_STEP_ONLY = (
    "热门推荐", "热门导读", "热门文章", "热门阅读", "热门资讯", "热门排行", "热门标签", "相关文章",
    "相关链接", "相关资讯", "相关专题", "为你推荐", "更多精彩", "精彩推荐", "今日推荐", "编辑推荐",
    "重点推荐", "本站推荐", "小编推荐", "专题推荐", "推荐新闻", "排行榜", "点击排行", "阅读排行",
    "最新文章", "最新资讯", "热点新闻", "热点资讯", "即时新闻", "人气文章", "大家都在看", "看了又看",
    "猜你想看", "你可能也想看", "你可能会喜欢", "你可能感兴趣", "更多推荐", "今日热门", "推荐文章",
    "精选文章", "热门话题",
    # Taiwan portals' (你可能也會喜歡, 贊助商連結), as the fold writes them
    "你可能也会喜欢", "你可能也喜欢", "赞助商链接", "赞助商连结", "赞助内容",
    # (你可能有興趣, 看完這篇的人也看了, 最新消息)
    "你可能有兴趣", "你可能会有兴趣", "你可能也有兴趣", "看完这篇的人也看了", "看过本文的人还看了",
    "看了本文的人还看了", "最新消息",
)  # fmt: skip
# Headings the extractor drops wherever they stand in a short line ("相关阅读：…"); the step,
# like the others, alone on a line.
LIST_HEADINGS_IN_LINE = ("相关阅读", "相关新闻", "热点推荐", "推荐阅读", "猜你喜欢")
# Of the list headings, those that lead one linked headline on their own line, in brackets or
# before a colon or an arrow (【相关报道】港铁加价方案出炉, 延伸阅读：…, ▲相关新闻》…): the line is a link
# to another story. Not the headings a bulletin's lead opens with too (【最新消息】台北市今天宣布停班
# 停课, 即时新闻：…).
_BULLETIN_HEADINGS = frozenset(
    {"最新消息", "最新新闻", "即时新闻", "热点新闻", "热门新闻", "热点资讯", "最新资讯"}
)
LIST_HEADING_OPENINGS = "【[〔(（▲►▶★☆■●◆"
"""What may stand before a heading that leads its item (:func:`list_heading_with_item`)."""


def list_headings_with_item() -> list[str]:
    """The list headings that may lead one headline on its line (see above)."""
    headings = (*LIST_HEADINGS, *LIST_HEADINGS_IN_LINE, *LIST_HEADINGS_STEP_ONLY, "看更多")  # 看更多：…
    return [heading for heading in headings if heading not in _BULLETIN_HEADINGS]


def list_heading_with_item() -> str:
    """A line's start that is a heading leading its item (:func:`list_headings_with_item`), for
    ``re.match``: the heading, closed by a bracket, a colon or an arrow, then the item."""
    return (
        rf"[{re.escape(LIST_HEADING_OPENINGS)}]?\s*(?:{alternation(list_headings_with_item())})"
        r"\s*(?:[】\]〕)）]|[:：>》»])\s*\S"
    )


# A comment box's heading: the extractor drops a line opening with one (最新评论 (23)); the step
# takes it as a list heading. 更多评论 was the extractor's only.
COMMENT_HEADINGS = ("网友评论", "最新评论", "热门评论", "精彩评论", "全部评论", "更多评论")

# --- navigation and page controls -----------------------------------------------------------

# Back to the top of the page: a control in a bar, and a navigation line.
BACK_TO_TOP = ("返回顶部", "返回顶端", "回到顶部", "回到顶端", "回顶部", "回顶端")
# How navigation lines open (patterns): previous and next, back to the index, where the page is
# in the site (您当前位置：首页 > 新闻 > 正文). 你…位置 and 目前位置 need the colon: "你的位置决定了…"
# is prose. The others need a colon, a crumb separator, 首页 or the line's end after them: prose
# writes them too ("所在位置优越，交通便利", "当前位置信息显示该船已驶离港口", "您的位置很重要").
# The extractor had 上一/下一 only before 篇 and 则, and its breadcrumb openings all with a colon;
# the step lacked 您所在的位置：, 你所在的位置：, 当前的位置：.
_WHERE = "\\s*(?:是\\s*)?(?:[:：>›»/|｜]|(?=首页)|(?m:$))"  # what follows "where you are"
NAVIGATION_OPENINGS = (
    "上一(?:篇|则|页|条)", "下一(?:篇|则|页|条)", "返回(?:首页|列表|上页|目录)", "回到首页",
    # a portal's way back from a story (返回搜狐，查看更多; 返回新浪首页)
    "返回[^\\s，,。]{1,8}?(?:首页|[，,]\\s*查看更多)",
    "当前位置" + _WHERE, "当前的位置\\s*[:：]", "所在位置" + _WHERE, "目前位置\\s*[:：]",
    "目前的位置\\s*[:：]", "位置\\s*[:：]\\s*首页", "首页\\s*[>›»/]", "您的位置" + _WHERE,
    "您位置" + _WHERE, "您当前的?位置" + _WHERE, "您现在的?位置" + _WHERE, "您目前的?位置" + _WHERE,
    "您所在的?位置\\s*[:：]", "你的位置\\s*[:：]", "你位置\\s*[:：]", "你当前的?位置\\s*[:：]",
    "你现在的?位置\\s*[:：]", "你目前的?位置\\s*[:：]", "你所在的?位置\\s*[:：]",
)  # fmt: skip


# A pager's words (首页 上一页 1 2 3 下一页 尾页). A line opening with 上一页 or 下一页 is navigation
# above; a line made of these, page numbers and the marks between them is a pager, in any order
# (< 第一页 | 上一页 | 1 | 下一页 | 最末页 >, [首页] [上页] [下页] [末页]).
PAGER_WORDS = (
    "首页", "第一页", "上一页", "下一页", "上页", "下页", "前一页", "后一页", "末页", "尾页", "最末页",
    "最后一页",
)  # fmt: skip
# What may stand between a pager's words and numbers.
_PAGER_MARKS = r"[\s|｜/<>＜＞《》«»‹›\[\]【】()（）:：.…·\-]*"
# A page number: 12 (where its digits end, so a run of digits is read one way), 第3页, 共5页.
_PAGE_NUMBER = r"(?:\d{1,5}(?!\d)|[第共]\s*\d{1,5}\s*页)"


def pager_line() -> str:
    """A whole line made of pager words (:data:`PAGER_WORDS`, one at least), page numbers and the
    marks between them, as a pattern anchored at its end (``match`` anchors its start). A run of
    digits is read one way (a number ends where its digits do) and no mark starts a word, so a
    line that fails does not backtrack through ways to split it, whatever its length."""
    words = alternation(PAGER_WORDS)
    marks, number = _PAGER_MARKS, _PAGE_NUMBER
    return rf"{marks}(?:{number}{marks})*(?:{words}){marks}(?:(?:{words}|{number}){marks})*$"


def pager_first() -> str:
    """What a pager line (:func:`pager_line`) can start with, as a character class's contents: a
    mark, a number, or a pager word's first character (the extractor's first test of a line)."""
    openings = "".join(sorted({re.escape(word[0]) for word in PAGER_WORDS}))
    return r"\s|｜/<>＜＞《》«»‹›\[\]【】()（）:：.…·\-\d共" + openings


# A bar of links on one line, at any length up to LINK_BAR_CHARS: four or more short items between
# three bars or more, or three dashes or dots with spaces around them, no item with a sentence mark
# or a colon (ChinaRen - 搜狐招聘 - 网站登录 - …, 首页 | 新闻 | 体育 | 关于我们). Split, not matched:
# an item may hold a space (About SOHU), and a pattern would try every way to split a line that
# fails. A Markdown table's row starts with its bar.
_LINK_BAR_SPLIT = re.compile(r"\s*[|｜]\s*| +[-·•] +")
_LINK_BAR_ITEM_BREAK = re.compile(r"[。，！？；：,!?;:]")
LINK_BAR_CHARS = 200
_LINK_BAR_ITEM_CHARS = 16


def may_hold_link_bar(text: str) -> bool:
    """Whether ``text`` has the separators of a link bar (:func:`is_link_bar`): three bars, or
    three dashes or dots with spaces around them. A line's are its page's, so a page without them
    holds no bar."""
    return (
        text.count("|") + text.count("｜") >= 3
        or text.count(" - ") + text.count(" · ") + text.count(" • ") >= 3
    )


def is_link_bar(line: str) -> bool:
    """Whether a stripped line is a bar of four or more links (see ``_LINK_BAR_SPLIT``): chrome at
    any length up to :data:`LINK_BAR_CHARS`, which the length caps of other chrome would miss."""
    if not may_hold_link_bar(line):
        return False  # most lines: no split
    items = _LINK_BAR_SPLIT.split(line)
    return len(items) >= 4 and all(
        0 < len(item) <= _LINK_BAR_ITEM_CHARS and _LINK_BAR_ITEM_BREAK.search(item) is None for item in items
    )


# A forum poster's profile beside each post (Discuz, PHPWind and their kind): 积分：235, 帖子 12,
# 注册时间 2005-3-1. One such line can be a notice's own (a points table, a rank); two different
# fields in a row are a profile, one of them at least a word only forums use (the step's only:
# the extractor judges lines one by one).
POSTER_FIELDS = (
    "积分", "帖子", "精华", "威望", "用户组", "注册时间", "注册日期", "最后登录", "在线时间", "阅读权限",
    "发帖数", "回帖数", "主题数", "UID",
)  # fmt: skip
# Fields a profile shows that prose writes too (经验, 等级): a profile's only beside one above.
POSTER_FIELDS_IN_PROSE = ("金钱", "金币", "贡献", "经验", "等级", "级别", "头衔")


def navigation_patterns() -> list[str]:
    """What a navigation line opens with, as patterns: the openings, and back to the top (both
    modules take a line that opens with either as navigation)."""
    return [*NAVIGATION_OPENINGS, *map(re.escape, BACK_TO_TOP)]


# The page's controls (words): a line made of them and numbers is chrome ([打印] 关闭窗口,
# 分享 收藏 点赞 12, 网站地图 | 联系我们). Each names a widget; the step's bars of widgets must
# name one. The extractor's controls and the step's widget names, together (the extractor lacked
# the footer's links, 转发, 更多, 喜欢, 顶, 踩…; the step 正文, 关注, 订阅, 跟帖, 仅看楼主…); with them,
# the counters' names (COUNTED) and the families below.
PAGE_CONTROLS = (
    "打印", "打印本页", "列印", "列印本页", "关闭", "关闭窗口", "关闭视窗", "关闭本页", "返回",
    "首赞", "正文", "倒序看帖", "仅看楼主", "只看楼主", "楼主", "支持楼主", "发表评论", "写评论",
    "回复", "引用", "举报", "投诉", "分享", "分享成功", "转发", "转寄", "收藏本页", "加入收藏",
    "复制链接", "复制连结", "广告", "订阅", "关注", "新浪微博", "微博", "微信", "微信好友",
    "朋友圈", "微信朋友圈", "qq", "qq空间", "抖音", "豆瓣", "我要跟帖", "跟帖", "阅读原文",
    "播放", "热度", "在看", "喜欢", "顶", "踩", "支持", "反对", "更多",
    "查看更多", "网站地图", "联系我们", "关于我们", "网站声明", "隐私政策", "法律声明", "设为首页",
    "友情链接", "网站导航", "留言",
)  # fmt: skip
# Controls that make a short line chrome when they open it, whatever follows (点赞 12 收藏 3).
CONTROLS_OPENING = ("点赞", "收藏")
# Controls that make a short line chrome wherever they stand (分享到：微信 微博 QQ空间).
CONTROLS_IN_LINE = ("分享到", "分享至", "我要评论")
# The font-size control: 字号：大 中 小, 【字级：小 中 大】. Its labels are controls too.
FONT_SIZE_LABELS = ("字号", "字级", "字体大小", "字体", "字型")
# An advertisement's label alone on its line (广告 is a control above).
ADVERTISEMENT = "advertisement"

# --- app prompts ----------------------------------------------------------------------------

# The names of an app in a prompt; ``{app}`` below stands for them.
APP_NAMES = ("app", "客户端")
# Prompts to open or install the app, follow an account, read the rest (patterns, anywhere in a
# short line): 打开APP，阅读全文, 扫码关注, 下载客户端. The step's list, and the extractor's
# 下载…应用程序 (its other prompts were in the step's already).
APP_PROMPTS = (
    "打开\\s*\\S{{0,4}}{app}", "开启\\s*\\S{{0,4}}{app}", "下载\\s*\\S{{0,4}}{app}",
    "安装\\s*\\S{{0,4}}{app}", "前往\\s*\\S{{0,4}}{app}",
    "{app}\\s*内?(?:打开|阅读|查看|观看)", "下载.{{0,8}}(?:客户端|应用程序)",
    "阅读\\s*(?:全文|剩余|余下|更多内容)", "查看\\s*(?:全文|剩余|余下|更多内容)",
    "展开\\s*(?:全文|剩余|余下|更多内容)", "显示\\s*(?:全文|剩余|余下|更多内容)",
    "扫码(?:下载|关注|阅读|观看)", "扫描二维码(?:下载|关注|阅读|观看)", "扫一扫", "长按(?:识别|扫码|二维码)",
    "关注(?:我们|公众号|微信公众号|官方微信)", "立即(?:抢鲜|尝鲜)?(?:下载|打开|体验)",
    # Taiwan portals' (超過千萬讀者加入的LINE，立即加入好友; 加入LINE好友，新聞不漏接; 請加入「某某」粉絲團)
    "立即加入好友", "加入\\s*(?:LINE|Line|line)\\s*好友", "请加入[^。，]{{0,14}}粉丝团",
)  # fmt: skip
# The step's only (it takes prompts in lines up to 40 characters, the extractor up to 60): in
# the extractor they flagged prose (bench/chrome_false_positives.py's TiDB docs 8 → 10 lines:
# "可以点击查看之前生成的报告", "你可继续阅读[创建表]文档…"; "去年跨过的客户端" in a blog's comments).
APP_PROMPTS_STEP_ONLY = ("点击(?:关注|下载|查看|进入|阅读|播放)", "继续阅读", "去\\s*\\S{{0,4}}{app}")
# Prompts that are chrome only alone on their line (打开, 展开: words of prose otherwise). The
# step's; 展开 and 收起 were page controls to the extractor, and stay controls in a bar there.
APP_PROMPTS_ALONE = (
    "打开", "直接打开", "展开", "收起", "安装(?:应用|软件|{app})", "下载(?:应用|软件|{app})",
    "打开(?:应用|软件|{app})",
    # Taiwan and Hong Kong portals' prompts under a story (看更多, 請繼續往下閱讀, 快加入好友,
    # 按讚加入粉絲團, 追蹤我們, 訂閱電子報), as the fold writes them
    "看更多", "点我看更多", "看完整(?:新闻|内容|文章|全文|报导|报道)", "继续往下阅读", "请继续往下阅读",
    "往下继续阅读", "加入\\s*(?:LINE|Line|line)?\\s*好友", "快加入好友", "加入粉丝团", "按赞加入粉丝团",
    "追踪我们", "订阅.{{0,10}}电子报", "订阅.{{0,10}}(?:YouTube|youtube|Youtube)\\s*频道", "加入会员",
    "追踪我们的[^。，\\s]{{1,12}}", "下载\\s*\\S{{0,12}}{app}",
)  # fmt: skip

# --- English pages --------------------------------------------------------------------------

# What an English page prints around its story and never in it, each a whole line of its own:
# invitations to read on, share, follow and subscribe, and the headings of lists of other
# stories ("You may also like", "More Great WIRED Stories", "Sign up for our newsletter",
# "Follow us on Twitter", "Filed under: …"). Written from the shapes such lines take on every
# site, not from one site's words; whole lines only, so prose that uses the words runs on past
# them. A list, not a family: each alternative opens with a group, not the literal the families
# above need (their tests read every tuple of this module). The headings of lists come first, on
# their own: the lines under one are its items (is_english_list_heading).
_ENGLISH_LIST_HEADINGS = [
    r"(?:you (?:may|might|will|would|should) (?:also )?(?:like|love|enjoy|be interested in)"
    r"|we (?:think|thought) you(?:'|’)d (?:like|enjoy))(?: these| this| reading)?"
    r"(?: posts?| stories| articles?| reads?)?",
    r"(?:more |other |further )?(?:related|recommended|suggested|trending|popular|top|latest|must[- ]read)"
    r"(?: news)? (?:stories|articles|posts|reads|reading|content|links|videos|coverage|headlines)",
    r"more(?: \S+){0,2} (?:stories|articles)",
    r"more (?:on|from|at|in) \S+(?: \S+){0,3}",
    r"(?:popular|trending) (?:on|at) \S+(?: \S+){0,2}",
]
_ENGLISH_CHROME = [
    *_ENGLISH_LIST_HEADINGS,
    r"(?:read|see|watch) (?:more|next|also|this next|the full story|full story)"
    r"(?: (?:on|at|about|from|here) .{0,40})?",
    # another story's headline under a heading of its own: "Read more: …", "Related post: …"
    r"(?:read|see|watch) (?:more|next|also)\s*:.{1,70}",
    r"related(?: posts?| articles?| stor(?:y|ies)| coverage| roundup| links?| reading)?(?:\s*:.{0,70})?",
    r"(?:continue|keep) reading",
    r"(?:sign up|subscribe|register)(?: now| today| here| free| for free)?(?: (?:for|to) .{0,60})?",
    r"(?:get|receive) (?:the latest|our|the best|the top) .{0,50}(?:in|to) your inbox.{0,40}",
    r"follow (?:us|\S+(?: \S+){0,3}) on "
    r"(?:facebook|twitter|x|instagram|youtube|tiktok|linkedin|threads|bluesky).{0,60}",
    r"(?:share|email|print|tweet) (?:this|the) (?:article|story|post|page|video)",
    r"(?:listen|subscribe) (?:to|on) \S+(?: \S+){0,4} (?:on|via|at) "
    r"(?:spotify|apple podcasts|google podcasts|itunes|stitcher|soundcloud|youtube).{0,60}",
    r"sharing is caring",
    r"(?:did you )?(?:like|enjoy|love) this (?:story|article|post)\?.{0,50}",
    r"click here (?:to|for) .{0,60}",
    # (not "Category:", "Tags:" or "Topic:": a document's front matter writes them as its fields)
    r"(?:filed under|posted in)\s*:.{0,70}",
    r"this (?:slideshow|video|content|feature|page) requires javascript.{0,40}",
    r"(?:leave|post|add|write) a (?:comment|reply|review)",
    # comments counted, or the heading "Comments" (a manual's "COMMENT:" names a SQL clause)
    r"\d+\s*comments?|comments?\s*\(\d+\)|comments",
    r"(?:advertisement|advert|sponsored(?: content| links?| stories)?|paid content"
    r"|promoted(?: stories| content)?)",
    # a slideshow's counter and controls, a picture's credit on a line of its own, a widget's
    # heading: "Image 2 of 5", "1 of 6", "Photo: …, AP", "Back to Gallery", WordPress's "Like this:"
    # (capitalised: a manual's sentence wrapped in its source leaves a line "like this:")
    r"(?:(?:image|photo|picture|slide)s? )?\d{1,3} of \d{1,3}",
    r"photo(?:graph)?s?\s*:.{1,60}",
    r"back to (?:gallery|top)|caption|close|explore further|trending(?: now)?",
    r"(?-i:Like) this|(?-i:Like) loading\W*",
]
ENGLISH_CHROME_CHARS = 80
"""An English chrome line is this long at most (a subscription prompt names its newsletter)."""
# The words those lines open with: a line that opens with another word (most lines of an English
# page) is not matched against the alternatives at all.
_ENGLISH_CHROME_OPENINGS = frozenset((
    "you", "we", "more", "other", "further", "related", "recommended", "suggested", "trending",
    "popular", "top", "latest", "must", "must-read", "read", "see", "watch", "continue", "keep", "sign",
    "subscribe", "register", "get", "receive", "follow", "share", "email", "print", "tweet", "sharing",
    "did", "like", "enjoy", "love", "click", "filed", "posted", "this", "leave", "post", "add", "write",
    "comments", "advertisement", "sponsored", "paid", "promoted", "advert", "image", "photo",
    "picture", "slide", "images", "photos", "pictures", "slides", "photograph", "photographs", "back",
    "caption", "close", "explore", "listen",
))  # fmt: skip
_ENGLISH_CHROME_LINE = re.compile(r"\s*(?:" + "|".join(_ENGLISH_CHROME) + r")\s*[.:!…>»›]*\s*", re.IGNORECASE)
# Of those lines, the headings of a list of other stories (and "Read next", "Related" alone): the
# lines under one are its items.
_ENGLISH_LIST_HEADING = re.compile(
    r"\s*(?:"
    + "|".join(_ENGLISH_LIST_HEADINGS)
    + r"|(?:read|watch) (?:next|also|more)|related)\s*[.:!…>»›]*\s*",
    re.IGNORECASE,
)


# A story's dateline on a line of its own: a date that names its month, with or without a time
# and a time zone, or a time alone after "Updated" ("Nov. 19, 2019 8:03 am ET", "Published 11:34
# PM EST Nov 19, 2019", "Saturday, September 10th, 2005 10:56 am", "Updated at 1:23 p.m."). Only
# date words: a line that says anything else is not one. (A date in digits alone, 2019-11-19, is
# left to the Chinese rules, which know when a page is dated.)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_ZONE = r"(?:[ecmp][sd]?t|utc|gmt|bst|cet|cest|hkt|jst|ist|aest|amt)"
_NUMBER = r"\d{1,4}(?:st|nd|rd|th)?,?"
_TIME = rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?\s*(?:[ap]\.?m\.?)?(?:\s*{_ZONE})?"
_DATE = rf"(?:{_WEEKDAY}\s*)?(?:{_MONTH}\s*{_NUMBER}(?:\s*{_NUMBER})?|{_NUMBER}\s*{_MONTH}(?:\s*{_NUMBER})?)"
_ENGLISH_DATELINE = re.compile(
    rf"\s*(?:(?:first published|published|updated|last updated|posted)(?: on| at)?\s*:?\s*)?"
    rf"(?:{_DATE}(?:\s*(?:at|[-–—|,])?\s*{_TIME})?|{_TIME}\s*(?:on|[-–—|,])?\s*{_DATE}"
    rf"|(?:updated|published) (?:at )?{_TIME})\s*\.?\s*",
    re.IGNORECASE,
)
_DATELINE_OPENINGS = frozenset((
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul",
    "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec",
    "december", "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday", "published", "updated", "posted",
    "last", "first",
))  # fmt: skip


# A post's or a comment's byline on a forum: a name, how long ago, and the thread's controls
# ("ale - 2 years ago | thread parent", "Posted 3 hours ago", "5 days ago (edited)"). Nothing but
# a parenthesis and controls after "ago": "2 years ago, the council voted" is a sentence.
_ENGLISH_POST_META = re.compile(
    r"\s*(?:[^\s.,;:!?][^.;:!?]{0,40}?\s+[-–—·|]\s+)?(?:posted |updated |edited |submitted )?"
    r"(?:\d+|an?|one)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago"
    r"(?:\s*\([^()]{0,40}\))?(?:\s*[|·•]\s*[^|.,;:!?]{0,30})*\s*",
    re.IGNORECASE,
)


def is_english_post_meta(line: str) -> bool:
    """Whether ``line`` is, whole, a forum post's byline with its age (:data:`_ENGLISH_POST_META`)."""
    text = line.strip()
    return 0 < len(text) <= ENGLISH_CHROME_CHARS and _is_post_meta(text)


def _is_post_meta(text: str) -> bool:
    return " ago" in text and _ENGLISH_POST_META.fullmatch(text) is not None


def is_english_dateline(line: str) -> bool:
    """Whether ``line`` is, whole, an English story's dateline (:data:`_ENGLISH_DATELINE`)."""
    text = line.strip()
    if not text or len(text) > ENGLISH_CHROME_CHARS:
        return False
    head = text[0]
    if "0" <= head <= "9":
        return _is_dateline(text, "")
    if not ("A" <= head <= "Z" or "a" <= head <= "z"):
        return False
    return _is_dateline(text, text.split(None, 1)[0].lower())


# A BBS post's frame (PTT's 批踢踢, 水木社区, 未名, and every board run on the same software), in
# both scripts (written in Simplified, as every rule here: the modules fold text first). Its
# signature lines after the post's "--": where it was posted from, its address, its edits
# ("※ 發信站: 批踢踢實業坊(ptt.cc), 來自: …", "※ 来源:·水木社区 …·[FROM: …]", "※ 文章網址: https://…",
# "※ 編輯: …"); and the header over it, each field a line: the author's id and nick
# ("作者foodie88 (愛吃鬼)"), the board's name, the time as the C library writes it ("時間Sat May 11
# 21:03:45 2024": the English dateline's weekday, month and time, then the year). The title
# between them is the post's topic, and stays. Chrome at any length up to BBS_CHROME_CHARS (an
# address and an IP address make a signature longer than other chrome).
_BBS_CHROME = re.compile(
    r"(?:-{2,}\s*)?※\s*(?:发信站|来源|文章网址|编辑|修改|转录至)\s*[:：]"
    r"|作者\s*[:：]?\s*[A-Za-z][A-Za-z0-9_.-]{1,19}\s*\([^()]{0,30}\)$"
    r"|看板\s*[:：]?\s*[A-Za-z][A-Za-z0-9_.-]{1,19}$"
    rf"|时间\s*[:：]?\s*(?i:{_WEEKDAY}\s*{_MONTH}\s*\d{{1,2}}\s+{_TIME}\s+\d{{4}})$"
)
BBS_CHROME_CHARS = 300


def is_bbs_chrome(line: str) -> bool:
    """Whether a stripped line, folded to Simplified as every rule reads it, is a line of a BBS
    post's frame (``_BBS_CHROME``, at its start)."""
    return line[:1] in "※-作看时" and len(line) <= BBS_CHROME_CHARS and _BBS_CHROME.match(line) is not None


def _is_dateline(text: str, first: str) -> bool:
    """:func:`is_english_dateline` of a stripped line whose first word (lower-cased; "" when the
    line opens with a digit) is already known."""
    if first and first.rstrip(":.,") not in _DATELINE_OPENINGS:
        return False
    return _ENGLISH_DATELINE.fullmatch(text) is not None


def is_english_chrome(line: str) -> bool:
    """Whether ``line`` is, whole, one of the lines an English page prints around its story
    (:data:`_ENGLISH_CHROME`), its dateline (:func:`is_english_dateline`) or a forum post's byline
    with its age (:func:`is_english_post_meta`, whatever its first character: a poster's name).
    Otherwise only a line of :data:`ENGLISH_CHROME_CHARS` or fewer that starts with a Latin letter
    or a digit is read: a Chinese page's lines fail the first test."""
    text = line.strip()
    if not text or len(text) > ENGLISH_CHROME_CHARS:
        return False
    if _is_post_meta(text):
        return True  # whatever its first word: it is a poster's name
    head = text[0]
    if "0" <= head <= "9":  # "3 Comments", "1 of 6" open with a count; other lines with a digit do not
        if _is_dateline(text, ""):
            return True
        counted = "omment" in text.lower() or " of " in text
        return counted and _ENGLISH_CHROME_LINE.fullmatch(text) is not None
    if not ("A" <= head <= "Z" or "a" <= head <= "z"):
        return False
    # An English page's lines are mostly prose: its first word sends most of them away at once.
    first = text.split(None, 1)[0].lower()
    if _is_dateline(text, first):
        return True
    if first.rstrip(":.!?,…") not in _ENGLISH_CHROME_OPENINGS:
        return False
    return _ENGLISH_CHROME_LINE.fullmatch(text) is not None


# A wire story's credits at its end, on a line of their own: "Keith Bradsher contributed reporting
# from Hong Kong.", "Associated Press writers … contributed to this report.", Reuters' "Reporting by
# …; Editing by …" (only with its editor: "Reporting by ProPublica found that…" opens a sentence).
_ENGLISH_CREDITS = re.compile(
    r"\s*(?:[A-Z][^!?]{0,200}? contributed(?: reporting| to this (?:report|story|article))"
    r"(?: from [A-Z][\w .,'’-]{0,40})?"
    r"|(?:Reporting|Writing|Additional reporting) by [^!?]{1,200}?"
    r"(?:;|,)\s*(?:[Ee]dited|[Ee]diting) by [^!?]{1,80}?)"
    r"\s*\.?\s*"
)
ENGLISH_CREDITS_CHARS = 250
"""A wire story's credits run longer than other English chrome (a list of contributing writers)."""


def is_english_credits(line: str) -> bool:
    """Whether ``line`` is, whole, a wire story's credits (:data:`_ENGLISH_CREDITS`)."""
    text = line.strip()
    if not text or len(text) > ENGLISH_CREDITS_CHARS or not ("A" <= text[0] <= "Z"):
        return False
    if "contributed" not in text and " by " not in text:
        return False
    return _ENGLISH_CREDITS.fullmatch(text) is not None


ENGLISH_LIST_ITEM_CHARS = 120
"""A line under an English list heading is one of its items when it is this short and does not
end a sentence (a headline ends in no mark, or asks a question)."""


def is_english_list_heading(line: str) -> bool:
    """Whether ``line`` (one :func:`is_english_chrome` takes) heads a list of other stories: "You
    may also like", "More Great Example Stories", "Related", "Read next"."""
    return _ENGLISH_LIST_HEADING.fullmatch(line) is not None


def is_english_list_item(line: str) -> bool:
    """Whether ``line``, under an English list heading, is one of the list's items: a headline,
    up to :data:`ENGLISH_LIST_ITEM_CHARS`, not ending a sentence."""
    text = line.strip()
    return 0 < len(text) <= ENGLISH_LIST_ITEM_CHARS and text[-1] not in ".。!！:：;；,，"
