"""What a real web page costs: its size raw and gzipped, extraction time, and the text it yields.

    python bench/page_costs.py

Runs taoyu's ``extract_html`` step (decode + main content, as in the zh-web recipe) on the real
pages of ../shared/data/extraction/, one process, and reports per source: pages, mean HTML and
gzipped bytes per page, milliseconds to gunzip a page, pages/s of extraction on one core, and the
extracted text's characters and lines per page. docs/scaling.md turns these into a crawl-sized estimate.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from pathlib import Path

from taoyu.document import Document, Source
from taoyu.jit import compile_at_first_call
from taoyu.steps.extract_html import ExtractHtml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction"


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    if not SHARED.exists():
        sys.exit(f"needs {SHARED} (the shared benchmark data)")
    step = ExtractHtml()
    step.setup()
    columns = ["source", "pages", "HTML KB", "gzipped KB", "gunzip ms", "extract pages/s (1 core)"]
    print("| " + " | ".join([*columns, "text chars", "text lines"]) + " |")
    print("|---|---|---|---|---|---|---|---|")
    for source in sorted(p for p in SHARED.iterdir() if p.is_dir()):
        pages = sorted(source.rglob("*.html"))
        if not pages:
            continue
        raw = [p.read_bytes() for p in pages]
        packed = [gzip.compress(r, 6) for r in raw]
        started = time.perf_counter()
        for z in packed:
            gzip.decompress(z)
        gunzip_ms = (time.perf_counter() - started) * 1000 / len(packed)
        docs = [
            Document(p.stem, "", Source(str(p), 0, 0, None), None, {}, r, [])
            for p, r in zip(pages, raw, strict=True)
        ]
        # One pass untimed, then three timed: the figure is a rate, not a first-call time (the first
        # page of a process loads the compiled loops from the cache and warms extraction up).
        out = [step.process(Document(d.id, "", d.source, d.url, {}, d.raw, [])) for d in docs]
        started = time.perf_counter()
        for _ in range(3):
            out = [step.process(Document(d.id, "", d.source, d.url, {}, d.raw, [])) for d in docs]
        seconds = (time.perf_counter() - started) / 3
        chars = [len(d.text) for d in out]
        lines = [d.text.count("\n") + 1 if d.text else 0 for d in out]
        cells = [
            source.name,
            len(pages),
            f"{statistics.mean(len(r) for r in raw) / 1024:.1f}",
            f"{statistics.mean(len(z) for z in packed) / 1024:.1f}",
            f"{gunzip_ms:.2f}",
            f"{len(pages) / seconds:,.0f}",
            f"{statistics.mean(chars):,.0f}",
            f"{statistics.mean(lines):.0f}",
        ]
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
