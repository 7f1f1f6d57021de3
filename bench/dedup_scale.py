"""Near dedup's staged resolve at scale: time, peak memory per task, bytes moved, and accuracy.

    python bench/dedup_scale.py --docs 10000000 --workers 1 2 --partitions 8 32 [--json out.json]

The corpus is generated, not read: ``--docs`` documents of 120 Han characters in tasks of
``--task-docs``. 70% are originals; the rest are copies of a random original anywhere in the corpus,
edited at one of four rates (0, 1, 3 and 5% of characters replaced: true character-5-gram Jaccard
about 1.0, 0.9, 0.75 and 0.6). Each task's text shard and signature file (the step's own
signatures) are what a run's phase would leave, so the resolve runs exactly as in a run: the
step's plan, its stage tasks on a pool of ``--workers`` spawned processes, files in between.

With ``--jsonl FILE`` the documents are a real corpus instead (for example the ``make_corpus.py``
corpora of bench/dedup.py and bench/dedup_1m.py), cut into tasks of ``--task-docs`` lines and
signed by the step; there is no truth to score against, and the run shows whether the decisions
depend on the partition count.

Reported per configuration: wall time, the peak RSS of the largest stage task (the kernel's
high-water mark, reset before each task), the driver's peak, bytes per document written between
stages (band keys; everything after them), and recall and precision against the known copies,
overall and per edit rate. The decisions of every configuration are compared: they must be equal.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing as mp
import resource
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import WORK
from taoyu.dedup.minhash import band_keys, signatures
from taoyu.document import Document, Source
from taoyu.jit import compile_at_first_call
from taoyu.steps.base import StageTask, drive_plan, run_stage_task
from taoyu.steps.near_dedup import NearDedup

LENGTH = 120
HAN = 0x4E00
RATES = (0.0, 0.01, 0.03, 0.05)
COPY_SHARE = 0.3


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64: a well-spread 64-bit hash, vectorised."""
    x = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _texts_of(originals: np.ndarray, copy_ids: np.ndarray, rates: np.ndarray) -> list[str]:
    """Texts of documents: original ``originals[i]``, edited at ``rates[i]`` with a pattern drawn
    from ``copy_ids[i]``; every text is a pure function of its numbers, so any task can write a copy
    of an original that lives in another task."""
    with np.errstate(over="ignore"):
        pos = np.arange(LENGTH, dtype=np.uint64)
        base = _mix(originals.astype(np.uint64)[:, None] * np.uint64(LENGTH) + pos[None, :])
        chars = (base % np.uint64(3000)).astype(np.uint32) + HAN
        noise = _mix(
            copy_ids.astype(np.uint64)[:, None] * np.uint64(LENGTH) + pos[None, :] + np.uint64(1 << 40)
        )
        edit = (noise % np.uint64(10_000)).astype(np.float64) < rates[:, None] * 10_000
        chars = np.where(edit, (noise >> np.uint64(20)) % np.uint64(3000) + HAN, chars).astype("<u4")
    flat = chars.tobytes().decode("utf-32-le")
    return [flat[i * LENGTH : (i + 1) * LENGTH] for i in range(chars.shape[0])]


