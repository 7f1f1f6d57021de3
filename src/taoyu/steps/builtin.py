"""Importing this module registers every built-in step."""

from taoyu.steps import (  # noqa: F401
    chrome_lines,
    exact_dedup,
    extract_html,
    html_to_text,
    industry,
    language,
    length,
    near_dedup,
    normalize,
    optout,
    page_body,
    quality,
    quality_model,
    redact_pii,
    repeated_lines,
    safety,
    spam,
)
