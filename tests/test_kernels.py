"""The compiled filter kernels (taoyu.jit) against plain-Python statements of the same rules.

Each kernel replaced numpy or regex code whose meaning is easy to state and slow to run. The
references below state that meaning directly (strings, dicts, ``re``), and hypothesis looks for
text on which the two disagree.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
import rjieba
from hypothesis import example, given, settings
from hypothesis import strategies as st

from taoyu.safety.offensive import (
    HashSpec,
    OffensiveModel,
    _codepoints,
    _mark,
    hashed_ngrams,
    linear_scores,
    sigmoid,
)
from taoyu.steps.length import non_space_chars
from taoyu.steps.quality import (
    QualityParams,
    _prose_lines,
    _repeat_share,
    _totals,
    _word_ngram_scores,
    quality_scores,
)
from taoyu.text.chars import char_flags
from taoyu.text.generic_words import GENERIC_WORDS
from taoyu.text.sentences import sentence_links
from taoyu.text.stop_words import STOP_WORDS
from taoyu.text.tokens import END, NEWLINE, SPACE, WORD, classify, content_ids

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

# Text that exercises the rules: Han, Latin, digits, Chinese and ASCII marks, full-width forms,
# many kinds of space (strip and \s agree on all of them), newlines and a combining mark.
ALPHABET = st.sampled_from(
    list("春眠不觉晓处闻啼鸟夜来风雨声花落知多少杭州西湖龙井茶")
    + list("abcXY09")
    + list("，。！？；：、…,.!?;:」）】》~～")
    + list("ＡＢ１２：")
    + [" ", "\t", "\u3000", "\xa0", "\u2003", "\u200b", "\r", "\n", "\n", "\u0301", "㐀", "豈"]
)
TEXT = st.text(ALPHABET, max_size=120)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LINE_END = frozenset('。！？!?…；;：:.」』”"）)】》~～')
_CLAUSE = re.compile("[，,、；;：:。！？!?…\\s]+")


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_prose_lines_match_the_line_rules_stated_with_strings(text: str) -> None:
    index, starts, ends, punctuated, final, verse, compact, han = _prose_lines(_codes(text), char_flags())
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines) if _HAN.search(line)]
    stripped = [lines[i].strip() for i in prose]
    assert index.tolist() == prose
    assert [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)] == stripped
    assert punctuated.tolist() == [s[-1] in _LINE_END or bool(re.search("[，。；！？]", s)) for s in stripped]
    assert final.tolist() == [s[-1] in _LINE_END for s in stripped]
    clauses = [[c for c in _CLAUSE.split(s) if c] for s in stripped]
    assert verse.tolist() == [bool(c) and all(len(x) <= 7 for x in c) for c in clauses]
    joined = "".join(re.sub(r"\s", "", s) for s in stripped)
    assert compact.tolist() == [ord(c) for c in joined]
    assert han == len(_HAN.findall(joined))
    ended = [s for s in stripped if s[-1] in _LINE_END]
    assert _totals(_codes(text), starts, ends, punctuated, final, verse) == (
        non_space_chars(text),
        sum(map(len, stripped)),
        int(punctuated.sum()),
        sum(map(len, ended)),
        sum(len(s) for s, v in zip(stripped, verse.tolist(), strict=True) if v and s[-1] in _LINE_END),
    )


def _covered_share(items: list, n: int, weights: list[int] | None = None) -> float:
    """Share (by weight) of items inside an n-gram that occurred earlier: the rule, with tuples."""
    weights = weights or [1] * len(items)
    seen, covered = set(), [False] * len(items)
    for i in range(len(items) - n + 1):
        gram = tuple(items[i : i + n])
        if gram in seen:
            covered[i : i + n] = [True] * n
        seen.add(gram)
    return sum(w for w, c in zip(weights, covered, strict=True) if c) / sum(weights)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("甲乙丙丁戊"), max_size=80))
def test_repeated_character_ngrams_are_the_ones_seen_before(text: str) -> None:
    for n in (2, 3, 13):
        expected = _covered_share(list(text), n) if len(text) >= 2 * n else 0.0
        assert _repeat_share(_codes(text).astype(np.uint64), n) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), max_size=60),
    st.lists(st.integers(1, 4), min_size=60, max_size=60),
)
def test_word_ngram_shares_follow_the_gopher_rules(words: list[int], lengths: list[int]) -> None:
    lengths = lengths[: len(words)]
    limits = {5: 0.45, 6: 0.44, 7: 0.43, 8: 0.42, 9: 0.41, 10: 0.40}
    got = _word_ngram_scores(np.array(words, np.int64), np.array(lengths, np.int64), {2, 3, 4}, limits)
    if len(words) < 2:
        assert got == {"top_2gram_share": 0.0, "top_3gram_share": 0.0, "top_4gram_share": 0.0}
        return
    total = sum(lengths)
    for n in (2, 3, 4):
        grams: dict[tuple, list[int]] = {}
        for i in range(len(words) - n + 1):
            grams.setdefault(tuple(words[i : i + n]), []).append(i)
        best = max((len(v) for v in grams.values()), default=0)
        # Ties are broken by hash; any of the most frequent n-grams is a right answer.
        allowed = {
            best * sum(lengths[v[0] : v[0] + n]) / total for v in grams.values() if len(v) == best > 1
        } or {0.0}
        assert got[f"top_{n}gram_share"] in allowed
    for n in limits:
        key = f"dup_{n}gram_share"
        if key in got:
            assert got[key] == _covered_share(words, n, lengths)
        elif len(words) >= n:  # skipped only because a smaller n already showed it cannot fail
            smaller = max(k for k in limits if k < n and f"dup_{k}gram_share" in got)
            assert got[f"dup_{smaller}gram_share"] <= min(limits[k] for k in limits if k >= n)


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_offensive_scores_equal_the_sparse_rows_training_uses(texts: list[str]) -> None:
    model = OffensiveModel.load()
    rows = hashed_ngrams(texts, model.spec)
    expected = sigmoid(linear_scores(rows, model.weights, model.bias))
    assert np.array_equal(model.predict_proba(texts), expected)


def test_texts_shorter_than_every_ngram_order_hash_to_nothing() -> None:
    # With markers, "" is two characters: no 3-gram or 5-gram fits.
    rows = hashed_ngrams(["", "a"], HashSpec(orders=(5,), bits=12))
    assert rows.rows.tolist() == [] and rows.scale.tolist() == [1.0, 1.0]


def _links_by_hand(text: str, title: str, window: int) -> tuple[list[int], list[bool]]:
    """(Han characters, linked) per sentence, following sentence_links' definitions with lists."""
    page = classify(text, rjieba.cut(text))
    kinds = page.kind.tolist()
    sentences: list[list[int]] = [[]]  # token positions
    for k, kind in enumerate(kinds):
        if kind in (WORD, END):
            sentences[-1].append(k)
        if kind in (END, NEWLINE):
            sentences.append([])
        elif kind == SPACE:
            before = next((j for j in range(k - 1, -1, -1) if kinds[j] != SPACE), None)
            after = next((j for j in range(k + 1, len(kinds)) if kinds[j] != SPACE), None)
            seam = before is not None and after is not None
            if seam and page.seam_before[before] and page.seam_after[after]:
                sentences.append([])
    sentences = [s for s in sentences if s]
    words = [{int(page.content[t]) for t in s if page.content[t] >= 0} for s in sentences]
    title_words = {int(w) for w in content_ids(title)} if title else set()

    def gap(i: int, w: int, step: int) -> int:
        """Sentences from i to the nearest one before (step -1) or after (+1) that holds w."""
        j = i + step
        while 0 <= j < len(words) and w not in words[j]:
            j += step
        return abs(j - i) if 0 <= j < len(words) else window + 1

    linked = [
        any(min(gap(i, w, -1), gap(i, w, 1)) <= window for w in mine) or bool(mine & title_words)
        for i, mine in enumerate(words)
    ]
    return [int(sum(page.han[t] for t in s)) for s in sentences], linked


