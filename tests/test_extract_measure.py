"""The compiled measure of a page against the plain Python statement of its rules, on generated
pages: text and link lengths, own text, weights, scores and the best block must all agree."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from taoyu.extract.boilerplate import (
    _BREADCRUMB,
    _PHRASES,
    _STARTS_PATTERN,
    chrome_texts,
    is_chrome_line,
    is_chrome_text,
    without_chrome_lines,
    without_teasers,
)
from taoyu.extract.labels import _alternatives
from taoyu.extract.markdown import block_markdown
from taoyu.extract.measure import BLOCK_TAGS, measure
from taoyu.extract.text import block_lines

_MARKS = re.compile(r"[，。！？；：、,.!?;:]")


def reference(root: LexborNode):
    """Node by node, as the extractor first did it: each node passes its sums to its parent; a
    block's own text is its text children's and inline children's, whitespace collapsed."""
    text: dict[int, int] = {}
    links: dict[int, int] = {}
    owns: dict[int, int] = {}
    weights = []
    order: dict[int, int] = {}
    everything = list(root.traverse(include_text=True))
    for position in range(len(everything) - 1, -1, -1):
        node = everything[position]
        key, tag = node.mem_id, node.tag
        if tag == "-text":
            total, linked, own = len((node.text_content or "").strip()), 0, 0
        else:
            order[key] = position
            total, linked, own = text.get(key, 0), links.get(key, 0), owns.get(key, 0)
            if tag == "a":
                linked = links[key] = total
        if total and position:
            parent = node.parent.mem_id
            text[parent] = text.get(parent, 0) + total
            links[parent] = links.get(parent, 0) + linked
            if tag == "-text" or (tag not in BLOCK_TAGS and tag != "br"):
                owns[parent] = owns.get(parent, 0) + total
        if not own or tag not in BLOCK_TAGS:
            continue
        unlinked = (1 - min(linked / (total or 1), 1.0)) ** 2
        own_text = " ".join(_own_text(node).split())
        if unlinked <= 0 or len(own_text) < 8 or (len(own_text) < 80 and is_chrome_text(own_text)):
            continue
        weights.append((node, (len(own_text) + 25 * len(_MARKS.findall(own_text))) * unlinked))
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node, weight in reversed(weights):
        parent = node.parent
        for share, target in ((1.0, node), (1.0, parent), (0.5, parent.parent if parent else None)):
            if target is not None:
                nodes[target.mem_id] = target
                scores[target.mem_id] = scores.get(target.mem_id, 0.0) + share * weight
    best = nodes[max(scores, key=lambda k: (scores[k], -order.get(k, 0)))] if scores else root
    return text, links, scores, nodes, best


def _own_text(node: LexborNode) -> str:
    parts = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag not in BLOCK_TAGS and child.tag != "br":
            parts.append(child.text(strip=False))
        child = child.next
    return "".join(parts)


WORDS = ["杭州", "城市更新", "第一段", "责任编辑：张三", "分享到", "【打印】", "Copyright", "阅读全文", "ok"]
SPACES = [" ", "  ", "\n", "\t", "\xa0", "\u3000", ""]
MARKS = ["，", "。", "！", "?", ";", ":", "、", "."]
TAGS = ["div", "p", "span", "font", "td", "li", "ul", "a", "b", "em", "section", "h2", "custom-tag", "table"]


def texts() -> st.SearchStrategy[str]:
    words, spaces, marks = st.sampled_from(WORDS), st.sampled_from(SPACES), st.sampled_from(MARKS)
    piece = st.one_of(words, spaces, marks, st.text(max_size=6))
    return st.lists(piece, max_size=12).map("".join)


def fragments(depth: int = 3, tags: list[str] = TAGS) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        texts().map(lambda t: t.replace("<", "&lt;").replace("&", "&amp;")),
        st.just("<br>"),
        st.just("<!-- 注释 -->"),
    )
    if depth == 0:
        return leaf
    inner = st.lists(fragments(depth - 1, tags), max_size=4).map("".join)
    element = st.tuples(st.sampled_from(tags), inner).map(lambda t: f"<{t[0]}>{t[1]}</{t[0]}>")
    return st.one_of(leaf, element)


