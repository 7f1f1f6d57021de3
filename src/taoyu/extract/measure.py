"""Text lengths, link lengths and block scores of a pruned page, from one read of its tree.

Extraction asks every element three questions: how much text it holds, how much of that is link
text, and how much prose it holds itself (its "own" text: its text children and its inline
children's text, not its nested blocks'). Asked of selectolax node by node, they cost about a
microsecond of Python a node, most of a page's extraction time. Here the tree is read once into
flat lists (each node's parent, its kind, the text of each text node), and compiled loops
(:mod:`taoyu.jit`) answer every question for every node: lengths in one bottom-up pass (linear,
where asking each block for its text is quadratic on the never-closed ``<font>`` chains of old
Chinese sites), own text by walking each text node's ancestors (text nodes times depth:
milliseconds on such a chain of thousands).

Scores are readability's propagation: each text block's weight goes to itself and its parent in
full and to its grandparent in half, so the element that directly holds the article's paragraphs
collects the most. A block's weight is its own text's length with whitespace collapsed, plus 25
for each sentence mark, times the square of its share of text outside links; a block of fewer
than 8 characters, one that is all links, and a portal chrome line weigh nothing. Weights are
added in document order, so equal scores stay equal, and on a tie the earlier (outer) node wins.

The results are exactly those of the plain Python statement of the same rules (kept in
``tests/test_extract_measure.py``, which compares the two on generated pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from taoyu.extract.text import LINE_BREAKS
from taoyu.jit import kernel

# fmt: off
BLOCK_TAGS = frozenset({
    "p", "div", "td", "li", "section", "article", "main", "blockquote", "pre", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "tr", "ul", "ol", "dl", "font", "center", "span",
})
# fmt: on
SENTENCE_MARKS = "，。！？；：、,.!?;:"
MARK_WEIGHT = 25
SHORTEST_BLOCK = 8  # characters of own text; a shorter block weighs nothing
CHROME_CHECK_BELOW = 80  # a block with less own text than this may be a chrome line

_TEXT, _BLOCK, _INLINE, _BR, _LINK = 0, 1, 2, 3, 4
_SPACE, _MARK = 1, 2


@dataclass(slots=True)
class Measures:
    """What extraction knows of each element, keyed by ``mem_id``."""

    text_chars: dict[int, int]  # stripped text in the subtree
    link_chars: dict[int, int]  # of which inside links
    scores: dict[int, float]
    nodes: dict[int, LexborNode]  # the scored nodes
    best: LexborNode
    tree: PageTree


@dataclass(slots=True)
class PageTree:
    """The page as it was measured, kept to render a part's text without walking the DOM again
    (inserting line breaks into it and reading it back cost a DOM edit a block)."""

    keys: np.ndarray  # each node's address, in document order
    parents: np.ndarray
    kinds: np.ndarray
    breaks: np.ndarray  # elements that start and end a line
    texts: list[str]

    order: np.ndarray  # positions by address, to find a node's position
    ends: np.ndarray | None = None  # one past each node's last descendant

    def lines(self, part: LexborNode, removed: list[LexborNode]) -> list[str]:
        """The visible text of ``part`` a line per block, as :func:`taoyu.extract.text.block_lines`
        gives it, after ``removed`` were decomposed from the tree."""
        if self.ends is None:
            self.ends = _subtree_ends(self.parents, len(self.keys))
        wanted = np.fromiter([part.mem_id, *(node.mem_id for node in removed)], np.int64)
        at = np.minimum(np.searchsorted(self.keys, wanted, sorter=self.order), len(self.keys) - 1)
        found = self.order[at]
        positions = np.where(self.keys[found] == wanted, found, -1)
        if positions[0] < 0:  # not a node of the measured tree
            return []
        tokens = _line_tokens(positions[0], positions[1:], self.ends, self.kinds, self.breaks)
        text = "".join(["\n" if token < 0 else self.texts[token] for token in tokens.tolist()])
        lines = (" ".join(line.split()) for line in text.split("\n"))
        return [line for line in lines if line]


@cache
def _kinds() -> dict[int, int]:
    """lexbor's tag ids of the tags that matter; any other tag (unknown ones get a new id per
    page) is inline."""
    probe = LexborHTMLParser("")
    kinds = {probe.create_node(tag).tag_id: _BLOCK for tag in BLOCK_TAGS}
    kinds[probe.create_node("a").tag_id] = _LINK
    kinds[probe.create_node("br").tag_id] = _BR
    text = LexborHTMLParser("<p>x</p>").body.css_first("p").child
    kinds[text.tag_id] = _TEXT
    return kinds


@cache
def _kind_table() -> np.ndarray:
    """Kinds by lexbor tag id, for the ids of known tags."""
    kinds = _kinds()
    table = np.full(max(kinds) + 1, _INLINE, np.int8)
    for tag_id, kind in kinds.items():
        table[tag_id] = kind
    return table


@cache
def _break_table() -> np.ndarray:
    """Whether a tag breaks lines, by lexbor tag id (every such tag is a known one)."""
    probe = LexborHTMLParser("")
    ids = [probe.create_node(tag).tag_id for tag in LINE_BREAKS.split(", ")]
    table = np.zeros(max(ids) + 1, np.bool_)
    table[ids] = True
    return table


@cache
def _char_classes() -> np.ndarray:
    """Whitespace (as ``str.isspace``, all below U+3001) and sentence marks, for the BMP."""
    classes = np.zeros(0x10000, np.uint8)
    classes[[c for c in range(0x3001) if chr(c).isspace()]] |= _SPACE
    classes[[ord(c) for c in SENTENCE_MARKS]] |= _MARK
    return classes


def measure(root: LexborNode, is_chrome: Callable[[str], bool]) -> Measures:
    """Lengths and scores of every element under ``root`` (see the module doc); ``is_chrome``
    says whether a short block's own text is a chrome line."""
    nodes = list(root.traverse(include_text=True))
    outside = []  # the root's parent and grandparent: a block's shares reach them
    holder = root.parent
    while holder is not None and len(outside) < 2:
        outside.append(holder)
        holder = holder.parent
    keys, order, parents, kinds, breaks, texts = _read(nodes, len(outside))
    tree = PageTree(keys, parents, kinds, breaks, texts, order)
    starts = np.zeros(len(nodes) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, texts), np.int64, len(nodes)), out=starts[1:])
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    sums = _sums(parents, kinds, codes, starts, _char_classes())
    total, linked, own, chars, marks, check, owners, owned = sums
    excluded = np.zeros(len(parents), np.bool_)
    if len(check):  # join the short blocks' own text, for the chrome-line patterns
        pieces: dict[int, list[str]] = {block: [] for block in check.tolist()}
        for owner, text in zip(owners.tolist(), owned.tolist(), strict=True):
            pieces[owner].append(texts[text])
        for block, parts in pieces.items():
            excluded[block] = is_chrome(" ".join("".join(parts).split()))
    scores, best = _scores(parents, kinds, total, linked, own, chars, marks, excluded, len(nodes))
    text_chars = _by_key(keys, total[: len(nodes)])
    link_chars = _by_key(keys, linked[: len(nodes)])
    if best < 0:
        return Measures(text_chars, link_chars, {}, {}, root, tree)
    everything = nodes + outside
    scored = np.flatnonzero(scores)
    scored_nodes = {everything[i].mem_id: everything[i] for i in scored.tolist()}
    return Measures(
        text_chars,
        link_chars,
        dict(zip(scored_nodes, scores[scored].tolist(), strict=True)),
        scored_nodes,
        everything[best],
        tree,
    )


