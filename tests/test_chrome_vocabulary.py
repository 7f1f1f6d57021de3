"""One chrome vocabulary for the extractor and the chrome_lines step (taoyu.text.chrome_vocabulary).

Both modules once kept lists of their own, and they drifted apart. These tests fail when they do
again: every entry of every shared family must be recognised by the extractor's line rules
(``boilerplate.is_chrome_line`` and the one-loop ``without_chrome_lines``) and by the step on a
page (page screens and all); and an entry added to a family must reach both without touching them.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import subprocess
import sys
from collections import defaultdict
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from taoyu.document import Document, Source
from taoyu.extract import boilerplate
from taoyu.steps import chrome_lines
from taoyu.steps.chrome_lines import ChromeLines
from taoyu.text import chrome_vocabulary as v

from .zh_fixtures import RAIL, TEA, article


def example(pattern: str) -> str:
    """The shortest text a pattern matches, taking the first branch of each alternation: an entry
    written as a pattern, as a page would write it."""
    return _example(sre_parse.parse(pattern))


def _example(items) -> str:
    out = ""
    for op, value in items:
        if op is sre_constants.LITERAL:
            out += chr(value)
        elif op is sre_constants.SUBPATTERN:
            out += _example(value[-1])
        elif op is sre_constants.BRANCH:
            out += _example(value[1][0])
        elif op is sre_constants.IN:
            kind, first = value[0]
            if kind is sre_constants.NEGATE:
                out += "张"  # any character but the few named
            else:
                out += chr(first if kind is sre_constants.LITERAL else first[0])
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _, below = value
            out += _example(below) * low if low else ""
        elif op is sre_constants.CATEGORY or op is sre_constants.ANY:
            raise AssertionError(f"give {op} an example of its own")
        # anchors and lookarounds match no characters
    return out


def step_removes(line: str) -> bool:
    """Whether the chrome_lines step removes ``line`` from between two paragraphs of an article."""
    doc = Document("d", f"{article(TEA)}\n{line}\n{article(RAIL)}", Source("f.jsonl", 0))
    ChromeLines()(doc)
    return line not in doc.text.split("\n")


def extractor_removes(line: str) -> bool:
    kept = boilerplate.without_chrome_lines(["正文第一段。", line, "正文第二段。"])
    return boilerplate.is_chrome_line(line) and kept == ["正文第一段。", "正文第二段。"]


def _words(*families: tuple[str, ...]) -> list[str]:
    return [word for family in families for word in family]


# family → the lines its entries make, as pages write them (a byline's name, a date after a
# dateline's label...). Entries written as patterns are given by their shortest match.
SHARED: dict[str, list[str]] = {
    "byline": [f"{label}：张三" for label in v.BYLINE_LABELS]
    + [f"{label}／张三" for label in (*v.BYLINE_LABELS, v.PICTURE_CREDIT)],
    "source": [f"{label}：" for label in v.SOURCE_LABELS],
    "reporter": [
        f"{opening}{desk}{kind}记者 张三{closing}"
        for desk in ("", *v.REPORTER_DESKS)
        for kind in ("", *v.REPORTER_KINDS)
        for opening, closing in (("（", "）"), ("【", "】"))
    ]
    + [f"{desk}记者陈大文／台北{reported}" for desk in ("", *v.REPORTER_DESKS) for reported in v.REPORTED],
    "dateline": [f"{label}：2026-01-05 09:30" for label in v.DATELINE_LABELS] + ["2026-01-05 09:30"],
    "counter": [f"{counted}{suffix}：1234" for counted in v.COUNTED for suffix in v.COUNT_SUFFIXES],
    "copyright": [f"{example(p)} 2026 示例新闻网" for p in v.COPYRIGHT]
    + [f"{form} 2026 示例新闻网" for word in v.COPYRIGHT_LATIN for form in v.case_forms(word)],
    "reserved_rights": [f"本网站{example(p)}" for p in v.RESERVED_RIGHTS],
    "reprint": [example(p) for p in v.REPRINT],
    "disclaimer": [f"{example(p)}，以上内容为自媒体平台用户上传并发布。" * 2 for p in v.DISCLAIMER],
    "disclaimer_heading": [f"{h}：以上内容为自媒体平台用户上传并发布。" for h in v.DISCLAIMER_HEADINGS],
    "list_heading": _words(v.LIST_HEADINGS, v.LIST_HEADINGS_IN_LINE, v.COMMENT_HEADINGS),
    "list_heading_with_item": [
        f"{opening}{heading}{closing}港铁加价方案出炉 平均加幅2.9%"
        for heading in v.list_headings_with_item()
        for opening, closing in (("【", "】"), ("", "："), ("▲", "》"))
    ],
    "record": [
        f"〓 某某论坛 {label} 2005/03/15 22:36:13 by 某某 〓" for label in v.DATELINE_LABELS if len(label) > 2
    ]
    + ["http://www.example.net 2005年03月21日 11:21 《理财周刊》", "AUTO.EXAMPLE.COM 2005年05月13日14:15"]
    + [f"2026-09-28 {label}：本报记者 林晓" for label in (*v.SOURCE_LABELS, *v.BYLINE_LABELS)],
    "edit_controls": ["编辑播报", "编辑 播报", "编辑锁定讨论上传视频"],
    "counter_bar": [f"{word}: 1031 | 回复: 1" for word in v.COUNTER_BAR_WORDS]
    + [f"{counted} (177万)" for counted in v.COUNTED]
    + ["浏览 3,215 回复 4", "1.2万 阅读 · 36 评论", "主题 1 帖子 1 积分 5"],
    "navigation": [f"{example(p)}城郊湿地公园" for p in v.NAVIGATION_OPENINGS] + list(v.BACK_TO_TOP),
    "control": _words(v.PAGE_CONTROLS, v.CONTROLS_OPENING, v.CONTROLS_IN_LINE, v.FONT_SIZE_LABELS)
    + [f"【{word}】 | {word} 12" for word in v.PAGE_CONTROLS],
    "font_size": [f"{label}：大 中 小" for label in v.FONT_SIZE_LABELS],
    "advertisement": list(v.case_forms(v.ADVERTISEMENT)),
    "app_prompt": [example(p) for p in v.with_app(v.APP_PROMPTS, ignore_case=False)],
    "app_prompt_alone": [example(p) for p in v.with_app(v.APP_PROMPTS_ALONE, ignore_case=False)],
    "pager": [f"< {word} | 1 | 2 | 3 >" for word in v.PAGER_WORDS]
    + [f"1 2 3 {word}" for word in v.PAGER_WORDS]
    + ["< 第一页 |上一页| 1 | 下一页 | 最末页>", "[首页] [上页] [下页] [尾页]"]
    + ["共 3 页: 上一页 1 [2] 3 下一页"],
}
# Entries measured out of the extractor (each says why where it is written): the step's alone.
STEP_ONLY: dict[str, list[str]] = {
    "byline": [f"{label}：张三" for label in v.BYLINE_LABELS_STEP_ONLY],
    "copyright": [f"{example(p)}经营许可证" for p in v.COPYRIGHT_STEP_ONLY],
    "reprint": [example(p) for p in v.REPRINT_STEP_ONLY],
    "list_heading": list(v.LIST_HEADINGS_STEP_ONLY),
    "app_prompt": [example(p) for p in v.with_app(v.APP_PROMPTS_STEP_ONLY, ignore_case=False)],
}


def _cases(families: dict[str, list[str]]) -> list:
    return [
        pytest.param(line, id=f"{family}-{line[:16]}") for family, lines in families.items() for line in lines
    ]


@pytest.mark.parametrize("line", _cases(SHARED))
def test_each_shared_entry_is_chrome_to_the_extractor_and_to_the_step(line: str) -> None:
    assert extractor_removes(line), line
    assert step_removes(line), line


@pytest.mark.parametrize("line", _cases(STEP_ONLY))
def test_each_entry_left_to_the_step_is_chrome_to_the_step(line: str) -> None:
    assert step_removes(line), line


# A Q&A site's invitation to its app reads as a sentence; on a page whose answers are gone it
# was the only "prose" left (bench/audit.py's headless pages).
_APP_INVITATIONS = ["使用问答APP，立即抢鲜体验。", "扫描二维码下载", "扫描二维码关注", "立即尝鲜体验"]
# A BBS post's frame, at any length: its signature lines in both scripts, its header's fields.
_BBS_FRAME = [
    "※ 發信站: 批踢踢實業坊(ptt.cc), 來自: 1.163.22.105 (臺灣) "
    "※ 文章網址: https://www.ptt.cc/bbs/Tainan/M.1715432625.A.1F3.html",
    "-- ※ 发信站: 示例BBS站(bbs.example.cn)",
    "※ 来源:·水木社区 newsmth.net·[FROM: 202.112.*.*]",
    "※ 編輯: foodie88 (1.163.22.105 臺灣), 05/11/2024 21:05:12",
    "作者foodie88 (愛吃鬼)",
    "看板Tainan",
    "時間Sat May 11 21:03:45 2024",
]
# Notes marked with ※, and sentences that open with a BBS header's words.
_LIKE_A_BBS_FRAME = [
    "※ 本活动的报名截止时间为五月底，名额有限。",
    "※ 注意：请携带身份证件",
    "作者在书中写道，看板上的时间是下午三点。",
    "时间过得真快",
    "看板Tainan上的讨论很热烈，大家都在分享美食。",
    "看板Tainan上的讨论",
    "作者Tom在书中(第三章)",
]


@pytest.mark.parametrize("line", _APP_INVITATIONS + _BBS_FRAME)
def test_app_invitations_and_a_bbs_posts_frame_are_removed_by_both(line: str) -> None:
    assert extractor_removes(line) and step_removes(line), line


@pytest.mark.parametrize("line", _LIKE_A_BBS_FRAME)
def test_notes_and_sentences_like_a_bbs_frame_stay(line: str) -> None:
    assert not extractor_removes(line) and not step_removes(line), line


PROSE_WITH_CHROME_WORDS = [
    "所在位置优越，交通便利，周边配套齐全。",
    "当前位置信息显示该船已驶离港口。",
    "您的位置很重要",
    "免责声明的效力问题一直有争议，法院认为格式条款中的免责声明无效。",
    # A pager's words in a line of text: a pager is the words, numbers and marks alone.
    "首页新闻 2 条",
    "1 首页设计要简洁",
    "第一页写的是目录，末页是附录。",
    # A footer's licence has its number; prose names the licence alone.
    "国家网信办向该公司颁发了互联网新闻信息服务许可证，有效期三年。",
    # A web tutorial writes of cookies, privacy and consent; a cookie notice asks for it.
    "浏览器再次访问该站点时，会将本地cookie内容发送给服务器，从而完成验证，或继续上一步操作。",
    "用户可以设置浏览器不接受 Cookie，浏览器设置里面有cookie隐私数据选项。",
    "网站使用Cookie来保存会话状态，这是网页编程的常见做法。",
    # The words of Taiwan portals' prompts in a sentence.
    "他想加入好友的社團，卻被拒絕了。",
    "訂閱電子報的讀者越來越多，編輯部決定改版。",
    "加入會員後可以享有折扣，也能收到最新消息。",
    "最新消息顯示，颱風將於明天清晨登陸。",
    # A bulletin's lead under a heading, and a list heading's words in a sentence.
    "【最新消息】台北市今天宣布停班停課。",
    "延伸阅读的习惯对孩子很重要。",
    "相关报道指出，港铁明年将调整票价。",
    # A count in a sentence is no line of counts.
    "他回复：12点见。",
    "编辑部讨论了这个问题。",
    "锁定目标",
    # A notice's own dates, and a date that opens a phrase.
    "活动时间：2024-05-01 至 2024-05-03",
    "网址 www.example.com 2024年5月1日起开放",
    "该文件的发布时间2015-06-01早于原定计划。",
    "2024年5月1日起来源广泛。",
    "返回北京后，他查看更多资料。",
    "主题1的回复很精彩，积分榜上他排第3。",
    "圖文並茂的說明書讓老人也能看懂。",
]
CHROME_WITH_THE_SAME_WORDS = [
    "当前位置 首页 > 新闻 > 正文",
    "您当前的位置是：首页",
    "所在位置",
    "版权与免责声明",
]


# As Taiwan and Hong Kong portals write them under a story: the fold makes them the entries.
TAIWAN_PORTAL_CHROME = [
    "快加入好友", "按讚加入粉絲團", "追蹤我們", "訂閱電子報", "看完整新聞", "點我看更多", "留言",
    "最後更新時間：2024/05/07 10:00", "本文經授權轉載自示例新聞網", "原文連結：示例新聞網",
    "本網站使用Cookie以提升您的瀏覽體驗，繼續瀏覽即表示您同意本網站的隱私權政策。",
    "我們使用 cookies 改善服務，繼續使用本網站即表示您同意。", "接受所有 Cookies",
    "本網站使用 Cookies 以提升您的瀏覽體驗。", "加入LINE好友", "訂閱《聯合報》電子報",
    "首圖來源：shutterstock", "加入會員", "訂閱我們的YouTube頻道", "圖文／王小明",
]  # fmt: skip


@pytest.mark.parametrize("line", TAIWAN_PORTAL_CHROME)
def test_taiwan_portal_chrome_is_removed_by_both(line: str) -> None:
    assert extractor_removes(line)
    assert step_removes(line)


# The step's only (the extractor leaves list headings and bracketed reporters to it).
TAIWAN_PORTAL_CHROME_STEP = [
    "〔記者王小明／台北報導〕", "﹝記者林美／台北報導﹞", "你可能也想看", "今日熱門", "你可能也會喜歡",
    "贊助商連結", "（首圖來源：shutterstock）", "你可能有興趣", "看完這篇的人也看了", "最新消息",
    "核稿編輯：陳大文",
]  # fmt: skip


@pytest.mark.parametrize("line", TAIWAN_PORTAL_CHROME_STEP)
def test_taiwan_portal_chrome_is_removed_by_the_step(line: str) -> None:
    assert step_removes(line)


@pytest.mark.parametrize("line", PROSE_WITH_CHROME_WORDS)
def test_prose_that_uses_a_breadcrumb_or_disclaimer_word_is_kept_by_both(line: str) -> None:
    """Where-you-are openings need a separator, 首页 or the line's end after them, and 免责声明 a
    colon or the line's end: prose writes the words too (a review of the merged vocabulary)."""
    assert not extractor_removes(line)
    assert not step_removes(line)


