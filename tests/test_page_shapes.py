"""Modern page shapes: a WeChat article's nested sections, and JavaScript app shells whose content
sits in an embedded JSON state (a Q&A page's answers, a Next.js article)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taoyu.extract import lexbor, main_text
from taoyu.extract.app_state import state_lines, with_state

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

_PARAS = [
    f"第{i}段：我们走访了几位在城里打工多年的年轻人，他们讲述了各自的生活变化和对未来的打算。"
    for i in range(12)
]


def _wrapped(paragraph: str, depth: int) -> str:
    html = f'<p style="margin:0"><span style="font-size:15px">{paragraph}</span></p>'
    for _ in range(depth):
        html = f'<section style="padding:0 8px">{html}</section>'
    return html


def _wechat(body: str) -> str:
    return (
        '<html><head><title>进城十年</title></head><body id="activity-detail">'
        '<div class="rich_media_area_primary"><h1 class="rich_media_title">进城十年</h1>'
        '<div class="rich_media_meta_list"><a id="js_name">某公众号</a><em>2024-05-01</em></div>'
        f'<div class="rich_media_content" id="js_content" style="visibility: hidden;">{body}</div>'
        '<div class="rich_media_tool"><a href="#">阅读原文</a> 阅读 1234</div></div>'
        '<div class="qr_code_pc"><p>微信扫一扫<br>关注该公众号</p></div></body></html>'
    )


@pytest.mark.parametrize("compiled", [True, False], ids=["lexbor", "selectolax"])
def test_a_wechat_article_keeps_its_beginning(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its first paragraphs each sit in their own nested sections and its last ones share one
    section: that section scores best, and the article must still come out whole."""
    monkeypatch.setattr(lexbor, "AVAILABLE", compiled and lexbor.AVAILABLE)
    body = "".join(_wrapped(p, 3) for p in _PARAS[:7]) + "<section>" + "".join(map(str, (
        _wrapped(p, 0) for p in _PARAS[7:]))) + "</section>"  # fmt: skip
    lines = main_text(_wechat(body)).splitlines()
    assert lines == _PARAS


_SHORT = [
    "清晨六点，老街上的第一锅葱包桧已经出炉，熟客们陆续进店。",
    "这家早餐店开了三十多年，店面不大，却常常排起长队。",
    "老板娘说，油条要现炸，葱要当天买，这些规矩一直没变。",
    "吃完早餐，不妨沿着老街往里走，两边还有不少老字号，可以慢慢逛。",
]


def test_a_short_wechat_article_comes_out_whole() -> None:
    """A post of four short paragraphs, each in a section of its own, in WeChat's hidden
    container: under 200 characters it was pruned as hidden, and then one paragraph alone was
    taken (the page held too little prose, 400 characters then, for its coverage to be judged).
    The container the markup names is content whatever its style, and is taken whole once it
    holds 80 characters of prose."""
    body = "".join(_wrapped(p, 1) for p in _SHORT)
    assert main_text(_wechat(body)).splitlines() == _SHORT


def test_only_a_container_the_markup_names_widens_the_choice() -> None:
    """The same nested sections in a container with no name stay as scored: widening to any
    ancestor would pull in teasers and comments on pages whose markup says nothing. (The first
    sections end in a link here, as teasers do: a sibling that closes a sentence and holds no
    link is taken as the article's own short paragraph, a rule of its own.)"""
    teasers = [f"{p}<a href='/more'>详情</a>" for p in _PARAS[:7]]
    body = "".join(_wrapped(p, 3) for p in teasers) + "<section>" + "".join(
        _wrapped(p, 0) for p in _PARAS[7:]) + "</section>"  # fmt: skip
    page = _wechat(body).replace('class="rich_media_content" id="js_content"', 'class="box"')
    assert main_text(page).splitlines() == _PARAS[7:]


def _app_shell(dom: str, state: dict, script_id: str) -> str:
    blob = json.dumps(state, ensure_ascii=False)
    return (
        f"<html><head><title>问题</title></head><body><div id='root'><main class='content'>{dom}</main></div>"
        f"<script id='{script_id}' type='application/json'>{blob}</script></body></html>"
    )


