"""Step base classes.

Three kinds of step, because they differ in what the runner must do around them:

* :class:`Transform` edits text and reports what it changed.
* :class:`Filter` scores a document, then decides on the scores. Keeping the two apart (as NeMo
  Curator's ``DocumentFilter`` does) means every drop carries the number it was decided on and
  the threshold it was compared with, and thresholds can be tuned without re-scoring.
* :class:`Annotator` labels a document (its industry, its kind of text) without changing or
  dropping it; the labels go into ``meta`` (and so into the dataset's columns) and, with their
  scores, into the trace (and so into the ledger).
* :class:`GlobalStep` needs to see every document before it can decide (dedup). The executor runs
  it as its own phase: a signature per document, a global resolve, then an apply pass. A resolve
  that must scale out is a keyed shuffle (:class:`KeyedResolve`: exact dedup, repeated lines) or
  a series of stages of independent tasks (:class:`StagedResolve`: near dedup).

Each step has a pydantic ``Params`` model. A recipe's step entry is validated against it, and the
same model backs keyword construction in Python (``LengthFilter(min_chars=200)``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict

from taoyu.document import Document, Event
from taoyu.memory import release_unused_memory
from taoyu.output import replaced_atomically, write_json_atomic


class StepParams(BaseModel):
    """Base for step parameters: unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Step:
    """A named, parameterised operation on one document at a time."""

    name: ClassVar[str] = ""
    Params: ClassVar[type[StepParams]] = StepParams
    output_fields: ClassVar[dict[str, pa.DataType]] = {}
    """Metadata keys this step sets that deserve their own typed column in the dataset."""
    partition_fields: ClassVar[frozenset[str]] = frozenset()
    """Those of ``output_fields`` that are labels with few values (a language, an industry), which
    ``output.partition_by`` may split the dataset by; a title or a score would make a folder per
    document."""

    def __init__(self, params: StepParams | None = None, /, **kwargs: Any) -> None:
        if params is not None and kwargs:
            raise TypeError(f"{type(self).__name__}: pass a Params object or keywords, not both")
        self.params = params if params is not None else self.Params(**kwargs)

    def setup(self) -> None:
        """Load what the step needs once per worker (models, lexicons). Called before the first doc."""

    def artifacts(self) -> list[tuple[str, Path]]:
        """Files the step decides with besides the documents (a model, an opt-out list), as
        ``(role, path)``. The run records each with its SHA-256 in ``run.json``, and the signed
        manifest's provenance names them, so anyone can tell exactly which model made a label."""
        return []

    def prepare(self, docs: Sequence[Document]) -> None:
        """Work the step does faster for a batch at once than one document at a time, done before
        ``process`` meets each of them (runners call it per batch; calling ``process`` alone is
        always enough). It must not raise: a document that cannot be prepared is left for
        ``process`` to fail on, where the failure is recorded against that document."""

    def process(self, doc: Document) -> Document:
        raise NotImplementedError

    def __call__(self, doc: Document) -> Document:
        """Apply to one document, e.g. in a notebook. Check ``doc.is_dropped`` afterwards."""
        return self.process(doc)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.model_dump().items())
        return f"{type(self).__name__}({args})"


class Transform(Step):
    """Edits a document's text. ``edit`` returns the new text and a summary of the change."""

    def edit(self, doc: Document) -> tuple[str, Mapping[str, Any]]:
        raise NotImplementedError

    def process(self, doc: Document) -> Document:
        new_text, changes = self.edit(doc)
        if new_text != doc.text or changes:
            doc.text = new_text
            doc.trace.append(Event(self.name, "edit", details=dict(changes) or None))
        return doc


@dataclass(slots=True, frozen=True)
class Verdict:
    """A filter's decision, with the number it rests on."""

    keep: bool
    reason: str | None = None
    score: float | None = None
    threshold: float | None = None

    @classmethod
    def ok(cls, score: float | None = None, threshold: float | None = None) -> Verdict:
        return cls(True, None, score, threshold)

    @classmethod
    def drop(cls, reason: str, score: float | None = None, threshold: float | None = None) -> Verdict:
        return cls(False, reason, score, threshold)


