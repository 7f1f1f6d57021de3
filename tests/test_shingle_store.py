"""The shingle sets near dedup's verification reads (taoyu.dedup.shingle_store), on real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from taoyu.dedup.shingle_store import set_paths, write_task_sets


def _shard(path: Path, texts: list[str]) -> Path:
    pq.write_table(pa.table({"text": texts}), path)
    return path


def test_a_task_writes_one_set_per_row_it_was_asked_for(tmp_path: Path) -> None:
    shard = _shard(
        tmp_path / "docs.parquet", ["杭州今天下雨了，西湖边人很少。", "短", "宁波港的货运量再创新高。"]
    )
    written = write_task_sets(tmp_path / "sets", 3, np.array([0, 2]), [shard], shingle_size=3)
    data, index = set_paths(tmp_path / "sets", 3)
    assert written == data.stat().st_size + np.load(index).nbytes
    assert np.load(index)["row"].tolist() == [0, 2]


def test_a_row_past_the_shards_publishes_nothing(tmp_path: Path) -> None:
    """A candidate pair that names a row the task's shards do not hold is an error, and neither
    file of the task appears: a reader must never find sets that stop short."""
    shard = _shard(tmp_path / "docs.parquet", ["杭州今天下雨了，西湖边人很少。", "宁波港的货运量再创新高。"])
    with pytest.raises(ValueError, match="row 5 is in a candidate pair"):
        write_task_sets(tmp_path / "sets", 0, np.array([1, 5]), [shard], shingle_size=3)
    assert sorted(p.name for p in (tmp_path / "sets").iterdir()) == []
