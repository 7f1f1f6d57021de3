"""The 1M-document dedup run: `python bench/dedup_1m.py` (generates the corpus first if missing).

Single worker, `recipes/dedup.yaml`, peak RSS of the whole process tree, scored against the
make_corpus truth sidecar the same way as bench/dedup.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import SHARED, WORK
from dedup import run_taoyu, score
from taoyu.jit import compile_at_first_call


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    corpus = WORK / f"corpus_{n}.jsonl"
    if not corpus.exists():
        maker = SHARED / "bench" / "make_corpus.py"
        prefix = str(corpus.with_suffix(""))
        subprocess.run([sys.executable, str(maker), "--n", str(n), "--out", prefix], check=True)
    truth = [json.loads(line) for line in corpus.with_suffix(".truth.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory(dir=WORK) as tmp:
        m, removed = run_taoyu(corpus, Path(tmp) / "out", {})
        if m.returncode != 0:
            sys.exit(m.stderr[-3000:])
        result = {"docs": n, "seconds": round(m.seconds, 1), "docs_per_s": round(n / m.seconds)}
        result["peak_rss_mb"] = round(m.peak_rss_mb)
        result.update(score(truth, removed))
        run_log = (Path(tmp) / "out" / "logs" / "run.log").read_text()
    print(json.dumps(result, ensure_ascii=False))
    print("\n".join(line for line in run_log.splitlines() if "near_dedup:" in line or "exact_dedup:" in line))


if __name__ == "__main__":
    main()
