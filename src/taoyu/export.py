"""One dataset per industry: ``taoyu export OUT --industry J,P,Q --to DIR``.

Each ``DIR/J`` is a complete output folder of its own: ``data/`` with the documents labelled J,
``ledger/`` with their ledger rows (kept rows whose trace says J), ``stats.json`` and ``run.json``
whose counts reconcile with them (``taoyu stats DIR/J`` checks it), and the run's
``recipe.yaml``. A dataset card or manifest made later describes the folder it is given.

Nothing is copied that need not be: when the run was written with ``output.partition_by:
[industry]``, each ``data/industry=J`` file is hard-linked into place (copied only across file
systems); otherwise the run's shards are read once, a row group at a time, and each row group's
rows are written to the folders they belong to. The ledger is read once, a batch at a time, for
all industries together. Memory stays flat however large the run.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from taoyu.industry.taxonomy import CODE_PATTERN as _CODE
from taoyu.io.writers import partition_value
from taoyu.ledger import KEPT, LEDGER_SCHEMA
from taoyu.output import read_json, write_json_atomic

COLUMN = "industry"
HQ_COLUMN = "hq_bucket"


class ExportError(ValueError):
    """An export that cannot be made, with the folder named."""


ALL = "*"
"""The target key for "every document" (an export by quality bucket alone)."""


def export_industries(
    output: Path, codes: list[str], to: Path, overwrite: bool = False, min_hq_bucket: int | None = None
) -> dict[str, int]:
    """Write one output folder per industry code under ``to``; returns the documents in each (a code
    no document has gets no folder). With ``min_hq_bucket``, only documents in that quality bucket
    or above (the quality_model step's ``hq_bucket``) go in."""
    _check_run(output)
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not codes:
        raise ExportError("name at least one industry code (--industry J,P,Q)")
    bad = [c for c in codes if not _CODE.match(c)]
    if bad:  # a code names a folder under --to: never "..", a path, or anything a taxonomy cannot hold
        raise ExportError(f"not industry codes: {bad} (letters, digits, '_' and '-' only)")
    return _export(output, {code: to / code for code in codes}, overwrite, min_hq_bucket)


def export_quality(output: Path, min_hq_bucket: int, to: Path, overwrite: bool = False) -> int:
    """Write one output folder, ``to``, with the documents in quality bucket ``min_hq_bucket`` or
    above (``--min-hq-bucket 16`` of 20: about the best 20%); returns how many."""
    _check_run(output)
    if min_hq_bucket < 0:
        raise ExportError("--min-hq-bucket is a bucket number, 0 or more")
    return _export(output, {ALL: to}, overwrite, min_hq_bucket)[ALL]


def _check_run(output: Path) -> None:
    if not (output / "run.json").exists() or not (output / "data").is_dir():
        raise ExportError(f"{output} is not the output folder of a finished taoyu run (no run.json or data/)")


def _check_target(output: Path, folder: Path, overwrite: bool) -> None:
    """An export never writes into the run it reads, nor into a folder holding it, and with
    ``--overwrite`` replaces only a previous export (a folder whose run.json says it is one)."""
    source, target = output.resolve(), folder.resolve()
    if target == source or source.is_relative_to(target) or target.is_relative_to(source):
        raise ExportError(f"--to {folder} overlaps the run {output}: export into a folder of its own")
    if folder.exists() and any(folder.iterdir()):
        if not overwrite:
            raise ExportError(f"{folder} is not empty; choose another --to, or pass --overwrite")
        try:
            previous = read_json(folder / "run.json")
        except (OSError, ValueError):
            previous = None
        if not (isinstance(previous, dict) and "export" in previous):
            raise ExportError(f"{folder} is not a previous export (no run.json saying so): not replacing it")
        shutil.rmtree(folder)


def _export(
    output: Path, targets: dict[str, Path], overwrite: bool, min_bucket: int | None
) -> dict[str, int]:
    columns = ([COLUMN] if any(code != ALL for code in targets) else []) + (
        [HQ_COLUMN] if min_bucket is not None else []
    )
    shards = _data_files(output / "data", columns)
    if min_bucket is not None:
        steps = read_json(output / "run.json").get("global_steps") or {}
        buckets = (steps.get("quality_model") or {}).get("buckets")
        if isinstance(buckets, int) and min_bucket >= buckets:
            raise ExportError(f"--min-hq-bucket {min_bucket}: the run has buckets 0 to {buckets - 1}")
    for folder in targets.values():
        _check_target(output, folder, overwrite)
    for folder in targets.values():
        (folder / "data").mkdir(parents=True, exist_ok=True)
        (folder / "ledger").mkdir(parents=True, exist_ok=True)
    counts = _export_data(output / "data", shards, targets, min_bucket)
    ledger_counts = _export_ledger(output / "ledger", targets, min_bucket)
    for code, folder in targets.items():
        if counts[code] == 0 and ledger_counts[code] == 0 and code != ALL:  # nothing labelled so: no folder
            shutil.rmtree(folder)
            continue
        if ledger_counts[code] != counts[code]:
            raise ExportError(
                f"{code}: {counts[code]} documents in data/ but {ledger_counts[code]} kept ledger rows "
                f"say so: was the run labelled with the industry and quality_model steps?"
            )
        selection: dict[str, Any] = {}
        if code != ALL:
            selection["industry"] = code
        if min_bucket is not None:
            selection["min_hq_bucket"] = min_bucket
        _write_run_files(output, folder, selection, counts[code])
    return counts


def _data_files(data: Path, columns: list[str]) -> list[Path]:
    """The run's Parquet shards, checked before anything is written: they must hold the columns."""
    if any(data.rglob("*.jsonl")):
        raise ExportError(f"{data} holds JSON Lines shards; export reads Parquet (output.format: parquet)")
    shards = sorted(data.rglob("*.parquet"))
    for path in shards:  # the footers only
        names = pq.ParquetFile(path).schema_arrow.names
        for column in columns:
            if column not in names:
                step = "industry" if column == COLUMN else "quality_model"
                raise ExportError(f"{path} has no '{column}' column: run the recipe with the {step} step")
    return shards


def _export_data(
    data: Path, shards: list[Path], targets: dict[str, Path], min_bucket: int | None = None
) -> dict[str, int]:
    counts = dict.fromkeys(targets, 0)
    if min_bucket is None and ALL not in targets and any(data.glob(f"{COLUMN}=*")):
        # Partitioned by industry first, and every row of a folder wanted: link its files.
        for code, folder in targets.items():
            source = data / f"{COLUMN}={partition_value(code)}"
            for path in sorted(source.rglob("*.parquet")):
                # Files of nested partitions share names: the folders below industry= go into the name.
                name = "_".join(path.relative_to(source).parts)
                _link(path, folder / "data" / name)
                counts[code] += pq.ParquetFile(path).metadata.num_rows
        return counts
    writers: dict[str, pq.ParquetWriter] = {}
    wanted = pa.array([c for c in targets if c != ALL], pa.string())
    try:
        for path in shards:
            pf = pq.ParquetFile(path)
            for group in range(pf.num_row_groups):
                table = pf.read_row_group(group)
                if min_bucket is not None:
                    table = table.filter(
                        pc.fill_null(pc.greater_equal(table.column(HQ_COLUMN), min_bucket), False)
                    )
                if ALL not in targets:
                    table = table.filter(pc.is_in(table.column(COLUMN), value_set=wanted))
                for code in targets:
                    part = table if code == ALL else table.filter(pc.equal(table.column(COLUMN), code))
                    if part.num_rows:
                        if code not in writers:
                            out = targets[code] / "data" / "part-00000-000.parquet"
                            writers[code] = pq.ParquetWriter(out, table.schema, compression="zstd")
                        writers[code].write_table(part)
                        counts[code] += part.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    return counts


def _link(source: Path, target: Path) -> None:
    """A hard link (no bytes copied), or a copy where the folders are on different file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _export_ledger(ledger: Path, targets: dict[str, Path], min_bucket: int | None = None) -> dict[str, int]:
    """Kept ledger rows whose trace says which industry the document was labelled with (and, with
    ``min_bucket``, a quality bucket at least that)."""
    counts = dict.fromkeys(targets, 0)
    writers = {code: pq.ParquetWriter(folder / "ledger" / "part-00000.parquet", LEDGER_SCHEMA)
               for code, folder in targets.items()}  # fmt: skip
    try:
        for path in sorted(ledger.glob("*.parquet")):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=65536):
                table = pa.Table.from_batches([batch])
                table = table.filter(pc.equal(table.column("outcome"), KEPT))
                if not table.num_rows:
                    continue
                found = [_labels_of(t) for t in table.column("trace").to_pylist()]  # one parse a row
                if min_bucket is not None:
                    good = [b is not None and b >= min_bucket for _, b in found]
                    table = table.filter(pa.array(good, pa.bool_()))
                    found = [f for f, g in zip(found, good, strict=True) if g]
                label_array = pa.array([industry for industry, _ in found], pa.string())
                for code, writer in writers.items():
                    part = table if code == ALL else table.filter(pc.equal(label_array, code))
                    if part.num_rows:
                        writer.write_table(part.cast(LEDGER_SCHEMA))
                        counts[code] += part.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    return counts


def _labels_of(trace: str | None) -> tuple[str | None, int | None]:
    """(industry, quality bucket) of a kept document, from the last event of each step in its trace."""
    industry: str | None = None
    bucket: int | None = None
    for event in reversed(orjson.loads(trace)) if trace else []:
        details = event.get("details")
        if not isinstance(details, dict):
            continue
        step = event.get("step")
        if step == "industry" and industry is None:
            value = details.get(COLUMN)
            industry = value if isinstance(value, str) else ""  # "": seen, but not a label
        elif step == "quality_model" and bucket is None:
            value = details.get("bucket")
            bucket = value if isinstance(value, int) else -1  # -1: seen, but not a bucket
        if industry is not None and bucket is not None:
            break
    return (industry or None), (bucket if bucket is not None and bucket >= 0 else None)


def _write_run_files(output: Path, folder: Path, selection: dict[str, Any], n: int) -> None:
    run: dict[str, Any] = read_json(output / "run.json")
    run["export"] = {
        "from": str(output),
        **selection,
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "source_counts": run.get("counts"),
    }
    run["counts"] = {"records_in": n, "kept": n, "dropped": 0, "input_errors": 0, "reconciles": True}
    write_json_atomic(folder / "run.json", run)
    write_json_atomic(
        folder / "stats.json",
        {"records_in": n, "kept": n, "dropped": 0, "dropped_by": [], "input_errors": 0,
         "input_errors_by": [], "reconciles": True, **selection},
    )  # fmt: skip
    recipe = output / "recipe.yaml"
    if recipe.exists():
        shutil.copy2(recipe, folder / "recipe.yaml")
