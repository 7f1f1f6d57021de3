"""Main-content extraction: taoyu side by side with the public extractors on pages with gold text.

    python bench/extraction.py [--anchors magic_html trafilatura_txt readability resiliparse_main]
                               [--sources cwced_zh ...]

Runs ../shared/bench/score_extraction.py on every source in ../shared/data/extraction/, with
taoyu's ``main_text`` and the anchors from ../shared/bench/baseline_extractors.py in the same run,
and prints each source's table: a change is judged source by source, never on the total alone.
Bench-only dependencies: the ``bench`` extra (trafilatura, readability-lxml, resiliparse, and
lxml_html_clean for magic-html). magic-html, the strongest public Chinese extractor, is not on
PyPI: it is imported from ../shared/anchors/magic-html, put on the scorer's path. The scorer
decodes every page by its own rule and hands each extractor the same string, so decoding is not
timed; taoyu's own decoding (``main_text`` given bytes) is tested in tests/test_extract.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from taoyu.jit import compile_at_first_call

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ANCHORS = ["magic_html", "trafilatura_txt", "readability", "resiliparse_main"]
MAGIC_HTML = SHARED / "anchors" / "magic-html"


def taoyu_extractor(html: str, url: str | None = None) -> str:
    from taoyu.extract import main_text

    return main_text(html, url)


def score_source(source: Path, anchors: list[str]) -> dict:
    scorer = SHARED / "bench" / "score_extraction.py"
    baselines = SHARED / "bench" / "baseline_extractors.py"
    extractors = [f"taoyu={__file__}:taoyu_extractor"] + [f"{a}={baselines}:{a}" for a in anchors]
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, str(scorer), "--data", str(source), "--json", out.name]
        for e in extractors:
            cmd += ["--extractor", e]
        env = dict(os.environ)
        if "magic_html" in anchors:  # not on PyPI: imported from its folder in shared/
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(MAGIC_HTML), env.get("PYTHONPATH")) if p)
        subprocess.run(cmd, check=True, env=env)
        return json.loads(Path(out.name).read_text())


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anchors", nargs="*", default=ANCHORS)
    ap.add_argument("--sources", nargs="*", default=None)
    args = ap.parse_args()
    sources = [p for p in sorted((SHARED / "data" / "extraction").iterdir()) if p.is_dir()]
    if args.sources:
        sources = [p for p in sources if p.name in args.sources]
    for source in sources:
        score_source(source, args.anchors)


if __name__ == "__main__":
    main()
