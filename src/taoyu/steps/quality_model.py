"""A learned quality score for every document, and its percentile bucket among the run's documents.

``hq_score`` (0–1) comes from a small model over named statistics of the text (:mod:`taoyu.hq`);
``hq_bucket`` (0 = the worst 5% … 19 = the best 5%, with the default 20 buckets) places it among
all documents this step scored in the run; a group of tied scores goes where its middle rank
falls. Buckets need every score, so this is a global step: each task scores its documents (the
signature), one resolve turns all scores into bucket edges,
and each task then labels its documents. The edges come from a fixed-resolution histogram of the
scores' log-odds, so they do not depend on how the work was split or in which order it arrived,
and memory stays flat however large the run. The edges go into ``run.json``.

The step drops nothing unless the recipe asks: ``keep_top: 0.8`` keeps the best 80% of what it
scored (at least: documents tied at the cut are kept), ``min_score: 0.5`` drops what scores under
0.5. The ledger records, for every document, the score, the bucket and the statistics that moved
the score most.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import Field

from taoyu.document import Document, Event
from taoyu.hq.model import QualityModel, packaged_model_path
from taoyu.registry import register
from taoyu.steps.base import GlobalStep, StepParams, write_task_decisions

_BINS = 1 << 20
_LOGIT_RANGE = 40.0


class QualityModelParams(StepParams):
    """Which model scores, how finely the run's scores are bucketed, what (if anything) is dropped, and
    how much of each score the ledger explains."""

    model: str | None = None
    """A model file from ``taoyu quality train``; None: the packaged one."""
    buckets: int = Field(20, ge=2, le=1000)
    """Percentile buckets: 20 gives 0 (worst 5%) to 19 (best 5%)."""
    keep_top: float | None = Field(None, gt=0, le=1)
    """Keep only this share of the best-scored documents (0.8: drop the worst 20%)."""
    min_score: float | None = Field(None, ge=0, le=1)
    """Drop documents that score below this."""
    explain: int = Field(3, ge=0, le=20)
    """How many statistics the ledger names for each document's score."""


def _logit(score: np.ndarray) -> np.ndarray:
    s = np.clip(score, 1e-17, 1 - 1e-17)  # 1 - 1e-17 is 1.0 in float64: log1p(-1) is -inf, clipped
    with np.errstate(divide="ignore"):
        return np.clip(np.log(s) - np.log1p(-s), -_LOGIT_RANGE, _LOGIT_RANGE)


def _bin(z: np.ndarray) -> np.ndarray:
    return np.minimum(((z + _LOGIT_RANGE) / (2 * _LOGIT_RANGE) * _BINS).astype(np.int64), _BINS - 1)


