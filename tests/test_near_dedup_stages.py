"""Near dedup's staged resolve: the same decisions whatever the number of partitions, the executor,
or a worker killed half-way, and the same decisions as the rule stated in plain Python."""

from __future__ import annotations

import hashlib
import itertools
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu import Document, Pipeline, Source
from taoyu.dedup.graph import (
    PAIR,
    SMALL_BUCKET,
    both_directions,
    bucket_pairs,
    dense_ranks,
    large_star,
    small_star,
    sorted_unique,
    star_labels,
    unique_pairs,
)
from taoyu.dedup.minhash import overlap, shingle_sets
from taoyu.recipe import RunConfig
from taoyu.steps.base import drive_plan, run_stage_task
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.near_dedup import BAND_ROW, BAND_SORT_FACTOR, NearDedup, bucket_pairs_unique

from .conftest import REPO, run_cli, write_jsonl, write_plugin, write_recipe
from .test_dedup import edited, random_text


def clusters(n: int, pairs) -> dict[int, list[int]]:
    """Union-find in plain Python: the members of every cluster of more than one document."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), []).append(x)
    return {root: m for root, m in groups.items() if len(m) > 1}


def components(edges: np.ndarray, max_rounds: int = 200) -> np.ndarray:
    """(node, label) for every node of ``edges``, label = the smallest node of its component, by
    large-star/small-star rounds in one process, as near dedup's stages run them partitioned."""
    current = both_directions(edges)
    for _ in range(max_rounds):
        large, moved_large = large_star(current)
        small, moved_small = small_star(large)
        current = both_directions(small)
        if moved_large == 0 and moved_small == 0:
            return star_labels(current)
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


# --- the graph functions --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=80))
def test_components_match_union_find(edge_list):
    edges = np.array([(a, b) for a, b in edge_list if a != b], dtype=np.int64).reshape(-1, 2)
    pairs = np.zeros(edges.shape[0], PAIR)
    pairs["a"], pairs["b"] = edges[:, 0], edges[:, 1]
    labels = {int(a): int(b) for a, b in components(pairs)}
    expected = {m: min(group) for group in clusters(41, [tuple(e) for e in edges]).values() for m in group}
    assert labels == expected


def test_connected_components_label_each_document_with_its_smallest():
    edges = np.array([(0, 1), (2, 1), (4, 5)], PAIR)
    assert {int(a): int(b) for a, b in components(edges)} == {0: 0, 1: 0, 2: 0, 4: 4, 5: 4}


def test_star_rounds_report_no_change_only_on_stars():
    star = np.array([(1, 0), (2, 0), (3, 0)], PAIR)  # (larger, smaller)
    assert small_star(star)[1] == 0
    both = np.concatenate([star, np.array([(0, 1), (0, 2), (0, 3)], PAIR)])
    assert large_star(both)[1] == 0
    path = np.array([(1, 0), (2, 1)], PAIR)
    assert large_star(np.concatenate([path, path[["b", "a"]].astype(PAIR)]))[1] == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=0, max_size=120))
def test_bucket_pairs_are_all_pairs_in_small_buckets_and_star_plus_chain_in_large(keys):
    keys = np.sort(np.array(keys, np.int64))
    members = np.arange(keys.shape[0], dtype=np.int64) * 3  # sorted within each bucket
    got = {(int(a), int(b)) for a, b in bucket_pairs(keys, members)}
    want = set()
    for _, group in itertools.groupby(range(keys.shape[0]), key=lambda i: keys[i]):
        m = [int(members[i]) for i in group]
        if len(m) <= SMALL_BUCKET:
            want |= set(itertools.combinations(m, 2))
        else:
            want |= {(m[0], x) for x in m[1:]} | set(itertools.pairwise(m))
    assert got == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=0, max_size=200), st.integers(1, 50), st.integers(1, 60))
def test_pairs_made_a_slice_of_buckets_at_a_time_are_all_the_pairs_once(keys, slice_rows, at_once):
    keys = np.sort(np.array(keys, np.uint64))
    members = np.arange(keys.shape[0], dtype=np.int64)
    whole = unique_pairs(bucket_pairs(keys, members))
    sliced = bucket_pairs_unique(keys, members, slice_rows=slice_rows, at_once=at_once)
    assert sliced.tolist() == whole.tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2**62), 2**62), max_size=60))
