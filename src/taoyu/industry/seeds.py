"""Weak labels from seed words: which of a taxonomy's labels a text's own words point to.

A text is given a label when it uses at least two different seed words of that label, and the
label's seed matches outnumber the next label's by ``margin`` to one. Most texts get none: weak
labels are only for texts that say plainly what they are about, and the model learns the rest of
the vocabulary from them (:mod:`taoyu.industry.train`).

Matching is on the text folded to Simplified and lower-cased, longest seed first, so "房贷利率"
counts once (as itself) rather than also as "房贷" and "利率". A Latin seed (``AI``, ``5G``) must
not touch other letters or digits: "AI" is not in "MAIL".

Counting is a compiled walk of a trie of the seeds from each position, the longest match taken
and the walk resumed after it: what the regular expression of every seed, longest first, finds
(it is kept for :meth:`SeedMatcher.masked`, and the tests hold the two equal). The expression
reads a 1,000-character text in ~10 ms when thousands of seeds are alternatives; the walk in a
few microseconds, so that the labeller can weigh a text's seed words (:mod:`taoyu.industry.model`)
at thousands of documents a second.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from taoyu.industry.taxonomy import Taxonomy
from taoyu.jit import kernel
from taoyu.text.script import fold


@dataclass(frozen=True)
class SeedCounts:
    """Seed matches per label: all matches, and distinct seeds matched."""

    hits: np.ndarray
    distinct: np.ndarray


class SeedMatcher:
    """Counts a taxonomy's seed words in texts."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        owners: dict[str, set[int]] = {}
        for i, label in enumerate(taxonomy.labels):
            for seed in label.seeds:
                owners.setdefault(fold(seed).lower(), set()).add(i)
        # A seed two labels share says nothing about which of them a text is about.
        self._owner = {seed: next(iter(ls)) for seed, ls in owners.items() if len(ls) == 1}
        self.shared = sorted(seed for seed, ls in owners.items() if len(ls) > 1)
        parts = []
        for seed in sorted(self._owner, key=len, reverse=True):
            escaped = re.escape(seed)
            if seed.isascii():
                escaped = rf"(?<![a-z0-9]){escaped}(?![a-z0-9])"
            parts.append(escaped)
        self._parts = parts
        self._trie = _SeedTrie(self._owner)

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """Every seed, longest first (compiled when first needed: half a second for thousands)."""
        return re.compile("|".join(self._parts)) if self._parts else None

    def counts(self, text: str) -> SeedCounts:
        """Seed matches of each label in ``text``: every match, and the distinct seeds matched."""
        hits, distinct = self.counts_of([text])
        return SeedCounts(hits[0], distinct[0])

    def counts_of(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`counts` of many texts at once, a row a text (matches, distinct seeds): one
        compiled walk over them all."""
        k = len(self.taxonomy.labels)
        if not self._owner or not texts:
            return np.zeros((len(texts), k), np.int64), np.zeros((len(texts), k), np.int64)
        folded = [fold(text).lower() for text in texts]
        bounds = np.zeros(len(folded) + 1, np.int64)
        np.cumsum([len(text) for text in folded], out=bounds[1:])
        codes = np.frombuffer("".join(folded).encode("utf-32-le", "surrogatepass"), np.uint32)
        return _count_seeds(codes, bounds, *self._trie.arrays, k)  # type: ignore[no-any-return]

    def counts_by_expression(self, text: str) -> SeedCounts:
        """:meth:`counts` as the regular expression finds them: the definition the walk keeps to
        (tests compare the two), slow on long texts."""
        k = len(self.taxonomy.labels)
        hits, distinct = np.zeros(k, np.int64), np.zeros(k, np.int64)
        if self._pattern is None:
            return SeedCounts(hits, distinct)
        found = Counter(self._pattern.findall(fold(text).lower()))
        for seed, n in found.items():
            owner = self._owner[seed]
            hits[owner] += n
            distinct[owner] += 1
        return SeedCounts(hits, distinct)

    def masked(self, text: str) -> str:
        """``text`` (folded to Simplified, lower-cased) with every seed word cut out.

        A weak-labelled text names its label in seed words; with them cut out, the model has to
        go by the rest of its words, as it must on the many texts that use no seed word. Scores
        calibrated on such texts are not over-confident on them.
        """
        folded = fold(text).lower()
        return folded if self._pattern is None else self._pattern.sub("，", folded)

    def weak_label(self, text: str, min_distinct: int = 2, margin: float = 2.0) -> int | None:
        """The label ``text``'s seeds point to, or None when they do not point plainly to one."""
        c = self.counts(text)
        order = np.argsort(-c.hits, kind="stable")
        top = int(order[0])
        second = int(c.hits[order[1]]) if len(order) > 1 else 0
        if c.distinct[top] < min_distinct or c.hits[top] < margin * max(second, 0.5):
            return None
        return top


_FIRST_TABLE = 0x10000


class _SeedTrie:
    """The seeds as a trie in arrays, for :func:`_count_seeds`: each node's edges (their code
    points sorted, and the nodes they lead to) from ``starts[node]`` to ``starts[node + 1]``; for a
    node that ends a seed, the seed's label, whether it is Latin (it must not touch letters or
    digits), and its number (to count distinct seeds); -1 elsewhere."""

    def __init__(self, owners: dict[str, int]) -> None:
        children: list[dict[int, int]] = [{}]
        ends: dict[int, tuple[int, bool, int]] = {}
        for number, (seed, owner) in enumerate(sorted(owners.items())):
            node = 0
            for char in seed:
                node = children[node].setdefault(ord(char), len(children))
                if node == len(children):
                    children.append({})
            ends[node] = (owner, seed.isascii(), number)
        starts = np.zeros(len(children) + 1, np.int64)
        codes, targets = [], []
        for node, edges in enumerate(children):
            for code in sorted(edges):
                codes.append(code)
                targets.append(edges[code])
            starts[node + 1] = len(codes)
        owner = np.full(len(children), -1, np.int64)
        latin = np.zeros(len(children), np.bool_)
        number = np.full(len(children), -1, np.int64)
        for node, (label, is_latin, seed_number) in ends.items():
            owner[node], latin[node], number[node] = label, is_latin, seed_number
        # The root's edges by code point, for the Basic Multilingual Plane: most positions of a
        # text start no seed, and a look-up there spares bisecting thousands of first characters.
        first = np.full(_FIRST_TABLE, -1, np.int64)
        for code, target in children[0].items():
            if code < _FIRST_TABLE:
                first[code] = target
        self.arrays = (
            first,
            starts,
            np.array(codes, np.uint32),
            np.array(targets, np.int64),
            owner,
            latin,
            number,
            len(owners),
        )


@kernel
def _is_latin_word_char(code):  # type: ignore[no-untyped-def]
    """``[a-z0-9]``: what a Latin seed must not touch (the text is lower-cased)."""
    return (97 <= code <= 122) or (48 <= code <= 57)


@kernel
def _count_seeds(codes, bounds, first, starts, edge_codes, targets, owner, latin, number, seeds, k):  # type: ignore[no-untyped-def]
    """Matches and distinct seeds per label of each text (``codes[bounds[t]:bounds[t + 1]]``):
    from each position the longest seed that matches there (a Latin one only where no letter or
    digit touches it), then on after it."""
    texts = len(bounds) - 1
    hits = np.zeros((texts, k), np.int64)
    distinct = np.zeros((texts, k), np.int64)
    seen = np.full(seeds, -1, np.int64)  # the last text each seed was counted in
    for text in range(texts):
        begin, n = bounds[text], bounds[text + 1]
        i = begin
        while i < n:
            free_before = i == begin or not _is_latin_word_char(codes[i - 1])
            node = 0
            j = i
            found, found_end = -1, -1
            while j < n:
                code = codes[j]
                step = -1
                if node == 0 and code < len(first):
                    step = first[code]
                else:
                    lo, hi = starts[node], starts[node + 1]
                    while lo < hi:  # the edge for this code point, by bisection
                        mid = (lo + hi) // 2
                        if edge_codes[mid] < code:
                            lo = mid + 1
                        else:
                            hi = mid
                    if lo < starts[node + 1] and edge_codes[lo] == code:
                        step = targets[lo]
                if step < 0:
                    break
                node = step
                j += 1
                free_after = j == n or not _is_latin_word_char(codes[j])
                if owner[node] >= 0 and (not latin[node] or (free_before and free_after)):
                    found, found_end = node, j
            if found < 0:
                i += 1
                continue
            hits[text, owner[found]] += 1
            if seen[number[found]] != text:
                seen[number[found]] = text
                distinct[text, owner[found]] += 1
            i = found_end
    return hits, distinct
