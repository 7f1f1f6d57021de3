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
责任编辑：… and 上一则 do; the lines kept or removed are the page's own. On a page written in
Traditional each line is also judged in a second reading, through OpenCC's Taiwan phrase table
(``taiwan_readings``), so Taiwan words no character fold reaches (點選 for 点击, 回覆, 使用者名稱,
免責宣告) meet the mainland words of the patterns. A few are spelled in their folded form as well
(列印 for 打印, 报导 for 报道, 点阅, 字级).
User patterns (``extra_patterns``) see the line as written.

The words of each family come from :mod:`taoyu.text.chrome_vocabulary`, which the extractor's
chrome lines (:mod:`taoyu.extract.boilerplate`) build from too; the shapes here are this step's,
one pattern a reason, and each pattern's page screen is found from its own alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from pydantic import Field

from taoyu.document import Document, meta_count
from taoyu.jit import kernel
from taoyu.registry import register
from taoyu.steps.base import StepParams, Transform
from taoyu.text import chars
from taoyu.text import chrome_vocabulary as vocabulary
from taoyu.text.chars import char_flags, codes
from taoyu.text.literals import WordLists
from taoyu.text.script import fold, fold_codes, fold_each, taiwan_readings, text_of

_PUNCT_AND_SPACE = r"\s,，.。:：;；!！?？、|｜/\\·•・\-—_~～>》<《()（）\[\]【】\"'“”‘’*#+"

# The words of each family come from taoyu.text.chrome_vocabulary, shared with the extractor's
# chrome lines (taoyu.extract.boilerplate); the shapes below are this step's: one pattern a reason,
# Latin words in the forms pages write, so that each pattern has a page screen (_SCREEN_WORDS).


def _forms(words: tuple[str, ...] | list[str]) -> list[str]:
    return [form for word in words for form in vocabulary.case_forms(word)]


