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
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import numpy as np

from taoyu.document import Document, meta_count
from taoyu.jit import kernel
from taoyu.registry import register
from taoyu.steps.base import StepParams, Transform
from taoyu.text.chars import codes

# Full-width digits and Latin letters only: U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A (each folds to
# the ASCII character 0xFEE0 below it).
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


class NormalizeParams(StepParams):
    """Which repairs to make, each switchable so a recipe can keep what its source needs (such as
    Traditional characters, kept unless asked)."""

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
        """Normalise the text, and add tag-residue and hidden-tag counts to ``meta``: hidden random tags
        mark parasite pages, and the spam step reports them."""
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
        """Add ``n`` changes of ``kind``, skipping zeros so the ledger lists only changes that happened."""
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
    if p.strip_invisible or p.fold_width or p.whitespace:
        text = _characters_and_spacing(text, p, count)
    if p.to_simplified and _HAN.search(text):
        converted = _t2s().convert(text)
        count("to_simplified", sum(a != b for a, b in zip(text, converted, strict=False)))
        text = converted
    return text, changes


_HAN = re.compile("[\u4e00-\u9fff]")


def _characters_and_spacing(text: str, p: NormalizeParams, count: Callable[[str, int], None]) -> str:
    """Invisible and control characters, full-width letters and digits, and whitespace, in one
    compiled pass (``_clean_kernel``); the text itself when nothing changed."""
    points = codes(text)
    out, n, removed_invisible, removed_control, folded, spacing = _clean_kernel(
        points, _char_kinds(), p.strip_invisible, p.fold_width, p.whitespace
    )
    count("invisible_removed", removed_invisible)
    count("control_removed", removed_control)
    count("width_folded", folded)
    count("whitespace_fixed", spacing)
    if not (removed_invisible or removed_control or folded or spacing):
        return text
    return out[:n].tobytes().decode("utf-32-le", "surrogatepass")


# What the compiled pass needs to know of a character (one byte per BMP code point).
_KIND_INVISIBLE, _KIND_CONTROL, _KIND_FULL_WIDTH, _KIND_ODD_SPACE, _KIND_NEWLINE_LIKE = 1, 2, 3, 4, 5


@cache
def _char_kinds() -> np.ndarray:
    kinds = np.zeros(0x10000, np.uint8)
    for pattern, kind in (
        (_INVISIBLE, _KIND_INVISIBLE),
        (_CONTROL, _KIND_CONTROL),
        (_FULL_WIDTH_ALNUM, _KIND_FULL_WIDTH),
        (_ODD_SPACES, _KIND_ODD_SPACE),
    ):
        kinds[[c for c in range(0x10000) if pattern.fullmatch(chr(c))]] = kind
    kinds[[0x2028, 0x2029]] = _KIND_NEWLINE_LIKE
    return kinds


@kernel
def _clean_kernel(
    points: np.ndarray, kinds: np.ndarray, strip_invisible: bool, fold_width: bool, whitespace: bool
) -> tuple[np.ndarray, int, int, int, int, int]:
    """The edits of ``normalize_text`` after tags and entities, in its order, as one stream.

    Each edit reads the output of the one before, so each is a small state machine fed by the
    previous: invisible and control characters go; full-width letters and digits fold; then, for
    whitespace, CR LF and CR become LF, U+2028/U+2029 become LF, odd spaces become a space, runs
    of spaces collapse, every line loses its leading and trailing spaces and U+3000, runs of
    three or more newlines become two, and the text loses leading and trailing newlines. Returns
    the output buffer, its length, and the counts (invisible, control, folded, whitespace changed).

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid.
    """
    out = np.empty(len(points), np.uint32)
    n = 0
    invisible = control = folded = 0
    changed = False
    after_cr = False  # the previous character was a CR (now a LF)
    last_was_space = False  # the space-run collapse: its previous output was a space
    line_has_text = False  # this line has emitted a character that is not stripped
    pending = 0  # spaces and U+3000 held back: trailing ones are stripped at the line's end
    newlines = 0  # newlines held back: runs are capped at two, leading and trailing ones dropped
    for c in points:
        kind = kinds[c] if c < 0x10000 else 0
        if strip_invisible and kind == _KIND_INVISIBLE:
            invisible += 1
            continue
        if strip_invisible and kind == _KIND_CONTROL:
            control += 1
            continue
        if fold_width and kind == _KIND_FULL_WIDTH:
            c -= 0xFEE0
            folded += 1
        if not whitespace:
            out[n] = c
            n += 1
            continue
        if c == 10 and after_cr:  # the LF of a CR LF
            after_cr = False
            changed = True
            continue
        after_cr = c == 13
        if c == 13 or kind == _KIND_NEWLINE_LIKE:
            c = 10
            changed = True
        elif kind == _KIND_ODD_SPACE:
            c = 32
            changed = True
        if c == 32:
            if last_was_space:
                changed = True  # a run of spaces collapses
                continue
            last_was_space = True
        else:
            last_was_space = False
        if c == 10:
            if pending:
                changed = True  # trailing spaces of the line
                pending = 0
            newlines += 1
            line_has_text = False
            continue
        if c == 32 or c == 0x3000:
            if not line_has_text:
                changed = True  # leading spaces of the line
            else:
                out[n + pending] = c
                pending += 1
            continue
        if newlines:
            if n == 0:
                changed = True  # leading newlines of the text
            else:
                if newlines > 2:
                    changed = True
                for _ in range(min(newlines, 2)):
                    out[n] = 10
                    n += 1
            newlines = 0
        if pending:
            n += pending  # interior spaces: they were written in place
            pending = 0
        line_has_text = True
        out[n] = c
        n += 1
    if pending or newlines:
        changed = True  # trailing spaces and newlines of the text
    return out, n, invisible, control, folded, int(changed)


@cache
def _t2s() -> Any:
    """One OpenCC converter per process: building it loads its dictionaries (~20 ms)."""
    import opencc

    return opencc.OpenCC("t2s")
