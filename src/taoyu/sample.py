"""A random sample of a run's documents with their texts, for a person to read.

``taoyu stats`` says how much each step dropped; only reading documents says whether it was right
to. This module picks ledger rows uniformly at random (optionally only kept ones, or only those a
given step dropped for a given reason) and finds each one's text where the run left it: ``data/``
for kept documents, ``rejects/`` for dropped ones when the run kept them. Otherwise the record is
re-read from its input file at the ledger's offset and taken through the run's own steps (from
``OUT/recipe.yaml``) up to the one that dropped it, so the reader sees what that step saw.

The ledger of a large crawl has billions of rows, so it is streamed a batch at a time and only the
sample's rows are ever held; texts are looked up by id with pyarrow, reading the ``id`` column of
each row group and the texts of only the row groups that hold a sampled id.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Literal

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.text import Text

from taoyu.document import Document, Source
from taoyu.io.base import InputError, ReadItem
from taoyu.io.html_files import read_html_files
from taoyu.io.jsonl import read_jsonl
from taoyu.io.parquet import read_parquet
from taoyu.io.tasks import detect_format
from taoyu.io.warc import read_warc
from taoyu.ledger import DROPPED, INPUT_ERROR, KEPT, content_hash
from taoyu.pipeline import Pipeline
from taoyu.recipe import ReaderConfig, Recipe, load_recipe
from taoyu.steps.base import GlobalStep, Step

TextOrigin = Literal["data", "rejects", "reread"]

_SCAN_COLUMNS = ["outcome", "step", "reason"]
_ROW_COLUMNS = [
    "doc_id",
    "source_file",
    "source_index",
    "source_offset",
    "warc_record_id",
    "content_hash",
    "outcome",
    "step",
    "reason",
    "score",
    "threshold",
    "trace",
]
_SHARD_COLUMNS = ["id", "text", "url", "source_file", "source_index", "source_offset"]
_COMPRESSED = (".gz", ".zst", ".zstd")


@dataclass(frozen=True)
class Criteria:
    """Which ledger rows a sample is drawn from. None means any value.

    ``reason`` matches the whole reason or its family (the part before the first ':'), because
    reasons carry detail after a colon (``spam:spliced``, ``language:en``) and a person auditing a
    step usually wants all of its reasons at once.
    """

    outcome: Literal["kept", "dropped"] | None = None
    step: str | None = None
    reason: str | None = None

    def matches(self, batch: pa.RecordBatch) -> np.ndarray:
        """A boolean per row of a ledger batch, computed by pyarrow, not row by row in Python."""
        conditions = []
        if self.outcome is not None:
            conditions.append(pc.equal(batch.column("outcome"), self.outcome))
        if self.step is not None:
            conditions.append(pc.equal(batch.column("step"), self.step))
        if self.reason is not None:
            reason = batch.column("reason")
            condition = pc.equal(reason, self.reason)
            if ":" not in self.reason:  # a family: 'spam' matches 'spam' and 'spam:spliced'
                condition = pc.or_(condition, pc.starts_with(reason, self.reason + ":"))
            conditions.append(condition)
        mask = np.ones(batch.num_rows, dtype=bool)
        for condition in conditions:
            mask &= pc.fill_null(condition, False).to_numpy(zero_copy_only=False)
        return mask


@dataclass(frozen=True)
class Draw:
    """The ledger rows a sample picked, as (ledger file number, row in that file) in ledger order,
    and how many rows matched: enough to fetch the rows and to say what they were drawn from."""

    positions: list[tuple[int, int]]
    matching: int


def draw(ledger_files: list[Path], n: int, seed: int, criteria: Criteria, batch_size: int = 65536) -> Draw:
    """Pick ``n`` matching rows uniformly at random, reading only the filter columns a batch at a time.

    Every ledger row gets a random key from a generator seeded with ``seed``, matching or not, and
    the ``n`` matching rows with the smallest keys are the sample (bottom-k sampling: a reservoir
    that is vectorised per batch). Memory holds one batch and ``n`` candidates, whatever the size
    of the ledger. Because a row's key depends only on its position and the seed, a larger ``n``
    extends a smaller sample instead of replacing it, and the same seed always gives the same rows.
    """
    rng = np.random.default_rng(seed)
    keys = np.empty(0, dtype=np.float64)
    where = np.empty((0, 2), dtype=np.int64)
    matching = 0
    for number, path in enumerate(ledger_files):
        row = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=_SCAN_COLUMNS):
            batch_keys = rng.random(batch.num_rows)
            hits = np.flatnonzero(criteria.matches(batch))
            matching += hits.size
            if hits.size:
                keys = np.concatenate([keys, batch_keys[hits]])
                found = np.column_stack([np.full(hits.size, number), hits + row])
                where = np.concatenate([where, found])
                if keys.size > n:
                    keep = np.argpartition(keys, n - 1)[:n]
                    keys, where = keys[keep], where[keep]
            row += batch.num_rows
    order = np.lexsort((where[:, 1], where[:, 0]))
    return Draw([(int(f), int(r)) for f, r in where[order]], matching)


def fetch_rows(ledger_files: list[Path], positions: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The full ledger rows at ``positions``, reading only the row groups that hold them.

    The scan in :func:`draw` leaves out the wide columns (the trace can list every line a step
    removed); they are read here for the few sampled rows only.
    """
    by_file: dict[int, list[int]] = defaultdict(list)
    for number, row in positions:
        by_file[number].append(row)
    rows: list[dict[str, Any]] = []
    for number, wanted in sorted(by_file.items()):
        pf = pq.ParquetFile(ledger_files[number])
        sizes = [pf.metadata.row_group(g).num_rows for g in range(pf.num_row_groups)]
        starts = np.concatenate([[0], np.cumsum(sizes)])
        by_group: dict[int, list[int]] = defaultdict(list)
        for row in sorted(wanted):
            group = int(np.searchsorted(starts, row, side="right") - 1)
            by_group[group].append(row - int(starts[group]))
        for group, local in sorted(by_group.items()):
            rows.extend(pf.read_row_group(group, columns=_ROW_COLUMNS).take(local).to_pylist())
    return rows


