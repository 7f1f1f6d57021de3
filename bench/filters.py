"""Spam and parasite filters: detection on the eval set, false drops on the clean corpora, and speed.

    python bench/filters.py --eval bench/_work/spam_eval.jsonl --recipe recipes/zh-web.yaml \\
        --shared ../shared [--steps chrome_lines,spam,quality,safety] [--corpus-n 2000] [--json out.json]

The eval set comes from bench/make_spam_eval.py. The recipe's per-document steps run in memory on
every row, through ``Pipeline.process``. Global steps (dedup, repeated lines) are skipped: they
judge a document against the rest of the corpus, which a labelled set of independent rows is not;
and HTML extraction steps are skipped because rows are already text. The title goes in
``doc.meta['title']`` and the URL in ``doc.url``, as extraction would have left them.

This script does not know which filters exist: it runs whatever the recipe lists, plus any named
with ``--steps`` (default parameters, inserted after normalize/language/length_filter, in order).
A name that is not registered is reported and skipped, so the numbers can be taken while the
filters are still being written.

What is measured, and why:

* detection: a row counts as detected when a step other than language/length_filter drops it, or
  when a step records ``meta['spam_block']`` (a parasite block cut out). Positives are injected
  and spam rows. For injected rows a drop is not the goal (the article is lost), so they are also
  scored on whether every article line survives and how many spam lines leak through.
* per filter and per reason: what each step caught and what it cost in clean rows. Drops are
  exclusive: a document dropped by one step never reaches the next.
* false drops on the clean corpora themselves (not only the eval set's controls), per source and
  per step, because a filter that looks fine on 1,500 controls can still eat a whole source.
* throughput on one core over that sample, with each step's share of the time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_spam_eval import CLEAN_SOURCES, Article, require_shared, sample_units
from taoyu import Document, Pipeline, Source
from taoyu.catalog import get_step
from taoyu.jit import compile_at_first_call
from taoyu.registry import UnknownStepError
from taoyu.steps.base import Annotator, GlobalStep, Step, step_batches
from taoyu.steps.normalize import normalize_text

REPO = Path(__file__).resolve().parents[1]
HTML_STEPS = {"extract_html", "html_to_text"}
NOT_SPAM = {"language", "length_filter"}
"""Steps whose drops are not spam detection: a short or English page is not a caught spam page."""
AFTER = ("normalize", "language", "length_filter")
EXPECTED = ("chrome_lines", "spam", "quality", "safety")


# ------------------------------------------------------------------------------------ the chain
def resolve_step(name: str) -> type[Step] | None:
    """The step class, or None with a message. Also tries importing ``taoyu.steps.<name>``, so a
    step module that exists but is not yet listed in taoyu.steps.builtin still runs here."""
    try:
        return get_step(name)
    except UnknownStepError as exc:
        first = exc
    if name.isidentifier():
        try:
            importlib.import_module(f"taoyu.steps.{name}")
            return get_step(name)
        except ModuleNotFoundError:
            pass
        except UnknownStepError:
            pass
        except Exception as exc:  # a module being written may not import yet
            print(
                f"[steps] '{name}': taoyu.steps.{name} failed to import ({exc!r}); skipped", file=sys.stderr
            )
            return None
    print(f"[steps] '{name}': {first}; skipped", file=sys.stderr)
    return None


def build_steps(recipe: Path, extra: list[str]) -> tuple[list[Step], list[str]]:
    """Per-document steps of the recipe plus ``extra``, and a note for every step left out."""
    try:
        data = yaml.safe_load(recipe.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        sys.exit(f"cannot read recipe {recipe}: {exc}")
    entries = []
    for entry in (data or {}).get("steps") or []:
        if isinstance(entry, str):
            entries.append((entry, {}))
        elif isinstance(entry, dict) and "step" in entry:
            entries.append((entry["step"], {k: v for k, v in entry.items() if k != "step"}))
    names = [n for n, _ in entries]
    pos = max((i + 1 for i, n in enumerate(names) if n in AFTER), default=len(names))
    added = [(n, {}) for n in extra if n not in names]
    entries[pos:pos] = added
    steps, notes = [], []
    for name, params in entries:
        if name in HTML_STEPS:
            notes.append(f"{name}: skipped (HTML extraction; eval rows are text)")
            continue
        cls = resolve_step(name)
        if cls is None:
            notes.append(f"{name}: skipped (not registered)")
            continue
        if issubclass(cls, GlobalStep):
            notes.append(f"{name}: skipped (global step)")
            continue
        if issubclass(cls, Annotator):
            notes.append(f"{name}: skipped (labels documents, drops none: bench/industry.py measures it)")
            continue
        try:
            steps.append(cls(cls.Params(**params)))
        except Exception as exc:
            notes.append(f"{name}: skipped (bad parameters: {exc})")
    missing = [n for n in EXPECTED if n not in {s.name for s in steps}]
    if missing:
        notes.append(f"not in the chain: {', '.join(missing)} (add with --steps {','.join(missing)})")
    return steps, notes


def to_doc(i: int, text: str, url: str | None, title: str | None, file: str) -> Document:
    meta = {"title": title} if title else {}
    return Document(id=f"{file}:{i}", text=text, source=Source(file=file, index=i), url=url, meta=meta)


def run_timed(steps: list[Step], docs: Iterable[Document], seconds: dict[str, float]) -> None:
    """What the runners do with per-document steps (``step_batches``, each step over the whole
    batch in turn), with each step's time over the batch added to ``seconds``."""
    clock = time.perf_counter
    for batch in step_batches(docs):
        for step in steps:
            t = clock()
            step.prepare([doc for doc in batch if not doc.is_dropped])
            for doc in batch:
                if not doc.is_dropped:
                    step.process(doc)
            seconds[step.name] += clock() - t


