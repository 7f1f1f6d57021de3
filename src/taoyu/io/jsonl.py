"""JSON Lines input, plain or compressed (.gz, .zst); plain files can be read in byte slices."""

from __future__ import annotations

from typing import Any

import orjson

from taoyu.document import Document, Source
from taoyu.io.base import InputError, ReadStream, too_large
from taoyu.io.compression import BROKEN_STREAM_ERRORS, open_decompressed
from taoyu.io.records import document_from_record


def read_jsonl(
    path: str,
    *,
    text_field: str,
    id_field: str,
    url_field: str,
    max_record_bytes: int,
    start: int = 0,
    stop: int | None = None,
) -> ReadStream:
    """Yield a document per line whose first byte lies in ``[start, stop)``.

    A line that straddles ``start`` belongs to the previous slice, so slices never lose or
    double a record. Document ids fall back to ``path@offset``: an offset is the same whichever
    slice reads the line, where a line number would not be.
    """
    index = 0
    try:
        with open_decompressed(path) as fh:
            offset = 0
            if start > 0:
                fh.seek(start - 1)
                if fh.read(1) != b"\n":
                    _skip_line(fh)  # bounded reads: the straddling line may be huge
                offset = fh.tell()
            while stop is None or offset < stop:
                line = fh.readline(max_record_bytes + 1)
                if not line:
                    break
                line_start = offset
                offset += len(line)
                source = Source(path, index, line_start)
                index += 1
                if len(line) > max_record_bytes and not line.endswith(b"\n"):
                    rest = _skip_line(fh)
                    offset += rest
                    yield too_large(source, len(line) + rest, max_record_bytes)
                    continue
                if not line.strip():
                    index -= 1  # blank lines are not records
                    continue
                yield _parse_line(line, source, text_field, id_field, url_field)
    except (*BROKEN_STREAM_ERRORS, ValueError) as exc:
        yield InputError(
            Source(path, index, None), f"file is truncated or corrupt; the rest was skipped: {exc}"
        )


def _skip_line(fh) -> int:
    skipped = 0
    while True:
        chunk = fh.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _parse_line(
    line: bytes, source: Source, text_field: str, id_field: str, url_field: str
) -> Document | InputError:
    try:
        record: Any = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        detail = "invalid UTF-8" if "utf-8" in str(exc).lower() else str(exc)
        return InputError(source, f"invalid JSON line: {detail}")
    if not isinstance(record, dict):
        return InputError(source, f"JSON line is a {type(record).__name__}, not an object")
    return document_from_record(
        record, source, f"{source.file}@{source.offset}", text_field, id_field, url_field
    )