_ANSWERS = [
    "<p>先说结论：可以，但要看当地的规定。</p><p>我去年在社区办过一次，材料准备齐全的话当天就能拿到回执。</p>",
    "补充一点，<b>网上预约</b>可以省掉排队的时间，早上九点放号，<a href='/g'>指南</a>里有详细的步骤说明。",
    "<p>我的经验是提前打电话问清楚需要哪些复印件，免得白跑一趟。</p><p>另外记得带上原件。</p>",
]


_EXCERPT = "摘要：这是一段很长的摘要文字，它只是把回答的开头重复一遍，给列表页和搜索结果预览时使用。"


def test_a_qa_app_shell_gives_every_answer_from_its_state() -> None:
    """The DOM shows a UI string and the first answer; the state holds the question and all."""
    state = {
        "initialState": {
            "entities": {
                "questions": {"1": {"title": "能办居住证吗？", "detail": "<p>刚搬来，想问问流程。</p>"}},
                "answers": {
                    str(i): {"content": html, "excerpt": _EXCERPT, "url": f"https://example.cn/a/{i}"}
                    for i, html in enumerate(_ANSWERS)
                },
            }
        }
    }
    dom = "<div class='notice'>你今天的邀请回答名额已用完</div><div class='answer'>" + _ANSWERS[0] + "</div>"
    text = main_text(_app_shell(dom, state, "js-initialData"))
    for needle in ("刚搬来，想问问流程。", "当天就能拿到回执", "网上预约可以省掉排队", "另外记得带上原件。"):
        assert text.count(needle) == 1, text
    assert "example.cn" not in text and "<a" not in text and "<b>" not in text
    assert "摘要" not in text


def test_a_next_js_article_comes_from_its_data() -> None:
    article = "".join(f"<p>{p}</p>" for p in _PARAS[:5])
    post = {"summary": _EXCERPT, "body": article}
    state = {"props": {"pageProps": {"post": post}}}
    text = main_text(_app_shell("<div>加载中…</div>", state, "__NEXT_DATA__"))
    assert text.splitlines()[-5:] == _PARAS[:5]
    assert "一句话摘要" not in text


def test_a_next_js_pages_menus_in_its_data_are_not_its_text() -> None:
    """A news app carries its header and footer as markup in its state: menus, mostly links over
    many lines, are left out; a paragraph with a long link in it is not a menu."""
    menu = (
        "<ul>"
        + "".join(f"<li><a href='/{s}'>{s}</a></li>" for s in ("要闻", "财经", "体育", "娱乐", "科技"))
        + "</ul>"
    )
    linked = (
        "<p>据<a href='/r'>本台此前报道的那场持续了整整三天三夜的大型国际马拉松比赛</a>，"
        "今年报名人数再创新高。</p>"
    )
    state = {"props": {"header": {"html": menu}, "story": {"body": [*_PARAS[:3], linked]}}}
    text = main_text(_app_shell("<div>加载中…</div>", state, "__NEXT_DATA__"))
    story = [
        *_PARAS[:3],
        "据本台此前报道的那场持续了整整三天三夜的大型国际马拉松比赛，今年报名人数再创新高。",
    ]
    assert text.splitlines() == ["加载中…", *story]  # the shell's own line, then the story


def test_a_rendered_page_is_not_padded_from_its_state() -> None:
    """A page rendered on the server shows its content: its state then only adds what extraction
    rightly left out (an author's bio)."""
    article = "".join(f"<p>{p}</p>" for p in _PARAS[:6])
    bio = "<p>作者是一名周末编辑，自二〇二〇年起长期报道科技与娱乐新闻，写过很多评测。</p>"
    state = {"props": {"author": {"bio": bio}, "body": article}}
    text = main_text(_app_shell(f"<article>{article}</article>", state, "__NEXT_DATA__"))
    assert text.splitlines() == _PARAS[:6]


def test_a_state_that_is_not_json_gives_nothing() -> None:
    assert state_lines("window.__NUXT__=(function(a){return {a:a}})(1)") == []
    assert state_lines("") == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@given(_JSON)
def test_any_json_state_gives_lines_without_error(blob: object) -> None:
    lines = state_lines(json.dumps(blob, ensure_ascii=False))
    assert all(line and line == line.strip() and "\n" not in line for line in lines)
    merged, added = with_state(["正文一行。"], lines)
    assert merged[0] == "正文一行。" and added == sum(map(len, merged[1:]))


