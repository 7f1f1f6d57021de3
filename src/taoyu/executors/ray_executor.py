"""The Ray executor: the local executor's tasks, as Ray tasks on a cluster.

Each taoyu task of each phase is one Ray task that calls the same ``run_task_phase`` as the local
executor: it reads its input, writes data, ledger and intermediate shards to the output folder,
commits them and writes its marker. The plan, the shard names and the commit protocol do not
change, so local and Ray runs of one recipe give byte-identical shards and the same ledger, and a
run started on one executor resumes on the other.

Global steps resolve off the driver. Steps with a keyed resolve (exact dedup, repeated lines) run
it as a shuffle: map tasks split the signature rows by key hash into partitions, one reduce task
per partition decides on its keys, and writer tasks gather each range of tasks' decision rows and
write their decision files. Partitions travel through Ray's object store, so the driver only holds
object references. Near dedup's resolve is staged: each stage's tasks are Ray tasks, and they pass
data as files on the shared filesystem (``StagedResolve``).

A worker process or node that dies is handled by Ray: the task is retried (``MAX_RETRIES``), and a
retried taoyu task starts by deleting whatever an earlier attempt left uncommitted. Task outputs
only appear at their commit and markers only after it, so no record is lost or written twice.

On a cluster of several machines the output folder (and the inputs) must be on a filesystem every
node mounts at the same path, and workers run in the driver's working directory, because the
ledger names inputs by their path relative to it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from taoyu.executors import ExecutorNotAvailableError
from taoyu.executors.task import RunContext, TaskResult, doc_files, run_task_phase, signature_files
from taoyu.io.tasks import Task
from taoyu.progress import RunProgress
from taoyu.steps.base import KeyedResolve, StagedResolve, StageTask, drive_plan
from taoyu.version import __version__

log = logging.getLogger("taoyu")

MAX_RETRIES = 3
"""Ray re-runs a task whose worker process or node died this many times before the run fails."""
INSTALL_HINT = "pip install 'taoyu[ray]'"
CONNECT_TIMEOUT_S = 5.0
CHECK_TIMEOUT_S = 120
RESOLVE_RESOURCE = "taoyu_resolve"
"""A custom Ray resource: when a node offers it (`ray start --resources '{"taoyu_resolve": 1}'`),
resolves that run as one task (the quality model's, a plugin's global step) run there, e.g. on
the node with the most memory. Keyed and staged resolves (dedup) spread over every node."""
_POLL_S = 0.2


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ExecutorNotAvailableError(
            f"the Ray executor needs the ray package, which is not installed ({exc}); "
            f"install it with: {INSTALL_HINT}"
        ) from None
    return ray


def _start_hint(address: str) -> str:
    return (
        "start a cluster with `ray start --head` (and `ray start --address HEAD_IP:6379` on the other "
        f"nodes), or pass the address of a running one with --address (tried: {address})"
    )


def resolve_address(address: str | None) -> str:
    """The cluster's ``host:port``: given, from RAY_ADDRESS, or (``auto``) the one started here."""
    import_ray()
    given = address or os.environ.get("RAY_ADDRESS") or "auto"
    if given.startswith("ray://"):
        return given  # Ray Client: ray.init checks it
    found: str | None = given
    if given == "auto":
        try:
            from ray._private.services import canonicalize_bootstrap_address

            found = canonicalize_bootstrap_address("auto")
        except ConnectionError:  # what it raises when no cluster was started on this machine
            found = None
        except Exception:  # a private API: if it moves, ray.init still resolves "auto" itself
            return given
        if not found:
            raise ExecutorNotAvailableError(
                f"no running Ray cluster found on this machine; {_start_hint(given)}"
            )
    assert found is not None
    host, _, port = found.rpartition(":")
    if not host or not port.isdigit():
        raise ExecutorNotAvailableError(f"Ray address {found!r} is not host:port; {_start_hint(found)}")
    # ray.init retries an unreachable address for minutes; a plain TCP connect fails in seconds.
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise ExecutorNotAvailableError(
            f"cannot reach a Ray cluster at {found} ({exc}); {_start_hint(found)}"
        ) from None
    return found


