"""The short version of the readers' fuzz run (``bench/fuzz.py``; the documented run has a million
inputs and a thousand whole runs): mutated WARC, WET, JSONL, Parquet and HTML inputs, built from the
example crawl, never make a reader raise or hang, and whole runs over them account for every record."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .conftest import REPO


def test_mutated_inputs_never_escape_a_reader_and_every_record_reaches_the_ledger(tmp_path: Path):
    import subprocess

    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "fuzz.py"),
            "--inputs",
            "3000",
            "--runs",
            "20",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads((tmp_path / "report.json").read_text())
    readers, runs = report["readers"], report["runs"]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert readers["inputs"] == 3000 and readers["crashes"] == readers["hangs"] == readers["died"] == 0
    assert len(readers["formats"]) >= 10 and readers["documents"] > 1000 and readers["input_errors"] > 1000
    assert runs["runs"] == 20 and runs["records"] > 20
    assert runs["runs_with_records_lost_or_doubled"] == runs["runs_failed"] == 0
