"""``croissant.json``: the dataset described in MLCommons Croissant 1.1 with the Responsible-AI
vocabulary (RAI 1.0), from the same run records as the README.

Every data shard is a ``cr:FileObject`` with its SHA-256 and size. A ``cr:FileSet`` over
``data/`` feeds the ``default`` record set (Croissant has no union of file objects, and a glob is
what loads a sharded dataset), and when ``data/`` is partitioned by industry each industry gets a
file set and a record set of its own. The document passes ``mlcroissant validate`` with no errors
and no warnings (a test checks it), and ``mlcroissant`` loads its records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa

from taoyu.digests import sha256_file
from taoyu.publish.facts import RunFacts, configs

CONFORMS_TO = ["http://mlcommons.org/croissant/1.1", "http://mlcommons.org/croissant/RAI/1.0"]
_CR = "cr:"
_CONTEXT_KEYS = [
    "annotation",
    "arrayShape",
    "citeAs",
    "column",
    "containedIn",
    "equivalentProperty",
    "excludes",
    "extract",
    "field",
    "fileProperty",
    "fileObject",
    "fileSet",
    "format",
    "includes",
    "isArray",
    "isLiveDataset",
    "jsonPath",
    "key",
    "md5",
    "parentField",
    "path",
    "readLines",
    "recordSet",
    "references",
    "regex",
    "repeated",
    "replace",
    "samplingRate",
    "sdVersion",
    "separator",
    "source",
    "subField",
    "transform",
    "unArchive",
    "value",
]
_LICENSES = {
    "apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "mit": "https://opensource.org/licenses/MIT",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc-by-nc-sa-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "cc-by-nd-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
    "odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
    "pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
}


def context() -> dict[str, Any]:
    """The JSON-LD context of Croissant 1.1 (schema.org over https, as mlcroissant expects) with the
    RAI prefix."""
    ctx: dict[str, Any] = {
        "@language": "en",
        "@vocab": "https://schema.org/",
        "sc": "https://schema.org/",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "dct": "http://purl.org/dc/terms/",
        "conformsTo": "dct:conformsTo",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "examples": {"@id": "cr:examples", "@type": "@json"},
    }
    for key in _CONTEXT_KEYS:
        ctx[key] = _CR + key
    return ctx


def data_type(dtype: pa.DataType) -> str | None:
    """The Croissant type of a column, or None for nested types it cannot name."""
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "sc:Text"
    if pa.types.is_boolean(dtype):
        return "sc:Boolean"
    if pa.types.is_floating(dtype):
        return "sc:Float"
    if pa.types.is_integer(dtype):
        return "sc:Integer"
    if pa.types.is_timestamp(dtype):
        return "sc:DateTime"
    return None


def _fields(facts: RunFacts, record_set: str, source: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for f in facts.schema:
        kind = data_type(f.type)
        if kind is None:
            continue
        out.append(
            {
                "@type": "cr:Field",
                "@id": f"{record_set}/{f.name}",
                "name": f.name,
                "dataType": kind,
                "source": {**source, "extract": {"column": f.name}},
            }
        )
    return out


def _record_set(facts: RunFacts, name: str, description: str, file_set: str) -> dict[str, Any]:
    fields = _fields(facts, name, {"fileSet": {"@id": file_set}})
    record: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": description,
        "field": fields,
    }
    if "id" in facts.schema.names:
        record["key"] = {"@id": f"{name}/id"}
    return record


def render(facts: RunFacts) -> bytes:
    """The Croissant document of the run, as JSON bytes."""
    card = facts.card()
    run = facts.run
    finished = run.get("finished") or datetime.now(UTC).isoformat(timespec="seconds")
    doc: dict[str, Any] = {
        "@context": context(),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        **_dataset_card(facts, card, finished),
        **_responsible_ai(facts),
        "distribution": [],
        "recordSet": [],
    }
    if card.get("homepage"):
        doc["url"] = card["homepage"]
    _add_files_and_record_sets(doc, facts)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)


def _dataset_card(facts: RunFacts, card: dict[str, Any], finished: str) -> dict[str, Any]:
    """The schema.org description of the dataset (name, license, version, languages, creator…),
    from the card with the run's counts filling what the card leaves out; keys in document order."""
    run = facts.run
    counts = run.get("counts", {})
    languages = sorted(k for k in facts.labels.get("language", {}) if k not in ("(none)", "und", "unknown"))
    return {
        "name": card["pretty_name"],
        "description": card.get("description")
        or (
            f"{facts.rows:,} documents kept from {counts.get('records_in', 0):,} crawled records by the "
            f"taoyu recipe '{run.get('recipe')}'."
        ),
        "license": _LICENSES.get(str(card["license"]).lower())
        or card.get("license_link")
        or card.get("license_name")
        or str(card["license"]),
        "datePublished": finished[:10],
        "version": str(card["version"]),
        "citeAs": _cite(card, finished),
        "keywords": ["taoyu", "web crawl", "pretraining", "Chinese"],
        "inLanguage": languages or ["zh"],
        "creator": {"@type": "sc:Organization", "name": card.get("creator") or "unknown"},
    }


