"""Pipeline steps. Built-in steps live in submodules and register themselves on import."""

from taoyu.steps.base import Filter, GlobalStep, Step, StepParams, Transform, Verdict

__all__ = ["Filter", "GlobalStep", "Step", "StepParams", "Transform", "Verdict"]
