"""Running one phase of one task: the function every executor calls, local or distributed.

It knows nothing of processes or clusters. It reads a task, pushes each document through the
phase's steps, writes data, ledger, rejects and (before a global step) intermediate shards with
signatures, commits them atomically and writes the task's completion marker.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from taoyu.digests import sha256_file
from taoyu.document import Document, Event, Source
from taoyu.io.base import InputError
from taoyu.io.read import read_task
from taoyu.io.tasks import Task
from taoyu.io.writers import (
    SCRATCH_COMPRESSION,
    PartitionedWriter,
    RowBuilder,
    ShardWriter,
    dataset_schema,
    json_dumps,
    remove_task_outputs,
)
from taoyu.ledger import DROPPED, LEDGER_SCHEMA, document_entry, error_entry, funnel_of_files
from taoyu.memory import release_unused_memory
from taoyu.output import OutputLayout, read_json, write_json_atomic
from taoyu.plan import Phase, split_phases
from taoyu.recipe import OutputConfig, Recipe
from taoyu.steps.base import (
    GlobalStep,
    KeyedResolve,
    StagedResolve,
    StagePlan,
    StageTask,
    Step,
    batch_is_full,
    run_stage_task,
    run_steps,
    task_decisions_path,
)

INTERMEDIATE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("url", pa.string()),
        ("source_file", pa.string()),
        ("source_index", pa.int64()),
        ("source_offset", pa.int64()),
        ("warc_record_id", pa.string()),
        ("meta", pa.string()),
        ("trace", pa.string()),
        ("raw", pa.binary()),
    ]
)
REJECT_FIELDS = {"dropped_by": pa.string(), "drop_reason": pa.string()}

ProgressFn = Callable[[int], None]
SIGNATURE_BATCH = 512
_WORKER_STEPS: dict[str, list[Step]] = {}


class StrictModeError(RuntimeError):
    """An input error with --strict: the message names the file and offset."""


@dataclass
class RunContext:
    """Everything a worker needs, picklable, built once per run."""

    recipe: Recipe
    output: Path
    strict: bool = False
    keep_rejects: bool = False
    _steps: list[Step] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_steps"] = None  # steps are rebuilt in each worker, where setup() runs
        return state

    def steps(self) -> list[Step]:
        if self._steps is None:
            key = self.recipe.digest()
            if key not in _WORKER_STEPS:  # set up once per worker process, not once per task
                steps = self.recipe.build_steps()
                for step in steps:
                    step.setup()
                _WORKER_STEPS.clear()
                _WORKER_STEPS[key] = steps
            self._steps = _WORKER_STEPS[key]
        return self._steps

    def phases(self) -> list[Phase]:
        return split_phases(self.steps())

    def global_step(self, phase: int) -> GlobalStep:
        """The global step that ends ``phase`` (whose resolve runs after it)."""
        step = self.phases()[phase].after
        assert step is not None, f"phase {phase} ends with no global step"
        return step

    def stage_plan(self, phase: int, tasks: list[Task], partitions: int) -> StagePlan:
        """The plan of the phase's staged resolve (near dedup), over the run's files."""
        step = self.global_step(phase)
        assert isinstance(step, StagedResolve), f"{step.name} has no staged resolve"
        layout = self.layout
        return step.plan(
            signature_files(layout, phase, tasks),
            layout.decisions(phase),
            doc_files(layout, phase, tasks),
            layout.stages(phase),
            partitions,
        )

    def run_stage_task(self, phase: int, task: StageTask) -> dict[str, int]:
        """One task of the phase's staged resolve, wherever this context was sent."""
        return run_stage_task(self.global_step(phase), task)

    def resolve_whole(self, phase: int, tasks: list[Task]) -> dict[str, Any]:
        """The phase's global step resolved in this process (a keyed one with one partition; the
        executors drive a staged one's plan themselves, through ``stage_plan``)."""
        step = self.global_step(phase)
        docs = {} if isinstance(step, KeyedResolve) else doc_files(self.layout, phase, tasks)
        return step.resolve(signature_files(self.layout, phase, tasks), self.layout.decisions(phase), docs)

    def schema(self) -> pa.Schema:
        fields: dict[str, pa.DataType] = {}
        for step in self.steps():
            fields.update(step.output_fields)
        return dataset_schema(fields)

    @property
    def layout(self) -> OutputLayout:
        return OutputLayout(self.output)