def compare(html: str) -> None:
    tree = LexborHTMLParser(html)
    root = tree.body
    text, links, scores, nodes, best = reference(root)
    measured = measure(root, chrome_texts)
    assert measured.text_chars == {k: v for k, v in text.items() if v}
    assert measured.link_chars == {k: v for k, v in links.items() if v}
    assert measured.scores == scores
    assert measured.nodes.keys() == nodes.keys()
    assert measured.best.mem_id == best.mem_id


@settings(max_examples=400, deadline=None)
@given(st.lists(fragments(), min_size=1, max_size=5).map("".join))
@example("<div><p>杭州市今年继续推进城市更新，老旧小区改造惠及数万户居民。</p><p>第二段 ，说明。</p></div>")
@example("<p>a <b> b <div>杭州 城市 更新，第一段。</div></b>  c\xa0\xa0d 。。。</p>")
@example("<p>杭州市城市更新<b> 第一段内容</b>\n<i>第二段</i> </p>")
@example("<div>责任编辑：张三</div><div>【打印】【关闭】</div><td>  版权所有 ©  </td>")
@example("<a>全是链接的一段文字，很长很长。</a><ul><li><a>菜单</a>，一</li></ul>")
def test_the_compiled_measure_agrees_with_the_plain_rules(html: str) -> None:
    compare(f"<html><body>{html}</body></html>")


def test_text_directly_in_body_reaches_the_nodes_above_it() -> None:
    # body's own text gives html and the document node a share: they are scored, never best.
    compare("<html><body>杭州市今年继续推进城市更新，老旧小区改造。<p>第二段，也是正文。</p></body></html>")


# The phrases spell case out letter by letter so that re can skip ahead on a literal, and the
# start patterns are screened by their first characters; one pattern under one IGNORECASE flag
# must match the same texts.
_PLAIN_PHRASES = re.sub(r"[(][?]i:([^)]*)[)]", r"\1", _PHRASES.pattern)
_STARTS_ALL = f"{_STARTS_PATTERN}|{_BREADCRUMB.pattern}"
_REFERENCE_CHROME = re.compile(f"^(?:{_STARTS_ALL})|{_PLAIN_PHRASES}", re.IGNORECASE)
CHROME_PIECES = [
    "【打印】", "【关闭】", "责任编辑", "编辑：", "来源：新华社", "版权所有", "COPYRIGHT", "copyRight", "©",
    "分享到", "举报电话：0571-00000000", "不良信息举报中心", "打开app", "下载App", "扫一扫",
    "关注我们", "阅读全文", "上一篇", "点赞",
    "评论 (3)", "ICP备", "icp备", "\u0130cp备", "\u0131CP备", "返回顶部", "阅读 12", "12 阅读", "[打印]",
    "← 返回", "+1", "发布于：浙江", "IP属地：浙江", "时间：2026.01.05", "本文来源于示例商报",
    "本主题由 管理员 于 2026-1-5 审核通过", "第1页/共3页", "<< 上一页 | 下一页 >>", "最新评论", "12 条评论",
    "登录 后方可回复", "转载请注明出处", "ALL RIGHTS RESERVED", "all Rights reserved", "复制链接",
    "当前位置：首页 > 新闻 > 正文", "lr9111[219.130.79.*] 认为：", "来源：", "字号", "我要跟帖", "已输入0字",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(CHROME_PIECES), st.sampled_from(SPACES), texts()), max_size=5))