def bucket_of_bins(hist: np.ndarray, buckets: int) -> np.ndarray:
    """The bucket of every histogram bin: ``buckets`` times the share of documents ranked below the
    bin's middle, so a group of tied scores lands where its middle rank falls (not all in the
    lowest bucket it touches). Integer arithmetic: no float rounding moves a document."""
    n = int(hist.sum())
    if n == 0:
        return np.zeros(len(hist), np.int64)
    before = np.cumsum(hist) - hist
    return np.minimum((buckets * (2 * before + hist)) // (2 * n), buckets - 1).astype(np.int64)


def keep_top_cut(hist: np.ndarray, keep_top: float) -> int:
    """The first bin kept by ``keep_top``: every bin below it is dropped, and at most
    ``(1 - keep_top)`` of the documents are, so ties at the cut are kept (the step keeps at least
    the share asked for)."""
    n = int(hist.sum())
    target = math.floor(round((1 - keep_top) * n, 9))
    return int(np.searchsorted(np.cumsum(hist), target, side="right"))


@register("quality_model")
class QualityModelStep(GlobalStep):
    """Score every document with the quality model and place it in a percentile bucket of the run."""

    Params = QualityModelParams
    params: QualityModelParams
    output_fields: ClassVar[dict[str, pa.DataType]] = {"hq_score": pa.float64(), "hq_bucket": pa.int64()}
    partition_fields: ClassVar[frozenset[str]] = frozenset({"hq_bucket"})
    signature_schema: ClassVar[pa.Schema] = pa.schema(
        [("row", pa.int64()), ("score", pa.float64()), ("why", pa.string())]
    )
    """The score, and the statistics that moved it (JSON), computed together where the document is:
    ``apply`` reads both from the decision instead of reading the text again."""

    def artifacts(self) -> list[tuple[str, Path]]:
        """The quality model: the recipe's file, or the packaged one."""
        return [("model", Path(self.params.model) if self.params.model else packaged_model_path())]

    def setup(self) -> None:
        """Load the model once per worker (the recipe's file, or the packaged one)."""
        self._model = QualityModel.load(self.params.model)

    def _loaded(self) -> QualityModel:
        if not hasattr(self, "_model"):
            self.setup()
        return self._model

    def signatures(self, docs: Sequence[Document]) -> list[dict[str, Any]]:
        """Score a batch at once, with each score's strongest statistics: the model is vectorised, and
        ``apply`` then needs neither the text nor the model again."""
        scores, why = self._loaded().score_and_explain([d.text for d in docs], self.params.explain)
        if not why:
            return [{"score": float(s), "why": None} for s in scores]
        return [
            {"score": float(s), "why": orjson.dumps(w).decode()} for s, w in zip(scores, why, strict=True)
        ]

    def signature(self, doc: Document) -> dict[str, Any]:
        """One document's score, through ``signatures`` so alone and batched give the same number."""
        return self.signatures([doc])[0]

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        """Two passes over the scores: a histogram of their log-odds (flat memory), then each task's
        buckets and drops from the edges it gives."""
        by_task: dict[int, list[Path]] = {}
        for task, path in signature_files:
            by_task.setdefault(task, []).append(path)
        hist = _score_histogram(by_task)
        n = int(hist.sum())
        p = self.params
        bucket_of = bucket_of_bins(hist, p.buckets)
        cut_bin = keep_top_cut(hist, p.keep_top) if p.keep_top is not None else None
        decisions_dir.mkdir(parents=True, exist_ok=True)
        dropped = 0
        for task, paths in sorted(by_task.items()):
            dropped += _write_task_decisions(decisions_dir, task, paths, bucket_of, cut_bin, p.min_score)
        # The lowest score of each bucket above the first, for run.json.
        lowest = np.searchsorted(bucket_of, np.arange(1, p.buckets), side="left")
        summary: dict[str, Any] = {
            "documents": n,
            "buckets": p.buckets,
            "bucket_edges": [round(_score_of_bin(int(b)), 6) for b in lowest],
            "dropped": dropped,
        }
        if cut_bin is not None:
            summary["keep_top_edge"] = round(_score_of_bin(cut_bin), 6)
        return summary

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        """Label the document with its score and bucket, and drop it if the resolve said so; the ledger
        gets the bucket and the statistics behind the score either way."""
        if decision is None:  # not scored (cannot happen for a document that reached the step)
            return doc
        score = float(decision["score"])
        doc.meta["hq_score"] = score
        doc.meta["hq_bucket"] = int(decision["bucket"])
        details: dict[str, Any] = {"bucket": int(decision["bucket"])}
        if decision.get("why"):
            details["why"] = orjson.loads(decision["why"])
        reason = decision.get("drop")
        if reason:
            threshold = self.params.min_score if reason == "hq_min_score" else None
            if reason == "hq_below_top":
                details["keep_top"] = self.params.keep_top
            doc.trace.append(Event(self.name, "drop", reason, score, threshold, details))
        else:
            doc.trace.append(Event(self.name, "keep", None, score, self.params.min_score, details))
        return doc


_DECISIONS_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("score", pa.float64()),
        ("bucket", pa.int64()),
        ("drop", pa.string()),
        ("why", pa.string()),
    ]
)


def _score_histogram(by_task: Mapping[int, Sequence[Path]]) -> np.ndarray:
    """The resolve's first pass: a histogram of every score's log-odds, read batch by batch so
    memory stays flat however many documents the run scored."""
    hist = np.zeros(_BINS, np.int64)
    for paths in by_task.values():
        for path in paths:
            for batch in pq.ParquetFile(path).iter_batches(columns=["score"]):
                hist += np.bincount(_bin(_logit(_scores(batch))), minlength=_BINS)
    return hist


def _write_task_decisions(
    decisions_dir: Path,
    task: int,
    paths: Sequence[Path],
    bucket_of: np.ndarray,
    cut_bin: int | None,
    min_score: float | None,
) -> int:
    """The resolve's second pass for one task: write each document's score, bucket and drop
    reason (with the statistics behind its score) to its decisions file; returns how many it drops."""
    table = pa.concat_tables(pq.ParquetFile(path).read(columns=["row", "score", "why"]) for path in paths)
    scores = _scores(table)
    bins = _bin(_logit(scores))
    drop = np.full(len(scores), None, dtype=object)
    if cut_bin is not None:
        drop[bins < cut_bin] = "hq_below_top"
    if min_score is not None:
        drop[(scores < min_score) & (drop == None)] = "hq_min_score"  # noqa: E711 (numpy mask)
    dropped = int(np.count_nonzero(drop != None))  # noqa: E711
    out = pa.table(
        {
            "row": table.column("row"),
            "score": scores,
            "bucket": bucket_of[bins],
            "drop": drop.tolist(),
            "why": table.column("why"),
        },
        schema=_DECISIONS_SCHEMA,
    )
    write_task_decisions(decisions_dir, task, out)
    return dropped


def _scores(table) -> np.ndarray:
    """A signature batch's scores, rounded as the dataset stores them: what ``min_score`` compares
    and the ledger shows are the same number."""
    return np.round(table.column("score").to_numpy(zero_copy_only=False).astype(np.float64), 6)


def _score_of_bin(b: int) -> float:
    """The score at the lower edge of a histogram bin."""
    z = b / _BINS * 2 * _LOGIT_RANGE - _LOGIT_RANGE
    return 1.0 / (1.0 + math.exp(-z))
