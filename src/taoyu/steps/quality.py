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
import rjieba
from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s")
_LINE_END = frozenset("。！？!?…；;：:.」』”\"）)】》~～")
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
# The most frequent function words of written Chinese: real prose cannot avoid them, lists of
# keywords, tables and spliced titles can.
STOP_WORDS = frozenset(
    """
    的 了 是 在 和 有 也 就 不 都 而 及 与 或 这 那 我 你 他 她
    它 们 我们 他们 一个 没有 对 为 以 于 将 被 把 从 向 等 但 并
    又 还 很 所 其 之 中 上 下 后 时 会 能 要 可以 已 已经 因为
    所以 如果 就是 这个 这些 通过 进行
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
_DUP_NGRAM_THRESHOLDS = {5: 0.198, 6: 0.184, 7: 0.170, 8: 0.155, 9: 0.141, 10: 0.127}
_TOP_NGRAM_THRESHOLDS = {2: 0.256, 3: 0.201, 4: 0.171}


class QualityParams(StepParams):
    min_chars: int = Field(200, ge=0)
    """ChineseWebText: at least 200 characters (non-space)."""
    min_han_ratio: float = Field(0.30, ge=0, le=1)
    """ChineseWebText: Han characters at least 30% of non-space characters."""
    min_mean_line_chars: float = Field(10, ge=0)
    """ChineseWebText: mean non-empty line length at least 10 characters."""
    max_dup_line_frac: float = Field(0.287, ge=0, le=1)
    """FineWeb-2 cmn_Hani: share of lines that repeat an earlier line."""
    max_top_ngram_share: dict[int, float] = Field(default_factory=lambda: dict(_TOP_NGRAM_THRESHOLDS))
    """FineWeb-2 cmn_Hani: characters covered by the most frequent word 2/3/4-gram."""
    max_dup_ngram_share: dict[int, float] = Field(default_factory=lambda: dict(_DUP_NGRAM_THRESHOLDS))
    """FineWeb-2 cmn_Hani: characters covered by repeated word 5..10-grams."""
    min_line_punct_ratio: float = Field(0.106, ge=0, le=1)
    """FineWeb-2 cmn_Hani: share of lines ending in punctuation (Chinese or ASCII)."""
    mean_word_chars: tuple[float, float] = (1.0, 5.0)
    """FineWeb-2 cmn_Hani: mean jieba word length in characters."""
    min_stop_words: int = Field(2, ge=0)
    """FineWeb-2 cmn_Hani: at least two stop-words (的, 了, 是…)."""
    max_char13_repeat: float = Field(0.5, ge=0, le=1)
    """ChineseWebText: characters covered by repeated character 13-grams."""
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
        for key, minimum in low:
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
            if scores[key] > maximum:
                return Verdict.drop(f"quality:{key}", scores[key], maximum)
        return Verdict.ok()


def quality_scores(text: str, p: QualityParams | None = None) -> dict[str, float]:
    p = p or QualityParams()
    compact = _SPACE.sub("", text)
    n_chars = len(compact)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    scores: dict[str, float] = {
        "chars": float(n_chars),
        "han_ratio": len(_HAN.findall(compact)) / n_chars if n_chars else 0.0,
        "mean_line_chars": sum(map(len, lines)) / len(lines) if lines else 0.0,
        "dup_line_frac": (len(lines) - len(set(lines))) / len(lines) if lines else 0.0,
        "line_punct_ratio": sum(line[-1] in _LINE_END for line in lines) / len(lines) if lines else 0.0,
        "char13_repeat": _char_ngram_repeat(compact, 13),
    }
    words = [w for w in rjieba.cut(text[: p.max_words * 4]) if not _PUNCT_OR_SPACE.match(w)][: p.max_words]
    scores["stop_words"] = float(sum(w in STOP_WORDS for w in words))
    scores["mean_word_chars"] = sum(map(len, words)) / len(words) if words else 0.0
    scores.update(_word_ngram_scores(words, set(p.max_top_ngram_share), set(p.max_dup_ngram_share)))
    return {k: round(v, 4) for k, v in scores.items()}


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


def _word_ngram_scores(words: list[str], top_ns: set[int], dup_ns: set[int]) -> dict[str, float]:
    """Gopher-style repetition on words: top n-gram character share and duplicated n-gram share.

    N-grams are hashed with numpy (a polynomial hash over word ids), so the whole family of
    n = 2..10 costs a few array passes instead of a Python loop per n-gram. A repeated n-gram's
    words are counted once even where repeats overlap, as in datatrove's Gopher filter.
    """
    out = {f"top_{n}gram_share": 0.0 for n in top_ns} | {f"dup_{n}gram_share": 0.0 for n in dup_ns}
    if len(words) < 2:
        return out
    # Python's string hash is salted per process, which is harmless here: ids only need to agree
    # within one document, and a 64-bit collision is not a practical concern.
    word_ids = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    total = float(lengths.sum())
    cum = np.concatenate([[0], np.cumsum(lengths)])
    hashes = np.zeros(len(words), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, max(top_ns | dup_ns) + 1):
            m = len(words) - n + 1
            if m <= 0:
                break
            hashes = hashes[:m] * np.uint64(1_000_003) + word_ids[n - 1 : n - 1 + m]
            if n in top_ns:
                ordered = np.sort(hashes)
                run_starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
                runs = np.diff(np.r_[run_starts, m])
                top = int(np.argmax(runs))
                if runs[top] > 1:
                    first = int(np.flatnonzero(hashes == ordered[run_starts[top]])[0])
                    out[f"top_{n}gram_share"] = runs[top] * float(cum[first + n] - cum[first]) / total
            if n in dup_ns:
                mask = _covered(_repeats(hashes), n, len(words))
                out[f"dup_{n}gram_share"] = float(lengths[mask].sum()) / total
    return out
