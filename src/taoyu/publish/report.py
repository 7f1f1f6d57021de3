"""``taoyu report OUT``: one self-contained HTML file that shows what a run did.

Written from the run's records (ledger, stats.json, run.json, recipe.yaml, the data shards and, if
the run kept them, the rejects) without re-running anything: the funnel; per step, what it dropped
or edited; per filter, its scores split into kept and dropped with the threshold drawn; lengths,
languages, industries, content types, personal data by type and duplicate-cluster sizes; per site,
what was lost; a few dropped documents per reason and the lines removed from edited ones; and the
run's facts (recipe, versions, inputs, time per phase).

The file makes no network request and runs no script: plots are inline SVG drawn by matplotlib
with text kept as text (so Chinese labels render in the reader's CJK font, and no font is
embedded), styles are inline, and a Content-Security-Policy forbids everything else. Every crawled
string goes through Jinja2's autoescaping.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from taoyu.output import replaced_atomically
from taoyu.publish.facts import LENGTH_BINS, RunFacts, gather
from taoyu.sample import shard_rows

REPORT = "report.html"
EXCERPT_CHARS = 400
SITES_SHOWN = 50
_CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
]
_SVG_START = re.compile(r"<svg\b")


def write_report(root: Path) -> Path:
    """Write ``OUT/report.html`` and return its path."""
    facts = gather(root, for_card=False)
    path = root / REPORT
    with replaced_atomically(path) as tmp:  # a reader never finds half a report
        tmp.write_text(render(facts), encoding="utf-8")
    return path


def render(facts: RunFacts) -> str:
    """The whole report as one HTML string."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["num"] = lambda v: (
        f"{v:,}" if isinstance(v, int) else (f"{v:,.4g}" if isinstance(v, float) else v)
    )
    env.filters["pct"] = lambda v: f"{v:.1%}"
    template = env.from_string(resources.files("taoyu.publish").joinpath("report.html.j2").read_text("utf-8"))
    return template.render(**context(facts))


def context(facts: RunFacts) -> dict[str, Any]:
    """Everything the template shows, already counted."""
    stats, run = facts.stats, facts.run
    records_in = stats.get("records_in", 0) or 0
    drops = stats.get("dropped_by", [])
    steps = _step_rows(facts, drops)
    filters = _filter_rows(facts)
    lengths = [facts.lengths.get(i, 0) for i in range(len(LENGTH_BINS))]
    length_labels = [_length_label(i) for i in range(len(LENGTH_BINS))]
    labels = _label_tables(facts)
    sizes = Counter(n + 1 for n in facts.duplicates.values())
    cluster_rows = sorted(sizes.items())
    sites = sorted(facts.sites.items(), key=lambda hs: (-(hs[1].records - hs[1].kept), hs[0]))
    phases = run.get("phases", [])
    seconds = _seconds(run.get("started"), run.get("finished"))
    return {
        "title": facts.card()["pretty_name"],
        "run": run,
        "stats": stats,
        "records_in": records_in,
        "funnel_svg": _funnel_svg(stats, drops),
        "drops": drops,
        "steps": steps,
        "filters": filters,
        "lengths": list(zip(length_labels, lengths, strict=True)),
        "lengths_svg": bar_svg(length_labels, lengths, "characters"),
        "labels": labels,
        "pii_kept": sorted(facts.pii_kept.items(), key=lambda kv: (-kv[1], kv[0])),
        "pii_dropped": sorted(facts.pii_dropped.items(), key=lambda kv: (-kv[1], kv[0])),
        "clusters": cluster_rows,
        "clusters_svg": _clusters_svg(cluster_rows),
        "sites": sites[:SITES_SHOWN],
        "site_count": len(sites),
        "drop_samples": _drop_samples(facts),
        "edit_samples": facts.edit_samples,
        "phases": phases,
        "seconds": seconds,
        "throughput": records_in / seconds if seconds else None,
        "artifacts": run.get("artifacts", []),
        "generated": datetime.now().astimezone().isoformat(timespec="seconds"),
        "kept_rejects": (facts.root / "rejects").is_dir(),
    }


