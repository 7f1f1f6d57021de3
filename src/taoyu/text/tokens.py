"""A page's jieba tokens as arrays of token properties, classified in one compiled pass.

The spam and quality steps ask many small questions of every token: is it a sentence end, a
content word, a stop-word, how many Han characters does it hold. Each token is answered from its
own characters, by one compiled loop over the page's code points and the token lengths
(:mod:`taoyu.jit`). There is no vocabulary: a table of every token ever seen cost a dict lookup
per token (as much as segmenting the page) and grew to hundreds of MB per worker on a long run.
Words are told apart by 63-bit hashes of their characters, which only ever meet to be compared
for equality (sentence links, repeated n-grams).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import rjieba

from taoyu.jit import kernel
from taoyu.text import chars
from taoyu.text.chars import char_flags, codes
from taoyu.text.generic_words import GENERIC_WORDS
from taoyu.text.recent import RecentPages
from taoyu.text.script import fold
from taoyu.text.stop_words import STOP_WORDS

WORD, SPACE, END, NEWLINE = 0, 1, 2, 3

_SURROGATE = re.compile("[\ud800-\udfff]")
_MIN_CONTENT_LATIN = 3  # Latin content words: a letter, then letters or digits, 3+ in all


@dataclass(slots=True)
class Tokens:
    """One page's tokens, one entry per token in every array."""

    kind: np.ndarray  # WORD, SPACE, END or NEWLINE (all fields int64 but ``word``; flags are 0/1)
    length: np.ndarray  # characters
    han: np.ndarray  # Han characters
    punct: np.ndarray  # punctuation or space only: not a word
    han_word: np.ndarray  # starts with a CJK unified ideograph
    stop: np.ndarray  # a stop-word
    content: np.ndarray  # the content word's hash (Han, or Latin case-folded), -1 if not one
    clause: np.ndarray  # ends a clause
    seam_before: np.ndarray  # ends in a CJK character or a closing mark
    seam_after: np.ndarray  # starts with a CJK character or an opening mark
    word: np.ndarray  # the token's hash, uint64: equal tokens, equal hashes
    line: np.ndarray  # the line the token is on (a newline token starts the next one)


class WordSet(NamedTuple):
    """A fixed set of words (stop-words, generic words) as a hash table the kernel can probe.

    Kernels are called with the arrays, not the tuple: numba types a tuple argument afresh on
    every call (3 µs a call for two sets, twice what classifying a title costs), an array in
    a fraction of that.
    """

    slots: np.ndarray  # word index + 1 per slot, 0 for empty
    hashes: np.ndarray  # the hash of each word
    chars: np.ndarray  # every word's code points, one after another
    start: np.ndarray  # where each word's code points begin (one more entry: the end)

    @classmethod
    def of(cls, words: frozenset[str]) -> WordSet:
        ordered = sorted(words)
        points = codes("".join(ordered))
        start = np.concatenate([[0], np.cumsum([len(w) for w in ordered])]).astype(np.int64)
        hashes = np.array([hash_span(points, start[i], len(w), 0) for i, w in enumerate(ordered)], np.uint64)
        size = 1 << max(4, (4 * len(ordered) - 1).bit_length())
        slots = np.zeros(size, np.int64)
        for i, h in enumerate(hashes.tolist()):
            j = h & (size - 1)
            while slots[j]:
                j = (j + 1) & (size - 1)
            slots[j] = i + 1
        return cls(slots, hashes, points, start)


@functools.cache
def _word_sets() -> tuple[WordSet, WordSet]:
    return WordSet.of(STOP_WORDS), WordSet.of(GENERIC_WORDS)


def classify(text: str, tokens: list[str]) -> Tokens:
    """Properties of each token of ``tokens``, a segmentation of ``text``."""
    rows = _rows(text, tokens)
    return Tokens(*rows[:10], rows[10].view(np.uint64), rows[11])


def _rows(text: str, tokens: list[str]) -> np.ndarray:
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    if int(lengths.sum()) != len(text):  # jieba partitions its input; never trust it blindly
        text = "".join(tokens)
    stop, generic = _word_sets()
    return _classify(codes(text), lengths, char_flags(), *stop, *generic)


@kernel
def hash_span(codes: np.ndarray, start: int, n: int, fold: int) -> np.uint64:
    """FNV-1a over ``n`` code points from ``start`` (ASCII upper case folded if ``fold``), mixed:
    the hash the compiled loops group words and lines by."""
    h = np.uint64(0xCBF29CE484222325)
    for k in range(start, start + n):
        c = codes[k]
        if fold and 65 <= c <= 90:
            c += 32
        h = (h ^ np.uint64(c)) * np.uint64(0x100000001B3)
    h ^= h >> np.uint64(31)
    h *= np.uint64(0x9E3779B97F4A7C15)
    return h ^ (h >> np.uint64(29))


@kernel
def _in_set(codes: np.ndarray, start: int, n: int, h: np.uint64, words: WordSet) -> bool:
    mask = np.uint64(len(words.slots) - 1)
    j = h & mask
    while words.slots[j]:
        i = words.slots[j] - 1
        a = words.start[i]
        if words.hashes[i] == h and words.start[i + 1] - a == n:
            same = True
            for k in range(n):
                if words.chars[a + k] != codes[start + k]:
                    same = False
                    break
            if same:
                return True
        j = (j + np.uint64(1)) & mask
    return False


