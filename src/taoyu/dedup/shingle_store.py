"""Shingle sets of the documents in candidate pairs, written once per task, read by any stage.

Verifying a candidate pair needs the real shingle sets of both documents. Holding them in memory
costs about 8 KB per candidate document (gigabytes at a million documents), and recomputing them
per pair repeats the work. So each task's candidate documents have their sorted unique shingle
hashes (32-bit: a collision shifts a Jaccard by one shingle in four billion) written once to
``shingles-TASK.bin``, with ``index-TASK.npy`` giving each row's offset and length. Any stage task,
on any machine that mounts the folder, then reads the sets of a chunk of pairs by offset, and
a compiled merge counts each pair's common shingles.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from taoyu.dedup.graph import row_of, sorted_unique, task_of
from taoyu.dedup.minhash import shingle_hashes
from taoyu.jit import kernel
from taoyu.output import replaced_atomically

INDEX = np.dtype([("row", "<i8"), ("offset", "<i8"), ("length", "<i8")])
PAIRS_PER_CHUNK = 20_000
"""Pairs whose sets are read and compared together: bounds a reader's memory to the sets of this
many pairs at a time (at most 40,000 documents: about 110 MB for pages of 700 characters)."""


def write_task_sets(
    folder: Path, task: int, rows: np.ndarray, doc_files: Sequence[Path], shingle_size: int, chunk: int = 2048
) -> int:
    """Write the shingle sets of ``rows`` (sorted) of ``task``, read from its document shards.

    The shards are read a batch of rows at a time, so memory holds one batch of text, not the
    task's. Returns the bytes written. The files appear whole or not at all (written under a
    temporary name, then renamed), so a task killed half-way leaves nothing a reader could trust.
    """
    if not doc_files:
        raise ValueError(f"near_dedup: no document shards for task {task} to verify pairs on")
    index = np.zeros(rows.shape[0], INDEX)
    index["row"] = rows
    data_path, index_path = set_paths(folder, task)
    folder.mkdir(parents=True, exist_ok=True)
    position = done = first_row = 0
    with replaced_atomically(data_path) as tmp, open(tmp, "wb") as out:
        for path in doc_files:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk, columns=["text"]):
                end = first_row + batch.num_rows
                upto = int(np.searchsorted(rows, end))
                if upto > done:
                    wanted = rows[done:upto] - first_row
                    texts = batch.column(0).take(pa.array(wanted)).to_pylist()
                    hashes, bounds = shingle_hashes(texts, shingle_size)
                    for i in range(len(texts)):
                        small = np.unique(hashes[bounds[i] : bounds[i + 1]].astype(np.uint32))
                        out.write(small.tobytes())
                        index["offset"][done + i], index["length"][done + i] = position, small.size
                        position += small.size
                    done = upto
                first_row = end
        if done != rows.shape[0]:  # inside: the half-written sets are never published
            raise ValueError(
                f"near_dedup: task {task} has {first_row} documents in its shards, but row {int(rows[done])} "
                "is in a candidate pair"
            )
    save_array(index_path, index)
    return position * 4 + index.nbytes


def set_paths(folder: Path, task: int) -> tuple[Path, Path]:
    """Where a task's shingle sets and their index live."""
    return folder / f"shingles-{task:05d}.bin", folder / f"index-{task:05d}.npy"


def save_array(path: Path, array: np.ndarray) -> None:
    """``np.save`` under a temporary name, then renamed: readers see the whole file or none."""
    with replaced_atomically(path) as tmp, open(tmp, "wb") as fh:
        np.save(fh, array, allow_pickle=False)


def load_array(path: Path) -> np.ndarray:
    """An array written by ``save_array``."""
    return np.load(path, allow_pickle=False)


