"""Importing this module registers every built-in step."""

from taoyu.steps import exact_dedup, html_to_text, length, near_dedup, redact_pii, repeated_lines  # noqa: F401