def _token_by_hand(tok: str) -> dict:
    """A token's properties, stated with ``str`` methods and ``re`` (the classifier's reference)."""
    if tok == "\n":
        kind = NEWLINE
    elif tok.isspace():
        kind = SPACE
    elif tok[-1] in "。！？!?；;…":
        kind = END
    else:
        kind = WORD
    content = None
    if kind == WORD and len(tok) >= 2 and tok not in GENERIC_WORDS:
        if re.match("[\u4e00-\u9fff]", tok):
            content = tok
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9]{2,}", tok):
            content = tok.lower()
    return {
        "kind": kind,
        "length": len(tok),
        "han": len(_HAN.findall(tok)),
        "punct": bool(re.match(r"^[\s\W_]+$", tok)),
        "han_word": bool(re.match("[\u4e00-\u9fff]", tok)),
        "stop": tok in STOP_WORDS,
        "content": content,
        "clause": tok[-1] in "，,、；;：:。！？!?…",
        "seam_before": bool(re.search("[\u4e00-\u9fff”」』）)]$", tok)),
        "seam_after": bool(re.match("^[\u4e00-\u9fff“「『（(]", tok)),
    }


TOKEN = st.one_of(
    st.sampled_from(sorted(STOP_WORDS)[:20] + sorted(GENERIC_WORDS)[:20]),
    st.sampled_from(["Python", "python", "PYTHON", "ab", "a1", "Ab1", "1ab"]),
    st.sampled_from(
        ["\n", " ", "\u3000", "。", "！", "…", "，", "”", "（", "_", "a_b", "x1y", "中\n", "𠀀", "😀"]
    ),
    st.text(ALPHABET, min_size=1, max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKEN, max_size=25))
