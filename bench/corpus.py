"""Benchmark corpora from ../shared/bench/make_corpus.py, cached under bench/_work and split in shards;
and the best-of-N timer the benchmarks share."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WORK = REPO / "bench" / "_work"


def build_corpus(n: int, shards: int) -> tuple[Path, Path]:
    """(folder of `shards` JSONL files, the truth sidecar) for an n-document corpus."""
    WORK.mkdir(parents=True, exist_ok=True)
    prefix = WORK / f"corpus_{n}"
    corpus = prefix.with_suffix(".jsonl")
    if not corpus.exists():
        maker = SHARED / "bench" / "make_corpus.py"
        if not maker.exists():
            sys.exit(f"needs {maker} (the shared benchmark data)")
        subprocess.run([sys.executable, str(maker), "--n", str(n), "--out", str(prefix)], check=True)
    shard_dir = WORK / f"corpus_{n}_shards{shards}"
    if not shard_dir.exists():
        shard_dir.mkdir()
        lines = corpus.read_bytes().splitlines(keepends=True)
        per = -(-len(lines) // shards)
        for i in range(shards):
            (shard_dir / f"part-{i:02d}.jsonl").write_bytes(b"".join(lines[i * per : (i + 1) * per]))
    return shard_dir, prefix.with_suffix(".truth.jsonl")


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds: the figure least moved by a shared,
    noisy machine."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)