def test_an_article_container_does_not_bring_back_the_comments_that_lost() -> None:
    """A short post and a long comment thread inside one <article>: the post is the content, and
    widening to the article container would take the comments back in."""
    post = ["杭州市今天发布了城市更新计划，涉及老旧小区改造。", "计划提出，到明年年底完成一百个小区的改造。"]
    comments = "".join(
        f"<div class='comment'><p>网友{i}：这篇文章写得很好，城市更新关系到每一个居民的生活，"
        f"值得好好讨论{i}次，我们小区也在等着改造，希望早日开工。</p></div>"
        for i in range(14)
    )
    html = (
        "<html><body><article><div class='post'><h1>城市更新</h1>"
        f"<p>{post[0]}</p><p>{post[1]}</p></div><div id='comments'>{comments}</div></article></body></html>"
    )
    assert main_text(html) == "\n".join(["城市更新", *post])


_STORY = [
    f"Paragraph {i} of the story: the council met again on Tuesday and argued about the new bus lanes, "
    "the parking fees and the budget for the coming year."
    for i in range(20)
]


def _chunked_story(first: int) -> str:
    """An article whose body a CMS cut into two chunks, each in a grid of its own beside an ad
    rail, with ``first`` paragraphs in the first chunk."""

    def chunk(paragraphs: list[str]) -> str:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f'<div class="grid"><div class="grid-item body">{body}</div><div class="rail"></div></div>'

    return (
        "<html><body><header class='site'><a href='/'>Home</a></header>"
        "<article class='story'><h1>Bus lanes</h1><div class='chunks'>"
        f"{chunk(_STORY[:first])}<div class='ad-slot'>ADVERTISEMENT</div>{chunk(_STORY[first:])}"
        "</div></article><footer>About us</footer></body></html>"
    )


@pytest.mark.parametrize("first", [13, 12])
def test_an_article_cut_into_chunks_comes_out_whole(first: int) -> None:
    """The best chunk holds two thirds of the article's prose (13 or 12 of its 20 paragraphs): the
    article container around it holds the rest, so the choice widens to it. A chosen block that
    holds less than 70% of its article's prose is not the whole article."""
    assert main_text(_chunked_story(first)).splitlines() == ["Bus lanes", *_STORY]


_ENTRY = [
    f"第{i}段：高新区以核心区为中心布局五个产业园区，围绕卫星互联网和北斗等方向发展新一代信息技术产业。"
    * (8 if i == 2 else 1)
    for i in range(6)
]


def _encyclopedia_entry() -> str:
    """An encyclopedia entry as a JavaScript-era wiki renders it: every paragraph a ``div`` of the
    same classes, the section headings ``div``s of others between them, the lead summary in a
    container of its own above."""
    paragraph = "<div class='para content MARK'><span class='text'>{}</span></div>"
    sections = ""
    for k, heading in enumerate(("历史沿革", "区域规划", "地理环境")):
        sections += f"<div class='paraTitle level-2'><h2>{heading}</h2></div>"
        sections += "".join(paragraph.format(p) for p in _ENTRY[2 * k : 2 * k + 2])
    return (
        "<html><body><div class='tabs'><div class='lemmaSummary'>"
        "<div class='para summary MARK'>高新区，隶属于新区，简称高新区，为省级高新技术产业开发区。"
        "</div></div>"
        f"<div class='lemma-content'>{sections}</div></div><div class='side'><a href='/x'>相关词条</a></div>"
        "</body></html>"
    )


def test_an_entrys_paragraphs_of_one_class_are_an_article_not_a_thread() -> None:
    """Same-classed blocks that are all children of one element are an article's paragraphs: the
    element is the block, so its headings come with them, and so does the lead summary beside it.
    (Read as a series of posts, the entry lost its headings and its summary.)"""
    lines = main_text(_encyclopedia_entry()).splitlines()
    assert lines == [
        "高新区，隶属于新区，简称高新区，为省级高新技术产业开发区。",
        "历史沿革", *_ENTRY[0:2], "区域规划", *_ENTRY[2:4], "地理环境", *_ENTRY[4:6],
    ]  # fmt: skip
