"""The Python API, and the run orchestration every executor shares.

Build a pipeline from step objects, or load a recipe; run it on inputs into an output folder::

    from taoyu import Pipeline
    from taoyu.steps.html_to_text import HtmlToText
    from taoyu.steps.length import LengthFilter
    from taoyu.steps.exact_dedup import ExactDedup

    Pipeline([HtmlToText(), LengthFilter(min_chars=200), ExactDedup()]).run(["crawl/*.warc.gz"], "out/")
    Pipeline.from_recipe("recipes/zh-web.yaml").run(workers=2)
    Pipeline.from_recipe("recipes/zh-web.yaml").run(executor="ray", address="auto")  # on a Ray cluster

``Pipeline.process`` runs the steps in memory on documents you already have, for notebooks.
"""

from __future__ import annotations

import logging
import platform
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import xxhash

from taoyu.digests import tree_digest
from taoyu.document import Document
from taoyu.executors import ExecutorNotAvailableError  # noqa: F401 (re-exported for callers)
from taoyu.executors.task import RunContext, TaskResult, env_cpu_count
from taoyu.io.tasks import InputFile, Task, expand_inputs, plan_tasks
from taoyu.ledger import Funnel, funnel
from taoyu.output import OutputLayout, naming_full_disk, read_json, replaced_atomically, write_json_atomic
from taoyu.plan import Phase, split_phases
from taoyu.progress import RunProgress
from taoyu.recipe import OutputConfig, ReaderConfig, Recipe, RunConfig, StepSpec, load_recipe
from taoyu.steps.base import GlobalStep, Step, run_steps, step_batches

log = logging.getLogger("taoyu")

_VERSIONED = ("taoyu", "pyarrow", "pydantic", "fastwarc", "selectolax", "xxhash", "zstandard", "orjson")


class LedgerMismatchError(RuntimeError):
    pass


@dataclass
class RunSummary:
    output: Path
    funnel: Funnel
    tasks: int
    resumed: bool
    seconds: float