@pytest.mark.parametrize("line", CHROME_WITH_THE_SAME_WORDS)
def test_the_same_words_as_chrome_are_removed_by_both(line: str) -> None:
    assert extractor_removes(line)
    assert step_removes(line)


def test_the_examples_are_the_entries_as_pages_write_them() -> None:
    assert example("转载时?务?请注明") == "转载请注明"
    assert example("上一(?:篇|则|页|条)") == "上一篇"
    assert example("版权归.{0,12}所有") == "版权归所有"


def test_factored_alternations_match_what_the_plain_ones_match() -> None:
    words = ["分享", "分享到", "分享至", "分享成功", "打印", "打印本页", "顶", "顶部", "a.b", "a"]
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    text = "分享到 分享 顶部 打印本页 a.b ab 分享成功顶"
    assert re.sub(v.alternation(words), "", text) == plain.sub("", text)
    patterns = ["转载时?务?请注明", "转载必究", "C(?i:opyright)", "©", "侵权.{0,8}(?:删除|联系|删)"]
    for line in ["转载务请注明", "转载必究", "COPYRIGHT", "©", "侵权请联系", "转载"]:
        assert bool(re.search(v.factored(patterns), line)) == bool(re.search("|".join(patterns), line))


def _families() -> dict[str, tuple[str, ...]]:
    return {name: value for name, value in vars(v).items() if name.isupper() and isinstance(value, tuple)}


