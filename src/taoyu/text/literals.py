"""Which of several word lists occur in a text, found in one compiled pass over it.

Steps ask a page many such questions before they run their patterns: chrome_lines whether any
disclaimer, counter, navigation, widget or app-prompt word is there, PII whether any context word
(QQ, 微信, 护照…) is. Python's ``re`` answers each with a scan of its own, 3-5 µs a page for a
literal alternation; one pass answers all of them. Words are grouped by their first character,
and a character that starts no word (most Han characters) costs one table lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from taoyu.jit import kernel
from taoyu.text.chars import codes


class WordLists:
    """Named word lists; ``present(text)`` says which have a word in ``text`` (as substrings)."""

    def __init__(self, lists: Mapping[str, Iterable[str]]) -> None:
        self.names = tuple(lists)
        if len(self.names) > 62:
            raise ValueError("at most 62 word lists: their answers share one int64 bit mask")
        masks: dict[str, int] = {}
        for bit, name in enumerate(self.names):
            for word in lists[name]:
                if not word:
                    raise ValueError(f"{name}: an empty word matches everywhere")
                if ord(word[0]) > 0xFFFF:
                    raise ValueError(f"{name}: {word!r} starts outside the Basic Multilingual Plane")
                masks[word] = masks.get(word, 0) | (1 << bit)
        words = sorted(masks, key=lambda w: (w[0], w))  # grouped by first character
        self._first = np.zeros(0x10000, np.int32)  # first character → 1 + index of its group
        self._group_start = np.zeros(len(words) + 1, np.int64)
        self._group_end = np.zeros(len(words) + 1, np.int64)
        groups = 0
        for k, word in enumerate(words):
            c = ord(word[0])
            if not self._first[c]:
                groups += 1
                self._first[c] = groups
                self._group_start[groups] = k
            self._group_end[groups] = k + 1
        self._chars, self._word_start = word_table(words)
        self._word_mask = np.array([masks[w] for w in words], np.int64)
        self._all = (1 << len(self.names)) - 1

    def present_in(self, points: np.ndarray) -> dict[str, bool]:
        """For each list, whether one of its words occurs in ``points`` (a text's code points)."""
        found = _present(
            points,
            self._first,
            self._group_start,
            self._group_end,
            self._chars,
            self._word_start,
            self._word_mask,
            self._all,
        )
        return {name: bool(found >> bit & 1) for bit, name in enumerate(self.names)}

    def present(self, text: str) -> dict[str, bool]:
        return self.present_in(codes(text))

    def find_all(self, text: str) -> list[tuple[int, int]]:
        """Spans of the words of any list in ``text``, as ``re.finditer`` over one alternation of
        them, longest first, finds them: at each place the longest word, and none overlap."""
        return self.find_all_in(codes(text))

    def find_all_in(self, points: np.ndarray) -> list[tuple[int, int]]:
        """:meth:`find_all` in ``points`` (a text's code points)."""
        spans = _find_all(
            points, self._first, self._group_start, self._group_end, self._chars, self._word_start
        )
        return list(map(tuple, spans.tolist()))


def word_table(words: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Words as the compiled loops read them: their code points end to end, and where each starts
    (word ``w`` is ``chars[starts[w]:starts[w + 1]]``)."""
    words = list(words)
    chars = codes("".join(words)).astype(np.int64)
    return chars, np.concatenate([[0], np.cumsum([len(w) for w in words])]).astype(np.int64)


@kernel
def word_at(points: np.ndarray, i: int, chars: np.ndarray, a: int, b: int) -> bool:
    """Whether the word ``chars[a:b]`` of a :func:`word_table` (its first character already
    matched) starts at ``i`` of ``points``."""
    if i + b - a > len(points):
        return False
    for k in range(1, b - a):  # noqa: SIM110 (numba compiles a loop; not all() over a generator)
        if points[i + k] != chars[a + k]:
            return False
    return True


@kernel
def _present(
    points: np.ndarray,
    first: np.ndarray,
    group_start: np.ndarray,
    group_end: np.ndarray,
    chars: np.ndarray,
    word_start: np.ndarray,
    word_mask: np.ndarray,
    everything: int,
) -> int:
    """The bit mask of the lists with a word starting somewhere in ``points``; stops once all are found."""
    found = 0
    n = len(points)
    for i in range(n):
        c = points[i]
        if c > 0xFFFF or first[c] == 0:
            continue
        g = first[c]
        for w in range(group_start[g], group_end[g]):
            if found & word_mask[w] == word_mask[w]:
                continue  # its lists are already found
            if word_at(points, i, chars, word_start[w], word_start[w + 1]):
                found |= word_mask[w]
                if found == everything:
                    return found
    return found


@kernel
def _find_all(
    points: np.ndarray,
    first: np.ndarray,
    group_start: np.ndarray,
    group_end: np.ndarray,
    chars: np.ndarray,
    word_start: np.ndarray,
) -> np.ndarray:
    """(start, end) of each leftmost-longest word match, scanning on from each match's end."""
    n = len(points)
    out = np.empty((n, 2), np.int64)
    found = 0
    i = 0
    while i < n:
        c = points[i]
        longest = 0
        if c <= 0xFFFF and first[c] != 0:
            g = first[c]
            for w in range(group_start[g], group_end[g]):
                a, b = word_start[w], word_start[w + 1]
                if b - a > longest and word_at(points, i, chars, a, b):
                    longest = b - a
        if longest:
            out[found, 0] = i
            out[found, 1] = i + longest
            found += 1
            i += longest
        else:
            i += 1
    return out[:found]
