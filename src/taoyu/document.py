"""The one record type that flows through every step, and the trace it carries.

A document remembers where it came from (so any output row or ledger row can be traced back to
the exact bytes of the input) and what every step decided about it (so any decision can be
explained later without re-running the pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["keep", "drop", "edit", "error"]


@dataclass(slots=True, frozen=True)
class Source:
    """Where a record lives in the input: enough to find its bytes again."""

    file: str
    index: int
    """Position of the record within its file (line, WARC record or row number), 0-based."""
    offset: int | None = None
    """Byte offset of the record in the (decompressed, for JSONL) stream, when the format has one."""
    record_id: str | None = None
    """WARC-Record-ID, when the record came from a WARC file."""


@dataclass(slots=True)
class Event:
    """One step's decision or edit, kept on the document and copied into the ledger."""

    step: str
    action: Action
    reason: str | None = None
    score: float | None = None
    threshold: float | None = None
    details: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The event as JSON for the ledger and intermediate shards, unset fields left out for brevity."""
        out: dict[str, Any] = {"step": self.step, "action": self.action}
        for key in ("reason", "score", "threshold", "details"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """An event read back from ``as_dict`` form: intermediate shards carry the trace between phases."""
        return cls(
            step=data["step"],
            action=data["action"],
            reason=data.get("reason"),
            score=data.get("score"),
            threshold=data.get("threshold"),
            details=data.get("details"),
        )


@dataclass(slots=True)
class Document:
    """A record on its way through the pipeline.

    ``raw`` holds undecoded page bytes (with ``meta['http_charset']`` when known) until an
    extraction step turns them into ``text`` and clears it, so raw HTML never reaches the output.
    """

    id: str
    text: str
    source: Source
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    raw: bytes | None = None
    trace: list[Event] = field(default_factory=list)

    @property
    def dropped_by(self) -> Event | None:
        """The event that removed this document, if one did."""
        if self.trace and self.trace[-1].action in ("drop", "error"):
            return self.trace[-1]
        return None

    @property
    def is_dropped(self) -> bool:
        """Whether a step removed the document; runners check it to stop sending it to later steps."""
        return self.dropped_by is not None


def meta_count(meta: dict[str, Any], key: str) -> int:
    """A count a step keeps in ``meta`` (hidden tags, chrome lines), 0 when there is none.

    Input records bring their own fields into ``meta``; one that happens to share a step's key
    (a JSONL column named ``chrome_lines`` holding a list) is not a count, and the step's count
    replaces it rather than failing on it.
    """
    value = meta.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
