"""The local executor: tasks on a pool of worker processes on this machine.

Workers are started with ``spawn`` so they never inherit the parent's threads or open files.
A worker that dies (OOM killer, SIGKILL) breaks the pool; the executor starts a fresh pool and
re-runs the tasks that had not committed, since a task's outputs only appear at its commit.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue as queue_mod
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from taoyu.executors.task import RunContext, TaskResult, run_task_phase
from taoyu.io.tasks import Task
from taoyu.progress import RunProgress
from taoyu.steps.base import StagedResolve, StageTask, drive_plan

log = logging.getLogger("taoyu")

MAX_POOL_RESTARTS = 3
_progress_queue: Any = None


def _init_worker(progress_queue: Any) -> None:
    global _progress_queue
    _progress_queue = progress_queue


def _report(n: int) -> None:
    if _progress_queue is not None:
        _progress_queue.put(n)


def _worker(ctx: RunContext, task: Task, phase: int) -> TaskResult:
    return run_task_phase(ctx, task, phase, _report)


def _stage_worker(ctx: RunContext, phase: int, task: StageTask) -> dict[str, int]:
    return ctx.run_stage_task(phase, task)


class LocalExecutor:
    """Runs tasks in-process with one worker, else on a spawn pool kept for the whole run."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._context = mp.get_context("spawn")
        self._queue: Any = None
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_pool()

    def _close_pool(self, wait: bool = True) -> None:
        """Shut the pool down; without ``wait``, stop its workers first.

        A worker left running after the parent exits writes progress into a queue nobody reads
        and dies with a traceback on the user's terminal, so workers are always reaped.
        """
        if self._pool is None:
            return
        if not wait:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # A fresh queue per pool: a worker killed while holding the old queue's lock would
            # leave it locked, and the next pool's workers would hang flushing into it.
            self._queue = self._context.Queue()
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._context,
                initializer=_init_worker,
                initargs=(self._queue,),
            )
        return self._pool

    def run_tasks(
        self, ctx: RunContext, tasks: list[Task], phase: int, progress: RunProgress
    ) -> list[TaskResult]:
        if not tasks:
            return []
        if self.workers == 1:
            results = []
            for task in tasks:
                results.append(run_task_phase(ctx, task, phase, progress.add_docs))
                progress.task_done(results[-1].input_bytes)
            return results
        return self._run_pool(ctx, tasks, phase, progress)

    def _run_pool(
        self, ctx: RunContext, tasks: list[Task], phase: int, progress: RunProgress
    ) -> list[TaskResult]:
        jobs = {t.index: (_worker, (ctx, t, phase)) for t in tasks}
        results = self._on_pool(jobs, progress, lambda result: progress.task_done(result.input_bytes))
        return [results[t.index] for t in tasks]

    def _on_pool(
        self,
        jobs: dict[int, tuple[Callable[..., Any], tuple[Any, ...]]],
        progress: RunProgress | None,
        on_result: Callable[[Any], None] | None = None,
    ) -> dict[int, Any]:
        """Run ``jobs`` (key: function and arguments) on the pool; their results by key.

        A worker that dies breaks the pool: a fresh pool re-runs the jobs that had not returned,
        which is safe because every job commits its outputs whole or not at all.
        """
        remaining = dict(jobs)
        results: dict[int, Any] = {}
        restarts = 0
        while remaining:
            pool = self._get_pool()
            futures: dict[Future[Any], int] = {
                pool.submit(fn, *args): key for key, (fn, args) in sorted(remaining.items())
            }
            broken = False
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(self._queue, progress)
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except BaseException:
                        self._close_pool(wait=False)
                        raise
                    key = futures[future]
                    results[key] = result
                    remaining.pop(key, None)
                    if on_result is not None:
                        on_result(result)
            _drain(self._queue, progress)
            if broken:
                self._close_pool(wait=False)
                if remaining:
                    restarts += 1
                    if restarts > MAX_POOL_RESTARTS:
                        raise RuntimeError(
                            f"worker processes kept dying ({restarts} times); {len(remaining)} tasks "
                            "unfinished. Rerun the same command to resume."
                        )
                    log.warning(
                        "a worker process died; restarting the pool for %d unfinished tasks", len(remaining)
                    )
        return results

    def resolve(self, ctx: RunContext, phase: int, tasks: list[Task]) -> dict[str, Any]:
        """A global step's resolve: a staged one's tasks on the pool, any other in this process."""
        if not isinstance(ctx.global_step(phase), StagedResolve):
            return ctx.resolve_whole(phase, tasks)
        plan = ctx.stage_plan(phase, tasks, ctx.recipe.run.partitions or self.workers)
        return drive_plan(plan, lambda stage: self.run_stage(ctx, phase, stage))

    def run_stage(self, ctx: RunContext, phase: int, stage: list[StageTask]) -> list[dict[str, int]]:
        """One stage of a staged resolve: its tasks on the pool (in this process with one worker)."""
        if self.workers == 1 or len(stage) == 1:
            return [ctx.run_stage_task(phase, task) for task in stage]
        jobs = {i: (_stage_worker, (ctx, phase, task)) for i, task in enumerate(stage)}
        results = self._on_pool(jobs, None)
        return [results[i] for i in range(len(stage))]


def _drain(q: Any, progress: RunProgress | None) -> None:
    total = 0
    try:
        while True:
            total += q.get_nowait()
    except queue_mod.Empty:
        pass
    if total and progress is not None:
        progress.add_docs(total)
