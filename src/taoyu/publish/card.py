"""The dataset card: ``taoyu card OUT`` writes ``OUT/README.md`` and ``OUT/croissant.json``.

``README.md`` opens with the YAML front matter the Hugging Face Hub and ModelScope read
(``license``, ``language``, ``size_categories``, ``task_categories``, ``pretty_name``, ``configs``
with one config per industry when ``data/`` is partitioned by industry, and ``dataset_info`` with
features, row counts and bytes), then says in prose where the data came from, what every step did
and removed, what personal and sensitive information was found, which publishers opted out, what
the data cannot be trusted for, and how to check that nothing changed. Every number is counted
from the run's records (:mod:`taoyu.publish.facts`); only the recipe's ``card:`` section (licence,
creator, homepage) is written by a person.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from taoyu.output import replaced_atomically
from taoyu.publish import croissant
from taoyu.publish.facts import REVIEW_RATE, UNSAFE_STEPS, RunFacts, configs, gather
from taoyu.publish.manifest import MANIFEST, SIGNATURE

README = "README.md"
CROISSANT = "croissant.json"
_SIZE_BINS = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (10_000_000_000, "1B<n<10B"),
    (100_000_000_000, "10B<n<100B"),
    (1_000_000_000_000, "100B<n<1T"),
]
_SIGNALS = {
    "tdm_reservation": "W3C TDMRep `tdm-reservation: 1` (HTTP header, HTML meta or tdmrep.json)",
    "noai": "`noai` in robots meta tags or `X-Robots-Tag`",
    "content_usage": "IETF AI preferences `Content-Usage: train-ai=n`",
    "robots_txt": "robots.txt disallowing AI-training crawlers by name",
    "domain_list": "the recipe's list of opted-out domains",
}


class _PlainDumper(yaml.SafeDumper):
    """Writes repeated values out in full (no ``&id001`` anchors): hubs and people read the header."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_card(root: Path) -> tuple[Path, Path]:
    """Write ``README.md`` and ``croissant.json`` into the output folder; returns their paths."""
    facts = gather(root)
    readme, jsonld = root / README, root / CROISSANT
    with replaced_atomically(readme) as tmp:  # a reader never finds half a card
        tmp.write_text(render_readme(facts), encoding="utf-8")
    with replaced_atomically(jsonld) as tmp:
        tmp.write_bytes(croissant.render(facts))
    return readme, jsonld


def size_category(rows: int) -> str:
    """The Hub's size bin for a row count."""
    for limit, name in _SIZE_BINS:
        if rows < limit:
            return name
    return "n>1T"


def hf_dtype(dtype: pa.DataType) -> Any:
    """A column's type as the Hub's ``dataset_info.features`` writes it."""
    if pa.types.is_string(dtype):
        return "string"
    if pa.types.is_large_string(dtype):
        return "large_string"
    if pa.types.is_boolean(dtype):
        return "bool"
    if pa.types.is_floating(dtype):
        return {16: "float16", 32: "float32", 64: "float64"}[dtype.bit_width]
    if pa.types.is_integer(dtype):
        return str(dtype)
    if pa.types.is_timestamp(dtype):
        return f"timestamp[{dtype.unit}]" + (f", tz={dtype.tz}" if dtype.tz else "")
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return {"list": hf_dtype(dtype.value_type)}
    return "string"


def _features(facts: RunFacts) -> list[dict[str, Any]]:
    out = []
    for f in facts.schema:
        kind = hf_dtype(f.type)
        out.append({"name": f.name, **({"dtype": kind} if isinstance(kind, str) else kind)})
    return out


def front_matter(facts: RunFacts) -> dict[str, Any]:
    """The README's YAML header, as the Hub's dataset card spec names its keys."""
    card = facts.card()
    languages = sorted(
        k for k in facts.labels.get("language", Counter()) if k not in ("(none)", "und", "unknown")
    )
    meta: dict[str, Any] = {"pretty_name": card["pretty_name"], "license": card["license"]}
    if card["license"] == "other":
        meta["license_name"] = card.get("license_name") or "publishers-rights"
        if card.get("license_link"):
            meta["license_link"] = card["license_link"]
    meta["language"] = languages or ["zh"]
    meta["size_categories"] = [size_category(facts.rows)]
    meta["task_categories"] = ["text-generation"]
    meta["tags"] = ["taoyu", "web-crawl", "pretraining"]
    features = _features(facts)
    cfgs = configs(facts)
    meta["configs"] = [
        {
            "config_name": c["config_name"],
            **({"default": True} if c["config_name"] == "default" else {}),
            "data_files": [{"split": "train", "path": c["path"]}],
        }
        for c in cfgs
    ]
    infos = []
    for c in cfgs:
        rows = sum(f.rows for f in c["files"])
        nbytes = sum(f.arrow_bytes for f in c["files"])
        infos.append(
            {
                "config_name": c["config_name"],
                "features": features,
                "splits": [{"name": "train", "num_bytes": nbytes, "num_examples": rows}],
                "download_size": sum(f.bytes for f in c["files"]),
                "dataset_size": nbytes,
            }
        )
    meta["dataset_info"] = infos if len(infos) > 1 else infos[0]
    return meta


