"""Kernels compile and run where numba has nowhere to cache them."""

from __future__ import annotations

import numpy as np
import pytest
from numba.core import caching

from taoyu.jit import kernel


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
