"""page_body: pages with no body of their own are dropped with a reason; pages with one are kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from taoyu.document import Document, Source
from taoyu.steps import page_body
from taoyu.steps.chrome_lines import ChromeLines
from taoyu.steps.extract_html import ExtractHtml
from taoyu.steps.normalize import Normalize
from taoyu.steps.page_body import PageBody

_NAV = "<div class='nav'>" + "".join(f"<a href='/c{i}'>栏目{i}</a>" for i in range(12)) + "</div>"
_PROSE = (
    "<p>市气象台昨天发布消息，本周后半段将有一次明显降温过程，最低气温可能降到零度以下。</p>"
    "<p>气象专家提醒，市民外出时要注意添衣保暖，老人和儿童尽量减少户外活动。</p>"
    "<p>交通部门表示，已提前准备好融雪物资，确保主干道在降雪后能够及时通行。</p>"
)


def _page(title: str, body: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body>{_NAV}<div>{body}</div></body></html>".encode()


def _headline_list(dated: bool) -> str:
    items = []
    for i in range(15):
        when = f"<span>2024-05-{i + 1:02d} 10:{i:02d}</span>" if dated else ""
        headline = f"第{i}条：本市新开通一条公交线路连接南北两个城区"
        items.append(f"<li>{when}<a href='/n/{i}.html'>{headline}</a></li>")
    return "<div class='list'><ul>" + "".join(items) + "</ul></div>"


_TOWNS = ["东湖", "西溪", "南山", "北塘", "中河", "青石", "白沙", "红岭"]


# One paragraph of an article (over 200 characters), its sentences run together.
_INTRO = "".join(re.findall(r"<p>(.*?)</p>", _PROSE)) * 2


def _teasers(count: int) -> str:
    """A column of teasers: each a linked headline over a one-sentence summary and a date."""
    items = []
    for i, town in enumerate(_TOWNS[:count]):
        headline = f"{town}街道老旧小区改造完工"
        summary = f"{town}街道的居民今年搬回了改造后的新家，小区加装了电梯，还新建了养老服务站。"
        when = f"<span>2024-05-0{i + 1}</span>"
        items.append(f"<li><a href='/n/{i}.html'>{headline}</a><p>{summary}</p>{when}</li>")
    return "<ul class='news'>" + "".join(items) + "</ul>"


def _board(rows: int) -> str:
    """A forum board's index: each row a linked thread title, its author, replies and views, the
    last poster and the dates, each in a cell of its own."""
    items = []
    for i, town in enumerate((_TOWNS * 2)[:rows]):
        items.append(
            f"<tr><td><a href='/thread-{i}-1-1.html'>{town}小区的电梯又坏了，有人知道找谁修吗？</a></td>"
            f"<td><a href='/u/{i}'>住户{i}</a><br>2024-3-{i + 1}</td><td>{i * 3 + 2}/{i * 90 + 41}</td>"
            f"<td>邻居{i}<br>2024-3-{i + 2} 10:2{i}</td></tr>"
        )
    return "<table class='threads'>" + "".join(items) + "</table>"


def _run(raw: bytes | None = None, text: str = "", title: str | None = None) -> Document:
    doc = Document("d", text, Source("f", 0), url="https://example.cn/a.html", raw=raw)
    if title is not None:
        doc.meta["title"] = title
    steps = [ExtractHtml(), Normalize(), ChromeLines(), PageBody()] if raw is not None else [PageBody()]
    for step in steps:
        doc = step(doc)
    return doc


def _reason(doc: Document) -> str | None:
    event = doc.dropped_by
    return event.reason if event is not None else None


DROPPED = {
    "headline list": ("新闻列表", _headline_list(dated=False), "no_body:links"),
    "dated headline list": ("新闻列表", _headline_list(dated=True), "no_body:links"),
    "404 page": ("404 Not Found", "<h1>404</h1><p>抱歉，您访问的页面不存在。</p>", "no_body:error"),
    "deleted article": ("提示信息", "<p>该文章已被删除</p><p>返回首页</p>", "no_body:error"),
    "Traditional error": ("錯誤", "<p>頁面不存在</p>", "no_body:error"),
    # A Taiwan word the character fold does not reach: 登入 is 登录 (請登入, 请登录).
    "Taiwan login page": (
        "請登入",
        "<form>帳號 密碼</form><div><p>輸入帳號與密碼以繼續瀏覽本站。</p>",
        "no_body:login",
    ),
    "login page": ("用户登录", "<form>用户名 密码</form><div><p>请登录后继续访问。</p>", "no_body:login"),
    "captcha": ("安全验证", "<p>请输入验证码，以继续访问本站内容。</p>", "no_body:captcha"),
    "search results": ("降温-搜索结果", "<p>找到约 120 条结果，以下是相关内容。</p>", "no_body:search"),
    # A headline with a comma reads as a sentence; it is the page's title, not a body.
    "title and byline": (
        "海边小镇的夏天，游客比往年多了一倍_示例新闻网",
        "<h1>海边小镇的夏天，游客比往年多了一倍</h1><div>原创 示例日报 2024-07-01 10:00</div>",
        "no_body:no_prose",
    ),
    "title only": ("开放时间调整", "<h3>开放时间调整</h3><span>2024-05-01</span>", "no_body:no_prose"),
    # A column's page: linked headlines over full-sentence summaries (few links, many sentences).
    "teasers with summaries": ("街道新闻", _teasers(6), "no_body:teasers"),
    # Each thread's row holds more than a teaser: author, replies and views, last poster, dates.
    "forum board index": ("物业维修 - 论坛", "<p>版规：请勿发布广告。</p>" + _board(12), "no_body:teasers"),
    # A site's error page keeps its breadcrumb and the missing article's headline and byline: the
    # message is the only sentence, and not the page's first line.
    "error page in the site's chrome": (
        "海边小镇的夏天，游客比往年多了一倍_示例新闻网",
        "<div class='crumb'>首页 新闻 正文</div><h1>海边小镇的夏天，游客比往年多了一倍</h1>"
        "<div>2024-07-01 10:00 来源：示例日报</div><div><p>抱歉，您访问的页面不存在或已被删除。</p></div>",
        "no_body:error",
    ),
    # The headline reads as prose by its commas; beside a message only a whole sentence does.
    "captcha page under a headline that is not the title": (
        "示例论坛",
        "<h1>城东、城西两个街区，今年同时启动改造</h1><div>2024-07-01</div>"
        "<div><p>访问过于频繁，请输入验证码后继续</p></div>",
        "no_body:captcha",
    ),
    "Traditional error page in the site's chrome": (
        "海邊小鎮的夏天，遊客比往年多了一倍_示例新聞網",
        "<div class='crumb'>首頁 新聞 正文</div><h1>海邊小鎮的夏天，遊客比往年多了一倍</h1>"
        "<div>2024-07-01 10:00 來源：示例日報</div><div><p>抱歉，您要找的網頁已下線。</p></div>",
        "no_body:error",
    ),
}


@pytest.mark.parametrize("case", list(DROPPED))
def test_pages_with_no_body_are_dropped_with_their_kind(case: str) -> None:
    title, body, reason = DROPPED[case]
    assert _reason(_run(_page(title, body))) == reason


KEPT = {
    "article": _page("本周降温", "<div class='article'><h1>本周降温</h1>" + _PROSE + "</div>"),
    "article linking words": _page(
        "本周降温",
        "<div class='article'>"
        + _PROSE.replace("气象专家", "<a href='/p'>气象专家</a>").replace(
            "交通部门", "<a href='/t'>交通部门</a>"
        )
        + "</div>",
    ),
    "short notice that mentions logging in": _page(
        "选课通知", "<div class='content'><p>请登录教务系统查看本学期的选课结果，如有疑问请联系教务处。</p>"
    ),
    "short news whose sentence begins with its title": _page(
        "市民公园今天开放_示例新闻网",
        "<div class='content'><h1>市民公园今天开放</h1><p>市民公园今天开放，首日接待游客三千人。</p></div>",
    ),
    "article over a column of teasers": _page(
        "本周降温", "<div class='main'><div class='article'>" + _PROSE + "</div>" + _teasers(5) + "</div>"
    ),
    # A short report (under 200 characters) over its related teasers, in one container.
    "short report over related teasers": _page(
        "本周降温",
        "<div class='article'><p>市气象台昨天发布消息，本周后半段将有一次明显降温过程，最低气温零度。</p>"
        + _teasers(8)
        + "</div>",
    ),
    # An article's own paragraphs over its list of picks, each a link and a line under it.
    "article of picks": _page(
        "周末好去处", "<div class='article'><p>" + _INTRO + "</p>" + _teasers(8) + "</div>"
    ),
    "forum thread whose posters' names are links": _page(
        "周末去哪儿",
        "<div class='thread'>"
        + "".join(
            f"<div class='post'><a href='/u/{i}'>热心网友{i}号</a><p>{sentence}</p></div>"
            for i, sentence in enumerate(re.findall(r"<p>(.*?)</p>", _PROSE) * 2)
        )
        + "</div>",
    ),
    "short news whose title holds a number": _page(
        "指数站上4000点", "<div class='content'><p>今天上午，指数站上4000点，成交量较昨天明显放大。</p></div>"
    ),
}


@pytest.mark.parametrize("case", list(KEPT))
def test_pages_with_a_body_are_kept(case: str) -> None:
    doc = _run(KEPT[case])
    assert _reason(doc) is None, doc.text


def test_times_with_am_or_pm_date_a_line() -> None:
    """Portals print 12-hour times beside headlines: (2005-04-27 14:32PM), (2005-04-19 10:25 AM)."""
    lines = "\n".join(
        f"·第{i}条：本市新开一条公交线 (2005-04-{i + 1:02d} 10:2{i} {'AM' if i % 2 else 'PM'})"
        for i in range(8)
    )
    assert _reason(_run(text=lines)) == "no_body:dated_list"


def test_a_column_of_dated_lines_is_a_list_in_text_input() -> None:
    """Text input has no page shape: the dated lines alone tell a list."""
    lines = "\n".join(f"(2024-05-{i + 1:02d} 10:{i:02d})[社会] 第{i}条：本市新开一条公交线" for i in range(8))
    assert _reason(_run(text=lines)) == "no_body:dated_list"


def test_dates_inside_sentences_do_not_make_a_list() -> None:
    lines = "\n".join(f"第{i}条 本办法自2024年{i + 1}月1日起施行，原办法同时废止" for i in range(8))
    assert _reason(_run(text=lines)) is None


def test_a_page_of_teasers_has_no_body() -> None:
    """A column's page that shows only summaries cut short: the texts are on other pages."""
    teasers = "\n".join(
        ["校园观览", "岁月从她身旁轻轻流过，我们欣喜地发现她的生命如同那古木，从墨绿中滋发出生机...",
         "学校今年又迎来了一批新同学，开学典礼上校长寄语大家珍惜时光……"]
    )  # fmt: skip
    assert _reason(_run(text=teasers)) == "no_body:no_prose"