# ------------------------------------------------------------------------------------ scoring
def why(step: str | None, reason: str | None) -> str:
    """'step:reason', without doubling the step when the reason already starts with it."""
    if step is None:
        return "kept"
    reason = reason or "?"
    return reason if reason.startswith(f"{step}:") else f"{step}:{reason}"


def norm_line(line: str) -> str:
    return normalize_text(line)[0].strip()


def out_lines(doc: Document) -> set[str]:
    return set() if doc.is_dropped else {ln.strip() for ln in doc.text.split("\n") if ln.strip()}


def outcome(doc: Document) -> dict[str, Any]:
    drop = doc.dropped_by
    block = doc.meta.get("spam_block")
    edits = sorted({e.step for e in doc.trace if e.action == "edit"})
    return {
        "drop_step": drop.step if drop else None,
        "drop_reason": (drop.reason or "?") if drop else None,
        "spam_block": block if isinstance(block, dict) else ({"value": block} if block else None),
        "edits": edits,
        "detected": bool((drop and drop.step not in NOT_SPAM) or block),
    }


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


LONG_LINE = 20
"""Lines this long are prose; shorter article lines can be bylines or chrome a filter may rightly cut."""


def line_survival(row: dict, doc: Document) -> tuple[float, bool, bool]:
    """(share of article lines found as whole lines in the output, all found, all long ones found)."""
    gold = [g for g in (norm_line(x) for x in row["article_lines"]) if g]
    if not gold:
        return 1.0, True, True
    have = out_lines(doc)
    found = [g in have for g in gold]
    long_ok = all(f for g, f in zip(gold, found, strict=True) if len(g) >= LONG_LINE)
    return sum(found) / len(gold), all(found), long_ok


def leaked(row: dict, doc: Document) -> list[tuple[str, bool]]:
    """(part, leaked) per inserted spam line: whole line in the output, or a long one inside a line."""
    if doc.is_dropped:
        have, text = set(), ""
    else:
        have, text = out_lines(doc), doc.text
    out = []
    for s in row["spam_lines"]:
        line = norm_line(s["line"])
        if len(line) < 2:  # tag-only lines normalise to nothing: nothing can leak
            continue
        out.append((s["part"], line in have or (len(line) >= 12 and line in text)))
    return out