_APP_PROMPTS = vocabulary.with_app(
    vocabulary.APP_PROMPTS + vocabulary.APP_PROMPTS_STEP_ONLY, ignore_case=False
)
_APP_PROMPTS_ALONE = vocabulary.with_app(vocabulary.APP_PROMPTS_ALONE, ignore_case=False)
_APP_PROMPT = re.compile(
    vocabulary.factored(_APP_PROMPTS) + f"|^(?:{vocabulary.factored(_APP_PROMPTS_ALONE)})$"
)
# Widget names: a bar of widgets must name one (the extractor's page controls, the same words).
_WIDGET_NAMES = _forms(
    vocabulary.PAGE_CONTROLS
    + vocabulary.COUNTED
    + vocabulary.CONTROLS_OPENING
    + vocabulary.CONTROLS_IN_LINE
    + vocabulary.FONT_SIZE_LABELS
    + (vocabulary.ADVERTISEMENT,)
)
# Words that fill a bar of widgets but do not make one alone (this step's own: the extractor
# has no bars of them): social networks, counters and their units, a footer's other links.
_FILLERS = (
    "复制网址", "链接已复制", "窗口", "视窗", "本页", "默认", "好友", "人民号", "头条号", "facebook",
    "twitter", "line", "plurk", "e-mail", "email", "脸书", "推特", "原文", "访问次数", "访问量", "播放量",
    "条评论", "次", "人", "来自", "顶部", "使用帮助", "意见反馈",
)  # fmt: skip
_WIDGET_FILLERS = [
    *_forms(_FILLERS),
    *vocabulary.PAGER_WORDS,  # 首页 in a footer's bar
    *[counted + suffix for counted in vocabulary.COUNTED for suffix in vocabulary.COUNT_SUFFIXES],
]
# A bar of widgets: once these words, numbers and punctuation are taken away, nothing is left.
_WIDGET_WORDS = re.compile(
    vocabulary.alternation([*_WIDGET_NAMES, *vocabulary.BACK_TO_TOP, *_WIDGET_FILLERS])
    + r"|[大中小]|[0-9０-９]+[万千wWkK+]?|["
    + _PUNCT_AND_SPACE
    + r"]"
)
_WIDGET_NAME = re.compile(vocabulary.alternation(_WIDGET_NAMES))
_BYLINE_LABELS = (
    *vocabulary.BYLINE_LABELS,
    vocabulary.PICTURE_CREDIT,
    *vocabulary.BYLINE_LABELS_STEP_ONLY,
    *vocabulary.SOURCE_LABELS,
)
_BYLINE = re.compile(
    rf"^[【\[（(]?\s*(?:{vocabulary.alternation(_BYLINE_LABELS)})"
    r"\s*[:：|丨/／]\s*[^。！？]{0,24}[】\]）)]?$"
)
# A reporter's line: 记者陈大文／台北报导, （记者 张三 李四）; asked only of lines holding 记者.
_REPORTER = re.compile(vocabulary.REPORTER_LINE)
# Every branch starts with a literal character: re then skips, in C, to where one of those
# characters stands, where one branch opening with a class or a group makes it try every branch at
# every position (a page-wide search twice as slow).
_DISCLAIMERS = [
    *vocabulary.COPYRIGHT,
    *vocabulary.COPYRIGHT_STEP_ONLY,
    *[form for word in vocabulary.COPYRIGHT_LATIN for form in vocabulary.latin(word, ignore_case=False)],
    *vocabulary.RESERVED_RIGHTS,
    *vocabulary.REPRINT,
    *vocabulary.REPRINT_STEP_ONLY,
    *vocabulary.DISCLAIMER,
    *[rf"{heading}\s*[:：]" for heading in vocabulary.DISCLAIMER_HEADINGS],
]
_DISCLAIMER = re.compile(vocabulary.factored(_DISCLAIMERS))
# A government page's document record (索引号, 发文字号… above the notice) and a site's own record
# (网站标识码, the browser it was built for): metadata, on every public-sector site alike.
_DOCUMENT_RECORD = re.compile(
    r"^(索引号|发文字号|文号|主题分类|公开方式|公开范围|公开时限|成文日期|发布机构|发文机关|组配分类)\s*[:：]"
)
_SITE_RECORD = re.compile(
    r"^((政府)?网站(标识|识别)码|最佳浏览|(建议|推荐)您?(使用|采用).{0,30}(浏览器|分辨率|浏览))"
)
_NAVIGATION = re.compile(f"^(?:{vocabulary.factored(vocabulary.navigation_patterns())})")
# A pager alone on its line, at any length (the words and numbers are all it holds).
_PAGER = re.compile(vocabulary.pager_line())
_POST_META = re.compile(
    rf"^(?:{vocabulary.alternation(vocabulary.DATELINE_LABELS)})\s*[:：]?\s*\d{{4}}[-/.年]"
    r"|^\S{1,20}\s*(发表于|发布于|回复于|编辑于|最后编辑于)\s*[:：]?\s*\d{4}[-/.年]"
)
# A post's meta line: a date or a source/author, and a view counter ("2025-02-27 来源：某某 浏览：85609次").
_DATE_OR_BYLINE = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|来源|作者|发布|发表"
_COUNTER = rf".{{0,40}}(?:{vocabulary.alternation(vocabulary.COUNTED)})\s*[(（:：]?\s*\d+"
_COUNTER_META = re.compile(rf"(^{_DATE_OR_BYLINE}){_COUNTER}")
# Unanchored, it matches a page wherever _COUNTER_META matches one of its lines.
_COUNTER_META_ANYWHERE = re.compile(rf"({_DATE_OR_BYLINE}){_COUNTER}")
_TIMESTAMP = re.compile(f"^(?:{vocabulary.DATE_ALONE}|{vocabulary.DATE_IN_BRACKETS})")
# A name and a date, alone on a line under the title: who published it and when ("深圳中学
# 2013-03-26", "cn.engadget.com 2012-08-04", "深圳中学 2014-09-03 点击次数:"). Only among a
# page's first lines: further down the same shape is a notice's own line ("报名截止 2024-05-10").
_NAME_DATE = re.compile(
    r"^[^\s。，！？；：:,!?;]{2,30}\s+\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?"
    # and a counter after them, its number often filled in by a script ("点击次数:")
    rf"(\s+(?:{vocabulary.alternation(vocabulary.COUNTED)})"
    rf"(?:{vocabulary.alternation(vocabulary.COUNT_SUFFIXES)})?\s*[:：]?\s*\d*\s*次?)?$"
)
# One field of a poster's profile, alone on its line: the field and a short value (积分：235, 级别：
# 入学了), or a number and the field (12 帖子).
_POSTER_FIELDS = vocabulary.alternation(vocabulary.POSTER_FIELDS + vocabulary.POSTER_FIELDS_IN_PROSE)
_POSTER_FIELD = re.compile(
    rf"^(?:({_POSTER_FIELDS})\s*[:：]?\s*[^\s。，！？；]{{1,16}}|\d+\s*({_POSTER_FIELDS}))$"
)
_LIST_HEADINGS = (
    vocabulary.LIST_HEADINGS
    + vocabulary.LIST_HEADINGS_STEP_ONLY
    + vocabulary.LIST_HEADINGS_IN_LINE
    + vocabulary.COMMENT_HEADINGS
)
_LIST_HEADING = re.compile(rf"^(?:{vocabulary.alternation(_LIST_HEADINGS)})\s*[:：>》»]*$")
# A heading with the one headline it leads, on one line (【相关报道】港铁加价方案出炉, 延伸阅读：…).
_LIST_HEADING_WITH_ITEM = re.compile(vocabulary.list_heading_with_item())
_HEADING_WITH_ITEM_FIRST = frozenset(
    vocabulary.LIST_HEADING_OPENINGS + "".join(word[0] for word in vocabulary.list_headings_with_item())
)
# A story's or a post's record: a publishing label or a site's address with a date (发布时间：
# 2015-06-01 来源：新华网; http://www.sina.net 2005年03月21日 11:21), as short as the extractor's.
_RECORD_LINE = re.compile(vocabulary.record_line())
_RECORD_CHARS = 60
_AGENCY_TAG = re.compile(vocabulary.AGENCY_TAG)
# An encyclopedia entry's edit controls (编辑播报).
_EDIT_CONTROLS = re.compile(vocabulary.edit_controls())
# Counts side by side on a line of their own (查看: 1031 | 回复: 1).
_COUNTER_BAR = re.compile(vocabulary.counter_bar())
_COUNTER_BAR_FIRST = frozenset(vocabulary.counter_bar_first())
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
# All lists are looked for in one compiled pass over the page (``WordLists``). Each is found from
# the pattern's own alternatives (``required_literal``), so a word added to the vocabulary is
# screened for without a second list to keep.
_SCREEN_WORDS: dict[str, list[str]] = {
    "disclaimer": [vocabulary.required_literal(p) for p in _DISCLAIMERS],
    "counter_meta": list(vocabulary.COUNTED),
    "navigation": [vocabulary.required_literal(p) for p in vocabulary.navigation_patterns()],
    "widget": _WIDGET_NAMES,  # a widget bar must name a widget
    "app_prompt": [vocabulary.required_literal(p) for p in _APP_PROMPTS + _APP_PROMPTS_ALONE],
    "poster": list(vocabulary.POSTER_FIELDS),  # a profile holds one of these at least
}
_SCREENS = WordLists(_SCREEN_WORDS)


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
    poster: bool = True
    link_bar: bool = True

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
        found["link_bar"] = vocabulary.may_hold_link_bar(text)
        return text, cls(**found)


