"""Every step a recipe can name: the built-in steps, and those plugin packages declare.

A plugin package declares, in its pyproject.toml::

    [project.entry-points."taoyu.steps"]
    my_filter = "my_pkg.steps:MyFilter"

and ``my_filter`` becomes usable in recipes and listed by ``taoyu steps``. A built-in step's module
(:data:`taoyu.steps.builtin.BUILTIN_STEPS`) is imported when the step is first looked up, and
plugins are loaded then too. It sits above the steps, which only import the leaf
:mod:`taoyu.registry`.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from taoyu.registry import ENTRY_POINT_GROUP, UnknownStepError, register, registered
from taoyu.steps.base import Step
from taoyu.steps.builtin import BUILTIN_STEPS

_plugins_loaded = False


def _load_plugins() -> None:
    """Register the steps plugin packages declare (once; a name already taken keeps its step)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Step)):
            raise TypeError(f"entry point '{ep.name}' ({ep.value}) is not a taoyu Step class")
        if ep.name not in registered() and ep.name not in BUILTIN_STEPS:  # a built-in name stays built-in
            register(ep.name)(cls)


def get_step(name: str) -> type[Step]:
    """The step class a recipe names, or :class:`UnknownStepError` listing the valid names."""
    if name in BUILTIN_STEPS:
        importlib.import_module(BUILTIN_STEPS[name])  # registers it; a built-in name wins
    _load_plugins()
    try:
        return registered()[name]
    except KeyError:
        raise UnknownStepError(name, sorted(set(registered()) | set(BUILTIN_STEPS))) from None


def all_steps() -> dict[str, type[Step]]:
    """Every registered step by name, sorted: what ``taoyu steps`` lists."""
    for module in BUILTIN_STEPS.values():
        importlib.import_module(module)
    _load_plugins()
    return dict(sorted(registered().items()))
