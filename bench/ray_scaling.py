"""The Ray executor against the local one, same recipe, same corpus, same run of this script.

    python bench/ray_scaling.py [--n 100000] [--shards 8] [--repeat 3] [--recipe recipes/dedup.yaml]

The dedup corpus (from ../shared/bench/make_corpus.py, cached under bench/_work) goes through
`recipes/dedup.yaml` (exact dedup, then near dedup) four ways: the local executor with 1 and 2
worker processes, and the Ray executor with 1 and 2 workers on a real Ray cluster on this machine
(one `ray start` node of 1 CPU, then a second node joined with `ray start --address`, each started
with --node-ip-address 127.0.0.1; cluster start-up is not timed, as a cluster outlives its runs).

Every run is a `taoyu run` process, timed from start to exit; each configuration runs --repeat
times, interleaved with its local counterpart, and the median is reported. Overhead is Ray's time
over the local executor's with the same number of workers. Every Ray run's dataset and ledger are
checked byte for byte against the local run's.

A Ray run pays about 1.5 s once (importing ray, connecting, and a fresh worker process importing
taoyu, where a local run with one worker works in-process). At 20k documents (5 s runs) that is
most of the difference; the default corpus is 100k documents, where what is measured is the
per-document cost. docs/benchmarks.md has both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, WORK, build_corpus
from rss import measure
from taoyu.executors.ray_local import LocalRayCluster
from taoyu.jit import compile_at_first_call


def digests(out: Path) -> dict[str, str]:
    return {
        f"{sub}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in ("data", "ledger")
        for p in sorted((out / sub).glob("*"))
    }


def run(recipe: Path, shards: Path, out: Path, workers: int, address: str | None) -> float:
    cmd = [sys.executable, "-m", "taoyu.cli", "run", str(recipe), "--input", str(shards)]
    cmd += ["--output", str(out), "--workers", str(workers), "--overwrite"]
    if address:
        cmd += ["--executor", "ray", "--address", address]
    m = measure(cmd, cwd=str(REPO))
    if m.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{m.stderr[-3000:]}")
    return m.seconds


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--recipe", type=Path, default=REPO / "recipes" / "dedup.yaml")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()

    shards, truth = build_corpus(args.n, args.shards)
    corpus = truth.with_suffix("").with_suffix(".jsonl")
    docs = sum(1 for _ in corpus.open("rb"))
    print(f"corpus: {docs:,} docs, {corpus.stat().st_size / 2**20:.1f} MB in {args.shards} shards ({shards})")
    times: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory(dir=WORK) as tmp, LocalRayCluster(nodes=1, cpus_per_node=1) as cluster:
        for workers in (1, 2):
            if workers == 2:
                cluster.add_node()  # a second Ray node, joined like a second machine would
            for r in range(args.repeat):
                # Alternate which goes first, so neither always runs on a warmer page cache.
                order = [("local", None), ("ray", cluster.address)]
                for name, address in order if r % 2 == 0 else order[::-1]:
                    out = Path(tmp) / f"{name}-{workers}"
                    seconds = run(args.recipe, shards, out, workers, address)
                    times.setdefault((name, workers), []).append(seconds)
                    print(json.dumps({"executor": name, "workers": workers, "seconds": round(seconds, 2)}))
                ray_out, local_out = Path(tmp) / f"ray-{workers}", Path(tmp) / f"local-{workers}"
                if digests(ray_out) != digests(local_out):
                    sys.exit(f"Ray and local outputs differ with {workers} workers")
    rows = []
    for (name, workers), values in times.items():
        median = statistics.median(values)
        local = statistics.median(times[("local", workers)])
        rows.append(
            {
                "executor": name,
                "workers": workers,
                "seconds": round(median, 2),
                "docs_per_s": round(docs / median),
                "overhead": round(median / local - 1, 3),
                "all_seconds": [round(v, 2) for v in values],
            }
        )
    print()
    print("| executor | workers | seconds (median) | docs/s | vs local, same workers |")
    print("|---|---|---|---|---|")
    for r in rows:
        overhead = "—" if r["executor"] == "local" else f"{100 * r['overhead']:+.1f}%"
        print(f"| {r['executor']} | {r['workers']} | {r['seconds']} | {r['docs_per_s']:,} | {overhead} |")
    print("\nall Ray outputs byte-identical to the local ones")
    if args.json:
        args.json.write_text(json.dumps({"docs": docs, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