@kernel
def _classify(
    codes: np.ndarray,
    lengths: np.ndarray,
    flags: np.ndarray,
    stop_slots: np.ndarray,
    stop_hashes: np.ndarray,
    stop_chars: np.ndarray,
    stop_start: np.ndarray,
    generic_slots: np.ndarray,
    generic_hashes: np.ndarray,
    generic_chars: np.ndarray,
    generic_start: np.ndarray,
) -> np.ndarray:
    """The Tokens fields as the rows of one int64 matrix (one array to hand back, not twelve).

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid."""
    stop_words = WordSet(stop_slots, stop_hashes, stop_chars, stop_start)
    generic = WordSet(generic_slots, generic_hashes, generic_chars, generic_start)
    m = len(lengths)
    out = np.zeros((12, m), np.int64)
    kind, length, han, punct, han_word, stop = out[0], out[1], out[2], out[3], out[4], out[5]
    content, clause, seam_before, seam_after, word, line = out[6], out[7], out[8], out[9], out[10], out[11]
    length[:] = lengths
    content[:] = -1
    lines = 0
    pos = 0
    for t in range(m):
        n = lengths[t]
        if n == 0:
            line[t] = lines
            continue
        first, last = flags[codes[pos]], flags[codes[pos + n - 1]]
        all_space, all_punct, latin = True, True, True
        for k in range(pos, pos + n):
            f = flags[codes[k]]
            han[t] += (f & chars.HAN) != 0
            all_space = all_space and (f & chars.SPACE) != 0
            all_punct = all_punct and ((f & chars.SPACE) != 0 or (f & chars.ALNUM) == 0)
            if k == pos:
                latin = latin and (f & chars.ASCII_ALPHA) != 0
            else:
                latin = latin and (f & (chars.ASCII_ALPHA | chars.ASCII_DIGIT)) != 0
        if n == 1 and codes[pos] == 10:
            kind[t] = NEWLINE
            lines += 1
        elif all_space:
            kind[t] = SPACE
        elif last & chars.SENTENCE_END:
            kind[t] = END
        line[t] = lines
        h = hash_span(codes, pos, n, 0)
        word[t] = np.int64(h)  # the bits of the hash; read back as uint64
        punct[t] = all_punct
        han_word[t] = (first & chars.HAN_START) != 0
        stop[t] = _in_set(codes, pos, n, h, stop_words)
        if kind[t] == WORD and n >= 2 and not _in_set(codes, pos, n, h, generic):
            if first & chars.HAN_START:
                content[t] = np.int64(h >> np.uint64(1))
            elif latin and n >= _MIN_CONTENT_LATIN:
                content[t] = np.int64(hash_span(codes, pos, n, 1) >> np.uint64(1))
        clause[t] = (last & chars.CLAUSE_END) != 0
        # As a regex's "$" would have it: a final newline is looked past.
        before_newline = flags[codes[pos + n - 2]] if n >= 2 and codes[pos + n - 1] == 10 else 0
        seam_before[t] = ((last | before_newline) & chars.CLOSES) != 0
        seam_after[t] = (first & chars.OPENS) != 0
        pos += n
    return out


_recent: RecentPages[Tokens] = RecentPages()


def tokens_of(text: str) -> Tokens:
    """The page's tokens, segmented once: recent pages are remembered (``RecentPages``), so the
    spam and quality steps share one segmentation of every page the spam step leaves unchanged."""
    return _recent.get(text, _segment)


def _segment(text: str) -> Tokens:
    # Segmented and classified as Simplified (one character for one, so every token keeps its
    # place): the dictionary, the stop words and the generic words are Simplified, and a
    # Traditional page cut into single characters would share fewer words between sentences.
    text = fold(text)
    return classify(text, cut(text))


def cut(text: str) -> list[str]:
    """rjieba's words of ``text``, which they partition. rjieba refuses lone surrogates (they have
    no UTF-8); each is segmented as U+FFFD, one character for one, and handed back as it was."""
    try:
        return rjieba.cut(text)
    except UnicodeEncodeError:
        return pieces_of(text, rjieba.cut(_SURROGATE.sub("\ufffd", text)))


def pieces_of(text: str, tokens: list[str]) -> list[str]:
    """``text`` cut where ``tokens`` (of another text of the same length: the text with surrogates
    replaced, or folded to Simplified) are cut: the same lengths, the text's own characters."""
    out, pos = [], 0
    for token in tokens:
        out.append(text[pos : pos + len(token)])
        pos += len(token)
    return out


def content_ids(text: str) -> np.ndarray:
    """Distinct content-word hashes of a short text (a title), sorted."""
    text = fold(text)  # as pages are (see _segment)
    content = _rows(text, cut(text))[6]  # Tokens.content, without building the other fields
    # A title has a handful: sorting them in Python beats np.unique's fixed cost.
    return np.array(sorted(set(content[content >= 0].tolist())), np.int64)