class Filter(Step):
    """Keeps or drops a document. Subclasses write ``score`` and ``decide``; recording is done here."""

    record_keeps: ClassVar[bool] = True
    """Keep a trace event for kept documents too, so the ledger shows the score they passed with."""

    def score(self, doc: Document) -> Mapping[str, float]:
        raise NotImplementedError

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        raise NotImplementedError

    def process(self, doc: Document) -> Document:
        scores = self.score(doc)
        verdict = self.decide(scores)
        if not verdict.keep:
            doc.trace.append(
                Event(self.name, "drop", verdict.reason, verdict.score, verdict.threshold, dict(scores))
            )
        elif self.record_keeps:
            doc.trace.append(Event(self.name, "keep", None, verdict.score, verdict.threshold))
        return doc


class Annotator(Step):
    """Adds labels to a document. Subclasses write ``annotate``; recording is done here."""

    def annotate(self, doc: Document) -> Mapping[str, Any]:
        """The labels of ``doc`` and the scores behind them (set into ``doc.meta`` by the caller
        for the keys in ``output_fields``, and recorded whole in the trace); a ``score`` key
        becomes the trace event's score."""
        raise NotImplementedError

    def process(self, doc: Document) -> Document:
        labels = dict(self.annotate(doc))
        score = labels.pop("score", None)
        for key in self.output_fields:
            if key in labels:
                doc.meta[key] = labels[key]
        doc.trace.append(Event(self.name, "keep", None, score, None, labels))
        return doc


STEP_BATCH = 256
"""Documents a runner takes through the per-document steps together. Each step runs over the
whole batch before the next starts, so its tables (the segmenter's dictionary, the classifier's
weights, compiled patterns) stay in cache: 11-12% faster on the zh-web chain than taking one
document through every step with 64, another 4-6% with 256."""
STEP_BATCH_CHARS = 500_000
"""A batch also ends once its documents hold this many characters: a batch of long pages must
not hold gigabytes, and text-keyed caches shared between steps must hold a whole batch
(:class:`taoyu.text.recent.RecentPages` keeps a million characters of pages)."""


def batch_is_full(docs: int, chars: int) -> bool:
    """Whether a batch of ``docs`` documents holding ``chars`` characters is ready to run."""
    return docs >= STEP_BATCH or chars >= STEP_BATCH_CHARS


