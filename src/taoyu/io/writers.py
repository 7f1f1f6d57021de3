"""Sharded, deterministic, atomic dataset output.

Rows go to temporary files first and are renamed into place only when the task commits, so a
crash never leaves a half-written shard under ``data/``. The schema depends only on the recipe's
steps, so every shard of a run, and every run of a recipe, has the same columns and types.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from taoyu.document import Document

CORE_FIELDS: dict[str, pa.DataType] = {
    "id": pa.string(),
    "text": pa.string(),
    "url": pa.string(),
    "crawl_date": pa.string(),
    "source_file": pa.string(),
    "source_index": pa.int64(),
    "source_offset": pa.int64(),
    "warc_record_id": pa.string(),
}
_ROW_GROUP_ROWS = 10_000
_ROW_GROUP_BYTES = 16 * 2**20
"""Flush by size too: 10k rows of 100 KB pages would hold a gigabyte. Rows decide both limits,
so row groups are still the same from run to run."""
_DATASET_COMPRESSION: dict[str, Any] = {"compression": "zstd", "compression_level": 3}
SCRATCH_COMPRESSION: dict[str, Any] = {"compression": "lz4"}
"""For intermediate shards read back once by the next phase: speed matters more than size."""


def dataset_schema(step_fields: Mapping[str, pa.DataType]) -> pa.Schema:
    """The core columns, the steps' declared columns, then ``meta``. Built from the steps alone, so every
    shard of every run of a recipe has the same schema; two steps typing a column apart is an error."""
    fields = dict(CORE_FIELDS)
    for name, dtype in step_fields.items():
        if name in fields and fields[name] != dtype:
            raise ValueError(f"two steps declare column '{name}' with different types")
        fields[name] = dtype
    fields["meta"] = pa.string()
    return pa.schema(list(fields.items()))


def json_dumps(value: Any) -> str:
    """JSON with sorted keys, and ``str`` for anything JSON cannot hold, so the same metadata always gives
    the same bytes and an odd value never fails a write."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str).decode()


_PY_TYPES: dict[pa.DataType, tuple[type, ...]] = {
    pa.string(): (str,),
    pa.int64(): (int,),
    pa.float64(): (float, int),
    pa.bool_(): (bool,),
}


class RowBuilder:
    """Turns documents into dataset rows for one schema.

    Metadata goes into a step-declared column only when its value has the column's type; any
    other value (an input field that happens to share the name, a core column's name) stays in
    the ``meta`` JSON. One odd record can then never fail a whole shard's write.
    """

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self._columns = {
            f.name: _PY_TYPES.get(f.type, (object,))
            for f in schema
            if f.name not in CORE_FIELDS and f.name != "meta"
        }

    def row(self, doc: Document) -> dict[str, Any]:
        """The dataset row of ``doc``: core columns, metadata of the right type in its own column, and the
        rest as ``meta`` JSON so no value is lost."""
        row: dict[str, Any] = {
            "id": doc.id,
            "text": doc.text,
            "url": doc.url,
            "crawl_date": _str_or_none(doc.meta.get("crawl_date")),
            "source_file": doc.source.file,
            "source_index": doc.source.index,
            "source_offset": doc.source.offset,
            "warc_record_id": doc.source.record_id,
        }
        rest = {}
        for key, value in doc.meta.items():
            if key == "crawl_date":
                continue
            types = self._columns.get(key)
            if types is not None and (
                value is None or (isinstance(value, types) and not _is_bool_as_number(value, types))
            ):
                row[key] = value
            else:
                rest[key] = value
        row["meta"] = json_dumps(rest) if rest else None
        return row


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _is_bool_as_number(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, bool) and bool not in types


