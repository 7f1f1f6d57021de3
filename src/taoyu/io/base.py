"""What readers yield: documents, or input errors that say exactly where the input broke."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from taoyu.document import Document, Source


@dataclass(slots=True, frozen=True)
class InputError:
    """A record that could not be read. It is counted in the ledger; the run goes on unless strict."""

    source: Source
    message: str

    def describe(self) -> str:
        """Where the input broke and why, in one line for strict mode's error: file, byte offset when
        known, and record number, so the bad bytes can be found."""
        where = f"{self.source.file}"
        if self.source.offset is not None:
            where += f" at byte {self.source.offset}"
        where += f" (record {self.source.index})"
        return f"{where}: {self.message}"


ReadItem = Document | InputError
ReadStream = Iterator[ReadItem]


def too_large(source: Source, size: int, limit: int) -> InputError:
    """The error for a record over ``reader.max_record_mb``: one huge record must not exhaust a worker's
    memory, and the message names the setting to raise."""
    return InputError(
        source, f"record of {size / 2**20:.1f} MB exceeds reader.max_record_mb ({limit / 2**20:.0f} MB)"
    )
