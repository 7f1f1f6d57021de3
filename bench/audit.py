"""A stand-in for issue #16's audit: real pages of known worth, packed into a WARC the way a crawl
delivers them, run through ``recipes/zh-web.yaml``, and judged the way the hidden audit judges.

    python bench/audit.py [--shared ../shared] [--work bench/_work/audit] [--show 20]

The hidden audit has ~200 hand-labelled pages from ~150 sites. This bench has what ../shared
allows, from 60-odd sites:

* keep-worthy pages: every Chinese page of the extraction sources whose gold holds at least 100
  characters (cwced_zh, magic_html_bench), and GNE's saved news pages (corpus/html_gne ``tests/``);
* pages not worth keeping: the extraction sources' list page (empty gold) and GNE's list pages;
  and each keep-worthy page with gold as its site would serve it once the article is gone (a
  "headless" page): the element holding the gold's sentences replaced by a message (page not found,
  article deleted, log in to read, a captcha), the site's chrome, the title and byline around it
  kept. The messages are the few words such pages print, so this measures whether the page is
  judged in its chrome, not whether the words are known. A headless page that still holds 150 Han
  characters of sentences outside links (readers' comments, a second post of a blog, a column of
  summaries) is left unjudged: whether it is worth keeping is a reader's call; and each as its
  site's column page: the article replaced by a list of the page's own linked headlines (its
  related and sidebar links) with dates, over summaries, or as headings over summaries;
* must-keep sentences: every sentence of a gold text with at least 10 Han characters, looked for
  in the text the run kept for its page (a dropped page keeps none).
* kept lines outside the gold: of the lines of 4 characters or more kept for a page with a gold,
  the share the gold does not hold, the stand-in for "must-go chrome lines absent" (it also counts
  what the gold leaves out and a reader may keep: headlines, bylines, readers' comments, so it is
  read for its changes and its lines, not against the audit's 0.95).

Every page is run twice, in separate runs (near dedup would otherwise pair a page with its twin):
as published, and as a Traditional-Chinese twin made with OpenCC ``s2twp`` over the whole page,
encoded as Big5 where the original used a legacy charset (its ``<meta>`` rewritten to say so) and
as UTF-8 otherwise. Records carry the page's URL and ``Content-Type: text/html`` with no charset.

Figures per script: keep-worthy pages dropped, unworthy pages kept, must-keep sentences present,
the quality model's AUC of keep-worthy against unworthy pages (issue #22: over the pages that reach
the ``quality_model`` step, and over every page whose extraction left text; the run keeps its
rejects for this), then the dropped keep-worthy pages with the step and reason that dropped them,
for reading. Then script parity: the lines a Traditional twin kept that its Simplified page lost
(chrome the rules miss in Traditional words), and the reverse.
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
from html import escape as html_escape
from pathlib import Path

import lxml.html
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
    gold: str = ""  # the gold text, squeezed (:func:`squeeze`), where the page has one


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
                        squeeze(gold) if worthy else "",
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


# What a site prints where an article was (rotated over the pages), in a block of its own.
HEADLESS_MESSAGES = (
    "抱歉，您访问的页面不存在或已被删除。",
    "该文章已被删除",
    "请登录后查看全文",
    "404 Not Found",
    "访问过于频繁，请输入验证码后继续",
    "内容已下线",
)
_NOT_BODY = {"script", "style", "head", "title", "meta", "link"}


def headless_twin(page: Page, number: int) -> Page | None:
    """``page`` with its article replaced by a message (HEADLESS_MESSAGES[number % 6]), or None when
    the article has no element of its own to replace (its sentences share only <body>) or the page
    keeps a tenth of them elsewhere (a summary, a second copy)."""
    found = _article_element(page)
    if found is None:
        return None
    root, common = found
    message = lxml.html.fromstring(f"<div><p>{HEADLESS_MESSAGES[number % len(HEADLESS_MESSAGES)]}</p></div>")
    html = _replaced(root, common, message, page)
    if html is None:
        return None
    worthy = False if _prose_outside_links(root) < _HEADLESS_PROSE else None
    return Page(f"{page.key}#headless", page.url, html.encode("utf-8"), worthy)


_LIST_SHAPES = ("dated headlines", "headlines over summaries", "headings over summaries")
_HEADLINE = re.compile(r"^.{8,40}$")


def list_twin(page: Page, number: int) -> Page | None:
    """``page`` as its site's column page: the article replaced by a list of the page's own linked
    headlines (its related and sidebar links, 8-40 characters, 6 to 12 of them) in one of three
    shapes (_LIST_SHAPES[number % 3]): each with a date; over a summary (one of the gold's
    sentences, as a column shows its pieces' first lines); or as a heading over a summary. None
    when the page links fewer than 6 headlines or the article has no element of its own."""
    found = _article_element(page)
    if found is None:
        return None
    root, common = found
    # The elements themselves, not their id(): lxml makes a proxy object per element on demand, and
    # the id of a proxy freed after the set was built can be reused by another element's proxy.
    inside = set(common.iter())
    headlines = []
    for link in root.iter("a"):
        text = " ".join(link.text_content().split())
        if link not in inside and _HEADLINE.match(text) and text not in headlines:
            headlines.append(text)
    if len(headlines) < 6:
        return None
    shape = number % len(_LIST_SHAPES)
    items = []
    for i, headline in enumerate(headlines[:12]):
        link = f"<a href='/list/{i}.html'>{html_escape(headline)}</a>"
        when = f"<span>2024-05-{i + 1:02d}</span>"
        summary = html_escape(page.must_keep[i % len(page.must_keep)][:80])
        if shape == 0:
            items.append(f"<li>{link}{when}</li>")
        elif shape == 1:
            items.append(f"<li><div>{link}</div><p>{summary}</p>{when}</li>")
        else:
            items.append(f"<li><h3>{link}</h3><p>{summary}</p>{when}</li>")
    listing = lxml.html.fromstring(f"<div><ul>{''.join(items)}</ul></div>")
    html = _replaced(root, common, listing, page)
    if html is None:
        return None
    return Page(f"{page.key}#list-{shape}", page.url, html.encode("utf-8"), False)


def _article_element(page: Page) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement] | None:
    """The page parsed, and the element holding its gold's sentences (the lowest one holding them
    all), or None when only <body> does or the page has under two sentences to look for."""
    if len(page.must_keep) < 2:
        return None
    root = lxml.html.fromstring(decode_html(page.html).text)
    # In document order: of the elements holding a sentence, the last is the deepest.
    texts = [
        (e, squeeze(e.text_content()))
        for e in root.iter()
        if isinstance(e.tag, str) and e.tag not in _NOT_BODY
    ]
    holders = []
    for sentence in page.must_keep:
        deepest = None
        for element, text in texts:
            if sentence[:12] in text:
                deepest = element
        if deepest is not None:
            holders.append([*reversed(list(deepest.iterancestors())), deepest])
    if not holders:
        return None
    common = None
    for level in zip(*holders, strict=False):
        if any(element is not level[0] for element in level):
            break
        common = level[0]
    if common is None or common.tag in ("html", "body") or common.getparent() is None:
        return None
    return root, common


def _replaced(
    root: lxml.html.HtmlElement, common: lxml.html.HtmlElement, new: lxml.html.HtmlElement, page: Page
) -> str | None:
    """The page's HTML with ``common`` replaced by ``new``, or None when a tenth of the gold's
    sentences are still on it (a summary, a second copy: the article is not gone)."""
    new.tail = common.tail
    common.getparent().replace(common, new)
    html = lxml.html.tostring(root, encoding="unicode")
    left = squeeze(lxml.html.fromstring(html).text_content())
    without = [sentence for sentence in page.must_keep if sentence[:80] not in squeeze(new.text_content())]
    if sum(sentence[:12] in left for sentence in without) > 0.1 * len(page.must_keep):
        return None
    return html


_HEADLESS_PROSE = 150
_STOP = re.compile(r"[。！？!?]")


def _prose_outside_links(root: lxml.html.HtmlElement) -> int:
    """Han characters in the page's text lines that hold a sentence mark, links, scripts and
    styles left out: what a headless page still says of its own. (Removes those from ``root``.)"""
    for element in root.xpath("//script|//style|//a|//head|//noscript"):
        if element.getparent() is not None:
            element.drop_tree()
    return sum(len(_HAN.findall(line)) for line in root.text_content().split("\n") if _STOP.search(line))


def traditional_twin(page: Page, converter: opencc.OpenCC) -> Page:
    """The page as a Traditional-Chinese site would publish it: Big5 where it used a legacy charset."""
    decoded = decode_html(page.html)
    text = converter.convert(decoded.text)
    if decoded.encoding in _LEGACY or (sniff_meta_charset(page.html) or "").lower() in _LEGACY:
        data = _META.sub(rb"\1big5", text.encode("big5hkscs", errors="xmlcharrefreplace"), count=1)
    else:
        data = _META.sub(rb"\1utf-8", text.encode("utf-8"), count=1)
    must_keep = [squeeze(converter.convert(s)) for s in page.must_keep]
    return Page(page.key, page.url, data, page.worthy, must_keep, squeeze(converter.convert(page.gold)))


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
        "--keep-rejects",
    ]
    subprocess.run(cmd, check=True, cwd=REPO)
    ledger = pq.ParquetDataset(sorted(str(p) for p in (out / "ledger").glob("*.parquet"))).read().to_pylist()
    decisions = {row["source_index"]: row for row in ledger}
    kept = {}
    for part in sorted((out / "data").glob("*.parquet")):
        for row in pq.read_table(part, columns=["source_index", "text"]).to_pylist():
            kept[row["source_index"]] = row["text"]
    for part in sorted((out / "rejects").glob("**/*.parquet")):
        for row in pq.read_table(part, columns=["source_index", "text"]).to_pylist():
            decisions.setdefault(row["source_index"], {})["rejected_text"] = row["text"] or ""
    return decisions, kept


_AFTER_QUALITY_MODEL = {"exact_dedup", "near_dedup", "repeated_lines", "industry"}
"""zh-web's steps after ``quality_model``: a page they drop reached the score."""


