"""Offensive-text detection on the COLD test split: the shipped model against keyword lexicons.

    python bench/offensive.py --cold ../shared/data/cold --lexicons ../shared/data/sensitive-lexicon

The model is ``taoyu.safety.OffensiveModel`` at its shipped (dev-tuned) threshold. Each lexicon
file is scored as the classifier web pipelines often use: a comment is offensive when it contains
any term of the list (substring match after the same NFKC + lowercase folding the model uses; terms
shorter than two characters are dropped, since a single character matches almost everything).
The union of all lists is scored too.

Neutral text about sensitive topics (``--shared-data``; :mod:`taoyu.safety.neutral_topics`): the
held-out sentences of Wikipedia and PRC statutes that name a group (gender, sexuality, ethnicity,
religion, disability, HIV, region), and every such sentence of the CCTV news transcripts (evaluation
only, never trained on). None is offensive, so every flag is a false positive: reported at the
model's threshold and at the safety step's line threshold, per source and per topic, for the same
sentences with their group swapped for another (synthetic: the sources rarely name sexual
minorities), and per page, as the safety step decides on the held-out documents that name a topic.

Speed is measured in the same run on the same texts: the model's batched ``predict_proba``
against a first-character-indexed pure-Python substring matcher over the union list (the
lexicon check a pipeline would run without a compiled Aho-Corasick dependency).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from taoyu.jit import compile_at_first_call
from taoyu.safety import OffensiveModel, normalize
from taoyu.safety.train_offensive import Metrics, metrics, read_cold

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TERM_SEPARATORS = re.compile(r"[,，、;；\t|]")  # a few lines list several terms on one line


FINE_GRAINED = {
    "1": "attack on a person",
    "2": "attack on a group",
    "3": "anti-bias (safe)",
    "0": "other safe",
}


def fine_grained_labels(path: Path) -> list[str]:
    """COLD test's fine-grained column: where the errors fall (anti-bias comments are the hard safe case)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [r["fine-grained-label"] for r in csv.DictReader(fh)]


def read_terms(path: Path) -> set[str]:
    """Terms of one list, folded like the texts; tolerant of BOMs, GBK files and comma-joined lines."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    terms = {normalize(t) for line in text.splitlines() for t in TERM_SEPARATORS.split(line)}
    return {t for t in terms if len(t) >= 2}


class LexiconMatcher:
    """Any-term substring test, indexed by each term's first character.

    At each position only the terms starting with that character are tried, so the cost grows with
    the text length, not with the size of the list.
    """

    def __init__(self, terms: set[str]) -> None:
        self.terms = frozenset(terms)
        lengths: dict[str, set[int]] = defaultdict(set)
        for term in terms:
            lengths[term[0]].add(len(term))
        self.lengths = {c: sorted(ls) for c, ls in lengths.items()}

    def hit(self, text: str) -> bool:
        terms, lengths = self.terms, self.lengths
        for i, ch in enumerate(text):
            for n in lengths.get(ch, ()):
                if text[i : i + n] in terms:
                    return True
        return False

    def flags(self, texts: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.hit(normalize(t)) for t in texts), dtype=bool, count=len(texts))


def texts_per_second(fn: Callable[[Sequence[str]], object], texts: Sequence[str], repeat: int) -> float:
    """Best of ``repeat`` timed passes: the least disturbed by whatever else the machine is doing."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def row(name: str, terms: str, m: Metrics, flagged: float) -> str:
    return (
        f"| {name} | {terms} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} | {m.accuracy:.3f} "
        f"| {flagged:.3f} |"
    )