def test_a_message_on_a_page_with_prose_does_not_drop_it() -> None:
    """A message is not prose, but the page's other sentences are its body."""
    text = "市民公园今天开放，首日接待游客三千人。\n请登录后发表评论\n页面不存在"
    assert _reason(_run(text=text)) is None


def test_a_short_poem_has_prose() -> None:
    assert _reason(_run(text="床前明月光，疑是地上霜。\n举头望明月，低头思故乡。")) is None


def test_a_long_notice_is_not_judged_by_its_title() -> None:
    """Only a short page is what its title says: an article about 404 errors is an article."""
    sentence = "服务器配置不当、链接失效和页面迁移，都会让访问者看到错误页面。"
    text = "\n".join(["网站出现404错误的常见原因", *([sentence] * 20)])
    assert _reason(_run(text=text, title="404 页面不存在的原因")) is None


_LINE_CHARS = "0123456789-/.年月日: 　ab中。，,、!?\"')]…()[]"


@given(st.text(alphabet=_LINE_CHARS, max_size=70))
@example("头条新闻 2024-05-01 10:30 )]")
@example("本市公交线路调整（5月1日）")
@example("短句，也算一句话吗")
@example("一段摘要写到这里就断了，后面请看原文……")
def test_the_fast_line_checks_are_the_plain_patterns(line: str) -> None:
    """The date and prose checks skip work (a date is searched for only where one could end; the
    full mark pattern only on lines with a period or a clause mark): the same answers as the
    patterns stated plainly."""
    when = page_body._WHEN
    dated = re.compile(rf"^\W{{0,3}}{when}|{when}\W{{0,3}}$")
    mark = re.compile(r"[。！？；!?;…]|[.][\s\"')\]]|[.]$|.{6}[，,、].{4}")
    assert page_body._dated(line) == bool(dated.search(line))
    teaser = re.search(r"(?:…|\.\.|。。)$", line) is not None
    assert page_body._reads_as_prose(line) == ((len(line) >= 60 or bool(mark.search(line))) and not teaser)


