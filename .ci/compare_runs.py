"""Check that two taoyu output folders hold the same run: byte-identical dataset and ledger shards,
equal ledger rows, equal funnel.

    python .ci/compare_runs.py out/zh-web out/zh-web-ray
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq


def digests(root: Path, sub: str) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / sub).glob("*"))}


def ledger_rows(root: Path) -> list[dict]:
    return [row for p in sorted((root / "ledger").glob("*.parquet")) for row in pq.read_table(p).to_pylist()]


def main(a: Path, b: Path) -> int:
    problems = []
    for sub in ("data", "ledger"):
        da, db = digests(a, sub), digests(b, sub)
        if not da:
            problems.append(f"{a}/{sub} is empty")
        if da != db:
            differ = sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))
            problems.append(f"{sub}/ differs: {', '.join(differ)}")
    rows_a, rows_b = ledger_rows(a), ledger_rows(b)
    if rows_a != rows_b:
        problems.append(f"ledger rows differ ({len(rows_a)} vs {len(rows_b)})")
    stats_a, stats_b = (json.loads((r / "stats.json").read_text()) for r in (a, b))
    if stats_a != stats_b:
        problems.append("stats.json differs")
    for p in problems:
        print(f"DIFFERENT: {p}", file=sys.stderr)
    if not problems:
        print(
            f"same run: {len(digests(a, 'data'))} data shards and {len(digests(a, 'ledger'))} ledger shards "
            f"byte-identical, {len(rows_a)} ledger rows equal ({a} = {b})"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