def test_every_entry_starts_with_a_literal() -> None:
    # re skips ahead to where a factored alternation's first characters stand; one entry opening
    # with a group or a class makes it try every branch at every position (a slower search of
    # every line, which the step's throughput measured).
    for name, entries in _families().items():
        written = v.with_app(entries, ignore_case=False) if name.startswith("APP_PROMPTS") else entries
        assert [entry for entry in written if not v._literal_opening(entry)[0]] == [], name


def test_no_entry_is_written_in_two_families() -> None:
    written: dict[str, list[str]] = defaultdict(list)
    for name, entries in _families().items():
        for entry in entries:
            written[entry].append(name)
    assert {entry: names for entry, names in written.items() if len(names) > 1} == {}


@pytest.mark.parametrize("module", [boilerplate, chrome_lines], ids=["extractor", "step"])
def test_neither_module_keeps_a_list_of_the_vocabulary_words(module) -> None:
    # A list or tuple of words in either module that repeats the vocabulary's is a second list
    # to keep, the drift this module ended.
    words = {entry for entries in _families().values() for entry in entries}
    repeated = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            repeated += sorted(strings & words)
    assert repeated == []


# An entry added to each family, before either module is imported: both must recognise it.
_ADDED = """
import json, sys
from taoyu.text import chrome_vocabulary as v
added = {
    "BYLINE_LABELS": ("测编", "测编：张三"), "SOURCE_LABELS": ("测源", "测源："),
    "DATELINE_LABELS": ("测时", "测时：2026-01-05 09:30"), "COUNTED": ("测阅", "测阅：1234"),
    "COPYRIGHT": ("测权所有", "测权所有 2026 示例新闻网"), "COPYRIGHT_LATIN": ("testright", "Testright 2026"),
    "RESERVED_RIGHTS": ("测印必究", "本网站测印必究"), "REPRINT": ("测止转载", "测止转载"),
    "DISCLAIMER": ("测试免责", "测试免责，以上内容为自媒体平台用户上传并发布。"),
    "DISCLAIMER_HEADINGS": ("测试声明", "测试声明：以上内容为自媒体平台用户上传并发布。"),
    "LIST_HEADINGS": ("测试推荐", "测试推荐"), "LIST_HEADINGS_IN_LINE": ("测试阅读", "测试阅读"),
    "COMMENT_HEADINGS": ("测试评论", "测试评论"), "BACK_TO_TOP": ("测顶部", "测顶部"),
    "NAVIGATION_OPENINGS": ("测一篇", "测一篇：城郊湿地公园"), "PAGE_CONTROLS": ("测控", "测控"),
    "CONTROLS_OPENING": ("测赞", "测赞"), "CONTROLS_IN_LINE": ("测享到", "测享到：微信 微博"),
    "FONT_SIZE_LABELS": ("测号", "测号：大 中 小"), "APP_PROMPTS": ("测开{app}", "测开APP"),
    "APP_PROMPTS_ALONE": ("测打开", "测打开"), "PAGER_WORDS": ("测末页", "测末页 1 2 3"),
}
for name, (entry, _) in added.items():
    setattr(v, name, getattr(v, name) + (entry,))
v.PICTURE_CREDIT = "测图"
lines = [line for _, line in added.values()] + ["测图／新华社"]
from taoyu.document import Document, Source
from taoyu.extract import boilerplate
from taoyu.steps import chrome_lines
from taoyu.steps.chrome_lines import ChromeLines
body = "杭州市今年继续推进城市更新，老旧小区改造惠及数万户居民。" * 3
missed = {"extractor": [], "step": []}
for line in lines:
    if not boilerplate.is_chrome_line(line):
        missed["extractor"].append(line)
    doc = Document("d", f"{body}\\n{line}\\n{body}", Source("f.jsonl", 0))
    ChromeLines()(doc)
    if line in doc.text.split("\\n"):
        missed["step"].append(line)
print(json.dumps(missed, ensure_ascii=False))
"""


