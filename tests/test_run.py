"""Whole runs on real files: ledger reconciliation, determinism, resume, refusal, strictness."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from taoyu import Pipeline
from taoyu.executors.task import StrictModeError
from taoyu.output import OutputConflictError
from taoyu.registry import register
from taoyu.steps.base import Transform
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.html_to_text import HtmlToText
from taoyu.steps.length import LengthFilter

from .conftest import (
    REPO,
    article_html,
    assert_reconciles,
    ledger_rows,
    run_cli,
    text_records,
    write_jsonl,
    write_recipe,
    write_warc,
)
from .zh_fixtures import TEA


def _tree_digest(root: Path, sub: str) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / sub).glob("*"))}


def _mixed_inputs(tmp_path: Path) -> list[str]:
    """Several files so runs have several tasks, with duplicates across files."""
    d = tmp_path / "in"
    d.mkdir()
    pages = [
        (f"https://example.cn/{i}", article_html(i % 7).encode(), "text/html; charset=utf-8")
        for i in range(12)
    ]
    write_warc(d / "a.warc.gz", pages[:6])
    write_warc(d / "b.warc.gz", pages[6:])
    recs = text_records(30)
    write_jsonl(d / "c.jsonl", recs[:15] + recs[:5])
    write_jsonl(d / "d.jsonl.gz", recs[10:30], "gz")
    return [str(d)]


def _pipeline() -> Pipeline:
    return Pipeline([HtmlToText(), LengthFilter(min_chars=20), ExactDedup()])


def test_run_reconciles_and_loads_with_datasets(tmp_path: Path):
    out = tmp_path / "out"
    summary = _pipeline().run(_mixed_inputs(tmp_path), out, workers=1)
    assert summary.funnel.records_in == 12 + 20 + 20
    assert_reconciles(out, 52)
    rows = ledger_rows(out)
    dups = [r for r in rows if r["reason"] == "exact_duplicate"]
    assert dups and all(json.loads(r["details"])["dup_of"] for r in dups)
    assert {r["outcome"] for r in rows} == {"kept", "dropped"}

    import datasets

    ds = datasets.load_dataset("parquet", data_dir=str(out / "data"), split="train")
    assert len(ds) == summary.funnel.kept
    assert {"id", "text", "url", "title", "meta"} <= set(ds.column_names)

    run_info = json.loads((out / "run.json").read_text())
    assert {i["format"] for i in run_info["inputs"]} == {"warc", "jsonl"}
    assert all(len(i["sha256"]) == 64 for i in run_info["inputs"])
    assert run_info["versions"]["taoyu"] and (out / "recipe.yaml").exists()
    assert "phase 0" in (out / "logs" / "run.log").read_text()


def test_two_runs_are_byte_identical_whatever_the_worker_count(tmp_path: Path):
    inputs = _mixed_inputs(tmp_path)
    _pipeline().run(inputs, tmp_path / "one", workers=1)
    _pipeline().run(inputs, tmp_path / "two", workers=2)
    for sub in ("data", "ledger"):
        assert _tree_digest(tmp_path / "one", sub) == _tree_digest(tmp_path / "two", sub)
    assert len(_tree_digest(tmp_path / "one", "data")) == 4


def test_bad_inputs_are_counted_and_the_run_goes_on(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    write_jsonl(d / "good.jsonl", text_records(3))
    (d / "bad.jsonl").write_bytes(
        b'{"text": "ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok"}\n{oops\n\xff\xfe\n'
    )
    (d / "empty.jsonl").write_bytes(b"")
    full = gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in text_records(500)))
    (d / "cut.jsonl.gz").write_bytes(full[: len(full) // 2])
    write_warc(d / "w.warc.gz", [("https://x.cn/1", article_html(1).encode(), "text/html")])
    (d / "junk.warc.gz").write_bytes(b"\x00\x01 not a warc at all" * 10)
    big = b"<html><body>" + b"a" * (50 * 2**20) + b"</body></html>"
    write_warc(d / "big.warc.gz", [("https://x.cn/big", big, "text/html")])
    out = tmp_path / "out"
    summary = _pipeline().run([str(d)], out, workers=2)
    rows = ledger_rows(out)
    errors = [r for r in rows if r["outcome"] == "input_error"]
    by_file = {Path(r["source_file"]).name: r for r in errors}
    assert set(by_file) == {"bad.jsonl", "empty.jsonl", "cut.jsonl.gz", "junk.warc.gz", "big.warc.gz"}
    assert "exceeds" in by_file["big.warc.gz"]["reason"]
    assert "empty" in by_file["empty.jsonl"]["reason"]
    assert "truncated" in by_file["cut.jsonl.gz"]["reason"]
    bad_rows = [r for r in errors if r["source_file"].endswith("bad.jsonl")]
    assert len(bad_rows) == 2 and all(r["source_offset"] is not None for r in bad_rows)
    assert summary.funnel.kept >= 4
    assert summary.funnel.reconciles


def test_strict_stops_at_first_input_error_naming_file_and_offset(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "fine"}\n{oops\n')
    with pytest.raises(StrictModeError, match=r"bad\.jsonl at byte 17"):
        _pipeline().run([str(path)], tmp_path / "out", workers=1, strict=True)
    proc = run_cli(
        "run",
        str(write_recipe(tmp_path / "r.yaml", [path], tmp_path / "out2", "- step: length_filter\n")),
        "--strict",
    )
    assert proc.returncode == 1
    assert "bad.jsonl at byte 17" in proc.stderr and "Traceback" not in proc.stderr


@register("test_explode")
class _Explode(Transform):
    """Fails on documents that mention 'boom', to test per-record error isolation."""

    def edit(self, doc):
        if "boom" in doc.text:
            raise ValueError("cannot handle boom")
        return doc.text, {}


def test_a_step_crashing_on_one_record_is_an_input_error_for_that_record(tmp_path: Path):
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"text": "fine text here"}, {"text": "boom"}, {"text": "more fine text"}]
    )
    out = tmp_path / "out"
    summary = Pipeline([_Explode()]).run([str(path)], out, workers=1)
    assert (summary.funnel.kept, summary.funnel.input_errors) == (2, 1)
    [err] = [r for r in ledger_rows(out) if r["outcome"] == "input_error"]
    assert err["step"] == "test_explode" and "cannot handle boom" in err["reason"]


def test_ledger_keeps_input_order_across_step_batches_with_failures_between(tmp_path: Path):
    from taoyu.steps.base import STEP_BATCH as B

    n = B + 86
    records = text_records(n)
    for i in (10, B, n - 1):
        records[i] = {"text": "boom"}
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for i in (B - 1, B + 36):  # an unreadable line at the end of the first batch and inside the second
        lines[i] = "{not json"
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = Pipeline([_Explode(), LengthFilter(min_chars=5)]).run([str(path)], out, workers=1)
    rows = ledger_rows(out)
    assert [r["source_index"] for r in rows] == list(range(n))
    failed = {r["source_index"]: r["step"] for r in rows if r["outcome"] == "input_error"}
    assert failed == {
        10: "test_explode",
        B - 1: "read",
        B: "test_explode",
        B + 36: "read",
        n - 1: "test_explode",
    }
    assert (summary.funnel.kept, summary.funnel.input_errors) == (n - 5, 5)


def test_input_fields_named_like_a_steps_counts_are_replaced_not_fatal(tmp_path: Path):
    from taoyu.steps.chrome_lines import ChromeLines
    from taoyu.steps.normalize import Normalize
    from taoyu.steps.spam import Spam

    text = "\n".join(TEA) + '\n分享到：微信 微博 QQ空间\n<kbd date-time="x1"></kbd>'
    record = {"text": text, "chrome_lines": ["a list"], "hidden_tags": "none", "tag_residue": {"a": 1}}
    path = write_jsonl(tmp_path / "a.jsonl", [record])
    out = tmp_path / "out"
    summary = Pipeline([Normalize(), ChromeLines(), Spam()]).run([str(path)], out, workers=1)
    assert (summary.funnel.kept, summary.funnel.input_errors) == (1, 0)
    [row] = ledger_rows(out)
    edits = [e["step"] for e in json.loads(row["trace"]) if e["action"] == "edit"]
    assert edits == ["normalize", "chrome_lines"]


def test_changed_recipe_is_refused_unless_overwrite(tmp_path: Path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(5)))]
    out = tmp_path / "out"
    Pipeline([LengthFilter(min_chars=5)]).run(inputs, out)
    again = Pipeline([LengthFilter(min_chars=5)]).run(inputs, out)
    assert again.resumed and again.funnel.kept == 5
    with pytest.raises(OutputConflictError, match="different recipe"):
        Pipeline([LengthFilter(min_chars=500)]).run(inputs, out)
    summary = Pipeline([LengthFilter(min_chars=500)]).run(inputs, out, overwrite=True)
    assert summary.funnel.kept == 0 and not summary.resumed
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "precious.txt").write_text("user data")
    with pytest.raises(OutputConflictError, match="not written by taoyu"):
        Pipeline([LengthFilter()]).run(inputs, tmp_path / "other")


def test_keep_rejects_and_jsonl_output(tmp_path: Path):
    from taoyu.recipe import OutputConfig

    inputs = [
        str(write_jsonl(tmp_path / "a.jsonl", [{"text": "短"}, {"text": "这一条足够长，可以保留下来。"}]))
    ]
    out = tmp_path / "out"
    Pipeline([LengthFilter(min_chars=5)], output=OutputConfig(format="jsonl")).run(
        inputs, out, keep_rejects=True
    )
    [shard] = list((out / "data").glob("*.jsonl"))
    rows = [json.loads(line) for line in shard.read_text().splitlines()]
    assert [r["text"] for r in rows] == ["这一条足够长，可以保留下来。"]
    [rejects] = list((out / "rejects").glob("*.parquet"))
    rejected = pq.read_table(rejects).to_pylist()
    assert rejected[0]["text"] == "短" and rejected[0]["drop_reason"] == "too_short"


def test_shards_roll_over_at_max_rows(tmp_path: Path):
    from taoyu.recipe import OutputConfig

    inputs = [str(write_jsonl(tmp_path / "a.jsonl", text_records(25)))]
    out = tmp_path / "out"
    Pipeline([LengthFilter(min_chars=1)], output=OutputConfig(max_rows_per_shard=10)).run(inputs, out)
    shards = sorted((out / "data").glob("*.parquet"))
    assert [pq.read_metadata(s).num_rows for s in shards] == [10, 10, 5]


# --- resume after a crash: real subprocess runs, killed with SIGKILL -------------------------------


def _slow_recipe(tmp_path: Path, out: Path, files: int = 6, docs: int = 8) -> Path:
    d = tmp_path / "slow_in"
    d.mkdir(exist_ok=True)
    for i in range(files):
        write_jsonl(d / f"part{i}.jsonl", text_records(docs, prefix=f"f{i}") + text_records(2, prefix="f0"))
    return write_recipe(
        tmp_path / f"{out.name}.yaml",
        [d],
        out,
        "- step: slow\n  seconds: 0.05\n- step: length_filter\n  min_chars: 5\n- step: exact_dedup\n",
    )


def _plugin_env(plugin_path: Path, marker: Path | None = None) -> dict:
    env = {"PYTHONPATH": os.pathsep.join([str(plugin_path), str(REPO / "src")])}
    if marker is not None:
        env["TAOYU_TEST_SLOW_MARKER"] = str(marker)
    return env


def _start(recipe: Path, env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "taoyu.cli", "run", str(recipe), *extra],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def _reference_run(tmp_path: Path, plugin_path: Path) -> Path:
    ref = tmp_path / "ref"
    run_cli(
        "run", str(_slow_recipe(tmp_path, ref)), "--workers", "2", env=_plugin_env(plugin_path), check=True
    )
    return ref


def test_resume_after_sigkill_of_the_whole_run_gives_identical_output(tmp_path: Path, plugin_path: Path):
    ref = _reference_run(tmp_path, plugin_path)
    out = tmp_path / "crashed"
    recipe = _slow_recipe(tmp_path, out)
    proc = _start(recipe, _plugin_env(plugin_path), "--workers", "2")
    markers = out / "_taoyu" / "markers"
    _wait_for(lambda: markers.is_dir() and len(list(markers.glob("phase0-*.json"))) >= 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "stats.json").exists(), "the run finished before it could be interrupted"
    done_before = len(list(markers.glob("*.json")))
    second = run_cli("run", str(recipe), "--workers", "2", env=_plugin_env(plugin_path), check=True)
    assert "resumed" in second.stdout and done_before < 6 * 2 + 1
    for sub in ("data", "ledger"):
        assert _tree_digest(out, sub) == _tree_digest(ref, sub)
    assert_reconciles(out, 60)


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def test_sigkill_of_a_worker_is_survived_with_identical_output(tmp_path: Path, plugin_path: Path):
    ref = _reference_run(tmp_path, plugin_path)
    out = tmp_path / "worker_killed"
    marker = tmp_path / "slow_started"
    proc = _start(_slow_recipe(tmp_path, out), _plugin_env(plugin_path, marker), "--workers", "2")
    _wait_for(marker.exists)
    workers = [
        c
        for c in _children(proc.pid)
        if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text(errors="ignore")
    ]
    assert workers, "no worker processes found"
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stderr.decode()
    assert "a worker process died" in (out / "logs" / "run.log").read_text()
    for sub in ("data", "ledger"):
        assert _tree_digest(out, sub) == _tree_digest(ref, sub), stderr.decode()
    assert_reconciles(out, 60)
