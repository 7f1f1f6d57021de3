"""Quality rules with Chinese-correct units: characters, and jieba words where words are needed.

The anchors' Gopher/C4/FineWeb rules count space-separated words and ASCII sentence ends, so on
Chinese text a whole article is "one word" and no line "ends in punctuation". Here words come
from rjieba, punctuation includes 。！？…, and the thresholds start from those real Chinese
corpora used: FineWeb-2's ``cmn_Hani`` filter set and ChineseWebText's rules (numbers and tuning
in docs/filters.md). Every rule is a score; the decision names the first rule that failed, its
score and its threshold.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from pydantic import Field

from taoyu.document import Document
from taoyu.jit import kernel
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict
from taoyu.text import chars
from taoyu.text.chars import char_flags, codes
from taoyu.text.tokens import tokens_of

_PROSE_ONLY = frozenset({"stop_words", "mean_line_chars"})
# Tuned on clean Chinese news, law, documentation and extracted web text (docs/filters.md):
# FineWeb-2's cmn_Hani values (in the comments) drop 10-15% of clean law text and short news items
# whose title is repeated in the body. The tuned values sit at the clean sources' 99.5th percentile.
_DUP_NGRAM_THRESHOLDS = {5: 0.45, 6: 0.44, 7: 0.43, 8: 0.42, 9: 0.41, 10: 0.40}  # 0.198 … 0.127
_TOP_NGRAM_THRESHOLDS = {2: 0.40, 3: 0.36, 4: 0.33}  # 0.256, 0.201, 0.171
_HASH_BASE = np.uint64(1_000_003)
_SLOT_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads polynomial hashes over slots


class QualityParams(StepParams):
    """The thresholds of the quality rules: FineWeb-2's and ChineseWebText's published values, or tuned
    ones with the reason beside them, so every drop traces to a rule someone can argue with."""

    min_chars: int = Field(50, ge=0)
    """Non-space characters. ChineseWebText used 200, which drops 10% of clean news items."""
    min_han_ratio: float = Field(0.20, ge=0, le=1)
    """Han characters among the non-space characters of the prose (ChineseWebText: 0.30 of the
    whole text; 0.30 of the prose still drops 3% of Chinese technical pages, 0.20 drops 0.3%)."""
    min_mean_line_chars: float = Field(10, ge=0)
    """ChineseWebText: mean non-empty line length at least 10 characters."""
    max_dup_line_frac: float = Field(0.40, ge=0, le=1)
    """Share of lines that repeat an earlier line (FineWeb-2 cmn_Hani: 0.287)."""
    min_dup_line_chars: int = Field(5, ge=1)
    """Shorter lines (table cells, "是", "1") are structure, not repetition, and are not counted."""
    max_top_ngram_share: dict[int, float] = Field(default_factory=lambda: dict(_TOP_NGRAM_THRESHOLDS))
    """Characters covered by the most frequent word 2/3/4-gram (FineWeb-2 cmn_Hani: 0.256/0.201/0.171)."""
    max_dup_ngram_share: dict[int, float] = Field(default_factory=lambda: dict(_DUP_NGRAM_THRESHOLDS))
    """Characters covered by repeated word 5..10-grams (FineWeb-2 cmn_Hani: 0.198 … 0.127)."""
    min_line_punct_ratio: float = Field(0.05, ge=0, le=1)
    """Share of prose lines ending in punctuation (Chinese or ASCII) or holding a Chinese sentence
    mark (FineWeb-2 cmn_Hani: 0.106, final marks only). Release notes and parameter references
    fall between 0.05 and 0.106; menus and keyword lists sit at 0."""
    mean_word_chars: tuple[float, float] = (1.0, 5.0)
    """FineWeb-2 cmn_Hani: mean jieba word length in characters."""
    min_stop_words: int = Field(2, ge=0)
    """FineWeb-2 cmn_Hani: at least two stop-words (的, 了, 是…)."""
    stop_words_min_words: int = Field(80, ge=0)
    """The stop-word rule applies from this many words: a news brief of four sentences (50–80 words)
    can lack 的, 了 and 是 altogether (a match report's numbers and names; one such page of
    magic_html_bench was dropped at 50), while a keyword list runs longer."""
    dup_ngram_min_words: int = Field(100, ge=0)
    """The repeated word n-gram rules apply from this many words: in a photo brief of 90 words, one
    caption printed under three pictures is already 46% repeated 5-grams, and is no evidence of a
    page that repeats itself (what the rules are for)."""
    max_char13_repeat: float = Field(0.5, ge=0, le=1)
    """ChineseWebText: characters covered by repeated character 13-grams."""
    verse_share: float = Field(0.6, gt=0, le=1)
    """Text at least this much classical verse is not held to the stop-word and line-length rules:
    a 五言 poem has 5-character lines and no 的 or 了, and is not a menu or a keyword list."""
    max_words: int = Field(20000, ge=100)
    """Word rules look at this many words from the start: repetition shows early, long pages cost."""


@register("quality")
class Quality(Filter):
    """Chinese-correct quality rules from FineWeb-2 cmn_Hani and ChineseWebText (length, Han, repetition)."""

    Params = QualityParams
    params: QualityParams

    def score(self, doc: Document) -> Mapping[str, float]:
        """Every rule's score over the page's Chinese prose (``quality_scores``), so the code and tables of a
        technical page do not fail rules written for prose."""
        return quality_scores(doc.text, self.params)

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        """Drop on the first rule broken, naming it with its score and threshold. Verse skips the
        prose-only rules and short texts the stop-word rule, since neither can meet them however good."""
        p = self.params
        low = [
            ("chars", p.min_chars),
            ("han_ratio", p.min_han_ratio),
            ("mean_line_chars", p.min_mean_line_chars),
            ("line_punct_ratio", p.min_line_punct_ratio),
            ("stop_words", p.min_stop_words),
            ("mean_word_chars", p.mean_word_chars[0]),
        ]
        verse = scores["verse_share"] >= p.verse_share
        for key, minimum in low:
            if verse and key in _PROSE_ONLY:
                continue
            if key == "stop_words" and scores["words"] < p.stop_words_min_words:
                continue
            if scores[key] < minimum:
                return Verdict.drop(f"quality:{key}", scores[key], minimum)
        rules = _rules(p)
        short = scores["words"] < p.dup_ngram_min_words
        for key, maximum in rules.high:
            if short and key in rules.dup_ngram_keys:  # (dup_line_frac and the top n-gram shares stay)
                continue
            if scores.get(key, 0.0) > maximum:  # dup shares for larger n are absent when they cannot fail
                return Verdict.drop(f"quality:{key}", scores[key], maximum)
        return Verdict.ok()


def quality_scores(text: str, p: QualityParams | None = None) -> dict[str, float]:
    """Every rule's score. All but ``chars`` look at the prose: the lines with Han characters.

    A Chinese technical page carries code, tables and command output that are not Chinese prose;
    judged as a whole, 70% of TiDB's Chinese documentation fails ChineseWebText's Han ratio and
    FineWeb-2's punctuation and repetition rules for its config listings. Language ID has already
    decided the page is Chinese; these rules judge its Chinese.
    """
    p = p or QualityParams()
    points = codes(text)
    prose, starts, ends, punctuated, final, verse, compact, han = _prose_lines(points, char_flags())
    non_space, line_chars, punctuated_lines, final_chars, verse_chars = _totals(
        points, starts, ends, punctuated, final, verse
    )
    n_lines = len(prose)
    spans = zip(starts.tolist(), ends.tolist(), strict=True)
    long_lines = [text[a:b] for a, b in spans if b - a >= p.min_dup_line_chars]
    scores: dict[str, float] = {
        "chars": float(non_space),
        "han_ratio": han / len(compact) if len(compact) else 0.0,
        "mean_line_chars": line_chars / n_lines if n_lines else 0.0,
        "dup_line_frac": (len(long_lines) - len(set(long_lines))) / len(long_lines) if long_lines else 0.0,
        "line_punct_ratio": punctuated_lines / n_lines if n_lines else 0.0,
        "char13_repeat": _repeat_share(compact, 13),
    }
    page = tokens_of(text)
    rules = _rules(p).ngrams
    words, stop_words, han_words, han_chars, top, dup = _prose_word_scores(
        page.word,
        page.line,
        prose,
        text.count("\n") + 2,
        page.punct,
        page.han_word,
        page.stop,
        page.length,
        p.max_words,
        rules.is_top,
        rules.limit,
    )
    scores["words"] = float(words)
    scores["stop_words"] = float(stop_words)
    # Over lines ending in punctuation: a poem's title and author lines are not verse, nor prose.
    scores["verse_share"] = verse_chars / final_chars if final_chars else 0.0
    scores["mean_word_chars"] = han_chars / han_words if han_words else 0.0
    scores.update(_ngram_shares(top, dup, rules, words))
    return {k: round(v, 4) for k, v in scores.items()}


@kernel
def _prose_lines(
    codes: np.ndarray, flags: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The prose lines (lines with a Han character) of a page given as code points.

    Per prose line: its index, the span of its stripped text, whether it is punctuated (ends in a
    mark, or holds a Chinese sentence mark inside: FineWeb's final-mark rule misses Chinese list
    items and key-value lines such as "默认值：ON，可选 OFF", while menus and keyword lists have no
    marks at all), whether it ends in a mark, and whether it is verse (every clause at most 7
    characters: 五言, 七言, 词 lines). Also the prose without spaces, and its Han characters.

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid.
    """
    n = len(codes)
    n_lines = 1
    for c in codes:
        n_lines += c == 10
    index = np.empty(n_lines, np.int64)
    starts = np.empty(n_lines, np.int64)
    ends = np.empty(n_lines, np.int64)
    punctuated = np.empty(n_lines, np.bool_)
    final = np.empty(n_lines, np.bool_)
    verse = np.empty(n_lines, np.bool_)
    compact = np.empty(n, np.uint64)
    found, n_compact, han_total = 0, 0, 0
    line, begin = 0, 0
    for stop in range(n + 1):
        if stop < n and codes[stop] != 10:
            continue
        han = 0
        for i in range(begin, stop):
            han += (flags[codes[i]] & chars.HAN) != 0
        if han:
            a, b = begin, stop
            while a < b and flags[codes[a]] & chars.SPACE:
                a += 1
            while b > a and flags[codes[b - 1]] & chars.SPACE:
                b -= 1
            inner, clause, longest, clauses = False, 0, 0, 0
            for i in range(a, b):
                c = codes[i]
                f = flags[c]
                if not f & chars.SPACE:
                    compact[n_compact] = c
                    n_compact += 1
                inner = inner or (f & chars.INNER_MARK) != 0
                if f & (chars.CLAUSE_END | chars.SPACE):
                    clause = 0
                else:
                    if clause == 0:
                        clauses += 1
                    clause += 1
                    longest = max(longest, clause)
            last = codes[b - 1]
            ends_in_mark = (flags[last] & chars.LINE_END) != 0
            index[found], starts[found], ends[found] = line, a, b
            punctuated[found] = ends_in_mark or inner
            final[found] = ends_in_mark
            verse[found] = clauses >= 1 and longest <= 7
            found += 1
            han_total += han
        line += 1
        begin = stop + 1
    return (
        index[:found],
        starts[:found],
        ends[:found],
        punctuated[:found],
        final[:found],
        verse[:found],
        compact[:n_compact],
        han_total,
    )


