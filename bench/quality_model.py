"""How well the quality model generalises, how genre-neutral it is, and how fast it scores.

    python bench/quality_model.py --shared ../shared [--n 20000]

Everything is trained here with the shipped recipe (``taoyu.hq.train``, each source its own genre)
on half of each positive source and evaluated on the other half, so no figure scores a text the
model was trained on:

1. leave one source out: trained without source S (on the other sources and their junk), the AUC
   of S's held-out chunks against junk made from S (worst and mean over sources);
2. leave one junk kind out: trained without kind K, the AUC of held-out positives against K;
3. genre neutrality: an equal mix of held-out chunks of every positive source, of the news
   transcripts in ``shared/data/corpus/xinwenlianbo`` (evaluation-only text, never trained on),
   and of the news reports and questions with answers written for this project
   (``bench/data/hq_genres_own.jsonl``, eight each), each genre's share above the mix's median
   (target 40–60%);
4. real junk: the AUC of ``make_corpus.py``'s unique documents against each junk kind it makes;
5. speed of the shipped model on 1,000-character documents (documents a second on one core) and
   its size, beside a rule-only baseline: the ``quality`` step's rules as a score (their pass
   count), on the same texts.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import orjson

from taoyu.hq.model import QualityModel, packaged_model_path
from taoyu.hq.train import JUNK_KINDS, auc, chunks, make_junk, read_texts, train
from taoyu.jit import compile_at_first_call

WORK = Path(__file__).parent / "_work"
OWN_GENRES = Path(__file__).parent / "data" / "hq_genres_own.jsonl"
"""News reports and questions with answers written for this project (genres the positives lack)."""


def texts_and_genres(by_source: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The texts of every source in one list, and beside it each text's source as its genre."""
    texts = [t for ts in by_source.values() for t in ts]
    return texts, [s for s, ts in by_source.items() for _ in ts]


def positive_sources(shared: Path, cap: int) -> dict[str, list[str]]:
    paths = sorted((shared / "data" / "quality").glob("*.jsonl.zst"))
    paths += [
        shared / "data" / "corpus" / "laws" / "laws.jsonl.zst",
        shared / "data" / "corpus" / "tidb_docs_cn" / "docs.jsonl.zst",
    ]
    rng = random.Random(0)
    out = {}
    for path in paths:
        pieces = chunks(read_texts(path))
        rng.shuffle(pieces)
        out[path.name.split(".")[0] if path.parent.name == "quality" else path.parent.name] = pieces[
            : 2 * cap
        ]
    return out


