"""Step registry: built-in steps register by decorator, third-party ones by entry point.

A plugin package declares, in its pyproject.toml::

    [project.entry-points."taoyu.steps"]
    my_filter = "my_pkg.steps:MyFilter"

and ``my_filter`` becomes usable in recipes and listed by ``taoyu steps``.
"""

from __future__ import annotations

import difflib
from importlib.metadata import entry_points
from typing import TypeVar

from taoyu.steps.base import Step

ENTRY_POINT_GROUP = "taoyu.steps"

_REGISTRY: dict[str, type[Step]] = {}
_loaded = False

S = TypeVar("S", bound=type[Step])


class UnknownStepError(KeyError):
    def __init__(self, name: str, valid: list[str]) -> None:
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        self.message = f"unknown step '{name}'.{hint} Valid steps: {', '.join(valid)}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def register(name: str):
    """Class decorator that makes a step available under ``name``."""

    def wrap(cls: S) -> S:
        existing = _REGISTRY.get(name)
        if existing is not None and existing is not cls:
            raise ValueError(f"step name '{name}' is taken by {existing.__module__}.{existing.__qualname__}")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return wrap


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    import taoyu.steps.builtin  # noqa: F401  (registers the built-in steps)

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Step)):
            raise TypeError(f"entry point '{ep.name}' ({ep.value}) is not a taoyu Step class")
        if ep.name not in _REGISTRY:
            register(ep.name)(cls)


def get_step(name: str) -> type[Step]:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownStepError(name, sorted(_REGISTRY)) from None


def all_steps() -> dict[str, type[Step]]:
    _load()
    return dict(sorted(_REGISTRY.items()))
