"""Splitting a step list into phases at global steps.

Phase ``p`` runs the local steps before global step ``p`` on every task, writing the surviving
documents to intermediate shards plus one signature row each. The global step then resolves over
all signatures, and phase ``p + 1`` applies its decisions before running the next local steps.
A recipe without global steps is a single phase that streams from input to output.
"""

from __future__ import annotations

from dataclasses import dataclass

from taoyu.steps.base import GlobalStep, Step


@dataclass(frozen=True)
class Phase:
    """The local steps run between two global steps, with the global steps on either side, since a global
    step must see every document before the next steps can run."""

    index: int
    steps: tuple[Step, ...]
    before: GlobalStep | None
    """Global step whose decisions are applied at the start of this phase."""
    after: GlobalStep | None
    """Global step whose signatures this phase writes at its end."""

    @property
    def reads_input(self) -> bool:
        """Only the first phase reads the input files; later phases read the shards the one before wrote."""
        return self.index == 0

    @property
    def writes_output(self) -> bool:
        """The last phase writes the dataset; every other one writes intermediate shards for the next."""
        return self.after is None


def split_phases(steps: list[Step]) -> list[Phase]:
    """Cut the steps at each global step: N global steps make N + 1 phases, so a recipe without one is
    a single phase that streams from input to output."""
    groups: list[list[Step]] = [[]]
    globals_: list[GlobalStep] = []
    for step in steps:
        if isinstance(step, GlobalStep):
            globals_.append(step)
            groups.append([])
        else:
            groups[-1].append(step)
    return [
        Phase(
            index=i,
            steps=tuple(group),
            before=globals_[i - 1] if i > 0 else None,
            after=globals_[i] if i < len(globals_) else None,
        )
        for i, group in enumerate(groups)
    ]
