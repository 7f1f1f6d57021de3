"""The trusted dataset: the card (README.md, croissant.json) from a real run, and the signed
manifest that catches every change to the folder."""

from __future__ import annotations

import base64
import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from taoyu.digests import sha256_file
from taoyu.publish import manifest
from taoyu.publish.card import size_category, write_card
from taoyu.publish.manifest import MANIFEST, SIGNATURE, ManifestError

from .conftest import REPO, ledger_rows, run_cli


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    """The built-in example, run once with its rejects kept, then carded."""
    out = tmp_path_factory.mktemp("trust") / "out"
    run_cli("run", "recipes/zh-web.yaml", "--output", str(out), "--keep-rejects", check=True)
    run_cli("card", str(out), check=True)
    return out


@pytest.fixture(scope="module")
def partitioned_run(tmp_path_factory) -> Path:
    """The example again, its data partitioned by industry."""
    root = tmp_path_factory.mktemp("trust-part")
    recipe = (REPO / "recipes" / "zh-web.yaml").read_text(encoding="utf-8")
    recipe = recipe.replace("output:\n", "output:\n  partition_by: [industry]\n", 1)
    recipe += "card:\n  pretty_name: 杭州行业语料\n  license: cc-by-4.0\n  creator: taoyu tests\n  homepage: https://example.org/corpus\n"
    path = root / "r.yaml"
    path.write_text(recipe, encoding="utf-8")
    out = root / "out"
    run_cli("run", str(path), "--output", str(out), check=True)
    write_card(out)
    return out


def _front_matter(readme: Path) -> dict:
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _validate(jsonld: Path) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("mlcroissant")
    return subprocess.run(
        [str(cli), "validate", "--jsonld", str(jsonld)], capture_output=True, text=True, timeout=300
    )


# -- the card -------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["example_run", "partitioned_run"])
def test_croissant_validates_with_no_errors_or_warnings(which, request):
    out = request.getfixturevalue(which)
    proc = _validate(out / "croissant.json")
    assert proc.returncode == 0, proc.stderr
    log = proc.stdout + proc.stderr
    assert "warning" not in log.lower() and "error" not in log.lower(), log
    assert not [line for line in log.splitlines() if line[:1] in ("W", "E")], log


def test_croissant_loads_the_records_and_lists_digests(partitioned_run: Path):
    import mlcroissant as mlc

    doc = json.loads((partitioned_run / "croissant.json").read_text(encoding="utf-8"))
    objects = {d["contentUrl"]: d["sha256"] for d in doc["distribution"] if d["@type"] == "cr:FileObject"}
    shards = sorted(
        p.relative_to(partitioned_run).as_posix() for p in (partitioned_run / "data").rglob("*.parquet")
    )
    assert sorted(objects) == shards
    assert all(objects[s] == sha256_file(partitioned_run / s) for s in shards)
    assert doc["name"] == "杭州行业语料" and doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    dataset = mlc.Dataset(jsonld=str(partitioned_run / "croissant.json"))
    kept = [r for r in ledger_rows(partitioned_run) if r["outcome"] == "kept"]
    records = list(dataset.records(record_set="default"))
    assert len(records) == len(kept)
    assert {r["default/id"].decode() for r in records} == {r["doc_id"] for r in kept}
    for record_set in (r["@id"] for r in doc["recordSet"] if r["@id"] != "default"):
        code = record_set.removeprefix("industry_")
        rows = list(dataset.records(record_set=record_set))
        assert rows and all(r[f"{record_set}/industry"].decode() == code for r in rows)


def test_datasets_loads_every_config(partitioned_run: Path):
    import datasets

    meta = _front_matter(partitioned_run / "README.md")
    names = [c["config_name"] for c in meta["configs"]]
    data = pa.concat_tables(pq.read_table(f) for f in sorted((partitioned_run / "data").rglob("*.parquet")))
    by_industry = Counter(data.column("industry").to_pylist())
    assert names == ["default"] + [f"industry_{c}" for c in sorted(by_industry)]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    for name in names:
        ds = datasets.load_dataset(str(partitioned_run), name, split="train")
        expected = data.num_rows if name == "default" else by_industry[name.removeprefix("industry_")]
        assert ds.num_rows == expected == infos[name]["splits"][0]["num_examples"]
    assert meta["license"] == "cc-by-4.0" and meta["pretty_name"] == "杭州行业语料"