def neutral_topic_report(model: OffensiveModel, shared_data: Path) -> dict[str, float]:
    """False positives on held-out neutral sentences and pages that name a sensitive topic."""
    from taoyu.document import Document, Source
    from taoyu.safety import neutral_topics as nt
    from taoyu.steps.safety import Safety, SafetyParams

    line_cut = SafetyParams().offensive_threshold
    held = [s for s in nt.topic_sentences(shared_data) if s.split == nt.HELDOUT]
    groups = {"neutral held-out sentences": held, "the same, group swapped": nt.swapped(held)}
    out: dict[str, float] = {}
    print("\nneutral text about sensitive topics, held out: false-positive rate (no sentence is offensive)\n")
    print(f"| sentences | n | at {model.threshold:.3f} | at {line_cut} (step's line threshold) |")
    print("|---|---|---|---|")
    for title, items in groups.items():
        probs = model.predict_proba([s.text for s in items])
        rows = {title: np.ones(len(items), bool)}
        if title.startswith("neutral"):
            rows |= {
                f"  source {k}": np.array([s.source == k for s in items])
                for k in dict.fromkeys(s.source for s in items)
            }
            rows |= {f"  topic {k}": np.array([s.topic == k for s in items]) for k in nt.TOPICS}
        for name, sel in rows.items():
            if not sel.any():
                continue
            low, high = float(np.mean(probs[sel] >= model.threshold)), float(np.mean(probs[sel] >= line_cut))
            print(f"| {name} | {int(sel.sum()):,} | {low:.4f} | {high:.4f} |")
            out[f"{name.strip()} fp@model"], out[f"{name.strip()} fp@step"] = low, high
    # Pages: the held-out documents that name a topic, through the safety step as a pipeline runs it.
    step = Safety()
    step.setup()
    step._model = model
    named = {(s.source, s.doc) for s in held}
    docs = [
        Document(f"{src.name}:{doc}", text, Source(src.path, k))
        for src in nt.SOURCES
        for k, (doc, text) in enumerate(nt.documents(src, shared_data))
        if (src.name, doc) in named
    ]
    step.prepare(docs)
    dropped = [d for d in docs if not step.decide(step.score(d)).keep]
    rate = len(dropped) / max(len(docs), 1)
    print(
        f"\nheld-out pages naming a topic dropped by the safety step as offensive: "
        f"{len(dropped):,} of {len(docs):,} ({rate:.4f})"
    )
    out["pages dropped"] = rate
    return out


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cold", type=Path, default=SHARED / "data" / "cold")
    ap.add_argument("--lexicons", type=Path, default=SHARED / "data" / "sensitive-lexicon")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the best one is reported")
    ap.add_argument(
        "--shared-data", type=Path, default=SHARED / "data", help="for the neutral-topic evaluation"
    )
    ap.add_argument("--model", type=Path, help="a model file instead of the packaged one (before/after)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    test_csv = args.cold / "test.csv"
    if not test_csv.is_file():
        sys.exit(f"needs the COLD test split: {test_csv} does not exist (pass --cold DIR)")
    lists = sorted(args.lexicons.glob("*.txt")) if args.lexicons.is_dir() else []
    if not lists:
        sys.exit(f"needs the lexicon .txt files: none in {args.lexicons} (pass --lexicons DIR)")

    texts, labels = read_cold(test_csv)
    model = OffensiveModel.load(args.model)
    results: dict[str, dict[str, float]] = {}

    model_flags = model.predict(texts)
    model_m = metrics(model_flags, labels)
    model_flagged = float(model_flags.mean())
    results["model"] = {**vars(model_m), "flagged": model_flagged, "threshold": model.threshold}

    lexicons = {p.stem: read_terms(p) for p in lists}
    union = LexiconMatcher(set().union(*lexicons.values()))
    scored: list[tuple[str, int, Metrics, float]] = []
    for name, terms in lexicons.items():
        flags = LexiconMatcher(terms).flags(texts)
        scored.append((name, len(terms), metrics(flags, labels), float(flags.mean())))
    union_flags = union.flags(texts)
    union_m = metrics(union_flags, labels)
    scored.sort(key=lambda s: -s[2].f1)
    best_name, _, best_m, _ = scored[0]

    n_pos = int(labels.sum())
    print(f"COLD test: {len(texts):,} comments, {n_pos:,} offensive ({n_pos / len(texts):.1%})\n")
    print("| classifier | terms | P | R | F1 | accuracy | flagged |")
    print("|---|---|---|---|---|---|---|")
    print(row(f"taoyu offensive model (threshold {model.threshold:.3f})", "-", model_m, model_flagged))
    print(row("union of all lists, any hit", f"{len(union.terms):,}", union_m, float(union_flags.mean())))
    for name, n_terms, m, flagged in scored:
        print(row(f"{name}, any hit", f"{n_terms:,}", m, flagged))
        results[name] = {**vars(m), "flagged": flagged, "terms": n_terms}
    results["union"] = {**vars(union_m), "flagged": float(union_flags.mean()), "terms": len(union.terms)}

    print(f"\nbest single lexicon by F1: {best_name} (P {best_m.precision:.3f}, R {best_m.recall:.3f}, "
          f"F1 {best_m.f1:.3f}); model F1 {model_m.f1:.3f}")  # fmt: skip

    fine = np.array(fine_grained_labels(test_csv))
    print("\nshare flagged by COLD's fine-grained label (test):\n")
    print("| fine-grained label | comments | model | union lexicon |")
    print("|---|---|---|---|")
    for code, name in FINE_GRAINED.items():
        sel = fine == code
        shares = f"{model_flags[sel].mean():.3f} | {union_flags[sel].mean():.3f}"
        print(f"| {code} {name} | {int(sel.sum()):,} | {shares} |")

    if (args.shared_data / "corpus").is_dir():
        results["neutral"] = neutral_topic_report(model, args.shared_data)

    model_rate = texts_per_second(model.predict_proba, texts, args.repeat)
    lexicon_rate = texts_per_second(union.flags, texts, args.repeat)
    print(
        f"\nspeed, one core, same {len(texts):,} texts: model {model_rate:,.0f} texts/s, "
        f"union-lexicon matcher {lexicon_rate:,.0f} texts/s (model/lexicon {model_rate / lexicon_rate:.1f}x)"
    )
    if args.json:
        speed = {"model_texts_per_s": model_rate, "lexicon_texts_per_s": lexicon_rate}
        args.json.write_text(json.dumps({"results": results, "speed": speed}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