class Pipeline:
    def __init__(
        self,
        steps: list[Step],
        *,
        name: str = "taoyu",
        reader: ReaderConfig | None = None,
        output: OutputConfig | None = None,
        run: RunConfig | None = None,
        inputs: list[str] | None = None,
    ) -> None:
        for step in steps:
            if not step.name:
                raise ValueError(f"{type(step).__name__} is not registered (use @taoyu.registry.register)")
        self.steps = steps
        self.recipe = Recipe(
            name=name,
            inputs=inputs or [],
            reader=reader or ReaderConfig(),
            output=output or OutputConfig(),
            run=run or RunConfig(),
            steps=[StepSpec(step=s.name, params=s.params.model_dump(mode="json")) for s in steps],
        )

    @classmethod
    def from_recipe(cls, recipe: Recipe | str | Path) -> Pipeline:
        if not isinstance(recipe, Recipe):
            recipe = load_recipe(recipe)
        pipeline = cls.__new__(cls)
        pipeline.steps = recipe.build_steps()
        pipeline.recipe = recipe
        return pipeline

    def process(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Run every step in memory, global ones included; yields all documents, dropped ones too."""
        for step in self.steps:
            step.setup()
        batch = list(docs)
        for phase in split_phases(self.steps):
            survivors = [d for d in batch if not d.is_dropped]
            if phase.before is not None:
                _apply_global_in_memory(phase.before, survivors)
            for step_batch in step_batches(survivors):
                run_steps(step_batch, phase.steps)
        yield from batch

    def run(
        self,
        inputs: list[str] | None = None,
        output: str | Path | None = None,
        *,
        workers: int | None = None,
        executor: str | None = None,
        address: str | None = None,
        strict: bool | None = None,
        keep_rejects: bool | None = None,
        overwrite: bool = False,
        progress: bool = False,
    ) -> RunSummary:
        """Run on files. Arguments left as None take the recipe's values."""
        recipe = self.recipe.model_copy(deep=True)
        if inputs:
            recipe.inputs = list(inputs)
        if output is not None:
            recipe.output.path = str(output)
        if keep_rejects is not None:
            recipe.output.keep_rejects = keep_rejects
        if workers is not None:
            recipe.run.workers = workers
        if executor is not None:
            recipe.run.executor = executor  # type: ignore[assignment]
        if address is not None:
            recipe.run.address = address
        if strict is not None:
            recipe.run.strict = strict
        return run_recipe(recipe, overwrite=overwrite, progress=progress)


def _apply_global_in_memory(step: GlobalStep, docs: list[Document]) -> None:
    """Run a global step on documents in memory, through the same files a run would write."""
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        rows = [{"row": i, **sig} for i, sig in enumerate(step.signatures(docs))]
        sig = Path(tmp) / "sigs.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=step.signature_schema), sig)
        texts = Path(tmp) / "docs.parquet"
        pq.write_table(pa.table({"text": [d.text for d in docs]}), texts)
        step.resolve([(0, sig)], Path(tmp) / "decisions", {0: [texts]})
        path = Path(tmp) / "decisions" / "00000.parquet"
        decisions = {r["row"]: r for r in pq.ParquetFile(path).read().to_pylist()} if path.exists() else {}
    for i, doc in enumerate(docs):
        step.apply(doc, decisions.get(i))


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def step_artifacts(recipe: Recipe) -> list[dict[str, Any]]:
    """Every model, list file and list folder the recipe's steps decide with, with its size and
    SHA-256 (a folder's over its listing), for ``run.json`` and so for the signed provenance."""
    out = []
    for step in recipe.build_steps():
        for role, path in step.artifacts():
            digest, size = tree_digest(path)
            out.append({"step": step.name, "role": role, "path": str(path), "bytes": size, "sha256": digest})
    return out


def _make_executor(recipe: Recipe):
    if recipe.run.executor == "ray":
        # Imported here: ray is an optional dependency, and only this executor needs it.
        from taoyu.executors.ray_executor import RayExecutor

        return RayExecutor(recipe.run.address, recipe.run.workers, recipe.run.partitions)
    from taoyu.executors.local import LocalExecutor

    return LocalExecutor(recipe.run.workers or env_cpu_count())


def run_recipe(recipe: Recipe, *, overwrite: bool = False, progress: bool = False) -> RunSummary:
    """Run a recipe into its output folder, resuming a stopped run of the same recipe and inputs.

    A full disk under the output folder stops the run with :class:`OutputDiskFullError`, which
    names the folder: finished tasks are kept, so the same command resumes once there is space.
    """
    started = time.perf_counter()
    files = expand_inputs(recipe.inputs, recipe.reader.format)
    tasks = plan_tasks(files, int(recipe.reader.slice_mb * 2**20))
    layout = OutputLayout(Path(recipe.output.path))
    executor = _make_executor(recipe)
    with naming_full_disk(layout.root):
        resumed = layout.prepare(_run_state(recipe, files), overwrite, [f.path for f in files])
        lock = layout.lock()
        try:
            handler = _attach_run_log(layout)
        except BaseException:  # no log folder (a full disk): the lock goes, a rerun may take it
            lock.close()
            raise
        try:
            log.info(
                "%s run of '%s': %d input files, %d tasks",
                "resumed" if resumed else "new",
                recipe.name,
                len(files),
                len(tasks),
            )
            with replaced_atomically(layout.root / "recipe.yaml") as tmp:
                tmp.write_text(recipe.to_yaml(), encoding="utf-8")
            run_info: dict[str, Any] = {
                "recipe": recipe.name,
                "recipe_digest": recipe.digest(),
                "versions": _versions(),
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "executor": recipe.run.executor,
            }
            ctx = RunContext(recipe, layout.root, recipe.run.strict, recipe.output.keep_rejects)
            timings = _run_phases(executor, ctx, layout, tasks, run_info, progress)
            result_funnel = _finish_run(ctx, layout, files, tasks, timings, run_info)
            seconds = time.perf_counter() - started
            log.info("done in %.1fs: %s", seconds, run_info["counts"])
            return RunSummary(layout.root, result_funnel, len(tasks), resumed, seconds)
        except Exception:
            log.exception("run failed; rerun the same command to resume")
            raise
        finally:
            logging.getLogger("taoyu").removeHandler(handler)
            handler.close()
            lock.close()


def _run_state(recipe: Recipe, files: list[InputFile]) -> dict[str, Any]:
    """What a resume must find unchanged: the recipe, the inputs (by path, size and mtime, which catch
    an input replaced between a crash and its resume without reading it) and whether rejects are kept."""
    listing = "\n".join(f"{f.path}\t{f.size}\t{f.mtime_ns}" for f in files)
    return {
        "recipe_digest": recipe.digest(),
        "inputs_fingerprint": xxhash.xxh3_128_hexdigest(listing.encode()),
        "keep_rejects": recipe.output.keep_rejects,
    }


@dataclass
class _PhaseTimings:
    """Wall time of this invocation's part of each phase, and which tasks it ran, for ``run.json``."""

    phases: list[dict[str, Any]]
    ran_tasks: dict[int, set[int]]


def _run_phases(
    executor: Any,
    ctx: RunContext,
    layout: OutputLayout,
    tasks: list[Task],
    run_info: dict[str, Any],
    progress: bool,
) -> _PhaseTimings:
    """Run every phase's unfinished tasks, then the global step after it if its marker is missing:
    the markers are what make a stopped run resume where it stopped."""
    timings = _PhaseTimings([], {})
    with executor, RunProgress(enabled=progress) as bar:
        run_info["workers"] = executor.workers
        if getattr(executor, "cluster", None):
            run_info["cluster"] = executor.cluster
        for phase in ctx.phases():
            todo = [t for t in tasks if not layout.task_marker(phase.index, t.index).exists()]
            label = "read" if phase.reads_input else f"after {phase.before.name}"  # type: ignore[union-attr]
            bar.start_phase(f"phase {phase.index} ({label})", len(tasks), len(tasks) - len(todo))
            log.info(
                "phase %d: %d tasks to run, %d already done", phase.index, len(todo), len(tasks) - len(todo)
            )
            timings.ran_tasks[phase.index] = {t.index for t in todo}
            phase_started = time.perf_counter()
            executor.run_tasks(ctx, todo, phase.index, bar)
            timing = {"phase": phase.index, "label": label, "tasks_run": len(todo), "seconds": 0.0}
            timing["resolve_seconds"] = 0.0
            timings.phases.append(timing)
            timing["seconds"] = round(time.perf_counter() - phase_started, 3)
            if phase.after is not None and not layout.global_marker(phase.index).exists():
                log.info("resolving %s over %d tasks", phase.after.name, len(tasks))
                shutil.rmtree(layout.decisions(phase.index), ignore_errors=True)  # a half-done resolve
                resolve_started = time.perf_counter()
                summary = executor.resolve(ctx, phase.index, tasks)
                timing["resolve_seconds"] = round(time.perf_counter() - resolve_started, 3)
                write_json_atomic(layout.global_marker(phase.index), summary)
                log.info("%s: %s", phase.after.name, summary)
    return timings


def _finish_run(
    ctx: RunContext,
    layout: OutputLayout,
    files: list[InputFile],
    tasks: list[Task],
    timings: _PhaseTimings,
    run_info: dict[str, Any],
) -> Funnel:
    """Check that the ledger reconciles with what was read, then write ``stats.json`` and ``run.json``
    and remove the intermediate files: the last steps, done only when every task is marked."""
    phases = ctx.phases()
    markers = [layout.task_marker(phase.index, task.index) for phase in phases for task in tasks]
    results = [TaskResult(**read_json(marker)) for marker in markers]
    records_in = sum(r.records_in for r in results if r.phase == 0)
    result_funnel = _funnel(results, layout, records_in)
    if not result_funnel.reconciles or sum(_ledger_rows(r) for r in results) != records_in:
        raise LedgerMismatchError(
            f"ledger does not reconcile: {records_in} records read, {result_funnel.kept} kept, "
            f"{result_funnel.dropped} dropped, {result_funnel.input_errors} input errors"
        )
    write_json_atomic(layout.root / "stats.json", result_funnel.as_dict())
    digests: dict[str, str] = {}
    for r in results:
        digests.update(r.digests)
    run_info["inputs"] = [
        {"path": f.path, "format": f.format, "bytes": f.size, "sha256": digests.get(f.path)} for f in files
    ]
    run_info["artifacts"] = step_artifacts(ctx.recipe)
    run_info["global_steps"] = _global_step_summaries(layout, phases)
    for timing in timings.phases:  # documents the timed tasks handled, for the phase's throughput
        ran = timings.ran_tasks[timing["phase"]]
        timing["documents"] = sum(
            r.kept + r.dropped + r.passed_on + r.input_errors
            for r in results
            if r.phase == timing["phase"] and r.task in ran
        )
    run_info["phases"] = timings.phases  # wall time of this invocation's part of each phase
    run_info["tasks"] = len(tasks)
    run_info["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    run_info["counts"] = {k: v for k, v in result_funnel.as_dict().items() if isinstance(v, int | bool)}
    write_json_atomic(layout.root / "run.json", run_info)
    layout.remove_work()
    return result_funnel


def _global_step_summaries(layout: OutputLayout, phases: list[Phase]) -> dict[str, Any]:
    """What each global step decided over the whole run (dedup counts, quality bucket edges), by step
    name; a step that runs twice gets ``name#phase`` for its second summary."""
    out: dict[str, Any] = {}
    for phase in phases:
        if phase.after is not None and layout.global_marker(phase.index).exists():
            name = phase.after.name if phase.after.name not in out else f"{phase.after.name}#{phase.index}"
            out[name] = read_json(layout.global_marker(phase.index))
    return out


def _funnel(results: list[TaskResult], layout: OutputLayout, records_in: int) -> Funnel:
    """The sum of the tasks' own counts of what they committed; the ledger is read here only for
    markers written before tasks counted (a run resumed across versions)."""
    if any(r.funnel is None for r in results):
        return funnel(layout.ledger, records_in)
    total = Funnel()
    for r in results:
        total.merge(Funnel.from_json(r.funnel))  # type: ignore[arg-type]
    total.records_in = records_in
    return total


def _ledger_rows(result: TaskResult) -> int:
    return result.kept + result.dropped + result.input_errors


class _RunLogHandler(logging.FileHandler):
    """The run log's handler. A write that fails (a full disk, most often) is dropped quietly: the
    run's own error tells the user what happened, and logging's traceback on the console would
    only bury it."""

    def handleError(self, record: logging.LogRecord) -> None:
        """Drop the record; any error but an OS error is still logging's to report."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handleError(record)


def _attach_run_log(layout: OutputLayout) -> logging.Handler:
    """Send the ``taoyu`` logger to ``logs/run.log`` in the output folder, at INFO or finer, so every
    run leaves its account beside its output."""
    layout.run_log.parent.mkdir(parents=True, exist_ok=True)
    handler = _RunLogHandler(layout.run_log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("taoyu")
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler
