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

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson


class OutputConflictError(RuntimeError):
    pass


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(
        orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    )
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


@dataclass(frozen=True)
class OutputLayout:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def ledger(self) -> Path:
        return self.root / "ledger"

    @property
    def rejects(self) -> Path:
        return self.root / "rejects"

    @property
    def internal(self) -> Path:
        return self.root / "_taoyu"

    @property
    def tmp(self) -> Path:
        return self.internal / "tmp"

    @property
    def state_file(self) -> Path:
        return self.internal / "state.json"

    @property
    def run_log(self) -> Path:
        return self.root / "logs" / "run.log"

    def work(self, phase: int) -> Path:
        """Intermediate shards and signatures written by ``phase``."""
        return self.internal / "work" / f"phase{phase}"

    def decisions(self, phase: int) -> Path:
        """Decisions of the global step that ends ``phase``."""
        return self.internal / "work" / f"global{phase}"

    def task_marker(self, phase: int, task: int) -> Path:
        return self.internal / "markers" / f"phase{phase}-{task:05d}.json"

    def global_marker(self, phase: int) -> Path:
        return self.internal / "markers" / f"global{phase}.json"

    def prepare(self, recipe_digest: str, inputs_fingerprint: str, overwrite: bool) -> bool:
        """Create or reopen the folder. Returns True when resuming an earlier run of the same recipe."""
        state = {"recipe_digest": recipe_digest, "inputs_fingerprint": inputs_fingerprint}
        if self.root.exists() and any(self.root.iterdir()):
            previous = read_json(self.state_file) if self.state_file.exists() else None
            if overwrite:
                shutil.rmtree(self.root)
            elif previous is None:
                raise OutputConflictError(
                    f"output folder {self.root} is not empty and was not written by taoyu; "
                    "choose another --output, or pass --overwrite to replace it"
                )
            elif previous != state:
                what = "recipe" if previous.get("recipe_digest") != recipe_digest else "input files"
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

    def _clear_tmp(self) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def remove_work(self) -> None:
        shutil.rmtree(self.internal / "work", ignore_errors=True)
