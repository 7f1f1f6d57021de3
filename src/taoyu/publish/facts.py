"""What a finished run's own records say about its dataset, gathered once for the card.

Everything here is counted from the output folder (``run.json``, ``stats.json``, ``recipe.yaml``,
the ledger and the data shards' Parquet metadata), never typed by hand, so every number the card
prints reconciles with the ledger. The ledger is read a batch at a time and the data shards'
texts only a row group at a time, so memory stays flat however large the run.
"""

from __future__ import annotations

import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from taoyu.ledger import DROPPED, KEPT

UNSAFE_STEPS = ("safety", "spam")
"""Steps whose drops are unsafe or illegal content (porn, gambling, offensive, black-market spam):
counted per site for review (TC260-003 asks for per-source rates)."""
REVIEW_RATE = 0.05
"""Sites whose unsafe-drop rate is above this are listed for review."""


class FactsError(ValueError):
    """An output folder the card cannot describe, with the file named."""


@dataclass
class DataFile:
    """One shard of ``data/``: where it is, how big, how many rows, and its Hive partition."""

    path: str
    bytes: int
    rows: int
    arrow_bytes: int
    partition: dict[str, str]


@dataclass
class SiteCounts:
    """One site's (host's) records: in, kept, and dropped as unsafe."""

    records: int = 0
    kept: int = 0
    dropped: int = 0
    unsafe: int = 0

    @property
    def unsafe_rate(self) -> float:
        """The share of the site's records dropped as unsafe, the per-source rate TC260-003 asks for."""
        return self.unsafe / self.records if self.records else 0.0


@dataclass
class RunFacts:
    """The counts and descriptions a dataset card is written from."""

    root: Path
    run: dict[str, Any]
    stats: dict[str, Any]
    recipe: dict[str, Any]
    schema: pa.Schema
    files: list[DataFile]
    partition_by: list[str]
    ledger_kept: int = 0
    ledger_dropped: int = 0
    ledger_errors: int = 0
    edits: Counter[str] = field(default_factory=Counter)
    """Documents each step edited (lines or characters removed, values redacted), kept or not."""
    pii_kept: Counter[str] = field(default_factory=Counter)
    """Personal data found (and redacted or kept as public contacts) in kept documents, by type."""
    pii_dropped: Counter[str] = field(default_factory=Counter)
    """Personal data in documents dropped as personal-data dumps, by type."""
    optout: Counter[str] = field(default_factory=Counter)
    """Pages left out because their publishers opted out, by signal."""
    sites: dict[str, SiteCounts] = field(default_factory=dict)
    labels: dict[str, Counter[str]] = field(default_factory=dict)
    """Kept documents per value of each label column (language, script, industry, content type)."""
    crawl_dates: tuple[str | None, str | None] = (None, None)
    scores: dict[str, ScoreSample] = field(default_factory=dict)
    """Per filter step, a bounded random sample of the scores it decided on, kept and dropped."""
    duplicates: Counter[str] = field(default_factory=Counter)
    """Per kept twin, how many documents were dropped as its duplicates (one entry per cluster: the
    one count that grows with the run, by about 100 bytes a cluster)."""
    drop_samples: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    """The first few dropped documents per (step, reason family), in ledger order."""
    edit_samples: list[dict[str, Any]] = field(default_factory=list)
    """The first few kept documents that had lines removed, with the lines."""
    lengths: Counter[int] = field(default_factory=Counter)
    """Kept documents per character-count bin (the index into :data:`LENGTH_BINS`)."""

    @property
    def rows(self) -> int:
        """Rows in the dataset, from the shards' Parquet metadata rather than the ledger, so the card
        states what was actually written."""
        return sum(f.rows for f in self.files)

    @property
    def download_bytes(self) -> int:
        """The shards' size on disk: what a user downloads (the Hub's "download size")."""
        return sum(f.bytes for f in self.files)

    @property
    def dataset_bytes(self) -> int:
        """The rows' size decoded into Arrow: what loading the dataset takes (the Hub's "dataset size")."""
        return sum(f.arrow_bytes for f in self.files)

    def card(self) -> dict[str, Any]:
        """The recipe's ``card:`` section with its defaults filled in."""
        card = dict(self.recipe.get("card") or {})
        card["license"] = card.get("license") or "other"
        card["version"] = card.get("version") or "1.0.0"
        if not card.get("pretty_name"):
            card["pretty_name"] = self.run.get("recipe") or self.recipe.get("name") or "taoyu dataset"
        return card

    def review_sites(self) -> list[tuple[str, SiteCounts]]:
        """Sites above :data:`REVIEW_RATE` of unsafe drops, most unsafe drops first."""
        flagged = [(h, s) for h, s in self.sites.items() if s.unsafe and s.unsafe_rate > REVIEW_RATE]
        return sorted(flagged, key=lambda hs: (-hs[1].unsafe, hs[0]))


