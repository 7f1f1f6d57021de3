"""Opening possibly-compressed input files as one decompressed byte stream, by file name."""

from __future__ import annotations

import gzip
from typing import BinaryIO

import zstandard


def open_decompressed(path: str) -> BinaryIO:
    lower = path.lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if lower.endswith((".zst", ".zstd")):
        fh = open(path, "rb")
        return zstandard.ZstdDecompressor().stream_reader(fh, read_across_frames=True, closefd=True)  # type: ignore[return-value]
    return open(path, "rb")