_LEAD = "<p>據了解，某晶片大廠正評估在高雄設立新廠，初步規劃投資金額超過千億元，預計最快明年動工。</p>"


@pytest.mark.parametrize(
    "wall",
    [
        "<p>本文為付費會員專屬內容</p><p>立即訂閱 已是會員？請登入</p>",
        "<p>订阅会员即可阅读全文，首月只要9元</p>",
        "<p>登入後繼續閱讀</p>",
        "<p>登入後檢視全文</p>",
    ],
)
def test_a_story_behind_a_paywall_is_a_login_page_whatever_its_lead(wall: str) -> None:
    # The lead is a whole sentence, and beside a message a whole sentence speaks for a body; but
    # a paywall says the story is elsewhere: the page holds its teaser.
    assert _reason(_run(_page("晶片大廠擬設新廠", _LEAD + wall))) == "no_body:login"


@pytest.mark.parametrize(
    "body",
    [
        "<p>今天上午，市区多条道路因降雪出现拥堵，交警部门已经加派警力疏导交通。</p><p>请登录后评论</p>",
        "<p>某视频平台发布财报显示，其付费会员数量同比增长两成，达到一亿人，收入也随之增长。</p>",
        "<p>今天上午，市区多条道路因降雪出现拥堵，交警部门已经加派警力疏导交通。</p><p>登录后查看更多评论</p>",
    ],
)
def test_a_login_to_comment_or_paid_members_in_a_sentence_is_no_paywall(body: str) -> None:
    assert _reason(_run(_page("本市新闻", body))) is None