def _make_task(args: tuple[int, int, int, Path]) -> None:
    task, task_docs, docs, folder = args
    ids = np.arange(task * task_docs, min(docs, (task + 1) * task_docs), dtype=np.int64)
    with np.errstate(over="ignore"):
        h = _mix(ids.astype(np.uint64) + np.uint64(7 << 50))
    is_copy = (h % np.uint64(1000)).astype(np.float64) < COPY_SHARE * 1000
    target = (_mix(h) % np.uint64(docs)).astype(np.int64)
    # a copy's original: a non-copy document, found by walking forward from a random one
    originals = np.where(is_copy, target, ids)
    for _ in range(64):
        with np.errstate(over="ignore"):
            hc = _mix(originals.astype(np.uint64) + np.uint64(7 << 50))
        bad = is_copy & ((hc % np.uint64(1000)).astype(np.float64) < COPY_SHARE * 1000)
        if not bad.any():
            break
        originals = np.where(bad, (originals + 1) % docs, originals)
    rate_index = ((h >> np.uint64(16)) % np.uint64(len(RATES))).astype(np.int64)
    rates = np.where(is_copy, np.asarray(RATES)[rate_index], 0.0)
    texts = _texts_of(originals, ids, rates)
    step = NearDedup()
    p = step.params
    sigs = signatures(texts, p.num_perm, p.shingle_size, p.seed)
    keys = band_keys(sigs, p.bands, p.rows)
    n = len(texts)
    columns = {
        "row": pa.array(np.arange(n), pa.int64()),
        "doc_id": pa.array([f"d{i:09d}" for i in ids]),
        "chars": pa.array(np.full(n, LENGTH), pa.int64()),
        "empty": pa.array(np.zeros(n, bool)),
        "crawl_date": pa.nulls(n, pa.string()),
        "quality": pa.nulls(n, pa.float64()),
    }
    columns.update({f"b{b:03d}": pa.array(keys[:, b], pa.uint64()) for b in range(p.bands)})
    pq.write_table(pa.table(columns, schema=step.signature_schema), folder / f"sigs-{task:05d}.parquet")
    pq.write_table(pa.table({"text": texts}), folder / f"docs-{task:05d}.parquet")
    truth = np.zeros(n, [("id", "<i8"), ("original", "<i8"), ("rate", "<f8")])
    truth["id"], truth["original"], truth["rate"] = ids, originals, np.where(is_copy, rates, -1.0)
    np.save(folder / f"truth-{task:05d}.npy", truth)


def _sign_jsonl_task(args: tuple[int, list[bytes], Path]) -> None:
    task, lines, folder = args
    docs = []
    for i, line in enumerate(lines):
        record = json.loads(line)
        docs.append(
            Document(str(record.get("id", i)), record.get("text") or "", Source("corpus", i, 0, None))
        )
    step = NearDedup()
    rows = [{"row": i, **s} for i, s in enumerate(step.signatures(docs))]
    pq.write_table(
        pa.Table.from_pylist(rows, schema=step.signature_schema), folder / f"sigs-{task:05d}.parquet"
    )
    pq.write_table(pa.table({"text": [d.text for d in docs]}), folder / f"docs-{task:05d}.parquet")


