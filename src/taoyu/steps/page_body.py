"""Drop pages with no body of their own: lists of headlines, menus, search results, error, login
and captcha pages, and pages whose only text is a title.

Every later filter asks whether a page's text is good; none asks whether the page has a text of
its own. An index page is a column of linked headlines with dates, a navigation page a grid of
short links, an error page a sentence or two: each passes the length, language and quality
rules and is then kept, which is how half the worthless pages of a crawl reach a corpus. The
signals here hold on any site:

- **links**: the share of the chosen content that sits inside links, which extraction measures
  (``meta.page_shape``); an article's content is at most a quarter links, even a Wikipedia page's,
  while a list's is mostly links;
- **dated lines**: a column of short lines each with a date or time is a list, whatever its markup;
- **teasers**: a column's page that shows each piece as a linked headline over a summary keeps
  most of its text outside links; its lines are headlines and the line or two under each
  (``meta.page_shape``'s ``headline_lines`` and ``teaser_lines``, counted by extraction), with a
  heading at most besides, where an article's lines are its own paragraphs, with a list of
  related headlines under them at most;
- **prose**: characters in lines that read as sentences (a sentence mark, or a long line), not
  cut short with an ellipsis (a teaser); a page with next to none holds a title, captions, cells
  or teasers, not a body;
- **what the page says it is**, only on a short page: a title or a short first line saying 404,
  page not found, log in, captcha or search results; and a message of that kind anywhere on a
  short page is not its prose (a site's error page keeps the site's breadcrumb and the missing
  article's title above "抱歉，您访问的页面不存在"), and beside one only a whole sentence (with a
  stop) is, so a page whose only prose is the message, or a headline, is dropped as what the
  message says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict
from taoyu.text.chrome_vocabulary import is_paywall
from taoyu.text.script import fold, fold_each, taiwan_readings

# A date or a time of day at the start or the end of a line, where list pages print them beside
# each headline ("(2020-08-16 22:26)[社会] …", "… 2019-03-07"); a date inside a sentence or a
# clause ("（1986年5月通过）") is not one.
_WHEN = (
    r"(?:(?:19|20)\d\d[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?|\d{1,2}[-/月]\d{1,2}日?)"
    r"(?:\s*\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp][Mm])?)?"
)
_DATE_START = re.compile(rf"\W{{0,3}}{_WHEN}")
_DATE_END = re.compile(rf"{_WHEN}\W{{0,3}}$")
_DATE_END_HINT = re.compile(r"[\d日Mm]")  # in a line's last four characters, when a date ends it
# A sentence mark, or a clause mark in a line long enough to hold two clauses (chat-style writing
# often ends its sentences with no mark at all).
_SENTENCE_MARK = re.compile(r"[。！？；!?;…]|[.](?:[\s\"')\]]|$)|(?<=.{6})[，,、](?=.{4})")
_STOP = re.compile(r"[。！？；!?;…]")  # a character class alone: re finds it in C, at once
_OTHER_MARK = re.compile(r"[.，,、]")
_TEASER_END = re.compile(r"(?:…|\.\.|。。)$")  # searched in a (stripped) line's last two characters


_TITLE_LINE_CHARS = 6  # a line this long found in the title is the title, not a phrase it shares
_LONG_LINE = 60  # characters: a line this long reads as prose even without a sentence mark
# Characters: a first line this short is a heading or a message, not a sentence; a login prompt is
# a few words ("用户登录"), an error message may be a sentence ("抱歉，您访问的页面不存在。").
_HEADING = {"error": 30, "captcha": 30, "login": 12, "search": 30}

# What a page with no body says it is, in Simplified and Traditional Chinese and English.
_ERROR = re.compile(
    r"(?<!\d)404(?!\d)|(?<!\d)(?:403|500|502|503)\s*(?:error|forbidden|错误|錯誤|-)|"
    r"not found|forbidden|access denied|bad gateway|service unavailable|"
    r"页面不存在|頁面不存在|网页不存在|網頁不存在|找不到(?:该|該|此|您要访问的|您要訪問的)?(?:页面|頁面|网页|網頁)|"
    r"(?:页面|頁面|网页|網頁|文章|内容|內容|帖子|信息|資訊)(?:已|已经|已經)?(?:被)?(?:删除|刪除|下线|下線|失效|过期|過期)|"
    r"(?:页面|頁面|文章|内容|內容|帖子)不存在|访问出错|訪問出錯|出错了|出錯了|发生错误|發生錯誤|系统繁忙|系統繁忙|"
    r"服务器错误|伺服器錯誤|无法访问|無法訪問|暂时无法|暫時無法",
    re.IGNORECASE,
)
_LOGIN = re.compile(
    r"请登录|請登錄|请先登录|請先登入|登录后|登入後|用户登录|用戶登錄|会员登录|會員登入|账号登录|帳號登入|"
    r"扫码登录|掃碼登入|立即登录|立即登入|忘记密码|忘記密碼|sign in|log in|login",
    re.IGNORECASE,
)
_CAPTCHA = re.compile(
    r"验证码|驗證碼|安全验证|安全驗證|人机验证|人機驗證|滑动验证|滑動驗證|访问过于频繁|訪問過於頻繁|"
    r"just a moment|checking your browser|are you a robot|captcha|verify you are human",
    re.IGNORECASE,
)
_SEARCH = re.compile(
    r"搜索结果|搜尋結果|检索结果|檢索結果|查询结果|查詢結果|search results?|"
    r"找到约?\s*[\d,]+\s*(?:条|個|个|篇)",
    re.IGNORECASE,
)
_KINDS = ("error", "captcha", "login", "search")
_SAYS = {"error": _ERROR, "captcha": _CAPTCHA, "login": _LOGIN, "search": _SEARCH}


def _dated(line: str) -> bool:
    """Whether a date or time starts or ends ``line``. The end is searched only when one of the
    line's last characters could end a date: a search tries every position of the line."""
    if _DATE_START.match(line) is not None:
        return True
    return _DATE_END_HINT.search(line, len(line) - 4) is not None and _DATE_END.search(line) is not None