@kernel
def _totals(
    points: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    punctuated: np.ndarray,
    final: np.ndarray,
    verse: np.ndarray,
) -> tuple[int, int, int, int, int]:
    """Sums over the page and its prose lines (``_prose_lines``): non-space characters (as
    ``non_space_chars`` counts them), the lines' characters, punctuated lines, and the characters
    of lines ending in a mark and of those that are also verse."""
    non_space = 0
    for c in points:
        non_space += not (c == 32 or c == 10 or c == 9 or c == 13 or c == 0x3000)
    line_chars = punctuated_lines = final_chars = verse_chars = 0
    for i in range(len(starts)):
        n = ends[i] - starts[i]
        line_chars += n
        punctuated_lines += punctuated[i]
        if final[i]:
            final_chars += n
            if verse[i]:
                verse_chars += n
    return non_space, line_chars, punctuated_lines, final_chars, verse_chars


@kernel
def _repeat_share(codes: np.ndarray, n: int) -> float:
    """Share of items inside an n-gram that occurs earlier (ChineseWebText's repeated 13-grams)."""
    if len(codes) < 2 * n:
        return 0.0
    return _repeat_coverage(_ngram_hashes(codes, n), n, len(codes)) / len(codes)


@kernel
def _ngram_hashes(items: np.ndarray, n: int) -> np.ndarray:
    """A polynomial hash of every n-gram of ``items`` (uint64, wrapping), one per start position.

    Rolled from one n-gram to the next (drop the first item's term, shift, add the new item):
    arithmetic modulo 2^64 is a ring, so each value equals the n-gram hashed on its own.
    """
    m = len(items) - n + 1
    out = np.zeros(max(m, 0), np.uint64)
    if m <= 0:
        return out
    top = np.uint64(1)  # _HASH_BASE ** (n - 1): the first item's weight
    h = np.uint64(0)
    for k in range(n):
        h = h * _HASH_BASE + items[k]
        if k:
            top *= _HASH_BASE
    out[0] = h
    for i in range(1, m):
        h = (h - items[i - 1] * top) * _HASH_BASE + items[i + n - 1]
        out[i] = h
    return out


