"""Deduplication quality and speed: taoyu against datatrove, side by side, on corpora with ground truth.

    python bench/dedup.py [--n 50000 200000] [--shards 8]

Corpora come from ../shared/bench/make_corpus.py: unique documents plus exact copies and edited
near copies whose true character-5-gram Jaccard to their original is recorded, and junk. Both
tools run exact then near (MinHash) dedup, single process, as their own process trees.

Scoring uses only which documents each tool removed, so it is the same for both:
* a removed document is correct when it belongs to a true cluster that still keeps a member;
* recall is correct removals over (cluster members - one keeper per cluster);
* an edited copy counts as caught, per Jaccard band, when it or its original was removed while
  the cluster kept a member.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, WORK, build_corpus
from rss import Measured, measure
from taoyu.jit import compile_at_first_call

BANDS = [(0.8, 1.01, "J≥0.8"), (0.6, 0.8, "0.6–0.8"), (0.0, 0.6, "<0.6")]


def run_taoyu(shards: Path, out: Path, near_params: dict[str, str]) -> tuple[Measured, set[str]]:
    recipe = REPO / "recipes" / "dedup.yaml"
    if near_params:
        text = recipe.read_text().replace(
            "  - step: near_dedup\n",
            "  - step: near_dedup\n" + "".join(f"    {k}: {v}\n" for k, v in near_params.items()),
        )
        recipe = out.parent / f"dedup-{out.name}.yaml"
        recipe.write_text(text)
    cmd = [sys.executable, "-m", "taoyu.cli", "run", str(recipe), "--input", str(shards)]
    m = measure([*cmd, "--output", str(out), "--workers", "1", "--overwrite"], cwd=str(REPO))
    removed: set[str] = set()
    if m.returncode == 0:
        for path in sorted((out / "ledger").glob("*.parquet")):
            t = pq.read_table(path, columns=["doc_id", "outcome"])
            removed.update(
                i
                for i, o in zip(t.column("doc_id").to_pylist(), t.column("outcome").to_pylist(), strict=True)
                if o == "dropped"
            )
    return m, removed


def run_datatrove(shards: Path, out: Path) -> tuple[Measured, set[str]]:
    total = Measured(0.0, 0.0, 0, "")
    for stage in range(1, 7):
        m = measure([sys.executable, __file__, "--datatrove-stage", str(stage), str(shards), str(out)])
        if m.returncode != 0:
            return m, set()
        total = Measured(total.seconds + m.seconds, max(total.peak_rss_mb, m.peak_rss_mb), 0, "")
    removed = set()
    for path in sorted((out / "removed").rglob("*.jsonl*")):
        import gzip

        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            removed.update(json.loads(line)["id"] for line in fh)
    return total, removed


DJ_SCRIPT = """
import json, sys
from data_juicer.core.data import NestedDataset
from data_juicer.ops.deduplicator.document_deduplicator import DocumentDeduplicator
from data_juicer.ops.deduplicator.document_minhash_deduplicator import DocumentMinhashDeduplicator

rows = [json.loads(line) for path in sys.argv[1:] for line in open(path, encoding="utf-8")]
ds = NestedDataset.from_list([{"text": r["text"], "id": r["id"]} for r in rows])
ds = DocumentDeduplicator(lowercase=True, ignore_non_character=True).run(ds)
ds = DocumentMinhashDeduplicator(
    tokenization="character", window_size=5, num_permutations=256, jaccard_threshold=0.7
).run(ds)
kept = set(ds["id"])
print(json.dumps([r["id"] for r in rows if r["id"] not in kept]))
"""


def run_data_juicer(shards: Path, dj_python: str) -> tuple[Measured, set[str]]:
    """Data-Juicer's exact then MinHash deduplicators (char 5-grams, 256 perms, J 0.7), in its own venv."""
    import os

    out = WORK / "dj_removed.json"
    files = [str(p) for p in sorted(shards.glob("*.jsonl"))]
    script = f"import sys; sys.stdout = open({str(out)!r}, 'w'); exec({DJ_SCRIPT!r})"
    m = measure([dj_python, "-c", script, *files], env={"PYTHONWARNINGS": "ignore"}, cwd=os.getcwd())
    removed = set(json.loads(out.read_text())) if m.returncode == 0 else set()
    out.unlink(missing_ok=True)
    return m, removed


def _text_bytes(doc) -> bytes:
    return doc.text.encode("utf-8", "surrogatepass")


# datatrove picks its hash function from the getter's return annotation, which must be a real type.
_text_bytes.__annotations__["return"] = bytes


class _CharTokenizer:
    def word_tokenize(self, text: str) -> list[str]:
        return [c for c in text if not c.isspace()]


