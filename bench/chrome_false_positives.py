"""How often extraction's chrome-line rules fire on clean Chinese text (they should almost never).

    python bench/chrome_false_positives.py [--docs 3000] [--examples 10]

The extractor drops a line of its output when ``taoyu.extract.boilerplate.is_chrome_line`` says it
is portal chrome (bylines, datelines, pagination, disclaimers…). Those rules were written against
web pages; this runs them over prose that has no chrome at all (新闻联播 transcripts, laws, TiDB's
Chinese docs, from ../shared/data/corpus/) and prints the share of lines flagged, with the most
common flagged lines, each one a place where the extractor would lose real text.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
from pathlib import Path

import zstandard

from taoyu.extract.boilerplate import is_chrome_line
from taoyu.jit import compile_at_first_call

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus"
SOURCES = {
    "xinwenlianbo": "xinwenlianbo/news.jsonl.zst",
    "laws": "laws/laws.jsonl.zst",
    "tidb_docs_cn": "tidb_docs_cn/docs.jsonl.zst",
}


def documents(path: Path, limit: int):
    with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as stream:
        for count, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8")):
            if count >= limit:
                return
            yield json.loads(line)["text"]


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000, help="documents read from each source")
    ap.add_argument("--examples", type=int, default=10)
    args = ap.parse_args()
    for name, relative in SOURCES.items():
        lines = flagged = 0
        seen: collections.Counter[str] = collections.Counter()
        for text in documents(CORPUS / relative, args.docs):
            for raw_line in text.split("\n"):
                line = " ".join(raw_line.split())
                if not line:
                    continue
                lines += 1
                if is_chrome_line(line):
                    flagged += 1
                    seen[line[:60]] += 1
        print(f"{name}: {flagged} of {lines:,} lines flagged ({flagged / max(lines, 1):.4%})")
        for line, count in seen.most_common(args.examples):
            print(f"  {count:>4}  {line}")


if __name__ == "__main__":
    main()
