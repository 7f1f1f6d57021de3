r"""Train a labeller from a taxonomy's words and unlabelled text: no labelled data, no network.

    python -m taoyu.industry.train --out src/taoyu/industry/industry_model.npz \
        --input ../shared/data/quality ../shared/data/corpus/laws ../shared/data/corpus/tidb_docs_cn \
                ../shared/data/corpus/poetry

(``taoyu label-train TAXONOMY.yaml --input CORPUS -o MODEL`` runs the same code on a user's own
taxonomy and corpus.) How it learns, with each choice's reason:

1. **Weak labels from seed words** (:mod:`taoyu.industry.seeds`): a text that uses several seed
   words of one label and few of any other is labelled with it. These are the texts that say
   plainly what they are about; most of the corpus gets no label.
2. **Seed sentences**: for each label, short texts built from its seed words set in windows of
   the corpus's own text, plus its name and description. Every seed word then has a weight even
   when the corpus never uses it, and the corpus's common words, which appear under every label,
   learn to say nothing. Short ones stand for titles, which must be labelled too.
3. **A softmax over word buckets** (:mod:`taoyu.industry.features`), trained by SGD with class
   weights, so a label with few weak examples is not drowned by one with many.
4. **Self-training**: the model labels the whole corpus, and the texts it labels with high
   confidence join the training set for the next round. This is how words that are not seeds
   (the names of banks, the jargon of a trade) come to point to their label.
5. **Calibration**: a temperature fitted on held-out weak-labelled text makes scores read as
   probabilities, and the ``other`` threshold is set from the same held-out text.

Deterministic: the same taxonomy, corpus and seed give the same file byte for byte.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import orjson
import zstandard

from taoyu.industry.features import DEFAULT_BITS, DEFAULT_MAX_CHARS, Features, featurize, head_of
from taoyu.industry.model import LabelModel, softmax
from taoyu.industry.seeds import SeedMatcher
from taoyu.industry.taxonomy import Taxonomy, builtin, load
from taoyu.jit import kernel
from taoyu.text.generic_words import GENERIC_WORDS

Log = Callable[[str], None]

_HEADLINE_WORDS = """
为什么 怎么 怎么办 如何 哪些 哪个 什么 原因 终于 竟然 居然 网友 曝光 回应 最新 今日 近日 昨天 明天
真相 揭秘 看完 建议 注意 千万 一定要 到底 究竟 值得 不要 告诉 发现 教你 只需 简单 方法 技巧 原来
结果 这些 那些 这样 那么 大家 有人 很多人 我们 你们 他们 男子 女子 老人 孩子 年轻人 记者 视频 图片
美国 日本 英国 全球 世界 国外 国内 北京 上海 广东 浙江 江苏 山东 四川 河南 第一 首个 最大 最多 万元 亿元
"""
NEUTRAL_WORDS = sorted(GENERIC_WORDS | set(_HEADLINE_WORDS.split()))
"""Words that say nothing about a label (the project's generic words and the stock words of
headlines), set into every label's seed texts so the model learns to give them no weight."""


