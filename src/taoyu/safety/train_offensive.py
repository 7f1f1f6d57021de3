r"""Train the offensive classifier on COLD with numpy alone; every choice is made on the dev split.

    python -m taoyu.safety.train_offensive --cold ../shared/data/cold --neutral ../shared/data \
        --out src/taoyu/safety/offensive_model.npz

``--neutral`` adds neutral sentences about sensitive topics (Wikipedia and PRC statutes that name
a group: gender, sexuality, ethnicity, religion, disability, HIV, region), each also with its
group swapped for another, as safe examples (:mod:`taoyu.safety.neutral_topics`): their train part
to the training set and their dev part to dev, where they count as negatives in the F1 that picks
the model and its threshold. Without them the model learns COLD's topics as evidence of offence.
The held-out part and the evaluation-only news are never used to choose anything.

Why numpy only: the runtime model is a weight vector and a bias, so the trainer needs nothing the
runtime does not already import, and anyone can retrain it from a clean checkout.

Why these choices:

* **Logistic regression with L2, mini-batch SGD with momentum.** On hashed sparse features it
  converges in a few epochs, and it lets common n-grams dominate rare ones (see ``sgd_epochs``).
* **L2 strength and epoch count are picked on dev F1**, and the decision threshold is the one that
  maximises dev F1. The test split is only ever printed, never used to choose anything.
* **Scored as shipped.** Every candidate is evaluated with its weights rounded to float16, so the
  threshold and the printed numbers belong to the file that is written, not to a float64 model.
* **Deterministic.** Shuffles come from one seeded generator and numpy's sums run in a fixed order:
  the same seed and data give the same file byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from taoyu.safety.offensive import HashedRows, HashSpec, OffensiveModel, hashed_ngrams, linear_scores, sigmoid

DEFAULT_L2 = (1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5)


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    accuracy: float

    def row(self) -> str:
        return f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} acc={self.accuracy:.3f}"


@dataclass(frozen=True)
class Candidate:
    """One (L2, epoch) point of the search, with what dev said about it."""

    l2: float
    epochs: int
    dev_f1: float
    threshold: float
    model: OffensiveModel


def read_cold(path: Path) -> tuple[list[str], np.ndarray]:
    """TEXT and label columns of a COLD csv; ``utf-8-sig`` because the files start with a BOM."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["TEXT"] for r in rows], np.array([int(r["label"]) for r in rows], dtype=np.int8)


