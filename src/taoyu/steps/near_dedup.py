"""Near-duplicate removal: MinHash LSH for candidates, true Jaccard and containment to confirm.

LSH alone decides on an estimate, so the anchors either miss edited copies (J < 0.8) or, with
looser bands, keep false pairs. Here LSH only proposes: every candidate pair is checked on the
real shingle sets, and a pair is a duplicate when its Jaccard similarity reaches ``jaccard`` or
when one text is contained in the other to ``containment`` (truncated copies, and copies wrapped
in extra boilerplate, have a low Jaccard but a high containment). Confirmed pairs are joined into
connected components, and each component keeps one document by a stated rule.

The resolve scales out (issue #20): it is a plan of stages (``plan``), each a set of tasks that
see one partition of the corpus, and that any executor runs on its workers. No task holds the
whole corpus: the first shuffle moves 16 bytes per document per band, every later one only the
candidate documents and pairs, and the number of partitions grows with the corpus so that a task
stays within ``task_memory_mb``. Decisions do not depend on the partitioning.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import Field, model_validator

from taoyu.dedup.graph import (
    PAIR,
    both_directions,
    bucket_pairs,
    dense_ranks,
    global_id,
    large_star,
    partition_of,
    row_of,
    small_star,
    sorted_unique,
    star_labels,
    task_of,
    unique_pairs,
)
from taoyu.dedup.minhash import band_keys, signatures
from taoyu.dedup.shingle_store import ShingleSets, load_array, save_array, write_task_sets
from taoyu.document import Document, Event
from taoyu.output import read_json, replaced_atomically, write_json_atomic
from taoyu.registry import register
from taoyu.steps.base import (
    StagedResolve,
    StagePlan,
    StageTask,
    StepParams,
    split_rows,
    task_groups,
    write_task_decisions,
)

BAND_ROW = np.dtype([("bucket", "<u8"), ("gid", "<i8")])
"""A document's LSH bucket in one band (the band key mixed with the band number: two different
(band, key) pairs would have to collide in all 64 bits to share one, and a false candidate is
still verified on its shingles): what the first shuffle moves, 16 bytes per document per band."""
BAND_SALT = np.uint64(0xD6E8FEB86659FD93)
MEASURED = np.dtype([("a", "<i8"), ("b", "<i8"), ("j", "<f8"), ("c", "<f8")])
"""A candidate pair and its true Jaccard and containment."""
LABELLED_PAIR = np.dtype([("label", "<i8"), ("a", "<i8"), ("b", "<i8"), ("j", "<f8"), ("c", "<f8")])
FACTS = pa.schema(
    [
        ("gid", pa.int64()),
        ("doc_id", pa.string()),
        ("chars", pa.int64()),
        ("crawl_date", pa.string()),
        ("quality", pa.float64()),
    ]
)
"""What the keeper rules compare, per candidate document."""
MEMBERS = pa.schema([("label", pa.int64()), *FACTS])
DROPS = pa.schema(
    [
        ("task", pa.int64()),
        ("row", pa.int64()),
        ("dup_of", pa.string()),
        ("cluster", pa.string()),
        ("jaccard", pa.float64()),
        ("containment", pa.float64()),
    ]
)
BAND_SORT_FACTOR = 4
"""Working memory of the band stages per byte of band rows (measured by bench/dedup_scale.py):
the rows, their sort order, the sorted copies and the candidate pairs."""
MAX_ROUNDS = 100
"""Large-star/small-star converges in O(log² n) rounds; this only stops a bug from looping."""


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
    task_memory_mb: int = Field(512, ge=64)
    """Working memory one resolve task may use. The resolve uses at least as many partitions as
    the run asks for, and more when the corpus needs them to stay within this; decisions do not
    depend on the number of partitions."""

    @model_validator(mode="after")
    def _bands_fit(self) -> NearDedupParams:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands × rows ({self.bands}×{self.rows}) exceeds num_perm ({self.num_perm})")
        return self


@register("near_dedup")
class NearDedup(StagedResolve):
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

    def partitions_for(self, documents: int, requested: int) -> int:
        """At least ``requested`` partitions, and enough that sorting one partition's band rows
        (``BAND_SORT_FACTOR`` times their bytes) stays within ``task_memory_mb``."""
        band_bytes = BAND_SORT_FACTOR * documents * self.params.bands * BAND_ROW.itemsize
        needed = -(-band_bytes // (self.params.task_memory_mb << 20))
        return max(1, requested, int(needed))

    def plan(
        self,
        signature_files: Sequence[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]],
        scratch: Path,
        partitions: int,
    ) -> StagePlan:
        """Bands → candidate pairs → shingle sets → verified pairs → components → keepers → decisions.

        Every stage but the shingle sets is keyed by a hash (of a band key, of a document, of a
        component), so its tasks split the work by partition; the shingle sets and the decision
        files are split by ranges of tasks. Data moves between stages as files under ``scratch``.
        """
        files = sorted(signature_files)
        sizes = [pq.ParquetFile(path).metadata.num_rows for _, path in files]
        documents = sum(sizes)
        if not documents:
            return {
                "documents": 0,
                "candidate_pairs": 0,
                "confirmed_pairs": 0,
                "clusters": 0,
                "duplicates": 0,
            }
        shape = self._shape(files, sizes, scratch, partitions)
        p, root, writers, bounds = shape.partitions, shape.root, len(shape.ranges), shape.bounds
        bands = yield shape.stage("bands", "stage_bands", [(m, g, p, root) for m, g in enumerate(shape.maps)])
        pairs = yield shape.stage(
            "candidates", "stage_candidates", [(q, len(shape.maps), p, bounds, root) for q in range(p)]
        )
        sets = yield shape.stage("shingles", "stage_shingles", shape.shingle_args(files, doc_files))
        verified = yield shape.stage("verify", "stage_verify", [(q, p, root) for q in range(p)])
        rounds, round_bytes = yield from self._components(shape)
        labels = yield shape.stage("labels", "stage_labels", [(q, rounds, p, root) for q in range(p)])
        joined = yield shape.stage("join", "stage_join", [(q, writers, p, root) for q in range(p)])
        kept = yield shape.stage("keepers", "stage_keepers", [(q, p, bounds, root) for q in range(p)])
        # The run clears the decisions folder before a resolve (a half-written one is not to be
        # trusted) but keeps the scratch folder: so the writers run every time, and leave no marker.
        writes = [(w, p, root, decisions_dir) for w in range(writers)]
        yield shape.stage("decisions", "stage_write", writes, remember=False)
        _remove(scratch)
        moved = round_bytes + sum(
            _total(f, "bytes") for f in (bands, pairs, sets, verified, labels, joined, kept)
        )
        return {
            "documents": documents,
            "candidate_pairs": _total(verified, "candidate_pairs"),
            "confirmed_pairs": _total(verified, "confirmed_pairs"),
            "clusters": _total(kept, "clusters"),
            "duplicates": _total(kept, "duplicates"),
            "partitions": p,
            "component_rounds": rounds,
            "band_bytes": _total(bands, "bytes"),
            "bytes_between_stages": moved,
        }

    def _shape(
        self, files: list[tuple[int, Path]], sizes: list[int], scratch: Path, partitions: int
    ) -> _PlanShape:
        """How the resolve is cut: partitions, map groups, and ranges of tasks for the shingle
        sets and decision files."""
        documents = sum(sizes)
        # A resume keeps the partition count of the first attempt (another --workers, another
        # executor), so the stages that finished are not thrown away.
        chosen = scratch / "plan.json"
        _remove(scratch.with_name(f"{scratch.name}.trash"))  # a clean-up that was cut short
        if chosen.exists():
            p = int(read_json(chosen)["partitions"])
        else:
            p = self.partitions_for(documents, partitions)
            write_json_atomic(chosen, {"partitions": p, "documents": documents})
        row_bytes = BAND_SORT_FACTOR * self.params.bands * BAND_ROW.itemsize
        budget_rows = max(1, (self.params.task_memory_mb << 20) // row_bytes)
        # at least as many maps as partitions, so the first stage spreads over the workers too
        maps = _groups_by_rows(files, sizes, min(budget_rows, -(-documents // p)))
        tasks = sorted({task for task, _ in files})
        writers = max(1, min(p, len(tasks)))
        ranges = [tasks[len(tasks) * w // writers : len(tasks) * (w + 1) // writers] for w in range(writers)]
        return _PlanShape(p, scratch / f"partitions-{p}", maps, ranges)

    def _components(
        self, shape: _PlanShape
    ) -> Generator[list[StageTask], list[dict[str, int]], tuple[int, int]]:
        """Large-star then small-star rounds until neither changes an edge: (rounds, bytes written).
        A finished round's edge files are deleted; its tasks' markers stay, so a resume skips it."""
        p, root = shape.partitions, shape.root
        rounds = moved = 0
        while True:
            args = [(rounds, q, p, root) for q in range(p)]
            large = yield shape.stage(f"large{rounds:03d}", "stage_large_star", args)
            small = yield shape.stage(f"small{rounds:03d}", "stage_small_star", args)
            moved += _total(large, "bytes") + _total(small, "bytes")
            shutil.rmtree(root / "edges" / f"r{rounds:03d}-large", ignore_errors=True)
            shutil.rmtree(root / "edges" / f"r{rounds:03d}-small", ignore_errors=True)
            rounds += 1
            if not _total(large, "moved") and not _total(small, "moved"):
                return rounds, moved
            if rounds >= MAX_ROUNDS:
                raise RuntimeError(
                    f"near_dedup: connected components did not converge in {MAX_ROUNDS} rounds"
                )

    # --- the stages: each reads its inputs from files under ``root`` and writes its outputs there

    def stage_bands(
        self, m: int, files: list[tuple[int, Path]], partitions: int, root: Path
    ) -> dict[str, int]:
        """Map: the LSH bucket of every (band, document) of these signature files, split by a hash
        of the bucket, so that one partition holds whole buckets. Documents with no text are left
        out. Within a bucket, documents stay in corpus order (files in task order, then rows)."""
        pieces: list[list[np.ndarray]] = [[] for _ in range(partitions)]
        total = 0
        for task, path in files:
            table = pq.ParquetFile(path).read(columns=["row", "empty", *self._band_columns()])
            has_text = ~table.column("empty").to_numpy(zero_copy_only=False)
            gid = global_id(task, table.column("row").to_numpy()[has_text])
            rows = np.zeros((self.params.bands, gid.shape[0]), BAND_ROW)
            for b, column in enumerate(self._band_columns()):
                rows[b]["gid"] = gid
                with np.errstate(over="ignore"):
                    rows[b]["bucket"] = table.column(column).to_numpy()[has_text] ^ (np.uint64(b) * BAND_SALT)
            del table
            rows = rows.ravel()
            total += rows.shape[0]
            for p, part in enumerate(_split(rows, partition_of(rows["bucket"], partitions), partitions)):
                pieces[p].append(part)
        sections = [np.concatenate(parts) if parts else np.zeros(0, BAND_ROW) for parts in pieces]
        written = _save_sections(root / "bands", m, sections, BAND_ROW)
        return {"band_rows": total, "bytes": written}

    def stage_candidates(
        self, q: int, maps: int, partitions: int, bounds: list[int], root: Path
    ) -> dict[str, int]:
        """Reduce: the buckets of one partition of band keys become candidate pairs, sent on by a
        hash of their first document; the documents in them are sent to their task's range, whose
        shingle sets will be needed."""
        rows = _read_parts(root / "bands", q, maps, BAND_ROW)
        # A stable sort by bucket keeps each bucket's documents in corpus order, as the maps wrote
        # them; checked, since the pairs rely on it. One column at a time: a copy each, not four.
        order = np.argsort(rows["bucket"], kind="stable")
        gid = rows["gid"][order]
        bucket = rows["bucket"][order]
        del rows, order
        if not np.all((bucket[1:] != bucket[:-1]) | (gid[1:] > gid[:-1])):
            order = np.lexsort((gid, bucket))
            bucket, gid = bucket[order], gid[order]
        pairs = bucket_pairs_unique(bucket, gid)
        del bucket, gid
        written = _write_parts(root / "pairs", q, pairs, partition_of(pairs["a"], partitions), partitions)
        needed = sorted_unique(np.concatenate([pairs["a"], pairs["b"]]))
        writer = np.searchsorted(np.asarray(bounds, np.int64), task_of(needed), side="right") - 1
        written += _write_parts(root / "needed", q, needed, writer, len(bounds))
        return {"bucket_pairs": pairs.shape[0], "bytes": written}

    def stage_shingles(
        self,
        w: int,
        doc_files: dict[int, list[Path]],
        signature_files: dict[int, list[Path]],
        partitions: int,
        root: Path,
    ) -> dict[str, int]:
        """Per range of tasks: the shingle sets of its documents that are in candidate pairs,
        read from their text once, and their keeper-rule facts (length, date, quality, id), sent on
        by a hash of the document."""
        needed = _read_parts(root / "needed", w, partitions, np.dtype("<i8"))
        needed = sorted_unique(needed)
        tasks = task_of(needed)
        written = 0
        facts = []
        for task in sorted(doc_files):
            rows = row_of(needed[tasks == task])
            if not rows.shape[0]:
                continue
            written += write_task_sets(root / "sets", task, rows, doc_files[task], self.params.shingle_size)
            for path in signature_files[task]:
                table = pq.ParquetFile(path).read(columns=[*FACTS.names[1:], "row"])
                mine = np.isin(table.column("row").to_numpy(), rows)
                chosen = table.filter(pa.array(mine))
                gid = pa.array(global_id(task, chosen.column("row").to_numpy()), pa.int64())
                facts.append(chosen.drop_columns(["row"]).add_column(0, "gid", gid).cast(FACTS))
        table = pa.concat_tables(facts) if facts else FACTS.empty_table()
        written += _write_table_parts(
            root / "facts", w, table, partition_of(table.column("gid").to_numpy(), partitions), partitions
        )
        return {"documents": int(needed.shape[0]), "bytes": written}

    def stage_verify(self, q: int, partitions: int, root: Path) -> dict[str, int]:
        """Reduce: one partition's candidate pairs, each once, measured on their true shingle sets.
        Every measurement is kept (the keeper rule looks some up); the confirmed ones become the
        graph's edges, in both directions, sent on by a hash of their first node."""
        pairs = unique_pairs(_read_parts(root / "pairs", q, partitions, PAIR))
        jaccard, containment = ShingleSets(root / "sets").overlaps(pairs["a"], pairs["b"])
        measured = np.zeros(pairs.shape[0], MEASURED)
        measured["a"], measured["b"], measured["j"], measured["c"] = (
            pairs["a"],
            pairs["b"],
            jaccard,
            containment,
        )
        _mkdir(root / "measured")
        save_array(root / "measured" / f"p{q:05d}.npy", measured)
        confirmed = (jaccard >= self.params.jaccard) | (containment >= self.params.containment)
        edges = both_directions(pairs[confirmed])
        written = measured.nbytes
        written += _write_parts(
            root / "edges" / "r000-large", q, edges, partition_of(edges["a"], partitions), partitions
        )
        return {"candidate_pairs": pairs.shape[0], "confirmed_pairs": int(confirmed.sum()), "bytes": written}

    def stage_large_star(self, r: int, q: int, partitions: int, root: Path) -> dict[str, int]:
        """One partition of a large-star round (``taoyu.dedup.graph.large_star``)."""
        edges, moved = large_star(_read_parts(root / "edges" / f"r{r:03d}-large", q, partitions, PAIR))
        folder = root / "edges" / f"r{r:03d}-small"
        written = _write_parts(folder, q, edges, partition_of(edges["a"], partitions), partitions)
        return {"moved": moved, "bytes": written}

    def stage_small_star(self, r: int, q: int, partitions: int, root: Path) -> dict[str, int]:
        """One partition of a small-star round (``taoyu.dedup.graph.small_star``)."""
        edges, moved = small_star(_read_parts(root / "edges" / f"r{r:03d}-small", q, partitions, PAIR))
        edges = both_directions(edges)
        folder = root / "edges" / f"r{r + 1:03d}-large"
        written = _write_parts(folder, q, edges, partition_of(edges["a"], partitions), partitions)
        return {"moved": moved, "bytes": written}

    def stage_labels(self, q: int, rounds: int, partitions: int, root: Path) -> dict[str, int]:
        """Each node of one partition labelled with its component's smallest document."""
        labels = star_labels(_read_parts(root / "edges" / f"r{rounds:03d}-large", q, partitions, PAIR))
        _mkdir(root / "labels")
        save_array(root / "labels" / f"p{q:05d}.npy", labels)
        return {"nodes": labels.shape[0], "bytes": labels.nbytes}

    def stage_join(self, q: int, writers: int, partitions: int, root: Path) -> dict[str, int]:
        """One partition of documents: each labelled document's facts, and each measured pair that
        starts at one, sent on by a hash of the component, so a component meets in one task."""
        labels = load_array(root / "labels" / f"p{q:05d}.npy")  # sorted by node
        facts = _read_table_parts(root / "facts", q, writers, FACTS)
        where = _local(labels["a"], facts.column("gid").to_numpy())
        labelled = where >= 0
        label = labels["b"][where[labelled]]
        members = facts.filter(pa.array(labelled)).add_column(0, "label", pa.array(label, pa.int64()))
        written = _write_table_parts(
            root / "members", q, members, partition_of(label, partitions), partitions
        )
        measured = load_array(root / "measured" / f"p{q:05d}.npy")
        where = _local(labels["a"], measured["a"])
        measured = measured[where >= 0]
        pairs = np.zeros(measured.shape[0], LABELLED_PAIR)
        for name in ("a", "b", "j", "c"):
            pairs[name] = measured[name]
        pairs["label"] = labels["b"][where[where >= 0]]
        written += _write_parts(
            root / "cluster-pairs", q, pairs, partition_of(pairs["label"], partitions), partitions
        )
        return {"members": members.num_rows, "bytes": written}

    def stage_keepers(self, q: int, partitions: int, bounds: list[int], root: Path) -> dict[str, int]:
        """One partition of components: each keeps one document by the keeper rule, and each
        other member is a duplicate when it is a copy of the keeper (true Jaccard or containment),
        or a near copy (by Jaccard) of a member that is: an edited copy of an edited copy.
        Containment alone never chains, so B = A + X and C = A + Y keep each other."""
        members = _read_table_parts(root / "members", q, partitions, MEMBERS)
        if members.num_rows == 0:
            written = _write_table_parts(
                root / "drops", q, DROPS.empty_table(), np.zeros(0, np.int64), len(bounds)
            )
            return {"clusters": 0, "duplicates": 0, "bytes": written}
        members = members.take(pc.sort_indices(members, self._keeper_order()))
        label = members.column("label").to_numpy()
        gid = members.column("gid").to_numpy()
        first = np.concatenate([[True], label[1:] != label[:-1]])
        keeper_at = np.maximum.accumulate(np.where(first, np.arange(gid.shape[0]), 0))
        m, keeper = gid[~first], gid[keeper_at[~first]]
        jaccard, containment, drop = self._judge(root, q, partitions, sorted_unique(gid), m, keeper)
        ids = members.column("doc_id").take(pa.array(keeper_at[~first][drop]))
        table = pa.table(
            {
                "task": pa.array(task_of(m[drop]), pa.int64()),
                "row": pa.array(row_of(m[drop]), pa.int64()),
                "dup_of": ids,
                "cluster": ids,
                "jaccard": pa.array(jaccard[drop], pa.float64()),
                "containment": pa.array(containment[drop], pa.float64()),
            },
            schema=DROPS,
        )
        writer = np.searchsorted(np.asarray(bounds, np.int64), task_of(m[drop]), side="right") - 1
        written = _write_table_parts(root / "drops", q, table, writer, len(bounds))
        return {"clusters": int(first.sum()), "duplicates": table.num_rows, "bytes": written}

    def _judge(
        self, root: Path, q: int, partitions: int, nodes: np.ndarray, m: np.ndarray, keeper: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each member ``m[i]`` of a component kept by ``keeper[i]``: its Jaccard and
        containment to the keeper (measured as a candidate pair, or now), and whether it goes.
        ``nodes`` are every member and keeper of this partition's components, sorted."""
        p = self.params
        pairs = _read_parts(root / "cluster-pairs", q, partitions, LABELLED_PAIR)
        ia, ib = _local(nodes, pairs["a"]), _local(nodes, pairs["b"])
        inside = (ia >= 0) & (ib >= 0)
        n = np.int64(nodes.shape[0])
        pair_key = ia[inside] * n + ib[inside]  # pairs keep a < b, so ia < ib
        order = np.argsort(pair_key, kind="stable")
        pair_key, pairs, ia, ib = pair_key[order], pairs[inside][order], ia[inside][order], ib[inside][order]
        lm, lk = _local(nodes, m), _local(nodes, keeper)
        at = _local(pair_key, np.minimum(lm, lk) * n + np.maximum(lm, lk))
        found = at >= 0
        jaccard = np.where(found, pairs["j"][at], 0.0) if pairs.shape[0] else np.zeros(m.shape)
        containment = np.where(found, pairs["c"][at], 0.0) if pairs.shape[0] else np.zeros(m.shape)
        if (~found).any():  # member and keeper met through others: measured now
            sets = ShingleSets(root / "sets")
            jaccard[~found], containment[~found] = sets.overlaps(keeper[~found], m[~found])
        passes = np.zeros(nodes.shape[0], bool)
        passes[lm] = (jaccard >= p.jaccard) | (containment >= p.containment)
        dropped = passes.copy()
        near = pairs["j"] >= p.jaccard
        dropped[ia[near][passes[ib[near]]]] = True
        dropped[ib[near][passes[ia[near]]]] = True
        dropped[lk] = False  # a keeper stays, whatever its neighbours
        return jaccard, containment, dropped[lm]

    def stage_write(self, w: int, partitions: int, root: Path, decisions_dir: Path) -> dict[str, int]:
        """One range of tasks: its duplicates from every partition, written as each task's
        decision file, sorted by row."""
        table = _read_table_parts(root / "drops", w, partitions, DROPS)
        table = table.sort_by([("task", "ascending"), ("row", "ascending")])
        decisions_dir.mkdir(parents=True, exist_ok=True)
        for task, rows in task_groups(table):
            write_task_decisions(decisions_dir, task, rows.drop_columns(["task"]))
        return {"duplicates": table.num_rows}

    def _band_columns(self) -> list[str]:
        return [f"b{b:03d}" for b in range(self.params.bands)]

    def _keeper_order(self) -> list[tuple[str, str, str]]:
        """Sort keys that put each component's keeper first: the rule, then the id, then input order."""
        rule = {
            "longest": [("chars", "descending"), ("doc_id", "ascending")],
            "earliest": [("crawl_date", "ascending"), ("doc_id", "ascending")],
            "quality": [("quality", "descending"), ("doc_id", "ascending")],
            "first": [],
        }[self.params.keep]
        keys = [("label", "ascending"), *rule, ("gid", "ascending")]
        return [(name, order, "at_end") for name, order in keys]  # no date or score: last

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


@dataclass(frozen=True)
class _PlanShape:
    """How one resolve is cut into tasks, fixed for the whole plan."""

    partitions: int
    root: Path
    maps: list[list[tuple[int, Path]]]
    ranges: list[list[int]]

    @property
    def bounds(self) -> list[int]:
        """The first task of each range: where a task's decision rows and shingle sets go."""
        return [r[0] for r in self.ranges]

    def shingle_args(
        self, files: list[tuple[int, Path]], doc_files: Mapping[int, Sequence[Path]]
    ) -> list[tuple[Any, ...]]:
        """Each range of tasks, with its document shards and signature files."""
        by_task: dict[int, list[Path]] = {}
        for task, path in files:
            by_task.setdefault(task, []).append(path)
        return [
            (
                w,
                {t: list(doc_files.get(t, [])) for t in r},
                {t: by_task[t] for t in r},
                self.partitions,
                self.root,
            )
            for w, r in enumerate(self.ranges)
        ]

    def stage(
        self, kind: str, method: str, args: list[tuple[Any, ...]], remember: bool = True
    ) -> list[StageTask]:
        """A stage's tasks, named ``kind-i`` (unique in the resolve, for the resume markers)."""
        return [StageTask(f"{kind}-{i:05d}", method, a, self.root, remember) for i, a in enumerate(args)]


def _remove(folder: Path) -> None:
    """Delete a scratch folder so that a stop half-way cannot leave markers without their files:
    it is first renamed aside (atomic), then deleted."""
    if not folder.exists():
        return
    trash = folder.with_name(f"{folder.name}.trash")
    shutil.rmtree(trash, ignore_errors=True)
    os.replace(folder, trash)
    shutil.rmtree(trash, ignore_errors=True)


def _total(figures: list[dict[str, int]], key: str) -> int:
    return sum(int(f.get(key, 0)) for f in figures)


def _mkdir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _groups_by_rows(
    files: list[tuple[int, Path]], sizes: list[int], rows: int
) -> list[list[tuple[int, Path]]]:
    """Consecutive signature files grouped so that a group holds about ``rows`` rows (a file larger
    than that is a group of its own)."""
    groups: list[list[tuple[int, Path]]] = [[]]
    held = 0
    for item, size in zip(files, sizes, strict=True):
        if groups[-1] and held + size > rows:
            groups.append([])
            held = 0
        groups[-1].append(item)
        held += size
    return groups


PAIRS_AT_ONCE = 1 << 21
"""Candidate pairs generated before the repeats among them are dropped: a cluster of near copies
shares a bucket in most of the 32 bands, so its pairs come up to 32 times."""


def bucket_pairs_unique(
    bucket: np.ndarray, gid: np.ndarray, slice_rows: int = 1 << 18, at_once: int = PAIRS_AT_ONCE
) -> np.ndarray:
    """The unique candidate pairs of sorted buckets, generated a slice of buckets at a time and
    compacted as they go, so memory follows the unique pairs, not their repeats across bands.

    Documents are renumbered densely within the partition (in order), so a pair is one 64-bit
    number while it is collected: half the memory of two ids, and a plain sort to drop repeats.
    """
    if bucket.shape[0] == 0:
        return np.zeros(0, PAIR)
    nodes, local = dense_ranks(gid)
    n = np.int64(nodes.shape[0])
    starts = np.flatnonzero(np.concatenate([[True], bucket[1:] != bucket[:-1]]))
    at = np.searchsorted(starts, np.arange(0, bucket.shape[0], slice_rows))
    cuts = np.concatenate([np.unique(starts[at[at < starts.shape[0]]]), [bucket.shape[0]]])
    kept = np.zeros(0, np.int64)
    pending: list[np.ndarray] = []
    held = 0
    for s, e in itertools.pairwise(cuts):
        pairs = bucket_pairs(bucket[s:e], local[s:e])
        pending.append(pairs["a"] * n + pairs["b"])
        held += pairs.shape[0]
        if held > max(at_once, kept.shape[0]):
            kept, pending, held = sorted_unique(np.concatenate([kept, *pending])), [], 0
    kept = sorted_unique(np.concatenate([kept, *pending]))
    out = np.zeros(kept.shape[0], PAIR)
    out["a"], out["b"] = nodes[kept // n], nodes[kept % n]
    return out


def _section_paths(folder: Path, source: int) -> tuple[Path, Path]:
    return folder / f"s{source:05d}.npy", folder / f"s{source:05d}.ends.npy"


def _save_sections(folder: Path, source: int, sections: Sequence[np.ndarray], dtype: np.dtype) -> int:
    """One source's output for every target, end to end in one file, with the end of each target's
    section in a second: a stage writes as many files as it has tasks, not tasks × targets (a
    thousand partitions would otherwise mean a million files per stage). Returns the bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    data_path, ends_path = _section_paths(folder, source)
    ends = np.cumsum([part.shape[0] for part in sections], dtype=np.int64)
    total = int(ends[-1]) if ends.shape[0] else 0
    with replaced_atomically(data_path) as tmp, open(tmp, "wb") as out:
        np.lib.format.write_array_header_1_0(
            out, {"descr": np.lib.format.dtype_to_descr(dtype), "fortran_order": False, "shape": (total,)}
        )
        for part in sections:
            out.write(np.ascontiguousarray(part, dtype=dtype).tobytes())
    save_array(ends_path, ends)
    return total * dtype.itemsize


def _write_parts(folder: Path, source: int, array: np.ndarray, target: np.ndarray, targets: int) -> int:
    """Split ``array`` by ``target`` and save the sections; every target gets one, even empty, so
    a reader knows exactly what to expect. Returns the bytes written."""
    return _save_sections(folder, source, _split(array, target, targets), array.dtype)


def _split(array: np.ndarray, target: np.ndarray, targets: int) -> list[np.ndarray]:
    """``array`` cut by ``target`` into ``targets`` arrays, each in its original order."""
    # a stable sort of small integers is a radix sort in numpy: linear, not n log n
    order = np.argsort(target.astype(np.int16 if targets < 1 << 15 else np.int64), kind="stable")
    ends = np.cumsum(np.bincount(target, minlength=targets))
    taken = array[order]
    return [taken[(ends[t - 1] if t else 0) : ends[t]] for t in range(targets)]


def _read_parts(folder: Path, target: int, sources: int, dtype: np.dtype) -> np.ndarray:
    """Every source's section for ``target``, concatenated in source order, into one array
    allocated once (holding the sections and their concatenation would double the peak)."""
    spans = []
    for source in range(sources):
        data_path, ends_path = _section_paths(folder, source)
        ends = load_array(ends_path)
        spans.append((data_path, int(ends[target - 1]) if target else 0, int(ends[target])))
    out = np.zeros(sum(end - start for _, start, end in spans), dtype)
    at = 0
    for path, start, end in spans:
        if end > start:
            data = np.load(path, mmap_mode="r")
            out[at : at + end - start] = data[start:end]
            del data
        at += end - start
    return out


def _write_table_parts(folder: Path, source: int, table: pa.Table, target: np.ndarray, targets: int) -> int:
    """As ``_write_parts``, for tables with strings: one Arrow IPC file per source, a record batch
    per target, of which a reader reads only its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"s{source:05d}.arrow"
    with (
        replaced_atomically(path) as tmp,
        pa.OSFile(str(tmp), "wb") as sink,
        pa.ipc.new_file(sink, table.schema) as writer,
    ):
        for part in split_rows(table, target.astype(np.int64), targets):
            writer.write_batch(
                pa.RecordBatch.from_pylist([], schema=table.schema)
                if not part.num_rows
                else part.combine_chunks().to_batches()[0]
            )
    return path.stat().st_size


def _read_table_parts(folder: Path, target: int, sources: int, schema: pa.Schema) -> pa.Table:
    batches = []
    for source in range(sources):
        with pa.OSFile(str(folder / f"s{source:05d}.arrow")) as source_file:  # reads only that batch
            batches.append(pa.Table.from_batches([pa.ipc.open_file(source_file).get_batch(target)]))
    return pa.concat_tables(batches).cast(schema) if batches else schema.empty_table()


def _local(nodes: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Each id's position in ``nodes`` (sorted), or -1 when it is not there."""
    if nodes.shape[0] == 0:
        return np.full(gid.shape, -1, np.int64)
    at = np.minimum(np.searchsorted(nodes, gid), nodes.shape[0] - 1)
    return np.where(nodes[at] == gid, at, -1).astype(np.int64)
