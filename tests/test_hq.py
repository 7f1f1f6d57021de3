"""The learned quality tier: the model, the quality_model step's buckets, training and export."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from taoyu.hq.features import NAMES, features, matrix
from taoyu.hq.model import QualityModel
from taoyu.hq.train import JUNK_KINDS, VETO_ONLY, VETOES, auc, genre_statistics, make_junk, train
from taoyu.steps.quality_model import bucket_of_bins, keep_top_cut

from .conftest import PARAGRAPHS, ledger_rows, run_cli, write_jsonl, write_recipe

PROSE = "\n".join(PARAGRAPHS)
MENU = " | ".join(["首页", "新闻", "体育", "财经", "娱乐", "登录", "注册", "下载APP"] * 4)
HEADLINES = "\n".join(f"西湖区第{i}期新闻标题 2026-0{i % 9 + 1}-12" for i in range(20))


def test_the_packaged_model_prefers_prose_to_junk():
    model = QualityModel.load()
    prose, menu, headlines, repeated = model.score([PROSE, MENU, HEADLINES, "\n".join([PARAGRAPHS[0]] * 8)])
    assert prose > 0.9 and max(menu, headlines, repeated) < 0.5
    why = model.explain(MENU)
    assert len(why) == 3 and all(name in NAMES for name, _ in why)
    assert sum(pull for _, pull in why) < 0  # the statistics that moved it most pulled it down


def test_features_are_named_and_finite():
    for text in ["", "a", PROSE, MENU, "<div>正文</div>" * 50, "１２３４５６"]:
        f = features(text)
        assert f.shape == (len(NAMES),) and np.isfinite(f).all()


def test_junk_is_made_in_every_kind_and_training_separates_it():
    rng = random.Random(0)
    good = ["\n".join(rng.sample(PARAGRAPHS, 4)) for _ in range(60)]
    junk = make_junk(good, 90, seed=1)
    assert {kind for kind, _ in junk} == set(JUNK_KINDS)
    model, report = train(good, seed=2)
    assert report["held_out"]["auc"] > 0.95
    assert model.score([PROSE])[0] > model.score([MENU])[0]


def test_a_junk_kind_the_model_never_saw_is_vetoed_by_what_reference_text_never_does():
    """Trained without repeated paragraphs or stuffed keywords among its junk, the model still
    scores them low: past the range of its positives, character growth and repeated lines veto,
    whatever the other statistics say (their bounds come from the positives alone)."""
    rng = random.Random(0)
    good = ["\n".join(rng.sample(PARAGRAPHS, 4)) for _ in range(60)]
    unseen = ("repeated", "stuffing", "links")
    seen_junk = [text for kind, text in make_junk(good, 160, seed=1) if kind not in unseen]
    model, _ = train(good, seen_junk, seed=2)
    repeated = "\n".join([PARAGRAPHS[1]] * 10)
    stuffed = "，".join(["杭州租房", "西湖租房", "杭州租房"] * 25)
    links = "\n".join(
        f"点击下载 {line[:12]}。 http://www.example{i}.com/{i}.html" for i, line in enumerate(PARAGRAPHS)
    )
    prose, repeated_score, stuffed_score, links_score = model.score([PROSE, repeated, stuffed, links])
    assert prose > 0.9 and repeated_score < 0.5 and stuffed_score < 0.5 and links_score < 0.5
    past = model._beyond_range(matrix([repeated, stuffed, links]))
    assert past[0, NAMES.index("duplicate_line_share")] > 0 and past[1, NAMES.index("char_growth")] > 0
    assert past[2, NAMES.index("link_token_rate")] > 0
    assert dict(model.explain(stuffed, top=len(NAMES)))["char_growth"] < 0  # a weightless statistic vetoed
    extreme = "\n".join([PARAGRAPHS[0]] * 300)  # as far past the bounds as a text goes
    assert model._beyond_range(matrix([extreme])).max() == 4.0  # clipped, as standardised values are


def test_a_veto_only_statistic_has_no_weight_and_every_veto_a_bound_from_the_positives():
    rng = random.Random(0)
    good = ["\n".join(rng.sample(PARAGRAPHS, 4)) for _ in range(60)]
    model, _ = train(good, seed=2)
    x = matrix(good)
    for name, (bad, _) in VETOES.items():
        i = NAMES.index(name)
        bound = model.ceiling[i] if bad == "high" else model.floor[i]
        assert np.isfinite(bound) and x[:, i].min() <= bound <= x[:, i].max()
    for name in VETO_ONLY:
        assert model.weights[NAMES.index(name)] == 0.0
    untouched = [i for i, name in enumerate(NAMES) if name not in VETOES]
    assert np.isnan(model.floor[untouched]).all() and np.isnan(model.ceiling[untouched]).all()


def test_a_statistic_that_tells_genres_apart_more_than_junk_gets_no_weight():
    """Two good genres, one asking questions and one stating facts: junk is no more question-like
    than their middle, so question marks rank genres, not quality, and are left out; the share of
    lines ending in a mark tells junk from both and keeps its weight. Without genres, nothing is
    left out."""
    rng = random.Random(0)
    stated = ["\n".join(rng.sample(PARAGRAPHS, 4)) for _ in range(40)]
    asked = [text.replace("。", "？") for text in stated]
    genres = ["stated"] * 40 + ["asked"] * 40
    model, report = train(stated + asked, seed=2, genres=genres)
    assert "question_rate" in report["genre_statistics"]
    assert "lines_ending_in_mark" not in report["genre_statistics"]
    assert model.weights[NAMES.index("question_rate")] == 0.0
    assert model.weights[NAMES.index("lines_ending_in_mark")] > 0
    blind, blind_report = train(stated + asked, seed=2)
    assert blind_report["genre_statistics"] == [] and blind.weights[NAMES.index("question_rate")] != 0.0
    x = matrix(stated + asked)
    junk = make_junk(stated, 45, seed=1)
    assert genre_statistics(x, ["one"] * 80, matrix([t for _, t in junk]), [k for k, _ in junk]) == []
    with pytest.raises(ValueError, match="genres for"):
        train(stated, genres=["stated"])


def test_auc():
    assert auc(np.array([0.9, 0.8]), np.array([0.1, 0.2])) == 1.0
    assert auc(np.array([0.1]), np.array([0.9])) == 0.0
    assert auc(np.array([0.5]), np.array([0.5])) == 0.5


def test_model_files_round_trip_and_errors_name_the_file(tmp_path: Path):
    model = QualityModel.load()
    path = tmp_path / "m.npz"
    model.save(path)
    again = QualityModel.load(path)
    assert np.allclose(again.score([PROSE, MENU]), model.score([PROSE, MENU]))
    for name in ("floor", "ceiling", "spread"):
        np.testing.assert_array_equal(getattr(again, name), getattr(model, name))
    assert again.veto == model.veto > 0
    spread = model.spread.copy()
    spread[0] = np.nan  # a damaged file must not score every text NaN
    with pytest.raises(ValueError, match="spread"):
        QualityModel(
            model.weights, model.bias, model.mean, model.scale, NAMES, model.floor, model.ceiling, spread, 4.0
        )
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match=r"bad\.npz"):
        QualityModel.load(bad)


def test_buckets_of_histogram_bins_and_the_keep_top_cut():
    hist = np.zeros(10, np.int64)
    hist[[1, 3, 5, 7]] = 5  # 20 documents in four bins of five
    assert bucket_of_bins(hist, 4)[[1, 3, 5, 7]].tolist() == [0, 1, 2, 3]
    evenly = np.ones(100, np.int64)
    assert np.bincount(bucket_of_bins(evenly, 20)).tolist() == [5] * 20  # no float rounding drift
    tied = np.zeros(10, np.int64)
    tied[9] = 100  # every score the same: the middle bucket, not the lowest
    assert bucket_of_bins(tied, 20)[9] == 10
    top = np.zeros(10, np.int64)
    top[[2, 9]] = [70, 30]  # 30% tied at the top
    assert bucket_of_bins(top, 20)[9] == 17  # their middle rank: 85%

    def dropped(h, keep):
        return int(h[: keep_top_cut(h, keep)].sum())

    assert dropped(evenly[:10], 0.7) == 3  # 0.3 of 10 is 3, not 4
    assert dropped(evenly, 0.8) == 20
    assert dropped(tied, 0.8) == 0  # ties at the cut are kept: nothing dropped
    one = np.zeros(10, np.int64)
    one[4] = 1
    assert dropped(one, 0.99) == 0
    assert dropped(top, 0.5) == 0 and dropped(top, 0.25) == 70


def _docs(n: int) -> list[dict]:
    """Documents from prose to junk, so scores spread over the range (menus without link words:
    past every reference text, those veto a menu to a score of 0, and a tie of a third of the run
    would land in the middle of its ranks)."""
    rng = random.Random(5)
    out = []
    for i in range(n):
        if i % 3 == 0:
            text = "\n".join(rng.sample(PARAGRAPHS, 3)) + f"第{i}篇。"
        elif i % 3 == 1:
            text = (
                " | ".join(rng.sample(["首页", "新闻", "体育", "财经", "娱乐", "科技", "汽车"], 5)) + f" {i}"
            )
        else:
            text = "\n".join(f"标题{i}第{k}条 2026-01-{k + 1:02d}" for k in range(rng.randint(3, 12)))
        out.append({"id": f"d{i}", "text": text, "url": f"https://s{i % 7}.example/{i}"})
    return out


def test_buckets_are_percentiles_of_the_run_and_do_not_depend_on_tasks(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", _docs(200))
    step = "- step: quality_model\n"
    outs = []
    for name, extra in (("one", ""), ("many", "reader:\n  slice_mb: 0.002\n")):
        out = tmp_path / name
        recipe = write_recipe(tmp_path / f"{name}.yaml", [str(data)], out, step, extra)
        run_cli("run", str(recipe), "--workers", "2", check=True)
        outs.append(out)
    tables = [
        pa.concat_tables(pq.read_table(f) for f in sorted((o / "data").glob("*.parquet"))) for o in outs
    ]
    assert json.loads((outs[1] / "run.json").read_text())["tasks"] > 1
    by_id = [
        dict(zip(t.column("id").to_pylist(), t.column("hq_bucket").to_pylist(), strict=True)) for t in tables
    ]
    assert by_id[0] == by_id[1]
    scores = dict(
        zip(tables[0].column("id").to_pylist(), tables[0].column("hq_score").to_pylist(), strict=True)
    )
    buckets = by_id[0]
    counts = np.bincount(list(buckets.values()), minlength=20)
    assert counts.sum() == 200 and set(buckets.values()) <= set(range(20))
    # A better score never lands in a lower bucket (scores are stored rounded: compare unequal ones).
    ranked = sorted(scores, key=lambda i: scores[i])
    assert all(buckets[a] <= buckets[b] for a, b in itertools.pairwise(ranked) if scores[a] < scores[b])
    assert counts[0] >= 5 and counts[-1] >= 1  # the worst 5% and the best are both there
    run = json.loads((outs[0] / "run.json").read_text())
    summary = run["global_steps"]["quality_model"]
    assert summary["documents"] == 200 and len(summary["bucket_edges"]) == 19
    assert summary["bucket_edges"] == sorted(summary["bucket_edges"])
    assert any(a["step"] == "quality_model" and a["role"] == "model" for a in run["artifacts"])
    row = next(r for r in ledger_rows(outs[0]) if r["outcome"] == "kept")
    event = next(e for e in json.loads(row["trace"]) if e["step"] == "quality_model")
    assert event["score"] == scores[row["doc_id"]] and len(event["details"]["why"]) == 3


def test_keep_top_and_min_score(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", _docs(120))
    out = tmp_path / "top"
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], out, "- step: quality_model\n  keep_top: 0.5\n")
    run_cli("run", str(recipe), check=True)
    rows = ledger_rows(out)
    dropped = [r for r in rows if r["outcome"] == "dropped"]
    assert {r["reason"] for r in dropped} == {"hq_below_top"}
    assert 30 <= len(dropped) <= 60  # at most half: ties at the cut are kept
    kept_scores = pq.read_table(out / "data").column("hq_score").to_pylist()
    assert min(kept_scores) >= max(r["score"] for r in dropped)
    # Exactly the documents under the cut are dropped: with those tied at it, they are half or more.
    at_or_under_cut = len(dropped) + sum(s == min(kept_scores) for s in kept_scores)
    assert at_or_under_cut >= 60
    out2 = tmp_path / "min"
    recipe = write_recipe(
        tmp_path / "r2.yaml", [str(data)], out2, "- step: quality_model\n  min_score: 0.5\n"
    )
    run_cli("run", str(recipe), check=True)
    rows = ledger_rows(out2)
    assert all(r["score"] < 0.5 and r["threshold"] == 0.5 for r in rows if r["outcome"] == "dropped")
    assert all(s >= 0.5 for s in pq.read_table(out2 / "data").column("hq_score").to_pylist())


def test_quality_train_cli_and_a_recipe_naming_the_model(tmp_path: Path):
    rng = random.Random(1)
    good = write_jsonl(
        tmp_path / "good.jsonl", [{"text": "\n".join(rng.sample(PARAGRAPHS, 4))} for _ in range(40)]
    )
    model = tmp_path / "my.npz"
    proc = run_cli("quality", "train", "--positives", str(good), "-o", str(model), check=True)
    assert "AUC" in proc.stdout and model.exists() and (tmp_path / "my.npz.report.json").exists()
    data = write_jsonl(tmp_path / "a.jsonl", _docs(30))
    out = tmp_path / "out"
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], out, f"- step: quality_model\n  model: {model}\n")
    run_cli("run", str(recipe), check=True)
    run = json.loads((out / "run.json").read_text())
    assert any(a["path"] == str(model) for a in run["artifacts"])
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"body": "no text field"}])
    proc = run_cli("quality", "train", "--positives", str(bad), "-o", str(tmp_path / "x.npz"))
    assert proc.returncode == 2 and "bad.jsonl line 1" in proc.stderr


def test_export_the_best_buckets(tmp_path: Path):
    data = write_jsonl(tmp_path / "a.jsonl", _docs(100))
    out = tmp_path / "out"
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], out, "- step: quality_model\n")
    run_cli("run", str(recipe), check=True)
    buckets = pq.read_table(out / "data").column("hq_bucket").to_pylist()
    proc = run_cli("export", str(out), "--min-hq-bucket", "16", "--to", str(tmp_path / "hq"), check=True)
    expected = sum(b >= 16 for b in buckets)
    assert f"{expected:,} documents" in proc.stdout
    assert pq.read_table(tmp_path / "hq" / "data").num_rows == expected == len(ledger_rows(tmp_path / "hq"))
    assert all(b >= 16 for b in pq.read_table(tmp_path / "hq" / "data").column("hq_bucket").to_pylist())
    assert "reconciles" in run_cli("stats", str(tmp_path / "hq"), check=True).stdout
    proc = run_cli("export", str(out), "--to", str(tmp_path / "none"))
    assert proc.returncode == 2 and "--min-hq-bucket" in proc.stderr


def test_a_score_does_not_depend_on_its_batch():
    model = QualityModel.load()
    texts = [d["text"] for d in _docs(3000)]
    together = model.score(texts)
    in_sevens = np.concatenate([model.score(texts[i : i + 7]) for i in range(0, len(texts), 7)])
    assert together.tolist() == in_sevens.tolist()  # bit for bit (a matrix product differs in 603)


def test_a_model_of_the_wrong_shape_is_refused(tmp_path: Path):
    from taoyu.npz import save_npz

    bad = tmp_path / "short.npz"
    save_npz(
        bad,
        {
            "format_version": np.int64(1),
            "weights": np.zeros(3),
            "bias": np.float64(0),
            "mean": np.zeros(3),
            "scale": np.ones(3),
            "names": np.frombuffer(json.dumps(list(NAMES)).encode(), np.uint8),
        },
    )
    with pytest.raises(ValueError, match=r"short\.npz"):
        QualityModel.load(bad)


def test_export_never_overwrites_what_it_should_not(tmp_path: Path):
    # Prose of 40 lengths: distinct scores, so the lowest is alone in bucket 0.
    docs = [
        {"id": f"p{i}", "text": "\n".join(PARAGRAPHS[: 1 + i % 6]) + f"第{i}篇。" * (1 + i // 6)}
        for i in range(40)
    ]
    data = write_jsonl(tmp_path / "a.jsonl", docs)
    out = tmp_path / "out"
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], out, "- step: quality_model\n")
    run_cli("run", str(recipe), check=True)
    for to in (out, tmp_path, out / "data"):  # the run itself, a folder holding it, one inside it
        proc = run_cli("export", str(out), "--min-hq-bucket", "10", "--to", str(to), "--overwrite")
        assert proc.returncode == 2 and "overlaps the run" in proc.stderr
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    proc = run_cli("export", str(out), "--min-hq-bucket", "10", "--to", str(mine), "--overwrite")
    assert proc.returncode == 2 and "not a previous export" in proc.stderr and (mine / "notes.txt").exists()
    assert 0 in pq.read_table(out / "data").column("hq_bucket").to_pylist()
    proc = run_cli("export", str(out), "--min-hq-bucket", "0", "--to", str(tmp_path / "all"), check=True)
    assert pq.read_table(tmp_path / "all" / "data").num_rows == 40  # bucket 0 is a bucket
    run_cli(
        "export", str(out), "--min-hq-bucket", "0", "--to", str(tmp_path / "all"), "--overwrite", check=True
    )
    proc = run_cli("export", str(out), "--min-hq-bucket", "20", "--to", str(tmp_path / "none"))
    assert proc.returncode == 2 and "buckets 0 to 19" in proc.stderr
