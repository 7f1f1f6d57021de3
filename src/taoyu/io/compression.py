"""Opening possibly-compressed input files as one decompressed byte stream, by file name."""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

import zstandard


def open_decompressed(path: str) -> BinaryIO:
    lower = path.lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if lower.endswith((".zst", ".zstd")):
        fh = open(path, "rb")  # noqa: SIM115 (closed by the stream reader)
        reader = zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True, closefd=True)
        return io.BufferedReader(reader, buffer_size=1 << 20)  # type: ignore[arg-type]
    return open(path, "rb")