def evaluate(rows: list[dict], docs: list[Document], examples: int) -> dict[str, Any]:
    res = [outcome(d) for d in docs]
    pos = [r["label"] != "clean" for r in rows]
    tp = sum(o["detected"] and p for o, p in zip(res, pos, strict=True))
    fp = sum(o["detected"] and not p for o, p in zip(res, pos, strict=True))
    fn = sum(p for p in pos) - tp
    n_pos, n_clean = sum(pos), len(rows) - sum(pos)
    report: dict[str, Any] = {"rows": len(rows), "positives": n_pos, "clean": n_clean}
    report["overall"] = {"tp": tp, "fp": fp, "fn": fn, **prf(tp, fp, fn)}

    kinds: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        kinds[(r["label"], r["kind"])].append(i)
    per_kind = {}
    for (label, kind), idx in sorted(kinds.items()):
        det = sum(res[i]["detected"] for i in idx)
        entry: dict[str, Any] = {"label": label, "rows": len(idx), "detected": det, "rate": det / len(idx)}
        if label != "clean":
            # Precision as if this kind met the clean rows in the overall clean:positive ratio.
            fp_k = fp * len(idx) / n_pos if n_pos else 0.0
            p = det / (det + fp_k) if det + fp_k else 0.0
            r_ = det / len(idx)
            entry |= {"precision": p, "recall": r_, "f1": 2 * p * r_ / (p + r_) if p + r_ else 0.0}
        entry["dropped_language_length"] = sum(res[i]["drop_step"] in NOT_SPAM for i in idx)
        per_kind[f"{label}/{kind}"] = entry
    report["per_kind"] = per_kind

    # article lines, spam lines, chrome lines
    surv: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    leak_parts: dict[str, list[bool]] = defaultdict(list)
    chrome_gone: list[bool] = []
    for r, d, o in zip(rows, docs, res, strict=True):
        if r["label"] == "spam":
            continue
        share, whole, long_ok = line_survival(r, d)
        leaks = leaked(r, d) if r["label"] == "injected" else []
        for key in (r["label"], f"{r['label']}/{r['source']}"):
            surv[key]["share"].append(share)
            surv[key]["all"].append(whole)
            surv[key]["long"].append(long_ok)
            surv[key]["dropped"].append(d.is_dropped)
            surv[key]["block"].append(bool(o["spam_block"]))
            # Cleaned perfectly: page kept, every article line kept, no spam line left.
            surv[key]["perfect"].append(whole and not d.is_dropped and not any(lk for _, lk in leaks))
        for part, lk in leaks:
            leak_parts[part].append(lk)
        have = out_lines(d)
        chrome_gone += [norm_line(c) not in have for c in r.get("chrome_lines", []) if not d.is_dropped]
    report["article_lines"] = {
        k: {
            "rows": len(v["all"]),
            "all_survive": sum(v["all"]) / len(v["all"]),
            "all_long_survive": sum(v["long"]) / len(v["all"]),
            "mean_kept": statistics.fmean(v["share"]),
            "perfect": sum(v["perfect"]) / len(v["all"]),
            "dropped": sum(v["dropped"]) / len(v["all"]),
            "spam_block": sum(v["block"]) / len(v["all"]),
        }
        for k, v in sorted(surv.items())
    }
    all_leaks = [x for v in leak_parts.values() for x in v]
    report["injected_leak"] = {
        "lines": len(all_leaks),
        "leaked": sum(all_leaks) / len(all_leaks) if all_leaks else 0.0,
        "by_part": {p: sum(v) / len(v) for p, v in sorted(leak_parts.items())},
    }
    report["harmless_chrome_removed"] = sum(chrome_gone) / len(chrome_gone) if chrome_gone else 0.0
    spam_idx = [i for i, r in enumerate(rows) if r["label"] == "spam"]
    report["spam_dropped"] = {
        "rows": len(spam_idx),
        "dropped_any": sum(docs[i].is_dropped for i in spam_idx) / max(1, len(spam_idx)),
        "dropped_by_filter": sum(res[i]["drop_step"] not in (None, *NOT_SPAM) for i in spam_idx)
        / max(1, len(spam_idx)),
    }

    # per filter and per reason
    steps: dict[str, Counter] = defaultdict(Counter)
    reasons: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r, o in zip(rows, res, strict=True):
        side = "clean" if r["label"] == "clean" else "pos"
        if o["drop_step"]:
            steps[o["drop_step"]][f"drop_{side}"] += 1
            reasons[(o["drop_step"], o["drop_reason"])][side] += 1
        elif o["spam_block"]:
            steps["(spam_block, kept)"][f"drop_{side}"] += 1
        for e in o["edits"]:
            steps[e][f"edit_{side}"] += 1
    report["per_step"] = {
        s: {
            "caught_pos": c["drop_pos"],
            "dropped_clean": c["drop_clean"],
            "clean_share": c["drop_clean"] / n_clean if n_clean else 0.0,
            "precision": c["drop_pos"] / (c["drop_pos"] + c["drop_clean"])
            if c["drop_pos"] + c["drop_clean"]
            else None,
            "edited_pos": c["edit_pos"],
            "edited_clean": c["edit_clean"],
        }
        for s, c in sorted(steps.items())
    }
    report["per_reason"] = [
        {
            "step": s,
            "reason": why,
            "caught_pos": c["pos"],
            "dropped_clean": c["clean"],
            "clean_share": c["clean"] / n_clean if n_clean else 0.0,
            "precision": c["pos"] / (c["pos"] + c["clean"]),
        }
        for (s, why), c in sorted(reasons.items(), key=lambda kv: -sum(kv[1].values()))
    ]

    def ids(pred: Callable[[dict, dict], bool]) -> list[str]:
        hits = [
            f"{r['id']} {r['kind']}/{r['source']} {why(o['drop_step'], o['drop_reason'])}"
            for r, o in zip(rows, res, strict=True)
            if pred(r, o)
        ]
        return hits[:examples]

    report["examples"] = {
        "clean_detected": ids(lambda r, o: r["label"] == "clean" and o["detected"]),
        "injected_missed": ids(lambda r, o: r["label"] == "injected" and not o["detected"]),
        "injected_dropped": ids(lambda r, o: r["label"] == "injected" and o["drop_step"] is not None),
        "spam_missed": ids(lambda r, o: r["label"] == "spam" and not o["detected"]),
    }
    return report