@dataclass
class SampledDoc:
    """One sampled ledger row, and once found its URL, its text and where the text came from.

    ``notes`` say why a text is missing or may not be what the run saw (a source file gone or
    changed since the run), so the command can tell the reader and go on with the next document.
    """

    ledger: dict[str, Any]
    url: str | None = None
    text: str | None = None
    origin: TextOrigin | None = None
    seen_at: str | None = None
    """For a re-read text: the step whose input it is."""
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        """The document id (None for a record that could not be read at all)."""
        return self.ledger["doc_id"]

    @property
    def location(self) -> tuple[Any, ...]:
        """Id plus place in the input: unique per record even when two input records share an id."""
        row = self.ledger
        return (row["doc_id"], row["source_file"], row["source_index"], row["source_offset"])

    def as_json(self) -> dict[str, Any]:
        """The object ``--out`` writes for this document: flat, for review tools and spreadsheets."""
        row = self.ledger
        return {
            "id": row["doc_id"],
            "source_file": row["source_file"],
            "source_index": row["source_index"],
            "source_offset": row["source_offset"],
            "warc_record_id": row["warc_record_id"],
            "url": self.url,
            "outcome": row["outcome"],
            "step": row["step"],
            "reason": row["reason"],
            "score": row["score"],
            "threshold": row["threshold"],
            "text": self.text,
            "text_origin": self.origin,
            "seen_at": self.seen_at,
            "note": "; ".join(self.notes) or None,
        }


@dataclass(frozen=True)
class Sample:
    """A drawn sample with its texts, and the number of ledger rows it was drawn from."""

    docs: list[SampledDoc]
    matching: int


def sample(
    output: Path, n: int, seed: int = 0, criteria: Criteria | None = None, batch_size: int = 65536
) -> Sample:
    """Draw ``n`` ledger rows of the run in ``output`` at random and find each one's text.

    Never raises for one document's sake: a text that cannot be found becomes a note on it.
    """
    if n < 1:
        raise ValueError("a sample needs at least one document")
    ledger_files = sorted((output / "ledger").glob("*.parquet"))
    drawn = draw(ledger_files, n, seed, criteria or Criteria(), batch_size)
    docs = [SampledDoc(row) for row in fetch_rows(ledger_files, drawn.positions)]
    attach_texts(output, docs)
    return Sample(docs, drawn.matching)


def attach_texts(output: Path, docs: list[SampledDoc]) -> None:
    """Give each sampled document its text: from data/, from rejects/, or re-read from its source."""
    kept = [d for d in docs if d.ledger["outcome"] == KEPT]
    dropped = [d for d in docs if d.ledger["outcome"] == DROPPED]
    _fill_from_shards(output / "data", kept, "data")
    _fill_from_shards(output / "rejects", dropped, "rejects")
    for doc in kept:
        if doc.text is None:
            doc.notes.append("not found in data/ (is the run incomplete, or were shards removed?)")
    missing = [d for d in dropped if d.text is None]
    if missing:
        Rereader(output).fill(missing)
    for doc in docs:
        if doc.ledger["outcome"] == INPUT_ERROR:
            doc.notes.append("an input error: there is no text to show (the reason says what went wrong)")


