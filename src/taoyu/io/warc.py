"""WARC and WET input (fastwarc), plus a small writer for examples and tests.

HTTP headers are parsed because the charset usually lives there, and the crawl date comes from
WARC-Date. WET ``conversion`` records carry text already, so they skip extraction.
"""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from taoyu.document import Document, Source
from taoyu.io.base import InputError, ReadStream, too_large
from taoyu.io.compression import BROKEN_STREAM_ERRORS, open_decompressed

_TYPES = {
    "response": WarcRecordType.response,
    "resource": WarcRecordType.resource,
    "conversion": WarcRecordType.conversion,
}
_CHUNK = 16384
_TEXTUAL = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml")
KEPT_HTTP_HEADERS = ("tdm-reservation", "tdm-policy", "x-robots-tag", "content-usage")
"""Response headers kept in ``meta['http_headers']`` (name in lower case → list of values): the
publishers' opt-out signals the ``optout`` step reads. The rest are dropped: they would bloat every
row and say nothing about the text."""


def read_warc(path: str, record_types: Iterable[str], max_record_bytes: int) -> ReadStream:
    """Yield one item per WARC record of the wanted types.

    Offsets are positions in the decompressed stream. Decompression happens here rather than
    inside fastwarc because fastwarc ends a truncated .warc.gz silently, losing or shortening the
    last records; Python's decompressors raise, and the guard turns that into an input error.
    Each record is held back until the next one parses; the last one is checked against its
    Content-Length, so a record cut off by truncation is reported instead of passing as a short
    document, and a complete one is never blamed for a cut after it.

    Bytes that do not read as a record (a damaged header, junk between records) stop fastwarc;
    the error names the byte where the last whole record ended, so records of every type are
    iterated, the unwanted ones skipped here, to know where each ends.
    """
    mask = 0
    for name in record_types:
        mask |= int(_TYPES[name])
    index = 0
    pending: Document | InputError | None = None
    last = None
    seen = None  # the last record of any type read whole: where the data stops reading, it ends
    try:
        with open_decompressed(path) as raw:
            guard = _TruncationGuard(raw)
            for record in ArchiveIterator(guard, parse_http=True, stream_detect=False):
                seen = record
                if not int(record.record_type) & mask:
                    continue
                if pending is not None:
                    yield pending
                source = Source(path, index, record.stream_pos, _strip_urn(record.record_id))
                index += 1
                last = record
                pending = _to_item(record, source, max_record_bytes)
        ending = _the_end(path, index, pending, last, guard)
    except (OSError, ValueError, EOFError) as exc:
        # Where the next record should have started: the end of the last one read (and its CRLFs)
        expected = _record_end(seen) + 4 if seen is not None else 0
        ending = [pending] if pending is not None else []
        ending.append(
            InputError(
                Source(path, index, expected),
                f"unreadable WARC data after byte {expected}; the rest of the file was skipped: {exc}",
            )
        )
    yield from ending


def _the_end(
    path: str, index: int, pending: Document | InputError | None, last, guard: _TruncationGuard
) -> list[Document | InputError]:
    """What the records read end with: the last one, or an error in its place when the data stops
    inside it, then an error for a stream that failed after it. Only the last record can be cut
    off, so only its extent is computed."""
    end_of_data = guard.tell()
    if pending is not None and last is not None and end_of_data < _record_end(last):
        return [
            InputError(
                pending.source,
                f"record cut off: the data ends at byte {end_of_data}, the record needs {_record_end(last)}"
                + (f" ({guard.error})" if guard.error else ""),
            )
        ]
    ending = [pending] if pending is not None else []
    if guard.error is not None:
        ending.append(
            InputError(
                Source(path, index, end_of_data),
                f"file is truncated or corrupt after byte {end_of_data} ({guard.error}); "
                "later records are lost",
            )
        )
    return ending


def _record_end(record) -> int:
    """Where a record ends in the stream, as its headers state it (the CRLFs after it not counted)."""
    return record.stream_pos + _header_bytes(record) + _block_bytes(record)


