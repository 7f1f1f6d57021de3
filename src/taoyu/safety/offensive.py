"""Offensive-comment classifier: hashed character n-grams scored by a logistic regression.

Why this shape:

* **Characters, not words.** Chinese has no spaces, slurs are coined and re-spelled weekly
  (homophones, pinyin initials, full-width letters), and a segmenter would be one more dependency.
  Character 1-3 grams catch the compounds without one.
* **Hashing, not a vocabulary.** The model is one float16 array indexed by a hash bucket, so the
  file stays small, no vocabulary is shipped, and unseen n-grams cost nothing.
* **xxhash, not ``hash()``.** Python salts ``hash()`` per process; bucket ids must be identical in
  the trainer, in every worker and in ten years, so each character is hashed with seeded XXH64 and
  n-grams are combined from those with fixed 64-bit arithmetic.
* **Vectorised.** A batch is flattened to one array of code points; every n-gram of every text is
  hashed in a handful of numpy operations, which is what makes tens of thousands of texts per second
  on one core possible in pure Python + numpy.

Features are binary (an n-gram present or not) and each text's vector has unit L2 norm, so a long
comment does not score higher just for being long.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import xxhash

MODEL_RESOURCE = "offensive_model.npz"
FORMAT_VERSION = 1
_CHUNK = 8192  # texts per vectorised batch: bounds memory on large inputs, big enough to amortise numpy calls

# Start/end markers make "begins with" and "ends with" n-grams; removed from input so text cannot forge them.
_BOS, _EOS = "\x02", "\x03"


def _strip_markers(text: str) -> str:
    # str.replace scans in C; a translate table walks every character in Python's slow path.
    return text.replace(_BOS, "").replace(_EOS, "") if _BOS in text or _EOS in text else text
_SPACES = re.compile(r"\s+")

# XXH64's primes and final avalanche, so n-gram hashes mix as well as xxhash's own output.
_P1 = np.uint64(11400714785074694791)
_P2 = np.uint64(14029467366897019727)
_P3 = np.uint64(1609587929392839161)
_P5 = np.uint64(2870177450012600261)
_U = {k: np.uint64(k) for k in (29, 31, 32, 33)}


@dataclass(frozen=True)
class HashSpec:
    """Everything that decides which bucket an n-gram lands in; stored with the weights it produced."""

    orders: tuple[int, ...] = (1, 2, 3)
    bits: int = 18
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.bits <= 30:
            raise ValueError(f"bits must be in 1..30, got {self.bits}")
        if not self.orders or min(self.orders) < 1:
            raise ValueError(f"orders must be positive, got {self.orders}")


@dataclass(frozen=True)
class HashedRows:
    """A batch as sparse binary rows: (rows[i], cols[i]) pairs sorted by row, plus each row's L2 scale."""

    rows: np.ndarray  # int64, text index of each nonzero
    cols: np.ndarray  # int64, bucket id of each nonzero
    scale: np.ndarray  # float64 per text: 1/sqrt(number of distinct buckets)

    @property
    def n_rows(self) -> int:
        return len(self.scale)


def normalize(text: str) -> str:
    """Fold the spellings that only change code points (full-width, case, spacing) onto one form.

    NFKC maps ``ＳＢ`` to ``SB`` and compatibility ideographs to their usual form; lowercasing then
    makes ``SB``, ``Sb`` and ``sb`` one feature.
    """
    folded = _strip_markers(unicodedata.normalize("NFKC", text).lower())
    return _SPACES.sub(" ", folded).strip()


