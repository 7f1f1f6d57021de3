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
from collections.abc import Mapping, Sequence
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
from taoyu.steps.base import KeyedResolve, StepParams, split_rows, task_groups, write_task_decisions

_SPACE = re.compile(r"\s+")


def _line_key(line: str) -> str:
    return _SPACE.sub(" ", line).strip().casefold()


def line_hashes(lines: list[str]) -> list[int]:
    """One hash per line, in order (0 for blank lines, which are never counted)."""
    return [
        xxhash.xxh3_64_intdigest(key.encode("utf-8", "surrogatepass")) if key else 0
        for key in map(_line_key, lines)
    ]


def site_of(url: str | None) -> str:
    """The site a page belongs to, for per-site counts: its host without ``www.``, since a site's
    boilerplate is the same with or without it; "" when the URL is missing or malformed."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed URL is a document without a site
        return ""
    return host.removeprefix("www.")


class RepeatedLinesParams(StepParams):
    """How many documents must share a line, within a site or across the corpus, before it counts as
    boilerplate; the site bar is low because a site's templates repeat on every page."""

    site_min_docs: int = Field(3, ge=2)
    """A line shared by this many documents of one site is that site's boilerplate."""
    global_min_docs: int = Field(100, ge=2)
    """A line shared by this many documents anywhere is boilerplate everywhere."""
    min_line_chars: int = Field(1, ge=1)
    """Shorter lines are left alone (and not counted)."""


_EXPLODED = pa.schema(
    [("task", pa.int64()), ("row", pa.int64()), ("site", pa.string()), ("line", pa.uint64())]
)
_REMOVED = pa.schema([("task", pa.int64()), ("row", pa.int64()), ("line", pa.uint64())])
_DECISION = pa.schema([("row", pa.int64()), ("remove", pa.list_(pa.uint64()))])


@register("repeated_lines")
class RepeatedLines(KeyedResolve):
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
            for h, line in zip(line_hashes(lines), lines, strict=True)
            if h and len(line.strip()) >= self.params.min_line_chars
        ]

    def signature(self, doc: Document) -> dict[str, Any]:
        """The page's site and its distinct line hashes: a line counts once per document, so a page that
        repeats a line of its own does not make it boilerplate."""
        return {"site": site_of(doc.url), "lines": sorted(set(self._counted(doc.text)))}

    def shuffle_map(
        self, files: Sequence[tuple[int, Path]], partitions: int
    ) -> tuple[list[pa.Table], dict[str, int]]:
        """One row per (document, counted line): task, row, site, line; split by line hash."""
        exploded = []
        documents = 0
        for task, path in files:
            t = pq.ParquetFile(path).read(columns=["row", "site", "lines"])
            documents += t.num_rows
            lines = t.column("lines")
            parent = pc.list_parent_indices(lines)
            n = len(parent)
            exploded.append(
                pa.table(
                    {
                        "task": pa.array(np.full(n, task, np.int64)),
                        "row": pc.take(t.column("row"), parent),
                        "site": pc.take(t.column("site"), parent),
                        "line": pc.list_flatten(lines),
                    },
                    schema=_EXPLODED,
                )
            )
        table = pa.concat_tables(exploded) if exploded else _EXPLODED.empty_table()
        if partitions == 1 or not table.num_rows:
            return [table] * partitions, {"documents": documents}
        part_of = (table.column("line").to_numpy() % np.uint64(partitions)).astype(np.int64)
        return split_rows(table, part_of, partitions), {"documents": documents}

    def shuffle_reduce(self, parts: Sequence[pa.Table]) -> tuple[pa.Table, dict[str, int]]:
        """Every occurrence of a line is here, so its per-site and overall counts are complete."""
        exploded = pa.concat_tables(parts) if parts else _EXPLODED.empty_table()
        if exploded.num_rows == 0:
            return _REMOVED.empty_table(), {"boilerplate_lines": 0}
        per_site = exploded.group_by(["site", "line"]).aggregate([([], "count_all")])
        site_hits = per_site.filter(
            pc.and_(
                pc.not_equal(per_site.column("site"), ""),
                pc.greater_equal(per_site.column("count_all"), self.params.site_min_docs),
            )
        )
        overall = exploded.group_by(["line"]).aggregate([([], "count_all")])
        global_hits = overall.filter(
            pc.greater_equal(overall.column("count_all"), self.params.global_min_docs)
        ).column("line")
        marked = exploded.join(
            pa.table(
                {
                    "site": site_hits.column("site"),
                    "line": site_hits.column("line"),
                    "site_hit": pa.array(np.ones(site_hits.num_rows, bool)),
                }
            ),
            keys=["site", "line"],
            join_type="left outer",
        )
        hit = pc.or_(
            pc.is_valid(marked.column("site_hit")),
            pc.is_in(marked.column("line"), value_set=global_hits.combine_chunks()),
        )
        removed = marked.filter(hit).select(_REMOVED.names).cast(_REMOVED)
        return removed, {"boilerplate_lines": site_hits.num_rows + len(global_hits)}

    def write_decisions(self, tables: Sequence[pa.Table], decisions_dir: Path) -> dict[str, int]:
        """A decision per edited document: its removed line hashes, ascending (signature order)."""
        removed = pa.concat_tables(tables) if tables else _REMOVED.empty_table()
        removed = removed.sort_by([("task", "ascending"), ("row", "ascending"), ("line", "ascending")])
        edited = 0
        decisions_dir.mkdir(parents=True, exist_ok=True)
        for task, part in task_groups(removed):
            rows = part.column("row").to_numpy()
            starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
            offsets = pa.array(np.concatenate([starts, [rows.shape[0]]]).astype(np.int32))
            remove = pa.ListArray.from_arrays(offsets, part.column("line").combine_chunks())
            out = pa.table({"row": pa.array(rows[starts]), "remove": remove}, schema=_DECISION)
            write_task_decisions(decisions_dir, task, out)
            edited += out.num_rows
        return {"documents_edited": edited}

    def apply(self, doc: Document, decision: Mapping[str, Any] | None) -> Document:
        """Remove the lines the resolve found repeated; a page with nothing left was all boilerplate, and
        is dropped as such rather than kept empty."""
        if decision is None:
            return doc
        remove = set(decision["remove"])
        lines = doc.text.split("\n")
        kept = [line for line, h in zip(lines, line_hashes(lines), strict=True) if h not in remove]
        removed = len(lines) - len(kept)
        new_text = "\n".join(kept)
        details = {"lines_removed": removed, "chars_removed": len(doc.text) - len(new_text)}
        if not any(line.strip() for line in kept):
            doc.trace.append(Event(self.name, "drop", "all_lines_boilerplate", float(removed), None, details))
            return doc
        doc.text = new_text
        doc.trace.append(Event(self.name, "edit", details=details))
        return doc
