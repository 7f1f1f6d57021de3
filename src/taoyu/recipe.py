"""Recipes: YAML files validated into typed objects before any work starts.

A recipe names its inputs, how to read them, the steps with their parameters, where the output
goes, and how to run. Errors name the recipe file, the line, and the valid choices, because a
typo in a long recipe should cost seconds, not a failed overnight run.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Literal

import orjson
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from taoyu.catalog import get_step
from taoyu.registry import UnknownStepError
from taoyu.steps.base import Step


class RecipeError(ValueError):
    """A recipe that cannot run, with a message that says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


InputFormat = Literal["auto", "warc", "html", "jsonl", "parquet"]


class ReaderConfig(_Model):
    format: InputFormat = "auto"
    """Input format; ``auto`` picks by file extension."""
    text_field: str = "text"
    id_field: str = "id"
    url_field: str = "url"
    max_record_mb: float = Field(16.0, gt=0)
    """Records larger than this are input errors, not documents: a 50 MB 'page' is never content."""
    slice_mb: float = Field(256.0, gt=0)
    """Uncompressed JSONL and Parquet files larger than this are split into several tasks.
    Part of the recipe's identity, because tasks decide the shard layout."""
    warc_record_types: list[Literal["response", "resource", "conversion"]] = [
        "response",
        "resource",
        "conversion",
    ]


class OutputConfig(_Model):
    path: str = "out"
    format: Literal["parquet", "jsonl"] = "parquet"
    max_rows_per_shard: int = Field(100_000, gt=0)
    keep_rejects: bool = False
    """Also write dropped documents to ``rejects/`` so people can read what was removed."""
    partition_by: list[str] = []
    """Dataset columns to split ``data/`` by, Hive-style: ``[industry]`` writes
    ``data/industry=J/part-*.parquet``. Each file keeps the column, so one folder loads on its own."""


class RunConfig(_Model):
    workers: int = Field(0, ge=0)
    """Worker processes; 0 means one per CPU core."""
    executor: Literal["local", "ray"] = "local"
    address: str | None = None
    """Ray cluster to run on (host:port, or ``auto`` for the one started on this machine); None
    means RAY_ADDRESS, else ``auto``. Only for the ``ray`` executor."""
    partitions: int = Field(0, ge=0)
    """Key partitions of the global steps' resolves: near dedup's stages on either executor, exact
    dedup's and repeated lines' shuffles on Ray. 0 means one per worker (one per CPU of the
    cluster on Ray). Decisions do not depend on it; near dedup uses more when its memory budget
    (``task_memory_mb``) needs them."""
    strict: bool = False
    """Stop at the first input error instead of recording it and going on."""


class CardConfig(_Model):
    """What ``taoyu card`` cannot learn from the run: who publishes the dataset and under which
    licence. Left out of the recipe's digest: it describes the output, it does not change it."""

    pretty_name: str | None = None
    """The dataset's name for people; None: the recipe's name."""
    description: str | None = None
    """One paragraph on what the dataset is for; None: a sentence built from the run."""
    license: str = "other"
    """A Hugging Face licence id (``cc-by-4.0``, ``apache-2.0``…), or ``other`` when the texts keep
    their publishers' rights, as a crawl's do."""
    license_name: str | None = None
    """For ``license: other``: what the terms are called."""
    license_link: str | None = None
    """For ``license: other``: where the terms are written."""
    creator: str | None = None
    """Who made the dataset (a person or an organisation)."""
    homepage: str | None = None
    """Where the dataset is published (an absolute URL)."""
    version: str = "1.0.0"
    """The dataset's version, MAJOR.MINOR.PATCH."""


class StepSpec(_Model):
    step: str
    params: dict[str, Any] = {}
    line: int | None = Field(None, exclude=True)

    def build(self) -> Step:
        cls = get_step(self.step)
        try:
            return cls(cls.Params(**self.params))
        except ValidationError as exc:
            raise RecipeError(_format_param_errors(self, cls, exc)) from None