@kernel
def _first_occurrence(hashes: np.ndarray) -> np.ndarray:
    """For each position, the first position holding the same hash (itself if none earlier)."""
    m = len(hashes)
    size = 2
    while size < 2 * m:
        size <<= 1
    mask = np.uint64(size - 1)
    slots = np.full(size, -1, np.int64)
    first = np.empty(m, np.int64)
    for i in range(m):
        h = hashes[i]
        j = ((h * _SLOT_MIX) >> np.uint64(32)) & mask
        while slots[j] >= 0 and hashes[slots[j]] != h:
            j = (j + np.uint64(1)) & mask
        if slots[j] < 0:
            slots[j] = i
        first[i] = slots[j]
    return first


@kernel
def _repeat_coverage(hashes: np.ndarray, n: int, length: int, weights: np.ndarray | None = None) -> float:
    """Items (of ``length``) covered by an n-gram that occurs earlier, summed by ``weights`` if given."""
    first = _first_occurrence(hashes)
    covered_until = 0
    total = 0.0
    for i in range(length):
        if i < len(hashes) and first[i] != i:
            covered_until = i + n
        if i < covered_until:
            total += 1.0 if weights is None else weights[i]
    return total


def _word_ngram_scores(
    word_ids: np.ndarray, lengths: np.ndarray, top_ns: set[int], dup_limits: dict[int, float]
) -> dict[str, float]:
    """Gopher-style repetition on words: top n-gram character share and duplicated n-gram share.

    N-grams are hashed (a polynomial hash over word ids) and counted in one compiled pass per n,
    so the whole family of n = 2..10 costs no Python loop per n-gram. A repeated n-gram's
    words are counted once even where repeats overlap, as in datatrove's Gopher filter.

    Repeated-n-gram coverage can only shrink as n grows (a repeated 8-gram is made of repeated
    5-grams), so once the smallest n's share is under every larger n's limit, the larger n cannot
    fail and are not computed: they are absent from the scores. That skips most of the work on
    ordinary text.
    """
    rules = _ngram_limits(frozenset(top_ns), frozenset(dup_limits.items()))
    words = word_ids.astype(np.uint64) + np.uint64(1)  # so 0 never stands for a word
    top, dup = _word_ngram_kernel(words, lengths.astype(np.int64), rules.is_top, rules.limit)
    return _ngram_shares(top, dup, rules, len(word_ids))


