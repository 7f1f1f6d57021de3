"""Union-find over verified duplicate pairs, and a deterministic keeper per cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np


class UnionFind:
    """Disjoint sets over 0..n-1, with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = np.arange(n, dtype=np.int64)
        self.size = np.ones(n, dtype=np.int64)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def clusters(n: int, pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Members of every cluster with more than one document, keyed by an arbitrary root."""
    uf = UnionFind(n)
    touched: set[int] = set()
    for a, b in pairs:
        uf.union(a, b)
        touched.update((a, b))
    groups: dict[int, list[int]] = {}
    for x in sorted(touched):
        groups.setdefault(uf.find(x), []).append(x)
    return {root: members for root, members in groups.items() if len(members) > 1}


def choose_keeper(members: list[int], sort_key: Callable[[int], tuple]) -> int:
    """The member with the smallest sort key: rules express 'best' as smallest, ids break ties."""
    return min(members, key=sort_key)