@dataclass(frozen=True)
class TrainConfig:
    """The trainer's knobs. The defaults are those of ``taoyu label-train``; the shipped GB/T model
    was built with them and ``background="corpus"`` (docs/industry.md has the command)."""

    bits: int = DEFAULT_BITS
    max_chars: int = DEFAULT_MAX_CHARS
    epochs: int = 6
    min_updates: int = 50_000
    """A small training set gets more epochs, up to this many examples seen in all (200 at most)."""
    lr: float = 0.4
    l2: float = 1e-6
    seed_texts_per_label: int = 600
    """Seed texts per label at least; a label with more seed and lexicon words gets more of them
    (``seed_texts_per_word`` each), so that each word is seen about as often whatever its label."""
    seed_texts_per_word: float = 5.0
    max_weak_per_label: int = 400
    """Weak-labelled texts a label trains on at most: a corpus that is mostly one label's (a
    software manual, a statute book) must not teach the others' words to mean it."""
    rounds: int = 1
    self_min_prob: float = 0.9
    """Confidence at which a self-labelled text joins the next round's training set."""
    self_max_per_label: int = 3000
    holdout: float = 0.15
    """Share of the weak-labelled texts kept back for calibration and the report."""
    url_boost: float = 1.5
    seed_weight: float = 4.0
    """What each label's distinct seed words in a text add to its logit: ``seed_weight`` times
    log(1 + n), beside the learned weights (:class:`LabelModel`). The learned weights spread a
    seed's evidence over its characters and pairs, and the texts the temperature is fitted on have
    their seeds cut out, so a text that names its subject in the taxonomy's own words was labelled
    no surer than one that does not. From 2 up the project's own paragraphs
    (bench/data/industry_own.jsonl) are labelled as well as they can be; 4 was chosen on the train
    split of the TNEWS titles (a short title's few characters carry little learned evidence, and a
    seed word is the plainest it has); the dev split and the real news pages, which did not choose
    it, gained too, and the five-corpora taxonomy of ``bench/industry.py --custom`` held
    (docs/benchmarks.md)."""
    background: Literal["own", "corpus"] = "own"
    """Where the windows around seed words come from: ``own``, the label's own weak-labelled texts
    (right when the corpus is the kind of text to be labelled: a window of another label's text
    would teach its words to mean "not that label"); ``corpus``, any text of the corpus (the
    built-in model: its corpus of statutes, encyclopedia and poems is not the news and web text it
    labels, and there the windows serve as filler that teaches common characters to say nothing;
    bench/industry.py scored it higher on news titles and on the project's own paragraphs)."""
    seed: int = 0


@dataclass
class TrainReport:
    """What the trainer saw and how sure the model is about it."""

    labels: list[str]
    weak: dict[str, int] = field(default_factory=dict)
    self_labelled: dict[str, int] = field(default_factory=dict)
    corpus_texts: int = 0
    holdout_texts: int = 0
    holdout_accuracy: float = 0.0
    temperature: float = 1.0
    threshold: float = 0.0
    corpus_labels: dict[str, int] = field(default_factory=dict)
    """The trained model's labels over the whole corpus (``other`` included)."""
    confidence_bands: dict[str, int] = field(default_factory=dict)
    """Corpus texts per band of the winning label's probability."""
    shared_seeds: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


# -- reading a corpus --------------------------------------------------------------------------


def read_texts(paths: Sequence[str | Path], chunk_chars: int = 1500, per_file: int = 0) -> Iterator[str]:
    """Texts from JSONL (``.jsonl``, ``.jsonl.zst``, ``.jsonl.gz``), Parquet and plain-text files, or
    folders of them, in a sorted order; long texts are cut into chunks of about ``chunk_chars``.

    A taoyu output folder is read from its ``data/`` (its ledger is not text). JSONL and Parquet
    records give their ``text`` field; a ``.txt`` file is one text. ``per_file`` caps the texts
    taken from one record (a long statute is one subject, not forty).
    """
    for path in map(Path, paths):
        if not path.exists():
            raise FileNotFoundError(f"input not found: {path}")
        if path.is_dir() and (path / "run.json").exists() and (path / "data").is_dir():
            path = path / "data"
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            for text in _named_errors(file, _file_texts(file)):
                for i, chunk in enumerate(_chunks(text, chunk_chars)):
                    if per_file and i >= per_file:
                        break
                    yield chunk


def _named_errors(file: Path, texts: Iterator[str]) -> Iterator[str]:
    """``texts``, with any read or decode error turned into a ValueError that names the file."""
    try:
        yield from texts
    except ValueError as exc:
        if str(exc).startswith(str(file)):
            raise
        raise ValueError(f"{file}: cannot read: {exc}") from exc
    except (OSError, EOFError, zstandard.ZstdError) as exc:
        raise ValueError(f"{file}: cannot read: {exc}") from exc


def _file_texts(file: Path) -> Iterator[str]:
    name = file.name.lower()
    if name.endswith((".jsonl", ".jsonl.zst", ".jsonl.gz", ".ndjson")):
        from taoyu.io.compression import open_decompressed

        with open_decompressed(str(file)) as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise ValueError(f"{file}: line {n} is not JSON: {exc}") from exc
                text = record.get("text") if isinstance(record, dict) else None
                if isinstance(text, str):
                    yield text
    elif name.endswith(".parquet"):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(file)
        if "text" in pf.schema_arrow.names:
            for batch in pf.iter_batches(columns=["text"], batch_size=2048):
                yield from (t for t in batch.column(0).to_pylist() if isinstance(t, str))
    elif name.endswith((".txt", ".md")):
        yield file.read_text(encoding="utf-8", errors="replace")


