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

import numpy as np

from taoyu.jit import kernel


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


class LabelVocabulary:
    """Label patterns matched together in compiled code, over many labels in one call.

    A page has hundreds of class/id labels, most of them new to the process (ids are numbered,
    class names vary by site), and ``re`` scans each one once per pattern (~35 ns a character:
    0.2 ms a page). The patterns here are words with a few regex decorations, so they compile
    to a trie walked from every position of the label: a few nanoseconds a character. Only what
    that trie can state is accepted (a word of ``[a-z0-9_-]``, an optional letter ``s?``, ``\\b``
    before or after a word character, one negative lookahead of literal letters); anything else is
    an error when the vocabulary is built, so the patterns and the trie cannot drift apart. A label
    with a non-ASCII character is left to the patterns themselves (``needs_regex``).

    ``innocent`` words are the English words that hold a pattern's word without meaning it: "hot"
    in ``photo`` and ``hotel``, "share" in ``publishArea``, "login" in ``catalogIndex``, "ads" in
    ``threads``. A match with an edge strictly inside an occurrence of an innocent word is void
    (``photo-share`` still shares: the match does not cut the word)."""

    def __init__(self, patterns: list[tuple[LabelPattern, int]], innocent: tuple[str, ...] = ()) -> None:
        self.patterns = patterns
        self.innocent = innocent
        entries: list[tuple[str, int, bool, bool, str]] = []
        for pattern, bit in patterns:
            for alternative in _alternatives(pattern.pattern):
                entries += [(word, bit, *rest) for word, *rest in _variants(alternative)]
        for word in innocent:  # bit 0: a word that only voids the matches it cuts
            if not word or any(char not in _WORD_ALPHABET for char in word):
                raise ValueError(f"an innocent word is a lower-case word the label trie can match: {word!r}")
            entries.append((word, 0, False, False, ""))
        children: list[dict[str, int]] = [{}]
        accepts: list[list[int]] = [[]]
        for index, (word, *_) in enumerate(entries):
            state = 0
            for char in word:
                if char not in children[state]:
                    children[state][char] = len(children)
                    children.append({})
                    accepts.append([])
                state = children[state][char]
            accepts[state].append(index)
        self.symbols = np.full(256, -1, np.int16)
        for symbol, char in enumerate(_WORD_ALPHABET):
            self.symbols[ord(char)] = symbol
            if char.isalpha():
                self.symbols[ord(char.upper())] = symbol
        self.table = np.full((len(children), len(_WORD_ALPHABET)), -1, np.int32)
        for state, edges in enumerate(children):
            for char, child in edges.items():
                self.table[state, _WORD_ALPHABET.index(char)] = child
        self.accept_starts = np.zeros(len(children) + 1, np.int64)
        np.cumsum([len(a) for a in accepts], out=self.accept_starts[1:])
        order = [index for a in accepts for index in a]
        self.bits = np.array([entries[i][1] for i in order], np.uint8)
        self.before = np.array([entries[i][2] for i in order], np.bool_)
        self.after = np.array([entries[i][3] for i in order], np.bool_)
        lookaheads = [entries[i][4] for i in order]
        self.look_starts = np.zeros(len(order) + 1, np.int64)
        np.cumsum([len(look) for look in lookaheads], out=self.look_starts[1:])
        self.looks = np.frombuffer("".join(lookaheads).encode("ascii"), np.uint8).copy()

    @property
    def arrays(self) -> tuple[np.ndarray, ...]:
        """The trie, as :func:`match_labels` takes it after the labels."""
        trie = self.symbols, self.table, self.accept_starts
        return (*trie, self.bits, self.before, self.after, self.look_starts, self.looks)

    def match(self, labels: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each label (``labels[starts[k]:starts[k + 1]]``, UTF-8), the bits of the patterns
        it matches; and the labels that are not ASCII (their bits are 0: ask the patterns)."""
        return match_labels(labels, starts, *self.arrays)  # type: ignore[no-any-return]


_WORD_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_-"
_VARIANT = re.compile(r"(\\b)?((?:[a-z0-9_-]\??)+?)(\\b|\(\?!([a-z]+)\))?")


def _variants(alternative: str) -> list[tuple[str, bool, bool, str]]:
    """The words one alternative stands for, with its decorations: ``tags?\\b`` is ``tag`` and
    ``tags``, both needing a boundary after them."""
    found = _VARIANT.fullmatch(alternative)
    if found is None:
        raise ValueError(f"not a word the label trie can match: {alternative!r}")
    before, body, after, look = found.group(1), found.group(2), found.group(3) or "", found.group(4) or ""
    words = [""]
    i = 0
    while i < len(body):
        char = body[i]
        optional = body[i + 1 : i + 2] == "?"
        words = [w + char for w in words] + (words if optional else [])
        i += 2 if optional else 1
    for word in words:
        edge = (before and not _is_word(word[:1])) or (after == "\\b" and not _is_word(word[-1:]))
        if not word or edge:  # \b beside a non-word character means something else
            raise ValueError(f"not a word the label trie can match: {alternative!r}")
    return [(word, bool(before), after == "\\b", look) for word in words]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@kernel
def _is_word_byte(byte):  # type: ignore[no-untyped-def]
    return 48 <= byte <= 57 or 65 <= byte <= 90 or 97 <= byte <= 122 or byte == 95


@kernel
def match_labels(labels, starts, symbols, table, accept_starts, bits, before, after, look_starts, looks):  # type: ignore[no-untyped-def]
    """For each label, the bits of the words it holds (see :class:`LabelVocabulary`), and the
    labels that are not ASCII. A word with bit 0 is innocent: the matches with an edge strictly
    inside one of its occurrences are void. The matches are kept as found (start, end, bits) until
    the label is read, and voided then; a label without an innocent word takes them all."""
    count = len(starts) - 1
    found = np.zeros(count, np.uint8)
    not_ascii = np.zeros(count, np.bool_)
    longest = 0
    for k in range(count):
        longest = max(longest, starts[k + 1] - starts[k])
    inside = np.zeros(longest + 1, np.bool_)  # position p of the label is strictly inside an innocent word
    spans = np.zeros((8 * longest + 8, 3), np.int64)  # the label's matches: start, end, bits
    for k in range(count):
        low, high = starts[k], starts[k + 1]
        for i in range(low, high):
            if labels[i] >= 0x80:
                not_ascii[k] = True
        if not_ascii[k]:
            continue
        matched = 0
        innocent = False
        for i in range(low, high):
            state = 0
            j = i
            while j < high:
                symbol = symbols[labels[j]]
                if symbol < 0:
                    break
                state = table[state, symbol]
                if state < 0:
                    break
                j += 1
                for entry in range(accept_starts[state], accept_starts[state + 1]):
                    if before[entry] and i > low and _is_word_byte(labels[i - 1]):
                        continue
                    if after[entry] and j < high and _is_word_byte(labels[j]):
                        continue
                    size = look_starts[entry + 1] - look_starts[entry]
                    if size and j + size <= high:
                        same = True
                        for m in range(size):
                            byte = labels[j + m]
                            lowered = byte + 32 if 65 <= byte <= 90 else byte
                            if lowered != looks[look_starts[entry] + m]:
                                same = False
                                break
                        if same:
                            continue
                    if bits[entry] == 0:  # an innocent word: what it holds is no match
                        if not innocent:
                            innocent = True
                            inside[: high - low + 1] = False
                        inside[i - low + 1 : j - low] = True
                    elif matched < len(spans):
                        spans[matched, 0], spans[matched, 1] = i - low, j - low
                        spans[matched, 2] = bits[entry]
                        matched += 1
                    else:  # more matches than room (a label of one word repeated): no voiding
                        found[k] |= bits[entry]
        for m in range(matched):
            if not (innocent and (inside[spans[m, 0]] or inside[spans[m, 1]])):
                found[k] |= spans[m, 2]
    return found, np.flatnonzero(not_ascii)
