"""Run a command and measure its wall time and the peak RSS of its whole process tree.

Worker pools make the parent's own RSS meaningless, so the command runs in its own session and
every process of that session is summed, sampled every 50 ms.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stderr: str


def _session_rss_kb(sid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != sid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ProcessLookupError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> Measured:
    # stderr goes to a file, not a pipe: a chatty tool (progress bars, logs) would fill a pipe
    # nobody reads until exit, and block forever.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _session_rss_kb(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        err.seek(0)
        return Measured(seconds, peak / 1024, proc.returncode, err.read()[-20000:])
