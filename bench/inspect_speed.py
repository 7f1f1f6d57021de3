"""How fast ``taoyu inspect`` answers on a big run: the first list page of a 1M-row ledger.

    python bench/inspect_speed.py [--rows 1000000] [--repeat 5]

Writes a synthetic ledger of ``--rows`` rows (taoyu's ledger schema, 10 shards, realistic mixes
of outcomes, steps, reasons, URLs and traces) into a temporary folder, then times, best of
``--repeat``, each query the list page makes: the page of 50 rows and the total count, with no
filter, with an outcome and step filter, with a domain filter and with a text search (over a
100k-row data folder). The target is under 300 ms for the first page; the figures go in
docs/benchmarks.md. No anchor: no other curation tool has an inspector to compare with.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from taoyu.inspector.queries import Filters, RunIndex
from taoyu.jit import compile_at_first_call
from taoyu.ledger import LEDGER_SCHEMA

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import best

STEPS = [
    ("exact_dedup", "exact_duplicate"),
    ("near_dedup", "near_duplicate"),
    ("quality", "quality"),
    ("language", "language:en"),
    ("length_filter", "too_short"),
    ("spam", "spam:spliced"),
]


def write_run(root: Path, rows: int, shards: int = 10, data_rows: int = 100_000) -> None:
    rng = random.Random(0)
    (root / "ledger").mkdir(parents=True)
    (root / "data").mkdir()
    per = rows // shards
    n = 0
    for shard in range(shards):
        batch = []
        for _ in range(per):
            kept = rng.random() < 0.6
            step, reason = (None, None) if kept else rng.choice(STEPS)
            host = f"site{rng.randrange(5000)}.example.cn"
            batch.append(
                {
                    "doc_id": f"doc-{n}",
                    "source_file": f"crawl-{shard:03d}.warc.gz",
                    "source_index": n,
                    "source_offset": n * 9000,
                    "warc_record_id": None,
                    "url": f"https://{host}/a/{n}.html",
                    "content_hash": f"{n:032x}",
                    "outcome": "kept" if kept else "dropped",
                    "step": step,
                    "reason": reason,
                    "score": None if kept else rng.random(),
                    "threshold": None if kept else 0.5,
                    "details": None,
                    "trace": '[{"step":"language","action":"keep","score":0.99,"threshold":0.5}]',
                }
            )
            n += 1
        pq.write_table(
            pa.Table.from_pylist(batch, schema=LEDGER_SCHEMA),
            root / "ledger" / f"p0-part-{shard:05d}.parquet",
        )
    texts = [f"杭州第{i}篇新闻，西湖边的茶农今年收成不错。" * 20 for i in range(data_rows)]
    pq.write_table(
        pa.table(
            {
                "id": [f"doc-{i}" for i in range(data_rows)],
                "text": texts,
                "industry": [rng.choice("AJPQRS") for _ in range(data_rows)],
            }
        ),
        root / "data" / "part-00000.parquet",
    )


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="taoyu-inspect-") as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        write_run(root, args.rows)
        print(f"wrote a {args.rows:,}-row ledger in {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        index = RunIndex(root)
        index.facets()
        print(
            f"open the run and list its facets: {(time.perf_counter() - t) * 1000:.0f} ms (once, at start)\n"
        )
        cases = {
            "first page, no filter": Filters(),
            "first page, dropped by quality": Filters(outcome="dropped", step="quality"),
            "first page, one domain": Filters(domain="site42.example.cn"),
            "first page, industry J": Filters(industry="J"),
            "first page, text contains 第777篇": Filters(text="第777篇"),
        }
        print(f"{'query':<40}{'ms':>8}")
        for name, filters in cases.items():
            seconds = best(lambda f=filters: index.list_docs(f, 0), args.repeat)
            print(f"{name:<40}{seconds * 1000:>8.0f}")
        seconds = best(lambda: index.document("doc-777777"), args.repeat)
        print(f"{'a document page':<40}{seconds * 1000:>8.0f}")


if __name__ == "__main__":
    main()
