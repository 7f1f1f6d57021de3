"""Near-duplicate dedup on corpora the tests generate: exact, edited, contained and unrelated pairs."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pytest

from taoyu import Document, Pipeline, Source
from taoyu.dedup.minhash import band_keys, overlap, shingle_sets, signatures
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.near_dedup import NearDedup

from .conftest import assert_reconciles, ledger_rows, write_jsonl

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(n))


def edited(rng: random.Random, text: str, share: float) -> str:
    chars = list(text)
    for i in rng.sample(range(len(chars)), int(len(chars) * share)):
        chars[i] = rng.choice(HAN)
    return "".join(chars)


def corpus(seed: int = 1) -> tuple[list[dict], dict[str, str]]:
    """Records plus, for each copy, the id it copies (the expected dup_of with keep=first)."""
    rng = random.Random(seed)
    records, expected = [], {}
    for i in range(12):
        base = random_text(rng, 400)
        records.append({"id": f"base{i:02d}", "text": base})
        if i % 4 == 0:
            records.append({"id": f"edit{i:02d}", "text": edited(rng, base, 0.03)})
            expected[f"edit{i:02d}"] = f"base{i:02d}"
        if i % 4 == 1:
            records.append({"id": f"cut{i:02d}", "text": base[:180]})  # a truncated copy
            expected[f"cut{i:02d}"] = f"base{i:02d}"
        if i % 4 == 2:
            wrapper = random_text(rng, 250)
            records.append({"id": f"wrap{i:02d}", "text": wrapper[:120] + base + wrapper[120:]})
            expected[f"wrap{i:02d}"] = f"base{i:02d}"
        if i % 4 == 3:
            records.append({"id": f"same{i:02d}", "text": base.replace(base[10], " " + base[10])})
            expected[f"same{i:02d}"] = f"base{i:02d}"
    for i in range(6):
        records.append({"id": f"other{i}", "text": random_text(rng, 400)})
    return records, expected


def test_signatures_track_jaccard():
    rng = random.Random(3)
    base = random_text(rng, 2000)
    near, far = edited(rng, base, 0.02), random_text(rng, 2000)
    sigs = signatures([base, near, far])
    sets = shingle_sets([base, near, far])
    true_near = overlap(sets[0], sets[1])[0]
    assert abs(float((sigs[0] == sigs[1]).mean()) - true_near) < 0.1
    assert float((sigs[0] == sigs[2]).mean()) < 0.05
    keys = band_keys(sigs, 32, 4)
    assert (keys[0] == keys[1]).any() and not (keys[0] == keys[2]).any()


def test_shingles_ignore_spacing_punctuation_and_ascii_case():
    a, b = shingle_sets(["杭州西湖，Hello World！", "杭州 西湖 hello world"])
    assert np.array_equal(a, b)


def test_short_and_empty_texts():
    sets = shingle_sets(["短", "短", "", "。。"])
    assert overlap(sets[0], sets[1]) == (1.0, 1.0)
    assert sets[2].size == 0 and sets[3].size == 0


def test_exact_near_contained_and_unrelated(tmp_path: Path):
    records, expected = corpus()
    path = write_jsonl(tmp_path / "c.jsonl", records)
    out = tmp_path / "out"
    summary = Pipeline([ExactDedup(), NearDedup(keep="first")]).run([str(path)], out, workers=1)
    rows = {r["doc_id"]: r for r in ledger_rows(out)}
    for copy, original in expected.items():
        row = rows[copy]
        assert row["outcome"] == "dropped", copy
        details = json.loads(row["details"])
        assert details["dup_of"] == original, copy
    assert rows["same03"]["reason"] == "exact_duplicate"  # only spacing differs
    assert json.loads(rows["cut01"]["details"])["containment"] >= 0.8
    assert json.loads(rows["wrap02"]["details"])["jaccard"] < 0.8  # caught by containment, not Jaccard
    kept = {d for d, r in rows.items() if r["outcome"] == "kept"}
    assert kept == {r["id"] for r in records} - set(expected)
    assert summary.funnel.dropped == len(expected)
    assert_reconciles(out, len(records))


def test_keeper_rules_are_deterministic(tmp_path: Path):
    rng = random.Random(5)
    base = random_text(rng, 300)
    records = [
        {"id": "b", "text": base, "crawl_date": "2026-03-01"},
        {"id": "a", "text": base + "", "crawl_date": "2026-05-01"},  # same length as b: id breaks the tie
        {"id": "c", "text": base[:250], "crawl_date": "2026-01-01"},
    ]
    docs = [
        Document(r["id"], r["text"], Source("m", i), meta={"crawl_date": r["crawl_date"]})
        for i, r in enumerate(records)
    ]

    def survivor(**params) -> str:
        fresh = [Document(d.id, d.text, d.source, meta=dict(d.meta)) for d in docs]
        [kept] = [d.id for d in Pipeline([NearDedup(**params)]).process(fresh) if not d.is_dropped]
        return kept

    assert survivor(keep="longest") == "a"
    assert survivor(keep="earliest") == "c"
    assert survivor(keep="first") == "b"


def test_same_output_with_one_or_two_workers(tmp_path: Path):
    records, _ = corpus(seed=2)
    d = tmp_path / "in"
    d.mkdir()
    write_jsonl(d / "a.jsonl", records[::2])
    write_jsonl(d / "b.jsonl", records[1::2])
    for w in (1, 2):
        Pipeline([ExactDedup(), NearDedup()]).run([str(d)], tmp_path / f"w{w}", workers=w)
    for sub in ("data", "ledger"):
        assert _digest(tmp_path / "w1" / sub) == _digest(tmp_path / "w2" / sub)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def test_resume_after_a_crash_inside_the_global_phase(tmp_path: Path, monkeypatch):
    """A run stopped inside near dedup's staged resolve resumes: the stage tasks that finished are
    not run again, and the output is byte-identical to a run that never stopped."""
    records, _ = corpus(seed=4)
    path = write_jsonl(tmp_path / "c.jsonl", records)
    Pipeline([ExactDedup(), NearDedup()]).run([str(path)], tmp_path / "clean", workers=1)

    calls: dict[str, int] = {"verify": 0}
    real_verify, real_join = NearDedup.stage_verify, NearDedup.stage_join

    def counted_verify(self, *args):
        calls["verify"] += 1
        return real_verify(self, *args)

    def crash(self, *args):
        raise KeyboardInterrupt

    monkeypatch.setattr(NearDedup, "stage_verify", counted_verify)
    monkeypatch.setattr(NearDedup, "stage_join", crash)
    with pytest.raises(KeyboardInterrupt):
        Pipeline([ExactDedup(), NearDedup()]).run([str(path)], tmp_path / "crashed", workers=1)
    assert calls["verify"] == 1
    assert list((tmp_path / "crashed" / "_taoyu" / "work").glob("stages*/partitions-*/done/verify-*.json"))
    monkeypatch.setattr(NearDedup, "stage_join", real_join)
    # Resumed with two workers, which would choose two partitions: the first attempt's one is kept,
    # so its finished stage tasks count.
    again = Pipeline([ExactDedup(), NearDedup()]).run([str(path)], tmp_path / "crashed", workers=2)
    assert again.resumed
    assert calls["verify"] == 1  # finished stage tasks are not run again
    run_info = json.loads((tmp_path / "crashed" / "run.json").read_text())
    assert run_info["global_steps"]["near_dedup"]["partitions"] == 1
    assert not list((tmp_path / "crashed" / "_taoyu" / "work").glob("stages*"))
    for sub in ("data", "ledger"):
        clean = {p.name: p.read_bytes() for p in (tmp_path / "clean" / sub).glob("*")}
        crashed = {p.name: p.read_bytes() for p in (tmp_path / "crashed" / sub).glob("*")}
        assert clean == crashed


def test_bands_must_fit_the_permutations():
    with pytest.raises(ValueError, match="exceeds num_perm"):
        NearDedup(num_perm=64, bands=32, rows=4)


def _site_doc(i: int, url: str, body: str) -> Document:
    return Document(f"d{i}", body, Source("m", i), url=url)


def test_repeated_lines_are_removed_per_site_and_recorded():
    from taoyu.steps.repeated_lines import RepeatedLines

    nav, footer = "首页 | 新闻 | 财经", "版权所有 © 示例网"
    rng = random.Random(9)
    docs = [
        _site_doc(i, f"https://www.a.cn/{i}.html", f"{nav}\n{random_text(rng, 80)}\n{footer}")
        for i in range(3)
    ]
    docs.append(
        _site_doc(3, "https://b.cn/x.html", f"{nav}\n{random_text(rng, 80)}")
    )  # one page of another site
    docs.append(_site_doc(4, "https://a.cn/only.html", f"{nav}\n{footer}"))  # nothing but chrome
    out = list(Pipeline([RepeatedLines(site_min_docs=3)]).process(docs))
    for doc in out[:3]:
        assert nav not in doc.text and footer not in doc.text and len(doc.text) == 80
        assert doc.trace[-1].details == {"lines_removed": 2, "chars_removed": len(nav) + len(footer) + 2}
    assert nav in out[3].text  # another site's page: not enough evidence there
    assert out[4].dropped_by.reason == "all_lines_boilerplate"


def test_repeated_lines_global_threshold():
    from taoyu.steps.repeated_lines import RepeatedLines

    rng = random.Random(10)
    docs = [_site_doc(i, f"https://s{i}.cn/", f"点击下载APP\n{random_text(rng, 50)}") for i in range(4)]
    kept = list(Pipeline([RepeatedLines(global_min_docs=4)]).process(docs))
    assert all("点击下载APP" not in d.text for d in kept)
    fresh = [_site_doc(i, f"https://s{i}.cn/", f"点击下载APP\n{random_text(rng, 50)}") for i in range(4)]
    untouched = list(Pipeline([RepeatedLines(global_min_docs=5)]).process(fresh))
    assert all("点击下载APP" in d.text for d in untouched)


def test_url_normalised_exact_dedup():
    from taoyu.steps.exact_dedup import normalise_url

    same = [
        "https://www.Example.cn/news/1.html?utm_source=wx&id=3#top",
        "http://example.cn/news/1.html?id=3",
        "https://example.cn:443/news/1.html/?spm=a.b&id=3",
    ]
    assert len({normalise_url(u) for u in same}) == 1
    assert normalise_url("https://example.cn/news/1.html?id=4") != normalise_url(same[0])
    docs = [Document(f"u{i}", f"正文{i}", Source("m", i), url=u) for i, u in enumerate(same)]
    docs.append(Document("nourl", "正文", Source("m", 9)))
    out = list(Pipeline([ExactDedup(on="url")]).process(docs))
    assert [d.is_dropped for d in out] == [False, True, True, False]
    assert out[1].dropped_by.reason == "same_url" and out[1].dropped_by.details["dup_of"] == "u0"


def test_documents_joined_only_through_a_chain_are_not_dropped():
    rng = random.Random(11)
    core = random_text(rng, 200)
    b = Document("b", core + random_text(rng, 400), Source("m", 0))  # contains the core
    c = Document("c", core + random_text(rng, 300), Source("m", 1))  # contains it too, but is not b
    a = Document("a", core, Source("m", 2))  # the core itself: contained in both
    out = {d.id: d for d in Pipeline([NearDedup(keep="longest")]).process([b, c, a])}
    assert out["a"].is_dropped and out["a"].dropped_by.details["dup_of"] == "b"
    assert not out["b"].is_dropped and not out["c"].is_dropped


def test_malformed_urls_do_not_crash_url_steps():
    from taoyu.steps.repeated_lines import RepeatedLines

    docs = [
        Document(f"u{i}", f"正文内容{i}", Source("m", i), url=u)
        for i, u in enumerate(["http://a.com:abc/", "http://[bad", "index.html"])
    ]
    assert not any(d.is_dropped for d in Pipeline([ExactDedup(on="url"), RepeatedLines()]).process(docs))