class ShardWriter:
    """Writes rows of one task into ``{directory}/{stem}-{k:03d}.{ext}`` shards, committed together."""

    def __init__(
        self,
        directory: Path,
        stem: str,
        schema: pa.Schema,
        *,
        fmt: str = "parquet",
        max_rows_per_shard: int = 100_000,
        tmp_dir: Path,
        compression: dict[str, Any] | None = None,
    ) -> None:
        self.directory = directory
        self.stem = stem
        self.schema = schema
        self.fmt = fmt
        self.max_rows = max_rows_per_shard
        self.tmp_dir = tmp_dir
        self.compression = compression or _DATASET_COMPRESSION
        self._buffer: list[dict[str, Any]] = []
        self._buffered_bytes = 0
        self._shard_rows = 0
        self._written: list[tuple[Path, Path]] = []
        self._parquet: pq.ParquetWriter | None = None
        self._jsonl = None
        self.rows = 0

    @property
    def extension(self) -> str:
        """The shard's suffix, by which ``load_dataset`` picks a reader; JSONL shards are uncompressed."""
        return "parquet" if self.fmt == "parquet" else "jsonl"

    def write(self, row: dict[str, Any]) -> None:
        """Buffer a row, flushing at a row group's rows or bytes or the shard's end, so memory stays
        bounded and row groups fall at the same rows every run."""
        self._buffer.append(row)
        self.rows += 1
        self._buffered_bytes += len(row.get("text") or "") + len(row.get("raw") or b"")
        if (
            len(self._buffer) >= _ROW_GROUP_ROWS
            or self._buffered_bytes >= _ROW_GROUP_BYTES
            or self._shard_rows + len(self._buffer) >= self.max_rows
        ):
            self._flush()

    def _open_shard(self) -> None:
        k = len(self._written)
        final = self.directory / f"{self.stem}-{k:03d}.{self.extension}"
        # The folder's whole path goes into the name: partition folders share their last part
        # (industry=J/content_type=news and industry=K/content_type=news).
        where = hashlib.blake2b(str(self.directory).encode(), digest_size=6).hexdigest()
        tmp = self.tmp_dir / f"{self.directory.name}-{where}-{final.name}.tmp-{os.getpid()}"
        self._written.append((tmp, final))
        self._shard_rows = 0
        if self.fmt == "parquet":
            self._parquet = pq.ParquetWriter(tmp, self.schema, write_statistics=True, **self.compression)
        else:
            self._jsonl = open(tmp, "wb")  # noqa: SIM115 (closed in _close_shard)

    def _close_shard(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None

    def _flush(self) -> None:
        self._buffered_bytes = 0
        while self._buffer:
            if self._parquet is None and self._jsonl is None:
                self._open_shard()
            room = self.max_rows - self._shard_rows
            batch, self._buffer = self._buffer[:room], self._buffer[room:]
            if self._parquet is not None:
                self._parquet.write_table(
                    pa.Table.from_pylist(batch, schema=self.schema), row_group_size=_ROW_GROUP_ROWS
                )
            else:
                assert self._jsonl is not None
                self._jsonl.write(
                    b"".join(orjson.dumps(r, option=orjson.OPT_NON_STR_KEYS) + b"\n" for r in batch)
                )
            self._shard_rows += len(batch)
            if self._shard_rows >= self.max_rows:
                self._close_shard()

    def finish(self) -> None:
        """Write and close every temp shard: all the work that can fail, before anything is published."""
        self._flush()
        self._close_shard()

    def publish(self) -> list[Path]:
        """Rename the finished shards into place: cheap, and done only once every writer has finished."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for tmp, final in self._written:
            os.replace(tmp, final)
        return [final for _, final in self._written]

    def abort(self) -> None:
        """Close and delete this task's temp shards, so a failed task leaves nothing behind for its rerun.
        Closing a Parquet shard writes its footer, which fails on the full disk that failed the task:
        the shards are deleted all the same, and the task's own error is the one raised."""
        try:
            self._close_shard()
        except Exception:  # the task is failing already; its own error says why
            self._parquet = self._jsonl = None
        finally:
            for tmp, _ in self._written:
                tmp.unlink(missing_ok=True)


class PartitionedWriter:
    """Rows split by the values of ``columns`` into Hive-style folders, one :class:`ShardWriter` each:
    ``{directory}/industry=J/{stem}-000.parquet``. The files keep the partition columns, so a
    folder read on its own still says what it holds."""

    def __init__(
        self, directory: Path, stem: str, schema: pa.Schema, columns: list[str], **kwargs: Any
    ) -> None:
        self.directory = directory
        self.stem = stem
        self.schema = schema
        self.columns = columns
        self.kwargs = kwargs
        self._writers: dict[tuple[str, ...], ShardWriter] = {}

    @property
    def rows(self) -> int:
        """Rows written across every partition, for the task's counts."""
        return sum(w.rows for w in self._writers.values())

    def write(self, row: dict[str, Any]) -> None:
        """Send a row to the writer of its partition folder, opened the first time that partition is seen."""
        key = tuple(partition_value(row.get(column)) for column in self.columns)
        writer = self._writers.get(key)
        if writer is None:
            folder = self.directory.joinpath(*(f"{c}={v}" for c, v in zip(self.columns, key, strict=True)))
            writer = self._writers[key] = ShardWriter(folder, self.stem, self.schema, **self.kwargs)
        writer.write(row)

    def finish(self) -> None:
        """Finish every partition's shards before any is published, so a failure publishes none."""
        for writer in self._writers.values():
            writer.finish()

    def publish(self) -> list[Path]:
        """Publish every partition's shards, in sorted partition order so the list is the same every run."""
        return [path for key in sorted(self._writers) for path in self._writers[key].publish()]

    def abort(self) -> None:
        """Abort every partition's writer, deleting their temp shards."""
        for writer in self._writers.values():
            writer.abort()


NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
"""The folder name of rows with no value: the one pyarrow and Hive read back as null."""


def partition_value(value: Any) -> str:
    """A value as a folder name: letters, digits and ``_.-`` as they are, anything else
    percent-encoded as Hive does (so ``/`` can never make a path, nor can ``.`` or ``..``). A name
    over 120 characters is cut, with a hash of the whole value, so every value still gets a
    folder of its own the file system accepts."""
    if value is None:
        return NULL_PARTITION
    text = str(value)
    if not text:
        return NULL_PARTITION
    if set(text) == {"."}:
        return "%2E" * len(text)
    name = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "_.-") else "".join(f"%{b:02X}" for b in ch.encode())
        for ch in text
    )
    if len(name) > 120:
        cut = name[:100]
        if "%" in cut[-2:]:  # not inside an escape
            cut = cut[: cut.rfind("%")]
        name = cut + "~" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return name


def remove_task_outputs(directory: Path, stem: str) -> None:
    """Clear what an interrupted attempt at a task may have committed, before redoing it (in
    partition folders too)."""
    if directory.is_dir():
        for path in directory.rglob(f"{stem}-*"):
            path.unlink()