def test_card_numbers_reconcile_with_the_ledger(example_run: Path):
    rows = ledger_rows(example_run)
    meta = _front_matter(example_run / "README.md")
    readme = (example_run / "README.md").read_text(encoding="utf-8")
    kept = sum(r["outcome"] == "kept" for r in rows)
    info = meta["dataset_info"]
    assert info["splits"][0]["num_examples"] == kept == pq.read_table(example_run / "data").num_rows
    assert meta["size_categories"] == [size_category(kept)]
    assert meta["language"] == ["zh"]
    assert info["download_size"] == sum(p.stat().st_size for p in (example_run / "data").rglob("*.parquet"))
    # Reasons that carry detail after a colon (spam:title_lexicon) count as their family.
    dropped = Counter((r["step"], r["reason"].split(":")[0]) for r in rows if r["outcome"] == "dropped")
    funnel = f"Funnel: {len(rows):,} in = {kept:,} kept + {sum(dropped.values()):,} dropped + 0 input errors."
    assert funnel in readme
    table = {
        line.split("|")[2].strip(" `"): line.split("|")[4]
        for line in readme.splitlines()
        if line.startswith("| ") and "`" in line.split("|")[2]
    }
    for (step, reason), n in dropped.items():
        assert f"{n:,} {reason}" in table[step], (step, reason)
    for step in table:
        listed = sum(
            int(part.split()[0].replace(",", "")) for part in table[step].split(";") if part.strip() != "0"
        )
        assert listed == sum(n for (s, _), n in dropped.items() if s == step)
    optout = Counter(r["reason"] for r in rows if r["step"] == "optout")
    assert sum(optout.values()) == 8
    assert f"{sum(optout.values()):,} pages were left out" in readme
    for line in readme.splitlines():
        if "`noai`" in line and line.startswith("|"):
            assert line.endswith(f"| {optout['noai']:,} |")
    pii_kept: Counter = Counter()
    pii_dropped: Counter = Counter()
    for r in rows:
        for e in json.loads(r["trace"] or "[]"):
            if e["step"] == "redact_pii":
                pii = (e.get("details") or {}).get("pii") or {}
                if e["action"] == "drop":
                    pii_dropped.update(pii)
                elif r["outcome"] == "kept":
                    pii_kept.update(pii)
    assert pii_kept and pii_dropped
    for kind, n in {**pii_kept}.items():
        assert f"{kind} {n:,}" in readme.split("## Personal")[1].split("\n\n")[1]
    for kind, n in pii_dropped.items():
        assert f"{kind} {n:,}" in readme.split("personal-data dumps; they held:")[1].split("\n")[0]
    spam = sum(1 for r in rows if r["outcome"] == "dropped" and r["step"] in ("spam", "safety"))
    assert f"{spam:,} documents were dropped as unsafe" in readme
    assert "| casino-888.example | 1 | 1 | 100.0% | 0 |" in readme  # the gambling site, for review
    sites: dict[str, list[int]] = {}
    for r in rows:
        host = r["url"].split("/")[2].removeprefix("www.")
        counts = sites.setdefault(host, [0, 0])
        counts[0] += 1
        counts[1] += r["outcome"] == "dropped" and r["step"] in ("spam", "safety")
    flagged = sum(1 for n, unsafe in sites.values() if unsafe / n > 0.05)
    assert f"Sites whose share of such drops is above 5%: {flagged:,}." in readme


def test_card_never_prints_personal_values(example_run: Path):
    card = (example_run / "README.md").read_text(encoding="utf-8") + (
        example_run / "croissant.json"
    ).read_text(encoding="utf-8")
    rejects = pq.read_table(example_run / "rejects").column("text").to_pylist()
    import re

    numbers = {m for t in rejects for m in re.findall(r"1[3-9]\d{9}|\d{17}[\dXx]", t)}
    assert numbers  # the example's leaked member list
    assert not [n for n in numbers if n in card]


def test_card_of_a_folder_that_is_not_a_run(tmp_path: Path):
    proc = run_cli("card", str(tmp_path))
    assert proc.returncode == 2 and "no run.json" in proc.stderr


# -- the signed manifest -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("keys")
    proc = run_cli("keygen", str(root / "taoyu"), check=True)
    assert "taoyu.pub" in proc.stdout
    assert (root / "taoyu").stat().st_mode & 0o077 == 0  # the private key is the owner's alone
    return root / "taoyu", root / "taoyu.pub"


