"""What the inspector asks of an output folder, answered by DuckDB over the Parquet files in place.

Nothing is copied into a database: each request scans the ledger, data and rejects shards where
they lie, reading only the columns it needs, so the first page of a million-row ledger comes back
in tens of milliseconds and memory does not grow with the run. Every value a person types is
passed as a bound parameter, never spliced into SQL.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import orjson

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; None or "" means any."""

    outcome: str | None = None
    step: str | None = None
    reason: str | None = None
    domain: str | None = None
    industry: str | None = None
    text: str | None = None

    def where(self, has_data: bool, has_rejects: bool, has_url: bool = True) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters."""
        clauses, params = [], []
        if self.outcome:
            clauses.append("outcome = ?")
            params.append(self.outcome)
        if self.step:
            clauses.append("step = ?")
            params.append(self.step)
        if self.reason:  # a family ('spam') matches its detailed reasons ('spam:spliced') too
            clauses.append("(reason = ? OR starts_with(reason, ? || ':'))")
            params += [self.reason, self.reason]
        if self.domain and not has_url:
            clauses.append("FALSE")  # a ledger written before it had a url column
        elif self.domain:
            domain = self.domain.strip().lower().removeprefix("www.")
            # A cheap substring test first, then the host by one regular expression: the domain or a
            # subdomain of it, between "://" (or "user@") and a port, path, query or the end.
            pattern = (
                r"(?i)^[a-z][a-z0-9+.\-]*://([^/?#@]*@)?([^/?#:@]*\.)?"
                + re.escape(domain)
                + r"(:[0-9]*)?([/?#]|$)"
            )
            clauses.append("contains(lower(url), ?) AND regexp_matches(url, ?)")
            params += [domain, pattern]
        if self.industry:
            if has_data:
                clauses.append("doc_id IN (SELECT id FROM data WHERE industry = ?)")
                params.append(self.industry)
            else:
                clauses.append("FALSE")
        if self.text:
            sources = (["SELECT id FROM data WHERE contains(text, ?)"] if has_data else []) + (
                ["SELECT id FROM rejects WHERE contains(text, ?)"] if has_rejects else []
            )
            if sources:
                clauses.append(f"doc_id IN ({' UNION ALL '.join(sources)})")
                params += [self.text] * len(sources)
            else:
                clauses.append("FALSE")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class RunIndex:
    """Queries over one output folder. Thread-safe: each call takes its own cursor."""

    def __init__(self, output: Path) -> None:
        self.output = output
        if not (output / "ledger").is_dir() or not any((output / "ledger").glob("*.parquet")):
            raise ValueError(f"{output} has no ledger/ (is it the output folder of a taoyu run?)")
        self._db = duckdb.connect(
            ":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        self._lock = threading.Lock()
        self.has_data = self._view("data", output / "data", "**/*.parquet")
        self.has_rejects = self._view("rejects", output / "rejects", "**/*.parquet")
        self._view("ledger", output / "ledger", "*.parquet", numbered=True)
        columns = {r[0] for r in self._db.execute("DESCRIBE ledger").fetchall()}
        self._url = "url" if "url" in columns else "NULL::VARCHAR AS url"

    def _view(self, name: str, folder: Path, pattern: str, numbered: bool = False) -> bool:
        """A view over a folder's shards; ``numbered`` adds each row's file and row number, which
        give the list a stable order (the ledger's) whatever joins a filter adds."""
        files = sorted(folder.glob(pattern)) if folder.is_dir() else []
        if not files:
            return False
        listing = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
        numbers = ", filename = '_file', file_row_number = true" if numbered else ""
        self._db.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listing}], union_by_name = true, "
            f"hive_partitioning = false{numbers})"
        )
        return True

    def _query(self, sql: str, params: list[Any]) -> tuple[list[str], list[tuple]]:
        with self._lock:
            cursor = self._db.cursor()
        try:
            result = cursor.execute(sql, params)
            names = [d[0] for d in result.description]
            return names, result.fetchall()
        finally:
            cursor.close()

    def facets(self) -> dict[str, list[str]]:
        """The values each filter can take: steps, reasons (families) and industries."""
        _, steps = self._query("SELECT DISTINCT step FROM ledger WHERE step IS NOT NULL ORDER BY 1", [])
        _, reasons = self._query(
            "SELECT DISTINCT split_part(reason, ':', 1) FROM ledger WHERE outcome = 'dropped' ORDER BY 1", []
        )
        industries: list[tuple] = []
        if self.has_data:
            cols = {r[0] for r in self._query("DESCRIBE data", [])[1]}
            if "industry" in cols:
                _, industries = self._query(
                    "SELECT DISTINCT industry FROM data WHERE industry IS NOT NULL ORDER BY 1", []
                )
        return {
            "steps": [r[0] for r in steps],
            "reasons": [r[0] for r in reasons if r[0]],
            "industries": [r[0] for r in industries],
        }

    def list_docs(
        self, filters: Filters, page: int = 0, page_size: int = PAGE_SIZE
    ) -> tuple[list[dict], int]:
        """One page of ledger rows matching ``filters`` (in ledger order) and how many match."""
        where, params = filters.where(self.has_data, self.has_rejects, self._url == "url")
        names, rows = self._query(
            f"SELECT doc_id, outcome, step, reason, score, threshold, {self._url}, source_file, source_index "
            f"FROM ledger{where} ORDER BY _file, file_row_number LIMIT ? OFFSET ?",
            [*params, page_size, max(page, 0) * page_size],
        )
        _, total = self._query(f"SELECT count(*) FROM ledger{where}", params)
        return [dict(zip(names, r, strict=True)) for r in rows], int(total[0][0])

    def document(
        self, doc_id: str, source_file: str | None = None, source_index: int | None = None
    ) -> dict[str, Any] | None:
        """Everything the document page shows: the ledger row, the trace, the text and where it
        came from, the kept twin of a duplicate with a diff, and the lines steps removed. Two input
        records can share an id; ``source_file`` and ``source_index`` tell them apart."""
        sql, params = "SELECT * EXCLUDE (_file, file_row_number) FROM ledger WHERE doc_id = ?", [doc_id]
        if source_file is not None and source_index is not None:
            sql += " AND source_file = ? AND source_index = ?"
            params += [source_file, source_index]
        names, rows = self._query(sql + " ORDER BY _file, file_row_number LIMIT 1", params)
        if not rows:
            return None
        row = dict(zip(names, rows[0], strict=True))
        trace = orjson.loads(row["trace"]) if row.get("trace") else []
        details = orjson.loads(row["details"]) if row.get("details") else {}
        text, origin = self._text(row)
        metadata = self._metadata(row)
        twin = diff = None
        if details.get("dup_of"):
            twin_id = str(details["dup_of"])
            twin_text = self._text_by_id("data", twin_id)
            twin = {"id": twin_id, "text": twin_text}
            if twin_text is not None and text is not None:
                diff = list(
                    difflib.unified_diff(
                        twin_text.splitlines(),
                        text.splitlines(),
                        "kept " + twin_id,
                        "this document",
                        lineterm="",
                    )
                )
        removed = [
            {
                "step": e.get("step"),
                "lines": [r[-1] for r in (e.get("details") or {}).get("removed", []) if r],
            }
            for e in trace
            if e.get("action") == "edit" and (e.get("details") or {}).get("removed")
        ]
        return {
            "row": row,
            "trace": trace,
            "details": details,
            "text": text,
            "origin": origin,
            "twin": twin,
            "diff": diff,
            "removed": removed,
            "metadata": metadata,
        }

    def _metadata(self, row: dict[str, Any]) -> dict[str, Any]:
        """The dataset row's other columns (title, author, labels, the meta JSON) of a kept
        document, or a dropped one's from rejects/."""
        found = self._shard_row("data" if row.get("outcome") == "kept" else "rejects", row)
        if found is None:
            return {}
        found.pop("text", None)
        return found

    def _shard_row(self, view: str, row: dict[str, Any]) -> dict[str, Any] | None:
        """The data or rejects row of a ledger row: by id, and by source when two share an id."""
        if (view == "data" and not self.has_data) or (view == "rejects" and not self.has_rejects):
            return None
        names, rows = self._query(f"SELECT * FROM {view} WHERE id = ?", [row["doc_id"]])
        found = [dict(zip(names, r, strict=True)) for r in rows]
        if len(found) > 1:
            same = [
                f
                for f in found
                if f.get("source_file") == row.get("source_file")
                and f.get("source_index") == row.get("source_index")
            ]
            found = same or found
        return found[0] if found else None

    def _text_by_id(self, view: str, doc_id: str) -> str | None:
        if (view == "data" and not self.has_data) or (view == "rejects" and not self.has_rejects):
            return None
        _, rows = self._query(f"SELECT text FROM {view} WHERE id = ? LIMIT 1", [doc_id])
        return rows[0][0] if rows else None

    def _text(self, row: dict[str, Any]) -> tuple[str | None, str | None]:
        if row.get("outcome") == "kept":
            found = self._shard_row("data", row)
            return (found["text"], "data/") if found else (None, None)
        if row.get("outcome") == "dropped":
            found = self._shard_row("rejects", row)
            if found is not None:
                return found["text"], "rejects/"
            return self._reread(row)
        return None, None

    def _reread(self, row: dict[str, Any]) -> tuple[str | None, str | None]:
        """A dropped document of a run without rejects: re-read from its source, as `taoyu sample`
        does, taken through the recipe's steps up to the one that dropped it."""
        from taoyu.sample import SampledDoc, attach_texts

        try:
            doc = SampledDoc(dict(row))
            attach_texts(self.output, [doc])
        except Exception as exc:  # the page still shows the decision without the text
            return None, f"not available ({type(exc).__name__}: {exc})"
        if doc.text is None:
            return None, "; ".join(doc.notes) or "not found"
        return doc.text, "re-read from the source"
