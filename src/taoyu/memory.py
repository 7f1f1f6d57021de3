"""Give memory a finished task freed back to the system, so one task's peak is not the floor of
every task a long-lived worker runs after it.

Two allocators keep freed memory for reuse: Arrow's (mimalloc or jemalloc) and glibc's malloc,
whose threshold for returning large blocks to the system rises each time one is freed, so after
the first big numpy array, later ones come from a heap that never shrinks by itself. A worker
that ran a memory-heavy stage then sits at that stage's peak for the rest of the run, and the
next stage's peak stacks on top of it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import pyarrow as pa


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None on a system without it (macOS, musl)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


def release_unused_memory() -> None:
    """Hand the free pages of Arrow's pool and of the C heap back to the operating system."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
