"""Offline language identification (pycld2) that tells Simplified from Traditional Chinese.

On 4,600 test texts pycld2 (a compiled-in model, ~100k docs/s) was the only detector that separates
``zh`` from ``zh-Hant``. Two Chinese-specific corrections on top of it:

* short Han-only text (titles, list items) is sometimes called Japanese; without a single kana
  character it cannot be Japanese, so it is Chinese;
* text cld2 cannot call but that is mostly Han is Chinese, with low confidence.

The language, script (Hans/Hant for Chinese) and confidence go into metadata whether or not the
document is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import pyarrow as pa
import pycld2
from pydantic import Field

from taoyu.document import Document
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict

_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAMPLE_CHARS = 4000


def identify(text: str) -> tuple[str, float]:
    """(language code, confidence 0-1) for ``text``; "un" when there is nothing to go on."""
    code, confidence, _ = identify_with_shares(text)
    return code, confidence


def identify_with_shares(text: str) -> tuple[str, float, dict[str, float]]:
    """The language, its confidence, and each detected language's share of the text (0-1).

    Shares matter for mixed text: a Chinese technical page full of SQL and option names is
    "English 55%, Chinese 42%" to cld2, and unreliable, yet its prose is Chinese.
    """
    sample = text[:_SAMPLE_CHARS]
    try:
        reliable, _, details = pycld2.detect(sample.encode("utf-8", "ignore"), isPlainText=True)
    except pycld2.error:
        reliable, details = False, (("Unknown", "un", 0, 0.0),)
    shares: dict[str, float] = {}
    for _, lang, percent, _ in details:
        if lang != "un" and percent:
            shares[lang] = shares.get(lang, 0.0) + percent / 100
    code, percent = details[0][1], details[0][2]
    confidence = percent / 100 * (1.0 if reliable else 0.5)
    # Han characters are only counted when cld2's answer needs a second look (most pages: never).
    if code == "ja" and not _KANA.search(sample) and _HAN.search(sample):
        code = "zh"  # no kana, no Japanese
        shares["zh"] = shares.pop("ja", 0.0) + shares.get("zh", 0.0)
    if code == "un" and len(_HAN.findall(sample)) >= max(0.3 * max(len(sample.strip()), 1), 1):
        code, confidence = "zh", 0.5
        shares["zh"] = max(shares.get("zh", 0.0), 0.5)
    return code, round(confidence, 3), {k: round(v, 3) for k, v in shares.items()}


class LanguageParams(StepParams):
    """Which languages to keep and how sure detection must be; ``min_share`` also keeps mixed pages whose
    single label would be wrong (Chinese prose full of English code)."""

    keep: list[str] = Field(default_factory=lambda: ["zh"])
    """Languages to keep; "zh" keeps Simplified and Traditional ("zh-Hant" keeps only Traditional)."""
    min_confidence: float = Field(0.5, ge=0, le=1)
    """Confidence in the detected language below which a document is uncertain (and dropped)."""
    min_share: float = Field(1.0, ge=0, le=1)
    """Also keep a document when the kept languages make up at least this share of it, whatever
    its main language and confidence (1.0: off). Chinese technical pages mix English identifiers
    and code into Chinese prose; zh-web keeps pages at least 30% Chinese."""


@register("language")
class Language(Filter):
    """Identify the language offline (pycld2: zh vs zh-Hant), record script and confidence, keep by recipe."""

    Params = LanguageParams
    params: LanguageParams
    partition_fields: ClassVar[frozenset[str]] = frozenset({"language", "script"})
    output_fields: ClassVar[dict[str, pa.DataType]] = {
        "language": pa.string(),
        "script": pa.string(),
        "language_confidence": pa.float64(),
    }

    def score(self, doc: Document) -> Mapping[str, Any]:
        """The detected language, its confidence and the share of the text in kept languages; also records
        language, script and shares in ``meta``, as the dataset's label columns."""
        code, confidence, shares = identify_with_shares(doc.text)
        doc.meta["language"] = "zh" if code == "zh-Hant" else code
        if code in ("zh", "zh-Hant"):
            doc.meta["script"] = "Hant" if code == "zh-Hant" else "Hans"
        elif "zh" in shares or "zh-Hant" in shares:  # mixed text: the script of its Chinese part
            doc.meta["script"] = "Hant" if shares.get("zh-Hant", 0) > shares.get("zh", 0) else "Hans"
        if len(shares) > 1:
            doc.meta["language_shares"] = shares
        doc.meta["language_confidence"] = confidence
        kept_share = round(sum(v for k, v in shares.items() if self._wanted(k)), 3)
        # The label travels with the number, so decide() needs nothing but the scores.
        scores: dict[str, Any] = {"confidence": confidence, "language": code, "kept_share": kept_share}
        if code == "un" and not any(char.isalnum() for char in doc.text):
            scores["no_text"] = 1.0  # extraction left no word to identify (a login form, an app shell)
        return scores

    def _wanted(self, code: str) -> bool:
        return code in self.params.keep or (code == "zh-Hant" and "zh" in self.params.keep)

    def decide(self, scores: Mapping[str, Any]) -> Verdict:
        """Keep a wanted language detected confidently, or a page mostly in kept languages (a mixed page's
        single label undersells it). A drop's reason tells a text with no word in it (``no_text``:
        what a reader of the ledger should hear about an empty extraction, not "language: unknown")
        from another language, and both from a wanted one detected too unsurely to trust."""
        p = self.params
        code, confidence = scores["language"], scores["confidence"]
        wanted = self._wanted(code)
        if wanted and confidence >= p.min_confidence:
            return Verdict.ok(confidence, p.min_confidence)
        if scores.get("kept_share", 0.0) >= p.min_share:
            return Verdict.ok(scores["kept_share"], p.min_share)
        if scores.get("no_text"):
            return Verdict.drop("no_text", confidence, p.min_confidence)
        if not wanted:
            return Verdict.drop(f"language:{code}", confidence, p.min_confidence)
        return Verdict.drop("language_uncertain", confidence, p.min_confidence)
