"""Kernels: run as Python until compiling pays, compiled where numba has nowhere to cache them, and the
same results either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numba.core import caching

from taoyu import jit
from taoyu.jit import kernel

from .conftest import run_cli


def _total(values: np.ndarray) -> float:
    out = 0.0
    for v in values:
        out += v
    return out


def test_a_kernel_without_a_writable_cache_location_still_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    # No cache locator applies: what numba meets on a read-only install without a writable home.
    monkeypatch.setattr(caching.CacheImpl, "_locator_classes", [])
    with pytest.raises(RuntimeError, match="no locator"):
        import numba

        numba.njit(cache=True)(_total)
    assert kernel(_total)(np.arange(4.0)) == 6.0


def _inner(values: np.ndarray, k: int) -> int:
    return int(values[k]) * 2


def _outer(values: np.ndarray) -> int:
    total = 0
    for k in range(len(values)):
        total += _INNER(values, k)
    return total


_INNER = kernel(_inner)


def test_a_kernel_runs_as_python_until_its_python_time_would_have_paid_for_compiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TAOYU_JIT", "auto")
    monkeypatch.setattr(jit, "PYTHON_BUDGET_SECONDS", 0.05)
    monkeypatch.setattr(jit, "_cached_on_disk", lambda dispatcher: False)  # as on a fresh install
    slow = jit.Kernel(_total)
    values = np.arange(20_000.0)
    while slow.python_seconds < 0.05:
        assert slow(values) == values.sum() and not slow.dispatcher.overloads
    assert slow(values) == values.sum()
    assert slow.compiled and slow.dispatcher.overloads  # compiled once it had earned it


def test_a_kernel_numba_has_cached_runs_compiled_from_its_first_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAOYU_JIT", "auto")
    kernel(_total)(np.arange(3.0))
    monkeypatch.setenv("TAOYU_JIT", "compiled")
    kernel(_total)(np.arange(3.0))  # compiled now, and so on disk
    monkeypatch.setenv("TAOYU_JIT", "auto")
    again = jit.Kernel(_total)
    assert again(np.arange(3.0)) == 3.0 and again.compiled and again.python_seconds == 0


def test_python_mode_never_compiles_and_a_kernel_calls_a_kernel_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TAOYU_JIT", "python")
    outer = jit.Kernel(_outer)
    values = np.arange(5, dtype=np.int64)
    for _ in range(3):
        assert outer(values) == 20
    assert not outer.compiled and not outer.dispatcher.overloads
    monkeypatch.setenv("TAOYU_JIT", "compiled")
    assert outer(values) == 20 and outer.dispatcher.overloads  # the inner kernel, typed as numba's own


def test_tiers_give_byte_identical_runs(tmp_path: Path) -> None:
    """The example recipe, every kernel as Python and every kernel compiled: the same bytes out."""
    outputs = {}
    for tier in ("python", "compiled"):
        out = tmp_path / tier
        run_cli("run", "recipes/zh-web.yaml", "--output", str(out), env={"TAOYU_JIT": tier}, check=True)
        files = sorted(p for sub in ("data", "ledger") for p in (out / sub).rglob("*.parquet"))
        outputs[tier] = {str(p.relative_to(out)): p.read_bytes() for p in files}
        outputs[tier]["stats.json"] = (out / "stats.json").read_bytes()
    assert outputs["python"] == outputs["compiled"] and len(outputs["python"]) >= 3


KERNEL_TESTS = [
    "test_kernels.py",
    "test_hq_features.py",
    "test_sentences_kept.py",
    "test_page_shapes.py",
    "test_extraction_collapse.py",
]


def test_the_kernels_own_tests_pass_on_their_python_tier() -> None:
    """The kernels' tests run compiled code in this process; a first run executes their Python.
    Here those tests run again, in a process of their own where nothing compiles, so a rule the
    Python tier breaks (numpy's integer promotions are not numba's) fails a test."""
    tests = Path(__file__).parent
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *(str(tests / t) for t in KERNEL_TESTS),
        ],
        env={**os.environ, "TAOYU_KERNEL_TESTS": "python", "TAOYU_JIT": "python"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@kernel
def _squares(values: np.ndarray) -> float:
    out = 0.0
    for v in values:
        out += v * v
    return out


def test_a_kernel_pickles_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step holding a kernel can be sent to a worker process or a Ray task: the kernel travels
    by name and is the module's own on the other side."""
    import pickle

    monkeypatch.setenv("TAOYU_JIT", "python")
    assert isinstance(_squares, jit.Kernel)
    again = pickle.loads(pickle.dumps(_squares))
    assert again is _squares and again(np.arange(3.0)) == 5.0


def test_an_unknown_tier_is_warned_about_and_run_as_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAOYU_JIT", "fast")
    with pytest.warns(UserWarning, match="TAOYU_JIT='fast' is not auto, compiled or python"):
        jit._warn_once.cache_clear()
        assert jit.mode() == "auto"


@kernel
def _big_hash(n: int) -> np.uint64:
    return np.uint64(0xFFFFFFFFFFFFFFF0) + np.uint64(n)


@kernel
def _as_signed(n: int) -> np.int64:
    return np.int64(_big_hash(n))  # numba wraps; so does numpy, given a uint64 and not an int


def test_a_call_chain_keeps_its_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel running as Python calls its kernels as Python too, even compiled ones: compiled
    code returns a plain ``int`` where the Python tier has a ``np.uint64``, and ``np.int64`` of
    that int overflows (every page failed the spam step in a process where a hash kernel was
    cached on disk and its caller was not)."""
    monkeypatch.setenv("TAOYU_JIT", "python")
    _big_hash.compile()
    assert isinstance(_big_hash(1), int)  # called from Python: compiled, a plain int
    assert _as_signed(1) == np.int64(-15)  # called from a kernel running as Python: Python
    assert jit._python_depth == 0
