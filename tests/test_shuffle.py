"""The keyed resolve of exact dedup and repeated lines: any split into partitions, maps and decision
writers (what the Ray executor does across machines) writes the decisions of the one-process resolve."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from taoyu.document import Document, Source
from taoyu.steps.base import KeyedResolve, merge_figures, split_rows
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.repeated_lines import RepeatedLines

from .conftest import PARAGRAPHS


def _docs(rng: random.Random, task: int, n: int) -> list[Document]:
    lines = [f"{p}第{k}段" for k, p in enumerate(PARAGRAPHS * 4)] + ["首页 | 新闻 | 登录", "打开APP阅读全文"]
    docs = []
    for i in range(n):
        if rng.random() < 0.3:
            text = f"重复的一段话，编号{rng.randint(0, 12)}。"
        else:
            text = "\n".join(rng.sample(lines, rng.randint(0, 9)))
        url = f"https://s{rng.randint(0, 3)}.example.cn/{rng.randint(0, 40)}" if rng.random() < 0.9 else None
        docs.append(Document(f"d{task}-{i}", text, Source(f"f{task}", i, 0, None), url, {}, None, []))
    return docs


def _signature_files(step: KeyedResolve, tmp_path: Path, seed: int) -> list[tuple[int, Path]]:
    rng = random.Random(seed)
    files = []
    for t in range(7):
        docs = _docs(rng, t, rng.choice([0, 1, 25, 60]))
        rows = [{"row": i, **s} for i, s in enumerate(step.signatures(docs))]
        path = tmp_path / f"sigs-{t:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=step.signature_schema), path)
        files.append((t * 2, path))  # task indices with gaps, as after a resume
    return files


def _decisions(directory: Path) -> dict[str, list[dict]]:
    return {p.name: pq.read_table(p).to_pylist() for p in sorted(directory.glob("*.parquet"))}


def _shuffled(step: KeyedResolve, files, out: Path, maps: int, partitions: int, writers: int) -> dict:
    """The Ray executor's shuffle, in process: maps over groups of files, reduces per partition,
    decision rows routed to writers by task range."""
    groups = [files[i * len(files) // maps : (i + 1) * len(files) // maps] for i in range(maps)]
    mapped = [step.shuffle_map(g, partitions) for g in groups]
    reduced = [step.shuffle_reduce([m[0][p] for m in mapped]) for p in range(partitions)]
    tasks = sorted(t for t, _ in files)
    bounds = np.array([tasks[len(tasks) * w // writers] for w in range(writers)])
    routed = [
        split_rows(rows, np.searchsorted(bounds, rows.column("task").to_numpy(), side="right") - 1, writers)
        for rows, _ in reduced
    ]
    written = [step.write_decisions([r[w] for r in routed], out) for w in range(writers)]
    return merge_figures([m[1] for m in mapped] + [r[1] for r in reduced] + written)


@pytest.mark.parametrize(
    "step",
    [ExactDedup(), ExactDedup(on="url"), RepeatedLines(site_min_docs=2, global_min_docs=5)],
    ids=["exact-text", "exact-url", "repeated-lines"],
)
@pytest.mark.parametrize("maps,partitions,writers", [(1, 4, 1), (3, 5, 2), (7, 16, 7)])
def test_any_shuffle_writes_the_one_process_decisions(tmp_path, step, maps, partitions, writers):
    files = _signature_files(step, tmp_path, seed=partitions)
    expected = step.resolve(files, tmp_path / "one")
    assert _decisions(tmp_path / "one"), "the corpus should give some decisions"
    assert _shuffled(step, files, tmp_path / "many", maps, partitions, writers) == expected
    assert _decisions(tmp_path / "many") == _decisions(tmp_path / "one")


def test_an_empty_resolve_keeps_its_figures(tmp_path):
    assert ExactDedup().resolve([], tmp_path / "d") == {"documents": 0, "duplicates": 0}
    assert RepeatedLines().resolve([], tmp_path / "d") == {
        "documents": 0,
        "boilerplate_lines": 0,
        "documents_edited": 0,
    }
