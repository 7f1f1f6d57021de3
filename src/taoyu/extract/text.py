"""Visible text of an HTML subtree, one line per block: shared by every step that turns HTML to text.

A line break in the page's source is whitespace, as a browser renders it, not the end of a line:
pages written by hand or by templates wrap long paragraphs in their source, and a line per source
line would cut sentences, and words, in two. Between two wide characters (Han, kana, CJK
punctuation) such a break joins them without a space (CSS's segment-break rule): ``统治了这⏎里``
is ``统治了这里``. Only preformatted text (``<pre>`` and its obsolete kin) keeps its source lines.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from taoyu.extract.chars import PARAGRAPH_ENDS, is_wide

LINE_BREAKS = (
    "p, div, br, li, ul, ol, dl, dt, dd, tr, table, section, article, header, main, aside, blockquote, pre, "
    "h1, h2, h3, h4, h5, h6, hr, figure, figcaption, td, th"
)
PREFORMATTED = ("pre", "listing", "xmp", "plaintext")
"""Elements whose source line breaks are line breaks."""

_LINE_ENDS = tuple(map(chr, range(0xFDD0, 0xFDF0)))
"""Noncharacters, to stand for a line's end in the text: the first one the page does not hold."""
_SEGMENT_BREAK = re.compile(r"(?<=(\S))\s*\n\s*(?=(\S))")


def join_segment_breaks(text: str) -> str:
    """``text`` with each run of whitespace that holds a line break, between two wide characters
    (:func:`taoyu.extract.chars.is_wide`), taken out; other whitespace is left for the caller to
    collapse. A run that holds a blank line after a sentence's end (:data:`PARAGRAPH_ENDS`) is a
    newline, which the caller keeps as the end of a line (as :func:`taoyu.extract.measure.
    _rendered` does)."""
    if "\n" not in text:
        return text
    return _SEGMENT_BREAK.sub(_joined, text)


def _joined(match: re.Match[str]) -> str:
    before = match.group(1)
    if before in PARAGRAPH_ENDS and match.group(0).count("\n") >= 2:
        return "\n"
    return "" if is_wide(ord(before)) and is_wide(ord(match.group(2))) else " "


def block_lines(node: LexborNode) -> list[str]:
    """Blocks become line breaks; inline markup (links, bold) stays inside its line; spaces collapse,
    and a line break of the source is a space (none between two wide characters) outside
    preformatted text.

    It edits the tree (inserts line-end text nodes, and turns preformatted elements to their
    text), so call it once, on a tree you own.
    """
    source = node.text(separator="") or ""
    end = next((mark for mark in _LINE_ENDS if mark not in source), _LINE_ENDS[-1])
    for block in node.css(LINE_BREAKS):
        block.insert_before(end)
        block.insert_after(end)
    if node.tag in PREFORMATTED:
        text = (node.text(separator="") or "").replace("\n", end)
    else:
        for pre in node.css(", ".join(PREFORMATTED)):
            if not _inside_preformatted(pre, node):
                pre.replace_with((pre.text(separator="") or "").replace("\n", end))
        text = node.text(separator="")
    pieces = (piece for line in text.split(end) for piece in join_segment_breaks(line).split("\n"))
    lines = (" ".join(piece.split()) for piece in pieces)
    return [line for line in lines if line]


def _inside_preformatted(element: LexborNode, root: LexborNode) -> bool:
    """Whether a preformatted element below ``root`` holds ``element`` (it is rendered with it)."""
    holder = element.parent
    while holder is not None and holder.mem_id != root.mem_id:
        if holder.tag in PREFORMATTED:
            return True
        holder = holder.parent
    return False
