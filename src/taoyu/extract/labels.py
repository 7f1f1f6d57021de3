"""Case-insensitive patterns over class names, ids and URLs, fast on the ASCII they almost are.

Python's ``re.IGNORECASE`` folds the case of every character it compares, which made matching a
page's class and id labels against the chrome vocabulary four times slower than matching the
lower-cased label case-sensitively (13.5 against 3.4 µs a label). For ASCII text the two are the
same; anything else (a label with a Kelvin sign or a dotted İ, which case-fold onto ASCII letters)
takes the ``IGNORECASE`` pattern, so the answer never changes.

A pattern of many words (the chrome vocabulary has sixty) is slow in ``re`` however it is cased:
at every position of the label it tries each word that starts with the letter found there. So the
ASCII pattern has the words' common prefixes factored into a trie (``comment|copyright`` becomes
``co(?:mment|pyright)``), and ``re`` walks one branch a letter: 2.4 → 1.1 µs a label. Only
whether a label matches is asked, which the factoring does not change.
"""

from __future__ import annotations

import re


class LabelPattern:
    """A pattern written in lower case, matched ignoring case."""

    def __init__(self, pattern: str) -> None:
        if pattern != pattern.lower():
            raise ValueError(f"write label patterns in lower case: {pattern!r}")
        self._ascii = re.compile(_factored(pattern))
        self._unicode = re.compile(pattern, re.IGNORECASE)
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        if text.isascii():
            return self._ascii.search(text.lower())
        return self._unicode.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        if text.isascii():
            return self._ascii.match(text.lower())
        return self._unicode.match(text)


_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


def _factored(pattern: str) -> str:
    """``pattern`` with its alternatives' literal prefixes merged into a trie, when each of them
    starts with one (``\\bad`` counts: it becomes ``a(?<!\\wa)d``, the same test of the letter
    before); otherwise the pattern as it is."""
    items = []
    for alternative in _alternatives(pattern):
        if alternative.startswith("\\b") and alternative[2:3] in _LITERAL:
            first = alternative[2]
            alternative = f"{first}(?<!\\w{re.escape(first)}){alternative[3:]}"
        literal = 0
        while (
            literal < len(alternative)
            and alternative[literal] in _LITERAL
            and alternative[literal + 1 : literal + 2] not in ("?", "*", "+", "{")
        ):
            literal += 1
        if not literal:
            return pattern
        items.append((alternative[:literal], alternative[literal:]))
    return _trie(items)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (not those inside groups or classes)."""
    out, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _trie(items: list[tuple[str, str]]) -> str:
    root: dict = {}
    for literal, tail in items:
        node = root
        for char in literal:
            node = node.setdefault(char, {})
        node.setdefault("", []).append(tail)
    return _branches(root)


def _branches(node: dict) -> str:
    tails = node.get("", [])
    if "" in tails:  # a word ends here: whatever follows it, the label matches
        return ""
    branches = [f"(?:{'|'.join(tails)})"] if tails else []
    branches += [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