def _fill_from_shards(folder: Path, docs: list[SampledDoc], origin: TextOrigin) -> None:
    """Fill texts from a folder of output shards, stopping as soon as every document is found."""
    wanted = {d.location: d for d in docs if d.id is not None}
    if not wanted or not folder.is_dir():
        return
    for row in shard_rows(folder, {key[0] for key in wanted}):
        doc = wanted.pop(
            (row["id"], row.get("source_file"), row.get("source_index"), row.get("source_offset")), None
        )
        if doc is not None:
            doc.text, doc.url, doc.origin = row["text"], row.get("url"), origin
            if not wanted:
                return


def shard_rows(folder: Path, ids: set[str]) -> Iterator[dict[str, Any]]:
    """Rows of ``folder``'s shards whose id is one of ``ids``, with the lookup columns only.

    Parquet: the ``id`` column of each row group is filtered with pyarrow, and the other columns
    are read only for row groups that hold a wanted id. JSON Lines (``output.format: jsonl``): a
    line is parsed only if it holds a wanted id as the writer spelled it.
    """
    value_set = pa.array(sorted(ids), pa.string())
    for path in sorted(folder.rglob("*.parquet")):  # partition folders too
        pf = pq.ParquetFile(path)
        columns = [c for c in _SHARD_COLUMNS if c in pf.schema_arrow.names]
        for group in range(pf.num_row_groups):
            hits = pc.is_in(pf.read_row_group(group, columns=["id"]).column("id"), value_set=value_set)
            if pc.any(hits).as_py():
                yield from pf.read_row_group(group, columns=columns).filter(hits).to_pylist()
    needles = [orjson.dumps(i) for i in ids]
    for path in sorted(folder.rglob("*.jsonl")):
        with open(path, "rb") as fh:
            for line in fh:
                if any(needle in line for needle in needles):
                    record = orjson.loads(line)
                    if record.get("id") in ids:
                        yield {c: record.get(c) for c in _SHARD_COLUMNS}


