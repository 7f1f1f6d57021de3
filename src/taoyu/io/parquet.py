"""Parquet input, read a row group at a time so memory stays bounded by the row group size."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from taoyu.document import Source
from taoyu.io.base import InputError, ReadStream, too_large
from taoyu.io.records import document_from_record


def read_parquet(
    path: str,
    *,
    text_field: str,
    id_field: str,
    url_field: str,
    max_record_bytes: int,
    start: int = 0,
    stop: int | None = None,
) -> ReadStream:
    """Documents from row groups [start, stop) of a Parquet file, a group at a time. A corrupt file
    yields one input error saying the rest was skipped, rather than failing the whole task."""
    row = 0
    try:
        pf = pq.ParquetFile(path)
        meta = pf.metadata
        if text_field not in pf.schema_arrow.names:
            yield InputError(
                Source(path, 0, None),
                f"no '{text_field}' column (has: {', '.join(pf.schema_arrow.names)}); set reader.text_field",
            )
            return
        stop = meta.num_row_groups if stop is None else stop
        row = sum(meta.row_group(i).num_rows for i in range(start))
        for rg in range(start, stop):
            table = pf.read_row_group(rg)
            for record in _rows(table):
                source = Source(path, row, None)
                fallback = f"{path}#{row}"
                row += 1
                text = record.get(text_field)
                if (
                    isinstance(text, str)
                    and len(text) > max_record_bytes // 4
                    and len(text.encode()) > max_record_bytes
                ):
                    yield too_large(source, len(text.encode()), max_record_bytes)
                    continue
                yield document_from_record(record, source, fallback, text_field, id_field, url_field)
    except (OSError, ValueError, pa.ArrowException) as exc:  # ArrowInvalid is a ValueError, not all are
        yield InputError(Source(path, row, None), f"unreadable Parquet data; the rest was skipped: {exc}")


_UNCONVERTIBLE = (OverflowError, ValueError, TypeError, pa.ArrowException)


def _rows(table: pa.Table) -> list[dict]:
    """A row group as Python dicts. A column Python cannot hold (a timestamp past year 9999, say)
    is read as Arrow's text of its values instead, so one odd metadata column neither fails the
    group nor loses its rows."""
    try:
        return table.to_pylist()
    except _UNCONVERTIBLE:
        columns = {name: _column_values(table.column(name)) for name in table.column_names}
        return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _column_values(column: pa.ChunkedArray) -> list:
    """A column's values as Python objects, or as Arrow's text of them when Python cannot hold them."""
    try:
        return column.to_pylist()
    except _UNCONVERTIBLE:
        return column.cast(pa.string()).to_pylist()
