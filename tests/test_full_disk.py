"""A full disk under the output folder: the run stops with a message naming the folder, publishes
nothing half-written, and once space is freed the same command resumes to byte-identical output.

Two ways in: a real small filesystem (a tmpfs, which needs root's mount), where every write of
every process can be the one that fails; and, where mounting is not allowed, Parquet writes that
fail on demand in process, at the first, a middle and the last write of the run.
"""

from __future__ import annotations

import errno
import logging
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from taoyu import Pipeline
from taoyu.output import OutputDiskFullError
from taoyu.steps.exact_dedup import ExactDedup
from taoyu.steps.length import LengthFilter
from taoyu.steps.near_dedup import NearDedup

from .conftest import REPO, assert_reconciles, run_cli, write_jsonl, write_recipe

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
STEPS = """\
- step: length_filter
  min_chars: 50
- step: exact_dedup
- step: near_dedup
"""


def _records(n: int = 240) -> list[dict]:
    """Unrelated texts with exact and near copies among them, so both dedup resolves write files."""
    rng = random.Random(7)
    records = []
    for i in range(n):
        text = "".join(rng.choice(HAN) for _ in range(300))
        records.append({"id": f"d{i:03d}", "text": text})
        if i % 5 == 0:
            records.append({"id": f"c{i:03d}", "text": text})
        if i % 7 == 0:
            records.append({"id": f"n{i:03d}", "text": text[:290] + "。附记"})
    return records


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file of the dataset and ledger, and the funnel: what must be byte-identical."""
    files = {
        str(p.relative_to(out)): p.read_bytes() for sub in ("data", "ledger") for p in (out / sub).rglob("*")
    }
    files["stats.json"] = (out / "stats.json").read_bytes()
    return files


def _assert_nothing_half_published(out: Path, ref: Path) -> None:
    """What a stopped run leaves in the folders users read is final: each file there is already
    byte for byte the file the finished run has (a shard cut short would still be valid Parquet)."""
    for sub in ("data", "ledger"):
        for path in (out / sub).rglob("*") if (out / sub).exists() else []:
            assert path.read_bytes() == (ref / path.relative_to(out)).read_bytes(), f"half-written: {path}"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs mount whose size the test sets; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {proc.stderr.decode().strip()}")

    def resize(kib: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={kib}k", str(mount)], check=True)

    try:
        yield mount, resize
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_run_cleanly_and_the_rerun_resumes_identically(
    tmp_path: Path, small_disk, plugin_path: Path
):
    """The disk fills up while the first phase writes its shards, inside the dedup resolves, and
    (shrunk under a running job) while the last phase publishes the dataset."""
    mount, resize = small_disk
    inputs = [str(write_jsonl(tmp_path / "in.jsonl", _records()))]
    steps = STEPS + "- step: slow\n  seconds: 0.004\n"  # time to shrink the disk in the last phase
    started = tmp_path / "last_phase_started"
    env = {"PYTHONPATH": os.pathsep.join([str(plugin_path), str(REPO / "src")])}
    ref = tmp_path / "ref"
    run_cli(
        "run",
        str(write_recipe(tmp_path / "ref.yaml", inputs, ref, steps)),
        "--workers",
        "2",
        env=env,
        check=True,
    )
    final_kib = sum(p.stat().st_size for p in ref.rglob("*") if p.is_file()) // 1024
    stopped = 0
    for share in (1.0, 3.0, 4.5, None):
        out = mount / f"out{share}"
        used_kib = shutil.disk_usage(mount).used // 1024
        recipe = write_recipe(tmp_path / f"r{share}.yaml", inputs, out, steps)
        if share is not None:
            resize(used_kib + int(final_kib * share))
            first = run_cli("run", str(recipe), "--workers", "2", env=env)
        else:
            first = _shrunk_in_the_last_phase(
                recipe, {**env, "TAOYU_TEST_SLOW_MARKER": str(started)}, started, resize
            )
        if first.returncode == 0:
            continue  # enough room at this size: nothing to resume
        stopped += 1
        assert first.returncode == 1, first.stderr
        assert f"no space left on the disk holding {out}" in " ".join(first.stderr.split()), first.stderr
        assert "Traceback" not in first.stderr and "Logging error" not in first.stderr, first.stderr
        _assert_nothing_half_published(out, ref)
        resize(64 * 1024)
        second = run_cli("run", str(recipe), "--workers", "2", env=env, check=True)
        assert "resumed" in second.stdout
        assert _outputs(out) == _outputs(ref)
        assert_reconciles(out, len(_records()))
    assert stopped >= 3, "the disk sizes tried did not fill up: the test proved nothing"


def _shrunk_in_the_last_phase(recipe: Path, env: dict, started: Path, resize) -> subprocess.CompletedProcess:
    """Run with room to spare, and take the room away once the last phase's slow step has begun."""
    resize(64 * 1024)
    proc = subprocess.Popen(
        [sys.executable, "-m", "taoyu.cli", "run", str(recipe), "--workers", "2"],
        env={**os.environ, "COLUMNS": "200", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    mount = Path(str(recipe)).parent / "disk"
    used_kib = shutil.disk_usage(mount).used // 1024
    resize(used_kib + 8)
    try:
        stdout, stderr = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()  # before the disk it writes to is unmounted
        proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _pipeline() -> Pipeline:
    return Pipeline([LengthFilter(min_chars=50), ExactDedup(), NearDedup()])


def test_a_write_that_finds_the_disk_full_is_named_and_the_run_resumes_identically(
    tmp_path: Path, monkeypatch
):
    """Where no filesystem can be mounted: Parquet writes (shards, ledger, decisions) fail on demand."""
    inputs = [str(write_jsonl(tmp_path / "in.jsonl", _records(120)))]
    ref = tmp_path / "ref"
    real_write = pq.ParquetWriter.write_table
    calls = {"n": 0, "fail_at": 0}

    def write_table(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == calls["fail_at"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", write_table)
    _pipeline().run(inputs, ref, workers=1)
    writes = calls["n"]
    assert writes >= 5
    for fail_at in sorted({1, writes // 2, writes}):
        out = tmp_path / f"out{fail_at}"
        calls.update(n=0, fail_at=fail_at)
        with pytest.raises(OutputDiskFullError, match=f"no space left on the disk holding {out}") as caught:
            _pipeline().run(inputs, out, workers=1)
        assert caught.value.errno == errno.ENOSPC
        _assert_nothing_half_published(out, ref)
        calls.update(n=0, fail_at=0)
        assert _pipeline().run(inputs, out, workers=1).resumed
        assert _outputs(out) == _outputs(ref)


def test_a_run_log_write_that_fails_is_dropped_quietly(tmp_path: Path, capsys):
    """On a full disk the run log cannot be written either; logging's own traceback on the console
    would bury the one line that says what happened, so the run log's handler drops the record."""
    from taoyu.output import OutputLayout
    from taoyu.pipeline import _attach_run_log

    handler = _attach_run_log(OutputLayout(tmp_path / "out"))

    class FullDisk:
        def write(self, text: str) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self) -> None:
            pass

    handler.stream = FullDisk()
    try:
        logging.getLogger("taoyu").error("this line cannot be written")
    finally:
        logging.getLogger("taoyu").removeHandler(handler)
    assert "Logging error" not in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_an_aborted_writer_deletes_its_shards_even_when_closing_them_fails(tmp_path: Path, fmt: str):
    """On a full disk, closing a shard (a Parquet footer, a buffered JSONL tail) fails too: the
    temp shards are deleted all the same, and the abort raises nothing of its own."""
    import pyarrow as pa

    from taoyu.io.writers import ShardWriter

    writer = ShardWriter(
        tmp_path / "data", "part", pa.schema([("text", pa.string())]), fmt=fmt, max_rows_per_shard=2,
        tmp_dir=tmp_path,
    )  # fmt: skip
    for i in range(3):
        writer.write({"text": f"杭州第{i}条"})
    writer._flush()
    handle = writer._parquet if fmt == "parquet" else writer._jsonl

    class FullDisk:
        def __getattr__(self, name):
            return getattr(handle, name)

        def close(self):
            handle.close()
            raise OSError(errno.ENOSPC, "No space left on device")

    if fmt == "parquet":
        writer._parquet = FullDisk()
    else:
        writer._jsonl = FullDisk()
    assert list(tmp_path.glob("*.tmp-*"))
    writer.abort()
    assert not list(tmp_path.glob("*.tmp-*"))


def test_a_full_disk_outside_the_output_folder_is_the_one_named(tmp_path: Path):
    """A write outside the output (a scratch folder, a cache) that finds its disk full names that
    folder: freeing space next to the output would not help."""
    from taoyu.output import naming_full_disk

    out = tmp_path / "out"
    for written, named in ((tmp_path / "scratch" / "x.bin", tmp_path / "scratch"), (out / "data" / "x", out)):
        with pytest.raises(OutputDiskFullError) as caught, naming_full_disk(out):
            raise OSError(errno.ENOSPC, "No space left on device", str(written))
        assert str(caught.value).startswith(f"no space left on the disk holding {named}")
        assert ("outside the run's output folder" in str(caught.value)) == (named != out)


def test_a_run_log_that_cannot_be_opened_leaves_the_output_unlocked(tmp_path: Path, monkeypatch):
    """The run log is opened after the output is locked: when the disk is too full to open it,
    the lock is let go, so the same process (a notebook, a scheduler) can rerun once there is space."""
    from taoyu import pipeline

    inputs = [str(write_jsonl(tmp_path / "in.jsonl", _records(20)))]
    real_attach = pipeline._attach_run_log

    def full(layout):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "_attach_run_log", full)
    with pytest.raises(OutputDiskFullError):
        _pipeline().run(inputs, tmp_path / "out", workers=1)
    monkeypatch.setattr(pipeline, "_attach_run_log", real_attach)
    assert _pipeline().run(inputs, tmp_path / "out", workers=1).resumed
