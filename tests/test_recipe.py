"""Recipe validation: every mistake is a clear error naming the place and the valid choices."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from taoyu import catalog, registry
from taoyu.recipe import RecipeError, load_recipe, parse_recipe

REPO = Path(__file__).resolve().parents[1]


def _load(tmp_path: Path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return load_recipe(path)


def test_shipped_recipe_is_valid():
    recipe = load_recipe(REPO / "recipes" / "zh-web.yaml")
    assert [s.step for s in recipe.steps[:2]] == ["optout", "extract_html"]
    assert recipe.output.path == "out/zh-web"


def test_unknown_step_lists_valid_names_and_suggests(tmp_path: Path):
    with pytest.raises(RecipeError) as exc:
        _load(tmp_path, "steps:\n  - step: lenght_filter\n")
    msg = str(exc.value)
    assert "unknown step 'lenght_filter'" in msg
    assert "Did you mean 'length_filter'" in msg
    assert "exact_dedup" in msg and "html_to_text" in msg
    assert "r.yaml" in msg


def test_unknown_parameter_names_line_and_valid_parameters(tmp_path: Path):
    with pytest.raises(RecipeError) as exc:
        _load(tmp_path, "name: x\nsteps:\n  - step: html_to_text\n  - step: length_filter\n    min_char: 3\n")
    msg = str(exc.value)
    assert "unknown parameter 'min_char'" in msg
    assert "line 4" in msg
    assert "min_chars" in msg and "max_chars" in msg


def test_wrong_parameter_type(tmp_path: Path):
    with pytest.raises(RecipeError, match="parameter 'min_chars'"):
        _load(tmp_path, "steps:\n  - step: length_filter\n    min_chars: many\n")


def test_unknown_top_level_and_nested_keys(tmp_path: Path):
    with pytest.raises(RecipeError, match="unknown key 'outptu'"):
        _load(tmp_path, "outptu: {path: x}\nsteps: [html_to_text]\n")
    with pytest.raises(RecipeError, match=r"unknown key 'output\.fromat'.*valid: path, format"):
        _load(tmp_path, "output: {fromat: jsonl}\nsteps: [html_to_text]\n")


def test_invalid_values_and_shapes(tmp_path: Path):
    with pytest.raises(RecipeError, match=r"'output\.format'"):
        _load(tmp_path, "output: {format: csv}\nsteps: [html_to_text]\n")
    with pytest.raises(RecipeError, match="non-empty list"):
        _load(tmp_path, "name: x\n")
    with pytest.raises(RecipeError, match="'step' key"):
        _load(tmp_path, "steps:\n  - {min_chars: 3}\n")
    with pytest.raises(RecipeError, match="not valid YAML"):
        _load(tmp_path, "steps: [\n")
    with pytest.raises(RecipeError, match="cannot read recipe"):
        load_recipe(tmp_path / "missing.yaml")


def test_digest_ignores_how_a_run_is_spread_but_not_what_it_computes():
    base = {"steps": [{"step": "length_filter", "min_chars": 5}]}
    a = parse_recipe({**base, "run": {"workers": 1}})
    b = parse_recipe({**base, "run": {"workers": 8, "strict": True}})
    c = parse_recipe({"steps": [{"step": "length_filter", "min_chars": 6}]})
    assert a.digest() == b.digest() != c.digest()


def test_entry_point_plugin_registers_a_step(plugin_path: Path, monkeypatch):
    monkeypatch.syspath_prepend(str(plugin_path))
    monkeypatch.setattr(catalog, "_plugins_loaded", False)
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    try:
        cls = catalog.get_step("slow")
        assert cls.__name__ == "SlowStep" and cls.name == "slow"
        recipe = parse_recipe({"steps": [{"step": "slow", "seconds": 0}]})
        assert recipe.build_steps()[0].params.seconds == 0
    finally:
        sys.modules.pop("taoyu_testplugin", None)