def metrics(flags: np.ndarray, labels: np.ndarray) -> Metrics:
    """P/R/F1 of the offensive class (label 1) and accuracy, for boolean predictions."""
    truth = labels == 1
    tp = int(np.sum(flags & truth))
    precision = tp / max(int(flags.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, float(np.mean(flags == truth)))


def best_threshold(probs: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``probs >= threshold``.

    Only cuts between two different probabilities are considered (ties would otherwise be split),
    and the threshold sits halfway between them so it is not balanced on one dev example's score.
    """
    order = np.argsort(-probs, kind="stable")
    p, y = probs[order], labels[order] == 1
    tp = np.cumsum(y)
    k = np.arange(1, len(p) + 1)
    f1 = 2 * tp / (k + max(int(y.sum()), 1))
    valid = np.ones(len(p), dtype=bool)
    valid[:-1] = p[:-1] > p[1:]
    i = int(np.argmax(np.where(valid, f1, -1.0)))
    below = p[i + 1] if i + 1 < len(p) else 0.0
    return float((p[i] + below) / 2), float(f1[i])


def _minibatch(data: HashedRows, indptr: np.ndarray, sel: np.ndarray) -> HashedRows:
    """Rows ``sel`` of a row-sorted batch, renumbered 0..len(sel)-1."""
    starts = indptr[sel]
    lengths = indptr[sel + 1] - starts
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    take = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    rows = np.repeat(np.arange(len(sel), dtype=np.int64), lengths)
    return HashedRows(rows, data.cols[take], data.scale[sel])


def sgd_epochs(
    data: HashedRows,
    labels: np.ndarray,
    bits: int,
    l2: float,
    epochs: int,
    lr: float = 5.0,
    momentum: float = 0.9,
    batch_size: int = 128,
    seed: int = 0,
) -> Iterator[tuple[np.ndarray, float]]:
    """Yield (weights, bias) after each epoch of L2-regularised logistic regression.

    Plain SGD with momentum, not Adam: Adam scales each weight's step by that weight's own gradient
    history, so an n-gram seen in one comment moves as far as one seen in thousands, and the model
    memorises incidental n-grams (on a synthetic set with one marker word it stalls near 75%
    accuracy). With SGD the frequent, consistent n-grams lead. The large step suits the features:
    each text's vector has unit norm, so a logit moves by about ``lr`` times a weight change.

    A generator so the caller can score every epoch on dev without training each count again.
    """
    dim = 1 << bits
    rng = np.random.default_rng(seed)
    indptr = np.zeros(data.n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(data.rows, minlength=data.n_rows), out=indptr[1:])
    y = labels.astype(np.float64)
    params = np.zeros(dim + 1)  # weights, then the bias (not regularised)
    velocity = np.zeros(dim + 1)
    grad = np.empty(dim + 1)
    for _ in range(epochs):
        perm = rng.permutation(data.n_rows)
        for start in range(0, data.n_rows, batch_size):
            sel = perm[start : start + batch_size]
            batch = _minibatch(data, indptr, sel)
            err = sigmoid(linear_scores(batch, params[:dim], params[dim])) - y[sel]
            grad[:dim] = np.bincount(batch.cols, weights=(err * batch.scale)[batch.rows], minlength=dim)
            grad[:dim] = grad[:dim] / len(sel) + l2 * params[:dim]
            grad[dim] = err.mean()
            velocity = momentum * velocity + grad
            params -= lr * velocity
        yield params[:dim].copy(), float(params[dim])


def as_shipped(weights: np.ndarray, bias: float, spec: HashSpec, threshold: float = 0.5) -> OffensiveModel:
    """The model exactly as the file will hold it: weights rounded through float16."""
    return OffensiveModel(weights.astype(np.float16), bias, spec, threshold)


def fit(
    texts: Sequence[str],
    labels: np.ndarray,
    spec: HashSpec | None = None,
    l2: float = 1e-5,
    epochs: int = 5,
    seed: int = 0,
) -> OffensiveModel:
    """Train for a fixed number of epochs, threshold 0.5: the no-search path, for tests and quick runs."""
    spec = spec or HashSpec()
    last = (np.zeros(1 << spec.bits), 0.0)
    for last in sgd_epochs(hashed_ngrams(texts, spec), labels, spec.bits, l2, epochs, seed=seed):  # noqa: B007
        pass
    return as_shipped(*last, spec)


def search(
    train: tuple[Sequence[str], np.ndarray],
    dev: tuple[Sequence[str], np.ndarray],
    spec: HashSpec,
    l2_grid: Sequence[float] = DEFAULT_L2,
    max_epochs: int = 20,
    seed: int = 0,
) -> Candidate:
    """Best (L2, epochs) by dev F1 at each candidate's own dev-best threshold."""
    train_rows = hashed_ngrams(train[0], spec)
    dev_rows = hashed_ngrams(dev[0], spec)
    best: Candidate | None = None
    for l2 in l2_grid:
        epochs = sgd_epochs(train_rows, train[1], spec.bits, l2, max_epochs, seed=seed)
        for epoch, (weights, bias) in enumerate(epochs, start=1):
            model = as_shipped(weights, bias, spec)
            probs = sigmoid(linear_scores(dev_rows, model.weights, model.bias))
            threshold, f1 = best_threshold(probs, dev[1])
            print(f"  l2={l2:g} epoch {epoch:2d}: dev F1 {f1:.4f} at {threshold:.3f}", file=sys.stderr)
            if best is None or f1 > best.dev_f1:
                model.threshold = threshold
                best = Candidate(l2, epoch, f1, threshold, model)
    assert best is not None, "empty L2 grid"
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Train the shipped offensive-speech model from COLD (and, if given, neutral news on the same
    topics), choose its L2 strength, epochs and threshold on COLD's dev split, save it, and score
    the saved file, not the object in memory, on every split: the figures printed are the model's
    users get. Returns 2 when COLD's files are not where ``--cold`` says."""
    args = _parser().parse_args(argv)
    splits = _read_splits(args.cold)
    if splits is None:
        return 2
    spec = HashSpec(tuple(int(n) for n in args.orders.split(",")), args.bits, args.hash_seed)
    print("COLD: " + ", ".join(f"{k} {len(v[0]):,}" for k, v in splits.items()) + f"; {spec}")
    heldout: list = []
    if args.neutral is not None:
        heldout = _add_neutral_topics(splits, args)

    started = time.perf_counter()
    l2_grid = [float(x) for x in args.l2.split(",")]
    best = search(splits["train"], splits["dev"], spec, l2_grid, args.max_epochs, args.seed)
    print(f"chosen on dev: l2={best.l2:g}, {best.epochs} epochs, threshold {best.threshold:.4f} "
          f"({time.perf_counter() - started:.0f}s)")  # fmt: skip

    args.out.parent.mkdir(parents=True, exist_ok=True)
    best.model.save(args.out)
    shipped = OffensiveModel.from_bytes(args.out.read_bytes())  # score the file, not the object
    _print_evaluation(shipped, splits, heldout)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


def _parser() -> argparse.ArgumentParser:
    """The command line of ``python -m taoyu.safety.train_offensive``, apart from ``main`` so the
    options read as one list."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--cold", type=Path, required=True, help="folder with COLD's train.csv, dev.csv, test.csv"
    )
    ap.add_argument("--out", type=Path, required=True, help="where to write the .npz model")
    ap.add_argument("--orders", default="1,2,3", help="character n-gram orders, comma-separated")
    ap.add_argument("--bits", type=int, default=18, help="log2 of the number of hash buckets")
    ap.add_argument("--hash-seed", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0, help="shuffling seed")
    ap.add_argument("--l2", default=",".join(f"{x:g}" for x in DEFAULT_L2), help="L2 strengths to try")
    ap.add_argument("--max-epochs", type=int, default=20)
    ap.add_argument(
        "--neutral", type=Path, help="shared data folder: add neutral topic sentences as safe examples"
    )
    ap.add_argument("--neutral-per-source", type=int, default=4000, help="cap per source and split")
    ap.add_argument(
        "--swap-copies", type=int, default=2, help="group-swapped copies of each neutral sentence"
    )
    return ap


def _read_splits(cold: Path) -> dict[str, tuple[list[str], np.ndarray]] | None:
    """COLD's train, dev and test splits; None (after saying which file) when one is missing, so
    ``main`` exits with status 2 before training anything."""
    splits = {}
    for name in ("train", "dev", "test"):
        path = cold / f"{name}.csv"
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            return None
        splits[name] = read_cold(path)
    return splits


def _add_neutral_topics(splits: dict[str, tuple[list[str], np.ndarray]], args: argparse.Namespace) -> list:
    """Add the neutral topic sentences (with group-swapped copies) to train and dev as safe
    examples, in place; returns the held-out neutral sentences, which are only ever evaluated."""
    from taoyu.safety import neutral_topics

    for name in ("train", "dev"):
        part = neutral_topics.load(args.neutral, name, args.neutral_per_source, trainable_only=True)
        part += neutral_topics.swapped(part, args.swap_copies)
        texts, labels = splits[name]
        splits[name] = (
            [*texts, *(s.text for s in part)],
            np.concatenate([labels, np.zeros(len(part), np.int8)]),
        )
        print(f"neutral {name}: {len(part):,} safe sentences (with group-swapped copies)")
    return neutral_topics.load(args.neutral, neutral_topics.HELDOUT, args.neutral_per_source)


def _print_evaluation(
    shipped: OffensiveModel, splits: dict[str, tuple[list[str], np.ndarray]], heldout: list
) -> None:
    """Print the shipped model's scores on dev and test, and its false positives on the held-out
    neutral sentences: numbers for the reader, never used to choose anything."""
    for name in ("dev", "test"):
        texts, labels = splits[name]
        print(f"{name:5s} {metrics(shipped.predict(texts), labels).row()}")
    if heldout:
        probs = shipped.predict_proba([s.text for s in heldout])
        print(f"neutral held-out ({len(heldout):,}): false positives "
              f"{np.mean(probs >= shipped.threshold):.4f} "
              f"at {shipped.threshold:.3f}, {np.mean(probs >= 0.9):.4f} at 0.9")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
