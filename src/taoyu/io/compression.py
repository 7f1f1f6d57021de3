"""Opening possibly-compressed input files as one decompressed byte stream, by file name.

Both decompressors raise ``EOFError`` when the input ends inside a compressed frame, so a
truncated file is always reported, never read as a shorter file. Python's gzip does this itself;
zstandard's ``stream_reader`` simply stops, so zstd goes through :class:`ZstdFrames`.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

import zstandard

_CHUNK = 1 << 17

BROKEN_STREAM_ERRORS: tuple[type[BaseException], ...] = (EOFError, OSError, zlib.error, zstandard.ZstdError)
"""What reading a stream from :func:`open_decompressed` raises when the file is cut off or corrupt:
gzip raises ``zlib.error`` on a damaged deflate block and zstandard its own error on a damaged
frame, neither of them an ``OSError``. A reader catches these to report the rest of the file as
lost, instead of failing its task."""


class ZstdFrames(io.RawIOBase):
    """Multi-frame zstd decompression that notices a frame cut off by the end of the file."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = self._dctx.decompressobj()
        self._in_frame = False
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        """Always true: ``BufferedReader`` asks before it reads, and this stream exists to be read."""
        return True

    def readinto(self, target) -> int:  # type: ignore[override]
        """Fill ``target`` from decompressed bytes, reading more input as needed, and raise ``EOFError`` if
        the input ends mid-frame, so a truncated file is reported rather than read as a shorter one."""
        while not self._buffer and not self._done:
            chunk = self._fh.read(_CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ended inside a frame (the file is truncated)")
                self._done = True
                break
            self._buffer = self._decompress(chunk)
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def _decompress(self, data: bytes) -> bytes:
        out = []
        while data:
            self._in_frame = True
            out.append(self._obj.decompress(data))
            if not self._obj.eof:
                break
            data = self._obj.unused_data
            self._obj = self._dctx.decompressobj()
            self._in_frame = False
        return b"".join(out)

    def close(self) -> None:
        """Close the underlying file too: the reader owns it, and callers only hold the wrapper."""
        self._fh.close()
        super().close()


def open_decompressed(path: str) -> BinaryIO:
    """Open a file for reading, decompressing by its suffix (.gz, .zst), so every reader sees plain bytes
    and a truncated file raises ``EOFError`` whichever the compression."""
    lower = path.lower()
    if lower.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if lower.endswith((".zst", ".zstd")):
        return io.BufferedReader(ZstdFrames(open(path, "rb")), buffer_size=1 << 20)  # type: ignore[return-value]
    return open(path, "rb")