class _NgramRules(NamedTuple):
    is_top: np.ndarray  # by n: whether the top n-gram share is a rule
    limit: np.ndarray  # by n: the duplicated n-gram share's limit (NaN: none)
    top_keys: tuple[tuple[int, str], ...]  # (n, score name), n ascending
    dup_keys: tuple[tuple[int, str], ...]


@functools.lru_cache(maxsize=16)
def _ngram_limits(top_ns: frozenset[int], dup_limits: frozenset[tuple[int, float]]) -> _NgramRules:
    """The n-gram rules as arrays by n, and the names of their scores."""
    largest = max(top_ns | {n for n, _ in dup_limits})
    is_top = np.zeros(largest + 1, np.bool_)
    is_top[list(top_ns)] = True
    limit = np.full(largest + 1, np.nan)
    for n, v in dup_limits:
        limit[n] = v
    top_keys = tuple((n, f"top_{n}gram_share") for n in sorted(top_ns))
    dup_keys = tuple((n, f"dup_{n}gram_share") for n in sorted(n for n, _ in dup_limits))
    return _NgramRules(is_top, limit, top_keys, dup_keys)


def _ngram_shares(top: np.ndarray, dup: np.ndarray, rules: _NgramRules, words: int) -> dict[str, float]:
    if words < 2:
        return {key: 0.0 for _, key in rules.top_keys}
    tops, dups = top.tolist(), dup.tolist()  # Python floats: numpy scalars cost a microsecond a question
    out = {key: tops[n] for n, key in rules.top_keys}
    out.update({key: dups[n] for n, key in rules.dup_keys if dups[n] == dups[n]})  # NaN: not computed
    return out


