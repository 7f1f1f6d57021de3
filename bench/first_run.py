"""What the README's first command costs on a fresh install: the example run with no compiled code on disk.

    python bench/first_run.py

A fresh install has no numba cache, so this deletes the package's (``src/taoyu/**/__pycache__/
*.nbi, *.nbc``) before each cold run; the next long run rebuilds what it needs. It times, each
in a new process and output folder:

- ``cold``: ``taoyu run recipes/zh-web.yaml`` as the README runs it (kernels compile only once
  their Python time would have paid for it, :mod:`taoyu.jit`), and how many kernels it compiled;
- ``warm``: the same again, with whatever the cold run left on disk;
- ``cold, compiled`` and ``warm, compiled``: with ``TAOYU_JIT=compiled`` (every kernel compiled
  at its first call, what every run did before), whose difference is the compile time a first
  run used to pay.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "taoyu"


def _cache_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("__pycache__/*") if p.suffix in (".nbi", ".nbc")]


def _run(out: Path, jit: str) -> dict:
    env = {**os.environ, "TAOYU_JIT": jit}
    before = len([p for p in _cache_files() if p.suffix == ".nbi"])
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "taoyu.cli", "run", "recipes/zh-web.yaml", "--output", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    after = len([p for p in _cache_files() if p.suffix == ".nbi"])
    return {"seconds": round(seconds, 1), "kernels_compiled": after - before, "output": proc.stdout.strip()}


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, jit, fresh in (
            ("cold", "auto", True),
            ("warm", "auto", False),
            ("cold, compiled", "compiled", True),
            ("warm, compiled", "compiled", False),
        ):
            if fresh:
                for path in _cache_files():
                    path.unlink()
            results[label] = _run(Path(tmp) / label.replace(", ", "-"), jit)
            found = results[label]
            print(f"{label:16} {found['seconds']:6.1f} s, {found['kernels_compiled']} kernels compiled")
    compile_seconds = results["cold, compiled"]["seconds"] - results["warm, compiled"]["seconds"]
    results["compile_seconds_when_every_kernel_compiles"] = round(compile_seconds, 1)
    print(
        f"compiling every kernel at first call costs {compile_seconds:.1f} s; the cold run compiled "
        f"{results['cold']['kernels_compiled']} kernels"
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