def _is_the_title(line: str, title: str) -> bool:
    """Whether ``line`` is the page's title (its headline, often an h1 over the body; the <title>
    adds the site's name): a headline is not a body, whatever marks it holds (a comma, a question),
    so a page of its title and a byline has no body of its own."""
    return len(line) >= _TITLE_LINE_CHARS and line in title


def _reads_as_prose(line: str) -> bool:
    """Whether ``line`` is long, or holds a sentence mark (:data:`_SENTENCE_MARK`, asked in full
    only of lines with a period or a clause mark), and is not a teaser: a summary cut short with
    an ellipsis stands for a text on another page (a page of teasers has no body of its own)."""
    if _TEASER_END.search(line, len(line) - 2) is not None:
        return False
    if len(line) >= _LONG_LINE or _STOP.search(line) is not None:
        return True
    return _OTHER_MARK.search(line) is not None and _SENTENCE_MARK.search(line) is not None


def _says(text: str, reading: str | None, heading_only: bool) -> int:
    """What ``text`` says the page is (1 + its index in ``_KINDS``), or 0. With ``heading_only``,
    only when ``text`` is heading-sized for that kind: a heading or a message speaks for the page,
    a sentence of a notice does not ("请登录教务系统查看成绩" is about logging in elsewhere).
    ``reading`` is its reading in mainland words on a Traditional page (請登入 is 请登录)."""
    for index, kind in enumerate(_KINDS, 1):
        if heading_only and len(text) > _HEADING[kind]:
            continue
        if _SAYS[kind].search(text) or (reading and _SAYS[kind].search(reading)):
            return index
    return 0


def _short_page_says(title: str, lines: list[str], walled: bool = False) -> tuple[int, list[int]]:
    """What a short page says it is from its title or its first line (0 when neither says), and
    what each of its lines says as a message (0 for a line that is not one): the first is the
    page, the second lines that are not its prose. In Taiwan words too: on a Traditional page
    every text is also read through the Taiwan phrase table (搜尋結果 is 搜索结果). A paywall's
    message anywhere (``walled``: one that extraction removed as chrome) says login: the story is
    behind it and the page holds its teaser, whose lead sentence is no body; a login prompt under
    a short report (请登录后评论) asks to log in to comment, and says nothing of the page."""
    texts = [title, *lines]
    folded = fold_each(texts)
    readings = taiwan_readings(texts, folded)
    messages = [_says(line, reading, True) for line, reading in zip(lines, readings[1:], strict=True)]
    page = _says(title, readings[0], False) if title else 0
    if not page and (walled or any(is_paywall(line) for line in folded[1:])):
        page = _KINDS.index("login") + 1  # the story is behind a paywall: a teaser is no body
    return page or (messages[0] if messages else 0), messages


def _removed_lines(doc: Document) -> list[str]:
    """The lines the steps before removed from the text, as their events record them (the
    chrome_lines step's app prompts: 登入後繼續閱讀)."""
    found = []
    for event in doc.trace:
        removed = (event.details or {}).get("removed") if event.action == "edit" else None
        if isinstance(removed, list):
            found += [str(item[-1]) for item in removed if isinstance(item, list | tuple) and item]
    return found


