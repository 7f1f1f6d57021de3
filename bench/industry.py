"""Industry labels: accuracy, macro-F1, confusion, calibration and speed, with baselines side by side.

    python bench/industry.py [--shared ../shared] [--custom] [--speed-docs 2000]

Scored sets:

* **TNEWS** (``../shared/data/industry/``, evaluation only): FewCLUE's Toutiao news titles, train
  and dev splits, each category mapped to a GB/T 4754 section by ``tnews-to-section.tsv``; titles
  of categories no single section fits are left out. Titles are short (about 22 characters) and
  the labels are noisy.
* **Content type** has no labelled set; the genre rules are run over corpora whose genre is known
  (news transcripts, statutes, TiDB docs, poems, Wikipedia) and the share given the expected type
  is printed.
* **Real news pages** (``bench/data/industry_gne_news.tsv``: our section for 41 of GNE's saved news
  pages in ``../shared/data/corpus/html_gne``, which is for internal benchmarking only, so only the
  labels are in the repo): each page's ``<title>`` over the text taoyu extracts from it, as the
  ``industry`` step reads a document. Labelled by this project, one section a page where one
  section clearly fits (the tsv's convention: 时政 and police news S, sports and culture R, phones
  and telecoms I); the 21 pages of international news, society stories, games and advertising
  no single section fits are left out. Small: read its accuracy, and its confusions, more than
  its macro-F1 (three sections have one or two pages).
* **Own paragraphs** (``bench/data/industry_own.jsonl``): 106 short news paragraphs written for this
  project, five or six per section. Written by the same hands as the seed words, so read it as a
  check that plain texts are labelled right, not as a measure of unseen text.

Against each, side by side: the shipped model; a THUOCL keyword-count labeller (each THUOCL list
counts for the section it is about; the most hits wins); and the seed-count labeller (the
taxonomy's own seed words counted, :mod:`taoyu.industry.seeds`). Reported: accuracy, macro-F1 over
the sections present, the share labelled ``other``, a confusion table, and calibration (the share
of right answers in each band of the stated probability). Speed: documents a second on
1,000-character documents (PRC statutes), one core, the labeller and the keyword baseline in the
same run, and the model file's size.

``--custom`` also trains a labeller for a five-label taxonomy of corpora (news transcripts, laws,
TiDB docs, poetry, Wikipedia; ``bench/data/five_corpora.yaml``: a description and a few seed words
each) with ``taoyu label-train``'s code on an unlabelled mix of 80% of each corpus, and scores it
on the 20% held back (the true label is the corpus a text came from), against counting the same
seed words.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import orjson

from taoyu.industry.model import LabelModel
from taoyu.industry.seeds import SeedMatcher
from taoyu.industry.taxonomy import OTHER, builtin, load
from taoyu.industry.train import TrainConfig, read_texts, train
from taoyu.jit import compile_at_first_call

REPO = Path(__file__).resolve().parents[1]
THUOCL_SECTIONS = {
    "caijing": "J",
    "car": "C",
    "IT": "I",
    "medical": "Q",
    "food": "H",
    "law": "S",
    "poem": "R",
}
BANDS = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]

Labeller = Callable[[Sequence[str]], list[tuple[str, float]]]


def tnews(shared: Path) -> list[tuple[str, str]]:
    """(title, section) for every TNEWS row whose category maps to one section."""
    folder = shared / "data" / "industry"
    mapping = {}
    for line in (folder / "tnews-to-section.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        category, section = line.split("\t")[:2]
        mapping[category] = section
    rows = []
    for name in ("tnews.train_few_all.jsonl", "tnews.dev_few_all.jsonl"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            section = mapping[record["label_desc"]]
            if section != "-":
                rows.append((record["sentence"], section))
    return rows


def gne_news(shared: Path) -> list[tuple[str, str]]:
    """(title and extracted text, section) for each labelled GNE news page; empty without the corpus."""
    import io

    import zstandard
    from selectolax.lexbor import LexborHTMLParser

    from taoyu.extract import main_text

    labels = dict(
        line.split("\t")
        for line in (REPO / "bench" / "data" / "industry_gne_news.tsv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
        if line
    )
    path = shared / "data" / "corpus" / "html_gne" / "html.jsonl.zst"
    if not path.exists():
        return []
    rows = []
    with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as stream:
        for line in io.TextIOWrapper(stream, encoding="utf-8"):
            record = orjson.loads(line)
            if record["path"] in labels:
                title = LexborHTMLParser(record["text"]).css_first("title")
                heading = title.text().strip() if title is not None else ""
                rows.append((f"{heading}\n{main_text(record['text'])}", labels[record["path"]]))
    return rows


def own_set() -> list[tuple[str, str]]:
    path = REPO / "bench" / "data" / "industry_own.jsonl"
    return [(r["text"], r["section"]) for r in map(orjson.loads, path.read_bytes().splitlines())]


def model_labeller(model: LabelModel) -> Labeller:
    def run(texts: Sequence[str]) -> list[tuple[str, float]]:
        return [(p.label, p.score) for p in model.predict(list(texts))]

    return run


def count_labeller(words: dict[str, str]) -> Labeller:
    """The label whose words the text uses most (rjieba's words looked up), ``other`` with none."""
    import rjieba

    def run(texts: Sequence[str]) -> list[tuple[str, float]]:
        out = []
        for text in texts:
            hits = Counter(label for label in map(words.get, rjieba.cut(text)) if label)
            if not hits:
                out.append((OTHER, 0.0))
                continue
            (label, n), total = hits.most_common(1)[0], sum(hits.values())
            out.append((label, n / total))
        return out

    return run


def thuocl_words(shared: Path) -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for name, section in THUOCL_SECTIONS.items():
        path = shared / "data" / "thuocl" / f"THUOCL_{name}.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("\t")[0].strip()
            if len(word) >= 2:
                owners.setdefault(word, set()).add(section)
    return {w: next(iter(s)) for w, s in owners.items() if len(s) == 1}


def seed_labeller(taxonomy_words: SeedMatcher) -> Labeller:
    codes = taxonomy_words.taxonomy.codes

    def run(texts: Sequence[str]) -> list[tuple[str, float]]:
        out = []
        for text in texts:
            hits = taxonomy_words.counts(text).hits
            best = int(np.argmax(hits))
            out.append((codes[best], float(hits[best] / hits.sum())) if hits[best] else (OTHER, 0.0))
        return out

    return run


def score(rows: Sequence[tuple[str, str]], predicted: list[tuple[str, float]]) -> dict[str, object]:
    gold = [g for _, g in rows]
    labels = [p for p, _ in predicted]
    present = sorted(set(gold))
    f1 = {}
    for c in present:
        tp = sum(p == c and g == c for p, g in zip(labels, gold, strict=True))
        fp = sum(p == c and g != c for p, g in zip(labels, gold, strict=True))
        fn = sum(p != c and g == c for p, g in zip(labels, gold, strict=True))
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f1[c] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    right = np.array([p == g for p, g in zip(labels, gold, strict=True)])
    probs = np.array([s for _, s in predicted])
    calibration = {}
    for lo, hi in BANDS:
        sel = (probs >= lo) & (probs < hi) & (np.array(labels) != OTHER)
        calibration[f"{lo:.1f}-{min(hi, 1.0):.1f}"] = (
            int(sel.sum()),
            float(right[sel].mean()) if sel.any() else None,
        )
    return {
        "n": len(rows),
        "accuracy": float(right.mean()),
        "macro_f1": float(np.mean(list(f1.values()))),
        "other": float(np.mean([p == OTHER for p in labels])),
        "f1": f1,
        "calibration": calibration,
        "confusion": Counter((g, p) for p, g in zip(labels, gold, strict=True)),
    }


def report(name: str, results: dict[str, dict[str, object]]) -> None:
    print(f"\n## {name} ({next(iter(results.values()))['n']} texts)\n")
    print("| labeller | accuracy | macro-F1 | other |")
    print("|---|---|---|---|")
    for who, r in results.items():
        print(f"| {who} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['other']:.1%} |")
    main = next(iter(results.values()))
    print("\nper-section F1: " + ", ".join(f"{c} {v:.2f}" for c, v in main["f1"].items()))  # type: ignore[union-attr]
    print("\ncalibration of the model (band of the stated probability: texts, share right):")
    for band, (n, share) in main["calibration"].items():  # type: ignore[union-attr]
        print(f"  {band}: {n:5d}  {'-' if share is None else f'{share:.2f}'}")
    confusion: Counter = main["confusion"]  # type: ignore[assignment]
    gold = sorted({g for g, _ in confusion})
    predicted = sorted({p for _, p in confusion}, key=lambda p: (p == OTHER, p))
    print("\nconfusion (rows: true section, columns: the model's label)\n")
    print("| | " + " | ".join(predicted) + " |")
    print("|---" * (len(predicted) + 1) + "|")
    for g in gold:
        print(f"| {g} | " + " | ".join(str(confusion.get((g, p), "")) for p in predicted) + " |")


def speed(shared: Path, labellers: dict[str, Labeller], n_docs: int) -> None:
    laws = shared / "data" / "corpus" / "laws"
    texts = [
        t[:1000] for t in itertools.islice(read_texts([laws], chunk_chars=1200), n_docs * 2) if len(t) >= 1000
    ]
    texts = texts[:n_docs]
    print(f"\n## speed: {len(texts)} documents of 1,000 characters, one core\n")
    rates = {}
    for who, run in labellers.items():
        run(texts[:20])  # compile and load before timing
        started = time.perf_counter()
        for i in range(0, len(texts), 256):
            run(texts[i : i + 256])
        rates[who] = len(texts) / (time.perf_counter() - started)
    first = next(iter(rates))
    for who, rate in rates.items():
        print(f"- {who}: {rate:,.0f} docs/s ({rate / rates[first]:.2f}x of {first})")


def custom(shared: Path, seed: int = 0) -> None:
    """The five-corpora taxonomy, trained on 80% of each corpus and scored on the rest."""
    taxonomy = load(REPO / "bench" / "data" / "five_corpora.yaml")
    sources = {
        "news": shared / "data/corpus/xinwenlianbo",
        "law": shared / "data/corpus/laws",
        "tidb": shared / "data/corpus/tidb_docs_cn",
        "poetry": shared / "data/corpus/poetry",
        "wikipedia": [
            shared / "data/quality/wiki_cmrc.jsonl.zst",
            shared / "data/quality/wiki_drcd.jsonl.zst",
        ],
    }
    rng = random.Random(seed)
    pool, held = [], []
    for code, paths in sources.items():
        texts = list(
            itertools.islice(read_texts(paths if isinstance(paths, list) else [paths], per_file=2), 3000)
        )
        rng.shuffle(texts)
        cut = int(len(texts) * 0.8)
        pool += texts[:cut]
        held += [(t, code) for t in texts[cut:]]
    rng.shuffle(pool)
    started = time.perf_counter()
    model, _ = train(taxonomy, pool, TrainConfig(seed=seed))
    print(f"\n## custom taxonomy: five corpora, trained on {len(pool)} unlabelled texts in "
          f"{time.perf_counter() - started:.0f} s, scored on {len(held)} held back\n")  # fmt: skip
    report(
        "custom taxonomy (held-back texts)",
        {
            "label-train model": score(held, model_labeller(model)([t for t, _ in held])),
            "same seed words counted": score(
                held, seed_labeller(SeedMatcher(taxonomy))([t for t, _ in held])
            ),
        },
    )


def news_items(shared: Path, n: int) -> list[str]:
    """``n`` news items of the 新闻联播 transcripts (evaluation only): a day's transcript is many
    reports, each a paragraph of 200–3,000 characters, taken one by one."""
    import re

    tags = re.compile(r"<[^>]+>")
    items: list[str] = []
    for text in read_texts([shared / "data/corpus/xinwenlianbo"], chunk_chars=1 << 30):
        for item in text.split("\n\n"):
            item = tags.sub("", item).strip()  # each report is a <p> of the transcript
            if 200 <= len(item) <= 3000:
                items.append(item)
        if len(items) >= n:
            break
    return items[:n]


def content_types(shared: Path, news_pages: Sequence[str], n: int = 500) -> None:
    """What the content-type rules call texts whose genre is known (no labelled web text exists
    that the project may train on): real news pages (GNE's, each its title over taoyu's
    extraction), news items, statutes, TiDB docs, poems and Wikipedia paragraphs; the share given
    the expected type, and the rest."""
    from taoyu.industry import content_type

    corpora: dict[str, tuple[Path | list[str], str]] = {
        f"real news pages, GNE (expect news; {len(news_pages)} pages)": (list(news_pages), "news"),
        "news transcripts, one report each (expect news)": (news_items(shared, n), "news"),
        "statutes (expect legal)": (shared / "data/corpus/laws", "legal"),
        "TiDB docs (expect tutorial)": (shared / "data/corpus/tidb_docs_cn", "tutorial"),
        "poems (expect literature)": (shared / "data/corpus/poetry", "literature"),
        "Wikipedia (expect other)": (shared / "data/quality/wiki_cmrc.jsonl.zst", "other"),
    }
    print(f"\n## content type on texts of a known genre ({n} texts each unless said)\n")
    print("| corpus | expected type | share | other types given |")
    print("|---|---|---|---|")
    for name, (source, expected) in corpora.items():
        if isinstance(source, list):
            texts = source
        else:
            texts = list(itertools.islice(read_texts([source], per_file=1), n))
        if not texts:
            continue
        kinds = Counter(content_type.classify(t).kind for t in texts)
        rest = ", ".join(f"{k} {v / len(texts):.0%}" for k, v in kinds.most_common() if k != expected)
        print(f"| {name} | {expected} | {kinds[expected] / len(texts):.0%} | {rest} |")


def main(argv: Sequence[str] | None = None) -> int:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--model", type=Path, default=None, help="a label model (default: the shipped one)")
    parser.add_argument(
        "--custom", action="store_true", help="also train and score the five-corpora taxonomy"
    )
    parser.add_argument("--speed-docs", type=int, default=2000)
    args = parser.parse_args(argv)
    model = LabelModel.load(args.model)
    labellers = {
        "taoyu model": model_labeller(model),
        "THUOCL keyword count": count_labeller(thuocl_words(args.shared)),
        "seed-word count": seed_labeller(SeedMatcher(builtin())),
    }
    news_pages = gne_news(args.shared)
    for name, rows in (
        ("TNEWS titles mapped to sections", tnews(args.shared)),
        ("real news pages (GNE), our labels", news_pages),
        ("own paragraphs", own_set()),
    ):
        texts = [t for t, _ in rows]
        report(name, {who: score(rows, run(texts)) for who, run in labellers.items()})
    speed(args.shared, {k: labellers[k] for k in ("taoyu model", "THUOCL keyword count")}, args.speed_docs)
    content_types(args.shared, [text for text, _ in news_pages])
    path = Path(__import__("taoyu.industry.model", fromlist=["x"]).__file__).with_name("industry_model.npz")
    print(f"\nmodel file: {path.stat().st_size / 2**20:.1f} MB")
    if args.custom:
        custom(args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
