"""Weak labels from seed words: which of a taxonomy's labels a text's own words point to.

A text is given a label when it uses at least two different seed words of that label, and the
label's seed matches outnumber the next label's by ``margin`` to one. Most texts get none: weak
labels are only for texts that say plainly what they are about, and the model learns the rest of
the vocabulary from them (:mod:`taoyu.industry.train`).

Matching is on the text folded to Simplified and lower-cased, longest seed first, so "房贷利率"
counts once (as itself) rather than also as "房贷" and "利率". A Latin seed (``AI``, ``5G``) must
not touch other letters or digits: "AI" is not in "MAIL".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from taoyu.industry.taxonomy import Taxonomy
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
        self._pattern = re.compile("|".join(parts)) if parts else None

    def counts(self, text: str) -> SeedCounts:
        """Seed matches of each label in ``text``."""
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
