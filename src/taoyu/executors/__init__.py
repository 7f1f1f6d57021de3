"""Executors run a recipe's tasks: ``local`` (a process pool on this machine) or ``ray`` (a cluster)."""


class ExecutorNotAvailableError(RuntimeError):
    """The executor cannot run here: a missing package, or a cluster that cannot be reached."""