class Rereader:
    """Re-reads dropped documents from the run's input files and replays the run's steps on them.

    For runs made without ``--keep-rejects``: the ledger says where each record lives, and the
    recipe the run saved says how it was read and what was done to it, so the text a step dropped
    can be rebuilt one document at a time. The replay stops where the run dropped the document and
    checks itself against the ledger (dropping step, reason and content hash), so a source file
    changed since the run is reported instead of shown as if it were what the run saw.
    """

    def __init__(self, output: Path) -> None:
        self._problem: str | None = None
        self._recipe: Recipe | None = None
        self._steps: list[Step] = []
        self._set_up: set[int] = set()
        recipe_path = output / "recipe.yaml"
        try:
            self._recipe = load_recipe(recipe_path)
            self._steps = Pipeline.from_recipe(self._recipe).steps
        except Exception as exc:  # a missing plugin, an edited recipe: one note per document, no crash
            self._problem = f"cannot re-read: the run's recipe {recipe_path} does not load ({exc})"
        self._sizes: dict[str, int] = {}
        try:
            run_info = orjson.loads((output / "run.json").read_bytes())
            self._sizes = {i["path"]: i["bytes"] for i in run_info.get("inputs", []) if "bytes" in i}
        except (OSError, orjson.JSONDecodeError, TypeError, KeyError):
            pass  # an unfinished run: no sizes to compare, the replay's own checks remain

    def fill(self, docs: list[SampledDoc]) -> None:
        """Re-read and replay ``docs``, one pass over each source file for all its sampled records."""
        by_file: dict[str, list[SampledDoc]] = defaultdict(list)
        for doc in docs:
            by_file[doc.ledger["source_file"]].append(doc)
        for path, group in by_file.items():
            problem = self._problem or self._file_problem(path)
            fmt = self._format(path)
            if problem is None and fmt is None:
                problem = f"cannot re-read {path}: its format is unknown"
            if problem is not None:
                for doc in group:
                    doc.notes.append(problem)
                continue
            assert fmt is not None and self._recipe is not None
            try:
                found = _read_records(path, fmt, self._recipe.reader, group)
            except Exception as exc:  # an unreadable file must not end the sample
                for doc in group:
                    doc.notes.append(f"cannot re-read {path}: {type(exc).__name__}: {exc}")
                continue
            for doc in group:
                item = found.get(_record_key(fmt, _ledger_source(doc)))
                self._take(doc, item, path)

    def _format(self, path: str) -> str | None:
        forced = self._recipe.reader.format if self._recipe is not None else "auto"
        return forced if forced != "auto" else detect_format(path)

    def _file_problem(self, path: str) -> str | None:
        if not os.path.isfile(path):
            hint = "" if os.path.isabs(path) else " (relative paths are from where the run was started)"
            return f"the source file {path} is gone{hint}: cannot re-read the dropped text"
        was = self._sizes.get(path)
        size = os.path.getsize(path)
        if was is not None and size != was:
            return (
                f"the source file {path} changed since the run ({size:,} bytes, the run read {was:,}): "
                "not re-read"
            )
        return None

    def _take(self, sampled: SampledDoc, item: ReadItem | None, path: str) -> None:
        row = sampled.ledger
        where = f"record {row['source_index']}" + (
            f" (byte {row['source_offset']})" if row["source_offset"] is not None else ""
        )
        if item is None:
            sampled.notes.append(f"{path} has no {where} any more: the file changed since the run")
        elif isinstance(item, InputError):
            sampled.notes.append(
                f"{path} {where} cannot be read now ({item.message}): the file changed since the run"
            )
        elif item.id != row["doc_id"]:
            sampled.notes.append(
                f"{path} {where} is now {item.id!r}, not {row['doc_id']!r}: the file changed since the run"
            )
        else:
            item.source = _ledger_source(sampled)
            try:
                self._replay(sampled, item)
            except Exception as exc:  # a step failing on one document: say so, go on
                sampled.notes.append(f"replaying the run's steps failed: {type(exc).__name__}: {exc}")

    def _replay(self, sampled: SampledDoc, doc: Document) -> None:
        """Take ``doc`` through the run's steps in order until it is dropped, as the run did.

        A global step (dedup) decides over the whole corpus and cannot run on one document: the
        replay stops before the global step that dropped the document, and passes over earlier
        ones, which kept it (an edit they made is named in a note, since it cannot be repeated).
        """
        row = sampled.ledger
        trace = orjson.loads(row["trace"]) if row["trace"] else []
        edited = {e["step"] for e in trace if e.get("action") == "edit"}
        unrepeatable = False
        seen, seen_at = doc.text, None
        for number, step in enumerate(self._steps):
            if isinstance(step, GlobalStep):
                if step.name == row["step"]:
                    seen, seen_at = doc.text, step.name
                    break
                if step.name in edited:
                    unrepeatable = True
                    sampled.notes.append(
                        f"{step.name} edited this document in the run, a decision over the whole corpus "
                        "that one re-read cannot repeat: the text is as it stood before that edit"
                    )
                continue
            if number not in self._set_up:
                step.setup()
                self._set_up.add(number)
            seen = doc.text
            step.prepare([doc])
            doc = step.process(doc)
            if doc.is_dropped:
                seen_at = step.name
                break
        sampled.text, sampled.url, sampled.origin = seen, doc.url, "reread"
        sampled.seen_at = seen_at or "the end of the steps"
        final = doc.dropped_by
        if seen_at != row["step"] or (final is not None and final.reason != row["reason"]):
            now = f"was dropped by {final.step} ({final.reason})" if final is not None else "kept it"
            sampled.notes.append(
                f"the replay {now} where the run dropped it at {row['step']} ({row['reason']}): "
                "the source or the steps changed since the run"
            )
        elif not unrepeatable and content_hash(doc.text) != row["content_hash"]:
            sampled.notes.append(
                "the re-read text differs from the text the run recorded (content hash): "
                "the source or the steps changed since the run"
            )


def _ledger_source(doc: SampledDoc) -> Source:
    row = doc.ledger
    return Source(row["source_file"], row["source_index"], row["source_offset"], row["warc_record_id"])


def _record_key(fmt: str, source: Source) -> int | None:
    """How a record is found again: by byte offset where the format has one, else by index.

    A sliced JSONL file restarts record indexes in each slice, but offsets are absolute.
    """
    return source.offset if fmt in ("jsonl", "warc") else source.index


