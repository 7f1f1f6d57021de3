"""Throughput of read → length filter → exact dedup → Parquet, taoyu against datatrove, same run.

    python bench/throughput.py [--n 20000] [--shards 8] [--workers 1 2] [--write-docs]

The corpus comes from ../shared/bench/make_corpus.py (real Chinese text with exact and near
duplicates and junk), split into shards so both tools can spread work over files. Each tool runs
as its own process tree; wall time and peak RSS of the whole tree are measured. Because these
machines are shared and noisy, the figure to read is the ratio in the same run, not the absolute.

datatrove's exact dedup is three stages (signatures, find duplicates, filter), and it reads the
input twice; its time is the sum of the stages, its peak RSS the largest of them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import WORK, build_corpus
from rss import Measured, measure
from taoyu.jit import compile_at_first_call

MIN_CHARS = 50

RECIPE = f"""name: throughput
output: {{path: unused}}
steps:
  - step: length_filter
    min_chars: {MIN_CHARS}
  - step: exact_dedup
"""


def run_taoyu(shards: Path, workers: int, out: Path) -> Measured:
    recipe = out.parent / "throughput.yaml"
    recipe.write_text(RECIPE)
    taoyu = [sys.executable, "-m", "taoyu.cli", "run", str(recipe)]
    args = ["--input", str(shards), "--output", str(out), "--workers", str(workers), "--overwrite"]
    return measure(taoyu + args)


def run_datatrove(shards: Path, workers: int, out: Path) -> Measured:
    total = Measured(0.0, 0.0, 0, "")
    for stage in ("signatures", "find", "filter"):
        cmd = [sys.executable, __file__, "--datatrove-stage", stage, str(shards), str(out), str(workers)]
        m = measure(cmd)
        if m.returncode != 0:
            return m
        total = Measured(total.seconds + m.seconds, max(total.peak_rss_mb, m.peak_rss_mb), 0, "")
    return total


def _long_enough(doc) -> bool:
    return len(doc.text) - sum(doc.text.count(c) for c in " \n\t\r\u3000") >= MIN_CHARS


def _normalised(doc) -> bytes:
    """The same normalisation taoyu's exact dedup applies, so both tools do the same work."""
    from taoyu.steps.exact_dedup import normalise_for_exact

    return normalise_for_exact(doc.text).encode("utf-8", "surrogatepass")


# datatrove picks its hash function from the getter's return annotation, which must be a real type.
_normalised.__annotations__["return"] = bytes


def datatrove_stage(stage: str, shards: str, out: str, workers: int) -> None:
    """One stage of datatrove's equivalent pipeline (run in its own process by run_datatrove)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.exact_dedup import (
        ExactDedupConfig,
        ExactDedupFilter,
        ExactDedupSignature,
        ExactFindDedups,
    )
    from datatrove.pipeline.filters import LambdaFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    tasks = len(list(Path(shards).glob("*.jsonl")))
    config = ExactDedupConfig(content_getter=_normalised)
    sigs, dups = f"{out}/sigs", f"{out}/dups"
    if stage == "signatures":
        pipeline = [JsonlReader(shards), LambdaFilter(_long_enough), ExactDedupSignature(sigs, config)]
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=f"{out}/logs1").run()
    elif stage == "find":
        LocalPipelineExecutor(
            [ExactFindDedups(sigs, dups, config)], tasks=1, workers=1, logging_dir=f"{out}/logs2"
        ).run()
    else:
        pipeline = [
            JsonlReader(shards),
            LambdaFilter(_long_enough),
            ExactDedupFilter(dups, config),
            ParquetWriter(f"{out}/data", compression="zstd"),
        ]
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=workers, logging_dir=f"{out}/logs3").run()


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()

    shards, truth = build_corpus(args.n, args.shards)
    corpus = truth.with_suffix("").with_suffix(".jsonl")
    docs, size = sum(1 for _ in corpus.open("rb")), corpus.stat().st_size
    print(f"corpus: {docs:,} docs, {size / 2**20:.1f} MB in {args.shards} shards ({shards})")
    rows = []
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        for workers in args.workers:
            tools = {"taoyu": run_taoyu}
            if not args.no_datatrove:
                tools["datatrove"] = run_datatrove
            for name, fn in tools.items():
                out = Path(tmp) / f"{name}-{workers}"
                out.parent.mkdir(exist_ok=True)
                m = fn(shards, workers, out)
                if m.returncode != 0:
                    sys.exit(f"{name} failed:\n{m.stderr[-3000:]}")
                rows.append(
                    {
                        "tool": name,
                        "workers": workers,
                        "seconds": round(m.seconds, 2),
                        "docs_per_s": round(docs / m.seconds),
                        "mb_per_s": round(size / 2**20 / m.seconds, 2),
                        "peak_rss_mb": round(m.peak_rss_mb),
                    }
                )
                print(json.dumps(rows[-1]))
    print()
    print("| tool | workers | docs/s | MB/s | peak RSS (MB) | docs/s vs datatrove |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ref = next((x for x in rows if x["tool"] == "datatrove" and x["workers"] == r["workers"]), None)
        ratio = f"{r['docs_per_s'] / ref['docs_per_s']:.2f}x" if ref else "n/a"
        cells = [r["tool"], r["workers"], f"{r['docs_per_s']:,}", r["mb_per_s"], r["peak_rss_mb"], ratio]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    if args.json:
        args.json.write_text(json.dumps({"docs": docs, "bytes": size, "rows": rows}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--datatrove-stage":
        datatrove_stage(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