def _chunks(text: str, size: int) -> Iterator[str]:
    text = text.strip()
    while text:
        if len(text) <= size * 1.5:
            yield text
            return
        cut = text.rfind("\n", size // 2, size)
        cut = cut if cut > 0 else size
        yield text[:cut]
        text = text[cut:].lstrip()


# -- training data ------------------------------------------------------------------------------


def seed_texts(
    taxonomy: Taxonomy,
    backgrounds: Sequence[Sequence[str]],
    per_label: int,
    rng: np.random.Generator,
    lexicons: dict[str, list[str]] | None = None,
    per_word: float = 0.0,
) -> tuple[list[str], np.ndarray]:
    """Short texts made of a label's seed words and words that say nothing (``NEUTRAL_WORDS``),
    set in windows of ``backgrounds[k]`` (step 2 above).

    With ``TrainConfig.background`` ``own`` the windows come from the label's own texts: a window
    of a text about another label would teach that label's words to mean "not that label". The
    built-in model passes the whole corpus for every label (``corpus``; see TrainConfig).
    ``lexicons`` adds word lists to labels (code -> words): a domain lexicon's words are drawn as
    often as the label's own seeds, so a long list widens the vocabulary without outweighing them.
    A neutral word that the taxonomy names as a seed (a data-industry label's 数据) is not used as
    filler: the model would be taught both that it points to its label and that it says nothing.
    """
    seeds_of_any = {str(seed) for label in taxonomy.labels for seed in label.seeds}
    filler = [word for word in NEUTRAL_WORDS if word not in seeds_of_any]
    texts: list[str] = []
    labels: list[int] = []
    for k, label in enumerate(taxonomy.labels):
        texts.append(f"{label.name}\n{label.description}")
        labels.append(k)
        seeds = list(label.seeds)
        extra = (lexicons or {}).get(label.code, [])
        for _ in range(max(per_label, min(int(per_word * (len(seeds) + len(extra) / 20)), 5 * per_label))):
            n_seeds = int(min(rng.geometric(0.35), 8))
            chosen = [seeds[i] for i in rng.integers(0, len(seeds), n_seeds)]
            if extra:
                chosen += [extra[i] for i in rng.integers(0, len(extra), n_seeds)]
            window = int(rng.choice((12, 30, 80, 200, 400)))
            pieces = _window(backgrounds[k], window, rng) if backgrounds[k] else []
            chosen += [filler[i] for i in rng.integers(0, len(filler), int(rng.integers(0, 4)))]
            for seed in chosen:
                pieces.insert(int(rng.integers(0, len(pieces) + 1)), seed)
            texts.append("，".join(pieces))
            labels.append(k)
    return texts, np.asarray(labels, np.int64)


def _window(corpus: Sequence[str], size: int, rng: np.random.Generator) -> list[str]:
    """A few clauses of a random corpus text, about ``size`` characters in all."""
    text = corpus[int(rng.integers(0, len(corpus)))]
    start = int(rng.integers(0, max(len(text) - size, 1)))
    piece = text[start : start + size]
    return [p for p in piece.replace("。", "，").split("，") if p.strip()]


# -- the learner --------------------------------------------------------------------------------


@kernel
def _sgd(
    indptr: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    scale: np.ndarray,
    labels: np.ndarray,
    sample_weight: np.ndarray,
    order: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray,
    lr0: float,
    lr1: float,
    l2: float,
) -> None:
    """One epoch of softmax-regression SGD over ``order``, the step falling from lr0 to lr1."""
    k = weights.shape[1]
    z = np.empty(k)
    n = len(order)
    for step in range(n):
        i = order[step]
        lr = lr0 + (lr1 - lr0) * step / n
        for c in range(k):
            z[c] = bias[c]
        for j in range(indptr[i], indptr[i + 1]):
            for c in range(k):
                z[c] += weights[cols[j], c] * vals[j] * scale[i]
        top = z.max()
        total = 0.0
        for c in range(k):
            z[c] = np.exp(z[c] - top)
            total += z[c]
        for c in range(k):
            g = (z[c] / total - (1.0 if c == labels[i] else 0.0)) * sample_weight[i]
            bias[c] -= lr * g * 0.1
            z[c] = lr * g * scale[i]
        decay = 1.0 - lr * l2
        for j in range(indptr[i], indptr[i + 1]):
            v = vals[j]
            for c in range(k):
                weights[cols[j], c] = weights[cols[j], c] * decay - z[c] * v


def fit(
    features: Features, labels: np.ndarray, k: int, config: TrainConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and biases of a softmax regression, each label weighted by the inverse square root
    of its share of the examples."""
    weights = np.zeros((1 << config.bits, k), np.float32)
    bias = np.zeros(k, np.float64)
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    per_label = np.where(counts > 0, np.sqrt(counts.sum() / (k * np.maximum(counts, 1))), 0.0)
    sample_weight = np.minimum(per_label[labels], 5.0)
    epochs = min(max(config.epochs, -(-config.min_updates // max(features.n_rows, 1))), 200)
    for epoch in range(epochs):
        lr0 = config.lr * (1 - epoch / epochs)
        lr1 = config.lr * (1 - (epoch + 1) / epochs)
        order = rng.permutation(features.n_rows).astype(np.int64)
        _sgd(features.indptr, features.cols, features.vals, features.scale, labels, sample_weight, order,
             weights, bias, lr0, lr1, config.l2)  # fmt: skip
    return weights, bias


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of ``labels`` (a grid, then refined)."""

    def nll(t: float) -> float:
        p = softmax(logits / t)
        return float(-np.mean(np.log(np.maximum(p[np.arange(len(labels)), labels], 1e-12))))

    grid = np.exp(np.linspace(np.log(0.05), np.log(20), 61))
    best = float(min(grid, key=nll))
    fine = best * np.exp(np.linspace(-0.1, 0.1, 21))
    return round(float(min(fine, key=nll)), 4)


# -- the whole procedure ------------------------------------------------------------------------


def train(
    taxonomy: Taxonomy,
    corpus: Sequence[str],
    config: TrainConfig | None = None,
    log: Log | None = None,
    lexicons: dict[str, list[str]] | None = None,
) -> tuple[LabelModel, TrainReport]:
    """A labeller for ``taxonomy`` learned from its words and the unlabelled ``corpus``."""
    config = config or TrainConfig()
    say = log or (lambda _msg: None)
    started = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    k, codes = len(taxonomy.labels), taxonomy.codes
    report = TrainReport(labels=codes, corpus_texts=len(corpus))
    matcher = SeedMatcher(taxonomy)
    report.shared_seeds = matcher.shared

    heads = [head_of(text, None, config.max_chars) for text in corpus]
    weak = np.array([_or_minus_one(matcher.weak_label(h)) for h in heads], np.int64)
    labelled = np.flatnonzero(weak >= 0)
    held = rng.random(len(labelled)) < config.holdout
    holdout, weak_train = labelled[held], _capped(labelled[~held], weak, config.max_weak_per_label, rng)
    report.weak = {codes[c]: int(n) for c, n in enumerate(np.bincount(weak[labelled], minlength=k))}
    report.holdout_texts = len(holdout)
    say(f"{len(corpus)} texts, {len(labelled)} with weak labels: {report.weak}")

    corpus_features = featurize(heads, config.bits)
    masked = featurize([matcher.masked(heads[i]) for i in holdout], config.bits)
    if config.background == "own":
        backgrounds = [[heads[i] for i in weak_train[weak[weak_train] == c]] for c in range(k)]
    else:
        backgrounds = [list(corpus)] * k
    s_texts, s_labels = seed_texts(
        taxonomy, backgrounds, config.seed_texts_per_label, rng, lexicons, config.seed_texts_per_word
    )
    s_features = featurize(s_texts, config.bits)
    extra = np.zeros(0, np.int64)
    extra_labels = np.zeros(0, np.int64)
    for round_ in range(config.rounds + 1):
        rows = np.concatenate([weak_train, extra])
        features = _stack(s_features, corpus_features.take(rows))
        labels = np.concatenate([s_labels, weak[weak_train], extra_labels])
        weights, bias = fit(features, labels, k, config, rng)
        model = LabelModel(
            taxonomy,
            weights,
            bias,
            bits=config.bits,
            max_chars=config.max_chars,
            seed_weight=config.seed_weight,
        )
        if round_ == config.rounds:
            break
        extra, extra_labels = _confident(model, corpus_features, weak, holdout, masked, config)
        report.self_labelled = {
            codes[c]: int(n) for c, n in enumerate(np.bincount(extra_labels, minlength=k))
        }
        say(f"round {round_ + 1}: {len(extra)} texts self-labelled: {report.self_labelled}")

    _calibrate(model, masked, weak[holdout], config, report)
    _describe_corpus(model, corpus_features, heads, report)
    report.seconds = round(time.perf_counter() - started, 1)
    say(f"held-out accuracy {report.holdout_accuracy:.3f} on {len(holdout)} weak-labelled texts without "
        f"their seed words; "
        f"temperature {report.temperature}, other below {report.threshold}")  # fmt: skip
    return model, report


def _capped(rows: np.ndarray, labels: np.ndarray, cap: int, rng: np.random.Generator) -> np.ndarray:
    """At most ``cap`` of ``rows`` per label, drawn at random, in their original order."""
    keep = [
        np.sort(rng.permutation(mine)[:cap])
        for c in np.unique(labels[rows])
        for mine in [rows[labels[rows] == c]]
    ]
    return np.sort(np.concatenate(keep)) if keep else rows


def _or_minus_one(value: int | None) -> int:
    return -1 if value is None else value


def _stack(a: Features, b: Features) -> Features:
    indptr = np.concatenate([a.indptr, a.indptr[-1] + b.indptr[1:]])
    return Features(
        indptr,
        np.concatenate([a.cols, b.cols]),
        np.concatenate([a.vals, b.vals]),
        np.concatenate([a.scale, b.scale]),
    )


def _confident(
    model: LabelModel,
    corpus: Features,
    weak: np.ndarray,
    holdout: np.ndarray,
    masked: Features,
    config: TrainConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """Corpus texts without a weak label that the model labels at ``self_min_prob`` or more, the
    most confident first, at most ``self_max_per_label`` a label (held-out texts excluded).
    Confidence is read as the calibrated model will state it: with the temperature fitted on the
    held-out texts with their seed words cut out (``masked``)."""
    logits = model.logits(corpus)
    if len(holdout) >= 10:
        logits = logits / fit_temperature(model.logits(masked), weak[holdout])
    probs = softmax(logits)
    best, score = probs.argmax(axis=1), probs.max(axis=1)
    eligible = (weak < 0) & (score >= config.self_min_prob)
    eligible[holdout] = False
    rows, labels = [], []
    for c in range(probs.shape[1]):
        mine = np.flatnonzero(eligible & (best == c))
        mine = mine[np.argsort(-score[mine], kind="stable")][: config.self_max_per_label]
        rows.append(mine)
        labels.append(np.full(len(mine), c, np.int64))
    return np.concatenate(rows), np.concatenate(labels)


def _calibrate(
    model: LabelModel, holdout: Features, labels: np.ndarray, config: TrainConfig, report: TrainReport
) -> None:
    """Set the model's temperature and ``other`` threshold from the held-out weak-labelled texts,
    read with their seed words cut out (:meth:`SeedMatcher.masked`)."""
    k = len(model.codes)
    model.url_boost = config.url_boost
    lowest = _lowest_threshold(k)
    if len(labels) < 10:  # too few to fit anything: plain softmax, and the lowest threshold
        model.temperature, model.threshold = 1.0, round(lowest, 4)
    else:
        logits = model.logits(holdout)
        model.temperature = fit_temperature(logits, labels)
        probs = softmax(logits / model.temperature)
        report.holdout_accuracy = round(float(np.mean(probs.argmax(axis=1) == labels)), 4)
        # Below the score that 95% of these texts reach, within [lowest, 0.5] (or at lowest).
        floor = float(np.quantile(probs.max(axis=1), 0.05))
        model.threshold = round(float(np.clip(floor, lowest, max(0.5, lowest))), 4)
    report.temperature, report.threshold = model.temperature, model.threshold


def _lowest_threshold(k: int) -> float:
    """The lowest ``other`` threshold for ``k`` labels: twice chance, or halfway from chance to
    certainty when that is lower (two labels: 0.75; three: 0.67; twenty: 0.1)."""
    return min(2.0 / k, (1.0 + 1.0 / k) / 2)


def _describe_corpus(model: LabelModel, corpus: Features, heads: Sequence[str], report: TrainReport) -> None:
    """The labels and confidence the model gives the corpus it was trained on, as it will state
    them (seed words weighed, :class:`LabelModel`)."""
    probs = softmax(model.logits(corpus) / model.temperature + model.seed_logits(heads))
    best, score = probs.argmax(axis=1), probs.max(axis=1)
    names = np.array([*model.codes, "other"])
    chosen = np.where(score >= model.threshold, best, len(model.codes))
    values, counts = np.unique(names[chosen], return_counts=True)
    report.corpus_labels = {str(v): int(n) for v, n in zip(values, counts, strict=True)}
    edges = [0.0, 0.3, 0.5, 0.7, 0.9, 1.01]
    hist = np.histogram(score, bins=edges)[0]
    report.confidence_bands = {
        f"{lo:.1f}-{min(hi, 1.0):.1f}": int(n) for lo, hi, n in zip(edges, edges[1:], hist, strict=False)
    }


def read_lexicons(specs: Sequence[str], taxonomy: Taxonomy) -> dict[str, list[str]]:
    """``CODE=FILE[:SKIP]`` word lists by label; a word in the lists of two labels is left out of both."""
    lists: dict[str, list[str]] = {}
    for spec in specs:
        code, _, rest = spec.partition("=")
        if code not in taxonomy.codes or not rest:
            raise SystemExit(f"--lexicon {spec}: expected CODE=FILE[:SKIP] with CODE one of {taxonomy.codes}")
        path, _, skip = rest.partition(":")
        lines = Path(path).read_text(encoding="utf-8").splitlines()[int(skip or 0) :]
        words = [w for w in (line.split("\t")[0].strip() for line in lines) if len(w) >= 2]
        lists.setdefault(code, []).extend(words)
    owners: dict[str, set[str]] = {}
    for code, words in lists.items():
        for w in words:
            owners.setdefault(w, set()).add(code)
    return {code: sorted({w for w in words if len(owners[w]) == 1}) for code, words in lists.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--taxonomy", default=None, help="taxonomy YAML (default: the built-in GB/T 4754)")
    parser.add_argument("--input", nargs="+", required=True, help="unlabelled corpus files or folders")
    parser.add_argument("--out", required=True, help="where to write the model (.npz)")
    parser.add_argument("--report", default=None, help="also write the training report here (JSON)")
    parser.add_argument("--per-file", type=int, default=3, help="texts taken from one record at most")
    parser.add_argument("--max-per-input", type=int, default=4000, help="texts taken from one input at most")
    parser.add_argument(
        "--lexicon",
        action="append",
        default=[],
        metavar="CODE=FILE[:SKIP]",
        help="a word list (one word a line, a tab and anything after it ignored) that widens a label's "
        "vocabulary; SKIP drops the list's first lines (a frequency-sorted list starts with common words)",
    )
    parser.add_argument(
        "--background",
        choices=("own", "corpus"),
        default="own",
        help="windows around seed words from the label's own weak-labelled texts (own: for a corpus of the "
        "kind of text to be labelled) or from any corpus text (corpus: the built-in model's choice)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    taxonomy = load(args.taxonomy) if args.taxonomy else builtin()
    corpus = [
        text
        for path in args.input
        for text in itertools.islice(read_texts([path], per_file=args.per_file), args.max_per_input or None)
    ]
    lexicons = read_lexicons(args.lexicon, taxonomy)
    model, report = train(
        taxonomy,
        corpus,
        TrainConfig(seed=args.seed, background=args.background),
        log=lambda m: print(m, file=sys.stderr),
        lexicons=lexicons,
    )
    model.save(args.out)
    if args.report:
        Path(args.report).write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    print(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
