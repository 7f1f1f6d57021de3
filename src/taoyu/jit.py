"""Compiled loops for the per-document filters: numba's ``njit``, cached on disk, compiled only
once a loop has earned it.

The filters ask dozens of small array questions of every page (sentence links, n-gram repeats,
hashed n-grams). As numpy calls each question costs a few microseconds of call overhead, and a
page of 500 characters asks a hundred of them: the fixed cost per page, not the characters, set
the chain's speed (0.7 ms for an 80-character poem). One compiled loop per question pays that
overhead once. numba compiles plain Python loops over numpy arrays, ships as wheels (no compiler
on the user's machine) and caches the machine code next to the module, so a worker process loads
it instead of compiling (docs/decisions.md).

Compiling is not free: the zh-web recipe's 86 loops take about 30 s of one core to compile, which
a run of a few pages would spend for nothing. So a loop starts out as the plain Python it is
written in, and is compiled when it has earned it, the rule a rent-or-buy decision follows: once
its Python calls in this process have taken as long as compiling it would
(:data:`PYTHON_BUDGET_SECONDS`), and at its first call when numba's disk cache already holds it
for this source (then "compiling" is loading, a few milliseconds). A small job never compiles; a
large one pays about a second per loop (and one call's overshoot: a megabyte page is seconds in
Python) before it runs compiled. Arguments' sizes do not decide: many loops take a model's or an
alphabet's tables, large whatever the page. ``TAOYU_JIT=compiled`` compiles every
loop at its first call, as benchmarks want; ``TAOYU_JIT=python`` never compiles.

A kernel must give the same result compiled and as Python, and bit-identical results to the numpy
or regex code it replaced: its tests state the rule in plain Python and compare
(tests/test_kernels.py), and tests/test_jit.py runs a recipe both ways and compares the outputs
byte for byte. ``uint64`` arithmetic wraps in both numpy and numba (the Python side runs with
numpy's overflow warnings off), but an ``int64`` mixed into a ``uint64`` expression turns it into
``float64`` under numba's typing rules, so kernels keep hash arithmetic in explicit ``uint64``.
"""

from __future__ import annotations

import functools
import importlib
import os
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numba
import numpy as np
from numba.extending import typeof_impl

F = TypeVar("F", bound=Callable[..., Any])

PYTHON_BUDGET_SECONDS = 1.0
"""Python time a loop may take in a process before it is compiled: about what compiling one costs."""

_python_depth = 0
"""How many kernels are running as Python in this process now (one thread runs the steps)."""


def mode() -> str:
    """``auto`` (compile what has earned it), ``compiled`` (compile at first call) or ``python``,
    from ``TAOYU_JIT``: read when a kernel is created and at each call that runs it as Python, so
    worker processes inherit the choice and a test may change it. Any other value is warned about
    once and read as ``auto``: it is read while taoyu is imported, before any command could say
    what was wrong."""
    value = os.environ.get("TAOYU_JIT", "auto")
    if value in ("auto", "compiled", "python"):
        return value
    _warn_once(value)
    return "auto"


@functools.cache
def _warn_once(value: str) -> None:
    warnings.warn(f"TAOYU_JIT={value!r} is not auto, compiled or python; running as auto", stacklevel=3)


def compile_at_first_call() -> None:
    """Make this process, and the processes it starts, compile each kernel at its first call unless
    ``TAOYU_JIT`` says otherwise: benchmarks time compiled code, as a long run runs it."""
    os.environ.setdefault("TAOYU_JIT", "compiled")


