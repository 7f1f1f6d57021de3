"""What a labeller reads of a document: the Han characters, pairs of characters and Latin words of
its title and opening, as hash buckets.

Why characters and pairs, not segmented words: an industry is named by its vocabulary (股市,
楼盘, 高考), and Chinese compounds share characters with their field's other words: a new
compound (猪价, 房企, 考公) shares its characters with its label's seed words even when no
segmenter has seen it. On the evaluation titles, characters and pairs alone scored as well as
words and characters together (bench/industry.py), at a quarter of the cost: segmenting a page
cost more than everything else the labeller does. Latin words (iPhone, NBA, 5G) are read whole,
case-folded. The text is folded to Simplified first (:func:`taoyu.text.script.fold`), so a
Traditional page reads as the Simplified one does.

Why only the opening: what a page is about is settled in its title and first paragraphs, and the
cost grows with the text. ``max_chars`` bounds the cost per page.

Features say whether a gram is present, not how often (a lone character counts 0.5, a pair or a
Latin word 1: ``UNIGRAM_VALUE``), and each text's vector has unit L2 norm, so a long page does not
score higher for being long.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from taoyu.jit import kernel
from taoyu.text.chars import codes
from taoyu.text.script import fold

DEFAULT_BITS = 17
"""Hash buckets: 2^17 = 131,072, enough that the features of a taxonomy's texts rarely share one."""
DEFAULT_MAX_CHARS = 1000
UNIGRAM_VALUE = 0.5
"""A lone character's feature value, against 1 for a pair or a Latin word. Characters generalise
(a title's new compound shares them with its label's seed words) but each is shared by many
fields (资 is in 投资 and 物资): at full value they outvoted the pairs, which say more."""


@dataclass(frozen=True)
class Features:
    """A batch of texts as sparse binary rows: each row's distinct buckets, and its L2 scale."""

    indptr: np.ndarray  # int64, row i's buckets are cols[indptr[i]:indptr[i + 1]]
    cols: np.ndarray  # int64 bucket ids
    vals: np.ndarray  # float64, each bucket's value (UNIGRAM_VALUE for a lone character, else 1)
    scale: np.ndarray  # float64 per row: 1/L2 norm of its values

    @property
    def n_rows(self) -> int:
        return len(self.scale)

    def take(self, rows: np.ndarray) -> Features:
        """The rows ``rows`` of the batch, in that order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.repeat(starts - indptr[:-1], lengths) + np.arange(int(indptr[-1]))
        return Features(indptr, self.cols[take], self.vals[take], self.scale[rows])


def head_of(text: str, title: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The part of a document that is read: its title (when the text does not start with it) and
    its first ``max_chars`` characters, cut at a line end when one is near."""
    head = text[:max_chars]
    if len(text) > max_chars:
        cut = head.rfind("\n", max_chars // 2)
        if cut > 0:
            head = head[:cut]
    if title and title.strip() and not text.startswith(title.strip()[:20]):
        head = f"{title}\n{head}"
    return head


def buckets(text: str, bits: int = DEFAULT_BITS) -> tuple[np.ndarray, np.ndarray]:
    """The distinct, sorted buckets of ``text``'s features and their values (all of ``text``: cut
    pages with ``head_of``). A bucket that holds a pair and a lone character has the pair's value."""
    grams, unigram = _grams(codes(fold(text)), bits)
    order = np.lexsort((unigram, grams))  # by bucket, a pair's entry before a character's
    grams, unigram = grams[order], unigram[order]
    first = np.ones(len(grams), bool)
    first[1:] = grams[1:] != grams[:-1]
    return grams[first], np.where(unigram[first], UNIGRAM_VALUE, 1.0)


@kernel
def _mix(h: np.uint64, mask: np.uint64) -> np.int64:
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return np.int64(h & mask)


@kernel
def _grams(points: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Buckets (and whether each is a lone character) of each Han character, each pair of adjacent
    Han characters, and each Latin word (a run of ASCII letters and digits holding a letter, two or
    more long, case-folded)."""
    mask = np.uint64((1 << bits) - 1)
    out = np.empty(2 * len(points) + 1, np.int64)
    unigram = np.zeros(2 * len(points) + 1, np.bool_)
    n = 0
    prev = np.uint64(0)  # the previous character when it was Han, else 0
    word = np.uint64(0xCBF29CE484222325)  # the Latin word being read, as a running FNV-1a hash
    word_len, has_letter = 0, False
    for i in range(len(points) + 1):
        p = points[i] if i < len(points) else 0
        lower = p + 32 if 65 <= p <= 90 else p
        if 97 <= lower <= 122 or 48 <= lower <= 57:
            word = (word ^ np.uint64(lower)) * np.uint64(0x100000001B3)
            word_len += 1
            has_letter = has_letter or lower >= 97
            prev = np.uint64(0)
            continue
        if word_len >= 2 and has_letter:
            out[n] = _mix(word ^ np.uint64(0x5BD1E995), mask)
            n += 1
        word, word_len, has_letter = np.uint64(0xCBF29CE484222325), 0, False
        if not 0x4E00 <= p <= 0x9FFF:
            prev = np.uint64(0)
            continue
        c = np.uint64(p)
        out[n] = _mix(c * np.uint64(0x9E3779B97F4A7C15), mask)
        unigram[n] = True
        n += 1
        if prev:
            out[n] = _mix(((prev << np.uint64(21)) | c) * np.uint64(0xC2B2AE3D27D4EB4F), mask)
            n += 1
        prev = c
    return out[:n], unigram[:n]


def featurize(texts: Sequence[str], bits: int = DEFAULT_BITS) -> Features:
    """Sparse rows of ``texts`` (each read whole: cut pages with ``head_of`` first)."""
    parts = [buckets(text, bits) for text in texts]
    lengths = np.fromiter((len(c) for c, _ in parts), np.int64, count=len(parts))
    indptr = np.zeros(len(parts) + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if not parts:
        return Features(indptr, np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    cols = np.concatenate([c for c, _ in parts]).astype(np.int64)
    vals = np.concatenate([v for _, v in parts])
    rows = np.repeat(np.arange(len(parts)), lengths)
    norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=len(parts)))
    norms[lengths == 0] = 1.0
    return Features(indptr, cols, vals, 1.0 / norms)
