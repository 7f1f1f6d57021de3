"""Markdown for an extracted subtree: headings, lists, tables, code blocks and emphasis kept.

LLM corpora increasingly want structure kept (MinerU-HTML and WebMainBench score Markdown), and
plain text loses what a heading, a table row or a code block was. The output is one block per
line, as in plain-text mode, except that a table or a code block spans several lines.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from taoyu.extract.text import join_segment_breaks

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "figure", "figcaption", "center", "dl", "dt", "dd",
    "address", "details", "summary", "form", "fieldset", "hr",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


def block_markdown(node: LexborNode) -> list[str]:
    """The subtree as Markdown blocks, in document order (empty blocks left out). A list chosen
    whole (a table of contents) is rendered as a list; any other node by its children: a table
    chosen whole is a page's layout, not a table of data."""
    blocks: list[str] = []
    if node.tag in ("ul", "ol"):
        _list(node, blocks, depth=0)
        return blocks
    buffer: list[str] = []
    _walk(node, buffer, blocks)
    _flush(buffer, blocks)
    return blocks


def _flush(buffer: list[str], blocks: list[str]) -> None:
    """The buffered inline text as blocks: one, or one a paragraph where a blank line of the
    source follows a sentence's end (:func:`taoyu.extract.text.join_segment_breaks`)."""
    joined = join_segment_breaks("".join(buffer))
    buffer.clear()
    for paragraph in joined.split("\n"):
        text = _SPACES.sub(" ", paragraph).strip()
        if text:
            blocks.append(text)


def _inline(node: LexborNode) -> str:
    buffer: list[str] = []
    blocks: list[str] = []
    _walk(node, buffer, blocks)
    _flush(buffer, blocks)
    return " ".join(blocks)


def _walk(node: LexborNode, buffer: list[str], blocks: list[str]) -> None:
    child = node.child
    while child is not None:
        _render(child, buffer, blocks)
        child = child.next


def _render(node: LexborNode, buffer: list[str], blocks: list[str]) -> None:
    tag = node.tag
    if tag == "-text":
        buffer.append(node.text_content or "")
    elif tag == "br":
        _flush(buffer, blocks)
    elif tag in _HEADINGS:
        _flush(buffer, blocks)
        text = _inline(node)
        if text:
            blocks.append(f"{'#' * _HEADINGS[tag]} {text}")
    elif tag in ("ul", "ol"):
        _flush(buffer, blocks)
        _list(node, blocks, depth=0)
    elif tag == "table":
        _flush(buffer, blocks)
        table = _table(node)
        if table:
            blocks.append(table)
    elif tag == "pre":
        _flush(buffer, blocks)
        code = (node.text(deep=True, separator="", strip=False) or "").strip("\n")
        if code.strip():
            blocks.append(f"```\n{code}\n```")
    elif tag == "blockquote":
        _flush(buffer, blocks)
        blocks.extend(f"> {line}" for line in block_markdown(node))
    elif tag in ("strong", "b"):
        text = _inline(node)
        buffer.append(f"**{text}**" if text else "")
    elif tag in ("em", "i"):
        text = _inline(node)
        buffer.append(f"*{text}*" if text else "")
    elif tag == "code":
        text = node.text(deep=True, strip=True)
        buffer.append(f"`{text}`" if text else "")
    elif tag in _BLOCK:
        _flush(buffer, blocks)
        _walk(node, buffer, blocks)
        _flush(buffer, blocks)
    elif tag not in ("img", "script", "style", "-comment"):
        _walk(node, buffer, blocks)  # inline: a, span, font, sub, sup…


def _list(node: LexborNode, blocks: list[str], depth: int) -> None:
    ordered = node.tag == "ol"
    number = 0
    item = node.child
    while item is not None:
        if item.tag == "li":
            number += 1
            buffer: list[str] = []
            parts: list[str] = []
            nested: list[LexborNode] = []
            child = item.child
            while child is not None:
                if child.tag in ("ul", "ol"):
                    nested.append(child)
                else:
                    _render(child, buffer, parts)
                child = child.next
            _flush(buffer, parts)
            text = " ".join(parts)  # block children of an item stay on its line
            if text:
                marker = f"{number}." if ordered else "-"
                blocks.append(f"{'  ' * depth}{marker} {text}")
            for sub in nested:
                _list(sub, blocks, depth + 1)
        elif item.tag in ("ul", "ol"):
            _list(item, blocks, depth + 1)
        item = item.next


def _table(node: LexborNode) -> str:
    rows = []
    for row in node.css("tr"):
        cells = [
            _SPACES.sub(" ", cell.text(deep=True, strip=True)).replace("|", "\\|")
            for cell in row.css("th, td")
        ]
        if any(cells):
            rows.append(cells)
    if not rows:
        return ""
    width = max(map(len, rows))
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)
