"""The quality model's statistics (taoyu.hq.features), computed in one compiled pass, against the
rules stated in plain Python: the same numbers to the last bit, on generated and written texts."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from taoyu.hq import features as hq
from taoyu.text import chars

pytestmark = pytest.mark.usefixtures("compiled_kernels")


def stated(text: str) -> list[float]:
    """Each statistic as its rule says, in plain Python: lines are ``text.split("\\n")`` stripped,
    empty ones dropped; counts are ``str`` methods and membership tests."""
    n = len(text)
    if n == 0:
        return [0.0] * len(hq.NAMES)
    spaces = sum(ch.isspace() for ch in text)
    visible = max(n - spaces, 1)
    han = sum(bool(chars.char_flags()[ord(ch)] & chars.HAN) for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    digits = sum(ch.isdecimal() for ch in text)
    sentence_marks = sum(ch in chars.SENTENCE_ENDS for ch in text)
    clause_marks = sum(ch in chars.CLAUSE_ENDS for ch in text)
    lines = [line for line in (raw.strip() for raw in text.split("\n")) if line]
    n_lines = max(len(lines), 1)
    pairs = [(ord(a) * 1_000_003 + ord(b)) & 4095 for a, b in itertools.pairwise(text)]
    top = max((pairs.count(p) for p in set(pairs)), default=0) / (n - 1) if n > 1 else 0.0

    def rate(count: int) -> float:
        return 1000.0 * count / visible

    def share(count: int) -> float:
        return count / n_lines

    return [
        math.log1p(min(n, 800)),
        han / visible,
        latin / visible,
        digits / visible,
        spaces / n,
        rate(sentence_marks),
        rate(clause_marks),
        share(sum(line[-1] in chars.LINE_ENDS for line in lines)),
        math.log1p(sum(map(len, lines)) / n_lines),
        share(sum(len(line) < 12 for line in lines)) if lines else 1.0,
        math.log1p(visible / max(sentence_marks, 1)),
        1.0 - len(set(lines)) / n_lines if lines else 0.0,
        len(set(text[:4000])) / min(n, 4000),
        top,
        rate(sum(ch in "的了是在和也就都而及与着把被这那有为以之其但所" for ch in text)),
        share(sum(line.startswith(hq._LIST_MARKERS) for line in lines)),
        rate(sum(ch in "|｜/»›→" for ch in text)),  # ">" is markup's: the later class wins
        rate(sum(text.count(token) for token in hq._LINK_TOKENS)),
        rate(sum(ch in "【】[]「」『』" for ch in text)),
        rate(text.count("…") + text.count("...")),
        rate(sum(ch in "？?" for ch in text)),
        rate(sum(ch in "！!" for ch in text)),
        rate(sum(ch in "<>{}" for ch in text) + text.count('="')),
        math.log(len(set(text[:4000]))) / math.log(min(n, 4000)) if n > 1 else 1.0,
    ]


PIECES = st.sampled_from(
    [
        "杭州", "的", "了", "。", "，", "！", "？", "!", "?", "…", ".", "...", "<div>", "{", '="', "|", "/",
        "»", "\n", " ", "\t", "\u3000", "\u2028", "\x85", "• ", "· ", "- ", "* ", "1.", "2.", "3.", "（一）",
        "一、", "二、", "http://", "www.", ".com", ".cn", ".html", "点击", "下载", "登录", "注册", "abc",
        "XYZ", "0123", "٣", "\ud800", "😀", "【", "」", "”", "）", "～",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=120).map("".join))
@example("")
@example("\n\n")
@example("同一行。\n同一行。\n  同一行。 \n不同的一行")
@example("....... ... ..")
@example("wwww.x.com/a.htmll 点击点击下载")
def test_the_compiled_statistics_are_the_stated_rules(text: str) -> None:
    assert hq.features(text).tolist() == stated(text)


def test_lines_told_apart_by_their_text_not_their_hash() -> None:
    """Distinct lines are counted by comparing the lines that share a hash: lines whose hashes
    collide (every hash made the same below) are still told apart by their text."""
    points = chars.codes("甲乙\n甲丙\n甲乙\n丁")
    starts, ends = np.array([0, 3, 6, 9]), np.array([2, 5, 8, 10])
    real = hq._span_hashes(points, starts, ends)
    assert len(set(real.tolist())) == 3
    assert hq._distinct_spans(points, starts, ends, real) == 3
    assert hq._distinct_spans(points, starts, ends, np.zeros(4, np.uint64)) == 3
    assert hq._distinct_spans(points, starts[[0, 2]], ends[[0, 2]], np.zeros(2, np.uint64)) == 1
