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
* **Compiled.** A batch is flattened to one array of code points, and one compiled loop
  (:mod:`taoyu.jit`) hashes every n-gram of every text and keeps each text's distinct buckets: a
  page's lines cost one call, not a numpy pass per n-gram order.

Features are binary (an n-gram present or not) and each text's vector has unit L2 norm, so a long
comment does not score higher just for being long.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import xxhash

from taoyu.jit import kernel
from taoyu.npz import save_npz
from taoyu.text import chars
from taoyu.text.chars import char_flags, codes

MODEL_RESOURCE = "offensive_model.npz"
FORMAT_VERSION = 1
_CHUNK = 8192  # texts per vectorised batch: bounds memory on large inputs, big enough to amortise numpy calls

# Start/end markers make "begins with" and "ends with" n-grams; removed from input so text cannot forge them.
_BOS_CODE, _EOS_CODE = 0x02, 0x03

# XXH64's primes and final avalanche, so n-gram hashes mix as well as xxhash's own output.
_P1 = np.uint64(11400714785074694791)
_P2 = np.uint64(14029467366897019727)
_P3 = np.uint64(1609587929392839161)
_P5 = np.uint64(2870177450012600261)


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
    makes ``SB``, ``Sb`` and ``sb`` one feature. Runs of whitespace become one space, the ends
    are stripped, and the start/end markers are removed so text cannot forge them.
    """
    return normalize_batch([text])[0]


def normalize_batch(texts: Sequence[str]) -> list[str]:
    """``normalize`` of each text."""
    cps, lengths = _codepoints(texts)
    joined = cps.tobytes().decode("utf-32-le", "surrogatepass")
    out, pos = [], 0
    for n in lengths.tolist():
        out.append(joined[pos + 1 : pos + n - 1])  # without the markers
        pos += n
    return out


def _codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts normalised and marked, as one code-point array plus each text's length.

    A pipeline scores a page's lines together; NFKC and lowercasing cost far less once over the
    joined lines than once per line. NUL joins them: it is a starter that no normalisation
    composes with or produces, so the pieces come back exactly as each text alone would (texts
    that contain NUL themselves are folded one by one). Markers, spaces and stripping are one
    compiled pass over the result.
    """
    if not texts:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    flags = char_flags()
    if any("\x00" in t for t in texts):
        parts = [_mark(codes(unicodedata.normalize("NFKC", t).lower()), flags, -1) for t in texts]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    joined = "\x00".join(texts)
    folded, whole = _fold(codes(joined), *_fold_tables())
    if not whole:  # a character that needs its neighbours (a combining mark, Σ): the full pass
        folded = codes(unicodedata.normalize("NFKC", joined).lower())
    return _mark(folded, flags, 0)


_NEEDS_CONTEXT = np.uint32(0xFFFFFFFF)
_EXPANDS = np.uint32(0x80000000)  # set: the rest is where the character's expansion starts


