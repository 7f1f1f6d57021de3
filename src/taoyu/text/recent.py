"""What was computed for the last pages, kept for the next step that asks about the same page.

Runners take a batch of pages through each step in turn (``steps.base.step_batches``), so the spam
step's segmentation is asked for again by the quality step a batch later, and the lexicon's
anchor scan by the safety step. The memory is bounded by characters, not pages: one 5 MB page
must not hold hundreds of MB of token arrays alive. A page that no longer fits is simply
computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class RecentPages(Generic[V]):
    """A value per page text, the oldest forgotten first beyond ``max_chars`` characters of pages."""

    def __init__(self, max_chars: int = 1_000_000) -> None:
        self.max_chars = max_chars
        self._values: dict[str, V] = {}
        self._chars = 0

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        value = self._values.get(text)
        if value is None:
            value = compute(text)
            if len(text) <= self.max_chars:
                while self._values and self._chars + len(text) > self.max_chars:
                    oldest = next(iter(self._values))  # dicts keep insertion order
                    self._chars -= len(oldest)
                    del self._values[oldest]
                self._values[text] = value
                self._chars += len(text)
        return value

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, text: object) -> bool:
        return text in self._values
