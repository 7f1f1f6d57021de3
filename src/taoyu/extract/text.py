"""Visible text of an HTML subtree, one line per block: shared by every step that turns HTML to text."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

LINE_BREAKS = (
    "p, div, br, li, ul, ol, dl, dt, dd, tr, table, section, article, header, main, aside, blockquote, pre, "
    "h1, h2, h3, h4, h5, h6, hr, figure, figcaption, td, th"
)


def block_lines(node: LexborNode) -> list[str]:
    """Blocks become line breaks; inline markup (links, bold) stays inside its line; spaces collapse.

    It edits the tree (inserts line-break text nodes), so call it once, on a tree you own.
    """
    for block in node.css(LINE_BREAKS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (" ".join(line.split()) for line in node.text(separator="").split("\n"))
    return [line for line in lines if line]