def datatrove_stage(stage: int, shards: str, out: str) -> None:
    import datatrove.utils.hashes.xxhash as dt_xxhash
    import xxhash

    # datatrove 0.10.1 passes str to xxhash, which xxhash 4.x refuses: encode for it.
    dt_xxhash.xxhash64 = lambda data: xxhash.xxh64_intdigest(data.encode() if isinstance(data, str) else data)
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.exact_dedup import (
        ExactDedupConfig,
        ExactDedupFilter,
        ExactDedupSignature,
        ExactFindDedups,
    )
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

    tasks = len(list(Path(shards).glob("*.jsonl")))
    exact = ExactDedupConfig(content_getter=_text_bytes)
    mh = MinhashConfig()  # datatrove's defaults: 5-grams, 14 buckets x 8 hashes

    def run(pipeline, n_tasks, name):
        LocalPipelineExecutor(pipeline, tasks=n_tasks, workers=1, logging_dir=f"{out}/logs/{name}").run()

    if stage == 1:
        run([JsonlReader(shards), ExactDedupSignature(f"{out}/esigs", exact)], tasks, "1")
    elif stage == 2:
        run([ExactFindDedups(f"{out}/esigs", f"{out}/edups", exact)], 1, "2")
    elif stage == 3:
        # Character 5-grams, as taoyu uses: datatrove shingles words, so give it one "word" per
        # character (its English word tokenizer would also need spaCy, and splits no Chinese).
        import datatrove.pipeline.dedup.minhash as dt_minhash

        dt_minhash.load_word_tokenizer = lambda language: _CharTokenizer()
        run(
            [
                JsonlReader(shards),
                ExactDedupFilter(f"{out}/edups", exact),
                MinhashDedupSignature(f"{out}/msigs", mh),
            ],
            tasks,
            "3",
        )
    elif stage == 4:
        run([MinhashDedupBuckets(f"{out}/msigs", f"{out}/buckets", config=mh)], mh.num_buckets, "4")
    elif stage == 5:
        run([MinhashDedupCluster(f"{out}/buckets", f"{out}/remove_ids", config=mh)], 1, "5")
    else:
        pipeline = [
            JsonlReader(shards),
            ExactDedupFilter(f"{out}/edups", exact, exclusion_writer=JsonlWriter(f"{out}/removed/exact")),
            MinhashDedupFilter(f"{out}/remove_ids", exclusion_writer=JsonlWriter(f"{out}/removed/near")),
            ParquetWriter(f"{out}/data", compression="zstd"),
        ]
        run(pipeline, tasks, "6")


def score(truth: list[dict], removed: set[str]) -> dict:
    # Junk (boilerplate-only, spam, very short pages) repeats across "unique" junk records that the
    # truth does not cluster; whether a tool removes those copies is not scored either way.
    junk = {t["id"] for t in truth if t["kind"].startswith("junk")}
    junk_removed = len(removed & junk)
    removed = removed - junk
    truth = [t for t in truth if t["id"] not in junk]
    members: dict[str, list[str]] = defaultdict(list)
    for t in truth:
        if t["cluster"]:
            members[t["cluster"]].append(t["id"])
    tp = fp = 0
    survivors = {}
    for cluster, ids in members.items():
        gone = sum(i in removed for i in ids)
        survivors[cluster] = len(ids) - gone
        tp += gone - (1 if gone == len(ids) and len(ids) > 1 else 0)
        fp += 1 if gone == len(ids) and len(ids) > 1 else 0
    clustered = {i for ids in members.values() for i in ids}
    fp += sum(1 for i in removed if i not in clustered)
    should = sum(len(ids) - 1 for ids in members.values())
    bands = {}
    for lo, hi, name in BANDS:
        copies = [
            t
            for t in truth
            if t["kind"] == "near_dup" and t["jaccard"] is not None and lo <= t["jaccard"] < hi
        ]
        caught = sum(
            1
            for t in copies
            if (t["id"] in removed or t["orig"] in removed) and survivors.get(t["cluster"], 0) > 0
        )
        bands[name] = round(caught / len(copies), 3) if copies else None
    return {
        "recall": round(tp / should, 4) if should else None,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "removed": len(removed),
        "junk_removed": junk_removed,
        "bands": bands,
    }


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[50000])
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--dj-python", help="python of a venv with py-data-juicer, to run Data-Juicer too")
    ap.add_argument("--near", nargs="*", help="near_dedup parameters to try, e.g. bands=32 rows=4")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rows = []
    for n in args.n:
        shards, truth_path = build_corpus(n, args.shards)
        docs = n
        truth = [json.loads(line) for line in truth_path.open(encoding="utf-8")]
        with tempfile.TemporaryDirectory(dir=WORK) as tmp:
            near = dict(kv.split("=", 1) for kv in args.near) if args.near else {}
            tools = (
                ["taoyu"]
                + ([] if args.no_datatrove else ["datatrove"])
                + (["data-juicer"] if args.dj_python else [])
            )
            for name in tools:
                out = Path(tmp) / name
                if name == "taoyu":
                    m, removed = run_taoyu(shards, out, near)
                elif name == "datatrove":
                    m, removed = run_datatrove(shards, out)
                else:
                    m, removed = run_data_juicer(shards, args.dj_python)
                if m.returncode != 0:
                    sys.exit(f"{name} failed:\n{m.stderr[-3000:]}")
                row = {
                    "tool": name,
                    "docs": docs,
                    "docs_per_s": round(docs / m.seconds),
                    "peak_rss_mb": round(m.peak_rss_mb),
                }
                row.update(score(truth, removed))
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False))
    print("\n| docs | tool | docs/s | peak RSS (MB) | recall | precision | J≥0.8 | 0.6–0.8 | <0.6 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        b = r["bands"]
        cells = [
            f"{r['docs']:,}",
            r["tool"],
            f"{r['docs_per_s']:,}",
            r["peak_rss_mb"],
            r["recall"],
            r["precision"],
        ]
        cells += [b["J≥0.8"], b["0.6–0.8"], b["<0.6"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--datatrove-stage":
        datatrove_stage(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
