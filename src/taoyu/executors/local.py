"""The local executor: tasks on a pool of worker processes on this machine.

Workers are started with ``spawn`` so they never inherit the parent's threads or open files.
A worker that dies (OOM killer, SIGKILL) breaks the pool; the executor starts a fresh pool and
re-runs the tasks that had not committed, since a task's outputs only appear at its commit.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue as queue_mod
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from taoyu.executors.task import RunContext, TaskResult, run_task_phase
from taoyu.io.tasks import Task
from taoyu.progress import RunProgress

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
        remaining = {t.index: t for t in tasks}
        results: dict[int, TaskResult] = {}
        restarts = 0
        while remaining:
            pool = self._get_pool()
            futures: dict[Future[TaskResult], int] = {
                pool.submit(_worker, ctx, task, phase): index for index, task in sorted(remaining.items())
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
                    index = futures[future]
                    results[index] = result
                    remaining.pop(index, None)
                    progress.task_done(result.input_bytes)
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
        return [results[t.index] for t in tasks]

    def resolve(self, ctx: RunContext, phase: int, tasks: list[Task]) -> dict[str, Any]:
        """A global step's resolve, in this process."""
        return ctx.resolve_whole(phase, tasks)


def _drain(q: Any, progress: RunProgress) -> None:
    total = 0
    try:
        while True:
            total += q.get_nowait()
    except queue_mod.Empty:
        pass
    if total:
        progress.add_docs(total)