def test_the_split_chrome_patterns_match_what_the_single_pattern_matched(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert is_chrome_text(text) == bool(_REFERENCE_CHROME.search(text))


@pytest.mark.parametrize("piece", CHROME_PIECES)
def test_each_kind_of_chrome_line_is_found(piece: str) -> None:
    assert is_chrome_text(piece) and _REFERENCE_CHROME.search(piece)


def test_every_chrome_phrase_starts_with_a_literal_character() -> None:
    # One phrase that starts with a class or a group makes re try every phrase at every position.
    for phrase in _alternatives(_PHRASES.pattern):
        first = phrase[:2] if phrase.startswith("\\") else phrase[0]
        assert first not in "([.^$" and first not in ("\\d", "\\s", "\\w", "\\b", "\\S"), phrase


def test_disclaimers_are_chrome_lines_at_any_length_up_to_a_paragraph() -> None:
    disclaimer = "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。" * 3
    assert is_chrome_line(disclaimer) and not is_chrome_line("特别" + "正文" * 200)


TABLE_AND_LIST = (
    "<p>第一段<a>链接</a>文字</p><ul><li>甲</li><li>乙<br>丙</li></ul><table><tr><td>格</td></tr></table>"
)


WRAPPED_SOURCE = (
    "<p>FreeCell\n  Quest是一款\n  游戏，统治了这\n  里。</p><pre>x = 1\n<b>y</b>\n\nz 这\n里</pre>"
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(fragments(tags=[*TAGS, "pre"]), min_size=1, max_size=5).map("".join),
    st.lists(st.integers(0, 40), max_size=3),
)
@example(TABLE_AND_LIST, [])
@example(TABLE_AND_LIST, [4, 1])
@example(WRAPPED_SOURCE, [])
@example(WRAPPED_SOURCE, [2])
@example("<p>甲\ufdd0乙</p><p>丙</p>", [])  # the character block_lines would stand for a line's end
def test_lines_from_the_measured_tree_are_the_lines_the_dom_gives(html: str, picks: list[int]) -> None:
    # Measured first, then link lists removed from the DOM, as extraction does.
    root = LexborHTMLParser(f"<html><body><div>{html}</div></body></html>").body
    measured = measure(root, chrome_texts)
    part = root.css_first("div")
    inside = part.css("*")[1:]
    removed: list = []
    gone: set[int] = set()  # a decomposed block's descendants are freed: never touch them
    for pick in picks if inside else []:
        node = inside[pick % len(inside)]
        if node.mem_id not in gone:
            gone |= {below.mem_id for below in node.css("*")}
            removed.append(node)
    tree = measured.tree
    positions = tree.positions(removed)
    for node in removed:
        node.decompose()
    assert tree.lines(tree.positions([part]), positions) == [block_lines(part)]


def test_a_line_break_of_the_source_is_a_space_and_none_between_two_han_characters() -> None:
    """Templates wrap long paragraphs in their source: the break is whitespace, as a browser shows
    it, so no sentence (and no word) is cut in two; only preformatted text keeps its lines."""
    root = LexborHTMLParser(f"<html><body><div>{WRAPPED_SOURCE}</div></body></html>").body
    measured = measure(root, chrome_texts)
    part = root.css_first("div")
    lines = measured.tree.lines(measured.tree.positions([part]), [])[0]
    assert lines == ["FreeCell Quest是一款游戏，统治了这里。", "x = 1", "y", "z 这", "里"]
    assert block_lines(part) == lines


PARAGRAPHS_IN_SOURCE = (
    "<div>第一段说完了。\n\n第二段开始，\n  还在第二段。\n \n<span>Sign up for the</span>\n\n newsletter"
    "\n\nWhy?\n\n\u3000\u3000第四段」\n\n第五段：\n\n还是第五段</div>"
)


def test_a_blank_line_after_a_sentences_end_ends_a_paragraph() -> None:
    """Text written to be shown with its line breaks (a BBS post in a pre-wrap block, paragraphs
    typed into a CMS's text) separates its paragraphs by a blank line after a full stop; a
    template's wrapping never leaves one there, and a single break or a blank line after a word
    stays whitespace, so no sentence is cut."""
    root = LexborHTMLParser(f"<html><body>{PARAGRAPHS_IN_SOURCE}</body></html>").body
    measured = measure(root, chrome_texts)
    part = root.css_first("div")
    lines = measured.tree.lines(measured.tree.positions([part]), [])[0]
    assert lines == [
        "第一段说完了。",
        "第二段开始，还在第二段。",
        "Sign up for the newsletter Why?",
        "第四段」",
        "第五段：还是第五段",
    ]
    assert block_lines(part) == lines
    markdown = block_markdown(LexborHTMLParser(PARAGRAPHS_IN_SOURCE).css_first("div"))
    assert markdown == lines


LINE_PIECES = st.one_of(
    st.sampled_from(CHROME_PIECES), st.sampled_from(SPACES), texts(), st.just("正文" * 40)
)
TEASER_PIECES = st.sampled_from(
    ["……[详细]", "...", "…", "。。。", "阅读全文>>", "标题……", "more", "特别声明：", "观点仅代表作者"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.one_of(LINE_PIECES, TEASER_PIECES), max_size=4).map("".join), max_size=12))
def test_chrome_found_in_one_loop_is_chrome_found_line_by_line(lines: list[str]) -> None:
    assert chrome_texts(lines) == [is_chrome_text(line) for line in lines]
    assert without_chrome_lines(lines) == without_teasers(
        [line for line in lines if not is_chrome_line(line)]
    )
