"""A taxonomy: the labels a labeller chooses between, each described in words a person writes.

The built-in one is GB/T 4754-2017's twenty sections (``gbt4754.yaml`` beside this module); a user
writes their own in the same format and trains a labeller on it with ``taoyu label-train``::

    name: my-sectors
    labels:
      - code: manufacturing
        name: 智能制造
        description: 工业机器人、数控机床和智能工厂
        seeds: [智能制造, 工业机器人, 数控机床, 智能工厂]
        urls: [/zhizao/, /industry/]

``seeds`` are words that, when a text uses several of them, say it belongs to the label; ``urls``
are substrings of a page's address that say the same (a channel path like ``/finance/`` or a
host like ``.edu.cn``). Errors name the file and the label, because a taxonomy is written by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

BUILTIN = "gbt4754.yaml"
OTHER = "other"
"""The label given when no label fits well enough; a taxonomy may not use it as a code."""
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
"""What a label code may be: it names partition and export folders, so never a path."""


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used, with the file and label named."""


@dataclass(frozen=True)
class Label:
    """One label: its code (what the dataset stores), a name and description, seeds and URL patterns."""

    code: str
    name: str
    description: str
    seeds: tuple[str, ...]
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """The labels, in the order the model's classes are numbered."""

    name: str
    labels: tuple[Label, ...]
    description: str = ""

    @property
    def codes(self) -> list[str]:
        return [label.code for label in self.labels]

    def url_label(self, url: str | None) -> int | None:
        """The index of the label whose URL patterns ``url`` matches most specifically (the longest
        pattern wins), or None. Patterns are matched case-insensitively as substrings."""
        if not url:
            return None
        url = url.lower()
        best, best_len = None, 0
        for i, label in enumerate(self.labels):
            for pattern in label.urls:
                if len(pattern) > best_len and pattern.lower() in url:
                    best, best_len = i, len(pattern)
        return best

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "labels": [
                {
                    "code": lb.code,
                    "name": lb.name,
                    "description": lb.description,
                    "seeds": list(lb.seeds),
                    "urls": list(lb.urls),
                }
                for lb in self.labels
            ],
        }


def builtin() -> Taxonomy:
    """GB/T 4754-2017's sections, with the seed words the shipped model was trained from."""
    text = resources.files("taoyu.industry").joinpath(BUILTIN).read_text(encoding="utf-8")
    return parse(yaml.safe_load(text), f"taoyu/industry/{BUILTIN}")


def load(path: str | Path) -> Taxonomy:
    """Read and check a taxonomy file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML: {exc}") from exc
    return parse(data, str(path))


def parse(data: Any, where: str) -> Taxonomy:
    """A taxonomy from its parsed YAML, checked: at least two labels, unique codes, seeds given."""
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list):
        raise TaxonomyError(f"{where}: expected a mapping with a 'labels' list")
    labels: list[Label] = []
    for i, item in enumerate(data["labels"]):
        if not isinstance(item, dict):
            raise TaxonomyError(f"{where}: label {i + 1} is not a mapping")
        code = str(item.get("code", "")).strip()
        at = f"{where}: label {i + 1} ({code or 'no code'})"
        if not CODE_PATTERN.match(code):
            raise TaxonomyError(f"{at}: 'code' must be 1-40 letters, digits, '_' or '-'")
        if code == OTHER:
            raise TaxonomyError(f"{at}: '{OTHER}' is reserved for texts no label fits")
        unknown = set(item) - {"code", "name", "description", "seeds", "urls"}
        if unknown:
            raise TaxonomyError(f"{at}: unknown keys {sorted(unknown)}")
        seeds = item.get("seeds") or []
        urls = item.get("urls") or []
        if not isinstance(seeds, list) or not isinstance(urls, list):
            raise TaxonomyError(f"{at}: 'seeds' and 'urls' must be lists")
        seeds = [str(s).strip() for s in seeds if str(s).strip()]
        if not seeds:
            raise TaxonomyError(f"{at}: give at least one seed word")
        labels.append(
            Label(
                code=code,
                name=str(item.get("name", code)),
                description=str(item.get("description", "")),
                seeds=tuple(dict.fromkeys(seeds)),
                urls=tuple(str(u).strip() for u in urls if str(u).strip()),
            )
        )
    codes = [label.code for label in labels]
    if len(labels) < 2:
        raise TaxonomyError(f"{where}: a taxonomy needs at least two labels")
    folded = [c.lower() for c in codes]
    duplicate = next((c for c, f in zip(codes, folded, strict=True) if folded.count(f) > 1), None)
    if duplicate:  # "a" and "A" would share a partition folder where file names ignore case
        raise TaxonomyError(f"{where}: label code {duplicate!r} is used twice (codes ignore case)")
    return Taxonomy(str(data.get("name", Path(where).stem)), tuple(labels), str(data.get("description", "")))
