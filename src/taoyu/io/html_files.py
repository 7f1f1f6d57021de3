"""Folders of saved pages: each file is one record, decoded later by the extraction step."""

from __future__ import annotations

import os

from taoyu.document import Document, Source
from taoyu.io.base import InputError, ReadStream, too_large


def read_html_files(paths: tuple[str, ...], max_record_bytes: int) -> ReadStream:
    """One undecoded document per saved page, its path as id. Files too large, unreadable or empty
    become input errors, so every file shows up in the ledger."""
    for path in paths:
        source = Source(path, 0, 0)
        try:
            size = os.path.getsize(path)
            if size > max_record_bytes:
                yield too_large(source, size, max_record_bytes)
                continue
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            yield InputError(source, f"cannot read file: {exc.strerror or exc}")
            continue
        if not raw.strip():
            yield InputError(source, "empty file")
            continue
        yield Document(path, "", source, None, {}, raw=raw)