def test_dense_ranks_and_sorted_unique_are_numpys_unique(values):
    values = np.array(values, np.int64)
    nodes, ranks = dense_ranks(values)
    expected, inverse = np.unique(values, return_inverse=True)
    assert nodes.tolist() == expected.tolist() == sorted_unique(values).tolist()
    assert ranks.tolist() == inverse.ravel().tolist()


# --- the resolve against the rule in plain Python -------------------------------------------------


def _corpus(seed: int) -> list[Document]:
    """Originals, edited copies, copies of copies, truncations, and a template bucket larger than
    SMALL_BUCKET, with crawl dates and quality scores for every keeper rule."""
    rng = random.Random(seed)
    texts = []
    for _ in range(25):
        base = random_text(rng, rng.randint(150, 400))
        texts.append(base)
        for _ in range(rng.randint(0, 3)):
            kind = rng.random()
            if kind < 0.4:
                texts.append(edited(rng, rng.choice(texts[-3:]), rng.choice([0.02, 0.08, 0.15])))
            elif kind < 0.7:
                texts.append(base[: len(base) * 2 // 3])
            else:
                texts.append(random_text(rng, 60) + base)
    template = random_text(rng, 300)
    texts += [template + random_text(rng, 4) for _ in range(SMALL_BUCKET + 15)]
    texts += ["", "。。。"]
    rng.shuffle(texts)
    return [
        Document(
            f"d{i:03d}",
            t,
            Source("f", i, 0, None),
            meta={"crawl_date": f"2024-{1 + i % 12:02d}-01" if i % 4 else None, "hq_score": rng.random()},
        )
        for i, t in enumerate(texts)
    ]


def _write_tasks(step: NearDedup, docs: list[Document], root: Path, tasks: int):
    files, texts = [], {}
    for t in range(tasks):
        part = docs[t::tasks]
        rows = [{"row": i, **s} for i, s in enumerate(step.signatures(part))]
        sig = root / f"sigs-{t:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=step.signature_schema), sig)
        text = root / f"docs-{t:05d}.parquet"
        pq.write_table(pa.table({"text": [d.text for d in part]}), text)
        files.append((t * 2 + 1, sig))  # task numbers with gaps, as after a resume
        texts[t * 2 + 1] = [text]
    return files, texts


def _decisions(folder: Path) -> dict[str, list[dict]]:
    return {p.name: pq.read_table(p).to_pylist() for p in sorted(folder.glob("*.parquet"))}


def _rule_in_plain_python(step: NearDedup, docs: list[Document], tasks: int) -> dict[str, list[dict]]:
    """The near-dedup rule as the single-process resolve stated it, over the same task split."""
    p = step.params
    order = [(t * 2 + 1, i, d) for t in range(tasks) for i, d in enumerate(docs[t::tasks])]
    sigs = step.signatures([d for _, _, d in order])
    sets = shingle_sets([d.text for _, _, d in order], p.shingle_size)
    sets = [np.unique(s.astype(np.uint32)) for s in sets]
    candidates = set()
    for b in range(p.bands):
        buckets: dict[int, list[int]] = {}
        for g, sig in enumerate(sigs):
            if not sig["empty"]:
                buckets.setdefault(sig[f"b{b:03d}"], []).append(g)
        for m in buckets.values():
            if len(m) <= SMALL_BUCKET:
                candidates |= set(itertools.combinations(m, 2))
            else:
                candidates |= {(m[0], x) for x in m[1:]} | set(itertools.pairwise(m))
    measured = {pair: overlap(sets[pair[0]], sets[pair[1]]) for pair in candidates}
    edges = [pair for pair, (j, c) in measured.items() if j >= p.jaccard or c >= p.containment]
    near = {}
    for (a, b), (j, _) in measured.items():
        if j >= p.jaccard:
            near.setdefault(a, set()).add(b)
            near.setdefault(b, set()).add(a)

    def rank(g: int):
        doc = order[g][2]
        return {
            "longest": (-len(doc.text), doc.id),
            "earliest": (doc.meta["crawl_date"] is None, doc.meta["crawl_date"] or "", doc.id),
            "quality": (-doc.meta["hq_score"], doc.id),
            "first": (g,),
        }[p.keep]

    out: dict[str, list[dict]] = {}
    for members in clusters(len(order), edges).values():
        keeper = min(members, key=rank)
        link = {m: overlap(sets[m], sets[keeper]) for m in members if m != keeper}
        passes = {m for m, (j, c) in link.items() if j >= p.jaccard or c >= p.containment}
        for m, (j, c) in link.items():
            if m in passes or not near.get(m, set()).isdisjoint(passes):
                task, row, _ = order[m]
                out.setdefault(f"{task:05d}.parquet", []).append(
                    {
                        "row": row,
                        "dup_of": order[keeper][2].id,
                        "cluster": order[keeper][2].id,
                        "jaccard": j,
                        "containment": c,
                    }
                )
    return {k: sorted(v, key=lambda r: r["row"]) for k, v in sorted(out.items())}


@pytest.mark.parametrize("keep", ["longest", "earliest", "quality", "first"])
def test_decisions_are_the_rule_for_any_partition_count(tmp_path: Path, keep: str):
    step = NearDedup(keep=keep)
    docs = _corpus(seed=7)
    files, texts = _write_tasks(step, docs, tmp_path, tasks=5)
    expected = _rule_in_plain_python(step, docs, tasks=5)
    assert sum(len(v) for v in expected.values()) > 20
    for partitions in (1, 3, 8):
        out = tmp_path / f"decisions-{partitions}"
        plan = step.plan(files, out, texts, tmp_path / f"scratch-{partitions}", partitions)
        summary = drive_plan(plan, lambda stage: [run_stage_task(step, t) for t in stage])
        assert summary["partitions"] == partitions
        assert _decisions(out) == expected, f"{partitions} partitions"
        assert not (tmp_path / f"scratch-{partitions}").exists()


def test_partitions_grow_with_the_corpus_to_fit_the_memory_budget():
    step = NearDedup(task_memory_mb=512)
    assert step.partitions_for(100_000, 0) == 1
    assert step.partitions_for(100_000, 4) == 4
    ten_million = step.partitions_for(10_000_000, 2)
    assert ten_million >= 30
    # a partition's band rows, sorted, fit in the budget
    assert BAND_SORT_FACTOR * 10_000_000 * 32 * BAND_ROW.itemsize / ten_million <= 512 << 20


# --- whole runs: partitions on the local pool, killed workers --------------------------------------


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def _inputs(tmp_path: Path) -> Path:
    docs = _corpus(seed=3)
    d = tmp_path / "in"
    d.mkdir()
    for k in range(3):
        write_jsonl(d / f"part{k}.jsonl", [{"id": x.id, "text": x.text} for x in docs[k::3]])
    return d


def test_local_runs_write_the_same_output_for_any_partition_count(tmp_path: Path):
    inputs = _inputs(tmp_path)
    outputs = []
    for partitions, workers in ((1, 1), (3, 2), (8, 2)):
        out = tmp_path / f"p{partitions}"
        Pipeline([ExactDedup(), NearDedup()], run=RunConfig(partitions=partitions)).run(
            [str(inputs)], out, workers=workers
        )
        outputs.append({sub: _digest(out / sub) for sub in ("data", "ledger")})
        log = (out / "logs" / "run.log").read_text()
        assert f"'partitions': {partitions}" in log
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_worker_killed_in_the_resolve_is_rerun_to_the_same_output(tmp_path: Path):
    inputs = _inputs(tmp_path)
    plugin = write_plugin(tmp_path / "plugin")
    env = {"PYTHONPATH": f"{plugin}:{REPO / 'src'}"}

    def recipe(name: str, marker: Path | None) -> Path:
        step = f"- step: near_dedup_kill_resolve\n  marker_dir: {str(marker) if marker else 'null'}\n"
        return write_recipe(
            tmp_path / f"{name}.yaml", [str(inputs)], tmp_path / name, step, extra="run: {partitions: 3}\n"
        )

    run_cli("run", str(recipe("ref", None)), "--workers", "1", env=env, check=True)
    kills = tmp_path / "kills"
    proc = run_cli("run", str(recipe("killed", kills)), "--workers", "2", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # every verify and keeper task's worker died once (3 partitions each), and the pool re-ran them
    assert len(list(kills.glob("verify-*.killed"))) == 3
    assert len(list(kills.glob("keepers-*.killed"))) == 3
    for sub in ("data", "ledger"):
        assert _digest(tmp_path / "killed" / sub) == _digest(tmp_path / "ref" / sub)