LABEL_COLUMNS = ("language", "script", "industry", "content_type")
_EMPTY_SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string())])
LENGTH_BINS = (0, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
"""Lower edges of the character-count bins of kept documents (the last is open)."""
SCORE_SAMPLE = 20_000
"""Scores kept per filter for its histogram: a reservoir, so memory stays flat on any run."""
SAMPLES_PER_REASON = 3
EDIT_SAMPLES = 6


class ScoreSample:
    """A uniform random sample (reservoir) of one filter's scores, each with whether it dropped
    the document, and the thresholds it was compared with."""

    def __init__(self, capacity: int = SCORE_SAMPLE, seed: int = 0) -> None:
        self.capacity = capacity
        self.seen = 0
        self.values: list[tuple[float, bool]] = []
        self.thresholds: Counter[float] = Counter()
        self._rng = random.Random(seed)

    def add(self, score: float, dropped: bool, threshold: float | None) -> None:
        """Count one score, keeping it with probability capacity/seen (reservoir sampling), so the sample
        stays uniform and bounded on any run, and the same for the same ledger."""
        self.seen += 1
        if threshold is not None:
            self.thresholds[threshold] += 1
        if len(self.values) < self.capacity:
            self.values.append((score, dropped))
        else:
            i = self._rng.randrange(self.seen)
            if i < self.capacity:
                self.values[i] = (score, dropped)


def gather(root: Path, for_card: bool = True) -> RunFacts:
    """Read the output folder's records into :class:`RunFacts`. A card needs a Parquet dataset
    with rows; a report (``for_card=False``) describes any finished run, one that kept nothing or
    wrote JSONL too."""
    for name in ("run.json", "stats.json", "recipe.yaml"):
        if not (root / name).exists():
            raise FactsError(f"{root} is not the output folder of a finished taoyu run (no {name})")
    run = _json(root / "run.json")
    stats = _json(root / "stats.json")
    try:
        recipe = yaml.safe_load((root / "recipe.yaml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise FactsError(f"{root / 'recipe.yaml'}: not valid YAML ({exc})") from None
    output = recipe.get("output") or {}
    parquet = output.get("format", "parquet") == "parquet"
    if not parquet and for_card:
        raise FactsError(
            f"{root}: the card describes Parquet datasets; this run wrote {output.get('format')} "
            "(set output.format: parquet)"
        )
    files, schema = _data_files(root / "data") if parquet else ([], _EMPTY_SCHEMA)
    if not files and for_card:
        raise FactsError(f"{root / 'data'}: no document was kept, so there is no dataset to describe")
    facts = RunFacts(root, run, stats, recipe, schema, files, list(output.get("partition_by") or []))
    _read_ledger(root / "ledger", facts)
    _check_reconciles(facts, parquet)
    _read_labels(root, facts)
    return facts


def _check_reconciles(facts: RunFacts, parquet: bool = True) -> None:
    """The ledger, stats.json and the data shards must tell one story, or the card would print two."""
    ledger = (facts.ledger_kept, facts.ledger_dropped, facts.ledger_errors)
    stats = (facts.stats.get("kept"), facts.stats.get("dropped"), facts.stats.get("input_errors"))
    if ledger != stats or (parquet and facts.rows != facts.ledger_kept):
        raise FactsError(
            f"{facts.root}: the records disagree: ledger kept/dropped/errors {ledger}, stats.json {stats}, "
            f"{facts.rows} rows in data/ (was the folder changed after the run? taoyu stats checks it)"
        )


def _json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FactsError(f"{path}: not valid JSON ({exc})") from None


def _data_files(data: Path) -> tuple[list[DataFile], pa.Schema]:
    paths = sorted(data.rglob("*.parquet")) if data.is_dir() else []
    files = []
    schema: pa.Schema | None = None
    for path in paths:
        try:
            pf = pq.ParquetFile(path)
        except (OSError, pa.ArrowInvalid) as exc:
            raise FactsError(f"{path}: not a readable Parquet file ({exc})") from None
        schema = schema or pf.schema_arrow
        # What datasets reports as num_bytes (the rows in memory), one column of one row group at
        # a time so a shard of long texts never sits in memory whole.
        arrow_bytes = sum(
            pf.read_row_group(i, columns=[name]).nbytes
            for i in range(pf.metadata.num_row_groups)
            for name in pf.schema_arrow.names
        )
        rel = path.relative_to(data.parent).as_posix()
        partition = dict(part.split("=", 1) for part in path.relative_to(data).parts[:-1] if "=" in part)
        files.append(DataFile(rel, os.path.getsize(path), pf.metadata.num_rows, arrow_bytes, partition))
    return files, schema or _EMPTY_SCHEMA


def _read_ledger(ledger: Path, facts: RunFacts) -> None:
    for doc_id, outcome, step, reason, url, trace in _ledger_rows(ledger):
        if outcome == KEPT:
            facts.ledger_kept += 1
        elif outcome == DROPPED:
            facts.ledger_dropped += 1
        else:
            facts.ledger_errors += 1
        if outcome == DROPPED and step == "optout":
            facts.optout[reason or "?"] += 1
        site = _site(url)
        if site is not None:
            counts = facts.sites.setdefault(site, SiteCounts())
            counts.records += 1
            counts.kept += outcome == KEPT
            counts.dropped += outcome == DROPPED
            counts.unsafe += outcome == DROPPED and step in UNSAFE_STEPS
        if trace:
            events = orjson.loads(trace)
            _read_trace(events, outcome, facts)
            _read_for_report(doc_id, outcome, url, events, facts)


def _read_for_report(
    doc_id: str | None, outcome: str, url: str | None, events: list[dict[str, Any]], facts: RunFacts
) -> None:
    """Scores, duplicate clusters and samples, from one document's trace."""
    for event in events:
        score, step = event.get("score"), event.get("step", "?")
        action = event.get("action")
        if score is not None and action in ("keep", "drop") and step not in ("optout", "industry"):
            sample = facts.scores.get(step)
            if sample is None:
                sample = facts.scores[step] = ScoreSample(seed=len(facts.scores))
            sample.add(float(score), action == "drop", event.get("threshold"))
        details = event.get("details") or {}
        if action == "drop":
            if details.get("dup_of"):
                facts.duplicates[details["dup_of"]] += 1
            key = (step, (event.get("reason") or "").split(":", 1)[0])
            found = facts.drop_samples.setdefault(key, [])
            if len(found) < SAMPLES_PER_REASON:
                found.append(
                    {
                        "id": doc_id,
                        "url": url,
                        "reason": event.get("reason"),
                        "score": score,
                        "threshold": event.get("threshold"),
                    }
                )
        elif (
            action == "edit"
            and outcome == KEPT
            and details.get("removed")
            and len(facts.edit_samples) < EDIT_SAMPLES
            and not any(e["id"] == doc_id for e in facts.edit_samples)
        ):
            removed = [r[-1] for r in details["removed"] if isinstance(r, list) and r][:8]
            facts.edit_samples.append({"id": doc_id, "url": url, "step": step, "removed": removed})


def _ledger_rows(ledger: Path):
    """(doc_id, outcome, step, reason, url, trace) of every ledger row, a batch at a time; ledgers
    written before the ``url`` column existed give None for it."""
    wanted = ["doc_id", "outcome", "step", "reason", "url", "trace"]
    for path in sorted(ledger.glob("*.parquet")):
        try:
            pf = pq.ParquetFile(path)
            present = [c for c in wanted if c in pf.schema_arrow.names]
            for batch in pf.iter_batches(batch_size=8192, columns=present):
                n = batch.num_rows
                cols = [batch.column(c).to_pylist() if c in present else [None] * n for c in wanted]
                yield from zip(*cols, strict=True)
        except (OSError, pa.ArrowException) as exc:
            raise FactsError(f"{path}: not a readable ledger file ({exc})") from None


def _read_trace(events: list[dict[str, Any]], outcome: str, facts: RunFacts) -> None:
    edited: set[str] = set()
    for event in events:
        if event.get("action") == "edit":
            edited.add(event["step"])
        if event.get("step") == "redact_pii":
            pii = (event.get("details") or {}).get("pii") or {}
            if event.get("action") == "drop":
                facts.pii_dropped.update(pii)
            elif outcome == KEPT:
                facts.pii_kept.update(pii)
    facts.edits.update(edited)


def _site(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower().removeprefix("www.") if host else None


def _read_labels(root: Path, facts: RunFacts) -> None:
    names = [c for c in LABEL_COLUMNS if c in facts.schema.names]
    has_dates = "crawl_date" in facts.schema.names
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    first: str | None = None
    last: str | None = None
    for f in facts.files:
        pf = pq.ParquetFile(root / f.path)
        cols = names + (["crawl_date"] if has_dates else []) + ["text"]
        for batch in pf.iter_batches(batch_size=8192, columns=cols):
            chars = pc.utf8_length(batch.column("text")).to_numpy(zero_copy_only=False)
            bins = np.searchsorted(LENGTH_BINS, chars, side="right") - 1
            found, found_counts = np.unique(bins, return_counts=True)
            facts.lengths.update({int(v): int(c) for v, c in zip(found, found_counts, strict=True)})
            for name in names:
                counts[name].update(v if v is not None else "(none)" for v in batch.column(name).to_pylist())
            if has_dates:
                dates = pc.drop_null(batch.column("crawl_date"))
                if len(dates):
                    lo, hi = pc.min(dates).as_py(), pc.max(dates).as_py()
                    first = lo if first is None else min(first, lo)
                    last = hi if last is None else max(last, hi)
    facts.labels = dict(counts)
    facts.crawl_dates = (first, last)


def configs(facts: RunFacts) -> list[dict[str, Any]]:
    """The Hub's ``configs``: ``default`` over all of ``data/``, and one per industry when the data
    is partitioned by it, each with its files' glob and counts."""
    nested = bool(facts.partition_by)
    out = [
        {
            "config_name": "default",
            "path": "data/**/*.parquet" if nested else "data/*.parquet",
            "files": facts.files,
        }
    ]
    if "industry" in facts.partition_by:
        codes = sorted({f.partition.get("industry") for f in facts.files} - {None})
        deeper = facts.partition_by.index("industry") < len(facts.partition_by) - 1
        for code in codes:
            if facts.partition_by[0] == "industry":
                path = f"data/industry={code}/" + ("**/*.parquet" if deeper else "*.parquet")
            else:
                path = f"data/**/industry={code}/" + ("**/*.parquet" if deeper else "*.parquet")
            files = [f for f in facts.files if f.partition.get("industry") == code]
            out.append({"config_name": f"industry_{code}", "path": path, "files": files, "industry": code})
    return out