class ShingleSets:
    """Reads the sets of pairs of documents and measures their overlap, a chunk at a time.

    Each task's index and sets are opened memory-mapped for the chunk that needs them and looked
    up by binary search, so a reader holds no index in memory, whatever the number of tasks.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _gather(self, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sets of ``gids`` (sorted, unique) laid end to end: (flat, start, length)."""
        start = np.zeros(gids.shape[0], np.int64)
        length = np.zeros(gids.shape[0], np.int64)
        pieces = []
        tasks = task_of(gids)
        runs = np.flatnonzero(np.concatenate([[True], tasks[1:] != tasks[:-1]])) if gids.shape[0] else []
        position = 0
        for s, e in zip(runs, [*runs[1:], gids.shape[0]], strict=True):
            task, rows = int(tasks[s]), row_of(gids[s:e])
            data_path, index_path = set_paths(self.folder, task)
            index = np.load(index_path, mmap_mode="r")
            at = np.searchsorted(index["row"], rows)
            if (at >= index.shape[0]).any() or (
                index["row"][np.minimum(at, index.shape[0] - 1)] != rows
            ).any():
                raise KeyError(f"near_dedup: task {task} has no shingle set for some candidate rows")
            offsets, lengths = np.asarray(index["offset"][at]), np.asarray(index["length"][at])
            del index
            total = int(lengths.sum())
            if total:
                data = np.memmap(data_path, dtype=np.uint32, mode="r")
                within = np.repeat(offsets - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
                pieces.append(np.array(data[within]))
                del data
            start[s:e] = position + np.cumsum(lengths) - lengths
            length[s:e] = lengths
            position += total
        flat = np.concatenate(pieces) if pieces else np.zeros(0, np.uint32)
        return flat, start, length

    def overlaps(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Jaccard, containment of the smaller in the larger) of each pair (a[i], b[i])."""
        jaccard = np.zeros(a.shape[0], np.float64)
        containment = np.zeros(a.shape[0], np.float64)
        for s in range(0, a.shape[0], PAIRS_PER_CHUNK):
            ca, cb = a[s : s + PAIRS_PER_CHUNK], b[s : s + PAIRS_PER_CHUNK]
            gids = sorted_unique(np.concatenate([ca, cb]))
            flat, start, length = self._gather(gids)
            ia, ib = np.searchsorted(gids, ca), np.searchsorted(gids, cb)
            common = _common_counts(flat, start[ia], length[ia], start[ib], length[ib])
            la, lb = length[ia].astype(np.float64), length[ib].astype(np.float64)
            j, c = _ratios(common.astype(np.float64), la, lb)
            jaccard[s : s + PAIRS_PER_CHUNK], containment[s : s + PAIRS_PER_CHUNK] = j, c
        return jaccard, containment


def _ratios(common: np.ndarray, la: np.ndarray, lb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard and containment from counts, as ``taoyu.dedup.minhash.overlap`` defines them (two
    empty sets are identical; one empty set shares nothing)."""
    union = la + lb - common
    smaller = np.minimum(la, lb)
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.where(union > 0, common / np.where(union > 0, union, 1), 1.0)
        c = np.where(smaller > 0, common / np.where(smaller > 0, smaller, 1), 0.0)
    both_empty = (la == 0) & (lb == 0)
    one_empty = (la == 0) ^ (lb == 0)
    j = np.where(one_empty, 0.0, j)
    c = np.where(both_empty, 1.0, np.where(one_empty, 0.0, c))
    return j, c


@kernel
def _common_counts(flat, a_start, a_len, b_start, b_len):  # pragma: no cover - compiled
    """Shared elements of each pair of sorted unique runs of ``flat``, by one merge per pair."""
    out = np.zeros(a_start.shape[0], np.int64)
    for k in range(a_start.shape[0]):
        i, i_end = a_start[k], a_start[k] + a_len[k]
        j, j_end = b_start[k], b_start[k] + b_len[k]
        n = 0
        while i < i_end and j < j_end:
            x, y = flat[i], flat[j]
            if x == y:
                n += 1
                i += 1
                j += 1
            elif x < y:
                i += 1
            else:
                j += 1
        out[k] = n
    return out