def step_batches(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """``docs`` in the batches runners take through the steps (``batch_is_full``)."""
    batch: list[Document] = []
    chars = 0
    for doc in docs:
        batch.append(doc)
        chars += len(doc.text)
        if batch_is_full(len(batch), chars):
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def run_steps(
    docs: list[Document],
    steps: Sequence[Step],
    on_error: Callable[[Step, Document, Exception], None] | None = None,
) -> list[Document]:
    """Take a batch through ``steps`` in order, in place; a dropped document goes no further.

    Every document meets the steps in the same order as alone, so the outcome is the same. With
    ``on_error``, a step that raises on one document is reported for that document only (which
    the handler must mark dropped), and the batch goes on.
    """
    for step in steps:
        step.prepare([doc for doc in docs if not doc.is_dropped])
        for k, doc in enumerate(docs):
            if doc.is_dropped:
                continue
            if on_error is None:
                docs[k] = step.process(doc)
                continue
            try:
                docs[k] = step.process(doc)
            except Exception as exc:  # one record's failure must not stop the others
                on_error(step, doc, exc)
    return docs


class GlobalStep(Step):
    """A step that decides over all documents at once, in three parts the executor schedules.

    1. ``signature(doc)`` runs where the document is, and returns a small row (``signature_schema``).
    2. ``resolve(signature_files, decisions_dir)`` runs once over every task's signature file and
       writes, for each task, the rows to drop (``decisions_dir/{task:05d}.parquet`` with columns
       ``row`` plus anything ``apply`` needs). It must be deterministic in input order, never in
       arrival order, so any executor gives the same answer.
    3. ``apply(doc, decision)`` runs where the document is again and records the outcome.
    """

    signature_schema: ClassVar[pa.Schema]

    def process(self, doc: Document) -> Document:
        raise TypeError(f"{self.name} is a global step: it runs as its own phase, not per document")

    def signature(self, doc: Document) -> dict[str, Any]:
        raise NotImplementedError

    def signatures(self, docs: Sequence[Document]) -> list[dict[str, Any]]:
        """Signatures of a batch: override when the work vectorises (MinHash does, 40x)."""
        return [self.signature(d) for d in docs]

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        """Write per-task decision files; return summary figures for the run log.

        ``doc_files`` gives each task's intermediate document shards, for steps that must look
        at the documents themselves (near dedup verifies candidate pairs on their text).
        """
        raise NotImplementedError

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        raise NotImplementedError


class KeyedResolve(GlobalStep):
    """A global step whose resolve is a shuffle by key, so it can be split over many machines.

    1. ``shuffle_map(files, partitions)`` reads some tasks' signature files and splits their rows
       into ``partitions`` tables by a hash of the key (rows carry ``task`` and ``row``), plus
       summary figures.
    2. ``shuffle_reduce(parts)`` gets one partition's tables from every map: every row with a given
       key, so it decides on its own. It returns decision rows (``task``, ``row``, …) and figures.
    3. ``write_decisions(tables, decisions_dir)`` gets every decision row of a range of tasks and
       writes their decision files.

    Decisions must not depend on the number of partitions, nor on which map or reduce a row went
    through: the local executor runs this with one partition in one process, the Ray executor
    with many partitions on many machines, and both must write the same decisions.
    """

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        """In one process with one partition: what the local executor runs."""
        return resolve_partitioned(self, list(signature_files), decisions_dir)

    def shuffle_map(
        self, files: Sequence[tuple[int, Path]], partitions: int
    ) -> tuple[list[pa.Table], dict[str, int]]:
        raise NotImplementedError

    def shuffle_reduce(self, parts: Sequence[pa.Table]) -> tuple[pa.Table, dict[str, int]]:
        raise NotImplementedError

    def write_decisions(self, tables: Sequence[pa.Table], decisions_dir: Path) -> dict[str, int]:
        raise NotImplementedError


def resolve_partitioned(
    step: KeyedResolve, files: Sequence[tuple[int, Path]], decisions_dir: Path
) -> dict[str, Any]:
    """The keyed resolve in one process, one partition: what the local executor runs."""
    parts, mapped = step.shuffle_map(files, 1)
    rows, reduced = step.shuffle_reduce(parts)
    written = step.write_decisions([rows], decisions_dir)
    return merge_figures([mapped, reduced, written])


def merge_figures(figures: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Sum the summary figures of a resolve's parts (each counts a disjoint share)."""
    out: dict[str, int] = {}
    for f in figures:
        for key, value in f.items():
            out[key] = out.get(key, 0) + int(value)
    return out


def split_rows(table: pa.Table, part_of: np.ndarray, partitions: int) -> list[pa.Table]:
    """``table`` cut into ``partitions`` tables by each row's partition number; row order kept."""
    if partitions == 1:
        return [table]
    order = np.argsort(part_of, kind="stable")
    counts = np.bincount(part_of, minlength=partitions)
    taken = table.take(pa.array(order))
    bounds = np.concatenate([[0], np.cumsum(counts)])
    return [taken.slice(int(bounds[p]), int(counts[p])) for p in range(partitions)]


def task_decisions_path(decisions_dir: Path, task: int) -> Path:
    """Where a resolve leaves its decisions for one task, and where that task's next phase looks."""
    return decisions_dir / f"{task:05d}.parquet"


def write_task_decisions(decisions_dir: Path, task: int, table: pa.Table) -> None:
    """Write one task's decisions (:func:`task_decisions_path`) under a temporary name and rename
    it into place: the task never reads half a file, and a full disk leaves none behind."""
    with replaced_atomically(task_decisions_path(decisions_dir, task)) as tmp:
        pq.write_table(table, tmp)


def task_groups(table: pa.Table) -> Iterator[tuple[int, pa.Table]]:
    """(task, rows) for each run of equal ``task`` values in a table sorted by task."""
    if table.num_rows == 0:
        return
    tasks = table.column("task").to_numpy()
    starts = np.flatnonzero(np.concatenate([[True], tasks[1:] != tasks[:-1]]))
    ends = np.concatenate([starts[1:], [tasks.shape[0]]])
    for s, e in zip(starts, ends, strict=True):
        yield int(tasks[s]), table.slice(int(s), int(e - s))


@dataclass(frozen=True, slots=True)
class StageTask:
    """One task of a staged resolve: which method of the step to call, with what, and its name.

    Picklable and small, so an executor can send it to any worker: the worker rebuilds the step
    from the recipe and calls ``getattr(step, method)(*args)``. The name is unique within the
    resolve; a task that finished leaves a marker under it, so a resume does not redo it.
    """

    name: str
    method: str
    args: tuple[Any, ...]
    scratch: Path
    remember: bool = True
    """Leave a marker when done. A task whose outputs lie outside the scratch folder (which a
    restarted resolve keeps, while the run clears the decisions folder) must not: it runs again."""


StagePlan = Generator[list[StageTask], list[dict[str, int]], dict[str, Any]]
"""A staged resolve's plan: it yields each stage's tasks, is sent back their figures in the same
order, and returns the resolve's summary. Stages run one after the other; the tasks of a stage
run in any order, anywhere."""


class StagedResolve(GlobalStep):
    """A global step whose resolve is a series of stages, each a set of independent tasks.

    Near dedup needs more than one shuffle (band keys, candidate pairs, connected components,
    keepers), and how many rounds the components take depends on the data. So the step writes its
    own plan, a generator of stages (``plan``), and the executor runs each stage's tasks where it
    runs any task: in this process, on a local pool, or as Ray tasks. Stage tasks exchange data as
    files under a scratch folder on the run's (shared) filesystem, written whole or not at all,
    so a task killed half-way is simply run again, and a resume skips the tasks that finished.

    Decisions must not depend on the number of partitions nor on which worker ran a task.
    """

    def plan(
        self,
        signature_files: Sequence[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]],
        scratch: Path,
        partitions: int,
    ) -> StagePlan:
        """The stages of the resolve; ``partitions`` is what the run asked for (the step may use
        more, to keep each task within its memory budget)."""
        raise NotImplementedError

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        """Every stage in this process, with one partition (notebooks, ``Pipeline.process``)."""
        scratch = decisions_dir / "_stages"
        shutil.rmtree(scratch, ignore_errors=True)  # no resume here: never trust an earlier call's markers
        plan = self.plan(list(signature_files), decisions_dir, doc_files or {}, scratch, 1)
        try:
            return drive_plan(plan, lambda tasks: [run_stage_task(self, t) for t in tasks])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


StageRunner = Callable[[list[StageTask]], list[dict[str, int]]]
"""Runs one stage's tasks (anywhere) and returns their figures in the tasks' order."""


def drive_plan(plan: StagePlan, run_stage: StageRunner) -> dict[str, Any]:
    """Run a staged resolve's plan, each stage through ``run_stage``; return its summary."""
    try:
        tasks = next(plan)
        while True:
            tasks = plan.send(run_stage(tasks))
    except StopIteration as stop:
        return dict(stop.value)


def run_stage_task(step: GlobalStep, task: StageTask) -> dict[str, int]:
    """Run one stage task, or return the figures of an earlier run of it that finished.

    The marker is written after the task's outputs, so its presence vouches for them.
    """
    marker = task.scratch / "done" / f"{task.name}.json"
    if task.remember and marker.exists():
        return {k: int(v) for k, v in json.loads(marker.read_text()).items()}
    figures = getattr(step, task.method)(*task.args)
    release_unused_memory()  # a stage's peak must not be the worker's floor for every later task
    if not task.remember:
        return figures
    write_json_atomic(marker, figures)
    return figures