class Recipe(_Model):
    name: str = "taoyu"
    inputs: list[str] = []
    reader: ReaderConfig = ReaderConfig()
    output: OutputConfig = OutputConfig()
    run: RunConfig = RunConfig()
    card: CardConfig = CardConfig()
    steps: list[StepSpec]
    source_path: str | None = Field(None, exclude=True)

    @field_validator("inputs", mode="before")
    @classmethod
    def _one_input_is_a_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def build_steps(self) -> list[Step]:
        return [spec.build() for spec in self.steps]

    def digest(self) -> str:
        """Identity of what the recipe computes: changes to it invalidate an output folder.

        How it runs (workers, executor, strictness) is left out on purpose: those must not change
        the output, and a resumed run may use other values. So is the dataset card's metadata.
        """
        payload = self.model_dump(mode="json", exclude={"run", "card"})
        # Where the output goes is not what it is (the state lives inside it), and "crawl/" and
        # "crawl" name the same input: neither may make a resume look like a different recipe.
        payload["output"].pop("keep_rejects", None)
        payload["output"].pop("path", None)
        payload["inputs"] = [os.path.normpath(p) for p in payload["inputs"]]
        return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()

    def to_yaml(self) -> str:
        data = self.model_dump(mode="json")
        data["steps"] = [{"step": s.step, **s.params} for s in self.steps]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _format_param_errors(spec: StepSpec, cls: type[Step], exc: ValidationError) -> str:
    where = f"step '{spec.step}'" + (f" (line {spec.line})" if spec.line else "")
    valid = ", ".join(cls.Params.model_fields) or "(none)"
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown parameter '{field}'")
        else:
            problems.append(f"parameter '{field}': {err['msg']}")
    return f"{where}: {'; '.join(problems)}. Valid parameters: {valid}"


def _step_lines(text: str) -> list[int | None]:
    """Line numbers (1-based) of each entry under ``steps:``, for error messages."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "steps" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _split_step_entry(entry: Any, index: int) -> dict[str, Any]:
    if isinstance(entry, str):
        return {"step": entry, "params": {}}
    if not isinstance(entry, dict) or "step" not in entry:
        raise RecipeError(f"steps[{index}]: each step is a mapping with a 'step' key, got {entry!r}")
    params = {k: v for k, v in entry.items() if k != "step"}
    return {"step": entry["step"], "params": params}


def parse_recipe(data: Any, source: str = "<recipe>", step_lines: list[int | None] | None = None) -> Recipe:
    """Validate already-loaded recipe data (a dict) into a :class:`Recipe`."""
    if not isinstance(data, dict):
        raise RecipeError(f"{source}: a recipe is a YAML mapping, got {type(data).__name__}")
    data = dict(data)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise RecipeError(f"{source}: 'steps' must be a non-empty list")
    lines = step_lines or []
    steps = []
    for i, entry in enumerate(raw_steps):
        spec = _split_step_entry(entry, i)
        spec["line"] = lines[i] if i < len(lines) else None
        steps.append(spec)
    data["steps"] = steps
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as exc:
        msgs = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                parent = _model_at(err["loc"][:-1])
                valid = ", ".join(parent.model_fields) if parent else ""
                msgs.append(f"unknown key '{loc}'" + (f" (valid: {valid})" if valid else ""))
            else:
                msgs.append(f"'{loc}': {err['msg']}")
        raise RecipeError(f"{source}: " + "; ".join(msgs)) from None
    recipe.source_path = source
    try:
        for spec in recipe.steps:
            spec.build()
    except UnknownStepError as exc:
        raise RecipeError(f"{source}: {exc}") from None
    except RecipeError as exc:
        raise RecipeError(f"{source}: {exc}") from None
    _check_partitions(recipe, source)
    return recipe


def _check_partitions(recipe: Recipe, source: str) -> None:
    """``output.partition_by`` may only name labels a step of the recipe writes (its
    ``partition_fields``: ``industry``, ``language``...; not a text, an address, a title or a score,
    which would make a folder per document)."""
    columns: set[str] = set()
    for spec in recipe.steps:
        columns |= set(get_step(spec.step).partition_fields)
    unknown = [c for c in recipe.output.partition_by if c not in columns]
    if unknown:
        labels = ", ".join(sorted(columns)) or "none (add the industry or language step)"
        raise RecipeError(
            f"{source}: output.partition_by names {unknown}, which no step of this recipe writes as a label; "
            f"labels it can split by: {labels}"
        )


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Recipe
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None or not (
            isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
        ):
            return None
        model = field.annotation
    return model


def load_recipe(path: str | Path) -> Recipe:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecipeError(f"cannot read recipe {path}: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RecipeError(f"{path}: not valid YAML: {exc}") from None
    return parse_recipe(data, str(path), _step_lines(text))