def _read(
    nodes: list[LexborNode], outside: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Each node's address, the positions in address order, each node's parent's position (the
    ``outside`` nodes above the root come after the last node), its kind, whether it breaks
    lines, and its text ("" for an element), in document order."""
    count = len(nodes)
    keys = np.fromiter([node.mem_id for node in nodes], np.int64, count)
    by_key = np.argsort(keys)
    parents = np.empty(count + outside, np.int64)
    if count > 1:  # a parent's position: its address, looked up among the sorted addresses
        parent_keys = np.fromiter([node.parent.mem_id for node in nodes[1:]], np.int64, count - 1)
        parents[1:count] = by_key[np.searchsorted(keys, parent_keys, sorter=by_key)]
    parents[0] = count if outside else -1
    for i in range(outside):
        parents[count + i] = count + i + 1 if i + 1 < outside else -1
    tag_ids = np.fromiter([node.tag_id for node in nodes], np.int64, count)
    table = _kind_table()
    known = tag_ids < len(table)  # an unknown tag gets a large id, a new one on each page
    kinds = np.full(count + outside, _INLINE, np.int8)
    kinds[:count][known] = table[tag_ids[known]]
    breaking = _break_table()
    breaks = np.zeros(count, np.bool_)
    known = tag_ids < len(breaking)
    breaks[known] = breaking[tag_ids[known]]
    texts = [node.text_content or "" for node in nodes]  # an element has none
    return keys, by_key, parents, kinds, breaks, texts


def _by_key(keys: np.ndarray, values: np.ndarray) -> dict[int, int]:
    where = np.flatnonzero(values)
    return dict(zip(keys[where].tolist(), values[where].tolist(), strict=True))


@kernel
def _sums(parents, kinds, codes, starts, classes):  # type: ignore[no-untyped-def]
    """Every element's stripped text and link text in its subtree, and its own (text and inline
    children's); every block's own text with whitespace collapsed, its length and its sentence
    marks; and the blocks whose own text may be a chrome line, with their text nodes."""
    count = len(starts) - 1
    inner, marks, leads, trails, stripped, blank = _pieces(kinds, codes, starts, classes)
    total, linked, own = _lengths(parents, kinds, stripped)
    chars, block_marks, memberships = _own_texts(parents, kinds, starts, inner, marks, leads, trails, blank)
    check = np.zeros(len(parents), np.bool_)
    for i in range(count):
        short = SHORTEST_BLOCK <= chars[i] < CHROME_CHECK_BELOW
        check[i] = kinds[i] == _BLOCK and own[i] > 0 and linked[i] < total[i] and short
    owners = np.empty(memberships, np.int64)
    owned = np.empty(memberships, np.int64)
    pairs = 0
    if check.any():
        for i in range(count):
            if kinds[i] != _TEXT or starts[i + 1] == starts[i]:
                continue
            child, owner = i, parents[i]
            while 0 <= owner < count:
                if check[owner] and _passes_own_text(kinds[child]):
                    owners[pairs], owned[pairs] = owner, i
                    pairs += 1
                child, owner = owner, parents[owner]
    return total, linked, own, chars, block_marks, np.flatnonzero(check), owners[:pairs], owned[:pairs]


@kernel
def _passes_own_text(kind):  # type: ignore[no-untyped-def]
    """Whether a child's text is its parent's own text: a text node's, or an inline element's."""
    return kind != _BLOCK and kind != _BR


@kernel
def _pieces(kinds, codes, starts, classes):  # type: ignore[no-untyped-def]
    """Each text node as a piece of collapsed text: its words and the single spaces between them,
    its sentence marks, whether it opens or closes on whitespace, its stripped length, and
    whether it is all whitespace (``str.isspace``, ``str.split`` and ``str.strip`` agree)."""
    count = len(starts) - 1
    inner = np.zeros(count, np.int64)
    marks = np.zeros(count, np.int64)
    leads = np.zeros(count, np.bool_)
    trails = np.zeros(count, np.bool_)
    stripped = np.zeros(count, np.int64)
    blank = np.zeros(count, np.bool_)
    for i in range(count):
        if kinds[i] != _TEXT:
            continue
        first = last = -1
        words = gaps = 0
        in_space = False
        for j in range(starts[i], starts[i + 1]):
            code = codes[j]
            flags = classes[code] if code < len(classes) else 0
            if flags & _SPACE:
                in_space = True
                continue
            if first < 0:
                first = j
            elif in_space:
                gaps += 1
            in_space = False
            last = j
            words += 1
            if flags & _MARK:
                marks[i] += 1
        if first >= 0:
            inner[i] = words + gaps
            leads[i] = first > starts[i]
            trails[i] = last < starts[i + 1] - 1
            stripped[i] = last - first + 1
        else:
            blank[i] = starts[i + 1] > starts[i]
    return inner, marks, leads, trails, stripped, blank


@kernel
def _lengths(parents, kinds, stripped):  # type: ignore[no-untyped-def]
    """Bottom-up (last node first, so a node's subtree is done when it is met), each node passes
    its text and link lengths to its parent, and to its parent's own length if it is inline."""
    size = len(parents)
    total = np.zeros(size, np.int64)
    linked = np.zeros(size, np.int64)
    own = np.zeros(size, np.int64)
    for i in range(len(stripped) - 1, -1, -1):
        kind = kinds[i]
        if kind == _TEXT:
            total[i] = stripped[i]
        elif kind == _LINK:
            linked[i] = total[i]
        if total[i] and i > 0:  # the root keeps its sums
            parent = parents[i]
            total[parent] += total[i]
            linked[parent] += linked[i]
            if _passes_own_text(kind):
                own[parent] += total[i]
    total[: len(stripped)][kinds[: len(stripped)] == _TEXT] = 0  # only elements are measured
    return total, linked, own


@kernel
def _own_texts(parents, kinds, starts, inner, marks, leads, trails, blank):  # type: ignore[no-untyped-def]
    """Each block's own text, collapsed: a text node is own text of every ancestor whose child on
    the way down to it is not a block (an inline element's text is all of its subtree's, nested
    blocks included). In document order each block appends the piece: one space between words
    when whitespace stood between them, none before the first or after the last."""
    count = len(starts) - 1
    size = len(parents)
    chars = np.zeros(size, np.int64)
    block_marks = np.zeros(size, np.int64)
    has_words = np.zeros(size, np.bool_)
    pending = np.zeros(size, np.bool_)  # whitespace since the block's last word
    memberships = 0
    for i in range(count):
        if kinds[i] != _TEXT or starts[i + 1] == starts[i]:
            continue
        child, owner = i, parents[i]
        while 0 <= owner < count:
            if kinds[owner] == _BLOCK and _passes_own_text(kinds[child]):
                memberships += 1
                if blank[i]:
                    pending[owner] = True
                else:
                    if has_words[owner] and (pending[owner] or leads[i]):
                        chars[owner] += 1
                    chars[owner] += inner[i]
                    block_marks[owner] += marks[i]
                    has_words[owner] = True
                    pending[owner] = trails[i]
            child, owner = owner, parents[owner]
    return chars, block_marks, memberships


@kernel
def _scores(parents, kinds, total, linked, own, chars, marks, excluded, count):  # type: ignore[no-untyped-def]
    """Block weights added to the block, its parent and (half) its grandparent, in document
    order as the plain rules add them (floating-point sums depend on the order); and the best."""
    size = len(parents)
    scores = np.zeros(size, np.float64)
    for i in range(count):
        if kinds[i] != _BLOCK or own[i] == 0 or excluded[i] or chars[i] < SHORTEST_BLOCK:
            continue
        share = linked[i] / (total[i] if total[i] else 1)
        unlinked = (1 - min(share, 1.0)) ** 2
        weight = (chars[i] + MARK_WEIGHT * marks[i]) * unlinked
        if weight <= 0:  # all links (a menu, a list of headlines): weightless, whatever its text
            continue
        scores[i] += weight
        parent = parents[i]
        if parent >= 0:
            scores[parent] += weight
            if parents[parent] >= 0:
                scores[parents[parent]] += 0.5 * weight
    # On a tie the earlier node wins: on old sites' never-closed <font> chains every level ties,
    # and only the outermost holds the whole text. The nodes outside the root come last; they
    # never beat it (the root takes every share they take, and its children's in full).
    best = -1
    best_score = 0.0
    for i in range(size):
        if scores[i] > best_score:
            best, best_score = i, scores[i]
    return scores, best


@kernel
def _subtree_ends(parents, count):  # type: ignore[no-untyped-def]
    """One past each node's last descendant: a subtree is a run of positions in document order."""
    ends = np.arange(1, count + 1)
    for i in range(count - 1, 0, -1):
        if ends[i] > ends[parents[i]]:
            ends[parents[i]] = ends[i]
    return ends


@kernel
def _line_tokens(start, removed, ends, kinds, breaks):  # type: ignore[no-untyped-def]
    """The part's text as tokens in document order: a text node's position, or -1 for a line
    break before and after each line-breaking element inside it; removed subtrees are skipped."""
    gone = np.zeros(len(breaks), np.bool_)
    for node in removed:
        if node >= 0:
            gone[node] = True
    end = ends[start]
    closing = np.zeros(end - start + 1, np.int64)  # line breaks after elements that end here
    tokens = np.empty(3 * (end - start), np.int64)
    k = 0
    j = start + 1
    while j < end:
        for _ in range(closing[j - start]):
            tokens[k] = -1
            k += 1
        if gone[j]:
            j = ends[j]
            continue
        if breaks[j]:
            tokens[k] = -1
            k += 1
            closing[ends[j] - start] += 1
        elif kinds[j] == _TEXT:
            tokens[k] = j
            k += 1
        j += 1
    for _ in range(closing[end - start]):
        tokens[k] = -1
        k += 1
    return tokens[:k]