def normalize_batch(texts: Sequence[str]) -> list[str]:
    """``normalize`` of each text, with one NFKC pass over the whole batch.

    A pipeline scores a page's lines together; NFKC, lowercasing and marker stripping cost far
    less once over the joined lines than once per line. NUL joins them: it is a starter that no
    normalisation composes with or produces, so the pieces come back exactly as ``normalize``
    would give them (texts that contain NUL themselves take the per-text path).
    """
    if not texts:
        return []
    if any("\x00" in t for t in texts):
        return [normalize(t) for t in texts]
    folded = _strip_markers(unicodedata.normalize("NFKC", "\x00".join(texts)).lower())
    return [_SPACES.sub(" ", piece).strip() for piece in folded.split("\x00")]


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts, with markers, as one code-point array plus each text's length."""
    marked = [_BOS + t + _EOS for t in normalize_batch(texts)]
    cps = np.frombuffer("".join(marked).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lengths = np.fromiter(map(len, marked), dtype=np.int64, count=len(marked))
    return cps, lengths


_CHAR_TABLES: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _char_hashes(cps: np.ndarray, seed: int) -> np.ndarray:
    """XXH64 of each character's UTF-8 bytes, computed once per distinct character per process.

    A pipeline scores a few lines at a time, so a per-batch table would hash the same few
    thousand characters over and over; the table lives as long as the process. Only characters
    the table has not seen are looked for (usually none), so no pass over the code-point range.
    """
    if seed not in _CHAR_TABLES:
        _CHAR_TABLES[seed] = (np.zeros(0x110000, dtype=np.uint64), np.zeros(0x110000, dtype=bool))
    table, known = _CHAR_TABLES[seed]
    unseen = cps[~known[cps]]
    missing = np.unique(unseen) if len(unseen) else unseen
    if len(missing):
        table[missing] = np.fromiter(
            (xxhash.xxh64_intdigest(chr(c).encode("utf-8", "surrogatepass"), seed) for c in missing.tolist()),
            dtype=np.uint64,
            count=len(missing),
        )
        known[missing] = True
    return table[cps]


def _avalanche(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U[33])
    h = h * _P2
    h = h ^ (h >> _U[29])
    h = h * _P3
    return h ^ (h >> _U[32])


def _ngram_hashes(char_hash: np.ndarray, n: int) -> np.ndarray:
    """64-bit hash of every n-gram start position (order-dependent, so 'ab' and 'ba' differ)."""
    m = len(char_hash) - n + 1
    h = np.full(m, (n * int(_P5)) & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64)  # Python ints: no scalar overflow
    for j in range(n):
        h ^= char_hash[j : j + m]
        h *= _P1
        h = (h << _U[31]) | (h >> _U[33])
    return _avalanche(h)


def _dedup_sorted(rows: np.ndarray, cols: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (row, col) pairs sorted by row; a sort plus a diff beats ``np.unique`` several times."""
    keys = np.sort((rows << bits) | cols)
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    keys = keys[keep]
    return keys >> bits, keys & ((1 << bits) - 1)


def hashed_ngrams(texts: Sequence[str], spec: HashSpec) -> HashedRows:
    """Bucket ids of the distinct character n-grams of each text (after ``normalize`` and markers)."""
    n_texts = len(texts)
    if n_texts == 0:
        empty = np.zeros(0, dtype=np.int64)
        return HashedRows(empty, empty, np.zeros(0))
    cps, lengths = _codepoints(texts)
    char_hash = _char_hashes(cps, spec.seed)
    row_of = np.repeat(np.arange(n_texts, dtype=np.int64), lengths)
    end_of = np.repeat(np.cumsum(lengths), lengths)
    position = np.arange(len(cps), dtype=np.int64)
    shift = np.uint64(64 - spec.bits)
    rows, cols = [], []
    for n in spec.orders:
        if n > len(cps):
            continue
        m = len(cps) - n + 1
        inside = position[:m] + n <= end_of[:m]  # drop n-grams that run into the next text
        rows.append(row_of[:m][inside])
        cols.append((_ngram_hashes(char_hash, n)[inside] >> shift).astype(np.int64))
    r, c = _dedup_sorted(np.concatenate(rows), np.concatenate(cols), spec.bits)
    scale = 1.0 / np.sqrt(np.maximum(np.bincount(r, minlength=n_texts), 1))
    return HashedRows(r, c, scale)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function without the overflow warnings ``1/(1+exp(-z))`` gives for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def linear_scores(batch: HashedRows, weights: np.ndarray, bias: float) -> np.ndarray:
    """Logit per text: bias + scale * sum of the weights of its buckets."""
    sums = np.bincount(batch.rows, weights=weights[batch.cols], minlength=batch.n_rows)
    return bias + sums * batch.scale


class OffensiveModel:
    """Probability that a short Chinese text is offensive (COLD's sense: attacks on people or groups)."""

    def __init__(self, weights: np.ndarray, bias: float, spec: HashSpec, threshold: float = 0.5) -> None:
        if weights.shape != (1 << spec.bits,):
            raise ValueError(f"expected {1 << spec.bits} weights for {spec.bits} bits, got {weights.shape}")
        self.weights = np.asarray(weights, dtype=np.float32)  # float16 on disk; float32 gathers faster
        self.bias = float(bias)
        self.spec = spec
        self.threshold = float(threshold)

    @classmethod
    def load(cls, path: str | Path | None = None) -> OffensiveModel:
        """The packaged model (or the file at ``path``), read once per process and shared."""
        return _load_cached(cls, None if path is None else str(Path(path).resolve()))

    @classmethod
    def from_bytes(cls, data: bytes) -> OffensiveModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            version = int(npz["format_version"])
            if version != FORMAT_VERSION:
                raise ValueError(f"model format {version}, this code reads {FORMAT_VERSION}")
            spec = HashSpec(
                orders=tuple(int(n) for n in npz["orders"]), bits=int(npz["bits"]), seed=int(npz["seed"])
            )
            return cls(npz["weights"], float(npz["bias"]), spec, float(npz["threshold"]))

    def save(self, path: str | Path) -> None:
        """Write an ``.npz`` that is byte-identical for identical weights.

        Weights go to float16 (half the size; scores move by ~1e-3). ``np.savez`` stamps each member
        with the current time, so a retrain with no change would still show up as a new binary in git;
        the members are written here with a fixed timestamp instead.
        """
        arrays = {
            "format_version": np.int64(FORMAT_VERSION),
            "weights": self.weights.astype(np.float16),
            "bias": np.float64(self.bias),
            "orders": np.asarray(self.spec.orders, dtype=np.int64),
            "bits": np.int64(self.spec.bits),
            "seed": np.int64(self.spec.seed),
            "threshold": np.float64(self.threshold),
        }
        with zipfile.ZipFile(path, "w") as zf:
            for name, array in arrays.items():
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.asarray(array), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, buf.getvalue())

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of offensive per text (float64, in [0, 1]); batches are chunked internally."""
        out = np.empty(len(texts), dtype=np.float64)
        for start in range(0, len(texts), _CHUNK):
            batch = hashed_ngrams(texts[start : start + _CHUNK], self.spec)
            out[start : start + batch.n_rows] = sigmoid(linear_scores(batch, self.weights, self.bias))
        return out

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> np.ndarray:
        """Boolean offensive flag per text at the dev-tuned threshold (or ``threshold``)."""
        cut = self.threshold if threshold is None else threshold
        return self.predict_proba(texts) >= cut


@functools.lru_cache(maxsize=8)
def _load_cached(cls: type[OffensiveModel], path: str | None) -> OffensiveModel:
    if path is None:
        data = resources.files("taoyu.safety").joinpath(MODEL_RESOURCE).read_bytes()
    else:
        data = Path(path).read_bytes()
    return cls.from_bytes(data)