class RayExecutor:
    """Runs tasks and global resolves as Ray tasks on the cluster at ``address``.

    ``workers`` caps the tasks running at once (0: as many as the cluster has CPUs).
    ``partitions`` is the number of key partitions of a shuffled resolve (0: the cluster's CPUs).
    """

    def __init__(self, address: str | None = None, workers: int = 0, partitions: int = 0) -> None:
        self.address = resolve_address(address)
        self.requested_workers = workers
        self.partitions = partitions
        self.workers = workers
        self.cluster: dict[str, Any] = {}
        self._ray: Any = None
        self._cwd = os.getcwd()
        self._checked = False
        self._counter: Any = None

    # --- connection ---------------------------------------------------------------------------

    def __enter__(self) -> RayExecutor:
        ray = import_ray()
        runtime_env: dict[str, Any] = {}
        if os.environ.get("PYTHONPATH"):  # plugins and checkouts on a shared path load on workers too
            runtime_env["env_vars"] = {"PYTHONPATH": os.environ["PYTHONPATH"]}
        try:
            ray.init(
                address=self.address,
                log_to_driver=False,
                logging_level=logging.WARNING,
                runtime_env=runtime_env or None,
                namespace="taoyu",
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ExecutorNotAvailableError(
                f"cannot connect to the Ray cluster at {self.address}: {exc}; {_start_hint(self.address)}"
            ) from None
        self._ray = ray
        try:
            self._describe_cluster()
        except BaseException:
            self._shutdown()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        if self._ray is not None:
            # The job ends with the driver's connection: Ray stops its workers, so none goes on
            # writing into the output folder after a failed or interrupted run.
            self._ray.shutdown()
            self._ray = None
            self._counter = None

    def _alive_nodes(self) -> list[dict[str, Any]]:
        return [n for n in self._ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0]

    def _describe_cluster(self) -> None:
        nodes = self._alive_nodes()
        cpus = int(sum(n["Resources"]["CPU"] for n in nodes))
        if cpus < 1:
            raise ExecutorNotAvailableError(
                f"the Ray cluster at {self.address} has no node with a CPU to run tasks on; "
                "start worker nodes with `ray start --address ...`"
            )
        self.workers = min(self.requested_workers, cpus) if self.requested_workers else cpus
        self.cluster = {"address": self.address, "nodes": len(nodes), "cpus": cpus}
        log.info(
            "Ray cluster at %s: %d nodes, %d CPUs; %d tasks at a time",
            self.address,
            len(nodes),
            cpus,
            self.workers,
        )

    def _on_each_node(self, fn: Any, *args: Any) -> list[tuple[str, Any]]:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        nodes = self._alive_nodes()
        refs = [
            fn.options(
                num_cpus=1,
                scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=n["NodeID"], soft=False),
            ).remote(*args)
            for n in nodes
        ]
        ray = self._ray
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=CHECK_TIMEOUT_S)
        answers = []
        for node, ref in zip(nodes, refs, strict=True):
            where = node["NodeManagerAddress"]
            if ref not in ready:
                # A node busy with another job's tasks; its tasks will fail loudly if it lacks something.
                log.warning(
                    "Ray node %s did not answer the pre-run check in %ds; not checked", where, CHECK_TIMEOUT_S
                )
                self._cancel([ref])
                continue
            try:
                answers.append((where, ray.get(ref)))
            except ray.exceptions.RayTaskError:
                raise
            except ray.exceptions.RayError as exc:  # a node that died since the GCS last heard of it
                log.warning("Ray node %s could not be checked (%s); not checked", where, type(exc).__name__)
        return answers

    def _check_run(self, ctx: RunContext) -> None:
        """Once per run, on every node: the same taoyu imports, the driver's working directory and
        the output folder are there, and the recipe's steps build. One round trip per node."""
        if self._checked:
            return
        import pickle

        # Pickled by value, so it runs (and says so) on a node where taoyu is missing.
        probe = self._ray.remote(_make_probe())
        args = (__version__, self._cwd, str(ctx.layout.state_file), pickle.dumps(ctx))
        for node, problem in self._on_each_node(probe, *args):
            if problem:
                raise ExecutorNotAvailableError(f"Ray node {node}: {problem}")
        self._checked = True

    # --- tasks --------------------------------------------------------------------------------

    def _progress_counter(self, progress: RunProgress) -> Any:
        if not progress.enabled:
            return None
        if self._counter is None:
            self._counter = self._ray.remote(num_cpus=0)(_Counter).remote()
        return self._counter

    def _drain(self, counter: Any, progress: RunProgress) -> None:
        if counter is not None:
            n = self._ray.get(counter.take.remote())
            if n:
                progress.add_docs(n)

    def run_tasks(
        self, ctx: RunContext, tasks: list[Task], phase: int, progress: RunProgress
    ) -> list[TaskResult]:
        if not tasks:
            return []
        self._check_run(ctx)
        ray = self._ray
        counter = self._progress_counter(progress)
        remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)(_run_task)
        queue = sorted(tasks, key=lambda t: t.index)
        # With every CPU in use, Ray queues the tasks itself and starts each the moment a CPU frees
        # up; a smaller --workers is kept to by submitting no more than that many at a time.
        limit = len(queue) if self.workers >= self.cluster["cpus"] else self.workers
        shared = ray.put(ctx)  # once in the object store, not pickled into every task
        running: dict[Any, Task] = {}
        results: dict[int, TaskResult] = {}
        try:
            while queue or running:
                while queue and len(running) < limit:
                    task = queue.pop(0)
                    running[remote.remote(shared, task, phase, self._cwd, counter)] = task
                done, _ = ray.wait(list(running), num_returns=1, timeout=_POLL_S)
                self._drain(counter, progress)
                for ref in done:
                    task = running.pop(ref)
                    result = self._get(ref, f"task {task.index} ({task.label}), phase {phase}")
                    results[task.index] = result
                    progress.task_done(result.input_bytes)
            self._drain(counter, progress)
        except BaseException:
            self._cancel(list(running))
            raise
        return [results[t.index] for t in tasks]

    def _get(self, ref: Any, what: str) -> Any:
        ray = self._ray
        try:
            return ray.get(ref)
        except ray.exceptions.RayTaskError as exc:
            # The step's or reader's own exception (StrictModeError, a bug): re-raised as itself so
            # the CLI reports it as it would a local run; the remote traceback goes to the run log.
            log.error("%s failed on the cluster:\n%s", what, exc)
            cause = exc.cause if isinstance(exc.cause, BaseException) else RuntimeError(str(exc))
            raise cause from None
        except ray.exceptions.RayError as exc:
            raise RuntimeError(
                f"{what}: the Ray worker or node running it died {MAX_RETRIES + 1} times "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                "rerun the same command to resume"
            ) from exc

    def _cancel(self, refs: list[Any]) -> None:
        for ref in refs:
            with contextlib.suppress(Exception):  # already finished, or the connection is gone
                self._ray.cancel(ref, force=True)

    # --- global steps -------------------------------------------------------------------------

    def resolve(self, ctx: RunContext, phase: int, tasks: list[Task]) -> dict[str, Any]:
        self._check_run(ctx)
        step = ctx.global_step(phase)
        layout = ctx.layout
        if isinstance(step, StagedResolve):
            plan = ctx.stage_plan(phase, tasks, self.partitions or self.cluster["cpus"])
            return drive_plan(plan, lambda stage: self._run_stage(ctx, phase, stage))
        files = signature_files(layout, phase, tasks)
        decisions = layout.decisions(phase)
        if not isinstance(step, KeyedResolve):
            opts: dict[str, Any] = {"num_cpus": 1, "max_retries": MAX_RETRIES, "retry_exceptions": False}
            if self._ray.cluster_resources().get(RESOLVE_RESOURCE):
                opts["resources"] = {RESOLVE_RESOURCE: 1}  # the node set aside for whole-corpus resolves
            remote = self._ray.remote(**opts)(_resolve_whole)
            ref = remote.remote(ctx, phase, files, decisions, doc_files(layout, phase, tasks), self._cwd)
            return self._get(ref, f"{step.name} resolve")
        return self._shuffle(ctx, phase, files, decisions, [t.index for t in tasks])

    def _run_stage(self, ctx: RunContext, phase: int, stage: list[StageTask]) -> list[dict[str, int]]:
        """One stage of a staged resolve, a Ray task per stage task. Data moves between stages as
        files on the shared filesystem, so a task retried after its worker died finds its inputs."""
        ray = self._ray
        remote = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)(_stage_task)
        shared = ray.put(ctx)
        refs = [remote.remote(shared, phase, task, self._cwd) for task in stage]
        try:
            pairs = zip(refs, stage, strict=True)
            return [self._get(ref, f"{ctx.global_step(phase).name} stage {task.name}") for ref, task in pairs]
        except BaseException:
            self._cancel(refs)
            raise

    def _shuffle(
        self, ctx: RunContext, phase: int, files: list[tuple[int, Path]], decisions: Path, task_ids: list[int]
    ) -> dict[str, Any]:
        from taoyu.steps.base import merge_figures

        ray = self._ray
        partitions = max(1, self.partitions or self.cluster["cpus"])
        writers = max(1, min(partitions, len(task_ids)))
        maps = _groups(files, max(1, min(len(files), 2 * partitions)))
        task_ids = sorted(task_ids)
        bounds = [task_ids[(len(task_ids) * w) // writers] for w in range(writers)] if task_ids else [0]
        opts = {"num_cpus": 1, "max_retries": MAX_RETRIES, "retry_exceptions": False}
        mapper = ray.remote(**opts)(_shuffle_map).options(num_returns=partitions + 1)
        reducer = ray.remote(**opts)(_shuffle_reduce).options(num_returns=writers + 1)
        writer = ray.remote(**opts)(_shuffle_write)
        shared = ray.put(ctx)
        mapped = [mapper.remote(shared, phase, g, partitions, self._cwd) for g in maps] if maps else []
        if not mapped:  # no signatures at all: one empty map keeps the figures' keys
            mapped = [mapper.remote(shared, phase, [], partitions, self._cwd)]
        reduced = [reducer.remote(shared, phase, bounds, *[m[p] for m in mapped]) for p in range(partitions)]
        written = [
            writer.remote(shared, phase, str(decisions), self._cwd, *[r[w] for r in reduced])
            for w in range(writers)
        ]
        figures = [m[-1] for m in mapped] + [r[-1] for r in reduced] + written
        log.info(
            "shuffle: %d map tasks, %d partitions, %d decision writers", len(mapped), partitions, writers
        )
        try:
            return merge_figures(self._get(ref, "shuffled resolve") for ref in figures)
        except BaseException:
            self._cancel(figures)
            raise


def _groups(files: list[tuple[int, Path]], n: int) -> list[list[tuple[int, Path]]]:
    """``files`` cut into ``n`` contiguous groups of about equal size, in order."""
    if not files:
        return []
    return [g for g in (files[(len(files) * i) // n : (len(files) * (i + 1)) // n] for i in range(n)) if g]


# --- what runs on the workers ------------------------------------------------------------------


def _enter(cwd: str) -> None:
    # Inputs and the output are named relative to the driver's working directory, as the ledger
    # records them; on a cluster that directory is on the shared filesystem.
    if os.getcwd() != cwd:
        os.chdir(cwd)


def _run_task(ctx: RunContext, task: Task, phase: int, cwd: str, counter: Any) -> TaskResult:
    _enter(cwd)
    report: Callable[[int], None] | None = None
    if counter is not None:

        def report(n: int) -> None:
            counter.add.remote(n)

    return run_task_phase(ctx, task, phase, report)


def _resolve_whole(
    ctx: RunContext,
    phase: int,
    files: list[tuple[int, Path]],
    decisions: Path,
    docs: dict[int, list[Path]],
    cwd: str,
) -> dict[str, Any]:
    _enter(cwd)
    return ctx.global_step(phase).resolve(files, decisions, docs)


def _stage_task(ctx: RunContext, phase: int, task: StageTask, cwd: str) -> dict[str, int]:
    _enter(cwd)
    return ctx.run_stage_task(phase, task)


def _keyed(ctx: RunContext, phase: int) -> KeyedResolve:
    step = ctx.global_step(phase)
    assert isinstance(step, KeyedResolve)
    return step


def _shuffle_map(
    ctx: RunContext, phase: int, files: list[tuple[int, Path]], partitions: int, cwd: str
) -> Any:
    _enter(cwd)
    parts, figures = _keyed(ctx, phase).shuffle_map(files, partitions)
    return (*parts, figures)


def _shuffle_reduce(ctx: RunContext, phase: int, bounds: list[int], *parts: Any) -> Any:
    import numpy as np

    from taoyu.steps.base import split_rows

    rows, figures = _keyed(ctx, phase).shuffle_reduce(list(parts))
    tasks = rows.column("task").to_numpy()
    writer_of = np.searchsorted(np.asarray(bounds, np.int64), tasks, side="right") - 1
    return (*split_rows(rows, np.maximum(writer_of, 0), len(bounds)), figures)


def _shuffle_write(ctx: RunContext, phase: int, decisions: str, cwd: str, *tables: Any) -> dict[str, int]:
    _enter(cwd)
    return _keyed(ctx, phase).write_decisions(list(tables), Path(decisions))


def _check_node(ctx: RunContext, cwd: str, state_file: str) -> str | None:
    """What stops this node from running the recipe, or None."""
    if not os.path.isdir(cwd):
        return (
            f"the driver's working directory {cwd} does not exist here; on a cluster of several machines, "
            "run taoyu from a shared filesystem mounted at the same path on every node"
        )
    _enter(cwd)
    if not os.path.exists(state_file):
        return (
            f"the output folder ({Path(state_file).parent.parent}) is not visible here; on a cluster of "
            "several machines it must be on a filesystem every node mounts at the same path"
        )
    try:
        ctx.steps()
    except Exception as exc:
        return (
            f"cannot build the recipe's steps ({type(exc).__name__}: {exc}); "
            "install the same plugins on every node"
        )
    return None


class _Counter:
    """Documents processed, reported by tasks as they go and collected by the driver's progress bar."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, n: int) -> None:
        self.n += n

    def take(self) -> int:
        n, self.n = self.n, 0
        return n


def _make_probe() -> Callable[..., str | None]:
    # A nested function is pickled by value, so the node can run it without importing taoyu.
    def probe(version: str, cwd: str, state_file: str, ctx: bytes) -> str | None:
        import pickle
        import platform

        try:
            from taoyu.executors.ray_executor import _check_node
            from taoyu.version import __version__ as node_version
        except Exception as exc:
            return (
                f"cannot import taoyu ({type(exc).__name__}: {exc}; Python {platform.python_version()}); "
                f"install taoyu {version}, with the same extras and plugins, on every node"
            )
        if node_version != version:
            return f"runs taoyu {node_version}, the driver {version}; install the same version everywhere"
        return _check_node(pickle.loads(ctx), cwd, state_file)

    return probe
