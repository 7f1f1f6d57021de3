"""A document's full story from an output folder: where it came from and what each step decided.

Everything comes from the ledger and the output shards, so it works on any finished run without
re-running anything. For a duplicate, the kept twin's text is looked up in ``data/`` and diffed
against the dropped document's text from ``rejects/`` (runs made with ``--keep-rejects``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pyarrow.compute as pc
import pyarrow.parquet as pq

from taoyu.ledger import iter_ledger


@dataclass
class Story:
    """One document's record: its ledger row and trace, its text if a shard kept it, and for a duplicate
    the kept twin and a diff against it, so the drop can be judged by eye."""

    ledger: dict[str, Any]
    trace: list[dict[str, Any]]
    kept_twin: dict[str, Any] | None
    text: str | None
    diff: list[str] | None


def _find_row(folder: Path, column: str, value: str) -> dict[str, Any] | None:
    for path in sorted(folder.rglob("*.parquet")):  # partition folders too
        table = pq.ParquetFile(path).read()
        hit = table.filter(pc.equal(table.column(column), value))
        if hit.num_rows:
            return hit.slice(0, 1).to_pylist()[0]
    return None


def find_ledger_row(output: Path, doc_id: str) -> dict[str, Any] | None:
    """The ledger row of ``doc_id``, read a batch at a time so a large ledger never sits in memory;
    None if the run never saw it."""
    for batch in iter_ledger(output / "ledger", columns=None):
        hit = batch.filter(pc.equal(batch.column("doc_id"), doc_id))
        if hit.num_rows:
            return hit.slice(0, 1).to_pylist()[0]
    return None


def story(output: Path, doc_id: str) -> Story | None:
    """Everything the output folder records about ``doc_id``; None if the ledger does not know it. The
    text can only be shown from ``data/`` or, in runs with --keep-rejects, ``rejects/``."""
    row = find_ledger_row(output, doc_id)
    if row is None:
        return None
    trace = orjson.loads(row["trace"]) if row["trace"] else []
    details = orjson.loads(row["details"]) if row["details"] else {}
    own = _find_row(output / "data", "id", doc_id) or _find_row(output / "rejects", "id", doc_id)
    text = own["text"] if own else None
    twin = diff = None
    if details.get("dup_of"):
        twin = _find_row(output / "data", "id", details["dup_of"])
        if twin is not None and text is not None:
            diff = list(
                difflib.unified_diff(
                    twin["text"].splitlines(),
                    text.splitlines(),
                    "kept " + twin["id"],
                    "dropped " + doc_id,
                    lineterm="",
                )
            )
    return Story(row, trace, twin, text, diff)
