"""jieba words per line, computed once per document text and shared by the steps that need them.

Segmentation is the costliest thing the filter chain does (rjieba, the Rust port of jieba, at
about 7 MB of text a second). The spam and quality steps both need the words of the same text;
the last text segmented in this process is remembered, so when the spam step leaves a document
unchanged, the quality step gets its words for free.
"""

from __future__ import annotations

import rjieba

_last_text: str | None = None
_last_lines: list[list[str]] = []


def line_words(text: str) -> list[list[str]]:
    """The jieba tokens of each line of ``text`` (``text.split("\\n")``), spaces and punctuation
    included, so that each line's tokens join back to the line exactly."""
    global _last_text, _last_lines
    if text is _last_text or text == _last_text:
        return _last_lines
    lines: list[list[str]] = [[]]
    for token in rjieba.cut(text):
        if token == "\n":
            lines.append([])
        elif "\n" in token:  # jieba emits newlines alone; this guards the contract, not a case seen
            first, *rest = token.split("\n")
            if first:
                lines[-1].append(first)
            for piece in rest:
                lines.append([piece] if piece else [])
        else:
            lines[-1].append(token)
    _last_text, _last_lines = text, lines
    return lines
