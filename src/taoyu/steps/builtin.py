"""The built-in steps: each recipe name and the module that defines it.

A table, not imports: a worker imports only the steps its recipe names, so a dedup-only run does
not load the extraction tables, lexicons and models of the others (about 130 MB per process).
``tests/test_recipe.py`` checks the table against the modules' own ``@register`` names.
"""

BUILTIN_STEPS: dict[str, str] = {
    "chrome_lines": "taoyu.steps.chrome_lines",
    "exact_dedup": "taoyu.steps.exact_dedup",
    "extract_html": "taoyu.steps.extract_html",
    "html_to_text": "taoyu.steps.html_to_text",
    "industry": "taoyu.steps.industry",
    "language": "taoyu.steps.language",
    "length_filter": "taoyu.steps.length",
    "near_dedup": "taoyu.steps.near_dedup",
    "normalize": "taoyu.steps.normalize",
    "optout": "taoyu.steps.optout",
    "page_body": "taoyu.steps.page_body",
    "quality": "taoyu.steps.quality",
    "quality_model": "taoyu.steps.quality_model",
    "redact_pii": "taoyu.steps.redact_pii",
    "repeated_lines": "taoyu.steps.repeated_lines",
    "safety": "taoyu.steps.safety",
    "spam": "taoyu.steps.spam",
}
