"""Industry labels in real runs: the columns and the ledger, per-industry datasets written with
``output.partition_by`` and ``taoyu export``, and the ``label`` and ``label-train`` commands, all
run for real (subprocess CLI, real Parquet, ``datasets`` and ``pyarrow.dataset`` reading them)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from taoyu.export import ExportError, export_industries
from taoyu.io.writers import partition_value, remove_task_outputs
from taoyu.recipe import RecipeError, load_recipe

from .conftest import ledger_rows, run_cli, write_jsonl, write_recipe

NEWS = {
    "J": "沪深两市今天高开，券商股领涨，基金经理认为降息预期提振了投资者信心，银行板块成交额放大。",
    "P": "期末考试结束后，班主任给家长发了成绩单，提醒学生寒假也要按时完成作业，学校下周开家长会。",
    "R": "主队在加时赛中凭借点球绝杀对手，球迷在体育场外庆祝球队夺得联赛冠军，主教练称赞球员拼搏。",
}


def _records() -> list[dict]:
    out = []
    for code, text in NEWS.items():
        for i in range(3):
            out.append(
                {"id": f"{code}-{i}", "text": f"{text}第{i}期。" * 2, "url": f"https://x.cn/{code}/{i}"}
            )
    return out


def _run(tmp_path: Path, partition: bool, name: str = "out") -> Path:
    data = write_jsonl(tmp_path / f"{name}.jsonl", _records())
    extra = "  partition_by: [industry]\n" if partition else ""  # under output:, after its path
    recipe = write_recipe(tmp_path / f"{name}.yaml", [data], tmp_path / name, "- step: industry\n", extra)
    run_cli("run", str(recipe), check=True)
    return tmp_path / name


def _kept(out: Path) -> int:
    return sum(r["outcome"] == "kept" for r in ledger_rows(out))


def test_every_kept_document_gets_industry_columns_and_ledger_details(tmp_path: Path):
    out = _run(tmp_path, partition=False)
    table = pq.read_table(out / "data")
    rows = table.to_pylist()
    assert {r["industry"] for r in rows} == set(NEWS)
    assert all(r["id"].startswith(r["industry"]) for r in rows)
    assert all(0 < r["industry_score"] <= 1 and r["content_type"] for r in rows)
    trace = json.loads(ledger_rows(out)[0]["trace"])
    event = next(e for e in trace if e["step"] == "industry")
    assert event["details"]["industry"] in NEWS and "content_type" in event["details"]


def test_the_zh_web_example_labels_every_kept_document(tmp_path: Path):
    out = tmp_path / "zh-web"
    run_cli("run", "recipes/zh-web.yaml", "--output", str(out), check=True)
    rows = pq.read_table(out / "data").to_pylist()
    assert len(rows) == _kept(out) > 0
    assert all(r["industry"] and r["industry_score"] is not None and r["content_type"] for r in rows)


def test_partitioned_output_loads_per_industry_and_whole(tmp_path: Path):
    import datasets

    out = _run(tmp_path, partition=True)
    folders = sorted(p.name for p in (out / "data").iterdir())
    assert folders == [f"industry={c}" for c in sorted(NEWS)]
    whole = ds.dataset(out / "data").to_table()
    assert whole.num_rows == _kept(out) == 9
    loaded = datasets.load_dataset(
        "parquet", data_files=str(out / "data" / "**" / "*.parquet"), split="train"
    )
    assert len(loaded) == 9
    one = datasets.load_dataset("parquet", data_dir=str(out / "data" / "industry=J"), split="train")
    assert set(one["industry"]) == {"J"} and len(one) == 3
    stats = run_cli("stats", str(out), check=True)
    assert "reconciles: 9 in" in stats.stdout


def test_partition_by_must_name_a_column_a_step_writes(tmp_path: Path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "inputs: [x.jsonl]\noutput:\n  partition_by: [industry]\nsteps:\n  - step: normalize\n",
        encoding="utf-8",
    )
    with pytest.raises(RecipeError, match=r"r.yaml: output.partition_by names \['industry'\], which no step"):
        load_recipe(recipe)


@given(st.one_of(st.none(), st.text(max_size=60)))
@example(".")
@example("..")
@example("中" * 200)
def test_partition_values_are_safe_folder_names_that_read_back(value):
    name = partition_value(value)
    assert "/" not in name and name not in ("", ".", "..") and len(name) <= 121
    if value and "~" not in name:  # a long value's name is cut, with a hash of the whole
        assert urllib.parse.unquote(name) == value


def test_long_partition_values_keep_folders_of_their_own():
    a, b = partition_value("中" * 200 + "甲"), partition_value("中" * 200 + "乙")
    assert a != b and len(a) <= 121


def test_partition_by_refuses_text_ids_and_addresses(tmp_path: Path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "inputs: [x.jsonl]\noutput:\n  partition_by: [url]\nsteps:\n  - step: industry\n", encoding="utf-8"
    )
    with pytest.raises(RecipeError, match="no step of this recipe writes"):
        load_recipe(recipe)


def test_partitions_by_two_columns_put_every_row_in_its_own_folder(tmp_path: Path):
    data = write_jsonl(tmp_path / "in.jsonl", _records())
    extra = "  partition_by: [industry, content_type]\n"
    recipe = write_recipe(tmp_path / "r.yaml", [data], tmp_path / "out", "- step: industry\n", extra)
    run_cli("run", str(recipe), check=True)
    data_dir = tmp_path / "out" / "data"
    for path in data_dir.rglob("*.parquet"):
        industry, kind = (p.split("=", 1)[1] for p in path.relative_to(data_dir).parts[:2])
        table = pq.read_table(path)
        assert set(table.column("industry").to_pylist()) == {industry}
        assert set(table.column("content_type").to_pylist()) == {kind}
    assert ds.dataset(data_dir).to_table().num_rows == _kept(tmp_path / "out") == 9
    counts = export_industries(tmp_path / "out", ["J", "P"], tmp_path / "by")
    assert counts == {"J": 3, "P": 3}
    assert pq.read_table(tmp_path / "by" / "J" / "data").num_rows == 3


def test_a_retried_task_clears_its_shards_in_partition_folders(tmp_path: Path):
    for part in ("industry=J", "industry=P"):
        (tmp_path / part).mkdir()
        (tmp_path / part / "part-00001-000.parquet").write_bytes(b"x")
        (tmp_path / part / "part-00002-000.parquet").write_bytes(b"x")
    remove_task_outputs(tmp_path, "part-00001")
    assert sorted(p.name for p in tmp_path.rglob("*.parquet")) == ["part-00002-000.parquet"] * 2


@pytest.mark.parametrize("partition", [False, True])
def test_export_writes_one_complete_dataset_per_industry(tmp_path: Path, partition: bool):
    out = _run(tmp_path, partition=partition)
    proc = run_cli("export", str(out), "--industry", "J,R,Z", "--to", str(tmp_path / "by"), check=True)
    assert "Z: no document is labelled so" in proc.stdout
    assert sorted(p.name for p in (tmp_path / "by").iterdir()) == ["J", "R"]
    for code in ("J", "R"):
        folder = tmp_path / "by" / code
        table = pq.read_table(folder / "data")
        assert set(table.column("industry").to_pylist()) == {code} and table.num_rows == 3
        assert len(ledger_rows(folder)) == 3
        assert "reconciles: 3 in" in run_cli("stats", str(folder), check=True).stdout
        assert (folder / "recipe.yaml").exists()
        links = {f.stat().st_nlink for f in (folder / "data").glob("*.parquet")}
        assert links == ({2} if partition else {1})  # hard links when the run was partitioned


def test_export_refuses_what_it_cannot_do(tmp_path: Path):
    with pytest.raises(ExportError, match="not the output folder of a finished taoyu run"):
        export_industries(tmp_path, ["J"], tmp_path / "x")
    out = _run(tmp_path, partition=False)
    for bad in ("..", "/etc", "J/K"):
        with pytest.raises(ExportError, match="not industry codes"):
            export_industries(out, [bad], tmp_path / "by", overwrite=True)
    export_industries(out, ["J"], tmp_path / "by")
    with pytest.raises(ExportError, match="is not empty"):
        export_industries(out, ["J"], tmp_path / "by")
    assert export_industries(out, ["J"], tmp_path / "by", overwrite=True) == {"J": 3}


def test_label_command_prints_industry_and_content_type():
    proc = run_cli("label", "--json", NEWS["P"], check=True)
    result = json.loads(proc.stdout)
    assert result["industry"] == "P" and result["top"][0]["label"] == "P" and "content_type" in result
    long = run_cli("label", "--json", NEWS["J"] * 8, check=True)  # too long to be a file name
    assert json.loads(long.stdout)["industry"] == "J"


def test_label_train_builds_a_model_a_recipe_can_name(tmp_path: Path):
    taxonomy = tmp_path / "mine.yaml"
    taxonomy.write_text(
        "name: mine\nlabels:\n"
        "  - {code: tea, description: 茶叶, seeds: [茶叶, 茶园, 绿茶]}\n"
        "  - {code: rail, description: 铁路, seeds: [铁路, 火车, 高铁]}\n",
        encoding="utf-8",
    )
    words = {"tea": "茶农，采茶，龙井，茶香，春茶", "rail": "车站，列车，乘客，站台，检票"}
    seeds = {"tea": "茶叶，茶园", "rail": "铁路，火车"}
    records = [
        {"text": f"{words[c]}，{seeds[c] if i % 3 == 0 else '今天'}，第{i}天。"}
        for i in range(60)
        for c in words
    ]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    model = tmp_path / "mine.npz"
    proc = run_cli("label-train", str(taxonomy), "--input", str(corpus), "-o", str(model), check=True)
    assert model.exists() and "2 labels from 120 texts" in proc.stdout
    report = json.loads(model.with_suffix(".report.json").read_text())
    assert report["weak"] == {"tea": 20, "rail": 20}
    data = write_jsonl(
        tmp_path / "new.jsonl",
        [{"id": "a", "text": "春茶上市，茶农在采茶。"}, {"id": "b", "text": "乘客在站台等列车。"}],
    )
    recipe = write_recipe(
        tmp_path / "r.yaml", [data], tmp_path / "o", f"- step: industry\n  model: {model}\n"
    )
    run_cli("run", str(recipe), check=True)
    labels = {r["id"]: r["industry"] for r in pq.read_table(tmp_path / "o" / "data").to_pylist()}
    assert labels == {"a": "tea", "b": "rail"}


def test_label_train_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels:\n  - {code: a}\n  - {code: b, seeds: [x]}\n", encoding="utf-8")
    proc = run_cli("label-train", str(bad), "--input", str(tmp_path), "-o", str(tmp_path / "m.npz"))
    assert proc.returncode == 2 and "bad.yaml: label 1 (a): give at least one seed word" in proc.stderr
