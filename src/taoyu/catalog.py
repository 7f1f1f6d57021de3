"""Every step a recipe can name: the built-in steps, and those plugin packages declare.

A plugin package declares, in its pyproject.toml::

    [project.entry-points."taoyu.steps"]
    my_filter = "my_pkg.steps:MyFilter"

and ``my_filter`` becomes usable in recipes and listed by ``taoyu steps``. Importing this module
registers the built-in steps (:mod:`taoyu.steps.builtin`); plugins are loaded when a step is
first looked up. It sits above the steps, which only import the leaf :mod:`taoyu.registry`.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import taoyu.steps.builtin  # noqa: F401  (registers the built-in steps)
from taoyu.registry import ENTRY_POINT_GROUP, UnknownStepError, register, registered
from taoyu.steps.base import Step

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
        if ep.name not in registered():
            register(ep.name)(cls)


def get_step(name: str) -> type[Step]:
    """The step class a recipe names, or :class:`UnknownStepError` listing the valid names."""
    _load_plugins()
    try:
        return registered()[name]
    except KeyError:
        raise UnknownStepError(name, sorted(registered())) from None


def all_steps() -> dict[str, type[Step]]:
    """Every registered step by name, sorted: what ``taoyu steps`` lists."""
    _load_plugins()
    return dict(sorted(registered().items()))