@dataclass
class TaskResult:
    task: int
    phase: int
    records_in: int = 0
    kept: int = 0
    dropped: int = 0
    input_errors: int = 0
    passed_on: int = 0
    """Documents handed to the next phase through intermediate shards."""
    input_bytes: int = 0
    seconds: float = 0.0
    digests: dict[str, str] = field(default_factory=dict)
    funnel: dict[str, Any] | None = None
    """The funnel of the ledger rows this task wrote, counted from its committed ledger shard, so
    the driver sums small counts instead of reading the whole ledger (None in older markers)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_task_phase(
    ctx: RunContext, task: Task, phase_index: int, progress: ProgressFn | None = None
) -> TaskResult:
    """Run one task through one phase: read its input (or the phase before's shards), apply the
    decisions of the resolve before, run the phase's steps, and publish its shards and ledger rows
    only once all of them are written, then its marker. Any failure deletes what the attempt wrote,
    so a rerun (or a Ray retry) starts the task afresh, and a task with a marker is never redone."""
    started = time.perf_counter()
    layout = ctx.layout
    marker = layout.task_marker(phase_index, task.index)
    if marker.exists():
        # Finished by an attempt whose result never reached the parent (its pool broke): redoing
        # it would first delete outputs that its marker vouches for.
        return TaskResult(**read_json(marker))
    phase = ctx.phases()[phase_index]
    stem = f"part-{task.index:05d}"
    ledger_stem = f"p{phase_index}-{stem}"
    schema = ctx.schema()
    rows = RowBuilder(schema)
    _remove_earlier_outputs(layout, phase_index, task.index, stem, ledger_stem)
    writers = _open_writers(ctx, phase, task.index, stem, ledger_stem, schema)
    result = TaskResult(task.index, phase_index, input_bytes=task.size if phase.reads_input else 0)
    try:
        if phase.reads_input:
            items: Iterator[Document | InputError] = read_task(task, ctx.recipe.reader)
        else:
            items = _read_intermediate(layout.work(phase_index - 1), task.index)
        decisions = _load_decisions(layout.decisions(phase_index - 1), task.index) if phase.before else {}
        on_error = partial(_record_step_error, strict=ctx.strict)
        batches = _Batches(phase, writers, rows, result, on_error)
        _push_items(ctx, phase, items, decisions, batches, progress)
        if phase.reads_input:
            result.digests = _digests_owned_by(task)
        _commit(writers, result)
    except BaseException:
        for writer in writers.all():  # each writer's temp shards go, whatever another's abort does
            with contextlib.suppress(Exception):
                writer.abort()
        raise
    result.seconds = time.perf_counter() - started
    write_json_atomic(marker, result.as_dict())
    release_unused_memory()  # a task's peak must not be the worker's floor for the next one
    return result


def _remove_earlier_outputs(
    layout: OutputLayout, phase_index: int, task_index: int, stem: str, ledger_stem: str
) -> None:
    """Delete what an earlier, unfinished attempt at this task phase left (data, ledger, rejects,
    intermediate shards and signatures), so a retry never publishes two attempts' rows."""
    work = layout.work(phase_index)
    for directory, s in (
        (layout.data, stem),
        (layout.ledger, ledger_stem),
        (layout.rejects, ledger_stem),
        (work, f"docs-{task_index:05d}"),
        (work, f"sigs-{task_index:05d}"),
    ):
        remove_task_outputs(directory, s)


@dataclass
class _TaskWriters:
    """The shard writers of one task phase, kept together because they are finished, published or
    aborted together (always in this order: ledger, data, rejects, intermediate, signatures)."""

    ledger: ShardWriter
    data: Any
    """The dataset writer (:func:`_data_writer`), in the last phase only."""
    rejects: ShardWriter | None
    intermediate: ShardWriter | None
    signatures: ShardWriter | None

    def all(self) -> list[Any]:
        """The writers this phase opened, in the order they are finished and published."""
        candidates = (self.ledger, self.data, self.rejects, self.intermediate, self.signatures)
        return [w for w in candidates if w is not None]


def _open_writers(
    ctx: RunContext, phase: Phase, task_index: int, stem: str, ledger_stem: str, schema: pa.Schema
) -> _TaskWriters:
    """Open the writers the phase needs: the ledger always, the dataset in the last phase, rejects
    with --keep-rejects, and intermediate shards with signatures before a global step."""
    layout = ctx.layout
    out_cfg = ctx.recipe.output
    ledger = ShardWriter(
        layout.ledger, ledger_stem, LEDGER_SCHEMA, max_rows_per_shard=1 << 40, tmp_dir=layout.tmp
    )
    data = _data_writer(layout, stem, schema, out_cfg) if phase.writes_output else None
    reject_schema = pa.schema(list(schema) + [pa.field(k, v) for k, v in REJECT_FIELDS.items()])
    rejects = (
        ShardWriter(layout.rejects, ledger_stem, reject_schema, tmp_dir=layout.tmp)
        if ctx.keep_rejects
        else None
    )
    intermediate = signatures = None
    if phase.after is not None:
        work = layout.work(phase.index)
        scratch = {"max_rows_per_shard": 1 << 40, "tmp_dir": layout.tmp, "compression": SCRATCH_COMPRESSION}
        intermediate = ShardWriter(work, f"docs-{task_index:05d}", INTERMEDIATE_SCHEMA, **scratch)
        signatures = ShardWriter(work, f"sigs-{task_index:05d}", phase.after.signature_schema, **scratch)
    return _TaskWriters(ledger, data, rejects, intermediate, signatures)


@dataclass
class _Batches:
    """The documents of one task phase on their way out: batched through the steps together (for
    speed), then finished one by one in input order, into the ledger, data and rejects, or batched
    again for their signatures before a global step."""

    phase: Phase
    writers: _TaskWriters
    rows: RowBuilder
    result: TaskResult
    on_error: Callable[[Step, Document, Exception], None]
    pending_steps: list[Document] = field(default_factory=list)
    pending_chars: int = 0
    pending_signature: list[Document] = field(default_factory=list)
    row: int = 0
    """The next row number in the task's signature shard."""

    def add(self, doc: Document) -> None:
        """Queue a document for the steps, and run them once the batch is full."""
        self.pending_steps.append(doc)
        self.pending_chars += len(doc.text)
        if batch_is_full(len(self.pending_steps), self.pending_chars):
            self.run_pending()

    def run_pending(self) -> None:
        """Take the waiting documents through the steps together, then finish them in order."""
        run_steps(self.pending_steps, self.phase.steps, self.on_error)
        for doc in self.pending_steps:
            self.finish(doc)
        self.pending_steps.clear()
        self.pending_chars = 0

    def finish(self, doc: Document) -> None:
        """Write a document that went through the steps where it belongs: ledger (and rejects) when
        dropped, the signature batch before a global step, else data and ledger."""
        writers, result = self.writers, self.result
        if doc.is_dropped:
            entry = document_entry(doc)
            writers.ledger.write(entry)
            if entry["outcome"] == DROPPED:
                result.dropped += 1
                if writers.rejects is not None:
                    writers.rejects.write(_reject_row(doc, self.rows))
            else:
                result.input_errors += 1
        elif self.phase.after is not None:
            self.pending_signature.append(doc)
            if len(self.pending_signature) >= SIGNATURE_BATCH:
                self.pass_on_pending()
        else:
            assert writers.data is not None
            writers.data.write(self.rows.row(doc))
            writers.ledger.write(document_entry(doc))
            result.kept += 1

    def pass_on_pending(self) -> None:
        """Hand the signature batch to the next phase (:func:`_pass_on`) and count it."""
        assert self.phase.after is not None
        writers = self.writers
        self.row = _pass_on(
            self.pending_signature, self.phase.after, writers.intermediate, writers.signatures, self.row
        )
        self.result.passed_on += len(self.pending_signature)
        self.pending_signature.clear()


def _push_items(
    ctx: RunContext,
    phase: Phase,
    items: Iterator[Document | InputError],
    decisions: dict[int, dict[str, Any]],
    batches: _Batches,
    progress: ProgressFn | None,
) -> None:
    """Read every item of the task into ``batches``, applying the decisions of the global step
    before the phase and recording input errors in input order; report progress every 256 items."""
    result = batches.result
    unreported = 0
    for n, item in enumerate(items):
        if phase.reads_input:
            result.records_in += 1
        unreported += 1
        if progress is not None and unreported == 256:
            progress(unreported)
            unreported = 0
        if isinstance(item, InputError):
            batches.run_pending()  # the records before it first: the ledger keeps input order
            if ctx.strict:
                raise StrictModeError(f"input error in {item.describe()}")
            batches.writers.ledger.write(error_entry(item))
            result.input_errors += 1
            continue
        doc = item
        if phase.before is not None:
            doc = phase.before.apply(doc, decisions.get(n))
        batches.add(doc)
    batches.run_pending()
    if batches.pending_signature:
        batches.pass_on_pending()
    if progress is not None and unreported:
        progress(unreported)


def _commit(writers: _TaskWriters, result: TaskResult) -> None:
    """Finish every writer, then publish them all (renames into place), counting the funnel of
    the ledger shard as it is published."""
    for writer in writers.all():
        writer.finish()
    for writer in writers.all():
        published = writer.publish()
        if writer is writers.ledger:
            result.funnel = funnel_of_files(published).to_json()


def _data_writer(layout: OutputLayout, stem: str, schema: pa.Schema, out_cfg: OutputConfig) -> Any:
    """The task's dataset writer: one set of shards, or one per partition (``output.partition_by``)."""
    options = {"fmt": out_cfg.format, "max_rows_per_shard": out_cfg.max_rows_per_shard, "tmp_dir": layout.tmp}
    if out_cfg.partition_by:
        return PartitionedWriter(layout.data, stem, schema, list(out_cfg.partition_by), **options)
    return ShardWriter(layout.data, stem, schema, **options)


def _pass_on(
    docs: list[Document],
    step: GlobalStep,
    intermediate: ShardWriter | None,
    signatures: ShardWriter | None,
    row: int,
) -> int:
    """Hand a batch to the next phase: the documents, and their signatures computed together."""
    assert intermediate is not None and signatures is not None
    for doc, signature in zip(docs, step.signatures(docs), strict=True):
        intermediate.write(_intermediate_row(doc))
        signatures.write({"row": row, **signature})
        row += 1
    return row


def _record_step_error(step: Step, doc: Document, exc: Exception, *, strict: bool) -> None:
    """A step failed on one record: stop the run under --strict, else drop the record with the error."""
    if strict:
        raise StrictModeError(
            f"step '{step.name}' failed on {doc.source.file} record {doc.source.index}: {exc}"
        ) from exc
    doc.trace.append(Event(step.name, "error", f"{type(exc).__name__}: {exc}"))


def _reject_row(doc: Document, rows: RowBuilder) -> dict[str, Any]:
    row = rows.row(doc)
    final = doc.dropped_by
    row["dropped_by"] = final.step if final else None
    row["drop_reason"] = final.reason if final else None
    return row


def _intermediate_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "text": doc.text,
        "url": doc.url,
        "source_file": doc.source.file,
        "source_index": doc.source.index,
        "source_offset": doc.source.offset,
        "warc_record_id": doc.source.record_id,
        "meta": json_dumps(doc.meta),
        "trace": json_dumps([e.as_dict() for e in doc.trace]),
        "raw": doc.raw,
    }


