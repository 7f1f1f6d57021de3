"""The page read through lexbor's C functions against the page read through selectolax's Python
API, on generated pages; removal from the DOM both ways; whitespace as ``str`` sees it; link-list
metadata counted as its patterns count it; and no compiled loop loaded after the warm-up page."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

import taoyu.extract.lexbor as lexbor
from taoyu.extract import main_text
from taoyu.extract.chars import PARAGRAPH_ENDS, SENTENCE_MARKS, is_paragraph_end, is_sentence_mark, is_space
from taoyu.extract.lexbor import PageArrays, read_page, read_page_python, unlink
from taoyu.extract.link_lists import _ITEM_METADATA, _MAYBE_METADATA, _NO_DIGITS, word_counts
from taoyu.extract.prune import never_content
from taoyu.text import script

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

ATTRIBUTES = [
    "", ' class="nav main"', " id=x", " id=Post-12", " itemtype=https://schema.org/QAPage", " class",
    ' id=""', ' style="DISPLAY: none"', ' style="color:red"', ' style="visibility:Hidden"',
    ' class="评论 区" id="回复"', ' class="a\u00a0b"', " data-x=1",
]  # fmt: skip
TEXTS = ["杭州", " ", "\n", "\xa0", "\u3000", "é", "\U0001f600", "a&amp;b", "", "x\u200by"]
TAGS = ["div", "p", "span", "a", "script", "style", "ul", "li", "table", "td", "custom-tag", "textarea"]
TAGS += ["meta"]


def fragments(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(TEXTS), st.just("<br>"), st.just("<!-- 注释 -->"), st.just("<img>"))
    if depth == 0:
        return leaf
    inner = st.lists(fragments(depth - 1), max_size=4).map("".join)
    element = st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES), inner)
    return st.one_of(leaf, element.map(lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>"))


PAGES = st.lists(fragments(), min_size=1, max_size=5).map(lambda p: f"<html><body>{''.join(p)}</body></html>")


def assert_same(one: PageArrays, other: PageArrays) -> None:
    for name in ("keys", "parents", "tag_ids", "elements", "starts", "codes", "labelled", "label_bytes"):
        assert np.array_equal(getattr(one, name), getattr(other, name)), name
    assert np.array_equal(one.label_starts, other.label_starts)
    assert one.labels == other.labels
    assert np.array_equal(one.styled, other.styled) and one.styles == other.styles
    assert one.signs == other.signs and np.array_equal(one.sign_kinds, other.sign_kinds)
    assert one.ids() == other.ids()


def test_a_walk_that_cannot_be_compiled_falls_back_to_selectolax(monkeypatch: pytest.MonkeyPatch) -> None:
    """A numba or selectolax build the walk was not made for fails on its first use: every page is
    then read through selectolax's Python API, and the walk is not tried again page after page."""
    tries = []

    def broken(root, leaves):
        tries.append(1)
        raise RuntimeError("no such intrinsic on this build")

    monkeypatch.setattr(lexbor, "_read_compiled", broken)
    monkeypatch.setattr(lexbor, "_VERIFIED", None)
    monkeypatch.setattr(lexbor, "AVAILABLE", True)
    root = LexborHTMLParser("<p>杭州今天<b>下雨</b>。</p>").body
    for _ in range(3):
        assert_same(read_page(root), read_page_python(root))
    assert not lexbor.AVAILABLE and len(tries) == 1


def test_the_compiled_reader_is_available_on_this_build() -> None:
    # Without it extraction still works, through selectolax's API, but five times slower.
    assert lexbor.AVAILABLE and lexbor.compiled_reader()


@settings(max_examples=300, deadline=None)
@given(PAGES, st.booleans())
@example('<html><body><div class="a b" id=x style="display:none">t<p class>中</p></div></body></html>', False)
@example("<html><body><script>var x = '<p>';</script><p>正文</p></body></html>", True)
def test_the_compiled_reader_reads_what_selectolax_reads(html: str, skip_never_content: bool) -> None:
    root = LexborHTMLParser(html).body
    leaves = never_content() if skip_never_content else np.zeros(0, np.bool_)
    assert_same(read_page(root, leaves), read_page_python(root, leaves))


@settings(max_examples=200, deadline=None)
@given(PAGES, st.lists(st.integers(0, 200), max_size=4))
def test_unlinking_through_lexbor_leaves_the_tree_selectolax_leaves(html: str, picks: list[int]) -> None:
    compiled_tree, python_tree = LexborHTMLParser(html), LexborHTMLParser(html)
    compiled, python = read_page(compiled_tree.body), read_page_python(python_tree.body)
    gone: set[int] = set()
    removed = []
    for pick in picks:  # subtrees, none inside another (as pruning removes them)
        position = pick % len(compiled.keys)
        inside = {position, *ancestors(compiled.parents, position)}
        if not inside & gone and not any(position in ancestors(compiled.parents, g) for g in gone):
            gone.add(position)
            removed.append(position)
    unlink(compiled, np.array(removed, np.int64))
    unlink(python, np.array(removed, np.int64))
    assert compiled_tree.html == python_tree.html


