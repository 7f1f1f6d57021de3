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


def test_the_builtin_table_names_every_step_module_by_its_registered_name():
    """The lazy catalog imports a built-in step's module from a table: each entry must register that
    name, and every step module in taoyu/steps must be in the table (else its step is unknown)."""
    import ast
    import importlib

    from taoyu.steps.builtin import BUILTIN_STEPS

    steps_dir = Path(catalog.__file__).parent / "steps"
    declared = {}
    for path in sorted(steps_dir.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register" and node.args:
                declared[node.args[0].value] = f"taoyu.steps.{path.stem}"
    assert declared == BUILTIN_STEPS
    for name, module in BUILTIN_STEPS.items():
        importlib.import_module(module)
        assert registry.registered()[name].__module__ == module


def test_a_recipe_imports_only_the_steps_it_names():
    """A dedup-only run's workers do not load the extraction, language and safety steps."""
    import subprocess

    code = (
        "import sys; from taoyu.recipe import parse_recipe;"
        "r = parse_recipe({'name': 'x', 'inputs': [], 'output': {'path': 'o'},"
        " 'steps': [{'step': 'near_dedup'}]});"
        "r.build_steps(); print(sorted(m for m in sys.modules if m.startswith('taoyu.steps.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "taoyu.steps.near_dedup" in out
    assert "taoyu.steps.extract_html" not in out and "taoyu.steps.safety" not in out


def test_a_plugin_cannot_take_a_builtin_name_whatever_the_lookup_order(monkeypatch):
    """Built-in steps are imported lazily, so a plugin declaring ``length_filter`` is loaded before
    that module may be: the built-in must still win, as when every built-in was imported first."""
    import subprocess

    code = (
        "import taoyu.catalog as c\n"
        "from taoyu.steps.base import Transform\n"
        "class Impostor(Transform):\n"
        "    pass\n"
        "class EP:\n"
        "    name, value = 'length_filter', 'x:Impostor'\n"
        "    def load(self):\n"
        "        return Impostor\n"
        "c.entry_points = lambda group: [EP()]\n"
        "c.get_step('normalize')\n"
        "print(c.get_step('length_filter').__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "taoyu.steps.length"
