"""The output folder: where everything goes, and the markers that make runs resumable.

    OUT/data/            the dataset shards (what ``datasets.load_dataset`` reads)
    OUT/ledger/          one row per input record
    OUT/rejects/         dropped documents, with --keep-rejects
    OUT/recipe.yaml      the resolved recipe
    OUT/run.json         versions, inputs with sizes and digests, timings, counts
    OUT/stats.json       the funnel
    OUT/logs/run.log     the run log
    OUT/_taoyu/          bookkeeping: state, task markers, intermediate shards, temp files

A task's outputs are renamed into place before its marker is written, so a marker always means
"complete"; a rerun skips marked tasks and redoes the rest from scratch.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson


class OutputConflictError(RuntimeError):
    """The output folder cannot be used as asked (not taoyu's, another run's, in use, or holding the
    inputs): refusing is what keeps a mistaken --output from destroying files."""

    pass


class OutputDiskFullError(OSError):
    """The disk holding the output folder is full, or the user's quota on it is spent.

    Told apart from other OS errors because the remedy is the user's and nothing is lost: finished
    tasks keep their outputs and markers, nothing half-written is published, and the same command
    resumes once there is space. ``errno`` is ``ENOSPC``; the message names the folder.
    """

    @classmethod
    def at(cls, root: Path, written: str | os.PathLike[str] | None = None) -> OutputDiskFullError:
        """The error for a run writing into ``root``, with the space left there now. ``written`` is
        the file the failed write named, when the error said: if it lies outside ``root`` (a scratch
        folder, a cache), that disk is the full one, and the message names it instead."""
        place, elsewhere = root, ""
        if written:
            path = Path(os.fsdecode(written)).absolute()
            if not path.is_relative_to(root.absolute()):
                place, elsewhere = path.parent, f", outside the run's output folder {root}"
        try:
            free = shutil.disk_usage(place if place.exists() else place.parent).free / 2**20
            left = f" ({free:,.1f} MB free there now)"
        except OSError:
            left = ""
        error = cls(
            f"no space left on the disk holding {place}{elsewhere}{left}. Finished tasks are kept and "
            "nothing half-written was published: free some space there and rerun the same command to resume"
        )
        error.errno = errno.ENOSPC
        return error


_DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
_DISK_FULL_TEXTS = ("no space left on device", "disk quota exceeded")


def _disk_full_error(exc: BaseException | None) -> BaseException | None:
    """The error of ``exc``'s chain (what it was raised from or while handling) that says the disk
    is full. Arrow's errors and errors passed on from worker processes or Ray tasks may carry the
    errno in their text only, so the text counts too."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return exc
        if any(text in str(exc).lower() for text in _DISK_FULL_TEXTS):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


@contextmanager
def naming_full_disk(root: Path) -> Iterator[None]:
    """Turn any error that says the disk is full into :class:`OutputDiskFullError` naming ``root``,
    wherever it was raised (a shard, a marker, a worker's scratch file, the run log), or naming the
    file's own folder when the error names a file outside ``root``."""
    try:
        yield
    except OutputDiskFullError:
        raise
    except Exception as exc:
        full = _disk_full_error(exc)
        if full is not None:
            raise OutputDiskFullError.at(root, getattr(full, "filename", None)) from exc
        raise


def temporary_path(path: Path) -> Path:
    """Where to write ``path`` before renaming it into place: in the same folder (so the rename is
    atomic) and unique to this process and call, because on a cluster a retried task can run
    while its first attempt, on a node cut off from the driver, is still writing."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


@contextmanager
def replaced_atomically(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to, renamed into place when the block ends
    and deleted if it fails: readers see the old file or the new, never half of one, and a failed
    write (a full disk) leaves no partial file to take space from the rerun."""
    tmp = temporary_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON via a temp file and a rename, so a crash leaves the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replaced_atomically(path) as tmp:
        tmp.write_bytes(
            orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        )


def read_json(path: Path) -> Any:
    """A JSON file of the folder (state, markers, run.json), read whole: they are all small."""
    return orjson.loads(path.read_bytes())


@dataclass(frozen=True)
class OutputLayout:
    """Where each part of a run lives under the output root, named in one place so no caller builds paths."""

    root: Path

    @property
    def data(self) -> Path:
        """``data/``: the published dataset shards, kept apart so ``load_dataset`` reads nothing else."""
        return self.root / "data"

    @property
    def ledger(self) -> Path:
        """``ledger/``: one row per input record, the audit trail of every keep and drop."""
        return self.root / "ledger"

    @property
    def rejects(self) -> Path:
        """``rejects/``: dropped documents in dataset form, written only with --keep-rejects."""
        return self.root / "rejects"

    @property
    def internal(self) -> Path:
        """``_taoyu/``: resume bookkeeping, in one folder so the manifest can leave it out as not data."""
        return self.root / "_taoyu"

    @property
    def tmp(self) -> Path:
        """Temp files of unfinished tasks, on the output's file system so the rename into place is atomic."""
        return self.internal / "tmp"

    @property
    def state_file(self) -> Path:
        """What a resume must match (recipe digest, inputs), written first so a folder is known to be ours."""
        return self.internal / "state.json"

    @property
    def run_log(self) -> Path:
        """The run log, outside ``_taoyu/`` because people read it."""
        return self.root / "logs" / "run.log"

    def work(self, phase: int) -> Path:
        """Intermediate shards and signatures written by ``phase``."""
        return self.internal / "work" / f"phase{phase}"

    def decisions(self, phase: int) -> Path:
        """Decisions of the global step that ends ``phase``."""
        return self.internal / "work" / f"global{phase}"

    def stages(self, phase: int) -> Path:
        """Scratch files of a staged resolve after ``phase``: kept when a run stops, so a resume
        skips the stage tasks that finished; removed when the resolve ends."""
        return self.internal / "work" / f"stages{phase}"

    def task_marker(self, phase: int, task: int) -> Path:
        """Written once a task's outputs are in place, so a rerun skips the task; padded to sort in order."""
        return self.internal / "markers" / f"phase{phase}-{task:05d}.json"

    def global_marker(self, phase: int) -> Path:
        """Written once a global step's decisions are complete, so a rerun does not resolve them again."""
        return self.internal / "markers" / f"global{phase}.json"

    def prepare(self, state: dict[str, Any], overwrite: bool, input_paths: list[str]) -> bool:
        """Create or reopen the folder. Returns True when resuming an earlier run of the same recipe.

        ``state`` is what a resume must match: the recipe digest, the inputs' fingerprint and
        anything else that changes what lands in the folder (such as keeping rejects).
        """
        self._refuse_dangerous_roots(input_paths)
        if self.root.exists() and not self.root.is_dir():
            raise OutputConflictError(f"output {self.root} is a file, not a folder")
        if self.root.exists() and any(self.root.iterdir()):
            try:
                previous = read_json(self.state_file) if self.state_file.exists() else None
            except (OSError, ValueError):
                previous = {"unreadable": True}
            if previous is None:
                # Only ever delete what taoyu wrote: --overwrite on a folder of other files
                # (or ".") must not destroy them.
                raise OutputConflictError(
                    f"output folder {self.root} is not empty and was not written by taoyu; "
                    "choose another --output"
                )
            if overwrite:
                shutil.rmtree(self.root)
            elif previous != state:
                differs = [k for k in state if previous.get(k) != state[k]] or ["state"]
                names = {
                    "recipe_digest": "recipe",
                    "inputs_fingerprint": "input files",
                    "keep_rejects": "--keep-rejects",
                }
                what = ", ".join(names.get(k, k) for k in differs)
                raise OutputConflictError(
                    f"output folder {self.root} holds a run with a different {what}; "
                    "choose another --output, or pass --overwrite to replace it"
                )
            else:
                self._clear_tmp()
                return True
        self.root.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.state_file, state)
        self._clear_tmp()
        return False

    def _refuse_dangerous_roots(self, input_paths: list[str]) -> None:
        root = self.root.resolve()
        cwd = Path.cwd().resolve()
        if root == cwd or root in cwd.parents:
            raise OutputConflictError(
                f"output folder {self.root} contains the working directory; choose a subfolder"
            )
        for path in input_paths:
            if root in Path(path).resolve().parents:
                raise OutputConflictError(
                    f"output folder {self.root} contains the input {path}; "
                    "its outputs would be read back as inputs"
                )

    def lock(self) -> Any:
        """Hold an exclusive lock on the folder for the run: two runs into one folder corrupt both."""
        self.internal.mkdir(parents=True, exist_ok=True)
        handle = open(self.internal / "lock", "w")  # noqa: SIM115 (held for the whole run)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputConflictError(f"another taoyu run is writing to {self.root}") from None
        return handle

    def _clear_tmp(self) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def remove_work(self) -> None:
        """Delete the intermediate shards once run.json is written: nothing reads them again, and they can
        be as large as the dataset."""
        shutil.rmtree(self.internal / "work", ignore_errors=True)
