"""Quality rules with Chinese-correct units: characters, and jieba words where words are needed.

The anchors' Gopher/C4/FineWeb rules count space-separated words and ASCII sentence ends, so on
Chinese text a whole article is "one word" and no line "ends in punctuation". Here words come
from rjieba, punctuation includes 。！？…, and the thresholds start from those real Chinese
corpora used: FineWeb-2's ``cmn_Hani`` filter set and ChineseWebText's rules (numbers and tuning
in docs/filters.md). Every rule is a score; the decision names the first rule that failed, its
score and its threshold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict
from taoyu.steps.length import non_space_chars
from taoyu.text.sentences import is_verse
from taoyu.text.tokens import tokens_of, vocabulary

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s")
_INNER_MARK = re.compile("[，。；！？]")
_LINE_END = frozenset("。！？!?…；;：:.」』”\"）)】》~～")
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_PROSE_ONLY = frozenset({"stop_words", "mean_line_chars"})
# Tuned on clean Chinese news, law, documentation and extracted web text (docs/filters.md):
# FineWeb-2's cmn_Hani values (in the comments) drop 10-15% of clean law text and short news items
# whose title is repeated in the body. The tuned values sit at the clean sources' 99.5th percentile.
_DUP_NGRAM_THRESHOLDS = {5: 0.45, 6: 0.44, 7: 0.43, 8: 0.42, 9: 0.41, 10: 0.40}  # 0.198 … 0.127
_TOP_NGRAM_THRESHOLDS = {2: 0.40, 3: 0.36, 4: 0.33}  # 0.256, 0.201, 0.171


class QualityParams(StepParams):
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
    stop_words_min_words: int = Field(50, ge=0)
    """The stop-word rule applies from this many words: a two-line news brief has no room for them."""
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
        return quality_scores(doc.text, self.params)

    def decide(self, scores: Mapping[str, float]) -> Verdict:
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
        high = [
            ("mean_word_chars", p.mean_word_chars[1]),
            ("dup_line_frac", p.max_dup_line_frac),
            ("char13_repeat", p.max_char13_repeat),
            *((f"top_{n}gram_share", v) for n, v in sorted(p.max_top_ngram_share.items())),
            *((f"dup_{n}gram_share", v) for n, v in sorted(p.max_dup_ngram_share.items())),
        ]
        for key, maximum in high:
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
    all_lines = text.split("\n")
    prose = [i for i, line in enumerate(all_lines) if _HAN.search(line)]
    lines = [s for s in (all_lines[i].strip() for i in prose) if s]
    compact = "".join(_SPACE.sub("", line) for line in lines)
    han = len(_HAN.findall(compact))
    long_lines = [line for line in lines if len(line) >= p.min_dup_line_chars]
    scores: dict[str, float] = {
        "chars": float(non_space_chars(text)),
        "han_ratio": han / len(compact) if compact else 0.0,
        "mean_line_chars": sum(map(len, lines)) / len(lines) if lines else 0.0,
        "dup_line_frac": (len(long_lines) - len(set(long_lines))) / len(long_lines) if long_lines else 0.0,
        "line_punct_ratio": sum(map(_punctuated, lines)) / len(lines) if lines else 0.0,
        "char13_repeat": _char_ngram_repeat(compact, 13),
    }
    vocab = vocabulary()
    page = tokens_of(text)
    is_prose = np.zeros(len(all_lines) + 1, bool)
    is_prose[prose] = True
    word_ids = page.ids[is_prose[page.line] & ~vocab.punct[page.ids]][: p.max_words]
    han_words = word_ids[vocab.han_word[word_ids]]
    scores["words"] = float(len(word_ids))
    scores["stop_words"] = float(vocab.stop[han_words].sum())
    # Over punctuated lines: a poem's title and author lines are not verse, and not prose either.
    punctuated = [line for line in lines if line[-1] in _LINE_END]
    verse_chars = sum(len(line) for line in punctuated if is_verse(line, min_clauses=1))
    scores["verse_share"] = verse_chars / sum(map(len, punctuated)) if punctuated else 0.0
    scores["mean_word_chars"] = float(vocab.length[han_words].mean()) if len(han_words) else 0.0
    scores.update(
        _word_ngram_scores(
            word_ids, vocab.length[word_ids], set(p.max_top_ngram_share), dict(p.max_dup_ngram_share)
        )
    )
    return {k: round(v, 4) for k, v in scores.items()}


def _punctuated(line: str) -> bool:
    """A line ending in punctuation, or a Chinese line with a sentence mark inside.

    FineWeb's rule asks for a final mark, which Chinese list items and key-value lines
    ("默认值：ON，可选 OFF") lack even in good documentation; menus, tag clouds and keyword lists
    have no marks at all, and that is what the rule is for.
    """
    return line[-1] in _LINE_END or bool(_INNER_MARK.search(line))


def _char_ngram_repeat(text: str, n: int) -> float:
    """Share of characters inside a character n-gram that occurs earlier in the text."""
    if len(text) < 2 * n:
        return 0.0
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    m = len(codes) - n + 1
    hashes = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            hashes = hashes * np.uint64(1_000_003) + codes[k : k + m]
    return float(_covered(_repeats(hashes), n, len(codes)).mean())


def _repeats(hashes: np.ndarray) -> np.ndarray:
    """Positions whose hash occurred at an earlier position (a stable sort keeps the first first)."""
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    later = np.empty(len(hashes), dtype=bool)
    later[0] = False
    np.not_equal(ordered[1:], ordered[:-1], out=later[1:])
    np.logical_not(later[1:], out=later[1:])
    return order[later]


def _covered(starts: np.ndarray, n: int, length: int) -> np.ndarray:
    """Mask of the items covered by n-grams starting at ``starts``."""
    if not len(starts):
        return np.zeros(length, dtype=bool)
    edges = np.bincount(starts, minlength=length + 1)[: length + 1] - np.bincount(
        starts + n, minlength=length + n + 1
    )[: length + 1]
    return np.cumsum(edges)[:length] > 0


def _word_ngram_scores(
    word_ids: np.ndarray, lengths: np.ndarray, top_ns: set[int], dup_limits: dict[int, float]
) -> dict[str, float]:
    """Gopher-style repetition on words: top n-gram character share and duplicated n-gram share.

    N-grams are hashed with numpy (a polynomial hash over word ids), so the whole family of
    n = 2..10 costs a few array passes instead of a Python loop per n-gram. A repeated n-gram's
    words are counted once even where repeats overlap, as in datatrove's Gopher filter.

    Repeated-n-gram coverage can only shrink as n grows (a repeated 8-gram is made of repeated
    5-grams), so once the smallest n's share is under every larger n's limit, the larger n cannot
    fail and are not computed: they are absent from the scores. That skips most of the work on
    ordinary text.
    """
    dup_ns = set(dup_limits)
    out = {f"top_{n}gram_share": 0.0 for n in top_ns}
    if len(word_ids) < 2:
        return out
    words = word_ids.astype(np.uint64) + np.uint64(1)  # vocabulary ids, so 0 never stands for a word
    lengths = lengths.astype(np.int64)
    total = float(lengths.sum())
    cum = np.concatenate([[0], np.cumsum(lengths)])
    hashes = np.zeros(len(words), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, max(top_ns | dup_ns) + 1):
            m = len(words) - n + 1
            if m <= 0:
                break
            hashes = hashes[:m] * np.uint64(1_000_003) + words[n - 1 : n - 1 + m]
            if n in top_ns:
                ordered = np.sort(hashes)
                starts_mask = np.empty(m, dtype=bool)
                starts_mask[0] = True
                np.not_equal(ordered[1:], ordered[:-1], out=starts_mask[1:])
                run_starts = np.flatnonzero(starts_mask)
                runs = np.diff(np.append(run_starts, m))
                top = int(np.argmax(runs))
                if runs[top] > 1:
                    first = int(np.flatnonzero(hashes == ordered[run_starts[top]])[0])
                    out[f"top_{n}gram_share"] = float(runs[top]) * float(cum[first + n] - cum[first]) / total
            if n in dup_ns:
                mask = _covered(_repeats(hashes), n, len(words))
                share = float(lengths[mask].sum()) / total
                out[f"dup_{n}gram_share"] = share
                if share <= min(v for k, v in dup_limits.items() if k >= n):
                    dup_ns = {k for k in dup_ns if k <= n}
                    if n >= max(top_ns, default=0):
                        break
    return out