_UNSCREENED = PageScreen()


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
    if "页" in s and _PAGER.match(s):
        return "navigation"
    if screen.link_bar and n <= vocabulary.LINK_BAR_CHARS and vocabulary.is_link_bar(s):
        return "navigation"
    if vocabulary.is_bbs_chrome(s):
        return "post_meta"  # a BBS post's frame: its author and time, where it was posted from
    if s[0] < "\x80" and n <= vocabulary.ENGLISH_CHROME_CHARS and vocabulary.is_english_chrome(s):
        # an English page's invitations to read on, share and subscribe, or its dateline
        if vocabulary.is_english_post_meta(s):
            return "post_meta"
        return "timestamp" if vocabulary.is_english_dateline(s) else "navigation"
    if "A" <= s[0] <= "Z" and n <= vocabulary.ENGLISH_CREDITS_CHARS and vocabulary.is_english_credits(s):
        return "byline"  # a wire story's credits
    if n <= vocabulary.POST_AGE_CHARS and vocabulary.is_post_age_line(s):
        return "post_meta"  # a reply's byline with its age
    if "提醒您" in s and n <= p.max_disclaimer_chars and vocabulary.is_media_reminder(s):
        return "disclaimer"  # a medium's reminder under its story
    if s[0] in "（(" and n <= p.max_chrome_chars and _AGENCY_TAG.match(s):
        return "byline"  # a wire service's tag ending its story
    if screen.dated and n < _RECORD_CHARS and ("20" in s or "19" in s) and _RECORD_LINE.match(s):
        return "post_meta"  # a story's or a post's record: its date with a label or a site
    listed = p.link_lists and n <= p.max_list_item_chars and s[0] in _HEADING_WITH_ITEM_FIRST
    if listed and _LIST_HEADING_WITH_ITEM.match(s):
        return "link_list"  # a heading with the one headline it leads
    if n > p.max_chrome_chars:
        return None
    if s[0] in _COUNTER_BAR_FIRST and _COUNTER_BAR.match(s):
        return "widget"  # counts side by side
    if s[0] in vocabulary.EDIT_CONTROL_OPENINGS and _EDIT_CONTROLS.match(s):
        return "widget"  # an encyclopedia entry's edit controls
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