@pytest.fixture
def signed(example_run: Path, keys, tmp_path: Path) -> Path:
    out = tmp_path / "signed"
    shutil.copytree(example_run, out)
    run_cli("sign", str(out), "--key", str(keys[0]), check=True)
    return out


def test_manifest_is_an_in_toto_statement_with_provenance(signed: Path):
    statement = json.loads((signed / MANIFEST).read_text())
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    names = [s["name"] for s in statement["subject"]]
    assert {"README.md", "croissant.json", "run.json", "stats.json", "recipe.yaml", "logs/run.log"} <= set(
        names
    )
    assert any(n.startswith("data/") for n in names) and any(n.startswith("ledger/") for n in names)
    assert any(n.startswith("rejects/") for n in names)
    assert not [n for n in names if n.startswith("_taoyu/") or n in (MANIFEST, SIGNATURE)]
    predicate = statement["predicate"]
    assert statement["predicateType"] == "https://slsa.dev/provenance/v1"
    deps = predicate["buildDefinition"]["resolvedDependencies"]
    run = json.loads((signed / "run.json").read_text())
    assert {
        "uri": "file:examples/zh-web.warc.gz",
        "name": "input",
        "digest": {"sha256": run["inputs"][0]["sha256"]},
    } in deps
    models = {d["name"]: d["digest"]["sha256"] for d in deps if d.get("name", "").endswith(":model")}
    assert set(models) == {"safety:model", "industry:model", "quality_model:model"}
    assert (
        predicate["buildDefinition"]["externalParameters"]["recipe"]["digest"]["sha256"]
        == run["recipe_digest"]
    )
    envelope = json.loads((signed / SIGNATURE).read_text())
    assert base64.b64decode(envelope["payload"]) == (signed / MANIFEST).read_bytes()
    assert envelope["payloadType"] == "application/vnd.in-toto+json"


def test_verify_passes_on_an_untouched_folder(signed: Path, keys):
    proc = run_cli("verify", str(signed), "--pub", str(keys[1]))
    assert proc.returncode == 0 and proc.stdout.startswith("OK")


def test_verify_catches_every_random_change(signed: Path, keys):
    """At least 1,000 random edits, truncations, renames, added and removed files across data,
    ledger, rejects, card and records: each one is named; the folder restored verifies again."""
    rng = random.Random(20261207)
    public = keys[1]
    files = manifest.subject_files(signed)
    assert len(files) >= 10
    checked = 0
    for _ in range(1000):
        name = rng.choice(files)
        path = signed / name
        original = path.read_bytes()
        kind = rng.choice(["byte", "truncate", "rename", "add", "remove"])
        if kind == "byte":
            data = bytearray(original)
            i = rng.randrange(len(data))
            data[i] ^= rng.randrange(1, 256)
            path.write_bytes(bytes(data))
            expect = ("changed", name)
        elif kind == "truncate":
            path.write_bytes(original[: rng.randrange(len(original))])
            expect = ("changed", name)
        elif kind == "rename":
            moved = path.with_name(path.name + rng.choice([".bak", "~", "-1"]))
            path.rename(moved)
            expect = ("missing", name)
        elif kind == "add":
            folder = rng.choice(sorted({str(Path(f).parent) for f in files}))
            extra = signed / folder / f"added-{rng.randrange(10**6)}.parquet"
            extra.write_bytes(rng.randbytes(rng.randrange(0, 64)))
            expect = ("extra", extra.relative_to(signed).as_posix())
        else:
            path.unlink()
            expect = ("missing", name)
        result = manifest.verify(signed, public, workers=1)
        assert not result.ok
        assert expect[1] in getattr(result, expect[0]), (kind, name)
        if kind == "rename":
            assert moved.relative_to(signed).as_posix() in result.extra
            moved.rename(path)
        elif kind == "add":
            extra.unlink()
        else:
            path.write_bytes(original)
        checked += 1
    assert checked >= 1000
    assert manifest.verify(signed, public).ok