class _Rules(NamedTuple):
    ngrams: _NgramRules
    high: list[tuple[str, float]]  # (score, maximum) in the order decide() tries them
    dup_ngram_keys: frozenset[str]  # the repeated n-gram rules' scores (dup_5gram_share…)


_RULES: dict[int, tuple[QualityParams, _Rules]] = {}


def _rules(p: QualityParams) -> _Rules:
    """What ``p``'s n-gram rules and upper limits are, worked out once per params object (they
    are frozen), not once per page."""
    entry = _RULES.get(id(p))
    if entry is None or entry[0] is not p:
        if len(_RULES) > 64:
            _RULES.clear()
        ngrams = _ngram_limits(frozenset(p.max_top_ngram_share), frozenset(p.max_dup_ngram_share.items()))
        high = [
            ("mean_word_chars", p.mean_word_chars[1]),
            ("dup_line_frac", p.max_dup_line_frac),
            ("char13_repeat", p.max_char13_repeat),
            *((key, p.max_top_ngram_share[n]) for n, key in ngrams.top_keys),
            *((key, p.max_dup_ngram_share[n]) for n, key in ngrams.dup_keys),
        ]
        dup_keys = frozenset(key for _, key in ngrams.dup_keys)
        entry = _RULES[id(p)] = (p, _Rules(ngrams, high, dup_keys))
    return entry[1]


@kernel
def _prose_word_scores(
    word: np.ndarray,
    token_line: np.ndarray,
    prose: np.ndarray,
    n_lines: int,
    punct: np.ndarray,
    han_word: np.ndarray,
    stop: np.ndarray,
    length: np.ndarray,
    max_words: int,
    is_top: np.ndarray,
    limit: np.ndarray,
) -> tuple[int, int, int, int, np.ndarray, np.ndarray]:
    """The word rules over the first ``max_words`` words of the prose lines: words, stop-words,
    Han words and their characters, and the n-gram shares (as ``_word_ngram_kernel``)."""
    is_prose = np.zeros(n_lines, np.bool_)
    is_prose[prose] = True
    words = np.empty(min(len(word), max_words), np.uint64)
    lengths = np.empty(len(words), np.int64)
    n = stop_words = han_words = han_chars = 0
    for t in range(len(word)):
        if not is_prose[token_line[t]] or punct[t]:
            continue
        if n == len(words):
            break
        words[n] = word[t]
        lengths[n] = length[t]
        n += 1
        if han_word[t]:
            han_words += 1
            han_chars += length[t]
            stop_words += stop[t]
    if n < 2:
        return n, stop_words, han_words, han_chars, np.zeros(len(is_top)), np.full(len(is_top), np.nan)
    top, dup = _word_ngram_kernel(words[:n], lengths[:n], is_top, limit)
    return n, stop_words, han_words, han_chars, top, dup


@kernel
def _word_ngram_kernel(
    words: np.ndarray, lengths: np.ndarray, is_top: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Top and duplicated n-gram shares by n; a duplicated share left NaN was not needed."""
    largest = len(is_top) - 1
    top = np.zeros(largest + 1)
    dup = np.full(largest + 1, np.nan)
    dup_on = ~np.isnan(limit)
    total = float(lengths.sum())
    cum = np.zeros(len(words) + 1, np.int64)
    cum[1:] = np.cumsum(lengths)
    hashes = np.zeros(len(words), np.uint64)
    for n in range(1, largest + 1):
        m = len(words) - n + 1
        if m <= 0:
            break
        hashes = hashes[:m] * _HASH_BASE + words[n - 1 : n - 1 + m]  # the (n-1)-gram's hash, extended
        if is_top[n]:
            first = _first_occurrence(hashes)
            count = np.zeros(m, np.int64)
            for i in range(m):
                count[first[i]] += 1
            best = 0
            for i in range(1, m):  # the most frequent n-gram; on a tie, the first to occur
                if count[i] > count[best]:
                    best = i
            if count[best] > 1:
                top[n] = float(count[best]) * float(cum[best + n] - cum[best]) / total
        if dup_on[n]:
            share = _repeat_coverage(hashes, n, len(words), lengths.astype(np.float64)) / total
            dup[n] = share
            # Coverage only shrinks as n grows: under every larger n's limit, those cannot fail.
            if share <= np.nanmin(limit[n:]):
                dup_on[n + 1 :] = False
                if n >= _last_true(is_top):
                    break
    return top, dup


@kernel
def _last_true(flags: np.ndarray) -> int:
    for i in range(len(flags) - 1, -1, -1):
        if flags[i]:
            return i
    return 0
