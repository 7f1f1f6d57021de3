"""A stand-in for issue #16's audit: real pages of known worth, packed into a WARC the way a crawl
delivers them, run through ``recipes/zh-web.yaml``, and judged the way the hidden audit judges.

    python bench/audit.py [--shared ../shared] [--work bench/_work/audit] [--show 20]

The hidden audit has ~200 hand-labelled pages from ~150 sites. This bench has what ../shared
allows, from 60-odd sites:

* keep-worthy pages: every Chinese page of the extraction sources whose gold holds at least 100
  characters (cwced_zh, magic_html_bench), and GNE's saved news pages (corpus/html_gne ``tests/``);
* pages not worth keeping: the extraction sources' list page (empty gold) and GNE's list pages;
* must-keep sentences: every sentence of a gold text with at least 10 Han characters, looked for
  in the text the run kept for its page (a dropped page keeps none).

Every page is run twice, in separate runs (near dedup would otherwise pair a page with its twin):
as published, and as a Traditional-Chinese twin made with OpenCC ``s2twp`` over the whole page,
encoded as Big5 where the original used a legacy charset (its ``<meta>`` rewritten to say so) and
as UTF-8 otherwise. Records carry the page's URL and ``Content-Type: text/html`` with no charset.

Figures per script: keep-worthy pages dropped, unworthy pages kept, must-keep sentences present,
then the dropped keep-worthy pages with the step and reason that dropped them, for reading. Then
script parity: the lines a Traditional twin kept that its Simplified page lost (chrome the rules
miss in Traditional words), and the reverse.
Third-party pages: everything is written under ``--work`` (git-ignored), nothing in the repo.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import opencc
import pyarrow.parquet as pq
import zstandard

from taoyu.io.encoding import decode_html, sniff_meta_charset
from taoyu.io.warc import warc_response_record

REPO = Path(__file__).resolve().parents[1]
_SENTENCE_END = re.compile(r"(?<=[。！？!?；])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_META = re.compile(rb"""(<meta[^>]+charset\s*=\s*["']?\s*)([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_LEGACY = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950"}


@dataclass
class Page:
    """One audit page: where it came from, its bytes, whether it is worth keeping (None when the
    bench cannot say) and the sentences that must survive."""

    key: str
    url: str
    html: bytes
    worthy: bool | None
    must_keep: list[str] = field(default_factory=list)


def must_keep_sentences(gold: str) -> list[str]:
    """The gold's sentences with at least 10 Han characters, whitespace removed: a short fragment
    (a caption, a date) is not a sentence an audit asks for."""
    out = []
    for line in gold.splitlines():
        for piece in _SENTENCE_END.split(line):
            piece = squeeze(piece)
            if len(_HAN.findall(piece)) >= 10:
                out.append(piece)
    return out


def squeeze(text: str) -> str:
    """Text compared without whitespace and in NFKC, so line wrapping and full-width forms do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def extraction_pages(shared: Path) -> list[Page]:
    """Chinese pages of the extraction sources with their gold."""
    pages = []
    for source in ("cwced_zh", "magic_html_bench"):
        folder = shared / "data" / "extraction" / source
        with open(folder / "meta.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row["lang"] != "zh":
                    continue
                gold = (folder / f"{row['name']}.txt").read_text(encoding="utf-8")
                chars = int(row["gold_chars"])
                worthy = True if chars >= 100 else (False if chars <= 1 else None)
                pages.append(
                    Page(
                        f"{source}/{row['name']}",
                        row["url"],
                        (folder / f"{row['name']}.html").read_bytes(),
                        worthy,
                        must_keep_sentences(gold) if worthy else [],
                    )
                )
    return pages


def gne_pages(shared: Path) -> list[Page]:
    """GNE's saved news pages (keep-worthy, no gold) and its list pages (not worth keeping)."""
    path = shared / "data" / "corpus" / "html_gne" / "html.jsonl.zst"
    with open(path, "rb") as f:
        lines = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8")
        rows = [json.loads(line) for line in lines]
    pages = []
    for row in rows:
        parts = row["path"].split("/")
        url = f"https://{parts[1]}.gne.test/{'/'.join(parts[2:])}"
        pages.append(Page(f"gne/{row['path']}", url, row["text"].encode("utf-8"), parts[0] == "tests"))
    return pages


def traditional_twin(page: Page, converter: opencc.OpenCC) -> Page:
    """The page as a Traditional-Chinese site would publish it: Big5 where it used a legacy charset."""
    decoded = decode_html(page.html)
    text = converter.convert(decoded.text)
    if decoded.encoding in _LEGACY or (sniff_meta_charset(page.html) or "").lower() in _LEGACY:
        data = _META.sub(rb"\1big5", text.encode("big5hkscs", errors="xmlcharrefreplace"), count=1)
    else:
        data = _META.sub(rb"\1utf-8", text.encode("utf-8"), count=1)
    return Page(
        page.key, page.url, data, page.worthy, [squeeze(converter.convert(s)) for s in page.must_keep]
    )


def run_recipe(pages: list[Page], work: Path) -> tuple[dict[int, dict], dict[int, str]]:
    """Pack the pages into a WARC, run zh-web over it, and read back each record's decision and kept
    text, by the record's index in the WARC."""
    work.mkdir(parents=True, exist_ok=True)
    warc = work / "pages.warc.gz"
    with open(warc, "wb") as f:
        for page in pages:
            f.write(warc_response_record(page.url, page.html, content_type="text/html"))
    out = work / "out"
    cmd = [
        str(Path(sys.executable).with_name("taoyu")),
        "run",
        str(REPO / "recipes" / "zh-web.yaml"),
        "--input",
        str(warc),
        "--output",
        str(out),
        "--overwrite",
    ]
    subprocess.run(cmd, check=True, cwd=REPO)
    ledger = pq.ParquetDataset(sorted(str(p) for p in (out / "ledger").glob("*.parquet"))).read().to_pylist()
    decisions = {row["source_index"]: row for row in ledger}
    kept = {}
    for part in sorted((out / "data").glob("*.parquet")):
        for row in pq.read_table(part, columns=["source_index", "text"]).to_pylist():
            kept[row["source_index"]] = row["text"]
    return decisions, kept


def judge(pages: list[Page], decisions: dict[int, dict], kept: dict[int, str], label: str, show: int) -> dict:
    """The audit's figures for one run, and the dropped keep-worthy pages printed for reading."""
    worthy = [i for i, p in enumerate(pages) if p.worthy]
    unworthy = [i for i, p in enumerate(pages) if p.worthy is False]
    dropped = [i for i in worthy if i not in kept]  # records are keyed by their index in the WARC
    kept_bad = [i for i in unworthy if i in kept]
    present = total = 0
    missing_by_page = {}
    for i in worthy:
        text = squeeze(kept.get(i, ""))
        found = sum(s in text for s in pages[i].must_keep)
        present += found
        total += len(pages[i].must_keep)
        if pages[i].must_keep and found < len(pages[i].must_keep) and i in kept:
            missing_by_page[pages[i].key] = (len(pages[i].must_keep) - found, len(pages[i].must_keep))
    figures = {
        "worthy_pages": len(worthy),
        "worthy_dropped": len(dropped) / max(1, len(worthy)),
        "unworthy_pages": len(unworthy),
        "unworthy_kept": len(kept_bad) / max(1, len(unworthy)),
        "must_keep_sentences": total,
        "must_keep_present": present / max(1, total),
    }
    print(f"\n== {label}: {json.dumps({k: round(v, 3) for k, v in figures.items()})}")
    for i in dropped[:show]:
        d = decisions.get(i, {})
        print(f"  dropped  {pages[i].key:60s} {d.get('step')}:{d.get('reason')} score={d.get('score')}")
    for i in kept_bad[:show]:
        print(f"  kept     {pages[i].key}")
    worst = sorted(missing_by_page.items(), key=lambda kv: -kv[1][0])[:show]
    for key, (miss, n) in worst:
        print(f"  missing  {key:60s} {miss}/{n} sentences")
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "_work" / "audit")
    ap.add_argument("--show", type=int, default=20)
    args = ap.parse_args()
    pages = extraction_pages(args.shared) + gne_pages(args.shared)
    converter = opencc.OpenCC("s2twp")
    twins = [traditional_twin(p, converter) for p in pages]
    results = {}
    outputs = {}
    for label, batch in (("simplified", pages), ("traditional", twins)):
        decisions, kept = run_recipe(batch, args.work / label)
        results[label] = judge(batch, decisions, kept, label, args.show)
        outputs[label] = kept
    results["script_parity"] = script_parity(
        outputs["simplified"], outputs["traditional"], converter, args.show
    )
    print(json.dumps(results, indent=1))


def script_parity(simplified: dict[int, str], traditional: dict[int, str], converter, show: int) -> dict:
    """Lines a Traditional twin kept that its Simplified page lost (chrome the rules miss in
    Traditional), and the reverse, with personal-data placeholders (<邮箱>, <郵箱>) made equal."""
    placeholder = re.compile(r"<[^<>\n]{1,8}>")
    only_traditional = only_simplified = 0
    for index in sorted(set(simplified) | set(traditional)):
        ours = {
            placeholder.sub("<>", converter.convert(line)) for line in simplified.get(index, "").split("\n")
        }
        twins = {placeholder.sub("<>", line) for line in traditional.get(index, "").split("\n")}
        extra, missing = twins - ours, ours - twins
        only_traditional += len(extra)
        only_simplified += len(missing)
        for line in sorted(extra)[:show]:
            print(f"  only in Traditional, page {index}: {line[:60]}")
    figures = {"lines_only_in_traditional": only_traditional, "lines_only_in_simplified": only_simplified}
    print(f"\n== script parity: {json.dumps(figures)}")
    return figures


if __name__ == "__main__":
    main()