def _read_records(path: str, fmt: str, cfg: ReaderConfig, docs: list[SampledDoc]) -> dict[int, ReadItem]:
    """The records of ``path`` that ``docs`` came from, read by the run's own readers and settings,
    keyed by :func:`_record_key`; the read stops once every one is found."""
    wanted = {key for d in docs if (key := _record_key(fmt, _ledger_source(d))) is not None}
    found: dict[int, ReadItem] = {}
    for item in _candidates(path, fmt, cfg, wanted):
        key = _record_key(fmt, item.source)
        if key is not None and key in wanted and key not in found:
            found[key] = item
            if len(found) == len(wanted):
                break
    return found


def _candidates(path: str, fmt: str, cfg: ReaderConfig, keys: set[int]) -> Iterator[ReadItem]:
    """The records that may hold ``keys``: a JSONL line or Parquet row group read where it lies,
    the rest from the start (a WARC's offsets are positions in the decompressed stream, and
    compressed files cannot be entered in the middle)."""
    max_bytes = int(cfg.max_record_mb * 2**20)
    fields = {"text_field": cfg.text_field, "id_field": cfg.id_field, "url_field": cfg.url_field}
    if fmt == "warc":
        return read_warc(path, cfg.warc_record_types, max_bytes)
    if fmt == "html":
        return read_html_files((path,), max_bytes)
    if fmt == "jsonl":
        if path.lower().endswith(_COMPRESSED):
            return read_jsonl(path, max_record_bytes=max_bytes, **fields)
        return chain.from_iterable(
            read_jsonl(path, max_record_bytes=max_bytes, start=k, stop=k + 1, **fields) for k in sorted(keys)
        )
    if fmt == "parquet":
        meta = pq.ParquetFile(path).metadata
        starts = np.cumsum([0] + [meta.row_group(g).num_rows for g in range(meta.num_row_groups)])
        groups = sorted({int(np.searchsorted(starts, k, side="right") - 1) for k in keys})
        return chain.from_iterable(
            read_parquet(path, max_record_bytes=max_bytes, start=g, stop=g + 1, **fields)
            for g in groups
            if 0 <= g < meta.num_row_groups
        )
    raise ValueError(f"no reader for format '{fmt}'")


def describe_source(row: dict[str, Any]) -> str:
    """Where a ledger row's record lives: file, record index, byte offset and WARC-Record-ID."""
    where = f"{row['source_file']} record {row['source_index']}"
    if row["source_offset"] is not None:
        where += f", byte {row['source_offset']}"
    if row["warc_record_id"]:
        where += f", WARC-Record-ID {row['warc_record_id']}"
    return where


def describe_outcome(row: dict[str, Any]) -> str:
    """The ledger's verdict in words: outcome, step, reason, and the score against its threshold."""
    line = row["outcome"]
    if row["step"]:
        line += f" by {row['step']}" + (f" ({row['reason']})" if row["reason"] else "")
    if row["score"] is not None:
        line += f", score {row['score']:g}"
        if row["threshold"] is not None:
            line += f" vs threshold {row['threshold']:g}"
    return line


def render(doc: SampledDoc, number: int, total: int, chars: int) -> Text:
    """One sampled document for the terminal: the ledger's facts, then the first ``chars`` characters.

    Built from plain Text parts, never from markup strings: page text, ids and URLs are shown as
    written, so a page holding ``[bold]`` or ``[/]`` can neither restyle the output nor break it.
    """
    row = doc.ledger
    out = Text()
    out.append(f"[{number}/{total}] ", style="dim")
    out.append(row["doc_id"] or "(no id)", style="bold cyan")
    out.append(f"\n  source:  {describe_source(row)}")
    out.append(f"\n  url:     {doc.url or '-'}")
    out.append(f"\n  outcome: {describe_outcome(row)}")
    for note in doc.notes:
        out.append(f"\n  note:    {note}", style="yellow")
    if doc.text is None:
        return out
    label = {
        "data": "text from data/",
        "rejects": "text from rejects/",
        "reread": f"text re-read from the source: what the pipeline saw at {doc.seen_at}",
    }[doc.origin or "data"]
    out.append(f"\n  {label} ({len(doc.text):,} characters):", style="bold")
    out.append("\n" + doc.text[:chars])
    if len(doc.text) > chars:
        out.append(f"\n… [truncated: first {chars:,} of {len(doc.text):,} characters shown]", style="dim")
    return out


def write_jsonl(docs: list[SampledDoc], path: Path) -> None:
    """Write the sample as JSON Lines, whole texts included, for review outside the terminal."""
    with open(path, "wb") as fh:
        for doc in docs:
            fh.write(orjson.dumps(doc.as_json()) + b"\n")