# ------------------------------------------------------------------------------- clean corpora
def corpus_check(steps: list[Step], shared: Path, n: int, seed: int) -> dict[str, Any]:
    """Sample up to n units per clean source, run the chain, count drops; time every step."""
    seconds: dict[str, float] = defaultdict(float)
    per_source: dict[str, Any] = {}
    total_docs, total_chars, wall = 0, 0, 0.0
    texts: list[str] = []
    for src in CLEAN_SOURCES:
        t0 = time.perf_counter()
        units: list[Article] = sample_units(shared, src, n, random.Random(f"corpus-{seed}-{src}"))
        texts += [a.text for a in units]
        print(f"[corpus] {src}: {len(units)} units read in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        docs = [to_doc(i, a.text, a.url, a.title, src) for i, a in enumerate(units)]
        t0 = time.perf_counter()
        run_timed(steps, docs, seconds)
        wall += time.perf_counter() - t0
        total_docs += len(docs)
        total_chars += sum(len(a.text) for a in units)
        by_step: Counter = Counter()
        by_reason: Counter = Counter()
        blocks = 0
        for d in docs:
            drop = d.dropped_by
            if drop:
                by_step[drop.step] += 1
                by_reason[why(drop.step, drop.reason)] += 1
            blocks += bool(d.meta.get("spam_block"))
        n_docs = max(1, len(docs))
        content = sum(c for s, c in by_step.items() if s not in NOT_SPAM)
        per_source[src] = {
            "docs": len(docs),
            "dropped_any": sum(by_step.values()) / n_docs,
            "dropped_filters": content / n_docs,
            "spam_block": blocks / n_docs,
            "by_step": {s: c / n_docs for s, c in sorted(by_step.items())},
            "by_reason": dict(by_reason.most_common()),
            "counts": {
                "dropped_any": sum(by_step.values()),
                "dropped_filters": content,
                "spam_block": blocks,
            },
        }
    totals = {}
    for label, srcs in (
        ("excluding poetry", [s for s in CLEAN_SOURCES if s != "poetry"]),
        ("all", CLEAN_SOURCES),
    ):
        docs = sum(per_source[s]["docs"] for s in srcs)
        totals[label] = {
            "docs": docs,
            **{
                k: sum(per_source[s]["counts"][k] for s in srcs) / max(1, docs)
                for k in per_source[srcs[0]]["counts"]
            },
        }
    step_total = sum(seconds.values())
    speed = {
        "docs": total_docs,
        "mb": total_chars / 1e6,
        "seconds_in_steps": step_total,
        "seconds_wall": wall,
        "docs_per_s": total_docs / step_total if step_total else 0.0,
        "mchars_per_s": total_chars / 1e6 / step_total if step_total else 0.0,
        "step_share": {s: seconds[s] / step_total if step_total else 0.0 for s in (st.name for st in steps)},
        "step_seconds": {s.name: seconds[s.name] for s in steps},
    }
    speed["anchor"] = datatrove_anchor(texts)
    return {"per_source": per_source, "totals": totals, "throughput": speed}


def datatrove_anchor(texts: list[str]) -> dict[str, Any]:
    """datatrove's standard quality filters on the same documents, in the same run: the speed
    anchor for the chain (machines here are shared and noisy, so only the ratio is stable).

    Gopher repetition and quality, C4 and FineWeb quality, with ``language="cmn_Hani"`` (jieba
    words), as FineWeb-2 runs them on Chinese. They do less than taoyu's chain (no language ID,
    spam, safety or PII), and with their default thresholds they keep almost no Chinese text.
    """
    try:
        from datatrove.data import Document as DatatroveDocument
        from datatrove.pipeline.filters import (
            C4QualityFilter,
            FineWebQualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
        )

        language = "cmn_Hani"
        filters = [
            GopherRepetitionFilter(language=language),
            GopherQualityFilter(language=language),
            C4QualityFilter(language=language),
            FineWebQualityFilter(language=language),
        ]
        warm = DatatroveDocument(text=texts[0], id="warm", metadata={})
        for f in filters:
            f.filter(warm)  # loads jieba's dictionary outside the timing
    except Exception as exc:  # datatrove, spacy or jieba missing: the bench extra is not installed
        return {"error": f"{type(exc).__name__}: {exc}"}
    docs = [DatatroveDocument(text=t, id=str(i), metadata={}) for i, t in enumerate(texts)]
    kept = 0
    t0 = time.perf_counter()
    for doc in docs:
        kept += all(f.filter(doc) is True for f in filters)
    seconds = time.perf_counter() - t0
    return {"docs_per_s": len(docs) / seconds, "kept_share": kept / max(1, len(docs))}


# ------------------------------------------------------------------------------------- output
def table(headers: list[str], rows: list[list[Any]]) -> str:
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.3f}"
        return "-" if v is None else str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def print_report(
    ev: dict[str, Any], corpus: dict[str, Any] | None, steps: list[Step], notes: list[str]
) -> None:
    print("## Chain\n")
    print(" → ".join(s.name for s in steps) or "(no per-document steps)")
    for n in notes:
        print(f"- {n}")
    o = ev["overall"]
    print(
        f"\n## Spam/parasite detection ({ev['rows']} rows: {ev['positives']} positive, {ev['clean']} clean)\n"
    )
    print(
        f"overall: precision {o['precision']:.3f}, recall {o['recall']:.3f}, F1 {o['f1']:.3f} "
        f"(tp {o['tp']}, fp {o['fp']}, fn {o['fn']})\n"
    )
    rows = []
    for k, v in ev["per_kind"].items():
        rows.append(
            [
                k,
                v["rows"],
                v["detected"],
                pct(v["rate"]),
                v.get("precision"),
                v.get("recall"),
                v.get("f1"),
                v["dropped_language_length"],
            ]
        )
    print(table(["label/kind", "rows", "detected", "rate", "P*", "R", "F1", "lang/len drops"], rows))
    print(
        "\n*P per kind: as if that kind met the clean rows in the overall clean:positive ratio. "
        "For clean kinds, rate = false-positive rate.\n"
    )
    print("### Article lines (must survive) and injected spam lines (must not)\n")
    rows = [
        [k, v["rows"], pct(v["all_survive"]), pct(v["all_long_survive"]), pct(v["mean_kept"]),
         pct(v["dropped"]), pct(v["spam_block"]), pct(v["perfect"])]
        for k, v in ev["article_lines"].items()
    ]  # fmt: skip
    heads = ["rows", "n", "all lines survive", f"all lines ≥{LONG_LINE} chars survive", "mean lines kept",
             "page dropped", "spam_block", "perfect"]  # fmt: skip
    print(table(heads, rows))
    print("\nperfect: page kept, every article line kept, no injected spam line left.")
    lk = ev["injected_leak"]
    parts = ", ".join(f"{p} {pct(v)}" for p, v in lk["by_part"].items())
    print(f"\ninjected spam lines leaked into the output: {pct(lk['leaked'])} of {lk['lines']} ({parts})")
    print(
        f"harmless chrome lines removed from kept clean/injected rows: {pct(ev['harmless_chrome_removed'])}"
    )
    sd = ev["spam_dropped"]
    print(
        f"spam rows dropped: {pct(sd['dropped_any'])} by any step, "
        f"{pct(sd['dropped_by_filter'])} by a filter other than language/length\n"
    )
    print("### Per filter (drops are exclusive, in chain order)\n")
    rows = [
        [
            s,
            v["caught_pos"],
            v["dropped_clean"],
            pct(v["clean_share"]),
            v["precision"],
            v["edited_pos"],
            v["edited_clean"],
        ]
        for s, v in ev["per_step"].items()
    ]
    print(
        table(
            [
                "step",
                "positives caught",
                "clean dropped",
                "of clean",
                "precision",
                "edited pos",
                "edited clean",
            ],
            rows,
        )
    )
    print("\n### Per drop reason\n")
    rows = [
        [r["step"], r["reason"], r["caught_pos"], r["dropped_clean"], pct(r["clean_share"]), r["precision"]]
        for r in ev["per_reason"]
    ]
    print(
        table(["step", "reason", "positives", "clean", "of clean", "precision"], rows)
        if rows
        else "(no drops)"
    )
    print("\n### Examples\n")
    for k, v in ev["examples"].items():
        print(f"- {k}: " + ("; ".join(v) if v else "none"))
    if corpus is None:
        return
    print("\n## Clean corpora: documents wrongly dropped\n")
    names = [s.name for s in steps]
    rows = []
    for src, v in corpus["per_source"].items():
        rows.append(
            [
                src,
                v["docs"],
                pct(v["dropped_filters"]),
                pct(v["dropped_any"]),
                pct(v["spam_block"]),
                *(pct(v["by_step"].get(s, 0.0)) for s in names),
            ]
        )
    for label, v in corpus["totals"].items():
        rows.append(
            [
                f"**total, {label}**",
                v["docs"],
                pct(v["dropped_filters"]),
                pct(v["dropped_any"]),
                pct(v["spam_block"]),
                *([""] * len(names)),
            ]
        )
    print(table(["source", "docs", "dropped by filters", "dropped (any)", "spam_block", *names], rows))
    print("\n'dropped by filters' leaves out language and length_filter drops.\n")
    for src, v in corpus["per_source"].items():
        if v["by_reason"]:
            print(f"- {src}: " + ", ".join(f"{r} {c}" for r, c in list(v["by_reason"].items())[:10]))
    t = corpus["throughput"]
    print(f"\n## Throughput (one core, {t['docs']:,} clean-corpus docs, {t['mb']:.1f}M chars)\n")
    print(
        f"{t['docs_per_s']:,.0f} docs/s, {t['mchars_per_s']:.2f}M chars/s in step.process() "
        f"({t['seconds_in_steps']:.1f}s; {t['seconds_wall']:.1f}s with the loop)\n"
    )
    rows = [[s, f"{t['step_seconds'][s]:.2f}", pct(t["step_share"][s])] for s in names]
    print(table(["step", "seconds", "share"], rows))
    anchor = t.get("anchor") or {}
    if "docs_per_s" in anchor:
        print(
            f"\nAnchor, same documents, same run: datatrove's Gopher repetition + Gopher quality + C4 + "
            f"FineWeb filters (cmn_Hani) {anchor['docs_per_s']:,.0f} docs/s; taoyu's chain is "
            f"{t['docs_per_s'] / anchor['docs_per_s']:.1f}x that. datatrove keeps "
            f"{pct(anchor['kept_share'])} of these clean documents with its default thresholds."
        )
    elif anchor:
        print(f"\nAnchor not run ({anchor['error']}); install the bench extra: pip install -e '.[bench]'")


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=REPO / "bench" / "_work" / "spam_eval.jsonl")
    ap.add_argument("--recipe", type=Path, default=REPO / "recipes" / "zh-web.yaml")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--steps", default="", help="comma-separated step names to add with default parameters")
    ap.add_argument("--corpus-n", type=int, default=2000, help="documents sampled per clean source (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--examples", type=int, default=5, help="row ids listed per failure kind")
    ap.add_argument("--json", type=Path, help="also write every number as JSON")
    args = ap.parse_args()

    require_shared(args.shared)
    if not args.eval.exists():
        sys.exit(
            f"no eval set at {args.eval}: "
            f"run bench/make_spam_eval.py --shared {args.shared} --out {args.eval}"
        )
    extra = [s.strip() for s in args.steps.split(",") if s.strip()]
    steps, notes = build_steps(args.recipe, extra)

    rows = [orjson.loads(line) for line in args.eval.open("rb") if line.strip()]
    docs = [to_doc(i, r["text"], r["url"], r["title"], args.eval.name) for i, r in enumerate(rows)]
    t0 = time.perf_counter()
    docs = list(Pipeline(steps).process(docs)) if steps else docs
    print(
        f"[eval] {len(rows)} rows through {len(steps)} steps in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    ev = evaluate(rows, docs, args.examples)
    corpus = corpus_check(steps, args.shared, args.corpus_n, args.seed) if args.corpus_n > 0 else None
    print_report(ev, corpus, steps, notes)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"chain": [s.name for s in steps], "notes": notes, "eval": ev, "corpus": corpus}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