def _block_bytes(record) -> int:
    """The record's block as its header states it: ``content_length`` is less once fastwarc has
    parsed the HTTP headers out of it."""
    try:
        return int(record.headers.get("Content-Length", record.content_length))
    except ValueError:
        return record.content_length


def _header_bytes(record) -> int:
    """Size of the record's WARC header block as written: version line, fields, blank line."""
    return 10 + sum(len(k) + len(v) + 4 for k, v in record.headers.items_bytes()) + 2


class _TruncationGuard:
    """Reports a decompression failure as end-of-stream, and remembers it.

    A plain object with ``read`` and ``tell`` only: fastwarc panics on io.IOBase's ``seek``.
    """

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        # read1 makes one underlying read, so a failure loses at most one chunk, not the buffer.
        self._read = getattr(inner, "read1", inner.read)
        self._pos = 0
        self.error: Exception | None = None

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        # Small inner reads, so the bytes decoded before a failure still reach the parser.
        want = size if size >= 0 else 1 << 62
        parts = []
        while want > 0 and self.error is None:
            try:
                data = self._read(min(want, _CHUNK))
            except BROKEN_STREAM_ERRORS as exc:
                self.error = exc
                break
            if not data:
                break
            parts.append(data)
            want -= len(data)
        out = b"".join(parts)
        self._pos += len(out)
        return out


def _to_item(record, source: Source, max_record_bytes: int) -> Document | InputError:
    if record.content_length > max_record_bytes:
        record.consume()
        return too_large(source, record.content_length, max_record_bytes)
    try:
        payload = record.reader.read()
    except (OSError, ValueError) as exc:
        return InputError(source, f"broken WARC record payload: {exc}")
    url = record.headers.get("WARC-Target-URI")
    meta: dict = {"crawl_date": _iso_date(record.headers.get("WARC-Date"))}
    truncated = record.headers.get("WARC-Truncated")
    if truncated:
        meta["warc_truncated"] = truncated  # the crawler cut the page (often at 1 MiB): not whole
    doc_id = source.record_id or f"{source.file}#{source.index}"
    if record.record_type == WarcRecordType.conversion:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            return InputError(source, f"WET record is not valid UTF-8 at byte {exc.start}")
        return Document(doc_id, text, source, url, meta)
    if record.is_http:
        status = record.http_headers.status_code
        content_type = (record.http_content_type or "").lower()
        meta["http_status"] = status
        meta["content_type"] = content_type or None
        meta["http_charset"] = record.http_charset
        kept = _kept_headers(record.http_headers)
        if kept:
            meta["http_headers"] = kept
        if content_type and not content_type.startswith(_TEXTUAL):
            return InputError(source, f"not a text page (Content-Type {content_type})")
    return Document(doc_id, "", source, url, meta, raw=payload)


def _kept_headers(headers) -> dict[str, list[str]]:
    """The opt-out headers of a response, every value of a repeated header kept in order."""
    out: dict[str, list[str]] = {}
    for name, value in headers.items():
        key = name.strip().lower()
        if key in KEPT_HTTP_HEADERS:
            out.setdefault(key, []).append(value.strip())
    return out


def _strip_urn(record_id: str | None) -> str | None:
    if not record_id:
        return None
    rid = record_id.strip("<>")
    return rid.removeprefix("urn:uuid:")


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).isoformat()
    except ValueError:
        return value


def warc_response_record(
    url: str,
    body: bytes,
    *,
    date: str = "2026-01-01T00:00:00Z",
    content_type: str = "text/html; charset=utf-8",
    record_id: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> bytes:
    """One gzip member holding a WARC/1.1 response record: how crawlers write .warc.gz files.
    ``headers`` are extra HTTP response headers (an opt-out signal, say), written in order."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers)
    http = (
        b"HTTP/1.1 200 OK\r\n"
        + f"Content-Type: {content_type}\r\n".encode()
        + extra.encode()
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    rid = record_id or str(uuid.uuid5(uuid.NAMESPACE_URL, url + date))
    head = (
        "WARC/1.1\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n", mtime=0)
