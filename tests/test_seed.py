"""The acceptance case taoyu was born from: the seed page through zh-web.yaml, end to end.

The seed (../shared/data/seed/) is a real crawled news article followed by app chrome, a porn-spam
title, spliced unrelated sentences and a "热点推荐" list. It belongs to its publisher, so it is read
from ../shared when present and never copied here; the same behaviour is covered on text written
for the tests in test_filters.py. Nothing below knows what the seed says: the article is "every
line up to the first chrome line", found by the same patterns a reader would use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from taoyu.steps.normalize import normalize_text

from .conftest import REPO, ledger_rows, run_cli, write_jsonl

SEED_DIR = REPO.parent / "shared" / "data" / "seed"
SEEDS = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []


def _article_and_rest(text: str) -> tuple[list[str], list[str]]:
    """The article's lines and the rest's, split where the byline "【编辑:…】" closes the article."""
    lines = [line.strip() for line in normalize_text(text)[0].split("\n") if line.strip()]
    end = next(i for i, line in enumerate(lines) if line.startswith("【编辑"))
    return lines[:end], lines[end:]


@pytest.mark.skipif(not SEEDS, reason="../shared/data/seed is not here")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_keeps_the_article_and_nothing_else(tmp_path: Path, seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    article, rest = _article_and_rest(text)
    assert len(article) > 10 and len(rest) > 10
    data = write_jsonl(tmp_path / "seed.jsonl", [{"text": text, "url": "https://example.org/seed"}])
    out = tmp_path / "out"
    run_cli("run", "recipes/zh-web.yaml", "--input", str(data), "--output", str(out), check=True)

    kept = pq.read_table(out / "data").to_pylist()
    assert len(kept) == 1
    out_lines = [line.strip() for line in kept[0]["text"].split("\n") if line.strip()]
    assert out_lines == article, "every paragraph of the article, in order, and nothing else"

    (row,) = ledger_rows(out)
    assert row["outcome"] == "kept"
    trace = json.loads(row["trace"])
    removed = {}
    for event in trace:
        for _, reason, line in (event.get("details") or {}).get("removed", []):
            removed[line] = (event["step"], reason)
    # The ledger names every line that went (by its first 40 characters) and why.
    for line in rest:
        assert line[:40] in removed, f"no ledger entry for removed line {line[:40]!r}"
    steps = {step for step, _ in removed.values()}
    assert steps == {"chrome_lines", "spam"}
    spam = next(e for e in trace if e["step"] == "spam" and e["action"] == "edit")
    assert spam["reason"] == "spam_block"
    meta = json.loads(kept[0]["meta"]) if isinstance(kept[0].get("meta"), str) else kept[0].get("meta")
    assert meta and meta["spam_block"]["lines"] >= 2, "the document is flagged as having had a spam block"
