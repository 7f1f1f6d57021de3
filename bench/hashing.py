"""How fast ``taoyu sign`` and ``taoyu verify`` hash an output folder, beside coreutils' sha256sum.

    python bench/hashing.py [--mb 1024] [--files 8] [--repeat 3]

Writes ``--files`` files of random bytes (``--mb`` in all) into a temporary folder, reads them once
so the page cache holds them (the figure is hashing, not the disk), then hashes them with
taoyu's ``hash_files`` on one thread and on one per core, and with ``sha256sum`` (one process,
the anchor), best of ``--repeat``. Reports MB/s, MB/s per core and the ratio to the anchor,
measured in the same run because this machine is shared and noisy. The target is ≥ 500 MB/s per
core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from taoyu.jit import compile_at_first_call
from taoyu.publish.manifest import hash_files

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import best


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="taoyu-hash-") as tmp:
        paths = []
        per_file = args.mb * 2**20 // args.files
        for i in range(args.files):
            path = Path(tmp) / f"part-{i:05d}.parquet"
            with open(path, "wb") as f:
                for _ in range(per_file // 2**20):
                    f.write(os.urandom(2**20))
            paths.append(path)
        for p in paths:  # warm the page cache
            p.read_bytes()
        total = sum(p.stat().st_size for p in paths) / 1e6
        rows = [
            ("taoyu, 1 thread", 1, best(lambda: hash_files(paths, workers=1), args.repeat)),
            (f"taoyu, {cores} threads", cores, best(lambda: hash_files(paths, workers=cores), args.repeat)),
        ]
        if shutil.which("sha256sum"):
            anchor = best(
                lambda: subprocess.run(["sha256sum", *map(str, paths)], check=True, capture_output=True),
                args.repeat,
            )
            rows.append(("sha256sum (anchor), 1 process", 1, anchor))
        else:
            anchor = None
        print(f"{total:,.0f} MB in {args.files} files, best of {args.repeat}\n")
        print(f"{'hasher':<32}{'MB/s':>10}{'MB/s/core':>12}{'vs anchor':>11}")
        for name, used, seconds in rows:
            ratio = f"{anchor / seconds:.2f}x" if anchor else "-"
            print(f"{name:<32}{total / seconds:>10,.0f}{total / seconds / used:>12,.0f}{ratio:>11}")


if __name__ == "__main__":
    main()
