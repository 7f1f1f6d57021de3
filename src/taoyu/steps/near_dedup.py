"""Near-duplicate removal: MinHash LSH for candidates, true Jaccard and containment to confirm.

LSH alone decides on an estimate, so the anchors either miss edited copies (J < 0.8) or, with
looser bands, keep false pairs. Here LSH only proposes: every candidate pair is checked on the
real shingle sets, and a pair is a duplicate when its Jaccard similarity reaches ``jaccard`` or
when one text is contained in the other to ``containment`` (truncated copies, and copies wrapped
in extra boilerplate, have a low Jaccard but a high containment). Confirmed pairs are joined
into clusters by union-find, and each cluster keeps one document by a stated rule.

Memory: the resolve reads one band's keys at a time, so the LSH part holds 16 bytes per
document per pass; the shingle sets of documents in candidate pairs are held for verification.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import Field, model_validator

from taoyu.dedup.clusters import choose_keeper, clusters
from taoyu.dedup.minhash import band_keys, overlap, shingle_hashes, signatures
from taoyu.document import Document, Event
from taoyu.registry import register
from taoyu.steps.base import GlobalStep, StepParams

SMALL_BUCKET = 20
"""Buckets up to this size are checked pair by pair; larger ones (page templates) by star and chain."""


class ShingleStore:
    """Shingle sets of the documents in candidate pairs, computed once and kept on disk.

    Verification needs the real shingles of both documents of a pair. Holding them in memory
    costs ~8 KB per candidate document (gigabytes at a million documents), and recomputing them
    per pair repeats the work. So each task's text column is read once, the needed documents'
    sorted unique shingle hashes (32-bit: a collision shifts a Jaccard by one shingle in four
    billion) are appended to a scratch file, and pairs read their two sets back by offset.
    """

    def __init__(
        self,
        path: Path,
        shingle_size: int,
        task_of: np.ndarray,
        row_of: np.ndarray,
        doc_files: Mapping[int, Sequence[Path]],
        needed: Iterable[int],
        chunk: int = 2048,
    ) -> None:
        self.path = path
        n = task_of.shape[0]
        self.offset = np.zeros(n, dtype=np.int64)
        self.length = np.zeros(n, dtype=np.int64)
        by_task: dict[int, list[int]] = {}
        for g in sorted(set(needed)):
            by_task.setdefault(int(task_of[g]), []).append(g)
        position = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            for task, members in sorted(by_task.items()):
                files = doc_files.get(task, [])
                if not files:
                    raise ValueError(f"near_dedup: no document shards for task {task} to verify pairs on")
                texts = pa.concat_tables(pq.ParquetFile(p).read(columns=["text"]) for p in files)
                column = texts.column("text")
                for start in range(0, len(members), chunk):
                    part = members[start : start + chunk]
                    chosen = column.take(pa.array(row_of[part])).to_pylist()
                    hashes, bounds = shingle_hashes(chosen, shingle_size)
                    for i, g in enumerate(part):
                        small = np.unique(hashes[bounds[i] : bounds[i + 1]].astype(np.uint32))
                        out.write(small.tobytes())
                        self.offset[g], self.length[g] = position, small.size
                        position += small.nbytes
                del texts, column
        self._fh = open(path, "rb")  # noqa: SIM115 (closed in close())

    def get(self, g: int) -> np.ndarray:
        self._fh.seek(int(self.offset[g]))
        return np.frombuffer(self._fh.read(int(self.length[g]) * 4), dtype=np.uint32)

    def overlaps(self, pairs: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, float, float]]:
        """(a, b, Jaccard, containment) for pairs grouped by a: each a's set is read once."""
        current, first = -1, np.zeros(0, np.uint32)
        for a, b in pairs:
            if a != current:
                current, first = a, self.get(a)
            yield (a, b, *overlap(first, self.get(b)))

    def close(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


class NearDedupParams(StepParams):
    num_perm: int = Field(128, ge=16, le=1024)
    bands: int = Field(32, ge=1)
    """32 bands of 4 rows, not the usual 16 × 8: a pair at J = 0.6 becomes a candidate with
    probability 0.99 instead of 0.24. Looser bands only cost verification time, because every
    candidate is checked on its real shingles; see docs/benchmarks.md for the measurements."""
    rows: int = Field(4, ge=1)
    shingle_size: int = Field(5, ge=1, le=32)
    """Characters per shingle, over letters and digits only."""
    jaccard: float = Field(0.5, gt=0, le=1)
    """Confirmed as a duplicate when the true Jaccard similarity reaches this..."""
    containment: float = Field(0.8, gt=0, le=1)
    """...or when the smaller text's shingles lie in the larger one's to this share."""
    keep: Literal["longest", "earliest", "first", "quality"] = "longest"
    """Which member of a cluster survives: most shingles, earliest crawl date, first in input
    order, or highest meta['hq_score'] (the quality_model step's; or 'quality_score'). Ties go to
    the smallest document id."""
    seed: int = 42

    @model_validator(mode="after")
    def _bands_fit(self) -> NearDedupParams:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands × rows ({self.bands}×{self.rows}) exceeds num_perm ({self.num_perm})")
        return self


@register("near_dedup")
class NearDedup(GlobalStep):
    """Drop near-duplicates: MinHash LSH candidates confirmed by true Jaccard or containment."""

    Params = NearDedupParams
    params: NearDedupParams

    @property
    def signature_schema(self) -> pa.Schema:  # type: ignore[override]
        fields = [
            ("row", pa.int64()),
            ("doc_id", pa.string()),
            ("chars", pa.int64()),
            ("empty", pa.bool_()),
            ("crawl_date", pa.string()),
            ("quality", pa.float64()),
        ]
        fields += [(f"b{b:03d}", pa.uint64()) for b in range(self.params.bands)]
        return pa.schema(fields)

    def signatures(self, docs: Sequence[Document]) -> list[dict[str, Any]]:
        p = self.params
        texts = [d.text for d in docs]
        sigs = signatures(texts, p.num_perm, p.shingle_size, p.seed)
        keys = band_keys(sigs, p.bands, p.rows)
        empty = (sigs == np.iinfo(np.uint32).max).all(axis=1)
        out = []
        for i, doc in enumerate(docs):
            quality = doc.meta.get("hq_score", doc.meta.get("quality_score"))
            row: dict[str, Any] = {
                "doc_id": doc.id,
                "chars": len(doc.text),
                "empty": bool(empty[i]),
                "crawl_date": doc.meta.get("crawl_date"),
                "quality": float(quality) if isinstance(quality, int | float) else None,
            }
            row.update({f"b{b:03d}": int(keys[i, b]) for b in range(p.bands)})
            out.append(row)
        return out

    def signature(self, doc: Document) -> dict[str, Any]:
        return self.signatures([doc])[0]

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        files = list(signature_files)
        meta = [
            pq.ParquetFile(path).read(columns=["row", "doc_id", "chars", "empty", "crawl_date", "quality"])
            for _, path in files
        ]
        if not meta or not sum(t.num_rows for t in meta):
            return {"documents": 0, "candidate_pairs": 0, "confirmed_pairs": 0, "duplicates": 0}
        task_of = np.concatenate(
            [np.full(t.num_rows, task, np.int64) for (task, _), t in zip(files, meta, strict=True)]
        )
        row_of = np.concatenate([t.column("row").to_numpy() for t in meta])
        chars = np.concatenate([t.column("chars").to_numpy() for t in meta])
        empty = np.concatenate([t.column("empty").to_numpy(zero_copy_only=False) for t in meta])
        ids = [i for t in meta for i in t.column("doc_id").to_pylist()]
        n = len(ids)

        pairs = self._candidate_pairs(files, ~empty)
        needed = {g for pair in pairs for g in pair}
        sets = ShingleStore(
            decisions_dir / "shingles.bin", self.params.shingle_size, task_of, row_of, doc_files or {}, needed
        )
        try:
            overlap_of = {(a, b): (j, c) for a, b, j, c in sets.overlaps(pairs)}
            edges = [
                (a, b, j, c)
                for (a, b), (j, c) in overlap_of.items()
                if j >= self.params.jaccard or c >= self.params.containment
            ]
            confirmed = [(a, b) for a, b, _, _ in edges]
            near_copies: dict[int, set[int]] = {}  # Jaccard edges: near copies, not mere containment
            for a, b, j, _ in edges:
                if j >= self.params.jaccard:
                    near_copies.setdefault(a, set()).add(b)
                    near_copies.setdefault(b, set()).add(a)

            dates = [d for t in meta for d in t.column("crawl_date").to_pylist()]
            quality = [q for t in meta for q in t.column("quality").to_pylist()]
            rule = self._sort_key(ids, chars, dates, quality)
            decisions: dict[int, list[dict[str, Any]]] = {}
            groups = clusters(n, confirmed)
            links = []
            for members in groups.values():
                keeper = choose_keeper(members, rule)
                links.extend((m, keeper) for m in members if m != keeper)
            # Member-keeper pairs: most were candidates already measured; the rest are read now.
            measured = {
                (m, k): overlap_of[key] for m, k in links if (key := (min(m, k), max(m, k))) in overlap_of
            }
            unmeasured = sorted((k, m) for m, k in links if (m, k) not in measured)
            measured.update({(m, keeper): (j, c) for keeper, m, j, c in sets.overlaps(unmeasured)})
            passes = {
                m
                for (m, _), (j, c) in measured.items()
                if j >= self.params.jaccard or c >= self.params.containment
            }
            for (m, keeper), (j, c) in sorted(measured.items()):
                # A member that is no copy of the keeper stays, unless it is a near copy (by Jaccard)
                # of a member that is: an edited copy of an edited copy. Containment alone never
                # chains, so B = A + X and C = A + Y keep each other.
                copies = near_copies.get(m, set())
                if m not in passes and keeper not in copies and copies.isdisjoint(passes):
                    continue
                row = {
                    "row": int(row_of[m]),
                    "dup_of": ids[keeper],
                    "cluster": ids[keeper],
                    "jaccard": j,
                    "containment": c,
                }
                decisions.setdefault(int(task_of[m]), []).append(row)
        finally:
            sets.close()
        duplicates = sum(len(rows) for rows in decisions.values())
        decisions_dir.mkdir(parents=True, exist_ok=True)
        schema = pa.schema(
            [
                ("row", pa.int64()),
                ("dup_of", pa.string()),
                ("cluster", pa.string()),
                ("jaccard", pa.float64()),
                ("containment", pa.float64()),
            ]
        )
        for task, rows in sorted(decisions.items()):
            rows.sort(key=lambda r: r["row"])
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), decisions_dir / f"{task:05d}.parquet")
        return {
            "documents": n,
            "candidate_pairs": len(pairs),
            "confirmed_pairs": len(confirmed),
            "clusters": len(groups),
            "duplicates": duplicates,
        }

    def _candidate_pairs(self, files: list[tuple[int, Path]], has_text: np.ndarray) -> list[tuple[int, int]]:
        """Documents sharing a band key, one band at a time so memory holds one column of keys.

        Small buckets give every pair; large ones (thousands of pages of one template) a star on
        the first member plus a chain, so they stay linear.
        """
        found: set[int] = set()
        n = has_text.shape[0]
        with_text = np.flatnonzero(has_text)
        for b in range(self.params.bands):
            column = f"b{b:03d}"
            keys = np.concatenate(
                [pq.ParquetFile(p).read(columns=[column]).column(0).to_numpy() for _, p in files]
            )
            index = with_text
            keys = keys[index]
            order = np.argsort(keys, kind="stable")
            keys, index = keys[order], index[order]
            starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
            ends = np.concatenate([starts[1:], [keys.shape[0]]])
            for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
                members = [int(m) for m in np.sort(index[s:e])]
                if len(members) <= SMALL_BUCKET:
                    # Every pair: with a star, an unrelated first member would hide real copies.
                    found.update(a * n + b for i, a in enumerate(members) for b in members[i + 1 :])
                else:
                    found.update(members[0] * n + b for b in members[1:])  # template buckets stay linear
                    found.update(a * n + b for a, b in itertools.pairwise(members))
        return sorted((p // n, p % n) for p in found)

    def _sort_key(self, ids: list[str], chars: np.ndarray, dates: list[Any], quality: list[Any]):
        keep = self.params.keep
        if keep == "longest":
            return lambda g: (-int(chars[g]), ids[g])
        if keep == "earliest":
            return lambda g: (dates[g] is None, dates[g] or "", ids[g])
        if keep == "quality":
            return lambda g: (quality[g] is None, -(quality[g] or 0.0), ids[g])
        return lambda g: (g,)  # first in input order: global order is task, then row

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        if decision is not None:
            details = {
                "dup_of": decision["dup_of"],
                "cluster": decision["cluster"],
                "jaccard": round(decision["jaccard"], 4),
                "containment": round(decision["containment"], 4),
            }
            doc.trace.append(
                Event(
                    self.name,
                    "drop",
                    "near_duplicate",
                    round(decision["jaccard"], 4),
                    self.params.jaccard,
                    details,
                )
            )
        return doc
