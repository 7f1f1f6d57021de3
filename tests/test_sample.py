"""taoyu sample: a random sample of a run's documents with their texts, on real runs.

Every run here is a real ``taoyu run`` subprocess on small inputs written by the test, and every
sample is a real ``taoyu sample`` subprocess (its ``--out`` JSON Lines are read back), except the
sampler's own statistics, which call it directly over many seeds.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from taoyu.sample import Criteria, draw

from .conftest import (
    PARAGRAPHS,
    article_html,
    ledger_rows,
    run_cli,
    text_records,
    write_jsonl,
    write_parquet,
    write_recipe,
    write_warc,
)

ENGLISH = (
    "This page is written entirely in English and talks about the weather in London, "
    "which has been rainy all week long, number {i}."
)
MARKUP = "[bold red]注入[/bold red] 页面里有方括号 [/] 也不能坏。" + "".join(PARAGRAPHS[:3])
JSONL_STEPS = """\
- step: normalize
- step: length_filter
  min_chars: 20
- step: language
  keep: [zh]
- step: exact_dedup
"""
_SAMPLES = itertools.count()


def jsonl_records() -> list[dict]:
    kept = text_records(12)
    return [
        *kept,
        {"id": "markup", "text": MARKUP, "url": "https://example.cn/[link]"},
        *({"id": f"short-{i}", "text": f"ＡＢＣ短文{i}"} for i in range(4)),  # normalised, then too short
        *({"id": f"en-{i}", "text": ENGLISH.format(i=i)} for i in range(3)),
        *({"id": f"dup-{i}", "text": kept[i]["text"]} for i in range(2)),
    ]


def run_twice(tmp: Path, inputs: list[Path], steps: str) -> tuple[Path, Path]:
    """The same recipe on the same inputs, once with --keep-rejects and once without."""
    recipe = write_recipe(tmp / "recipe.yaml", inputs, tmp / "unused", steps)
    outs = []
    for name, flag in (("with-rejects", "--keep-rejects"), ("without", "--no-keep-rejects")):
        out = tmp / name
        run_cli("run", str(recipe), "--output", str(out), "--workers", "1", flag, check=True)
        outs.append(out)
    assert (outs[0] / "rejects").is_dir() and not (outs[1] / "rejects").exists()
    return outs[0], outs[1]


@pytest.fixture(scope="module")
def jsonl_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("jsonl")
    data = write_jsonl(tmp / "in.jsonl", jsonl_records())
    return run_twice(tmp, [data], JSONL_STEPS)


@pytest.fixture(scope="module")
def mixed_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A gzipped WARC, a folder of HTML files and a Parquet file (two rows a row group)."""
    tmp = tmp_path_factory.mktemp("mixed")
    html = "text/html; charset=utf-8"
    short = "<html><body><p>太短了，第{i}页。</p></body></html>"
    pages = [(f"https://news.example.cn/{i}", article_html(i).encode(), html) for i in range(4)]
    pages += [(f"https://news.example.cn/short/{i}", short.format(i=i).encode(), html) for i in range(2)]
    pages.append(("https://mirror.example.cn/0", article_html(0).encode(), html))  # exact duplicate
    warc = write_warc(tmp / "crawl.warc.gz", pages)
    folder = tmp / "pages"
    folder.mkdir()
    (folder / "long.html").write_text(article_html(20), encoding="utf-8")
    (folder / "short.html").write_text(short.format(i=99), encoding="utf-8")
    rows = text_records(3, "pq") + [{"id": f"pq-short-{i}", "text": f"短句{i}。"} for i in range(3)]
    table = write_parquet(tmp / "rows.parquet", rows, row_group_size=2)
    steps = "- step: html_to_text\n- step: normalize\n- step: length_filter\n  min_chars: 30\n"
    steps += "- step: exact_dedup\n"
    return run_twice(tmp, [warc, folder, table], steps)


def sample_json(out: Path, *args: str) -> list[dict]:
    """Run ``taoyu sample OUT ARGS --out FILE`` and read the file back, checking each line's keys."""
    file = out.parent / f"sample-{next(_SAMPLES)}.jsonl"
    proc = run_cli("sample", str(out), *args, "--out", str(file), check=True)
    assert f"to {file}" in proc.stdout and len(proc.stdout.strip().splitlines()) == 1
    docs = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    keys = {"id", "source_file", "source_index", "source_offset", "warc_record_id", "url", "outcome"}
    keys |= {"step", "reason", "score", "threshold", "text", "text_origin"}
    for doc in docs:
        assert keys <= doc.keys()
        assert doc["text_origin"] in ("data", "rejects", "reread", None)
    return docs


