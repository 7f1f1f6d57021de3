"""Chinese-correct text normalisation.

NFKC is wrong for Chinese corpora: it turns the full-width punctuation that Chinese text is
written with (，。：；！？（）) into ASCII, and Data-Juicer's punctuation normaliser does the same.
This step folds only what is genuinely a width variant (full-width Latin letters and digits),
keeps Chinese punctuation as it is, and repairs what crawling breaks: zero-width and control
characters, HTML entities and tag residue left in extracted text, and ragged whitespace.
Each kind of change is counted on the document, and tag residue is kept in metadata because
hidden random tags are a spam signal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from taoyu.document import Document, meta_count
from taoyu.registry import register
from taoyu.steps.base import StepParams, Transform

# Full-width digits and Latin letters only: U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A.
_WIDTH_FOLD = {
    c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)
}
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# Zero-width space, direction marks and overrides, word joiners, BOM, soft hyphen. The zero-width
# (non-)joiners U+200C/U+200D stay: emoji sequences and some scripts need them.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")
# Lone surrogates are not characters (no UTF-8 encoder accepts them; the segmenter raises on them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f]")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,7}|#x[0-9a-fA-F]{2,6});")
# Real HTML tag names only, so "a<b and c>d" in technical text is left alone.
_TAG_NAMES = (
    "a|abbr|acronym|address|area|b|bdo|big|blockquote|br|button|center|cite|code|dd|del|dfn|dir|div|dl|"
    "dt|em|font|h[1-6]|hr|i|iframe|img|input|ins|kbd|label|legend|li|link|map|mark|meta|nobr|noframes|"
    "ol|p|pre|q|s|script|section|article|small|span|strike|strong|style|sub|sup|table|tbody|td|th|thead|"
    "time|tr|tt|u|ul|var|wbr"
)
# Attributes, when present, must contain "=": "<b and c>" in a formula is not a tag.
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s+[^<>\n=]{{0,50}}=[^<>\n]{{0,200}})?\s*/?>", re.IGNORECASE)
# Parasite-page generators sprinkle empty inline elements with random attribute values
# (<kbd date-time="BUeEFQ"></kbd>) to make each copy of a page hash differently. Real markup
# residue (</p>, <br/>) is not a spam signal; these are, so they are counted apart.
_RANDOM_TAG = re.compile(
    r"<(kbd|del|ins|b|i|u|s|em|font|span|strong|small|big|sub|sup|tt|dfn|var|abbr|cite|code|q|time|"
    r"map|bdo|address|area|acronym|label|legend|noframes|dir|center|strike)\s+[a-zA-Z-]{1,20}="
    r"[\"']?[A-Za-z0-9_]{3,16}[\"']?\s*>\s*</\1\s*>",
    re.IGNORECASE,
)
_SPACE_RUN = re.compile(" {2,}")
_BLANK_RUN = re.compile("\n{3,}")


class NormalizeParams(StepParams):
    fold_width: bool = True
    """Full-width Latin letters and digits to ASCII (Chinese punctuation is never touched)."""
    strip_invisible: bool = True
    """Zero-width characters, bidi controls, soft hyphens and C0/C1 control characters."""
    unescape_entities: bool = True
    """HTML entities left in text (&nbsp; &amp; &#20013;) to characters."""
    strip_tag_residue: bool = True
    """Leftover tags such as <kbd date-time=…>, </p> or <br/>; counted in meta['tag_residue']."""
    whitespace: bool = True
    """Line breaks to \\n, odd spaces to ' ', runs collapsed, indentation and trailing spaces dropped."""
    to_simplified: bool = False
    """Convert Traditional to Simplified Chinese (OpenCC t2s). Off by default: the original is kept
    and the script is recorded by the language step (meta['script'] = Hans/Hant)."""


@register("normalize")
class Normalize(Transform):
    """Fold full-width letters/digits, keep Chinese punctuation; repair invisibles, entities, tags, spaces."""

    Params = NormalizeParams
    params: NormalizeParams

    def edit(self, doc: Document) -> tuple[str, Mapping[str, Any]]:
        text, changes = normalize_text(doc.text, self.params)
        if changes.get("tags_removed"):
            doc.meta["tag_residue"] = meta_count(doc.meta, "tag_residue") + changes["tags_removed"]
        if changes.get("random_tags"):
            doc.meta["hidden_tags"] = meta_count(doc.meta, "hidden_tags") + changes["random_tags"]
        return text, changes


def count_random_tags(html: str) -> int:
    """Empty inline elements with random attribute values: parasite generators' per-copy salt."""
    return len(_RANDOM_TAG.findall(html)) if "<" in html else 0


def normalize_text(text: str, p: NormalizeParams | None = None) -> tuple[str, dict[str, int]]:
    """Normalised text and a count per kind of change (kinds that changed nothing are left out)."""
    p = p or NormalizeParams()
    changes: dict[str, int] = {}

    def count(kind: str, n: int) -> None:
        if n:
            changes[kind] = changes.get(kind, 0) + n

    # Tags before entities: "&lt;p&gt;" in text is the visible string "<p>", not residue.
    if p.strip_tag_residue and "<" in text:
        count("random_tags", len(_RANDOM_TAG.findall(text)))
        text, n = _TAG.subn("", text)
        count("tags_removed", n)
    if p.unescape_entities and "&" in text:
        # Only well-formed entities: html.unescape on the whole text would also turn the
        # "&copy=3" of a query string into "©=3".
        text, n = _ENTITY.subn(lambda m: html.unescape(m.group()), text)
        count("entities_unescaped", n)
    if p.strip_invisible:
        text, n = _INVISIBLE.subn("", text)
        count("invisible_removed", n)
        text, n = _CONTROL.subn("", text)
        count("control_removed", n)
    if p.fold_width and _FULL_WIDTH_ALNUM.search(text):
        n = len(_FULL_WIDTH_ALNUM.findall(text))
        text = text.translate(_WIDTH_FOLD)
        count("width_folded", n)
    if p.whitespace:
        before = text
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
        text = _SPACE_RUN.sub(" ", _ODD_SPACES.sub(" ", text))  # runs of spaces never span lines
        lines = [line.strip(" \u3000") for line in text.split("\n")]
        text = _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
        if text != before:
            count("whitespace_fixed", 1)
    if p.to_simplified and _HAN.search(text):
        converted = _t2s().convert(text)
        count("to_simplified", sum(a != b for a, b in zip(text, converted, strict=False)))
        text = converted
    return text, changes


_HAN = re.compile("[\u4e00-\u9fff]")


@cache
def _t2s() -> Any:
    """One OpenCC converter per process: building it loads its dictionaries (~20 ms)."""
    import opencc

    return opencc.OpenCC("t2s")
