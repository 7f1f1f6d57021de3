"""The ledger: one row per input record, saying what became of it and why.

It is what makes the corpus auditable: every record read is either kept, dropped by a named
step for a stated reason (with the score and threshold behind the decision), or an input error
with its file and offset. The funnel reconciles exactly, and ``taoyu stats`` checks that it does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from taoyu.document import Document, Source
from taoyu.io.base import InputError
from taoyu.io.writers import json_dumps

KEPT, DROPPED, INPUT_ERROR = "kept", "dropped", "input_error"

LEDGER_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_file", pa.string()),
        ("source_index", pa.int64()),
        ("source_offset", pa.int64()),
        ("warc_record_id", pa.string()),
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("outcome", pa.string()),
        ("step", pa.string()),
        ("reason", pa.string()),
        ("score", pa.float64()),
        ("threshold", pa.float64()),
        ("details", pa.string()),
        ("trace", pa.string()),
    ]
)


def content_hash(text: str) -> str:
    """A fast 128-bit hash of the text as it left the steps, so a replay can tell whether the source or
    the steps changed since. Lone surrogates pass: a broken page must not fail its ledger row."""
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8", "surrogatepass"))


def _source_columns(source: Source) -> dict[str, Any]:
    return {
        "source_file": source.file,
        "source_index": source.index,
        "source_offset": source.offset,
        "warc_record_id": source.record_id,
    }


def document_entry(doc: Document) -> dict[str, Any]:
    """The ledger row for a document at the end of its journey (kept, or dropped by its last event)."""
    final = doc.dropped_by
    row: dict[str, Any] = {
        "doc_id": doc.id,
        **_source_columns(doc.source),
        "url": doc.url,
        "content_hash": content_hash(doc.text),
    }
    if final is None:
        row.update(outcome=KEPT, step=None, reason=None, score=None, threshold=None, details=None)
    else:
        row.update(
            outcome=DROPPED if final.action == "drop" else INPUT_ERROR,
            step=final.step,
            reason=final.reason,
            score=final.score,
            threshold=final.threshold,
            details=json_dumps(final.details) if final.details else None,
        )
    row["trace"] = json_dumps([e.as_dict() for e in doc.trace]) if doc.trace else None
    return row


def error_entry(error: InputError, step: str = "read") -> dict[str, Any]:
    """The ledger row of a record that could not be read: no document, but its file and offset, so the
    funnel still counts it and someone can go and look."""
    return {
        "doc_id": None,
        **_source_columns(error.source),
        "url": None,
        "content_hash": None,
        "outcome": INPUT_ERROR,
        "step": step,
        "reason": error.message,
        "score": None,
        "threshold": None,
        "details": None,
        "trace": None,
    }


@dataclass
class Funnel:
    """How many records came in and what became of them, by step and reason: the numbers stats.json, the
    card and ``taoyu stats`` print."""

    records_in: int = 0
    kept: int = 0
    dropped: int = 0
    input_errors: int = 0
    dropped_by: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors_by: Counter[str] = field(default_factory=Counter)

    @property
    def reconciles(self) -> bool:
        """Whether every record read is accounted for as kept, dropped or an error; anything else is a bug."""
        return self.records_in == self.kept + self.dropped + self.input_errors

    def merge(self, other: Funnel) -> None:
        """Add another part's counts (a distributed run counts groups of ledger files apart)."""
        self.records_in += other.records_in
        self.kept += other.kept
        self.dropped += other.dropped
        self.input_errors += other.input_errors
        self.dropped_by.update(other.dropped_by)
        self.errors_by.update(other.errors_by)

    def to_json(self) -> dict[str, Any]:
        """Every count, for a task's marker (``from_json`` reads it back)."""
        return {
            "records_in": self.records_in,
            "kept": self.kept,
            "dropped": self.dropped,
            "input_errors": self.input_errors,
            "dropped_by": [[s, r, n] for (s, r), n in sorted(self.dropped_by.items())],
            "errors_by": [[s, n] for s, n in sorted(self.errors_by.items())],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Funnel:
        """Counts written by ``to_json``, so a run sums its tasks' funnels (resumed ones too) without
        reading the ledger again."""
        return cls(
            data["records_in"],
            data["kept"],
            data["dropped"],
            data["input_errors"],
            Counter({(s, r): n for s, r, n in data["dropped_by"]}),
            Counter({s: n for s, n in data["errors_by"]}),
        )

    def as_dict(self) -> dict[str, Any]:
        """The funnel as stats.json holds it: drops by step and reason family, most common first."""
        return {
            "records_in": self.records_in,
            "kept": self.kept,
            "dropped": self.dropped,
            "input_errors": self.input_errors,
            "reconciles": self.reconciles,
            "dropped_by": [
                {"step": s, "reason": r, "count": n}
                for (s, r), n in sorted(self.dropped_by.items(), key=_by_count)
            ],
            "input_errors_by": [{"step": s, "count": n} for s, n in sorted(self.errors_by.items())],
        }


def _by_count(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
    (step, reason), n = item
    return (-n, step, reason)


def _reason_family(reason: str | None) -> str:
    """Group reasons that carry per-record detail after a colon (e.g. 'duplicate_of: X')."""
    return (reason or "").split(":", 1)[0]


def read_ledger(ledger_dir: Path, columns: list[str] | None = None) -> pa.Table:
    """The whole ledger (or some columns) as one table, for tests and small runs; ``iter_ledger`` keeps
    memory flat on large ones."""
    files = sorted(ledger_dir.glob("*.parquet"))
    if not files:
        return LEDGER_SCHEMA.empty_table() if columns is None else LEDGER_SCHEMA.empty_table().select(columns)
    return pa.concat_tables(pq.ParquetFile(f).read(columns=columns) for f in files)


def iter_ledger(ledger_dir: Path, columns: list[str] | None, batch_size: int = 65536):
    """Ledger rows a batch at a time (pyarrow.dataset would do, but it imports pandas: +50 MB)."""
    for path in sorted(ledger_dir.glob("*.parquet")):
        yield from pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=columns)


def funnel(ledger_dir: Path, records_in: int | None = None) -> Funnel:
    """Count outcomes, a batch at a time so memory stays flat however large the ledger.

    ``records_in`` (from the readers' own counts) is what the rows are checked against.
    """
    f = funnel_of_files(sorted(ledger_dir.glob("*.parquet")))
    if records_in is not None:
        f.records_in = records_in
    return f


def funnel_of_files(paths: list[Path]) -> Funnel:
    """The funnel of some ledger files; ``records_in`` is their row count."""
    f = Funnel()
    rows = 0
    batches = (
        batch
        for path in paths
        for batch in pq.ParquetFile(path).iter_batches(
            batch_size=65536, columns=["outcome", "step", "reason"]
        )
    )
    for batch in batches:
        rows += batch.num_rows
        table = pa.Table.from_batches([batch])
        outcomes = table.column("outcome")
        f.kept += pc.sum(pc.equal(outcomes, KEPT)).as_py() or 0
        dropped = table.filter(pc.equal(outcomes, DROPPED))
        errors = table.filter(pc.equal(outcomes, INPUT_ERROR))
        f.dropped += dropped.num_rows
        f.input_errors += errors.num_rows
        for group in dropped.group_by(["step", "reason"]).aggregate([([], "count_all")]).to_pylist():
            f.dropped_by[(group["step"] or "?", _reason_family(group["reason"]))] += group["count_all"]
        for group in errors.group_by(["step"]).aggregate([([], "count_all")]).to_pylist():
            f.errors_by[group["step"] or "?"] += group["count_all"]
    f.records_in = rows
    return f