class PageBodyParams(StepParams):
    """Where a page stops having a body of its own: the defaults hold on every site we read."""

    max_content_link_share: float = Field(0.5, ge=0, le=1)
    """The chosen content is a list when at least this share of its characters sit inside links."""
    min_list_lines: int = Field(5, ge=2)
    """Lines a page needs before its dated lines can make it a list."""
    max_dated_line_share: float = Field(0.5, ge=0, le=1)
    """A page is a list when at least this share of its lines are short and start or end with a
    date or time."""
    min_headlines: int = Field(5, ge=1)
    """Linked headlines (lines that are a link alone) the content needs before it can be teasers."""
    min_teaser_share: float = Field(0.8, ge=0, le=1)
    """The content is a page of teasers when at least this share of its lines are headlines and
    the lines under them (up to two each)..."""
    max_other_chars: int = Field(200, ge=0)
    """... its other lines hold fewer characters than this: a column's heading, not an article's
    paragraphs over a list of picks..."""
    max_lead_chars: int = Field(20, ge=0)
    """... and the lines with a full stop above its first headline fewer than this: a column's
    name there, not a short report over its related teasers."""
    min_prose_chars: int = Field(10, ge=0)
    """Characters of prose (lines with a sentence mark, or long) a page needs to have a body."""
    short_page_chars: int = Field(400, ge=0)
    """A page this short, whose title or first line says error, login, captcha or search results,
    is that page and not an article about it."""


@register("page_body")
class PageBody(Filter):
    """Drop pages with no body of their own (lists, menus, search results, error and login pages)."""

    Params = PageBodyParams
    params: PageBodyParams

    def score(self, doc: Document) -> Mapping[str, float]:
        """The page's characters and lines, its dated-line share, its prose, the share of its
        content in links and its linked headlines (from ``meta.page_shape``), and, on a short
        page, what it says it is."""
        lines = [line.strip() for line in doc.text.splitlines() if line.strip()]
        chars = sum(len(line) for line in lines)
        short = [line for line in lines if len(line) < _LONG_LINE]
        dated = sum(1 for line in short if _dated(line))
        title = str(doc.meta.get("title") or "")
        shape = doc.meta.get("page_shape") or {}
        says, messages = 0, []
        if chars < self.params.short_page_chars:  # only a short page is asked what it says it is
            removed = _removed_lines(doc)
            walled = bool(shape.get("paywall")) or any(is_paywall(fold(line)) for line in removed)
            says, messages = _short_page_says(title, lines, walled)
        # Beside a message, only a whole sentence speaks for a body: the missing article's headline
        # reads as prose by its commas ("…举行“六、四”意义座谈会") and ends with no stop.
        beside_message = any(messages)
        prose = sum(
            len(line)
            for index, line in enumerate(lines)
            if _reads_as_prose(line)
            and not _is_the_title(line, title)
            and not (beside_message and (messages[index] or _STOP.search(line) is None))
        )
        content = shape.get("content_chars", 0)
        scores = {
            "chars": float(chars),
            "lines": float(len(lines)),
            "dated_line_share": dated / len(lines) if lines else 0.0,
            "prose_chars": float(prose),
            "content_link_share": shape.get("content_link_chars", 0) / content if content else 0.0,
        }
        headlines = shape.get("headline_lines", 0)
        if headlines:  # a page of teasers? (extraction counts them only where links are many)
            scores["headline_lines"] = float(headlines)
            scores["teaser_share"] = shape.get("teaser_lines", 0) / max(1, shape.get("lines", 0))
            scores["other_chars"] = float(shape.get("other_chars", 0))
            scores["lead_chars"] = float(shape.get("lead_chars", 0))
        if says:
            scores["says"] = float(says)
        message = next((kind for kind in messages if kind), 0)
        if message:
            scores["message"] = float(message)
        return scores

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        """Drop with the first reason that holds: what the page says it is, links, a dated list,
        teasers, no prose (as what its message says, when it holds one); keep otherwise."""
        p = self.params
        says = int(scores.get("says", 0))
        if says:
            return Verdict.drop(f"no_body:{_KINDS[says - 1]}", scores["chars"], p.short_page_chars)
        link_share = scores["content_link_share"]
        if link_share >= p.max_content_link_share:
            return Verdict.drop("no_body:links", round(link_share, 4), p.max_content_link_share)
        dated = scores["dated_line_share"]
        if scores["lines"] >= p.min_list_lines and dated >= p.max_dated_line_share:
            return Verdict.drop("no_body:dated_list", round(dated, 4), p.max_dated_line_share)
        teasers = scores.get("teaser_share", 0.0)
        headlines, other = scores.get("headline_lines", 0), scores.get("other_chars", 0)
        own = other < p.max_other_chars and scores.get("lead_chars", 0) < p.max_lead_chars
        if headlines >= p.min_headlines and teasers >= p.min_teaser_share and own:
            return Verdict.drop("no_body:teasers", round(teasers, 4), p.min_teaser_share)
        if scores["prose_chars"] < p.min_prose_chars:
            message = int(scores.get("message", 0))
            reason = f"no_body:{_KINDS[message - 1]}" if message else "no_body:no_prose"
            return Verdict.drop(reason, scores["prose_chars"], p.min_prose_chars)
        return Verdict.ok(scores["prose_chars"], p.min_prose_chars)
