"""A labeller: a softmax over word buckets, its taxonomy, and the calibration that makes its scores
probabilities.

The model is one weight matrix (buckets x labels), a bias per label and a temperature. A page's
logits are the sums of the weights of its words' buckets (scaled to unit length), plus a fixed
boost for the label its URL names (a channel path such as ``/finance/`` says what the page is
about as plainly as its words do). The temperature was fitted on held-out text so that a score
of 0.8 is right about 80% of the time on text like the training text. Below ``threshold`` no
label fits well enough and the document is ``other``.

The file holds everything needed to use it: the taxonomy travels inside, so a model trained on a
user's own labels can be named in a recipe without the YAML it came from.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import orjson

from taoyu.industry.features import DEFAULT_BITS, DEFAULT_MAX_CHARS, Features, featurize, head_of
from taoyu.industry.seeds import SeedMatcher
from taoyu.industry.taxonomy import OTHER, Taxonomy, parse
from taoyu.jit import kernel
from taoyu.npz import save_npz

MODEL_RESOURCE = "industry_model.npz"
FORMAT_VERSION = 2
"""2: Latin words hashed from the FNV offset wherever they stand (1 hashed a text's first from 0)."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """The label of one text, its probability, and the runner-up when it is close."""

    label: str
    score: float
    best: str
    """The most probable label even when it scored below the threshold (``label`` is then ``other``)."""
    runner_up: str | None = None
    runner_up_score: float | None = None


@kernel
def _logits(
    indptr: np.ndarray, cols: np.ndarray, vals: np.ndarray, scale: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    n, k = len(scale), weights.shape[1]
    out = np.zeros((n, k), np.float64)
    for i in range(n):
        for j in range(indptr[i], indptr[i + 1]):
            row = weights[cols[j]]
            v = vals[j]
            for c in range(k):
                out[i, c] += row[c] * v
        for c in range(k):
            out[i, c] *= scale[i]
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class LabelModel:
    """Labels texts with one of a taxonomy's labels, or ``other``."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        weights: np.ndarray,
        bias: np.ndarray,
        *,
        bits: int = DEFAULT_BITS,
        temperature: float = 1.0,
        threshold: float = 0.5,
        url_boost: float = 1.5,
        runner_up_ratio: float = 0.5,
        max_chars: int = DEFAULT_MAX_CHARS,
        seed_weight: float = 0.0,
    ) -> None:
        k = len(taxonomy.labels)
        if weights.shape != (1 << bits, k):
            raise ValueError(f"expected weights of shape {(1 << bits, k)}, got {weights.shape}")
        if bias.shape != (k,):
            raise ValueError(f"expected {k} biases, got {bias.shape}")
        self.taxonomy = taxonomy
        self.codes = taxonomy.codes
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.bits = bits
        self.temperature = float(temperature)
        self.threshold = float(threshold)
        self.url_boost = float(url_boost)
        self.runner_up_ratio = float(runner_up_ratio)
        self.max_chars = int(max_chars)
        self.seed_weight = float(seed_weight)

    @functools.cached_property
    def seeds(self) -> SeedMatcher:
        """The taxonomy's seed words, matched in the text the model reads (built when first used)."""
        return SeedMatcher(self.taxonomy)

    # -- scoring ---------------------------------------------------------------------------------

    def logits(self, features: Features) -> np.ndarray:
        """Uncalibrated logits per row (no URL boost, no temperature)."""
        return (
            _logits(features.indptr, features.cols, features.vals, features.scale, self.weights) + self.bias
        )

    def predict_proba(
        self,
        texts: Sequence[str],
        titles: Sequence[str | None] | None = None,
        urls: Sequence[str | None] | None = None,
    ) -> np.ndarray:
        """Calibrated probability of each label per text (rows sum to 1)."""
        heads = [head_of(text, titles[i] if titles else None, self.max_chars) for i, text in enumerate(texts)]
        z = self.logits(featurize(heads, self.bits))
        if urls:
            for i, url in enumerate(urls):
                hit = self.taxonomy.url_label(url)
                if hit is not None:
                    z[i, hit] += self.url_boost
        return softmax(z / self.temperature + self.seed_logits(heads))

    def seed_logits(self, heads: Sequence[str]) -> np.ndarray | float:
        """What the taxonomy's own words add to each label's calibrated logit, weighed as written:
        the label's distinct seed words in each text the model read, log(1 + n) times
        ``seed_weight``, beside the learned weights (0 when the weight is 0)."""
        if not self.seed_weight:
            return 0.0
        return self.seed_weight * np.log1p(self.seeds.counts_of(heads)[1])

    def predict(
        self,
        texts: Sequence[str],
        titles: Sequence[str | None] | None = None,
        urls: Sequence[str | None] | None = None,
        threshold: float | None = None,
    ) -> list[Prediction]:
        """The label of each text: ``other`` below the threshold (the model's, or ``threshold``),
        and the runner-up when its probability is at least ``runner_up_ratio`` of the winner's."""
        probs = self.predict_proba(texts, titles, urls)
        return [self.prediction(row, threshold) for row in probs]

    def prediction(self, row: np.ndarray, threshold: float | None = None) -> Prediction:
        """The :class:`Prediction` of one row of ``predict_proba``."""
        order = np.argsort(-row, kind="stable")
        first, second = int(order[0]), int(order[1])
        score, runner = float(row[first]), float(row[second])
        best = self.codes[first]
        label = best if score >= (self.threshold if threshold is None else threshold) else OTHER
        close = runner >= self.runner_up_ratio * score
        return Prediction(
            label,
            round(score, 4),
            best,
            self.codes[second] if close else None,
            round(runner, 4) if close else None,
        )

    # -- files -----------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> LabelModel:
        """The packaged GB/T 4754 model (or the file at ``path``), read once per process."""
        return _load_cached(None if path is None else str(Path(path).resolve()))

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "model") -> LabelModel:
        if not data.startswith(b"PK"):  # an .npz is a zip file
            raise ValueError(f"{where}: not a taoyu label model (not an .npz file)")
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                version = int(npz["format_version"])
                if version != FORMAT_VERSION:
                    raise ValueError(f"{where}: model format {version}, this code reads {FORMAT_VERSION}")
                config = orjson.loads(bytes(npz["config"]))
                return cls(
                    parse(config["taxonomy"], where),
                    npz["weights"],
                    npz["bias"],
                    bits=int(config["bits"]),
                    temperature=float(config["temperature"]),
                    threshold=float(config["threshold"]),
                    url_boost=float(config["url_boost"]),
                    runner_up_ratio=float(config["runner_up_ratio"]),
                    max_chars=int(config["max_chars"]),
                    seed_weight=float(config.get("seed_weight", 0.0)),
                )
        except (KeyError, zipfile.BadZipFile, OSError, TypeError, ValueError) as exc:
            if str(exc).startswith(where):
                raise
            raise ValueError(f"{where}: not a taoyu label model ({exc})") from exc

    def config(self) -> dict[str, object]:
        return {
            "taxonomy": self.taxonomy.as_dict(),
            "bits": self.bits,
            "temperature": self.temperature,
            "threshold": self.threshold,
            "url_boost": self.url_boost,
            "runner_up_ratio": self.runner_up_ratio,
            "max_chars": self.max_chars,
            "seed_weight": self.seed_weight,
        }

    def save(self, path: str | Path) -> None:
        """Write an ``.npz``, byte-identical for identical models (fixed member timestamps).

        Weights go to float16: half the size, and scores move by about 1e-3.
        """
        arrays = {
            "format_version": np.int64(FORMAT_VERSION),
            "weights": self.weights.astype(np.float16),
            "bias": self.bias.astype(np.float64),
            "config": np.frombuffer(orjson.dumps(self.config(), option=orjson.OPT_SORT_KEYS), np.uint8),
        }
        save_npz(path, arrays)


def packaged_model_path() -> Path:
    """Where the built-in GB/T 4754 model lies in the installed package (for its digest)."""
    return Path(str(resources.files("taoyu.industry").joinpath(MODEL_RESOURCE)))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str | None) -> LabelModel:
    if path is None:
        data = resources.files("taoyu.industry").joinpath(MODEL_RESOURCE).read_bytes()
        return LabelModel.from_bytes(data, f"taoyu/industry/{MODEL_RESOURCE}")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the label model: {exc.strerror or exc}") from exc
    return LabelModel.from_bytes(data, path)
