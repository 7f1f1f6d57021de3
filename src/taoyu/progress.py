"""The live progress bar: tasks done, documents, docs/s and MB/s of input."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    """The terminal progress bar of a run, a bar per phase. Disabled, it draws nothing, so callers
    report progress the same way whether or not anyone watches."""

    def __init__(self, enabled: bool = True, console: Console | None = None) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "{task.fields[docs]:>10,} docs  {task.fields[rate]:>8,.0f} docs/s"
                "  {task.fields[mbps]:>6.1f} MB/s"
            ),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
        )
        self._task = None
        self._docs = 0
        self._bytes = 0
        self._started = time.perf_counter()

    def __enter__(self) -> RunProgress:
        self._progress.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.__exit__(exc_type, exc, tb)

    def start_phase(self, description: str, total_tasks: int, already_done: int = 0) -> None:
        """Open a bar for a new phase, counting resumed tasks as done, and restart the rates so they
        describe this phase's work alone."""
        if self._task is not None:
            self._progress.update(self._task, visible=True)
        self._docs = 0
        self._bytes = 0
        self._started = time.perf_counter()
        self._task = self._progress.add_task(
            description, total=total_tasks, completed=already_done, docs=0, rate=0.0, mbps=0.0
        )

    def add_docs(self, n: int) -> None:
        """Count documents as tasks report them, so docs/s moves between task completions."""
        self._docs += n
        self._refresh()

    def task_done(self, input_bytes: int) -> None:
        """Advance the bar by a finished task and add the input it read, for MB/s."""
        self._bytes += input_bytes
        if self._task is not None:
            self._progress.advance(self._task)
        self._refresh()

    def _refresh(self) -> None:
        if self._task is None:
            return
        elapsed = max(time.perf_counter() - self._started, 1e-6)
        self._progress.update(
            self._task, docs=self._docs, rate=self._docs / elapsed, mbps=self._bytes / elapsed / 2**20
        )