class Kernel:
    """A loop that runs as Python until compiling it pays, then as numba's compiled code.

    Called like the function it wraps. Other kernels may call it from their compiled code: numba
    sees it as its dispatcher. A call chain keeps one tier: called from a kernel that runs as
    Python, a kernel runs as Python too, compiled or not, because compiled code hands back plain
    Python numbers where the Python tier computes numpy scalars (a ``uint64`` hash came back as an
    ``int`` too large for the caller's ``np.int64``: every page failed the spam step in a process
    where the hash was cached on disk and its caller was not).
    """

    def __init__(self, fn: Callable[..., Any], *, python: bool = True) -> None:
        self.py_func = fn
        self.dispatcher = _njit(fn)
        self.runs_as_python = python
        """False for a loop that only compiled code can run (one that calls C through numba)."""
        self.compiled = mode() == "compiled"
        self.python_seconds = 0.0
        self._cache_checked = False
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any) -> Any:
        """Run compiled when compiled; else as Python, unless it is time to compile. Inside a
        kernel running as Python, always as Python (the chain keeps its tier)."""
        global _python_depth
        if _python_depth and self.runs_as_python:
            return self.py_func(*args)
        if self.compiled:
            return self.dispatcher(*args)
        if not self.runs_as_python or self._worth_compiling():
            self.compile()
            return self.dispatcher(*args)
        started = time.perf_counter()
        _python_depth += 1
        try:
            with np.errstate(over="ignore"):  # compiled integer arithmetic wraps silently: so does this
                result = self.py_func(*args)
        finally:
            _python_depth -= 1
        self.python_seconds += time.perf_counter() - started
        return result

    def __reduce__(self) -> tuple[Callable[[str, str], Any], tuple[str, str]]:
        """Pickled by name, as a function is: a step that holds a kernel can go to a worker process
        or a Ray task, which imports the kernel's module and finds it there."""
        return _kernel_named, (self.py_func.__module__, self.py_func.__qualname__)

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of Python work done instead of this loop (a Python reader standing in
        for a compiled one) towards compiling it."""
        self.python_seconds += seconds

    def ready(self) -> bool:
        """Whether to run compiled now, for a caller that picks between this loop and a Python
        stand-in: compiled already, or worth compiling (cached on disk, or earned)."""
        return self.compiled or self._worth_compiling()

    def compile(self) -> None:
        """Run compiled from now on (numba compiles, or loads from its cache, at the next call)."""
        self.compiled = True

    def _worth_compiling(self) -> bool:
        chosen = mode()
        if chosen != "auto":
            return chosen == "compiled"
        if self.dispatcher.overloads or self.python_seconds >= PYTHON_BUDGET_SECONDS:
            return True  # compiled already (as another kernel's callee), or earned
        if not self._cache_checked:
            self._cache_checked = True
            return _cached_on_disk(self.dispatcher)
        return False


def kernel(fn: F | None = None, *, python: bool = True) -> Any:
    """Make ``fn`` a :class:`Kernel`: ``@kernel``, or ``@kernel(python=False)`` for a loop that only
    compiled code can run, which its callers must replace with a Python stand-in until it is
    :meth:`Kernel.ready`."""
    if fn is None:
        return lambda f: Kernel(f, python=python)
    return Kernel(fn, python=python)


def _kernel_named(module: str, qualname: str) -> Any:
    """The kernel (or, once compiled, the dispatcher its module now names) that pickled as this."""
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


@typeof_impl.register(Kernel)
def _typeof_kernel(value: Kernel, context: Any) -> Any:
    """To numba, a kernel named inside another kernel is its dispatcher, compiled with the caller."""
    return typeof_impl(value.dispatcher, context)


def _njit(fn: Callable[..., Any]) -> Any:
    """numba's dispatcher for ``fn``, caching on disk. Where numba finds no writable place for its
    cache (a read-only install, no writable home), ``cache=True`` raises at once; the loop is then
    compiled in each process instead."""
    try:
        return numba.njit(cache=True, nogil=True)(fn)
    except RuntimeError:
        return numba.njit(nogil=True)(fn)


def _cached_on_disk(dispatcher: Any) -> bool:
    """Whether numba's disk cache holds compiled code of this loop for its current source and numba
    version. Asked through numba's cache object; any change there means "no", and the loop then
    compiles when it has earned it, as it would have anyway."""
    try:
        return bool(dispatcher._cache._cache_file._load_index())
    except Exception:  # numba's internals moved: fall back to earning it
        return False
