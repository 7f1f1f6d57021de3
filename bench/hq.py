"""How well the quality model ranks text it was not trained on, and how fast it scores.

    python bench/hq.py --shared ../shared [--n 20000]

Builds (or reuses) ``bench/_work/hq_corpus`` with ``../shared/bench/make_corpus.py`` (real Chinese
news, statutes, TiDB docs and poems, plus the junk kinds that generator makes: boilerplate-only
pages, keyword spam, very short texts, English, mojibake and raw HTML), scores the unique
documents and the junk, and reports per kind the median score and the AUC of the unique documents
against it; per source, the median score and the share in the top 20% (buckets 16–19), to show
whether a genre the model never saw (news) is held down; and documents a second. The news
transcripts are evaluation-only text: the model never trains on them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import orjson

from taoyu.hq.model import QualityModel
from taoyu.hq.train import auc

WORK = Path(__file__).parent / "_work"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--n", type=int, default=20_000)
    args = ap.parse_args()
    base = WORK / f"hq_corpus_{args.n}"
    if not base.with_suffix(".jsonl").exists():
        WORK.mkdir(exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(args.shared / "bench" / "make_corpus.py"),
                "--n",
                str(args.n),
                "--out",
                str(base),
                "--seed",
                "3",
            ],
            check=True,
        )
    truth = {}
    for line in base.with_suffix(".truth.jsonl").open("rb"):
        r = orjson.loads(line)
        truth[r["id"]] = (r["kind"], r.get("source"))
    texts, kinds, sources = [], [], []
    for line in base.with_suffix(".jsonl").open("rb"):
        r = orjson.loads(line)
        kind, source = truth[r["id"]]
        if kind in ("exact_dup", "near_dup"):
            continue
        texts.append(r["text"])
        kinds.append(kind)
        sources.append(source or "-")
    model = QualityModel.load()
    t = time.perf_counter()
    scores = model.score(texts)
    seconds = time.perf_counter() - t
    kinds_a, sources_a = np.array(kinds), np.array(sources, dtype=object)
    unique = scores[kinds_a == "unique"]
    top = np.quantile(scores, 0.8)
    print(f"{len(texts):,} documents scored in {seconds:.2f}s: {len(texts) / seconds:,.0f} documents/s\n")
    print(f"{'kind':<16}{'docs':>8}{'median':>9}{'AUC unique vs it':>18}")
    for kind in sorted(set(kinds)):
        sel = scores[kinds_a == kind]
        a = "" if kind == "unique" else f"{auc(unique, sel):.3f}"
        print(f"{kind:<16}{len(sel):>8,}{np.median(sel):>9.3f}{a:>18}")
    junk = scores[kinds_a != "unique"]
    print(f"{'all junk':<16}{len(junk):>8,}{np.median(junk):>9.3f}{auc(unique, junk):>18.3f}\n")
    print(f"{'unique, by source':<24}{'docs':>8}{'median':>9}{'in top 20%':>12}")
    for source in sorted(set(sources_a[kinds_a == "unique"])):
        sel = scores[(kinds_a == "unique") & (sources_a == source)]
        print(f"{source:<24}{len(sel):>8,}{np.median(sel):>9.3f}{(sel >= top).mean():>12.1%}")


if __name__ == "__main__":
    main()