def _read_intermediate(work: Path, task_index: int) -> Iterator[Document]:
    for path in sorted(work.glob(f"docs-{task_index:05d}-*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            for r in batch.to_pylist():
                source = Source(r["source_file"], r["source_index"], r["source_offset"], r["warc_record_id"])
                yield Document(
                    r["id"],
                    r["text"],
                    source,
                    r["url"],
                    orjson.loads(r["meta"]),
                    r["raw"],
                    [Event.from_dict(e) for e in orjson.loads(r["trace"])],
                )


def _load_decisions(directory: Path, task_index: int) -> dict[int, dict[str, Any]]:
    path = task_decisions_path(directory, task_index)
    if not path.exists():
        return {}
    return {r["row"]: r for r in pq.ParquetFile(path).read().to_pylist()}


def _digests_owned_by(task: Task) -> dict[str, str]:
    """SHA-256 of each input file whose first byte this task owns (so each file is hashed once)."""
    if task.start != 0:
        return {}
    out = {}
    for path in task.paths:
        try:
            out[path] = sha256_file(path)
        except OSError:
            out[path] = "unreadable"
    return out


def _work_files(layout: OutputLayout, phase: int, kind: str, tasks: list[Task]) -> dict[int, list[Path]]:
    """Each task's ``{kind}-{task}-{k}.parquet`` shards, sorted by name, from one listing of the
    folder (a glob per task would list it once per task: quadratic in tasks on a shared filesystem)."""
    work = layout.work(phase)
    found: dict[int, list[str]] = {task.index: [] for task in tasks}
    prefix = f"{kind}-"
    if work.is_dir():
        for name in os.listdir(work):
            if name.startswith(prefix) and name.endswith(".parquet"):
                index = name[len(prefix) :].split("-", 1)[0]
                if index.isdigit() and int(index) in found:
                    found[int(index)].append(name)
    return {index: [work / n for n in sorted(names)] for index, names in found.items()}


def doc_files(layout: OutputLayout, phase: int, tasks: list[Task]) -> dict[int, list[Path]]:
    return _work_files(layout, phase, "docs", tasks)


def signature_files(layout: OutputLayout, phase: int, tasks: list[Task]) -> list[tuple[int, Path]]:
    by_task = _work_files(layout, phase, "sigs", tasks)
    return [(task.index, path) for task in tasks for path in by_task[task.index]]


def env_cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