def render_readme(facts: RunFacts) -> str:
    """The whole ``README.md``: front matter, then the prose sections."""
    card = facts.card()
    header = yaml.dump(
        front_matter(facts), Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000
    )
    parts = [f"---\n{header}---\n", f"# {card['pretty_name']}\n", _summary(facts, card)]
    parts += [
        _sources(facts),
        _processing(facts),
        _optouts(facts),
        _personal(facts),
        _review(facts),
        _composition(facts),
        _limits(facts),
        _verify(facts),
    ]
    return "\n".join(p.rstrip() + "\n" for p in parts if p)


def _summary(facts: RunFacts, card: dict[str, Any]) -> str:
    c = facts.run.get("counts", {})
    lead = card.get("description") or (
        f"A text dataset built by taoyu {facts.run.get('versions', {}).get('taoyu', '')} with the recipe "
        f"`{facts.run.get('recipe')}` from {len(facts.run.get('inputs', []))} input file(s)."
    )
    return (
        f"{lead}\n\n"
        f"{c.get('records_in', 0):,} records were read; **{facts.rows:,} documents are in the dataset**, "
        f"{c.get('dropped', 0):,} were dropped with a stated reason and {c.get('input_errors', 0):,} "
        f"were unreadable. Every one of them has a row in `ledger/` saying what became of it and why.\n"
    )


def _sources(facts: RunFacts) -> str:
    lines = ["## Sources\n", "| input | format | bytes | SHA-256 |", "|---|---|---|---|"]
    for i in facts.run.get("inputs", []):
        lines.append(f"| `{i['path']}` | {i.get('format')} | {i.get('bytes', 0):,} | `{i.get('sha256')}` |")
    first, last = facts.crawl_dates
    lines.append("")
    if first:
        lines.append(f"Crawl dates of the kept documents: {first} to {last}.")
    lines.append(f"Sites (hosts) in the input: {len(facts.sites):,}.")
    return "\n".join(lines)


def _processing(facts: RunFacts) -> str:
    stats = facts.stats
    removed: dict[str, list[str]] = {}
    for row in stats.get("dropped_by", []):
        removed.setdefault(row["step"], []).append(f"{row['count']:,} {row['reason']}")
    lines = [
        "## Processing\n",
        f"Run {facts.run.get('started')} to {facts.run.get('finished')} on the {facts.run.get('executor')} "
        f"executor; recipe digest `{facts.run.get('recipe_digest')}` (the recipe is `recipe.yaml`).\n",
        "| # | step | parameters | documents dropped | documents edited |",
        "|---|---|---|---|---|",
    ]
    seen: set[str] = set()
    for n, step in enumerate(facts.recipe.get("steps", []), 1):
        name = step.get("step")
        params = ", ".join(f"{k}={_short(v)}" for k, v in step.items() if k != "step") or "defaults"
        if name in seen:  # the ledger names steps, not positions: counted on the first row
            lines.append(f"| {n} | `{name}` | {params} | (with row above) | (with row above) |")
            continue
        seen.add(name)
        drops = "; ".join(removed.get(name, [])) or "0"
        lines.append(f"| {n} | `{name}` | {params} | {drops} | {facts.edits.get(name, 0):,} |")
    lines += [
        "",
        f"Funnel: {stats.get('records_in', 0):,} in = {stats.get('kept', 0):,} kept + "
        f"{stats.get('dropped', 0):,} dropped + {stats.get('input_errors', 0):,} input errors.",
    ]
    for row in stats.get("input_errors_by", []):
        lines.append(f"Input errors at `{row['step']}`: {row['count']:,}.")
    artifacts = facts.run.get("artifacts", [])
    if artifacts:
        lines += ["", "Models and lists the steps decided with:", ""]
        lines += [
            f"- `{a['step']}` {a['role']}: `{Path(a['path']).name}` sha256 `{a['sha256']}`" for a in artifacts
        ]
    return "\n".join(lines)


def _short(value: Any) -> str:
    text = str(value)
    text = text if len(text) <= 60 else text[:57] + "…"
    return text.replace("|", "\\|")