def test_token_classes_match_their_definitions(tokens: list[str]) -> None:
    page = classify("".join(tokens), tokens)
    lines = 0
    for k, tok in enumerate(tokens):
        expected = _token_by_hand(tok)
        lines += expected["kind"] == NEWLINE
        for name in (
            "kind",
            "length",
            "han",
            "punct",
            "han_word",
            "stop",
            "clause",
            "seam_before",
            "seam_after",
        ):
            assert getattr(page, name)[k] == expected[name], (name, tok)
        assert page.line[k] == lines
        assert (page.content[k] >= 0) == (expected["content"] is not None), tok
        for j, other in enumerate(tokens[:k]):
            assert (page.word[j] == page.word[k]) == (other == tok)
            if expected["content"] is not None and page.content[j] >= 0:
                same = _token_by_hand(other)["content"] == expected["content"]
                assert (page.content[j] == page.content[k]) == same, (other, tok)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["杭州西湖", "龙井茶", "人工智能", "今天下雨", "春眠不觉晓", "。", "，", " ", "\n", "产业", "abc"]
        ),
        max_size=30,
    ),
    st.sampled_from(["", "杭州", "龙井茶上市"]),
)
def test_sentence_links_follow_their_definition(pieces: list[str], title: str) -> None:
    text = "".join(pieces)
    links = sentence_links(text, title, window=2)
    chars, linked = _links_by_hand(text, title, window=2)
    assert links.chars == chars
    assert links.linked == linked


def test_quality_scores_agree_with_the_rules_on_a_small_page() -> None:
    page = "春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。\nmenu | home\n夜来风雨声，花落知多少。"
    scores = quality_scores(page, QualityParams())
    assert scores["mean_line_chars"] == 12.0
    assert scores["dup_line_frac"] == round(1 / 3, 4)
    assert scores["verse_share"] == 1.0
    assert scores["han_ratio"] == round(30 / 36, 4)


def test_text_with_lone_surrogates_is_segmented_not_refused() -> None:
    from taoyu.text.tokens import cut

    text = "杭州\ud800西湖龙井茶\udfff。"
    tokens = cut(text)
    assert "".join(tokens) == text and len(tokens) > 2
    assert quality_scores(text * 10)["han_ratio"] > 0.5  # no step needs normalize to run first


# What can go wrong folding one character at a time: combining marks (and full-width letters
# under them), Hangul jamo that compose, Σ and İ, multi-character folds, astral characters.
_FOLD_PIECES = (
    "中文 ＡＢ Ab ，。 e\u0301 ｅ\u0301 \u0301 \u1100\u1161 \u1161 \u11a8 \u314f ΣΑΣ σ İ ﬁ ½ ㈱ é "
    "\u0344 \u0f73 😀 \U0001d400 \U00011127 \U00011131 \ud800 \u2126 \u212b ß \u0b47\u0b3e ᄀ 가 "
    "…… ℃ Ⅲ \ufe30 \ufdfa ㍱ \u2474 Ǆ"
)
FOLD_PIECES = st.sampled_from([*_FOLD_PIECES.split(), " ", "\u3000", "\t"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(FOLD_PIECES | st.characters(), max_size=6).map("".join), min_size=1, max_size=4))
@example(["ΣΑΣ", "ｅ\u0301", "\u1100\u1161", "……℃", "İ"])  # each needs the rule that covers it
def test_folding_a_character_at_a_time_equals_nfkc_then_lower(texts: list[str]) -> None:
    # The reference: the library's NFKC and lower() on each text, then the markers pass.
    cps, lengths = _codepoints(texts)
    expected = [_mark(_codes(unicodedata.normalize("NFKC", t).lower()), char_flags(), -1) for t in texts]
    assert cps.tolist() == [c for e in expected for c in e[0].tolist()]
    assert lengths.tolist() == [int(e[1][0]) for e in expected]
