"""Character shingles, MinHash signatures and LSH band keys, vectorised over batches of documents.

Where the anchors spend their time (about 1 ms a document) is in building Python lists of shingle
strings and hashing them one by one. Here a whole batch of documents becomes one array of code
points: letters and digits only (whitespace and punctuation never decide whether two pages are
copies, and Chinese needs no segmenter), a polynomial rolling hash gives every character
k-gram in a few vector operations, windows that cross a document boundary are masked out, and
rensa (Rust) takes the flat hash buffer to MinHash signatures in one call.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np
from rensa import RMinHash

_P = np.uint64(0x100000001B3)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_BAND_MUL = np.uint64(0x9E3779B97F4A7C15)


@cache
def _letters_and_digits() -> np.ndarray:
    """Which code points count for shingling (categories L* and N*); astral planes count as letters."""
    keep = np.ones(0x110000, dtype=bool)
    for cp in range(0x10000):
        keep[cp] = unicodedata.category(chr(cp))[0] in "LN"
    return keep


def _casefold_ascii(cps: np.ndarray) -> np.ndarray:
    upper = (cps >= 65) & (cps <= 90)
    return np.where(upper, cps + 32, cps)


def shingle_hashes(texts: Sequence[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every character k-gram of each text, flat, with row offsets (len(texts) + 1).

    A text with fewer than k letters and digits contributes one hash of all of them, so short
    texts still have a signature (and equal short texts still match).
    """
    n_docs = len(texts)
    if n_docs == 0:
        return np.zeros(0, np.uint64), np.zeros(1, np.uint64)
    cps = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n_docs)
    keep = _letters_and_digits()[cps]
    doc_of = np.repeat(np.arange(n_docs), lengths)[keep]
    cp = _casefold_ascii(cps[keep]).astype(np.uint64)
    kept_per_doc = np.bincount(doc_of, minlength=n_docs)

    windows = max(cp.shape[0] - k + 1, 0)
    hashes = cp[:windows].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            hashes = hashes * _P + cp[j : j + windows]
        hashes ^= hashes >> np.uint64(31)
        hashes *= _MIX
        hashes ^= hashes >> np.uint64(29)
    inside = doc_of[:windows] == doc_of[k - 1 : k - 1 + windows]
    hashes = hashes[inside]
    counts = np.bincount(doc_of[:windows][inside], minlength=n_docs)

    short = np.flatnonzero((kept_per_doc > 0) & (kept_per_doc < k))
    if short.size:
        hashes, counts = _add_short_texts(hashes, counts, cp, kept_per_doc, short)
    offsets = np.zeros(n_docs + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    return hashes, offsets


def _add_short_texts(hashes, counts, cp, kept_per_doc, short):
    starts = np.concatenate([[0], np.cumsum(kept_per_doc)[:-1]])
    per_doc = np.split(hashes, np.cumsum(counts)[:-1])
    for d in short:
        chunk = cp[starts[d] : starts[d] + kept_per_doc[d]]
        value = np.uint64(0)
        with np.errstate(over="ignore"):
            for c in chunk:
                value = value * _P + c
            value = (value ^ (value >> np.uint64(31))) * _MIX
        per_doc[d] = np.array([value], dtype=np.uint64)
        counts[d] = 1
    return np.concatenate(per_doc) if per_doc else hashes, counts


def signatures(texts: Sequence[str], num_perm: int = 128, k: int = 5, seed: int = 42) -> np.ndarray:
    """MinHash signatures, uint32 [len(texts), num_perm]. Texts without letters or digits get all-max rows."""
    hashes, offsets = shingle_hashes(texts, k)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, num_perm, seed)
    sigs = np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(texts), num_perm)
    empty = offsets[1:] == offsets[:-1]
    sigs[empty] = np.iinfo(np.uint32).max
    return sigs


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per band per document [n, bands]: equal keys make a candidate pair."""
    n = sigs.shape[0]
    part = sigs[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    keys = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * _BAND_MUL + part[:, :, r] + np.uint64(1)
        keys ^= keys >> np.uint64(33)
    return keys


def shingle_sets(texts: Sequence[str], k: int = 5) -> list[np.ndarray]:
    """Sorted unique shingle hashes of each text: what the true Jaccard is computed on."""
    hashes, offsets = shingle_hashes(texts, k)
    return [np.unique(hashes[offsets[i] : offsets[i + 1]]) for i in range(len(texts))]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two sorted unique hash arrays."""
    if a.size == 0 or b.size == 0:
        return (1.0, 1.0) if a.size == b.size else (0.0, 0.0)
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common), common / min(a.size, b.size)