def _optouts(facts: RunFacts) -> str:
    total = sum(facts.optout.values())
    steps = [s.get("step") for s in facts.recipe.get("steps", [])]
    if "optout" not in steps:
        return (
            "## Publishers' opt-outs\n\nThe recipe has no `optout` step: opt-out signals (TDMRep, noai, "
            "Content-Usage, robots.txt) were not checked."
        )
    lines = [
        "## Publishers' opt-outs\n",
        f"{total:,} pages were left out because their publishers reserved them from AI training or "
        "text and data mining:\n",
        "| signal | pages |",
        "|---|---|",
    ]
    for reason, label in _SIGNALS.items():
        lines.append(f"| {label} | {facts.optout.get(reason, 0):,} |")
    for reason in sorted(set(facts.optout) - set(_SIGNALS)):
        lines.append(f"| {reason} | {facts.optout[reason]:,} |")
    return "\n".join(lines)


def _personal(facts: RunFacts) -> str:
    lines = ["## Personal and sensitive information\n"]
    if facts.pii_kept:
        found = ", ".join(
            f"{k} {v:,}" for k, v in sorted(facts.pii_kept.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        lines.append(
            f"Found in the kept documents and replaced by placeholders (or, for institutions' public "
            f"contact numbers, `org_phone`, kept): {found}."
        )
    else:
        lines.append("No personal identifiers were found in the kept documents.")
    if facts.pii_dropped:
        found = ", ".join(
            f"{k} {v:,}" for k, v in sorted(facts.pii_dropped.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        dumps = sum(r["count"] for r in facts.stats.get("dropped_by", []) if r["reason"] == "pii_dense")
        lines.append(f"\n{dumps:,} documents were dropped as personal-data dumps; they held: {found}.")
    lines.append(
        "\nCounts are by type only; the ledger never holds the values. Detection covers Chinese ID "
        "numbers, mobiles, landlines, bank cards, emails, IPs, passports, permits, QQ and WeChat IDs; "
        "names and street addresses are not detected."
    )
    return "\n".join(lines)


def _by_count(counts: Counter[str]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _review(facts: RunFacts) -> str:
    unsafe = sum(r["count"] for r in facts.stats.get("dropped_by", []) if r["step"] in UNSAFE_STEPS)
    flagged = facts.review_sites()
    lines = [
        "## Review evidence (TC260-003)\n",
        f"{unsafe:,} documents were dropped as unsafe or illegal content (steps {', '.join(UNSAFE_STEPS)}). "
        f"Sites whose share of such drops is above {REVIEW_RATE:.0%}: {len(flagged):,}.",
    ]
    if flagged:
        lines += ["", "| site | records | unsafe dropped | rate | kept |", "|---|---|---|---|---|"]
        for host, s in flagged[:100]:
            lines.append(f"| {host} | {s.records:,} | {s.unsafe:,} | {s.unsafe_rate:.1%} | {s.kept:,} |")
        if len(flagged) > 100:
            lines.append(f"\n…and {len(flagged) - 100:,} more.")
    lines.append(
        "\nDraw a seeded sample of kept documents for people to check with "
        "`taoyu sample OUT --kept --n 400 --seed 1 --out review.jsonl`."
    )
    return "\n".join(lines)


def _composition(facts: RunFacts) -> str:
    if not facts.labels:
        return ""
    lines = ["## Composition\n"]
    for name, counts in facts.labels.items():
        top = ", ".join(f"{k} {v:,}" for k, v in counts.most_common(25))
        lines.append(f"- {name}: {top}")
    return "\n".join(lines)


def _limits(facts: RunFacts) -> str:
    lines = [
        "## Known limits\n",
        "- The texts keep their publishers' rights; the licence above covers the selection and the "
        "annotations, not the pages.",
        "- Every decision was made by rules and small models; some good pages are dropped and some "
        "page chrome, spam or offensive text remains. The ledger says why each page was dropped.",
        "- Opt-outs are read from what the crawl recorded (headers, meta tags, the files the recipe "
        "names); a publisher who opted out after the crawl is not known here.",
    ]
    steps = {s.get("step") for s in facts.recipe.get("steps", [])}
    if "industry" in steps:
        lines.append(
            "- Industry labels come from a small labeller (its model card is in taoyu's package): "
            "on news headlines it is right about half the time; on paragraphs more often."
        )
    return "\n".join(lines)


def _verify(facts: RunFacts) -> str:
    return (
        "## How to verify\n\n"
        f"`{MANIFEST}` lists every file of this folder with its SHA-256 and the run's provenance "
        f"(in-toto Statement v1, SLSA provenance); `{SIGNATURE}` is its Ed25519 signature in a DSSE "
        "envelope. With the publisher's public key:\n\n"
        "```\ntaoyu verify OUT --pub publisher.pub\n```\n\n"
        "prints OK, or every file that changed, went missing or appeared. `croissant.json` describes "
        "the same files for MLCommons Croissant tools, with their digests."
    )