def test_an_entry_added_to_the_vocabulary_reaches_both_modules() -> None:
    # A fresh interpreter: both modules build their patterns when they are imported.
    done = subprocess.run([sys.executable, "-c", _ADDED], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"extractor": [], "step": []}


# An English page's invitations around its story (written here, in the shapes every site uses).
ENGLISH_CHROME = [
    "You may also like", "Related Stories", "Read more:", "READ MORE ON EXAMPLE NEWS",
    "Sign up for our daily newsletter", "Follow us on Instagram", "Share this article",
    "Follow Example Radio on Facebook, Twitter and YouTube.",
    "Filed under: Politics, Economy |", "Click here to download the app", "3 Comments", "Sponsored content",
    "Sharing is caring!", "Like this story? Share it with a friend!", "More Great Example Stories",
    "Get the latest headlines delivered to your inbox. Subscribe to our newsletters.",
    # another story's headline under a heading, a slideshow's counter and controls, a credit line
    "Read more: Council approves the new bus lanes", "Related post: Ten easy soups for winter",
    "Related: The ferry's last summer", "Image 2 of 5", "1 of 6", "Photo: Jane Doe, AP", "Back to Gallery",
    "Caption", "Close", "Advert", "Trending", "Explore further", "Like this:", "Like Loading...",
    # a podcast's invitation to listen elsewhere
    "Listen to Example Radio on Spotify, Apple Podcasts and Google Podcasts.",
    # a forum post's byline with its age
    "jdoe - 2 years ago | thread parent", "Posted 3 hours ago", "5 days ago (edited)",
    # a wire story's credits
    "Jane Doe contributed reporting from Hong Kong.", "Example News' John Roe contributed to this report.",
    "Reporting by Jane Doe; additional reporting by John Roe; Editing by Sam Poe",
    # datelines
    "Nov. 19, 2019 8:03 am ET", "Published 11:34 PM EST Nov 19, 2019", "Updated at 1:23 p.m.",
    "Saturday, September 10th, 2005 10:56 am", "November 20, 2019 - 11:28 GMT", "19 November 2019",
]  # fmt: skip
# Prose that uses the same words runs on past them.
ENGLISH_PROSE = [
    "You may also like the new park, which opened last week.", "Read more books, the council urged.",
    "Comments from residents were mostly positive.", "Follow the river path for two miles to the old mill.",
    "More than 100 people signed the petition.", "Popular demand kept the ferry running.",
    "Sign up sheets were left at the library desk for volunteers.",
    # A manual's syntax and a document's front matter: "COMMENT:" names a SQL clause.
    "COMMENT:", "category: Releases", "Topic: tables,",
    "1 of 6 residents said they would use the new lanes.", "Close to 200 people came.",
    "Related findings were published last year.", "Photo booths were set up in the hall.",
    "like this:",  # a manual's sentence, wrapped in its source
    "May I help you?", "March on, soldiers.", "Updated guidance for 2019", "Published by Example Press, 2019",
    "November 20, 2019 was the day the ferry stopped.",
    "Reporting by the Example Post found that the agency ignored the warnings.", "He contributed.",
    "Several agencies contributed to the fund last year, officials said.",
    "2 years ago, the council voted to close the ferry.", "Listen to the river on a quiet night.",
    "He left a year ago | and never came back",
]  # fmt: skip


