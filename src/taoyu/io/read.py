"""One entry point from a task to its stream of records, whatever the format."""

from __future__ import annotations

import os

from taoyu.document import Source
from taoyu.io.base import InputError, ReadStream
from taoyu.io.html_files import read_html_files
from taoyu.io.jsonl import read_jsonl
from taoyu.io.parquet import read_parquet
from taoyu.io.tasks import Task
from taoyu.io.warc import read_warc
from taoyu.recipe import ReaderConfig


def read_task(task: Task, cfg: ReaderConfig) -> ReadStream:
    """The records of a task, by its format. An empty file is reported as an input error up front, so
    it shows in the ledger instead of passing silently as a file of no records."""
    if task.format != "html" and task.start == 0 and _is_empty(task.paths[0]):
        return iter([InputError(Source(task.paths[0], 0, 0), "empty file")])
    max_bytes = int(cfg.max_record_mb * 2**20)
    if task.format == "warc":
        return read_warc(task.paths[0], cfg.warc_record_types, max_bytes)
    if task.format == "html":
        return read_html_files(task.paths, max_bytes)
    fields = {"text_field": cfg.text_field, "id_field": cfg.id_field, "url_field": cfg.url_field}
    if task.format == "jsonl":
        return read_jsonl(
            task.paths[0], max_record_bytes=max_bytes, start=task.start, stop=task.stop, **fields
        )
    if task.format == "parquet":
        return read_parquet(
            task.paths[0], max_record_bytes=max_bytes, start=task.start, stop=task.stop, **fields
        )
    raise ValueError(f"no reader for format '{task.format}'")


def _is_empty(path: str) -> bool:
    try:
        return os.path.getsize(path) == 0
    except OSError:
        return False  # the reader reports why it cannot open the file
