"""Fixtures that write small real input files and run taoyu for real (API and subprocess CLI)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from taoyu.io.warc import warc_response_record
from taoyu.ledger import read_ledger

REPO = Path(__file__).resolve().parents[1]


KERNEL_TIER = os.environ.get("TAOYU_KERNEL_TESTS", "compiled")
"""The tier the kernels' own tests run: compiled, unless tests/test_jit.py runs them again in a
process of their own with ``TAOYU_KERNEL_TESTS=python`` (the Python a first run executes)."""


@pytest.fixture(scope="module")
def compiled_kernels():
    """Run numba's compiled code for every kernel from its next call (``TAOYU_JIT=compiled``): tests of
    the kernels and of the compiled reader must test the compiled code, not the Python a small test
    would otherwise run (:mod:`taoyu.jit`). Module-scoped, so hypothesis tests may use it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TAOYU_JIT", KERNEL_TIER)
        yield

PARAGRAPHS = [
    "杭州今年新建了二十个口袋公园，周边居民散步的去处越来越多。",
    "西湖区的图书馆延长了开放时间，晚上九点前都可以借书。",
    "钱塘江边的绿道全线贯通，骑行爱好者周末可以一路骑到萧山。",
    "滨江区一家科技企业发布了新的开源工具，帮助开发者处理中文文本。",
    "今年秋季的降雨比往年偏少，部分山区水库水位有所下降。",
    "社区食堂推出了老年人优惠套餐，每份只要十二元。",
]


def article_html(i: int, title: str | None = None, charset: str = "utf-8") -> str:
    paras = "".join(f"<p>{PARAGRAPHS[(i + k) % len(PARAGRAPHS)]}第{i}篇。</p>" for k in range(4))
    return (
        f'<html><head><meta charset="{charset}"><title>{title or f"新闻{i}"}</title></head>'
        f'<body><div class="nav">首页 | 新闻</div><article>{paras}</article></body></html>'
    )


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> Path:
    """pages: (url, body, content-type)."""
    path.write_bytes(b"".join(warc_response_record(u, b, content_type=c) for u, b, c in pages))
    return path


def write_jsonl(path: Path, records: list[dict], compress: str | None = None) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    if compress == "gz":
        data = gzip.compress(data, mtime=0)
    elif compress == "zst":
        import zstandard

        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def write_parquet(path: Path, records: list[dict], row_group_size: int = 1000) -> Path:
    pq.write_table(pa.Table.from_pylist(records), path, row_group_size=row_group_size)
    return path


def text_records(n: int, prefix: str = "doc") -> list[dict]:
    return [
        {
            "id": f"{prefix}-{i}",
            "text": "".join(PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(3)) + f"编号{i}。",
            "url": f"https://example.cn/{prefix}/{i}",
        }
        for i in range(n)
    ]


def ledger_rows(out: Path) -> list[dict]:
    return read_ledger(out / "ledger").to_pylist()


def assert_reconciles(out: Path, records_in: int) -> None:
    rows = ledger_rows(out)
    assert len(rows) == records_in
    outcomes = [r["outcome"] for r in rows]
    assert set(outcomes) <= {"kept", "dropped", "input_error"}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["records_in"] == records_in
    assert stats["kept"] + stats["dropped"] + stats["input_errors"] == records_in
    assert stats["kept"] == outcomes.count("kept")
    data_rows = sum(pq.read_metadata(p).num_rows for p in (out / "data").glob("*.parquet"))
    assert data_rows == stats["kept"]


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "taoyu.cli", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"taoyu {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def write_recipe(path: Path, inputs: list[str], output: Path, steps: str, extra: str = "") -> Path:
    body = (
        f"name: test\ninputs: {json.dumps([str(i) for i in inputs])}\noutput:\n  path: {output}\n"
        f"{extra}steps:\n{textwrap.indent(textwrap.dedent(steps), '  ')}"
    )
    path.write_text(body, encoding="utf-8")
    return path


PLUGIN_SOURCE = '''
import os
import signal
import time
from pathlib import Path

from pydantic import Field

from taoyu.steps.base import StepParams, Transform
from taoyu.steps.near_dedup import NearDedup, NearDedupParams


class SlowParams(StepParams):
    seconds: float = Field(0.01, ge=0)


class SlowStep(Transform):
    """Sleeps per document, so tests can interrupt a run half-way."""

    Params = SlowParams

    def edit(self, doc):
        time.sleep(self.params.seconds)
        marker = os.environ.get("TAOYU_TEST_SLOW_MARKER")
        if marker:
            open(marker, "a").close()
        return doc.text, {}


class CrashOnceParams(StepParams):
    marker_dir: str | None = None
    at_index: int = Field(2, ge=0)


class CrashOnce(Transform):
    """SIGKILLs its own worker process at record ``at_index`` of each input file, once per file."""

    Params = CrashOnceParams

    def edit(self, doc):
        p = self.params
        if p.marker_dir and doc.source.index == p.at_index:
            marker = Path(p.marker_dir) / f"{Path(doc.source.file).name}.killed"
            if not marker.exists():
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)
        return doc.text, {}


class KillNodeOnceParams(StepParams):
    marker_dir: str | None = None


class KillNodeOnce(Transform):
    """On a Ray node started with TAOYU_TEST_VICTIM_NODE=1, SIGKILLs the node's raylet (its workers'
    parent) and then its own process, once per marker_dir: the whole node dies mid-task."""

    Params = KillNodeOnceParams

    def edit(self, doc):
        p = self.params
        if p.marker_dir and os.environ.get("TAOYU_TEST_VICTIM_NODE") == "1":
            marker = Path(p.marker_dir) / "node.killed"
            if not marker.exists():
                marker.parent.mkdir(parents=True, exist_ok=True)
                raylet = os.getppid()
                name = Path(f"/proc/{raylet}/comm").read_text().strip()
                marker.write_text(f"{raylet} {name}")
                if name == "raylet":
                    os.kill(raylet, signal.SIGKILL)
                os.kill(os.getpid(), signal.SIGKILL)
        return doc.text, {}


class KillResolveParams(NearDedupParams):
    marker_dir: str | None = None


class NearDedupKillResolve(NearDedup):
    """Near dedup whose every verify and keeper task SIGKILLs its worker once, before its work:
    the resolve must be retried or resumed to the same decisions."""

    Params = KillResolveParams

    def _maybe_die(self, name):
        if self.params.marker_dir:
            marker = Path(self.params.marker_dir) / f"{name}.killed"
            if not marker.exists():
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(str(os.getpid()))
                os.kill(os.getpid(), signal.SIGKILL)

    def stage_verify(self, q, *args):
        self._maybe_die(f"verify-{q}")
        return super().stage_verify(q, *args)

    def stage_keepers(self, q, *args):
        self._maybe_die(f"keepers-{q}")
        return super().stage_keepers(q, *args)
'''


@pytest.fixture()
def plugin_path(tmp_path: Path) -> Path:
    return write_plugin(tmp_path / "plugin")


def write_plugin(root: Path) -> Path:
    """A real installed-style plugin: a module plus a dist-info that declares a taoyu.steps entry point."""
    root.mkdir()
    (root / "taoyu_testplugin.py").write_text(PLUGIN_SOURCE)
    dist = root / "taoyu_testplugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: taoyu-testplugin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[taoyu.steps]\nslow = taoyu_testplugin:SlowStep\ncrash_once = taoyu_testplugin:CrashOnce\n"
        "kill_node_once = taoyu_testplugin:KillNodeOnce\n"
        "near_dedup_kill_resolve = taoyu_testplugin:NearDedupKillResolve\n"
    )
    return root