@pytest.mark.parametrize("line", ENGLISH_CHROME)
def test_english_pages_invitations_are_removed_by_both(line: str) -> None:
    assert extractor_removes(line)
    assert step_removes(line)


@pytest.mark.parametrize("line", ENGLISH_PROSE)
def test_english_prose_with_the_same_words_is_kept_by_both(line: str) -> None:
    assert not extractor_removes(line)
    assert not step_removes(line)


def test_an_english_dateline_is_a_timestamp_to_the_step() -> None:
    """The step says why it removed a line: a dateline is a timestamp, not navigation."""
    params = chrome_lines.ChromeLinesParams()
    assert chrome_lines.line_reason("Nov. 19, 2019 8:03 am ET", params) == "timestamp"
    assert chrome_lines.line_reason("Read more: The ferry's last summer", params) == "navigation"


_STORY_LINE = "The council met on Tuesday to argue about the new bus lanes and the fees drivers will pay."
_LAST_LINE = "The ferry stopped running in 2019, and the town has not been the same since then."
_OTHER_STORIES = [
    "YouTubers must unionize, no matter what Google says",
    "Paid political ads are not the problem. Our perceptions are",
    "Could an astronaut lost in space use gravity to get around?",
]


@pytest.mark.parametrize(
    "heading", ["More Great Example Stories", "You may also like", "Related", "Read next"]
)
def test_the_headlines_under_an_english_list_heading_go_with_it(heading: str) -> None:
    """A list of other stories under its heading is chrome to both modules, up to the first line
    that ends a sentence: the article goes on there."""
    lines = [_STORY_LINE, heading, *_OTHER_STORIES, _LAST_LINE]
    assert boilerplate.without_chrome_lines(lines) == [_STORY_LINE, _LAST_LINE]
    doc = Document("d", "\n".join(lines), Source("f.jsonl", 0))
    ChromeLines()(doc)
    assert doc.text.split("\n") == [_STORY_LINE, _LAST_LINE]


