"""Characters as code points, for compiled loops: what Python's ``str`` methods call whitespace.

``str.split()``, ``str.strip()`` and ``str.isspace()`` agree on whitespace, and the loops that
measure and render a page must agree with them exactly. A lookup table of the BMP would do it,
but its 64 KB leave the CPU's caches between pages (the benchmark runs other extractors in
between), and a few comparisons do not: Chinese text fails the first one.
"""

from __future__ import annotations

from taoyu.jit import kernel

SENTENCE_MARKS = "，。！？；：、,.!?;:"


@kernel
def is_space(code):  # type: ignore[no-untyped-def]
    """``chr(code).isspace()``."""
    if code > 0x3000:
        return False
    if code <= 32:
        return 9 <= code <= 13 or 28 <= code <= 32
    if code < 0x1680:
        return code == 0x85 or code == 0xA0
    if code < 0x2000:
        return code == 0x1680
    if code <= 0x200A:
        return True
    return code == 0x2028 or code == 0x2029 or code == 0x202F or code == 0x205F or code == 0x3000


@kernel
def is_wide(code):  # type: ignore[no-untyped-def]
    """Whether the character is written in the wide, space-free way of Chinese and Japanese: Han
    (with its radicals, compatibility and supplementary planes), kana, CJK punctuation and the
    full-width forms; not Hangul, which Korean spaces. Two such characters on either side of a
    line break in the page's source join without a space, as CSS's segment-break rule joins them
    (``统治了这⏎里`` is ``统治了这里``, ``FreeCell⏎Quest`` is ``FreeCell Quest``)."""
    if code < 0x2E80:
        return False
    if code <= 0x9FFF:
        return not (0x3130 <= code <= 0x318F)  # Hangul compatibility jamo
    if code < 0xF900:
        return False
    if code <= 0xFAFF:
        return True
    if code < 0xFE30:
        return False
    if code <= 0xFE4F:
        return True
    if code < 0xFF00:
        return False
    if code <= 0xFF60:
        return True
    if code < 0xFFE0:
        return False
    if code <= 0xFFE6:
        return True
    return 0x20000 <= code <= 0x3FFFF


PARAGRAPH_ENDS = "。！？.!?…」』”"


@kernel
def is_paragraph_end(code):  # type: ignore[no-untyped-def]
    """Whether the character is one of :data:`PARAGRAPH_ENDS`: what a sentence, and so a
    paragraph, ends with. A blank line in the page's source after one of these ends a line (see
    :func:`taoyu.extract.measure._rendered`)."""
    if code < 0x80:
        return code == 46 or code == 33 or code == 63
    return (
        code == 0x3002 or code == 0xFF01 or code == 0xFF1F or code == 0x2026 or code == 0x300D
        or code == 0x300F or code == 0x201D
    )  # fmt: skip


@kernel
def is_sentence_mark(code):  # type: ignore[no-untyped-def]
    """Whether the character is one of :data:`SENTENCE_MARKS`."""
    if code < 0x80:
        return code == 44 or code == 46 or code == 33 or code == 63 or code == 59 or code == 58
    return (
        code == 0xFF0C or code == 0x3002 or code == 0xFF01 or code == 0xFF1F or code == 0xFF1B
        or code == 0xFF1A or code == 0x3001
    )  # fmt: skip
