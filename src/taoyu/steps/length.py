"""Drop documents too short to carry content, or too long to be a real page."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict


class LengthParams(StepParams):
    """The bounds on a document's non-space characters: ``min_chars`` drops fragments with nothing to learn
    from, ``max_chars`` (off by default) drops dumps too long to be a real page."""

    min_chars: int = Field(50, ge=0)
    max_chars: int | None = Field(None, ge=1)


@register("length_filter")
class LengthFilter(Filter):
    """Keep documents whose non-space character count lies in [min_chars, max_chars]."""

    Params = LengthParams
    params: LengthParams

    def score(self, doc: Document) -> Mapping[str, float]:
        """Non-space characters: a length that means the same for Chinese and English, layout aside."""
        return {"chars": float(non_space_chars(doc.text))}

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        """Drop below ``min_chars`` or above ``max_chars``, naming which bound was crossed; kept documents
        record the count they passed with."""
        chars = scores["chars"]
        if chars < self.params.min_chars:
            return Verdict.drop("too_short", chars, self.params.min_chars)
        if self.params.max_chars is not None and chars > self.params.max_chars:
            return Verdict.drop("too_long", chars, self.params.max_chars)
        return Verdict.ok(chars, self.params.min_chars)


def non_space_chars(text: str) -> int:
    """Characters, not words: the length unit that means the same thing for Chinese and English."""
    return len(text) - sum(text.count(c) for c in " \n\t\r\u3000")