def test_short_lines_under_other_english_chrome_stay() -> None:
    """Only a list's heading takes the lines under it: a subscription prompt does not."""
    lines = [_STORY_LINE, "Sign up for our daily newsletter", *_OTHER_STORIES, _LAST_LINE]
    assert boilerplate.without_chrome_lines(lines) == [_STORY_LINE, *_OTHER_STORIES, _LAST_LINE]


@pytest.mark.parametrize("line", ["(2006-12-24 03:45:27)", "（2024年5月20日 10:30）", "(2006-12-24 09:07)"])
def test_a_timestamp_in_brackets_is_removed_by_both(line: str) -> None:
    """A blog prints each comment's time in brackets on a line of its own."""
    assert extractor_removes(line)
    assert step_removes(line)


@pytest.mark.parametrize(
    "line",
    [
        "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）",
        "(2006-12-24 发布)",
        "（2025年1月23日）",
    ],
)
def test_a_bracket_that_says_more_than_a_date_stays(line: str) -> None:
    """A date without its time in brackets is a decision's or a speech's, under its title."""
    assert not extractor_removes(line)
    assert not step_removes(line)


@pytest.mark.parametrize(
    "line",
    [
        "马亮南生 10月前",
        "小诺抓 (楼主)10月前",
        "张三 2小时前 · 北京",
        "张三 5分钟前 来自iPhone客户端",
        "李四 刚刚",
    ],
)
def test_a_replys_byline_with_its_age_is_removed_by_both(line: str) -> None:
    """A forum or a comment box prints each reply's poster and how long ago it was posted."""
    assert extractor_removes(line)
    assert step_removes(line)


