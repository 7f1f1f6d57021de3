"""Cross-document repeated-line removal (CCNet-style): a line many documents share is boilerplate.

Navigation bars, share prompts, copyright footers and "打开APP阅读全文" banners repeat word for
word across the pages of a site; article sentences do not. Lines are counted per site (URL host)
and globally, once per document, and a line that reaches ``site_min_docs`` documents of its site
or ``global_min_docs`` documents overall is removed from every document that has it. Documents
are edited, not dropped, unless nothing is left of them.

Place it after dedup: copies of one article would otherwise make the article's own lines look
repeated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from pydantic import Field

from taoyu.document import Document, Event
from taoyu.registry import register
from taoyu.steps.base import GlobalStep, StepParams

_SPACE = re.compile(r"\s+")


def _line_key(line: str) -> str:
    return _SPACE.sub(" ", line).strip().casefold()


def line_hashes(text: str) -> list[int]:
    """One hash per line, in order (0 for blank lines, which are never counted)."""
    return [
        xxhash.xxh3_64_intdigest(key.encode("utf-8", "surrogatepass")) if key else 0
        for key in map(_line_key, text.split("\n"))
    ]


def site_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL is a document without a site
        return ""
    return host.removeprefix("www.")


class RepeatedLinesParams(StepParams):
    site_min_docs: int = Field(3, ge=2)
    """A line shared by this many documents of one site is that site's boilerplate."""
    global_min_docs: int = Field(100, ge=2)
    """A line shared by this many documents anywhere is boilerplate everywhere."""
    min_line_chars: int = Field(1, ge=1)
    """Shorter lines are left alone (and not counted)."""


@register("repeated_lines")
class RepeatedLines(GlobalStep):
    """Remove lines repeated across documents of a site (or the whole corpus): CCNet-style boilerplate."""

    Params = RepeatedLinesParams
    params: RepeatedLinesParams
    signature_schema = pa.schema(
        [("row", pa.int64()), ("site", pa.string()), ("lines", pa.list_(pa.uint64()))]
    )

    def _counted(self, text: str) -> list[int]:
        lines = text.split("\n")
        return [
            h
            for h, line in zip(line_hashes(text), lines, strict=True)
            if h and len(line.strip()) >= self.params.min_line_chars
        ]

    def signature(self, doc: Document) -> dict[str, Any]:
        return {"site": site_of(doc.url), "lines": sorted(set(self._counted(doc.text)))}

    def resolve(
        self,
        signature_files: Iterable[tuple[int, Path]],
        decisions_dir: Path,
        doc_files: Mapping[int, Sequence[Path]] | None = None,
    ) -> dict[str, Any]:
        files = list(signature_files)
        tables = []
        for task, path in files:
            t = pq.ParquetFile(path).read()
            tables.append(t.append_column("task", pa.array(np.full(t.num_rows, task, np.int64))))
        if not tables:
            return {"documents": 0, "boilerplate_lines": 0}
        table = pa.concat_tables(tables)
        exploded = pa.table(
            {
                "site": pc.take(table.column("site"), pc.list_parent_indices(table.column("lines"))),
                "line": pc.list_flatten(table.column("lines")),
            }
        )
        per_site = exploded.group_by(["site", "line"]).aggregate([([], "count_all")])
        site_hits = per_site.filter(
            pc.and_(
                pc.not_equal(per_site.column("site"), ""),
                pc.greater_equal(per_site.column("count_all"), self.params.site_min_docs),
            )
        )
        overall = exploded.group_by(["line"]).aggregate([([], "count_all")])
        global_hits = set(
            overall.filter(pc.greater_equal(overall.column("count_all"), self.params.global_min_docs))
            .column("line")
            .to_pylist()
        )
        boilerplate: dict[str, set[int]] = {}
        for site, line in zip(
            site_hits.column("site").to_pylist(), site_hits.column("line").to_pylist(), strict=True
        ):
            boilerplate.setdefault(site, set()).add(line)

        decisions: dict[int, list[dict[str, Any]]] = {}
        for row in table.to_pylist():
            remove = [h for h in row["lines"] if h in global_hits or h in boilerplate.get(row["site"], ())]
            if remove:
                decisions.setdefault(row["task"], []).append({"row": row["row"], "remove": remove})
        decisions_dir.mkdir(parents=True, exist_ok=True)
        schema = pa.schema([("row", pa.int64()), ("remove", pa.list_(pa.uint64()))])
        for task, rows in sorted(decisions.items()):
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), decisions_dir / f"{task:05d}.parquet")
        return {
            "documents": table.num_rows,
            "boilerplate_lines": sum(len(v) for v in boilerplate.values()) + len(global_hits),
            "documents_edited": sum(len(v) for v in decisions.values()),
        }

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        if decision is None:
            return doc
        remove = set(decision["remove"])
        lines = doc.text.split("\n")
        kept = [line for line, h in zip(lines, line_hashes(doc.text), strict=True) if h not in remove]
        removed = len(lines) - len(kept)
        details = {"lines_removed": removed, "chars_removed": len(doc.text) - len("\n".join(kept))}
        if not any(line.strip() for line in kept):
            doc.trace.append(Event(self.name, "drop", "all_lines_boilerplate", float(removed), None, details))
            return doc
        doc.text = "\n".join(kept)
        doc.trace.append(Event(self.name, "edit", details=details))
        return doc