@functools.cache
def _fold_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What NFKC and then ``str.lower`` make of each character, where that does not depend on its
    neighbours: per BMP code point, the character, or ``_EXPANDS | k`` for several (their
    count at ``k`` of the expansions array, then the characters: … is "...", ℃ is "°c"), or
    ``_NEEDS_CONTEXT``; and the sorted supplementary code points not left as they are (all
    need context).

    Folding characters one at a time gives NFKC when no folded character can combine with the
    one before it: none has a combining class, none can be the second of a canonical composition
    (or starts with such a character once decomposed). Lower-casing is per character but for
    Σ, whose lower case depends on the next letter; what it produces is not normalised again
    (İ lower-cases to i and a combining dot, as ``str.lower`` gives). Built once per process
    (~0.2 s).
    """
    second = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul vowels and finals
    special = []
    for c in range(0x110000):
        ch = chr(c)
        decomposition = unicodedata.decomposition(ch)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                second.add(int(parts[1], 16))
        if c >= 0x10000 and (decomposition or unicodedata.combining(ch) or ch.lower() != ch):
            special.append(c)
    special += [c for c in second if c >= 0x10000]

    def combines(f: str) -> bool:
        first = unicodedata.normalize("NFD", f)[0]
        return (
            bool(unicodedata.combining(f) or unicodedata.combining(first))
            or {ord(f), ord(first)} & second != set()
        )

    table = np.arange(0x10000, dtype=np.uint32)
    expansions: list[int] = []
    for c in range(0x10000):
        if 0xD800 <= c < 0xE000:  # lone surrogates: rare, and not characters
            table[c] = _NEEDS_CONTEXT
            continue
        folded = unicodedata.normalize("NFKC", chr(c))
        lower = folded.lower()
        if "\u03a3" in folded or any(combines(f) for f in folded):
            table[c] = _NEEDS_CONTEXT
        elif len(lower) == 1:
            table[c] = ord(lower)
        else:
            table[c] = _EXPANDS | len(expansions)
            expansions += [len(lower), *map(ord, lower)]
    return table, np.array(expansions, np.uint32), np.array(sorted(set(special)), np.int64)


@kernel
def _fold(
    points: np.ndarray, table: np.ndarray, expansions: np.ndarray, special: np.ndarray
) -> tuple[np.ndarray, bool]:
    """``points`` folded by ``_fold_tables``; False (and nothing) if a character needs context."""
    size = 0
    for c in points:  # the folded length first, and whether the fast path holds
        if c < 0x10000:
            f = table[c]
            if f == _NEEDS_CONTEXT:
                return points[:0], False
            size += expansions[f & ~_EXPANDS] if f & _EXPANDS else 1
        else:
            k = np.searchsorted(special, c)
            if k < len(special) and special[k] == c:
                return points[:0], False
            size += 1
    out = np.empty(size, np.uint32)
    n = 0
    for c in points:
        f = table[c] if c < 0x10000 else c
        if f & _EXPANDS:
            k = f & ~_EXPANDS
            for j in range(expansions[k]):
                out[n] = expansions[k + 1 + j]
                n += 1
        else:
            out[n] = f
            n += 1
    return out, True


@kernel
def _mark(points: np.ndarray, flags: np.ndarray, separator: int) -> tuple[np.ndarray, np.ndarray]:
    """Pieces of ``points`` (split at ``separator``; -1: one piece) with marker characters removed,
    each run of whitespace made one space, the ends stripped, and the start/end markers added."""
    out = np.empty(len(points) + 2 * (len(points) + 1), np.uint32)
    lengths = np.empty(len(points) + 1, np.int64)
    n_out = n_pieces = 0
    start = 0
    for end in range(len(points) + 1):
        if end < len(points) and points[end] != separator:
            continue
        first = n_out
        out[n_out] = _BOS_CODE
        n_out += 1
        pending_space = False
        for k in range(start, end):
            c = points[k]
            if c in (_BOS_CODE, _EOS_CODE):
                continue
            if flags[c] & chars.SPACE:
                pending_space = n_out > first + 1  # nothing to separate at the start of a piece
                continue
            if pending_space:
                out[n_out] = 32
                n_out += 1
                pending_space = False
            out[n_out] = c
            n_out += 1
        out[n_out] = _EOS_CODE
        n_out += 1
        lengths[n_pieces] = n_out - first
        n_pieces += 1
        start = end + 1
    return out[:n_out], lengths[:n_pieces]


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
    hashes, all_known = _known_hashes(cps, table, known)
    if all_known:  # nearly always: one compiled pass instead of three numpy ones
        return hashes
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


@kernel
def _known_hashes(cps: np.ndarray, table: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, bool]:
    """``table[cps]``, and whether every character was known (nothing returned if not)."""
    out = np.empty(len(cps), np.uint64)
    for i in range(len(cps)):
        if not known[cps[i]]:
            return out[:0], False
        out[i] = table[cps[i]]
    return out, True


@kernel
def _ngram_hash(char_hash: np.ndarray, start: int, n: int) -> np.uint64:
    """64-bit hash of the n-gram at ``start`` (order-dependent, so 'ab' and 'ba' differ), XXH64-mixed."""
    h = np.uint64(n) * _P5
    for j in range(n):
        h ^= char_hash[start + j]
        h *= _P1
        h = (h << np.uint64(31)) | (h >> np.uint64(33))
    h ^= h >> np.uint64(33)
    h *= _P2
    h ^= h >> np.uint64(29)
    h *= _P3
    return h ^ (h >> np.uint64(32))


@kernel
def _distinct_buckets(
    char_hash: np.ndarray, lengths: np.ndarray, orders: np.ndarray, bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of every distinct n-gram bucket of each text, sorted by row, then bucket."""
    shift = np.uint64(64 - bits)
    capacity = 0
    for n in orders:
        for length in lengths:
            capacity += max(length - n + 1, 0)
    rows = np.empty(capacity, np.int64)
    cols = np.empty(capacity, np.int64)
    out = 0
    start = 0
    for r in range(len(lengths)):
        end = start + lengths[r]
        first = out
        for n in orders:
            for p in range(start, end - n + 1):  # n-grams that do not run into the next text
                cols[out] = np.int64(_ngram_hash(char_hash, p, n) >> shift)
                out += 1
        mine = np.sort(cols[first:out])
        kept = first
        for k in range(len(mine)):
            if k == 0 or mine[k] != mine[k - 1]:
                cols[kept] = mine[k]
                rows[kept] = r
                kept += 1
        out = kept
        start = end
    return rows[:out], cols[:out]


