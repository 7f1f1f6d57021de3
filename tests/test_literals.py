"""WordLists: one compiled pass answers what a literal alternation per list would."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.text.chars import codes
from taoyu.text.literals import WordLists

LISTS = {
    "app": ["APP", "App", "app", "打开", "扫一扫"],
    "nav": ["上一", "上一篇", "首页", "返回"],
    "single": ["顶", "踩", "©"],
    "shared": ["打开", "阅读", "读书"],  # a word in two lists marks both; words overlap
}
WORDS = WordLists(LISTS)
PIECES = st.sampled_from(
    ["APP", "Ap", "ap", "打", "开", "打开", "上", "一", "篇", "首页", "返", "顶", "©", "阅读"]
)


def _by_regex(text: str) -> dict[str, bool]:
    return {name: bool(re.search("|".join(map(re.escape, words)), text)) for name, words in LISTS.items()}


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES | st.characters(), max_size=12).map("".join))
def test_present_equals_one_regex_search_per_list(text: str) -> None:
    assert WORDS.present(text) == _by_regex(text)


def test_words_at_the_edges_and_cut_off() -> None:
    assert WORDS.present("打开") == {"app": True, "nav": False, "single": False, "shared": True}
    assert WORDS.present("正文 上一")["nav"]
    assert not any(WORDS.present("正文 上").values())
    assert not any(WORDS.present("").values())
    assert WORDS.present("\U0001f600顶\ud800")["single"]  # astral characters and lone surrogates pass by


def test_bad_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="empty word"):
        WordLists({"a": [""]})
    with pytest.raises(ValueError, match="Basic Multilingual Plane"):
        WordLists({"a": ["\U0001f600"]})


def _finditer_spans(text: str) -> list[tuple[int, int]]:
    words = sorted({w for ws in LISTS.values() for w in ws}, key=len, reverse=True)
    return [m.span() for m in re.finditer("|".join(map(re.escape, words)), text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES | st.characters(), max_size=12).map("".join))
def test_find_all_equals_finditer_over_the_alternation_longest_first(text: str) -> None:
    assert WORDS.find_all(text) == _finditer_spans(text)
    assert WORDS.find_all_in(codes(text)) == WORDS.find_all(text)


def test_find_all_takes_the_longest_word_and_moves_past_it() -> None:
    assert WORDS.find_all("上一篇上一") == [(0, 3), (3, 5)]
    assert WORDS.find_all("打开APP") == [(0, 2), (2, 5)]
    assert WORDS.find_all("阅读书") == [(0, 2)]