def _step_rows(facts: RunFacts, drops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per step of the recipe (the first of each name), with its parameters, the drops it
    made by reason and the documents it edited: the report's table of steps."""
    by_step: dict[str, list[dict[str, Any]]] = {}
    for row in drops:
        by_step.setdefault(row["step"], []).append(row)
    steps: list[dict[str, Any]] = []
    for spec in facts.recipe.get("steps", []):
        name = spec.get("step")
        if any(s["name"] == name for s in steps):
            continue
        params = {k: v for k, v in spec.items() if k != "step"}
        steps.append(
            {
                "name": name,
                "params": params,
                "dropped": by_step.get(name, []),
                "dropped_total": sum(r["count"] for r in by_step.get(name, [])),
                "edited": facts.edits.get(name, 0),
            }
        )
    return steps


def _filter_rows(facts: RunFacts) -> list[dict[str, Any]]:
    """One row per scored filter: how many documents it saw, its usual threshold and a histogram of
    the sampled scores kept and dropped, so a reader can judge where the threshold cuts."""
    filters = []
    for name, sample in facts.scores.items():
        kept = [v for v, d in sample.values if not d]
        dropped = [v for v, d in sample.values if d]
        threshold = sample.thresholds.most_common(1)[0][0] if sample.thresholds else None
        filters.append(
            {
                "name": name,
                "seen": sample.seen,
                "sampled": len(sample.values),
                "kept": len(kept),
                "dropped": len(dropped),
                "threshold": threshold,
                "svg": histogram_svg(kept, dropped, threshold, name),
            }
        )
    return filters


def _label_tables(facts: RunFacts) -> dict[str, dict[str, Any]]:
    """For each label a step writes (language, domain…), its 30 commonest values as table rows and
    a bar chart: what the kept data is made of."""
    labels = {}
    for name, counts in facts.labels.items():
        top = counts.most_common(30)
        names = [_label_name(name, k) for k, _ in top]
        labels[name] = {
            "rows": [(k, _label_name(name, k), v) for k, v in top],
            "svg": bar_svg(names, [v for _, v in top], name, horizontal=True),
        }
    return labels


def _funnel_svg(stats: dict[str, Any], drops: list[dict[str, Any]]) -> Markup:
    """The funnel as a bar chart: documents kept, then dropped by step and reason, then input
    errors when there were any."""
    return bar_svg(
        ["kept"]
        + [f"{r['step']}: {r['reason']}" for r in drops]
        + (["input errors"] if stats.get("input_errors") else []),
        [stats.get("kept", 0)]
        + [r["count"] for r in drops]
        + ([stats["input_errors"]] if stats.get("input_errors") else []),
        "documents",
        horizontal=True,
    )


def _clusters_svg(cluster_rows: list[tuple[int, int]]) -> Markup | None:
    """A bar chart of duplicate clusters by size, or None when no duplicates were found."""
    if not cluster_rows:
        return None
    return bar_svg([str(k) for k, _ in cluster_rows], [v for _, v in cluster_rows], "cluster size")


def _seconds(started: str | None, finished: str | None) -> float | None:
    try:
        return (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _length_label(i: int) -> str:
    lo = LENGTH_BINS[i]
    if i + 1 < len(LENGTH_BINS):
        return f"{_short_num(lo)}–{_short_num(LENGTH_BINS[i + 1])}"
    return f"{_short_num(lo)}+"


def _short_num(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def _label_name(column: str, value: str) -> str:
    """An industry code with its section's Chinese name (J → J 金融业), other labels as they are."""
    if column != "industry":
        return value
    names = _industry_names()
    return f"{value} {names[value]}" if value in names else value


_NAMES: dict[str, str] | None = None


def _industry_names() -> dict[str, str]:
    global _NAMES
    if _NAMES is None:
        try:
            from taoyu.industry.taxonomy import builtin

            _NAMES = {label.code: label.name for label in builtin().labels}
        except Exception:  # names are a nicety; a report never fails for them
            _NAMES = {}
    return _NAMES


def _drop_samples(facts: RunFacts) -> list[dict[str, Any]]:
    """The sampled dropped documents with an excerpt of their text when the run kept rejects."""
    groups = [{"step": s, "reason": r, "docs": docs} for (s, r), docs in facts.drop_samples.items()]
    wanted = {d["id"] for g in groups for d in g["docs"] if d["id"]}
    folder = facts.root / "rejects"
    texts = (
        {row["id"]: row["text"] for row in shard_rows(folder, wanted)} if wanted and folder.is_dir() else {}
    )
    for group in groups:
        for doc in group["docs"]:
            text = texts.get(doc["id"])
            doc["excerpt"] = (
                None if text is None else text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
            )
    return sorted(groups, key=lambda g: (g["step"], g["reason"]))


# -- plots --------------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: the reader's fonts draw it, Chinese included
            "svg.hashsalt": "taoyu",  # the same run gives the same file
            "text.parse_math": False,  # a label with two "$" is text, not TeX
            "font.family": "sans-serif",
            "font.sans-serif": [*_CJK_FONTS, "DejaVu Sans"],
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _svg(fig) -> Markup:
    plt = _pyplot()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    start = _SVG_START.search(text)
    # matplotlib escapes every text it writes; the XML prologue and DOCTYPE are dropped for inlining.
    return Markup(text[start.start() :] if start else text)


def histogram_svg(kept: list[float], dropped: list[float], threshold: float | None, name: str) -> Markup:
    """Scores of one filter: kept and dropped stacked per bin, the threshold as a dashed line."""
    plt = _pyplot()
    values = np.asarray(kept + dropped, dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 2.4))
    if len(values):
        lo, hi = float(np.min(values)), float(np.max(values))
        if threshold is not None:
            lo, hi = min(lo, threshold), max(hi, threshold)
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 41)
        ax.hist(
            [kept, dropped], bins=bins, stacked=True, color=["#4c9a6a", "#c8553d"], label=["kept", "dropped"]
        )
        ax.legend(frameon=False)
    if threshold is not None:
        ax.axvline(threshold, color="#222222", linestyle="--", linewidth=1)
        ax.annotate(
            f"threshold {threshold:g}",
            (threshold, ax.get_ylim()[1]),
            xytext=(3, -10),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel(f"{name} score")
    ax.set_ylabel("documents")
    return _svg(fig)


def bar_svg(labels: list[str], values: list[int], name: str, horizontal: bool = False) -> Markup:
    """Counts per label as bars (horizontal for long labels)."""
    plt = _pyplot()
    if horizontal:
        fig, ax = plt.subplots(figsize=(6.4, max(1.2, 0.28 * len(labels) + 0.6)))
        ax.barh(range(len(labels)), values, color="#4a6fa5")
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(name)
    else:
        fig, ax = plt.subplots(figsize=(6.4, 2.4))
        ax.bar(range(len(labels)), values, color="#4a6fa5")
        ax.set_xticks(
            range(len(labels)),
            labels,
            rotation=45 if len(labels) > 8 else 0,
            ha="right" if len(labels) > 8 else "center",
        )
        ax.set_ylabel("documents")
        ax.set_xlabel(name)
    return _svg(fig)