def ancestors(parents: np.ndarray, position: int) -> list[int]:
    out = []
    while parents[position] >= 0:
        position = int(parents[position])
        out.append(position)
    return out


@pytest.mark.parametrize(
    "html",
    [
        "<div class=nav><a>首页</a></div><article><p>杭州市今天发布了城市更新计划，涉及老旧小区改造。</p>"
        "<p>计划提出，到明年年底完成一百个小区的改造。</p><ul><li><a>相关一</a> (2024-04-27)</li>"
        "<li><a>相关二</a> (88)</li></ul></article><div style='display:none'>隐藏的关键词</div>",
        "<body class=footer><p>整页都在一个页脚里，这一段仍然很长，很长很长。</p></body>",
        "<form><p>整页都在一个表单里的正文，一段很长的文字，说明了很多事情。</p></form>",
    ],
)
def test_extraction_through_selectolax_gives_what_the_compiled_reader_gives(
    html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = main_text(html), main_text(html, format="markdown")
    monkeypatch.setattr(lexbor, "AVAILABLE", False)
    assert (main_text(html), main_text(html, format="markdown")) == expected


DOCUMENTS = st.tuples(
    st.sampled_from(["", " class='nav'", " class='content'", " id='post-1'", " style='display:none'"]),
    st.sampled_from(
        ["<html{}><body>{}</body></html>", "<html{}><frameset><frame src=a></frameset>{}</html>", "{1}"]
    ),
    st.lists(fragments(), min_size=1, max_size=5).map("".join),
).map(lambda parts: parts[1].format(parts[0], parts[2]))


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, "https://bbs.example.com/thread-1.html"]))
def test_extraction_is_the_same_through_selectolax_on_generated_documents(html: str, url: str | None) -> None:
    # The compiled reader, pruning and unlinking against selectolax's API, end to end.
    expected = main_text(html, url), main_text(html, url, format="markdown")
    lexbor.AVAILABLE = False
    try:
        assert (main_text(html, url), main_text(html, url, format="markdown")) == expected
    finally:
        lexbor.AVAILABLE = True


@pytest.mark.parametrize("compiled", [True, False])
def test_a_page_whose_root_is_pruned_gives_nothing(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by fuzzing: a frameset page has no body, so <html> is the root, and its class names
    # chrome; a reference list is chrome however much it holds. The root stays in the document.
    monkeypatch.setattr(lexbor, "AVAILABLE", compiled)
    frameset = "<html class='nav'><frameset><frame src='a.html'></frameset></html>"
    references = "<body class='references'><p>一段很长的文字，说明了很多事情，很长很长。</p></body>"
    for html in (frameset, references):
        assert main_text(html) == main_text(html, format="markdown") == ""


def test_a_label_that_is_not_ascii_is_read_by_the_patterns() -> None:
    # The long s folds onto "s" under IGNORECASE: "ſidebar" names a sidebar, as "sidebar" does.
    article = "<div class=content>" + "<p>正文一段很长的文字，说明了很多事情，很长很长。</p>" * 3 + "</div>"
    aside = "<div class='{}'><p>侧栏里的一段文字，不是正文，但是也很长很长。</p></div>"
    ascii_page, other_page = (aside.format(label) + article for label in ("sidebar", "\u017fidebar 侧栏"))
    assert "侧栏里" not in main_text(ascii_page)
    assert main_text(other_page) == main_text(ascii_page)


@numba.njit
def _classified(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every code point below ``count``: whitespace, a sentence mark, a paragraph's end."""
    spaces, marks, ends = np.zeros(count, np.bool_), np.zeros(count, np.bool_), np.zeros(count, np.bool_)
    for code in range(count):
        spaces[code], marks[code], ends[code] = is_space(code), is_sentence_mark(code), is_paragraph_end(code)
    return spaces, marks, ends


def test_whitespace_and_sentence_marks_are_what_python_says_for_every_character() -> None:
    spaces, marks, ends = _classified(0x110000)
    assert np.flatnonzero(spaces).tolist() == [c for c in range(0x110000) if chr(c).isspace()]
    assert np.flatnonzero(marks).tolist() == sorted(map(ord, SENTENCE_MARKS))
    assert np.flatnonzero(ends).tolist() == sorted(map(ord, PARAGRAPH_ENDS))


def test_after_the_first_page_no_compiled_loop_is_compiled_or_loaded() -> None:
    main_text("<p>x</p>")  # the first page of the process runs the warm-up page first
    # The Taiwan phrase table's converter (8 ms to load) is loaded by the warm-up too.
    assert script._mainland_phrases.cache_info().currsize == 1
    extraction = ("lexbor", "prune", "measure", "link_lists", "labels", "chars")
    modules = [f"taoyu.extract.{name}" for name in extraction]
    modules += ["taoyu.extract.main_text", "taoyu.text.script"]  # and the fold chrome patterns see
    dispatchers = {
        f"{name}.{attribute}": value
        for name in modules
        for attribute, value in vars(__import__(name, fromlist=["_"])).items()
        if isinstance(value, numba.core.registry.CPUDispatcher)
    }
    before = {name: len(dispatcher.overloads) for name, dispatcher in dispatchers.items()}
    pages = [
        "<div class=share><a>分享</a></div><div class=content>"
        "<p>杭州市今天发布了城市更新计划，涉及老旧小区改造。</p>"
        "<p>计划提出，到明年年底完成一百个小区的改造，并新增公园。</p>"
        "<ul><li><a href=/a>相关一</a> (2024-04-27)</li><li><a href=/b>相关二</a> 12:30</li></ul>"
        "<p>更多……[详细]</p></div>",
        "<div class=post><p>楼主说了一段很长的话，关于城市更新，很多人关心。</p></div>"
        "<div class=reply><p>同意。</p></div><div class=reply><p>赞成！</p></div>",
        # comments outweigh the post; a feed of teasers outweighs a short story
        "<div class=entry><p>一篇短文。</p></div><div class=comments>"
        + "<div class=comment><p>一条很长的评论，说了很多很多的话，关于城市更新和交通。</p></div>" * 9
        + "</div>",
        "<div class=story><p>短新闻一句话。</p></div>"
        + "<div class=teaser><h2><a href=/n>标题</a></h2><p>摘要很长，说明了很多事情，很长。</p></div>" * 5,
        "",
        "<p>只有一段</p>",
        # a Simplified page with one Traditional character, and a Traditional page's chrome line
        "<div class=content><p>杭州市今天發布了城市更新计划。</p><p>責任編輯：王五</p></div>",
        # a page written in Traditional, with chrome in Taiwan words
        "<div class=content><p>臺北市今天發布了城市更新計畫，涉及老舊社區改造。</p>"
        "<p>計畫提出，明年年底前完成一百個社區的改造。</p><p>回覆</p><p>點選進入專題</p></div>",
        # a thread whose content is thirty blocks
        "<div class=thread>"
        + "".join(f"<div class=post><div class=message><p>第{i}楼：同意。</p></div></div>" for i in range(30))
        + "</div>",
    ]
    for html in pages:
        for url in (None, "https://bbs.example.com/thread-2-1-1.html"):
            main_text(html, url)
            main_text(html, url, format="markdown")
    after = {name: len(dispatcher.overloads) for name, dispatcher in dispatchers.items()}
    assert after == before


METADATA_PIECES = [
    "2024-04-27", "14:32", "2:05 PM", "(88)", "（12）", "[43/8]", "29字", "3 回复", "阅读", "年", "月", "日",
    "12月3日", "杭州", "新闻", "·", "|", "【", "】", " ", "\u3000", "..", "AM", "pm", "x", "\uff11\uff12",
    "\u0661\u0662", "\u0e51", "한", "\U0001d7ce", "-", "/", "_", "~", "《", "》",
    "1", "12", "123", "2024", "12024", ".", "年", "月", "日", ":", "2024年4月", "12月3日", "1:2", "12:345",
    "2:05:07 pm", "[ 1 / 2 / 3 ]", "[1/]", "[", "]", "( 12 )", "(", ")", "（", "）", "3楼", "5 评论", "回",
    "复", "阅", "读", "评", "论", "字", "次", "楼", "A", "m", "P", "\t", "2024.4.5", "2024/04/05日",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(METADATA_PIECES), max_size=10).map("".join), min_size=1, max_size=4))
def test_metadata_counts_are_what_the_patterns_count(texts: list[str]) -> None:
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    bounds = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(t) for t in texts], out=bounds[1:])
    not_maybe, words = word_counts(codes, bounds)
    assert not_maybe == [len(_MAYBE_METADATA.sub("", t)) for t in texts]
    assert words == [len(_ITEM_METADATA.sub("", t)) for t in texts]


def test_the_ranges_said_to_hold_no_digit_hold_none() -> None:
    for low, high in _NO_DIGITS.tolist():
        assert not any(chr(code).isdecimal() for code in range(low, high + 1))
