"""A page's jieba tokens as numpy arrays over a per-process vocabulary.

The spam and quality steps ask many small questions of every token (is it a sentence end, a
content word, a stop-word, how many Han characters does it hold). Asked in Python, once per token,
that cost more than the segmentation itself. Here each distinct token is classified once per
process; a page becomes an array of token ids, and every question is an array lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import rjieba

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_START = re.compile("[\u4e00-\u9fff]")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_ENDS = frozenset("。！？!?；;…")
_CLAUSE_MARKS = frozenset("，,、；;：:。！？!?…")
_SEAM_BEFORE = re.compile("[\u4e00-\u9fff”」』）)]$")
_SEAM_AFTER = re.compile("^[\u4e00-\u9fff“「『（(]")

WORD, SPACE, END, NEWLINE = 0, 1, 2, 3
_MAX_VOCAB = 2_000_000


class Vocabulary:
    """Token → id, with each token's properties in parallel arrays indexed by id."""

    def __init__(self, generic: frozenset[str], stop: frozenset[str]) -> None:
        self.generic, self.stop_words = generic, stop
        self.clear()

    def clear(self) -> None:
        self.generation = getattr(self, "generation", -1) + 1  # ids from before a clear mean nothing
        self.ids: dict[str, int] = {}
        self.content_words: list[str | None] = []
        capacity = 1 << 14
        self.kind = np.zeros(capacity, np.int8)
        self.han = np.zeros(capacity, np.int32)
        self.length = np.zeros(capacity, np.int32)
        self.punct = np.zeros(capacity, bool)  # punctuation or space: not a word
        self.han_word = np.zeros(capacity, bool)
        self.stop = np.zeros(capacity, bool)
        self.content = np.zeros(capacity, bool)
        self.content_id = np.full(capacity, -1, np.int64)  # one id per content word, case-folded
        self.canonical: dict[str, int] = {}
        self.clause = np.zeros(capacity, bool)  # ends a clause (，、；：and sentence ends)
        self.seam_before = np.zeros(capacity, bool)  # ends in a CJK character or closing mark
        self.seam_after = np.zeros(capacity, bool)  # starts with a CJK character or opening mark

    def _grow(self) -> None:
        for name in (
            "kind",
            "han",
            "length",
            "punct",
            "han_word",
            "stop",
            "content",
            "content_id",
            "clause",
            "seam_before",
            "seam_after",
        ):
            old = getattr(self, name)
            new = np.full(len(old) * 2, -1 if name == "content_id" else 0, old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def add(self, tok: str) -> int:
        i = len(self.ids)
        if i >= len(self.kind):
            self._grow()
        self.ids[tok] = i
        if tok == "\n":
            kind = NEWLINE
        elif tok.isspace():
            kind = SPACE
        elif tok[-1] in _ENDS:
            kind = END
        else:
            kind = WORD
        content = None
        if kind == WORD and len(tok) >= 2 and tok not in self.generic:
            if _HAN_START.match(tok):
                content = tok
            elif _ASCII_WORD.fullmatch(tok):
                content = tok.lower()
        self.content_words.append(content)
        self.kind[i] = kind
        self.han[i] = len(_HAN.findall(tok))
        self.length[i] = len(tok)
        self.punct[i] = bool(_PUNCT_OR_SPACE.match(tok))
        self.han_word[i] = bool(_HAN_START.match(tok))
        self.stop[i] = tok in self.stop_words
        self.content[i] = content is not None
        if content is not None:
            self.content_id[i] = self.canonical.setdefault(content, len(self.canonical))
        self.clause[i] = tok[-1] in _CLAUSE_MARKS
        self.seam_before[i] = bool(_SEAM_BEFORE.search(tok))
        self.seam_after[i] = bool(_SEAM_AFTER.match(tok))
        return i

    def content_ids(self, text: str) -> np.ndarray:
        """Distinct content-word ids of a short text (a title)."""
        ids = self.content_id[self.encode(rjieba.cut(text))]
        return np.unique(ids[ids >= 0])

    def encode(self, tokens: list[str]) -> np.ndarray:
        if len(self.ids) > _MAX_VOCAB:  # numbers and names keep arriving; start afresh
            self.clear()
        get = self.ids.get
        ids = np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        missing = np.flatnonzero(ids < 0)
        for k in missing.tolist():
            tok = tokens[k]
            ids[k] = self.ids[tok] if tok in self.ids else self.add(tok)
        return ids


@dataclass(slots=True)
class Tokens:
    """One page: token ids and the line each token is on."""

    ids: np.ndarray
    line: np.ndarray


_vocab: Vocabulary | None = None
_recent: dict[str, tuple[int, Tokens]] = {}
_RECENT_PAGES = 256
"""Pages whose segmentation is remembered: more than a runner's batch (steps.base.STEP_BATCH),
since each step runs over the whole batch before the next one asks for the same pages."""


def vocabulary() -> Vocabulary:
    global _vocab
    if _vocab is None:
        from taoyu.text.sentences import GENERIC_WORDS
        from taoyu.text.stop_words import STOP_WORDS

        _vocab = Vocabulary(GENERIC_WORDS, STOP_WORDS)
    return _vocab


def tokens_of(text: str) -> Tokens:
    """The page's tokens, segmented once: recent pages are remembered, so the spam and quality
    steps share one segmentation of every page the spam step leaves unchanged."""
    vocab = vocabulary()
    known = _recent.get(text)
    if known is not None and known[0] == vocab.generation:
        return known[1]
    ids = vocab.encode(rjieba.cut(text))  # may clear the vocabulary: read the generation after
    result = Tokens(ids, np.cumsum(vocab.kind[ids] == NEWLINE))
    if len(_recent) >= _RECENT_PAGES:
        del _recent[next(iter(_recent))]  # the oldest: dicts keep insertion order
    _recent[text] = (vocab.generation, result)
    return result