def _responsible_ai(facts: RunFacts) -> dict[str, Any]:
    """The Croissant RAI fields: how the data was collected and processed (each step with what it
    dropped), the personal information it may hold, and its limits; keys in document order."""
    run = facts.run
    steps = [s.get("step") for s in facts.recipe.get("steps", [])]
    drops = facts.stats.get("dropped_by", [])
    first, last = facts.crawl_dates
    return {
        "rai:dataCollection": (
            f"Web pages read from {len(run.get('inputs', []))} crawl file(s) "
            f"({', '.join(i['path'] for i in run.get('inputs', [])[:5])})"
            + (f"; crawl dates {first} to {last}." if first else ".")
        ),
        "rai:dataCollectionType": ["Web Scraping"],
        "rai:dataPreprocessingProtocol": [
            f"{n}. {step}" + _dropped_note(step, drops) for n, step in enumerate(steps, 1)
        ],
        "rai:personalSensitiveInformation": _pii_lines(facts),
        "rai:dataLimitations": [
            "The texts keep their publishers' rights.",
            "Decisions were made by rules and small models: some good pages were dropped and some "
            "chrome, spam or offensive text remains; the ledger records every decision.",
            "Opt-outs were read from what the crawl recorded, not from the live web.",
        ],
        "rai:dataUseCases": ["Language-model pre-training", "Industry-specific datasets"],
    }


def _add_files_and_record_sets(doc: dict[str, Any], facts: RunFacts) -> None:
    """Fill ``doc``'s distribution (every shard with its checksum, then a file set per config) and
    record sets (every kept document, then one per industry when the data is partitioned by it)."""
    for f in facts.files:
        doc["distribution"].append(
            {
                "@type": "cr:FileObject",
                "@id": f.path,
                "name": f.path,
                "contentUrl": f.path,
                "contentSize": f"{f.bytes} B",
                "encodingFormat": "application/x-parquet",
                "sha256": _sha256(facts, f.path),
            }
        )
    doc["distribution"].append(
        {
            "@type": "cr:FileSet",
            "@id": "data-files",
            "name": "data-files",
            "description": "Every shard of data/.",
            "encodingFormat": "application/x-parquet",
            "includes": configs(facts)[0]["path"],
        }
    )
    doc["recordSet"].append(_record_set(facts, "default", "Every kept document.", "data-files"))
    for config in configs(facts)[1:]:
        code = config["industry"]
        set_id = f"data-industry-{code}"
        doc["distribution"].append(
            {
                "@type": "cr:FileSet",
                "@id": set_id,
                "name": set_id,
                "encodingFormat": "application/x-parquet",
                "includes": config["path"],
            }
        )
        doc["recordSet"].append(
            _record_set(facts, f"industry_{code}", f"Documents labelled industry {code}.", set_id)
        )


def _dropped_note(step: str, drops: list[dict[str, Any]]) -> str:
    mine = [f"{d['count']:,} {d['reason']}" for d in drops if d["step"] == step]
    return f" (dropped: {', '.join(mine)})" if mine else ""


def _pii_lines(facts: RunFacts) -> list[str]:
    lines = []
    if facts.pii_kept:
        lines.append(
            "Found in kept documents and replaced by placeholders (public contact numbers kept): "
            + ", ".join(f"{k} {v}" for k, v in sorted(facts.pii_kept.items()))
        )
    else:
        lines.append("No personal identifiers were found in the kept documents.")
    if facts.pii_dropped:
        lines.append(
            "In documents dropped as personal-data dumps: "
            + ", ".join(f"{k} {v}" for k, v in sorted(facts.pii_dropped.items()))
        )
    return lines


def _cite(card: dict[str, Any], finished: str) -> str:
    key = "".join(ch for ch in card["pretty_name"].lower() if ch.isalnum()) or "dataset"
    return (
        f"@misc{{{key}{finished[:4]}, title={{{card['pretty_name']}}}, year={{{finished[:4]}}}, "
        f"note={{Built with taoyu, version {card['version']}}}}}"
    )


def _sha256(facts: RunFacts, rel: str) -> str:
    return sha256_file(facts.root / rel)
