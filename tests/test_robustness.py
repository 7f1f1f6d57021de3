"""The ways a run can go wrong that a reviewer found: each must end in a clear outcome, not lost data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taoyu import Pipeline
from taoyu.executors.task import RunContext, TaskResult, run_task_phase
from taoyu.io.tasks import Task
from taoyu.output import OutputConflictError, OutputLayout, write_json_atomic
from taoyu.recipe import parse_recipe
from taoyu.steps.html_to_text import HtmlToText
from taoyu.steps.length import LengthFilter

from .conftest import assert_reconciles, ledger_rows, run_cli, text_records, write_jsonl, write_recipe


def test_input_field_with_a_column_name_but_another_type_stays_in_meta(tmp_path: Path):
    records = [
        {"text": "一段足够长的中文文本内容", "title": 5},
        {"text": "另一段足够长的中文文本", "title": "标题"},
    ]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    out = tmp_path / "out"
    Pipeline([HtmlToText(), LengthFilter(min_chars=1)]).run([str(path)], out, workers=1)
    import pyarrow.parquet as pq

    rows = pq.read_table(out / "data").to_pylist()
    assert rows[0]["title"] is None and json.loads(rows[0]["meta"])["title"] == 5
    assert rows[1]["title"] == "标题"


def test_a_task_with_a_marker_is_not_redone(tmp_path: Path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(3))
    recipe = parse_recipe(
        {"steps": [{"step": "length_filter", "min_chars": 1}], "output": {"path": str(tmp_path / "o")}}
    )
    ctx = RunContext(recipe, tmp_path / "o")
    ctx.layout.tmp.mkdir(parents=True)
    task = Task(0, "jsonl", (str(path),), size=path.stat().st_size)
    first = run_task_phase(ctx, task, 0)
    shard = next((tmp_path / "o" / "data").glob("*.parquet"))
    stamp = shard.stat().st_mtime_ns
    again = run_task_phase(ctx, task, 0)
    assert again == first and shard.stat().st_mtime_ns == stamp
    assert isinstance(again, TaskResult)


def test_overwrite_never_deletes_a_folder_taoyu_did_not_write(tmp_path: Path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(2)))]
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputConflictError, match="not written by taoyu"):
        Pipeline([LengthFilter()]).run(inputs, precious, overwrite=True)
    assert (precious / "thesis.txt").exists()


def test_output_folder_holding_the_inputs_is_refused(tmp_path: Path):
    (tmp_path / "data").mkdir()
    path = write_jsonl(tmp_path / "data" / "a.jsonl", text_records(2))
    with pytest.raises(OutputConflictError, match="contains the input"):
        Pipeline([LengthFilter()]).run([str(path)], tmp_path)


def test_a_second_run_into_a_locked_folder_is_refused(tmp_path: Path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(2)))]
    out = tmp_path / "out"
    Pipeline([LengthFilter()]).run(inputs, out)
    held = OutputLayout(out).lock()
    try:
        with pytest.raises(OutputConflictError, match="another taoyu run"):
            Pipeline([LengthFilter()]).run(inputs, out)
    finally:
        held.close()


def test_resume_survives_other_spellings_of_the_same_paths(tmp_path: Path):
    data = tmp_path / "in"
    data.mkdir()
    write_jsonl(data / "a.jsonl", text_records(3))
    Pipeline([LengthFilter(min_chars=1)]).run([str(data) + "/"], str(tmp_path / "out") + "/")
    again = Pipeline([LengthFilter(min_chars=1)]).run([str(data)], tmp_path / "out")
    assert again.resumed


def test_changing_keep_rejects_on_resume_is_refused(tmp_path: Path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(2)))]
    out = tmp_path / "out"
    Pipeline([LengthFilter()]).run(inputs, out)
    with pytest.raises(OutputConflictError, match="--keep-rejects"):
        Pipeline([LengthFilter()]).run(inputs, out, keep_rejects=True)


def test_stats_says_an_unfinished_run_is_unfinished(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", text_records(4))
    out = tmp_path / "out"
    run_cli("run", str(write_recipe(tmp_path / "r.yaml", [data], out, "- step: length_filter\n")), check=True)
    (out / "run.json").unlink()
    proc = run_cli("stats", str(out))
    assert proc.returncode == 1 and "incomplete" in proc.stderr


def test_truncated_zstd_jsonl_is_reported(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl.zst", text_records(3000), "zst").read_bytes()
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(data[: len(data) - 50])
    out = tmp_path / "out"
    summary = Pipeline([LengthFilter(min_chars=1)]).run([str(path)], out, workers=1)
    [error] = [r for r in ledger_rows(out) if r["outcome"] == "input_error"]
    assert "truncated" in error["reason"]
    assert summary.funnel.reconciles


def test_a_crash_in_the_middle_of_a_commit_leaves_nothing_half_published(tmp_path: Path, monkeypatch):
    from taoyu.io import writers

    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(5)))]
    out = tmp_path / "out"
    calls = {"n": 0}
    real_finish = writers.ShardWriter.finish

    def failing_finish(self):
        calls["n"] += 1
        if calls["n"] == 2:  # the second writer of the task fails while encoding
            raise RuntimeError("disk full")
        return real_finish(self)

    monkeypatch.setattr(writers.ShardWriter, "finish", failing_finish)
    with pytest.raises(RuntimeError, match="disk full"):
        Pipeline([LengthFilter(min_chars=1)]).run(inputs, out, workers=1)
    assert not list((out / "ledger").glob("*.parquet")) and not list((out / "data").glob("*.parquet"))
    monkeypatch.setattr(writers.ShardWriter, "finish", real_finish)
    Pipeline([LengthFilter(min_chars=1)]).run(inputs, out, workers=1)
    assert_reconciles(out, 5)


def test_marker_written_only_after_outputs(tmp_path: Path):
    layout = OutputLayout(tmp_path)
    write_json_atomic(layout.task_marker(0, 1), {"x": 1})
    assert json.loads(layout.task_marker(0, 1).read_text()) == {"x": 1}
    assert not list(layout.task_marker(0, 1).parent.glob(".*tmp*"))
