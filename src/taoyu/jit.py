"""Compiled loops for the per-document filters: numba's ``njit``, cached on disk.

The filters ask dozens of small array questions of every page (sentence links, n-gram repeats,
hashed n-grams). As numpy calls each question costs a few microseconds of call overhead, and a
page of 500 characters asks a hundred of them: the fixed cost per page, not the characters, set
the chain's speed (0.7 ms for an 80-character poem). One compiled loop per question pays that
overhead once. numba compiles plain Python loops over numpy arrays, ships as wheels (no compiler
on the user's machine) and caches the machine code next to the module, so a worker process loads
it instead of compiling (docs/decisions.md).

A kernel that replaces numpy or regex code must give bit-identical results, and its tests state
the rule in plain Python and compare (tests/test_kernels.py). ``uint64`` arithmetic wraps in
both numpy and numba, but an ``int64`` mixed into a ``uint64`` expression turns it into
``float64`` under numba's typing rules, so kernels keep hash arithmetic in explicit ``uint64``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile ``fn`` on first call (no Python objects inside), caching the result on disk.

    Where numba finds no writable place for its cache (a read-only install, no writable home),
    ``cache=True`` raises at import; the kernel is then compiled in each process instead.
    """
    try:
        return numba.njit(cache=True, nogil=True)(fn)  # type: ignore[no-any-return]
    except RuntimeError:
        return numba.njit(nogil=True)(fn)  # type: ignore[no-any-return]