def quality_model_auc(
    pages: list[Page], decisions: dict[int, dict], kept: dict[int, str]
) -> dict[str, float]:
    """How well the learned quality score (issue #22) separates keep-worthy pages from the rest:
    the AUC over the pages that reach the ``quality_model`` step (kept, or dropped after it), and
    over every page whose extraction left any text (as if the score were the only filter). Each
    page's text is scored as the run left it (its kept text, or the text it was dropped with)."""
    from taoyu.hq.model import QualityModel
    from taoyu.hq.train import auc

    model = QualityModel.load()
    reaching: dict[bool, list[str]] = {True: [], False: []}
    every: dict[bool, list[str]] = {True: [], False: []}
    for i, page in enumerate(pages):
        if page.worthy is None:
            continue
        decision = decisions.get(i, {})
        text = kept.get(i, decision.get("rejected_text", ""))
        if not text.strip():
            continue
        every[page.worthy].append(text)
        if i in kept or decision.get("step") in _AFTER_QUALITY_MODEL:
            reaching[page.worthy].append(text)
    figures = {}
    for name, groups in (("reaching", reaching), ("every", every)):
        good, bad = groups[True], groups[False]
        figures[f"hq_auc_{name}"] = auc(model.score(good), model.score(bad)) if good and bad else float("nan")
        figures[f"hq_pages_{name}"] = f"{len(good)} worthy, {len(bad)} not"
    return figures