def test_a_tampered_signature_or_manifest_or_a_wrong_key_fails(signed: Path, keys, tmp_path: Path):
    other = tmp_path / "other"
    run_cli("keygen", str(other), check=True)
    proc = run_cli("verify", str(signed), "--pub", str(other) + ".pub")
    assert proc.returncode == 1 and "does not verify" in proc.stderr and "another key" in proc.stderr

    envelope_path = signed / SIGNATURE
    original = envelope_path.read_bytes()
    envelope = json.loads(original)
    sig = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    sig[5] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    envelope_path.write_bytes(orjson.dumps(envelope))
    with pytest.raises(ManifestError, match="does not verify"):
        manifest.verify(signed, keys[1])
    envelope_path.write_bytes(original)

    statement_path = signed / MANIFEST
    statement = statement_path.read_bytes()
    statement_path.write_bytes(statement.replace(b'"sha256": "', b'"sha256": "0', 1))
    proc = run_cli("verify", str(signed), "--pub", str(keys[1]))
    assert proc.returncode == 1 and "edited after signing" in proc.stderr
    statement_path.write_bytes(statement)

    envelope_path.write_text("not json")
    with pytest.raises(ManifestError, match="not a DSSE envelope"):
        manifest.verify(signed, keys[1])
    envelope_path.unlink()
    with pytest.raises(ManifestError, match="missing"):
        manifest.verify(signed, keys[1])


def test_keys_are_checked(tmp_path: Path, keys):
    (tmp_path / "bad.pem").write_text("hello")
    with pytest.raises(ManifestError, match=r"bad\.pem"):
        manifest.load_private_key(tmp_path / "bad.pem")
    with pytest.raises(ManifestError, match=r"taoyu\.pub"):
        manifest.load_private_key(keys[1])
    proc = run_cli("keygen", str(keys[0]))
    assert proc.returncode == 2 and "exists" in proc.stderr


def test_a_file_written_after_signing_is_extra(signed: Path, keys):
    (signed / "report.html").write_text("<html></html>")
    proc = run_cli("verify", str(signed), "--pub", str(keys[1]))
    assert proc.returncode == 1 and "extra: report.html" in proc.stdout


def test_links_are_refused_when_signing_and_reported_when_verifying(signed: Path, keys, tmp_path: Path):
    import os

    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "part-99999.parquet").write_bytes(b"not data")
    (signed / "data" / "industry=ZZ").symlink_to(target)
    result = manifest.verify(signed, keys[1])
    assert result.extra == ["data/industry=ZZ"] and not result.changed
    with pytest.raises(ManifestError, match="symbolic link"):
        manifest.sign(signed, keys[0])
    (signed / "data" / "industry=ZZ").unlink()
    shard = next((signed / "data").glob("*.parquet"))
    moved = tmp_path / shard.name
    shard.rename(moved)
    shard.symlink_to(moved)  # the same bytes, through a link: still a change
    assert manifest.verify(signed, keys[1]).changed == [shard.relative_to(signed).as_posix()]
    shard.unlink()
    os.mkfifo(shard)  # never read: reading a pipe would hang
    assert manifest.verify(signed, keys[1]).changed == [shard.relative_to(signed).as_posix()]


def test_card_refuses_what_it_cannot_describe(example_run: Path, tmp_path: Path):
    from taoyu.publish.facts import FactsError

    changed = tmp_path / "changed"
    shutil.copytree(example_run, changed)
    stats = json.loads((changed / "stats.json").read_text())
    stats["kept"] += 1
    (changed / "stats.json").write_text(json.dumps(stats))
    with pytest.raises(FactsError, match="disagree"):
        write_card(changed)

    old = tmp_path / "old"  # a ledger written before it had a url column
    shutil.copytree(example_run, old)
    for path in (old / "ledger").glob("*.parquet"):
        pq.write_table(pq.read_table(path).drop(["url"]), path)
    write_card(old)
    assert "Sites (hosts) in the input: 0." in (old / "README.md").read_text(encoding="utf-8")

    recipe = (
        (REPO / "recipes" / "zh-web.yaml")
        .read_text(encoding="utf-8")
        .replace("output:\n", "output:\n  format: jsonl\n", 1)
    )
    (tmp_path / "j.yaml").write_text(recipe, encoding="utf-8")
    run_cli("run", str(tmp_path / "j.yaml"), "--output", str(tmp_path / "j"), check=True)
    proc = run_cli("card", str(tmp_path / "j"))
    assert proc.returncode == 2 and "Parquet" in proc.stderr