def build_from_jsonl(corpus: Path, task_docs: int, workers: int) -> Path:
    """A real corpus as a run's phase would leave it before near dedup: tasks of ``task_docs``."""
    folder = WORK / f"dedup_scale_{corpus.stem}_{task_docs}"
    if _cached(folder):
        return folder
    lines = corpus.read_bytes().splitlines()
    tasks = -(-len(lines) // task_docs)
    jobs = [(t, lines[t * task_docs : (t + 1) * task_docs], folder) for t in range(tasks)]
    return _fill(folder, _sign_jsonl_task, jobs, workers)


def build(docs: int, task_docs: int, workers: int) -> Path:
    folder = WORK / f"dedup_scale_{docs}_{task_docs}"
    if _cached(folder):
        return folder
    jobs = [(t, task_docs, docs, folder) for t in range(-(-docs // task_docs))]
    return _fill(folder, _make_task, jobs, workers)


def _cached(folder: Path) -> bool:
    """Whether a complete corpus is in ``folder``; if not, the folder is emptied for a new one."""
    if (folder / "complete").exists():
        return True
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return False


def _fill(folder: Path, make, jobs: list, workers: int) -> Path:
    """Run ``make`` over ``jobs`` (one per task) on spawned workers, then mark the folder complete."""
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        list(pool.map(make, jobs))
    (folder / "complete").write_text(f"{time.perf_counter() - started:.0f} s\n")
    return folder


def _clear_peak() -> None:
    with contextlib.suppress(OSError):  # Linux: writing 5 resets the process's peak RSS (VmHWM)
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measured_task(task: StageTask) -> tuple[dict[str, int], float, float]:
    _clear_peak()
    started = time.perf_counter()
    figures = run_stage_task(NearDedup(), task)
    return figures, _peak_mb(), time.perf_counter() - started


def resolve(folder: Path, out: Path, workers: int, partitions: int) -> dict:
    tasks = sorted(int(p.stem.split("-")[1]) for p in folder.glob("sigs-*.parquet"))
    files = [(t, folder / f"sigs-{t:05d}.parquet") for t in tasks]
    texts = {t: [folder / f"docs-{t:05d}.parquet"] for t in tasks}
    shutil.rmtree(out, ignore_errors=True)
    stages: list[dict] = []
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:

        def run_stage(stage: list[StageTask]) -> list[dict[str, int]]:
            started = time.perf_counter()
            results = list(pool.map(_measured_task, stage))
            stages.append(
                {
                    "stage": stage[0].name.rsplit("-", 1)[0],
                    "tasks": len(stage),
                    "seconds": round(time.perf_counter() - started, 2),
                    "peak_task_mb": round(max(r[1] for r in results)),
                }
            )
            return [r[0] for r in results]

        started = time.perf_counter()
        _clear_peak()
        summary = drive_plan(
            NearDedup().plan(files, out / "decisions", texts, out / "scratch", partitions), run_stage
        )
        seconds = time.perf_counter() - started
    return {
        "workers": workers,
        "partitions_asked": partitions,
        "seconds": round(seconds, 1),
        "peak_task_mb": max(s["peak_task_mb"] for s in stages),
        "driver_peak_mb": round(_peak_mb()),
        "summary": summary,
        "stages": stages,
    }


def score(folder: Path, decisions: Path) -> dict:
    truth = np.concatenate([np.load(p) for p in sorted(folder.glob("truth-*.npy"))])
    removed = np.zeros(truth.shape[0], bool)
    for path in decisions.glob("*.parquet"):
        task = int(path.stem)
        rows = pq.read_table(path, columns=["row"]).column("row").to_numpy()
        removed[_first_id(folder, task) + rows] = True  # ids are dense: a task's first id + row
    cluster = truth["original"]
    sizes = np.bincount(cluster, minlength=truth.shape[0])
    kept_per_cluster = np.bincount(cluster[~removed], minlength=truth.shape[0])
    in_cluster = sizes[cluster] > 1
    correct = removed & in_cluster & (kept_per_cluster[cluster] > 0)
    expected = int((sizes[sizes > 1] - 1).sum())
    out = {
        "removed": int(removed.sum()),
        "precision": round(float(correct.sum() / max(1, removed.sum())), 4),
        "recall": round(float(correct.sum() / max(1, expected)), 4),
    }
    for rate in RATES:
        copies = truth["rate"] == rate
        # a copy is caught when it, or its original, was removed while the cluster kept a member
        caught = (removed[copies] | removed[cluster[copies]]) & (kept_per_cluster[cluster[copies]] > 0)
        out[f"caught_at_edit_{rate:.2f}"] = round(float(caught.mean()) if copies.any() else 0.0, 4)
    return out


def _first_id(folder: Path, task: int) -> int:
    return int(np.load(folder / f"truth-{task:05d}.npy", mmap_mode="r")["id"][0])


def _digest(decisions: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(decisions.glob("*.parquet")):
        h.update(path.name.encode())
        h.update(pq.read_table(path).to_pandas().to_csv().encode())
    return h.hexdigest()[:16]


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--task-docs", type=int, default=100_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partitions", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--jsonl", type=Path, help="a real corpus instead of the generated one (no scoring)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    started = time.perf_counter()
    if args.jsonl:
        folder = build_from_jsonl(args.jsonl, args.task_docs, max(args.workers))
    else:
        folder = build(args.docs, args.task_docs, max(args.workers))
    print(f"corpus: {folder} ({time.perf_counter() - started:.0f} s)", flush=True)
    results, digests = [], set()
    for partitions in args.partitions:
        for workers in args.workers:
            out = WORK / "dedup_scale_run"
            result = resolve(folder, out, workers, partitions)
            if not args.jsonl:
                result.update(score(folder, out / "decisions"))
            digest = _digest(out / "decisions")
            digests.add(digest)
            result["decisions_digest"] = digest
            docs = result["summary"]["documents"]
            result["band_bytes_per_doc"] = round(result["summary"]["band_bytes"] / docs)
            after = result["summary"]["bytes_between_stages"] - result["summary"]["band_bytes"]
            result["after_bands_bytes_per_doc"] = round(after / docs)
            results.append(result)
            short = {k: v for k, v in result.items() if k != "stages"}
            print(json.dumps(short, ensure_ascii=False), flush=True)
            shutil.rmtree(out, ignore_errors=True)
    print("decisions identical across configurations:", len(digests) == 1)
    if args.json:
        args.json.write_text(json.dumps({"docs": args.docs, "results": results}, indent=1))


if __name__ == "__main__":
    main()
