"""Chinese PII detection and redaction."""

from taoyu.pii.detect import ORG_PHONE, PII_TYPES, Finding, find_pii
from taoyu.pii.redact import PLACEHOLDERS, redact

__all__ = ["ORG_PHONE", "PII_TYPES", "PLACEHOLDERS", "Finding", "find_pii", "redact"]
