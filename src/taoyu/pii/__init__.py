"""Chinese PII detection and redaction."""

from taoyu.pii.detect import PII_TYPES, Finding, find_pii
from taoyu.pii.redact import PLACEHOLDERS, redact

__all__ = ["PII_TYPES", "PLACEHOLDERS", "Finding", "find_pii", "redact"]