@kernel
def _bucket_sums(
    char_hash: np.ndarray, lengths: np.ndarray, orders: np.ndarray, bits: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per text: the sum of the weights of its distinct buckets, and how many there are.

    A text's buckets are told apart with a small open-addressing set of its own, sized to the
    text and cleared for the next, so nothing is sorted and nothing of size 2^bits is touched but
    the weights.
    """
    shift = np.uint64(64 - bits)
    sums = np.zeros(len(lengths))
    counts = np.zeros(len(lengths), np.int64)
    table = np.zeros(16, np.int64)
    start = 0
    for r in range(len(lengths)):
        end = start + lengths[r]
        size = 16
        while size < 4 * len(orders) * max(end - start, 1):
            size <<= 1
        if len(table) < size:
            table = np.zeros(size, np.int64)
        else:
            table[:size] = 0
        mask = size - 1
        for n in orders:
            for p in range(start, end - n + 1):
                b = np.int64(_ngram_hash(char_hash, p, n) >> shift)
                slot = (b * 40503) & mask
                while table[slot] != 0 and table[slot] != b + 1:
                    slot = (slot + 1) & mask
                if table[slot] == 0:
                    table[slot] = b + 1
                    sums[r] += weights[b]
                    counts[r] += 1
        start = end
    return sums, counts


def hashed_ngrams(texts: Sequence[str], spec: HashSpec) -> HashedRows:
    """Bucket ids of the distinct character n-grams of each text (after ``normalize`` and markers)."""
    n_texts = len(texts)
    if n_texts == 0:
        empty = np.zeros(0, dtype=np.int64)
        return HashedRows(empty, empty, np.zeros(0))
    cps, lengths = _codepoints(texts)
    orders = np.asarray(spec.orders, np.int64)
    r, c = _distinct_buckets(_char_hashes(cps, spec.seed), lengths, orders, spec.bits)
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
        self._orders = np.asarray(spec.orders, np.int64)
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
        save_npz(path, arrays)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of offensive per text (float64, in [0, 1]); batches are chunked internally.

        The same logit as ``linear_scores(hashed_ngrams(...))``, without building and sorting the
        sparse rows: each text's distinct buckets are summed as they are met. With the saved model's
        float16 weights the float64 sum is exact in any order (every weight is a multiple of 2^-24
        below 2^16), so the result is bit-identical to the sorted sum training evaluates.
        """
        out = np.empty(len(texts), dtype=np.float64)
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            cps, lengths = _codepoints(chunk)
            sums, counts = _bucket_sums(
                _char_hashes(cps, self.spec.seed), lengths, self._orders, self.spec.bits, self.weights
            )
            scale = 1.0 / np.sqrt(np.maximum(counts, 1))
            out[start : start + len(chunk)] = sigmoid(self.bias + sums * scale)
        return out

    def predict(self, texts: Sequence[str], threshold: float | None = None) -> np.ndarray:
        """Boolean offensive flag per text at the dev-tuned threshold (or ``threshold``)."""
        cut = self.threshold if threshold is None else threshold
        return self.predict_proba(texts) >= cut


def packaged_model_path() -> Path:
    """Where the built-in offensive-language model lies in the installed package (for its digest)."""
    return Path(str(resources.files("taoyu.safety").joinpath(MODEL_RESOURCE)))


@functools.lru_cache(maxsize=8)
def _load_cached(cls: type[OffensiveModel], path: str | None) -> OffensiveModel:
    if path is None:
        data = resources.files("taoyu.safety").joinpath(MODEL_RESOURCE).read_bytes()
    else:
        data = Path(path).read_bytes()
    return cls.from_bytes(data)