@pytest.mark.parametrize(
    "line", ["我3天前去了北京。", "刚刚装好的大月亮", "11 天前", "2019年 3年前，这里还是一片农田。"]
)
def test_prose_and_a_bare_age_are_kept_by_both(line: str) -> None:
    """A sentence that says how long ago stays; so does a bare age, which a forum's gold keeps."""
    assert not extractor_removes(line)
    assert not step_removes(line)


_NOTICE = ["根据上级通知，元旦放假时间为1月1日至1月3日，共3天。", "特此通知。", "学校办公室", "2026年12月1日"]


def test_a_notices_closing_date_under_its_signature_is_kept_by_both() -> None:
    # A date alone is a story's stamp; under a notice's signature at its end it is the notice's.
    assert boilerplate.without_chrome_lines(_NOTICE) == _NOTICE
    doc = Document("d", "\n".join(_NOTICE), Source("f.jsonl", 0))
    ChromeLines()(doc)
    assert doc.text.split("\n") == _NOTICE


@pytest.mark.parametrize("above", ["特此通知。", "返回首页"])
def test_a_date_alone_under_prose_or_chrome_is_still_a_stamp(above: str) -> None:
    lines = [_NOTICE[0], above, "2026年12月1日"]
    assert "2026年12月1日" not in boilerplate.without_chrome_lines(lines)
    doc = Document("d", "\n".join(lines), Source("f.jsonl", 0))
    ChromeLines()(doc)
    assert "2026年12月1日" not in doc.text.split("\n")


# A Taiwan portal's lines around and inside its story, as pages write them (▲ and ► before them).
_TAIWAN_CHROME = [
    "►點我看更多", "▲（圖／記者王小明攝）", "（圖／翻攝自臉書）", "看更多：高鐵加開班次 春節疏運",
    "下載TVBS新聞APP", "追蹤我們的Instagram", "加入LINE好友，新聞不漏接", "原文出處：健康醫療網",
    "★ETtoday新聞雲提醒您：飲酒過量，有害健康。", "《某某新聞》提醒您：吸菸有害健康。",
    "【健康醫療網／記者王小明報導】", "撰文者：王小明", "（本文由天下雜誌授權提供）",
    "超過千萬讀者加入的LINE，立即加入好友", "（中央社）", "※ 想看更多趣聞，請加入「某某新奇」粉絲團",
    "影／翻攝自YouTube",
]  # fmt: skip
# Prose with the same words: a reminder quoted in the story, a fan club joined, an app downloaded.
_LIKE_TAIWAN_CHROME = [
    "警方提醒您：不要輕信陌生來電。", "我加入了學校的攝影粉絲團，認識很多朋友。",
    "他下載了這個新的APP。", "● 第一條：本辦法自發布之日起施行。", "※ 注意：請攜帶身分證件",
]  # fmt: skip


@pytest.mark.parametrize("line", _TAIWAN_CHROME)
def test_a_taiwan_portals_chrome_is_removed_by_both(line: str) -> None:
    assert extractor_removes(line), line
    assert step_removes(line), line


@pytest.mark.parametrize("line", _LIKE_TAIWAN_CHROME)
def test_prose_like_a_taiwan_portals_chrome_is_kept_by_both(line: str) -> None:
    assert not extractor_removes(line) and not step_removes(line), line
