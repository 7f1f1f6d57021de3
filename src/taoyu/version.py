"""taoyu's version, in a module that imports nothing: the Ray executor checks every node runs the
driver's version without importing the package (whose ``__init__`` imports the pipeline, which
imports the executors)."""

__version__ = "0.1.0"
