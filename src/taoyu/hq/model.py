"""The quality model: a logistic regression over named statistics of a text, with vetoes, and why
it scored.

``score`` is the probability that a text reads like the reference text the model was trained on
(connected prose, finished sentences, little repetition or chrome) rather than like web junk.
``explain`` gives the statistics that moved one text's score most: each statistic's weight times
its standardised value, less its veto (below), so a person can read why a page landed in the
bottom bucket.

A linear model adds its evidence up, so a page that reads like prose in every statistic but one
(a paragraph said eight times over, one keyword stuffed down a page) keeps a high score unless
its training junk happened to need that one statistic: made without repeated paragraphs, the junk
taught the model nothing about them (AUC 0.52 on that kind, left out). So a few statistics whose
bad side is known before any junk is seen (repeated lines, characters that stop being new) carry
a *veto*: past the range of the reference text itself (a percentile of the positives,
``taoyu.hq.train.VETOES``), every standard deviation further takes ``veto`` off the log-odds. The
bounds come from the positives alone, so they do not depend on which junk the model was shown. As
standardised values are clipped, so is the distance past a bound (four spreads): a veto takes at
most ``4 * veto`` off.

The packaged model is built by ``python -m taoyu.hq.train`` (MODEL_CARD.md beside it); a user's own
is built by ``taoyu quality train``. Either is a small ``.npz`` (weights, means, scales, names,
veto bounds).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import orjson

from taoyu.hq.features import NAMES, matrix
from taoyu.npz import save_npz

FORMAT_VERSION = 2
CLIP = 4.0
MODEL_RESOURCE = "hq_model.npz"


class QualityModel:
    """Standardised statistics → logistic regression, less the vetoes of statistics out of range."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: float,
        mean: np.ndarray,
        scale: np.ndarray,
        names: Sequence[str] = NAMES,
        floor: np.ndarray | None = None,
        ceiling: np.ndarray | None = None,
        spread: np.ndarray | None = None,
        veto: float = 0.0,
    ) -> None:
        if tuple(names) != NAMES:
            raise ValueError(f"model statistics {list(names)} are not this code's {list(NAMES)}")
        self.weights = np.asarray(weights, np.float64)
        self.bias = float(bias)
        self.mean = np.asarray(mean, np.float64)
        self.scale = np.asarray(scale, np.float64)
        none = np.full(len(NAMES), np.nan)
        self.floor = np.asarray(none if floor is None else floor, np.float64)
        self.ceiling = np.asarray(none if ceiling is None else ceiling, np.float64)
        self.spread = np.asarray(np.ones(len(NAMES)) if spread is None else spread, np.float64)
        self.veto = float(veto)
        for name, array in (("weights", self.weights), ("mean", self.mean), ("scale", self.scale)):
            if array.shape != (len(NAMES),) or not np.isfinite(array).all():
                raise ValueError(f"model {name}: shape {array.shape}, need {len(NAMES)} finite values")
        for name, array in (("floor", self.floor), ("ceiling", self.ceiling)):
            if array.shape != (len(NAMES),) or np.isinf(array).any():
                raise ValueError(f"model {name}: shape {array.shape}, need {len(NAMES)} values (NaN: none)")
        if self.spread.shape != (len(NAMES),) or not (np.isfinite(self.spread) & (self.spread > 0)).all():
            raise ValueError(
                f"model spread: shape {self.spread.shape}, need {len(NAMES)} finite values above 0"
            )
        if not np.isfinite(self.veto) or self.veto < 0:
            raise ValueError(f"model veto: {self.veto}, need a finite value of 0 or more")
        if not np.isfinite(self.bias) or (self.scale <= 0).any():
            raise ValueError(
                "model bias or scales are not usable (a non-finite bias, or a scale of 0 or less)"
            )

    def _standard(self, x: np.ndarray) -> np.ndarray:
        """Standardised statistics, clipped to four scales: a page far outside anything seen in
        training moves the score as much as an extreme training page, not without bound."""
        return np.clip((x - self.mean) / self.scale, -CLIP, CLIP)

    def _beyond_range(self, x: np.ndarray) -> np.ndarray:
        """How far each statistic lies past its veto bound, in spreads (0 inside the range, and for
        statistics without a bound)."""
        below = np.nan_to_num(self.floor - x, nan=0.0)
        above = np.nan_to_num(x - self.ceiling, nan=0.0)
        return np.minimum((np.maximum(below, 0.0) + np.maximum(above, 0.0)) / self.spread, CLIP)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of reference-like quality per text, in [0, 1]."""
        return self.score_and_explain(texts, 0)[0]

    def explain(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """The ``top`` statistics that moved this text's score most, with their signed pull on the
        log-odds (negative: toward junk)."""
        return self.score_and_explain([text], top)[1][0]

    def score_and_explain(
        self, texts: Sequence[str], top: int
    ) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
        """Scores and, for each text, its ``top`` statistics by pull, from one reading of the texts
        (the statistics are most of the cost: the step needs both and must not compute them twice)."""
        if not texts:
            return np.zeros(0), []
        x = matrix(list(texts))
        contributions = self._standard(x) * self.weights - self.veto * self._beyond_range(x)
        # An elementwise product summed per row, not a matrix product: BLAS sums in an order that
        # depends on the batch, and a score must not depend on which documents it was scored with.
        z = contributions.sum(axis=1) + self.bias
        scores = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        why: list[list[tuple[str, float]]] = []
        if top:
            order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top]
            why = [
                [(NAMES[i], round(float(row[i]), 3)) for i in idx]
                for row, idx in zip(contributions, order, strict=True)
            ]
        return scores, why

    def save(self, path: str | Path) -> None:
        """A reproducible ``.npz`` (fixed member timestamps)."""
        save_npz(
            path,
            {
                "format_version": np.int64(FORMAT_VERSION),
                "weights": self.weights,
                "bias": np.float64(self.bias),
                "mean": self.mean,
                "scale": self.scale,
                "names": np.frombuffer(orjson.dumps(list(NAMES)), np.uint8),
                "floor": self.floor,
                "ceiling": self.ceiling,
                "spread": self.spread,
                "veto": np.float64(self.veto),
            },
        )

    @classmethod
    def from_bytes(cls, data: bytes, where: str = "model") -> QualityModel:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                version = int(npz["format_version"])
                if version != FORMAT_VERSION:
                    raise ValueError(
                        f"{where}: quality model format {version}, this code reads {FORMAT_VERSION}: "
                        "train it again with `taoyu quality train`"
                    )
                names = orjson.loads(bytes(npz["names"]))
                return cls(
                    npz["weights"],
                    float(npz["bias"]),
                    npz["mean"],
                    npz["scale"],
                    names,
                    npz["floor"],
                    npz["ceiling"],
                    npz["spread"],
                    float(npz["veto"]),
                )
        except (KeyError, OSError, TypeError, ValueError, orjson.JSONDecodeError) as exc:
            if str(exc).startswith(where):
                raise
            raise ValueError(f"{where}: not a taoyu quality model ({exc})") from None

    @classmethod
    def load(cls, path: str | Path | None = None) -> QualityModel:
        """The packaged model (or the file at ``path``), read once per process."""
        return _load_cached(None if path is None else str(Path(path).resolve()))


def packaged_model_path() -> Path:
    """Where the built-in model lies in the installed package (for its digest)."""
    return Path(str(resources.files("taoyu.hq").joinpath(MODEL_RESOURCE)))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str | None) -> QualityModel:
    if path is None:
        return QualityModel.from_bytes(packaged_model_path().read_bytes(), f"taoyu/hq/{MODEL_RESOURCE}")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the quality model: {exc.strerror or exc}") from None
    return QualityModel.from_bytes(data, path)
