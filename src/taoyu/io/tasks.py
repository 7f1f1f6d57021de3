"""Turning input patterns into files, and files into tasks.

A task is the unit of work, of resume, and of output: one task reads a file (or a slice of one, or
a batch of small HTML files) and writes one set of shards. The plan depends only on the inputs and
the recipe, never on the number of workers, so output is the same however the run is spread.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

import pyarrow.parquet as pq

_WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".wet", ".wet.gz", ".warc.wet.gz", ".arc.gz")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz", ".ndjson", ".json", ".jsonl.zstd")
_PARQUET_SUFFIXES = (".parquet",)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

HTML_FILES_PER_TASK = 512


class InputNotFoundError(FileNotFoundError):
    """An input pattern that names nothing readable, raised while planning so a mistyped path fails
    before any work starts."""

    pass


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file as planned. Its size and mtime go into the inputs' fingerprint, so a resume
    notices a file replaced since the crash."""

    path: str
    """As shown in the ledger: relative to the working directory when below it."""
    format: str
    size: int
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work, resume and output: a file, a slice of one, or a batch of small HTML files."""

    index: int
    format: str
    paths: tuple[str, ...]
    start: int = 0
    """First byte (JSONL) or first row group (Parquet) this task owns."""
    stop: int | None = None
    """One past the last byte / row group this task owns; None means to the end."""
    size: int = 0
    """Bytes of input this task covers, for progress and MB/s."""

    @property
    def label(self) -> str:
        """The task as people read it in errors and logs: its first file, how many more, and its slice."""
        first = self.paths[0]
        extra = f" (+{len(self.paths) - 1} files)" if len(self.paths) > 1 else ""
        span = f" [{self.start}:{self.stop}]" if self.stop is not None else ""
        return f"{first}{extra}{span}"


def detect_format(path: str) -> str | None:
    """The reader a file needs, from its suffix: predictable, and ``reader.format`` overrides a name that
    misleads. None when the name does not tell."""
    lower = path.lower()
    for fmt, suffixes in (
        ("warc", _WARC_SUFFIXES),
        ("jsonl", _JSONL_SUFFIXES),
        ("parquet", _PARQUET_SUFFIXES),
        ("html", _HTML_SUFFIXES),
    ):
        if lower.endswith(suffixes):
            return fmt
    return None


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as the ledger shows it: relative below the working directory, so the ledger stays short and
    the same on every machine that runs from the same folder."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute


def expand_inputs(patterns: list[str], forced_format: str = "auto") -> list[InputFile]:
    """Expand globs and folders into a sorted, de-duplicated list of readable input files."""
    if not patterns:
        raise InputNotFoundError("no inputs: give them in the recipe ('inputs:') or with --input")
    found: dict[str, InputFile] = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
        if not matches or not any(os.path.exists(m) for m in matches):
            raise InputNotFoundError(f"input not found: {pattern}")
        for match in matches:
            for file in _walk(match):
                fmt = forced_format if forced_format != "auto" else detect_format(file)
                if fmt is None:
                    if os.path.isdir(match) or glob.has_magic(pattern):
                        continue  # folders and globs may hold unrelated files (README, .crc)
                    raise InputNotFoundError(
                        f"cannot tell the format of {file} from its name; set reader.format in the recipe"
                    )
                shown = display_path(file)
                try:
                    stat = os.stat(file)
                except OSError as exc:
                    raise InputNotFoundError(f"cannot read input {file}: {exc.strerror or exc}") from None
                found[shown] = InputFile(shown, fmt, stat.st_size, stat.st_mtime_ns)
    if not found:
        raise InputNotFoundError(f"no readable input files in: {', '.join(patterns)}")
    return [found[k] for k in sorted(found)]


def _walk(path: str) -> list[str]:
    if os.path.isdir(path):
        out = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
        return out
    return [path]


def plan_tasks(files: list[InputFile], slice_bytes: int) -> list[Task]:
    """Cut the files into tasks: HTML files in batches, large plain JSONL by bytes and large Parquet by row
    groups, anything compressed whole (it cannot be entered mid-stream). Workers never enter the plan,
    so output is the same however the run is spread."""
    tasks: list[Task] = []
    html_batch: list[InputFile] = []

    def flush_html() -> None:
        """Close the pending HTML batch as one task: a task per small page would be mostly overhead."""
        if html_batch:
            size = sum(f.size for f in html_batch)
            tasks.append(Task(len(tasks), "html", tuple(f.path for f in html_batch), size=size))
            html_batch.clear()

    for f in files:
        if f.format == "html":
            html_batch.append(f)
            if len(html_batch) >= HTML_FILES_PER_TASK:
                flush_html()
            continue
        flush_html()
        if (
            f.format == "jsonl"
            and f.path.lower().endswith((".jsonl", ".ndjson", ".json"))
            and f.size > slice_bytes
        ):
            for start in range(0, f.size, slice_bytes):
                stop = min(start + slice_bytes, f.size)
                tasks.append(Task(len(tasks), "jsonl", (f.path,), start, stop, stop - start))
        elif f.format == "parquet" and f.size > slice_bytes:
            tasks.extend(_parquet_slices(f, slice_bytes, len(tasks)))
        else:
            tasks.append(Task(len(tasks), f.format, (f.path,), size=f.size))
    flush_html()
    return tasks


def _parquet_slices(f: InputFile, slice_bytes: int, first_index: int) -> list[Task]:
    try:
        meta = pq.ParquetFile(f.path).metadata
    except Exception:  # an unreadable file becomes one task whose reader reports the error
        return [Task(first_index, "parquet", (f.path,), size=f.size)]
    out: list[Task] = []
    start, acc = 0, 0
    for rg in range(meta.num_row_groups):
        acc += meta.row_group(rg).total_byte_size
        if acc >= slice_bytes:
            out.append(Task(first_index + len(out), "parquet", (f.path,), start, rg + 1, acc))
            start, acc = rg + 1, 0
    if start < meta.num_row_groups or not out:
        out.append(Task(first_index + len(out), "parquet", (f.path,), start, meta.num_row_groups, acc))
    return out
