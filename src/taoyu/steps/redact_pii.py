"""The ``redact_pii`` step: find Chinese PII, replace it, and drop documents that are mostly PII.

Phone numbers an organisation or a public service publishes (a 教育局's 值班电话, a school's 传真,
a 服务热线: findings marked ``institutional``, see ``taoyu.pii.detect``) are public information, not
personal data: they never count towards the density that makes a page a personal-data dump, and
they are kept as written unless ``org_phones: redact``. The ledger counts them as ``org_phone``.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from typing import Literal

from pydantic import Field, field_validator

from taoyu.document import Document, Event
from taoyu.pii.detect import IPV4, PII_TYPES, find_pii, half_width
from taoyu.pii.redact import redact
from taoyu.registry import register
from taoyu.steps.base import Step, StepParams


class RedactPiiParams(StepParams):
    """How found personal data is replaced, which types are looked for, and whether a page dense in it
    is dropped as a personal-data dump; organisations' public numbers are kept by default."""

    mode: Literal["placeholder", "pseudonym", "drop_if_dense"] = "placeholder"
    """placeholder: <手机号>; pseudonym: <手机号1>, consistent within a document; drop_if_dense:
    placeholders, and drop documents whose PII density is above max_density."""
    max_density: float = Field(5.0, gt=0)
    """PII findings per 1,000 characters above which a document counts as a personal-data dump."""
    types: list[str] = Field(default_factory=lambda: list(PII_TYPES))
    """Which PII types to look for (an organisation's numbers are found with mobile and landline)."""
    org_phones: Literal["keep", "redact"] = "keep"
    """keep: an organisation's or public service's numbers (值班电话, 传真, 服务热线…) stay as
    written, public contact data that industry datasets need; redact: replace them like any
    number (<电话>, <手机号>). Either way they do not count towards max_density."""

    @field_validator("types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(PII_TYPES))
        if unknown:
            raise ValueError(f"unknown PII types {unknown}; valid: {', '.join(PII_TYPES)}")
        return value


@register("redact_pii")
class RedactPii(Step):
    """Redact ID numbers, phones, bank cards, emails, IPs, passports, QQ and WeChat IDs (Chinese-aware).

    Institutional phone numbers (counted as ``org_phone``) are kept by default and never count as
    personal data.
    """

    Params = RedactPiiParams
    params: RedactPiiParams

    def __init__(self, params: RedactPiiParams | None = None, /, **kwargs: object) -> None:
        super().__init__(params, **kwargs)
        self._types = frozenset(self.params.types)
        self._mode = "pseudonym" if self.params.mode == "pseudonym" else "placeholder"

    def process(self, doc: Document) -> Document:
        """Redact the page's personal data, or drop the page as a dump when dense. Private IPs and
        organisations' numbers do not count towards density: technical docs and notices are full of
        them. The ledger counts findings by type."""
        self._redact_credits(doc)
        findings = find_pii(doc.text, self._types)
        if not findings:
            return doc
        # Private and reserved addresses (192.168.0.1, 127.0.0.1, 10.0.1.5) are redacted like any
        # address but do not make a page a personal-data dump: technical documentation is full
        # of them, and counting them dropped 0.7% of clean TiDB docs. An organisation's numbers
        # are not personal data at all: a school notice listing five duty offices is no dump.
        personal = sum(
            not f.institutional and not (f.type == IPV4 and _non_global_ipv4(half_width(f.value)))
            for f in findings
        )
        density = 1000 * personal / max(len(doc.text), 1)
        counts = Counter(f.category for f in findings)
        details = {"pii": dict(sorted(counts.items())), "density_per_1k_chars": round(density, 3)}
        if self.params.mode == "drop_if_dense" and density > self.params.max_density:
            doc.trace.append(Event(self.name, "drop", "pii_dense", density, self.params.max_density, details))
            return doc  # a dropped dump is not worth redacting
        if self.params.org_phones == "keep":
            findings = [f for f in findings if not f.institutional]
        if not findings:  # only public numbers: nothing to edit, but the ledger still counts them
            doc.trace.append(Event(self.name, "keep", details=details))
            return doc
        doc.text, _ = redact(doc.text, findings, self._mode)
        doc.trace.append(Event(self.name, "edit", details=details))
        return doc

    def _redact_credits(self, doc: Document) -> None:
        """The credits extraction took out of the text (``meta["credits"]``: a byline, a source,
        for the content type) are page text too: redacted the same way, so none reaches the
        output unredacted."""
        credits = doc.meta.get("credits")
        if not isinstance(credits, list):
            return
        redacted = []
        for line in map(str, credits):
            found = find_pii(line, self._types)
            redacted.append(redact(line, found, self._mode)[0] if found else line)
        doc.meta["credits"] = redacted


def _non_global_ipv4(address: str) -> bool:
    try:
        return not ipaddress.IPv4Address(address).is_global
    except ValueError:
        return False
