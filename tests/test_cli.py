"""The taoyu command, run as a real subprocess, on the built-in example and on broken setups."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from taoyu.executors.ray_local import free_port

from .conftest import REPO, assert_reconciles, ledger_rows, run_cli, text_records, write_jsonl, write_recipe


def test_builtin_example_end_to_end(tmp_path: Path):
    out = tmp_path / "zh-web"
    proc = run_cli("run", "recipes/zh-web.yaml", "--output", str(out), check=True)
    assert "33 records in" in proc.stdout
    assert_reconciles(out, 33)
    rows = ledger_rows(out)
    reasons = {r["reason"] for r in rows if r["outcome"] == "dropped"}
    assert {"too_short", "exact_duplicate", "near_duplicate", "pii_dense"} <= reasons
    assert any("<电话>" in t for t in pq.read_table(out / "data").column("text").to_pylist())
    texts = pq.read_table(out / "data").column("text").to_pylist()
    assert any("西溪湿地" in t for t in texts)  # the GBK forum page decoded correctly
    assert any("斷橋" in t for t in texts)  # Big5 page decoded correctly
    assert not any("\ufffd" in t for t in texts)

    stats = run_cli("stats", str(out), check=True)
    assert "exact_duplicate" in stats.stdout and "reconciles: 33 in" in stats.stdout


def test_flags_override_the_recipe(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", text_records(4))
    recipe = write_recipe(
        tmp_path / "r.yaml", ["does-not-matter.jsonl"], tmp_path / "unused", "- step: length_filter\n"
    )
    out = tmp_path / "flagged"
    run_cli(
        "run",
        str(recipe),
        "--input",
        str(data),
        "--output",
        str(out),
        "--workers",
        "1",
        "--keep-rejects",
        check=True,
    )
    assert json.loads((out / "stats.json").read_text())["records_in"] == 4
    assert not (tmp_path / "unused").exists()


def test_steps_lists_every_step_with_parameters():
    proc = run_cli("steps", check=True)
    for name in ("html_to_text", "length_filter", "exact_dedup", "min_chars", "max_chars"):
        assert name in proc.stdout
    assert "[min_chars, max_chars]" in proc.stdout  # docstrings are shown verbatim
    for name in ("chrome_lines", "spam", "quality", "safety", "offensive_threshold"):
        assert name in proc.stdout
    assert "keep: list[str] (default ['zh'])" in proc.stdout  # factory defaults shown as values
    assert "PydanticUndefined" not in proc.stdout


def test_clear_errors_without_tracebacks(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - step: nope\n")
    proc = run_cli("run", str(bad))
    assert proc.returncode == 2 and "unknown step 'nope'" in proc.stderr and "Traceback" not in proc.stderr

    recipe = write_recipe(
        tmp_path / "r.yaml", [tmp_path / "missing.jsonl"], tmp_path / "o", "- step: length_filter\n"
    )
    proc = run_cli("run", str(recipe))
    assert proc.returncode == 2 and "input not found" in proc.stderr

    proc = run_cli("stats", str(tmp_path))
    assert proc.returncode == 2 and "no ledger" in proc.stderr

    data = write_jsonl(tmp_path / "a.jsonl", text_records(1))
    closed = f"127.0.0.1:{free_port()}"  # nothing listens there: never another host, never a cluster
    proc = run_cli("run", str(recipe), "--input", str(data), "--executor", "ray", "--address", closed)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"cannot reach a Ray cluster at {closed}" in proc.stderr or "taoyu[ray]" in proc.stderr
    assert not (tmp_path / "o").exists()  # refused before the output folder is touched


def test_changed_recipe_refused_from_the_cli(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    out = tmp_path / "o"
    first = write_recipe(tmp_path / "a.yaml", [data], out, "- step: length_filter\n  min_chars: 1\n")
    second = write_recipe(tmp_path / "b.yaml", [data], out, "- step: length_filter\n  min_chars: 2\n")
    run_cli("run", str(first), check=True)
    proc = run_cli("run", str(second))
    assert proc.returncode == 2 and "different recipe" in proc.stderr and "--overwrite" in proc.stderr
    run_cli("run", str(second), "--overwrite", check=True)


def test_readme_commands_are_the_ones_ci_runs():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    assert ".venv/bin/python -m pytest -q" in readme
    assert "README.md" in ci and "taoyu run recipes/zh-web.yaml" in readme


def test_why_tells_a_duplicates_story_with_a_diff(tmp_path: Path):
    out = tmp_path / "zh-web"
    run_cli("run", "recipes/zh-web.yaml", "--output", str(out), "--keep-rejects", check=True)
    rows = ledger_rows(out)
    near = next(r for r in rows if r["reason"] == "near_duplicate")
    proc = run_cli("why", str(out), near["doc_id"], check=True)
    twin = json.loads(near["details"])["dup_of"]
    assert "near_dedup: drop (near_duplicate)" in proc.stdout
    assert f"kept twin: {twin}" in proc.stdout and "+++ dropped" in proc.stdout
    assert "examples/zh-web.warc.gz record" in proc.stdout
    kept = next(r for r in rows if r["outcome"] == "kept")
    assert "outcome: kept" in run_cli("why", str(out), kept["doc_id"], check=True).stdout
    missing = run_cli("why", str(out), "no-such-id")
    assert missing.returncode == 2 and "no record" in missing.stderr
    # Lines a step cut out are listed one per row, with their index and reason.
    edited = next(r for r in rows if '"removed"' in (r["trace"] or ""))
    event = next(e for e in json.loads(edited["trace"]) if (e.get("details") or {}).get("removed"))
    index, reason, text = event["details"]["removed"][0]
    story = run_cli("why", str(out), edited["doc_id"], check=True).stdout
    assert f"line {index} [{reason}] {text}" in story
