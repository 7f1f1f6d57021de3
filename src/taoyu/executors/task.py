"""Running one phase of one task: the function every executor calls, local or distributed.

It knows nothing of processes or clusters. It reads a task, pushes each document through the
phase's steps, writes data, ledger, rejects and (before a global step) intermediate shards with
signatures, commits them atomically and writes the task's completion marker.
"""

from __future__ import annotations

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

    work = layout.work(phase_index)
    for directory, s in (
        (layout.data, stem),
        (layout.ledger, ledger_stem),
        (layout.rejects, ledger_stem),
        (work, f"docs-{task.index:05d}"),
        (work, f"sigs-{task.index:05d}"),
    ):
        remove_task_outputs(directory, s)

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
        scratch = {"max_rows_per_shard": 1 << 40, "tmp_dir": layout.tmp, "compression": SCRATCH_COMPRESSION}
        intermediate = ShardWriter(work, f"docs-{task.index:05d}", INTERMEDIATE_SCHEMA, **scratch)
        signatures = ShardWriter(work, f"sigs-{task.index:05d}", phase.after.signature_schema, **scratch)
    writers = [w for w in (ledger, data, rejects, intermediate, signatures) if w is not None]

    result = TaskResult(task.index, phase_index, input_bytes=task.size if phase.reads_input else 0)
    try:
        if phase.reads_input:
            items: Iterator[Document | InputError] = read_task(task, ctx.recipe.reader)
        else:
            items = _read_intermediate(layout.work(phase_index - 1), task.index)
        decisions = _load_decisions(layout.decisions(phase_index - 1), task.index) if phase.before else {}
        row = 0
        unreported = 0
        pending_signature: list[Document] = []

        def pass_on_pending() -> None:
            nonlocal row
            assert phase.after is not None
            row = _pass_on(pending_signature, phase.after, intermediate, signatures, row)
            result.passed_on += len(pending_signature)
            pending_signature.clear()

        def finish(doc: Document) -> None:
            if doc.is_dropped:
                entry = document_entry(doc)
                ledger.write(entry)
                if entry["outcome"] == DROPPED:
                    result.dropped += 1
                    if rejects is not None:
                        rejects.write(_reject_row(doc, rows))
                else:
                    result.input_errors += 1
            elif phase.after is not None:
                pending_signature.append(doc)
                if len(pending_signature) >= SIGNATURE_BATCH:
                    pass_on_pending()
            else:
                assert data is not None
                data.write(rows.row(doc))
                ledger.write(document_entry(doc))
                result.kept += 1

        pending_steps: list[Document] = []
        pending_chars = 0
        on_error = partial(_record_step_error, strict=ctx.strict)

        def run_pending() -> None:
            """Take the waiting documents through the steps together, then finish them in order."""
            nonlocal pending_chars
            run_steps(pending_steps, phase.steps, on_error)
            for doc in pending_steps:
                finish(doc)
            pending_steps.clear()
            pending_chars = 0

        for n, item in enumerate(items):
            if phase.reads_input:
                result.records_in += 1
            unreported += 1
            if progress is not None and unreported == 256:
                progress(unreported)
                unreported = 0
            if isinstance(item, InputError):
                run_pending()  # the records before it first: the ledger keeps input order
                if ctx.strict:
                    raise StrictModeError(f"input error in {item.describe()}")
                ledger.write(error_entry(item))
                result.input_errors += 1
                continue
            doc = item
            if phase.before is not None:
                doc = phase.before.apply(doc, decisions.get(n))
            pending_steps.append(doc)
            pending_chars += len(doc.text)
            if batch_is_full(len(pending_steps), pending_chars):
                run_pending()
        run_pending()
        if pending_signature:
            pass_on_pending()
        if progress is not None and unreported:
            progress(unreported)
        if phase.reads_input:
            result.digests = _digests_owned_by(task)
        for writer in writers:
            writer.finish()
        for writer in writers:
            published = writer.publish()
            if writer is ledger:
                result.funnel = funnel_of_files(published).to_json()
    except BaseException:
        for writer in writers:
            writer.abort()
        raise
    result.seconds = time.perf_counter() - started
    write_json_atomic(marker, result.as_dict())
    release_unused_memory()  # a task's peak must not be the worker's floor for the next one
    return result


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
    path = directory / f"{task_index:05d}.parquet"
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