def news_chunks(shared: Path, n: int) -> list[str]:
    import zstandard

    texts = []
    with open(shared / "data" / "corpus" / "xinwenlianbo" / "news.jsonl.zst", "rb") as fh:
        data = zstandard.ZstdDecompressor().decompress(fh.read(), max_output_size=1 << 30)
    for line in data.splitlines():
        text = orjson.loads(line)["text"]
        for item in text.split("\n\n"):
            item = item.strip()
            if 200 <= len(item) <= 3000 and "<" not in item:
                texts.append(item)
    random.Random(1).shuffle(texts)
    return texts[:n]


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--n", type=int, default=20_000, help="documents of the make_corpus sample")
    ap.add_argument("--cap", type=int, default=300, help="training chunks per source (as many held out)")
    args = ap.parse_args()
    sources = positive_sources(args.shared, args.cap)
    train_half = {s: t[: args.cap] for s, t in sources.items()}
    held_half = {s: t[args.cap :] for s, t in sources.items()}

    print("1. leave one source out: AUC of the left-out source's held-out chunks against junk made from it")
    losos = []
    for left in sources:
        pos, genres = texts_and_genres({s: ts for s, ts in train_half.items() if s != left})
        model, _ = train(pos, seed=0, genres=genres)
        junk = [t for _, t in make_junk(held_half[left], len(held_half[left]), seed=7)]
        a = auc(model.score(held_half[left]), model.score(junk))
        losos.append(a)
        print(f"   {left:<14}{a:.3f}")
    print(f"   worst {min(losos):.3f}, mean {np.mean(losos):.3f} (targets 0.80, 0.90)\n")

    print("2. leave one junk kind out: AUC of held-out positives against the kind the model never saw")
    pos_train, genres_train = texts_and_genres(train_half)
    pos_held = [t for ts in held_half.values() for t in ts]
    all_junk = make_junk(pos_train, len(pos_train) * 2, seed=3)
    held_junk = make_junk(pos_held, len(JUNK_KINDS) * 60, seed=4)
    for kind in JUNK_KINDS:
        seen = [(k, t) for k, t in all_junk if k != kind]
        model, _ = train(
            pos_train, [t for _, t in seen], seed=0, genres=genres_train, negative_kinds=[k for k, _ in seen]
        )
        a = auc(model.score(pos_held), model.score([t for k, t in held_junk if k == kind]))
        print(f"   {kind:<12}{a:.3f}")
    print("   (target 0.95 each)\n")

    print("3. genre neutrality: each genre's share above the median of an equal mix (target 40-60%)")
    model, report = train(pos_train, seed=0, genres=genres_train)
    print(f"   statistics left out as genre-descriptive: {', '.join(report['genre_statistics']) or 'none'}")
    per = 150
    mix = {s: ts[:per] for s, ts in held_half.items()}
    mix["news (eval only)"] = news_chunks(args.shared, per)
    for line in OWN_GENRES.open("rb"):
        record = orjson.loads(line)
        mix.setdefault(f"{record['genre']} (own)", []).append(record["text"])
    scores = {g: model.score(ts) for g, ts in mix.items()}
    median = float(np.median(np.concatenate(list(scores.values()))))
    for genre, s in scores.items():
        print(f"   {genre:<18}{(s > median).mean():>6.1%}  (median score {np.median(s):.3f})")
    print()

    print("4. real junk (make_corpus): AUC of unique documents against each kind")
    base = WORK / f"hq_corpus_{args.n}"
    if not base.with_suffix(".jsonl").exists():
        WORK.mkdir(exist_ok=True)
        make = [
            sys.executable,
            str(args.shared / "bench" / "make_corpus.py"),
            "--n",
            str(args.n),
            "--out",
            str(base),
            "--seed",
            "3",
        ]
        subprocess.run(make, check=True, capture_output=True)
    truth = {}
    for line in base.with_suffix(".truth.jsonl").open("rb"):
        r = orjson.loads(line)
        truth[r["id"]] = (r["kind"], r.get("source"))
    texts: dict[str, list[str]] = {}
    by_source: dict[str, list[str]] = {}
    for line in base.with_suffix(".jsonl").open("rb"):
        r = orjson.loads(line)
        kind, source = truth[r["id"]]
        if kind not in ("exact_dup", "near_dup"):
            texts.setdefault(kind, []).append(r["text"])
        if kind == "unique":
            by_source.setdefault(source or "-", []).append(r["text"])
    shipped = QualityModel.load()
    unique = shipped.score(texts["unique"])
    junk_all = []
    for kind in sorted(k for k in texts if k != "unique"):
        s = shipped.score(texts[kind])
        junk_all.append(s)
        print(f"   {kind:<16}{len(s):>6}{auc(unique, s):>8.3f}")
    print(
        f"   {'all junk':<16}{sum(len(s) for s in junk_all):>6}{auc(unique, np.concatenate(junk_all)):>8.3f}"
    )
    top = np.quantile(unique, 0.8)
    print("   unique documents by source: median length, share in the top 20% of unique documents")
    for source, docs in sorted(by_source.items()):
        scored = shipped.score(docs)
        length = int(np.median([len(d) for d in docs]))
        print(f"   {source:<16}{len(docs):>6}{length:>8} chars{(scored >= top).mean():>8.1%}")
    print()

    print("5. speed on 1,000-character documents, one core, beside the rule-only baseline")
    joined = "\n".join(pos_held)
    thousand = [joined[i : i + 1000] for i in range(0, min(len(joined), 2_000_000) - 1000, 1000)]
    t0 = time.perf_counter()
    shipped.score(thousand)
    model_rate = len(thousand) / (time.perf_counter() - t0)
    from taoyu.steps.quality import quality_scores

    t0 = time.perf_counter()
    for t in thousand:
        quality_scores(t)
    rule_rate = len(thousand) / (time.perf_counter() - t0)
    size = packaged_model_path().stat().st_size
    print(
        f"   quality model {model_rate:>8,.0f} documents/s   (model file {size:,} bytes; "
        "targets 10,000/s, 25 MB)"
    )
    print(
        f"   quality rules {rule_rate:>8,.0f} documents/s   "
        "(the quality step's scores, the rule-only baseline)"
    )


if __name__ == "__main__":
    main()
