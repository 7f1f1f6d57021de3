"""The Ray executor on a real Ray cluster on this machine: same output as the local executor, killed
workers and a killed node retried without losing or doubling a record, and clear errors.

The cluster is the one named by TAOYU_RAY_ADDRESS (.ci/run starts a head and a second node on
loopback), or else one started here for the session. Either way it is checked to live on this
machine alone before any test uses it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from taoyu import Pipeline
from taoyu.recipe import RunConfig
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.html_to_text import HtmlToText
from taoyu.steps.length import LengthFilter
from taoyu.steps.near_dedup import NearDedup
from taoyu.steps.repeated_lines import RepeatedLines

from .conftest import REPO, assert_reconciles, ledger_rows, run_cli, text_records, write_jsonl, write_recipe
from .test_run import _mixed_inputs, _tree_digest


@pytest.fixture(scope="session")
def ray_address():
    ray = pytest.importorskip("ray", reason="ray is not installed: pip install 'taoyu[ray]'")
    from taoyu.executors.ray_local import LocalRayCluster, local_addresses

    given = os.environ.get("TAOYU_RAY_ADDRESS")
    cluster = None
    if given:
        address = given
    else:
        cluster = LocalRayCluster(nodes=1, cpus_per_node=2)
        address = cluster.start()
    try:
        ray.init(address=address, log_to_driver=False, logging_level="WARNING")
        try:
            nodes = [n["NodeManagerAddress"] for n in ray.nodes() if n["Alive"]]
        finally:
            ray.shutdown()
        foreign = set(nodes) - local_addresses()
        if foreign:
            pytest.fail(f"the Ray cluster at {address} has nodes on other hosts: {sorted(foreign)}")
        yield address
    finally:
        if cluster is not None:
            cluster.stop()


def _digests(out: Path) -> dict[str, dict[str, str]]:
    return {sub: _tree_digest(out, sub) for sub in ("data", "ledger")}


def _all_global_steps(partitions: int = 0) -> Pipeline:
    return Pipeline(
        [
            HtmlToText(),
            LengthFilter(min_chars=20),
            ExactDedup(),
            NearDedup(keep="earliest"),
            RepeatedLines(site_min_docs=2, global_min_docs=5),
        ],
        run=RunConfig(partitions=partitions),
    )


def test_ray_run_is_byte_identical_to_the_local_run(tmp_path: Path, ray_address: str):
    inputs = _mixed_inputs(tmp_path)
    local = _all_global_steps().run(inputs, tmp_path / "local", workers=2)
    # Three partitions: the exact-dedup and repeated-lines shuffles really split by key.
    on_ray = _all_global_steps(partitions=3).run(
        inputs, tmp_path / "ray", executor="ray", address=ray_address
    )
    assert _digests(tmp_path / "ray") == _digests(tmp_path / "local")
    assert len(_digests(tmp_path / "ray")["data"]) >= 2
    assert on_ray.funnel.as_dict() == local.funnel.as_dict()
    assert (tmp_path / "ray" / "stats.json").read_bytes() == (tmp_path / "local" / "stats.json").read_bytes()
    reasons = {r["reason"] for r in ledger_rows(tmp_path / "ray")}
    assert {"exact_duplicate", "near_duplicate"} <= reasons
    edited = [r for r in ledger_rows(tmp_path / "ray") if "repeated_lines" in (r["trace"] or "")]
    assert edited, "repeated_lines should have edited some documents"
    run_info = json.loads((tmp_path / "ray" / "run.json").read_text())
    assert run_info["executor"] == "ray" and run_info["cluster"]["cpus"] >= 1
    log = (tmp_path / "ray" / "logs" / "run.log").read_text()
    assert "shuffle:" in log and "3 partitions" in log


# --- killed workers, a killed driver ------------------------------------------------------------


def _records(prefix: str, n: int) -> list[dict]:
    return [{**r, "text": f"{prefix}：{r['text']}"} for r in text_records(n, prefix)]


def _kill_recipe(root: Path, out: Path, kills: Path | None, node_kills: Path | None = None) -> Path:
    """Three input files; ``crash_once`` in phase 0 (at record 3) and phase 1 (at record 1), and
    ``kill_node_once`` in both phases. Without marker folders, those steps do nothing."""
    d = root / "kill_in"
    if not d.exists():
        d.mkdir()
        for i in range(3):  # 8 documents of its own, then copies of part0's first two
            write_jsonl(d / f"part{i}.jsonl", _records(f"f{i}", 8) + _records("f0", 2))

    def marker(phase: int) -> str:
        return json.dumps(str(kills / f"phase{phase}")) if kills else "null"

    node = json.dumps(str(node_kills)) if node_kills else "null"
    return write_recipe(
        root / f"{out.name}.yaml",
        [d],
        out,
        f"- step: crash_once\n  marker_dir: {marker(0)}\n  at_index: 3\n"
        f"- step: kill_node_once\n  marker_dir: {node}\n"
        "- step: slow\n  seconds: 0.02\n"  # tasks overlap, so they spread over the nodes
        "- step: length_filter\n  min_chars: 5\n"
        "- step: exact_dedup\n"
        f"- step: crash_once\n  marker_dir: {marker(1)}\n  at_index: 1\n"
        f"- step: kill_node_once\n  marker_dir: {node}\n",
    )


@pytest.fixture(scope="module")
def kill_setup(tmp_path_factory, ray_address: str):
    """The inputs, the plugin environment and a local reference run without kills, shared."""
    from .conftest import write_plugin

    root = tmp_path_factory.mktemp("kills")
    plugin = write_plugin(root / "plugin")
    env = {"PYTHONPATH": os.pathsep.join([str(plugin), str(REPO / "src")])}
    ref = root / "ref"
    run_cli("run", str(_kill_recipe(root, ref, None)), "--workers", "1", env=env, check=True)
    return root, env, _digests(ref)


def _assert_each_record_once(out: Path, n: int) -> None:
    assert_reconciles(out, n)
    ids = [(r["source_file"], r["source_index"]) for r in ledger_rows(out)]
    assert len(ids) == len(set(ids)) == n


def test_a_killed_worker_is_retried_and_no_record_is_lost_or_doubled(kill_setup, ray_address: str):
    root, env, reference = kill_setup
    out, kills = root / "killed", root / "kills-ray"
    proc = run_cli(
        "run", str(_kill_recipe(root, out, kills)), "--executor", "ray", "--address", ray_address, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Each task's worker was SIGKILLed mid-task once in each phase (a marker is written just before
    # the worker kills itself), and Ray's retry finished the task.
    assert len(list((kills / "phase0").glob("*.killed"))) == 3
    assert len(list((kills / "phase1").glob("*.killed"))) == 3
    assert _digests(out) == reference
    _assert_each_record_once(out, 30)


def test_a_local_run_killed_mid_way_resumes_on_ray(kill_setup, ray_address: str):
    """Same markers, same shards: a run whose process died resumes on the other executor."""
    root, env, reference = kill_setup
    out, kills = root / "resumed", root / "kills-local"
    recipe = _kill_recipe(root, out, kills)
    (kills / "phase0").mkdir(parents=True)
    for i in range(3):  # no kills in phase 0: the local run gets to phase 1 before it dies
        (kills / "phase0" / f"part{i}.jsonl.killed").touch()
    first = run_cli("run", str(recipe), "--workers", "1", env=env)  # in-process: the kill ends the run
    assert first.returncode != 0 and not (out / "stats.json").exists()
    assert len(list((out / "_taoyu" / "markers").glob("phase0-*.json"))) == 3
    assert not list((out / "_taoyu" / "markers").glob("phase1-*.json"))
    second = run_cli("run", str(recipe), "--executor", "ray", "--address", ray_address, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "resumed" in second.stdout
    assert len(list((kills / "phase1").glob("*.killed"))) == 3  # Ray workers died on the other two
    assert _digests(out) == reference
    _assert_each_record_once(out, 30)


def test_near_dedup_resolve_on_ray_survives_killed_workers_for_any_partition_count(
    tmp_path: Path, ray_address: str
):
    """Near dedup's staged resolve on Ray, with 1 and 8 partitions and every verify and keeper
    task's worker SIGKILLed once: Ray retries them, and the output is byte-identical to a local
    run with the default partitions."""
    from .conftest import write_plugin
    from .test_near_dedup_stages import _inputs

    inputs = _inputs(tmp_path)
    plugin = write_plugin(tmp_path / "plugin")
    env = {"PYTHONPATH": os.pathsep.join([str(plugin), str(REPO / "src")])}

    def recipe(name: str, marker: Path | None, partitions: int) -> Path:
        where = json.dumps(str(marker)) if marker else "null"
        step = f"- step: near_dedup_kill_resolve\n  marker_dir: {where}\n"
        extra = f"run: {{partitions: {partitions}}}\n"
        return write_recipe(tmp_path / f"{name}.yaml", [inputs], tmp_path / name, step, extra=extra)

    run_cli("run", str(recipe("local", None, 0)), "--workers", "2", env=env, check=True)
    reference = _digests(tmp_path / "local")
    for partitions in (1, 8):
        kills = tmp_path / f"kills{partitions}"
        out = f"ray{partitions}"
        proc = run_cli(
            "run", str(recipe(out, kills, partitions)), "--executor", "ray", "--address", ray_address, env=env
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert len(list(kills.glob("verify-*.killed"))) == partitions
        assert len(list(kills.glob("keepers-*.killed"))) == partitions
        assert _digests(tmp_path / out) == reference


# --- clear errors -------------------------------------------------------------------------------


def test_unreachable_cluster_is_a_clear_error(tmp_path: Path):
    pytest.importorskip("ray", reason="ray is not installed: pip install 'taoyu[ray]'")
    from taoyu.executors.ray_local import free_port

    data = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    recipe = write_recipe(tmp_path / "r.yaml", [data], tmp_path / "out", "- step: length_filter\n")
    address = f"127.0.0.1:{free_port()}"
    proc = run_cli("run", str(recipe), "--executor", "ray", "--address", address)
    assert proc.returncode == 2, proc.stderr
    assert f"cannot reach a Ray cluster at {address}" in proc.stderr and "ray start --head" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


def test_missing_ray_is_a_clear_error(tmp_path: Path):
    fake = tmp_path / "no_ray" / "ray"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    data = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    recipe = write_recipe(tmp_path / "r.yaml", [data], tmp_path / "out", "- step: length_filter\n")
    env = {"PYTHONPATH": os.pathsep.join([str(fake.parent), str(REPO / "src")])}
    proc = run_cli("run", str(recipe), "--executor", "ray", env=env)
    assert proc.returncode == 2 and "pip install 'taoyu[ray]'" in proc.stderr, proc.stderr
    run_cli("run", str(recipe), env=env, check=True)  # and a local run never needs ray


# --- a node killed mid-task (last: it leaves a dead node in the cluster) ---------------------------


def test_a_killed_node_is_survived_with_identical_output(kill_setup, ray_address: str):
    """A third node joins the cluster; a task on it kills the node's raylet mid-task, and the
    node's tasks are retried on the others."""
    from taoyu.executors.ray_local import LocalRayCluster

    root, env, reference = kill_setup
    out, node_kills = root / "node_killed", root / "kills-node"
    recipe = _kill_recipe(root, out, None, node_kills)
    victim = {"TAOYU_TEST_VICTIM_NODE": "1"}
    with LocalRayCluster(nodes=1, cpus_per_node=1, join=ray_address, env=victim):
        proc = run_cli("run", str(recipe), "--executor", "ray", "--address", ray_address, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "raylet" in (node_kills / "node.killed").read_text(), "no task ran on the node to kill"
    assert _digests(out) == reference
    _assert_each_record_once(out, 30)
