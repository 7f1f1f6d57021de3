"""Step registry: a step class registers its recipe name with :func:`register`.

This module imports no step, so every step module can import it. The lookup that needs all the
steps registered first (the built-in ones, and those plugins declare by entry point) is
:mod:`taoyu.catalog`, one level up.
"""

from __future__ import annotations

import difflib
from typing import TypeVar

from taoyu.steps.base import Step

ENTRY_POINT_GROUP = "taoyu.steps"

_REGISTRY: dict[str, type[Step]] = {}

S = TypeVar("S", bound=type[Step])


class UnknownStepError(KeyError):
    """A recipe names a step nobody registered: the message lists the valid names and the closest."""

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


def registered() -> dict[str, type[Step]]:
    """The registry itself (name → step class): :mod:`taoyu.catalog` looks steps up in it."""
    return _REGISTRY