def _english_list_heading(line: str) -> bool:
    """An English page's heading of a list of other stories ("You may also like", "Related"). The
    heading's own expression first: most lines fail it at once, and _reason then asks the line
    whether it is English chrome only once."""
    return (
        len(line) <= vocabulary.ENGLISH_CHROME_CHARS
        and vocabulary.is_english_list_heading(line)
        and vocabulary.is_english_chrome(line)
    )


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
    folded; ``folded``: the lines folded to Simplified, computed here when not given). On a page
    written in Traditional a line is also judged in its Taiwan reading (``taiwan_readings``)."""
    if folded is None:
        folded = fold_each(lines)
    longest = max(p.max_chrome_chars, p.max_disclaimer_chars, p.max_list_item_chars)
    readings = taiwan_readings(lines, folded, longest) if folded is not lines else None

    def reading_reason(k: int) -> str | None:
        """Why line ``k``'s Taiwan reading is chrome (asked only on a page written in Traditional,
        of a line its fold did not find chrome): a Simplified page pays no call a line for it.
        The reading holds words the page's screen was not asked about: it is not screened."""
        reading = readings[k] if readings is not None else None
        return None if reading is None else _reason(reading.strip(), lines[k].strip(), p, custom, _UNSCREENED)

    def heading_in_reading(k: int) -> bool:
        reading = readings[k] if readings is not None else None
        return reading is not None and _LIST_HEADING.match(reading.strip()) is not None

    reasons: dict[int, str] = {}
    i = seen = 0  # seen: non-empty lines before line i, outside link lists
    while i < len(lines):
        s = folded[i].strip()
        english = p.link_lists and "0" <= s[:1] <= "z" and _english_list_heading(s)
        if english or (
            p.link_lists and s and len(s) <= 12 and (_LIST_HEADING.match(s) or heading_in_reading(i))
        ):
            reasons[i] = "link_list"
            is_item = vocabulary.is_english_list_item if english else partial(_is_list_item, p=p)
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
                if chrome is None and readings is not None:
                    chrome = reading_reason(j)
                if not chrome and (not is_item(t) or (after_gap and not _BULLET.match(t))):
                    break
                reasons[j] = chrome or "link_list"
                after_gap = False
                j += 1
            i = j
            continue
        reason = _reason(s, lines[i].strip(), p, custom, screen)
        if reason is None and s[:1] in vocabulary.LINE_DECORATIONS and vocabulary.undecorated(s):
            reason = _reason(vocabulary.undecorated(s), lines[i].strip(), p, custom, screen)  # ▲, ►
        if reason is None and readings is not None:
            reason = reading_reason(i)
        if not reason and s and seen < p.header_lines and screen.dated and _NAME_DATE.match(s):
            reason = "post_meta"
        if reason:
            reasons[i] = reason
        seen += bool(s)
        i += 1
    if screen.poster:
        _mark_poster_profiles(folded, reasons)
    closing = vocabulary.closing_date(folded) if screen.dated else None
    if closing is not None and reasons.get(closing[0]) == "timestamp" and closing[1] not in reasons:
        del reasons[closing[0]]  # a notice's own date under its signature, which is no footer then
    _mark_footer(lines, reasons, p)
    return reasons


_PROSE_FIELDS = frozenset(vocabulary.POSTER_FIELDS_IN_PROSE)


def _mark_poster_profiles(folded: list[str], reasons: dict[int, str]) -> None:
    """A run of lines each a field of a poster's profile (:data:`_POSTER_FIELD`), two different
    fields at least and one of them a forum's own (积分, 帖子, not 等级 alone), is the profile
    beside a forum post: post metadata. Asked only of pages holding a forum's own field word."""
    run: list[int] = []
    fields: set[str] = set()
    for i in range(len(folded) + 1):
        s = folded[i].strip() if i < len(folded) else None
        if s == "":
            continue  # blank lines do not end a run
        found = _POSTER_FIELD.match(s) if s is not None and len(s) <= 24 else None
        if found is not None:
            run.append(i)
            fields.add(found.group(1) or found.group(2))
            continue
        if len(fields) >= 2 and not fields <= _PROSE_FIELDS:
            for k in run:
                reasons.setdefault(k, "post_meta")
        run, fields = [], set()


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