_LINE_CHARS = 4  # a kept line this long or longer is looked for in the gold


def judge(pages: list[Page], decisions: dict[int, dict], kept: dict[int, str], label: str, show: int) -> dict:
    """The audit's figures for one run, and the dropped keep-worthy pages printed for reading."""
    worthy = [i for i, p in enumerate(pages) if p.worthy]
    unworthy = [i for i, p in enumerate(pages) if p.worthy is False]
    dropped = [i for i in worthy if i not in kept]  # records are keyed by their index in the WARC
    kept_bad = [i for i in unworthy if i in kept]
    present = total = 0
    missing_by_page = {}
    outside = lines = 0  # kept lines of pages with a gold, and those the gold does not hold
    for i in worthy:
        if pages[i].gold and i in kept:
            for line in kept[i].split("\n"):
                line = squeeze(line)
                if len(line) >= _LINE_CHARS:
                    lines += 1
                    outside += line not in pages[i].gold
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
        "kept_lines_outside_gold": outside / max(1, lines),
        **quality_model_auc(pages, decisions, kept),
    }
    shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    print(f"\n== {label}: {json.dumps(shown)}")
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
    worthy = [page for page in pages if page.worthy]
    twins = [twin(page, number) for twin in (headless_twin, list_twin) for number, page in enumerate(worthy)]
    pages += [page for page in twins if page is not None]
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