def ids(docs: list[dict]) -> list[str]:
    return [d["id"] for d in docs]


def test_the_same_seed_gives_the_same_sample(jsonl_runs):
    _, out = jsonl_runs
    first = ids(sample_json(out, "--n", "5", "--seed", "7"))
    assert len(first) == 5 and len(set(first)) == 5
    assert ids(sample_json(out, "--n", "5", "--seed", "7")) == first
    assert ids(sample_json(out, "--n", "5", "--seed", "8")) != first
    assert ids(sample_json(out, "--n", "5")) == ids(sample_json(out, "--n", "5", "--seed", "0"))


def test_the_sample_is_uniform_and_does_not_depend_on_batching(jsonl_runs):
    _, out = jsonl_runs
    files = sorted((out / "ledger").glob("*.parquet"))
    assert len(files) == 2  # before and after exact_dedup: the sample spans ledger files
    rows = len(ledger_rows(out))
    # Streaming in batches of 2 rows must pick exactly what one batch per file picks.
    for seed in (0, 1, 2):
        assert draw(files, 5, seed, Criteria(), batch_size=2) == draw(files, 5, seed, Criteria())
    draws = (draw(files, 5, seed, Criteria(), batch_size=3) for seed in range(300))
    picks = Counter(p for d in draws for p in d.positions)
    assert len(picks) == rows
    expected = 300 * 5 / rows  # about 68 each; 4.5 standard deviations either side
    assert all(expected - 33 <= count <= expected + 33 for count in picks.values()), picks


def test_filters_select_the_matching_rows_only(jsonl_runs):
    _, out = jsonl_runs
    rows = ledger_rows(out)

    def expected(keep) -> list[str]:
        return sorted(r["doc_id"] for r in rows if keep(r))

    def got(*args: str) -> list[str]:
        return sorted(ids(sample_json(out, "--n", "100", *args)))

    assert got("--kept") == expected(lambda r: r["outcome"] == "kept") and len(got("--kept")) == 13
    assert got("--dropped") == expected(lambda r: r["outcome"] == "dropped") and len(got("--dropped")) == 9
    assert got() == expected(lambda r: True)
    english = [f"en-{i}" for i in range(3)]
    assert got("--step", "language") == english
    assert got("--reason", "language") == english  # the family matches 'language:en'
    assert got("--reason", "language:en") == english  # and so does the full reason
    assert got("--dropped", "--reason", "too_short") == [f"short-{i}" for i in range(4)]
    assert got("--reason", "too") == []  # a family is a whole word, not a prefix
    assert got("--step", "length_filter", "--reason", "language") == []
    two = sample_json(out, "--n", "2", "--dropped", "--seed", "3")
    assert len(two) == 2 and {d["outcome"] for d in two} == {"dropped"}


def test_dropped_text_comes_from_rejects_or_is_reread_from_jsonl(jsonl_runs):
    with_rejects, without = jsonl_runs
    from_rejects = {d["id"]: d for d in sample_json(with_rejects, "--dropped", "--n", "100")}
    reread = {d["id"]: d for d in sample_json(without, "--dropped", "--n", "100")}
    assert from_rejects.keys() == reread.keys() and len(reread) == 9
    for doc_id, doc in reread.items():
        assert from_rejects[doc_id]["text_origin"] == "rejects"
        assert doc["text_origin"] == "reread" and doc["note"] is None
        assert doc["text"] == from_rejects[doc_id]["text"]  # what the dropping step saw
    # The step saw the normalised text, not the raw record: the replay ran normalize first.
    assert reread["short-0"]["text"] == "ABC短文0" and reread["short-0"]["seen_at"] == "length_filter"
    assert reread["en-1"]["seen_at"] == "language"
    # Dropped by a global step: the text as it stood before exact_dedup.
    assert reread["dup-1"]["seen_at"] == "exact_dedup"
    assert reread["dup-1"]["text"] == text_records(12)[1]["text"]
    kept = sample_json(without, "--kept", "--n", "100")
    assert {d["text_origin"] for d in kept} == {"data"} and all(d["text"] for d in kept)

    printed = run_cli("sample", str(without), "--step", "length_filter", "--n", "1", check=True).stdout
    assert "text re-read from the source: what the pipeline saw at length_filter" in printed
    assert "dropped by length_filter (too_short), score 6 vs threshold 20" in printed


