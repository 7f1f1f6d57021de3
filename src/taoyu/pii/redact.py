"""Replacing PII findings in text: typed placeholders, or pseudonyms consistent within a document."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from taoyu.pii.detect import Finding, half_width

PLACEHOLDERS = {
    "id_card": "身份证号",
    "mobile": "手机号",
    "landline": "电话",
    "bank_card": "银行卡号",
    "email": "邮箱",
    "ipv4": "IP",
    "ipv6": "IP",
    "passport": "护照号",
    "hk_macau_permit": "通行证号",
    "qq": "QQ号",
    "wechat": "微信号",
}

Mode = Literal["placeholder", "pseudonym"]


def redact(text: str, findings: list[Finding], mode: Mode = "placeholder") -> tuple[str, Counter[str]]:
    """Return the redacted text and counts per type (never the values).

    Every finding given is replaced, institutional numbers included (as ``<电话>``/``<手机号>``)
    and counted as ``org_phone``: callers that keep them (``redact_pii`` by default) leave them out.

    ``pseudonym`` numbers each distinct value per type in order of first appearance, so a reader
    (or a model) can still tell that two mentions are the same person: ``<手机号1>`` ... ``<手机号1>``.
    """
    counts: Counter[str] = Counter()
    numbering: dict[tuple[str, str], int] = {}
    per_type: Counter[str] = Counter()
    parts = []
    last = 0
    for f in findings:
        counts[f.category] += 1
        label = PLACEHOLDERS[f.type]
        if mode == "pseudonym":
            key = (f.type, _canonical(f.value))
            if key not in numbering:
                per_type[f.type] += 1
                numbering[key] = per_type[f.type]
            label = f"{label}{numbering[key]}"
        parts.append(text[last : f.start])
        parts.append(f"<{label}>")
        last = f.end
    parts.append(text[last:])
    return "".join(parts), counts


def _canonical(value: str) -> str:
    """The same number written with or without spaces, dashes or +86 is the same value."""
    digits = "".join(ch for ch in half_width(value) if ch.isalnum()).upper()
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits
