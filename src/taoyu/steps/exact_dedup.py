"""Exact deduplication on normalised text: one keeper per identical text, the rest dropped.

Normalisation (whitespace removed, full-width ASCII folded, case-folded) makes copies that
differ only in spacing, full-width forms or case count as the same text. The keeper is the first
copy in input order, so the result does not depend on how work was spread across workers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from taoyu.document import Document, Event
from taoyu.registry import register
from taoyu.steps.base import KeyedResolve, StepParams, split_rows, task_groups, write_task_decisions

_FULL_WIDTH = re.compile("[\uff01-\uff5e]")
_HALF_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}


def normalise_for_exact(text: str) -> str:
    """The dedup key's text: no whitespace, full-width ASCII folded to half-width, case-folded.

    Not full NFKC: NFKC costs ~0.1 ms per KB, more than the rest of exact dedup together, and the
    forms it folds beyond full-width ASCII (ligatures, circled digits) almost never separate two
    copies of a page. A page uses few distinct full-width characters, so one C-level replace per
    distinct character beats a per-match callback.
    """
    text = "".join(text.split())
    for ch in set(_FULL_WIDTH.findall(text)):
        text = text.replace(ch, _HALF_WIDTH[ch])
    return text.casefold()


_TRACKING = frozenset(
    {"spm", "from", "share", "share_from", "fbclid", "gclid", "wfr", "ivk_sa", "scene", "timestamp"}
)


def normalise_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no www., default port, fragment,
    tracking parameters or trailing slash, and the remaining query sorted."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:  # "http://a.com:abc/", "http://[bad": compare as written
        return url.strip()
    if not host:
        return url.strip()  # a relative URL says nothing about which site it is on
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k.lower().startswith("utm_") or k.lower() in _TRACKING)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, urlencode(query), ""))


class ExactDedupParams(StepParams):
    """What makes two documents the same (text or URL) and which copy survives: only the first in input
    order, the one choice that holds however the work was spread."""

    keep: Literal["first"] = "first"
    """Which copy survives: the first in input order (file order, then record order)."""
    on: Literal["text", "url"] = "text"
    """What makes two documents the same: their normalised text, or their normalised URL
    (recrawls of one page; documents without a URL are never URL duplicates)."""


_MAPPED = pa.schema(
    [("row", pa.int64()), ("doc_id", pa.string()), ("hash", pa.binary(16)), ("task", pa.int64())]
)
_DECIDED = pa.schema(
    [("task", pa.int64()), ("row", pa.int64()), ("dup_of", pa.string()), ("cluster", pa.binary(16))]
)


@register("exact_dedup")
class ExactDedup(KeyedResolve):
    """Drop documents whose normalised text (no spaces, half-width, case-folded) was seen before."""

    Params = ExactDedupParams
    params: ExactDedupParams
    signature_schema: ClassVar[pa.Schema] = pa.schema(
        [("row", pa.int64()), ("doc_id", pa.string()), ("hash", pa.binary(16))]
    )

    def signature(self, doc: Document) -> dict[str, Any]:
        """A 128-bit hash of the normalised text or URL: small enough to gather for every document, wide
        enough that two different keys will not collide in any real corpus."""
        if self.params.on == "url":
            # A document without a URL gets a key of its own (its id), so it matches nothing.
            key = normalise_url(doc.url) if doc.url else "\x00" + doc.id
        else:
            key = normalise_for_exact(doc.text)
        return {"doc_id": doc.id, "hash": xxhash.xxh3_128_digest(key.encode("utf-8", "surrogatepass"))}

    def shuffle_map(
        self, files: Sequence[tuple[int, Path]], partitions: int
    ) -> tuple[list[pa.Table], dict[str, int]]:
        """Signature rows (task, row, doc_id, hash), split by the hash's first four bytes."""
        tables = []
        for task_index, path in files:
            table = pq.ParquetFile(path).read(columns=["row", "doc_id", "hash"])
            tables.append(
                table.append_column("task", pa.array(np.full(table.num_rows, task_index, np.int64)))
            )
        table = pa.concat_tables(tables) if tables else _MAPPED.empty_table()
        if partitions == 1 or not table.num_rows:
            return [table] * partitions, {"documents": table.num_rows}
        hashes = table.column("hash").combine_chunks()
        start = hashes.offset * 16
        raw = np.frombuffer(hashes.buffers()[1], np.uint8)[start : start + len(hashes) * 16]
        part_of = raw.reshape(-1, 16)[:, :4].copy().view("<u4").ravel().astype(np.int64) % partitions
        return split_rows(table, part_of, partitions), {"documents": table.num_rows}

    def shuffle_reduce(self, parts: Sequence[pa.Table]) -> tuple[pa.Table, dict[str, int]]:
        """Every copy of a hash is here: the first in input order (task, then row) keeps it."""
        table = pa.concat_tables([p.select(_MAPPED.names) for p in parts]) if parts else _MAPPED.empty_table()
        if table.num_rows == 0:
            return _DECIDED.empty_table(), {"duplicates": 0}
        table = table.sort_by([("hash", "ascending"), ("task", "ascending"), ("row", "ascending")])
        hashes = table.column("hash")
        first_of_group = pc.not_equal(hashes.slice(1), hashes.slice(0, len(hashes) - 1))
        is_first = pa.concat_arrays([pa.array([True]), first_of_group.combine_chunks()])
        # The keeper's id, carried forward to every later row of its group.
        group_ids = pc.cumulative_sum(pc.cast(is_first, pa.int64()))
        keeper_ids = table.column("doc_id").filter(is_first).take(pc.subtract(group_ids, 1))
        table = table.append_column("dup_of", keeper_ids)
        dups = table.filter(pc.invert(is_first))
        out = pa.table(
            {
                "task": dups.column("task"),
                "row": dups.column("row"),
                "dup_of": dups.column("dup_of"),
                "cluster": dups.column("hash"),
            },
            schema=_DECIDED,
        )
        return out, {"duplicates": out.num_rows}

    def write_decisions(self, tables: Sequence[pa.Table], decisions_dir: Path) -> dict[str, int]:
        """One decision file per task, its duplicates in row order: each apply pass reads only its own."""
        dups = pa.concat_tables(tables) if tables else _DECIDED.empty_table()
        dups = dups.sort_by([("task", "ascending"), ("row", "ascending")])
        decisions_dir.mkdir(parents=True, exist_ok=True)
        for task, part in task_groups(dups):
            write_task_decisions(decisions_dir, task, part.select(["row", "dup_of", "cluster"]))
        return {}

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        """Drop a duplicate, naming its keeper and cluster in the ledger so every drop can be checked
        against the copy that was kept."""
        if decision is not None:
            doc.trace.append(
                Event(
                    self.name,
                    "drop",
                    "exact_duplicate" if self.params.on == "text" else "same_url",
                    1.0,
                    1.0,
                    {"dup_of": decision["dup_of"], "cluster": decision["cluster"].hex()},
                )
            )
        return doc