def test_dropped_text_is_reread_from_warc_html_and_parquet(mixed_runs):
    with_rejects, without = mixed_runs
    from_rejects = {d["id"]: d for d in sample_json(with_rejects, "--dropped", "--n", "100")}
    reread = {d["id"]: d for d in sample_json(without, "--dropped", "--n", "100")}
    assert from_rejects.keys() == reread.keys()
    kinds = Counter((Path(d["source_file"]).suffix, d["reason"]) for d in reread.values())
    assert kinds == {
        (".gz", "too_short"): 2,
        (".gz", "exact_duplicate"): 1,
        (".html", "too_short"): 1,
        (".parquet", "too_short"): 3,
    }
    for doc_id, doc in reread.items():
        assert doc["text_origin"] == "reread" and doc["note"] is None, doc
        assert doc["text"] == from_rejects[doc_id]["text"] and doc["text"]
        assert doc["url"] == from_rejects[doc_id]["url"]
    warc = [d for d in reread.values() if d["source_file"].endswith(".warc.gz")]
    assert len(warc) == 3 and all(d["warc_record_id"] == d["id"] for d in warc)
    assert len({d["source_offset"] for d in warc}) == 3
    duplicate = next(d for d in warc if d["reason"] == "exact_duplicate")
    assert duplicate["seen_at"] == "exact_dedup" and "第0篇" in duplicate["text"]
    assert "<p>" not in duplicate["text"]  # the replay extracted the page, as the run did

    printed = run_cli("sample", str(without), "--reason", "exact_duplicate", check=True).stdout
    assert f"WARC-Record-ID {duplicate['id']}" in printed and f"byte {duplicate['source_offset']}" in printed
    assert "https://mirror.example.cn/0" in printed


def test_a_missing_or_changed_source_is_reported_not_fatal(tmp_path: Path):
    records = text_records(4) + [{"id": f"short-{i}", "text": f"短句甲{i}"} for i in range(3)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    original = source.read_bytes()
    recipe = write_recipe(tmp_path / "r.yaml", [source], tmp_path / "out", "- step: length_filter\n")
    run_cli("run", str(recipe), "--workers", "1", check=True)
    out = tmp_path / "out"

    source.unlink()
    docs = sample_json(out, "--n", "100")
    dropped = [d for d in docs if d["outcome"] == "dropped"]
    assert len(dropped) == 3
    for doc in dropped:
        assert doc["text"] is None and doc["text_origin"] is None
        assert f"the source file {source} is gone" in doc["note"]
    assert all(d["text_origin"] == "data" for d in docs if d["outcome"] == "kept")
    printed = run_cli("sample", str(out), "--dropped")
    assert printed.returncode == 0 and printed.stdout.count("is gone") == 3
    assert "Traceback" not in printed.stderr

    source.write_bytes(original + b'{"id": "new", "text": "x"}\n')
    for doc in sample_json(out, "--dropped"):
        assert doc["text"] is None and "changed since the run" in doc["note"]

    source.write_bytes(original.replace("短句甲1".encode(), "短句乙1".encode()))  # same size, new bytes
    docs = {d["id"]: d for d in sample_json(out, "--dropped")}
    assert docs["short-0"]["note"] is None and docs["short-0"]["text"] == "短句甲0"
    assert "differs from the text the run recorded" in docs["short-1"]["note"]

    source.write_bytes(original.replace(b'{"id": "short-2"', b'{"id": "other-2"'))
    docs = {d["id"]: d for d in sample_json(out, "--dropped")}
    assert docs["short-2"]["text"] is None and "is now 'other-2', not 'short-2'" in docs["short-2"]["note"]


def test_page_text_cannot_inject_markup(jsonl_runs):
    _, out = jsonl_runs
    proc = run_cli("sample", str(out), "--kept", "--n", "100", check=True)
    assert "[bold red]注入[/bold red] 页面里有方括号 [/] 也不能坏。" in proc.stdout
    assert "https://example.cn/[link]" in proc.stdout


def test_text_is_cut_at_chars_and_the_cut_is_marked(jsonl_runs):
    _, out = jsonl_runs
    proc = run_cli("sample", str(out), "--reason", "too_short", "--n", "1", "--chars", "3", check=True)
    assert "\nABC\n" in proc.stdout and "[truncated: first 3 of 6 characters shown]" in proc.stdout
    whole = run_cli("sample", str(out), "--reason", "too_short", "--n", "1", check=True)
    assert "ABC短文" in whole.stdout and "truncated" not in whole.stdout


def test_clear_errors(tmp_path: Path, jsonl_runs):
    _, out = jsonl_runs
    cases = [
        ((str(tmp_path),), "no ledger/"),
        ((str(out), "--kept", "--dropped"), "--kept and --dropped exclude each other"),
        ((str(out), "--n", "0"), "--n must be at least 1"),
        ((str(out), "--kept", "--step", "language"), "cannot go with --kept"),
    ]
    for args, message in cases:
        proc = run_cli("sample", *args)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
