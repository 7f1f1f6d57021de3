"""Chinese sentences and content words, and how sentences hang together.

Spliced-sentence spam (sentences lifted from unrelated articles and run together) reads fluently
sentence by sentence, so a language model's perplexity does not see it (AUC 0.51). What gives it
away is that neighbouring sentences share no topic: an article's sentences keep returning to the
same names and things (杭州, 人工智能, 魔搭社区), spliced ones never do. A sentence is *linked*
when it shares a content word with a nearby sentence or with the title.

Content words are jieba words (rjieba, the Rust port: ~7 MB of text a second) of two or more
characters, minus the generic words every article uses (发展, 工作, 表示, 中国…), which would
link anything to anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taoyu.jit import kernel
from taoyu.text.script import fold
from taoyu.text.tokens import END, NEWLINE, SPACE, WORD, classify, content_ids, cut, pieces_of, tokens_of


def split_sentences(text: str) -> list[str]:
    """Sentences of a line (or paragraph), stripped, non-empty: the boundaries sentence_links uses
    (cut on the text folded to Simplified, as pages are: the pieces are the text's own)."""
    folded = fold(text)
    tokens = cut(folded)
    page = classify(folded, tokens)
    tokens = pieces_of(text, tokens)
    boundary = _boundary_flags(page.kind, page.seam_before, page.seam_after)
    sentence = np.cumsum(boundary) - boundary  # a boundary token closes its sentence
    pieces: dict[int, list[str]] = {}
    for tok, k in zip(tokens, sentence.tolist(), strict=True):
        pieces.setdefault(k, []).append(tok)
    return [joined for joined in ("".join(p).strip() for p in pieces.values()) if joined]


def content_words(sentence: str) -> set[str]:
    """Topic-bearing words: jieba words of 2+ Han characters, or Latin words of 3+, not generic
    (in Simplified: the sentence is folded, as pages are)."""
    sentence = fold(sentence)
    tokens = cut(sentence)
    page = classify(sentence, tokens)
    return {
        tok if han else tok.lower()
        for tok, content, han in zip(tokens, page.content.tolist(), page.han_word.tolist(), strict=True)
        if content >= 0
    }


@kernel
def _boundary_flags(kind: np.ndarray, seam_before: np.ndarray, seam_after: np.ndarray) -> np.ndarray:
    """Tokens after which a sentence ends: sentence marks, newlines, and a run of spaces between
    CJK text (Chinese puts no spaces between words, so such a space is a seam; spliced text is
    often joined with one). The characters either side of a run of spaces decide."""
    n_tok = len(kind)
    out = np.zeros(n_tok, np.bool_)
    after = np.full(n_tok, -1, np.int64)  # first non-space token at or after each position
    nxt = -1
    for i in range(n_tok - 1, -1, -1):
        if kind[i] != SPACE:
            nxt = i
        after[i] = nxt
    before = -1  # last non-space token at or before the current position
    for i in range(n_tok):
        k = kind[i]
        if k != SPACE:
            before = i
            out[i] = k in (END, NEWLINE)
        elif before >= 0 and after[i] >= 0:
            out[i] = seam_before[before] and seam_after[after[i]]
    return out


@dataclass(slots=True)
class SentenceLinks:
    """For each sentence in order: its line, its length, and whether it is linked."""

    line: list[int]
    chars: list[int]
    """Han characters: code, numbers and Latin text in a sentence are not what is judged."""
    linked: list[bool]
    verse: list[bool]
    """Lines of verse (short clauses of even length) carry no topic words and are not judged."""


def sentence_links(text: str, title: str = "", window: int = 3, verse_min_chars: int = 12) -> SentenceLinks:
    """Which sentences share a content word with a sentence at most ``window`` away, or the title.

    Sentences are numbered across the whole document in order, so the first sentence of a
    paragraph can be linked to the end of the previous one. Verse is only looked for in
    sentences of at least ``verse_min_chars`` Han characters (shorter ones are not judged).
    The page is segmented once (:mod:`taoyu.text.tokens`); the rest is one compiled pass over its
    tokens.
    """
    line, han, linked, verse = sentence_arrays(text, title, window, verse_min_chars)
    return SentenceLinks(line.tolist(), han.tolist(), linked.tolist(), verse.tolist())


def sentence_arrays(
    text: str, title: str = "", window: int = 3, verse_min_chars: int = 12
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``sentence_links`` as arrays (line, Han characters, linked, verse), for compiled callers."""
    page = tokens_of(text)
    title_ids = content_ids(title) if title else np.zeros(0, np.int64)
    return _links(
        page.kind,
        page.line,
        page.han,
        page.length,
        page.punct,
        page.clause,
        page.content,
        page.seam_before,
        page.seam_after,
        title_ids,
        window,
        verse_min_chars,
    )


@kernel
def _links(
    kind: np.ndarray,
    token_line: np.ndarray,
    han: np.ndarray,
    length: np.ndarray,
    punct: np.ndarray,
    clause_mark: np.ndarray,
    content_id: np.ndarray,
    seam_before: np.ndarray,
    seam_after: np.ndarray,
    title_ids: np.ndarray,
    window: int,
    verse_min_chars: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per sentence: line, Han characters, linked, verse. Spaces and newlines belong to no sentence.

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid."""
    boundary = _boundary_flags(kind, seam_before, seam_after)
    members = np.empty(len(kind), np.int64)  # token positions of words and sentence marks
    raw = np.empty(len(kind), np.int64)  # a boundary token closes its sentence
    n_members, closed = 0, 0
    for i in range(len(kind)):
        k = kind[i]
        if k in (WORD, END):
            members[n_members] = i
            raw[n_members] = closed
            n_members += 1
        if boundary[i]:
            closed += 1
    sid = np.empty(n_members, np.int64)  # sentences renumbered 0..n-1 in order
    n = 0
    for m in range(n_members):
        if m == 0 or raw[m] != raw[m - 1]:
            n += 1
        sid[m] = n - 1
    sentence_line = np.zeros(n, np.int64)
    sentence_han = np.zeros(n, np.int64)
    clauses = np.zeros(n, np.int64)
    longest = np.zeros(n, np.int64)
    clause_chars = 0
    for m in range(n_members):
        tok = members[m]
        s = sid[m]
        if m == 0 or sid[m - 1] != s:
            sentence_line[s] = token_line[members[m]]
        sentence_han[s] += han[tok]
        if not punct[tok]:
            clause_chars += length[tok]
        # Verse: every clause of the sentence at most 7 characters, and at least two clauses.
        # A clause also ends at its sentence's last token.
        if clause_mark[tok] or m == n_members - 1 or sid[m + 1] != s:
            if clause_chars > 0:
                clauses[s] += 1
            longest[s] = max(longest[s], clause_chars)
            clause_chars = 0
    verse = (sentence_han >= verse_min_chars) & (clauses >= 2) & (longest <= 7)

    # Linked: a content word shared with another sentence at most `window` away, or the title.
    words = np.empty(n_members, np.int64)
    word_sentence = np.empty(n_members, np.int64)
    n_words = 0
    for m in range(n_members):
        w = content_id[members[m]]
        if w >= 0:
            words[n_words] = w
            word_sentence[n_words] = sid[m]
            n_words += 1
    words, word_sentence = words[:n_words], word_sentence[:n_words]
    linked = np.zeros(n, np.bool_)
    order = np.argsort(words, kind="mergesort")  # stable: each word's sentences stay in order
    last = -1
    for j in range(n_words):
        w, s = words[order[j]], word_sentence[order[j]]
        if j > 0 and words[order[j - 1]] == w and s != last and s - last <= window:
            linked[s] = True
            linked[last] = True
        last = s
        if len(title_ids):
            at = np.searchsorted(title_ids, w)
            if at < len(title_ids) and title_ids[at] == w:
                linked[s] = True
    return sentence_line, sentence_han, linked, verse
