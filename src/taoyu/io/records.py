"""Turning a row of a tabular input (JSONL object, Parquet row) into a document."""

from __future__ import annotations

from typing import Any

from taoyu.document import Document, Source
from taoyu.io.base import InputError

_DATE_FIELDS = ("crawl_date", "date", "timestamp", "warc_date")


def document_from_record(
    record: dict[str, Any],
    source: Source,
    fallback_id: str,
    text_field: str,
    id_field: str,
    url_field: str,
) -> Document | InputError:
    """A document from a JSONL object or Parquet row: the configured text, id and URL fields, a crawl
    date from the first date-like field, and every other field kept in ``meta`` rather than lost."""
    text = record.get(text_field)
    if text is None:
        return InputError(source, f"record has no '{text_field}' field (reader.text_field)")
    if not isinstance(text, str):
        return InputError(source, f"field '{text_field}' is a {type(text).__name__}, not a string")
    raw_id = record.get(id_field)
    doc_id = str(raw_id) if raw_id not in (None, "") else fallback_id
    url = record.get(url_field)
    meta = {}
    for key, value in record.items():
        if key in (text_field, id_field, url_field):
            continue
        if key in _DATE_FIELDS and "crawl_date" not in meta and value is not None:
            meta["crawl_date"] = str(value)
        else:
            meta[key] = value
    return Document(doc_id, text, source, str(url) if url is not None else None, meta)
