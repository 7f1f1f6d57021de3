"""Text lengths, link lengths and block scores of a pruned page, from one read of its tree.

Extraction asks every element three questions: how much text it holds, how much of that is link
text, and how much prose it holds itself (its "own" text: its text children and its inline
children's text, not its nested blocks'). Asked of selectolax node by node, they cost about a
microsecond of Python a node, most of a page's extraction time. Here the page comes as flat
arrays (each node's parent, its tag, the text of each text node: :mod:`taoyu.extract.lexbor`),
and compiled loops (:mod:`taoyu.jit`) answer every question for every node: lengths in one
bottom-up pass (linear, where asking each block for its text is quadratic on the never-closed
``<font>`` chains of old Chinese sites), own text by walking each text node's ancestors (text
nodes times depth: milliseconds on such a chain of thousands).

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

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
from selectolax.lexbor import LexborNode

from taoyu.extract.chars import is_paragraph_end, is_sentence_mark, is_space, is_wide
from taoyu.extract.lexbor import PageArrays, read_page, tag_id, tag_table, unlink
from taoyu.extract.text import LINE_BREAKS, PREFORMATTED
from taoyu.jit import kernel

# fmt: off
BLOCK_TAGS = frozenset({
    "p", "div", "td", "li", "section", "article", "main", "blockquote", "pre", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "tr", "ul", "ol", "dl", "font", "center", "span",
})
# fmt: on
MARK_WEIGHT = 25
SHORTEST_BLOCK = 8  # characters of own text; a shorter block weighs nothing
CHROME_CHECK_BELOW = 80  # a block with less own text than this may be a chrome line

_TEXT, _BLOCK, _INLINE, _BR, _LINK = 0, 1, 2, 3, 4
LINK, TEXT = _LINK, _TEXT  # kinds, for other modules' kernels


class Measures:
    """What extraction knows of each element: the tree as it was measured, by position, and
    scores, by position and (built when first asked for) by ``mem_id``."""

    def __init__(
        self,
        finder: NodeFinder,
        best_at: int,
        tree: PageTree,
        scored: np.ndarray,
        score_at: np.ndarray,
        scored_keys: np.ndarray,
    ) -> None:
        self.best_at = best_at  # the best block's position (the root's, 0, when nothing scored)
        self.tree = tree
        self.score_at = score_at  # scores by position
        self._finder = finder
        self._scored = scored  # the scored positions, in document order
        self._scored_keys = scored_keys  # and their addresses
        self._ranked: np.ndarray | None = None
        self._scores: dict[int, float] | None = None
        self._text_chars: dict[int, int] | None = None
        self._link_chars: dict[int, int] | None = None

    @property
    def ranked(self) -> np.ndarray:
        """The scored positions, best first (in document order on a tie); sorted when first asked
        for (threads and feeds ask)."""
        if self._ranked is None:
            self._ranked = self._scored[np.argsort(-self.score_at[self._scored], kind="stable")]
        return self._ranked

    @property
    def scores(self) -> dict[int, float]:
        """The scored nodes' scores by ``mem_id``."""
        if self._scores is None:
            values = self.score_at[self._scored].tolist()
            self._scores = dict(zip(self._scored_keys.tolist(), values, strict=True))
        return self._scores

    @property
    def nodes(self) -> ScoredNodes:
        """The scored nodes by ``mem_id``, found when asked for."""
        positions = self._scored.tolist()
        return ScoredNodes(self._finder, dict(zip(self._scored_keys.tolist(), positions, strict=True)))

    def node_at(self, position: int) -> LexborNode:
        """The selectolax node at a position of the measured tree."""
        return self._finder.node(position)

    @property
    def best(self) -> LexborNode:
        """The best block as a selectolax node."""
        return self.node_at(self.best_at)

    @property
    def text_chars(self) -> dict[int, int]:
        """Stripped text in each element's subtree, by ``mem_id`` (built when first asked for)."""
        if self._text_chars is None:
            self._text_chars = self.tree.by_key(self.tree.total)
        return self._text_chars

    @property
    def link_chars(self) -> dict[int, int]:
        """Of which inside links."""
        if self._link_chars is None:
            self._link_chars = self.tree.by_key(self.tree.linked)
        return self._link_chars


@dataclass(slots=True)
class PageTree:
    """The page as it was measured, by position in document order: kept to render a part's text
    and find link lists without walking the DOM again."""

    page: PageArrays  # the measured nodes, their text
    parents: np.ndarray  # and, past the page's nodes, the root's parent and grandparent
    kinds: np.ndarray
    breaks: np.ndarray  # elements that start and end a line: 1, or 2 for preformatted ones
    ends: np.ndarray  # one past each node's last descendant: a subtree is a run of positions
    total: np.ndarray  # stripped text in each node's subtree
    linked: np.ndarray  # of which inside links
    _order: np.ndarray | None = None  # positions by address, sorted when a position is first looked up
    prose_before: np.ndarray | None = None  # prose characters before each position (see PROSE_BLOCK)

    @property
    def tag_ids(self) -> np.ndarray:
        return self.page.tag_ids

    def positions(self, nodes: list[LexborNode]) -> list[int]:
        """The nodes' positions in the measured tree; -1 for a node that was not measured."""
        wanted = np.array([node.mem_id for node in nodes], np.int64)
        return _positions(self.page.keys, self.order(), wanted).tolist()  # type: ignore[no-any-return]

    def positions_of(self, keys: Iterable[int]) -> np.ndarray:
        """The positions of nodes given by address; -1 for one that was not measured."""
        return _positions(self.page.keys, self.order(), np.fromiter(keys, np.int64))  # type: ignore[no-any-return]

    def order(self) -> np.ndarray:
        """The positions sorted by address."""
        if self._order is None:
            self._order = np.argsort(self.page.keys)
        return self._order

    def outside(self, ranked: np.ndarray, excluded: np.ndarray, anchors: np.ndarray) -> np.ndarray:
        """The ``ranked`` positions that are not ``excluded``, not inside an excluded block, and
        do not hold one of the ``anchors``."""
        return _outside(ranked, excluded, anchors, self.parents, self.ends)  # type: ignore[no-any-return]

    def by_key(self, values: np.ndarray) -> dict[int, int]:
        """The nodes' non-zero values by address."""
        count = len(self.page.keys)
        where = np.flatnonzero(values[:count])
        return dict(zip(self.page.keys[where].tolist(), values[where].tolist(), strict=True))

    def lines(self, parts: list[int], removed: list[int]) -> list[list[str]]:
        """The visible text of each part (a position; -1 for none) a line per block, as
        :func:`taoyu.extract.text.block_lines` gives it, less the ``removed`` subtrees."""
        page, wanted, gone = self.page, np.array(parts, np.int64), np.array(removed, np.int64)
        arrays = self.ends, self.kinds, self.breaks, page.starts, page.codes
        rendered, bounds = _rendered_parts(wanted, gone, *arrays)
        text = rendered.tobytes().decode("utf-32-le", "surrogatepass")
        bounds = bounds.tolist()
        pieces = (text[bounds[k] : bounds[k + 1]] for k in range(len(parts)))
        return [piece.split("\n") if piece else [] for piece in pieces]

    def remove(self, positions: list[int]) -> None:
        """Take the subtrees at ``positions`` out of the DOM (the arrays stay as measured)."""
        unlink(self.page, np.array(positions, np.int64))


def stripped_codes(tree: PageTree, node: int, removed: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """What selectolax's ``text(strip=True)`` gives for the node at position ``node`` and then
    for each link in it, less the ``removed`` subtrees: as code points one after another, and
    where each text starts."""
    page = tree.page
    gone = np.array(removed, np.int64)
    return _stripped_texts(node, gone, tree.ends, tree.kinds, page.starts, page.codes)  # type: ignore[no-any-return]


@cache
def _kind_table() -> np.ndarray:
    """Kinds by lexbor tag id, for the ids of the tags that matter; any other tag (unknown ones
    get a new id per page) is inline."""
    kinds = {tag_id(tag): _BLOCK for tag in BLOCK_TAGS}
    kinds |= {tag_id("a"): _LINK, tag_id("br"): _BR, tag_id("#text"): _TEXT}
    table = np.full(max(kinds) + 1, _INLINE, np.int8)
    for tag, kind in kinds.items():
        table[tag] = kind
    return table


@cache
def _break_table() -> np.ndarray:
    """Whether a tag breaks lines, by lexbor tag id (every such tag is a known one): 1, or 2 for
    preformatted text, whose source line breaks are line breaks too."""
    table = tag_table([*LINE_BREAKS.split(", "), *PREFORMATTED], np.int8)
    table[[tag_id(name) for name in PREFORMATTED]] = 2
    return table


def measure(
    root: LexborNode, is_chrome: Callable[[list[str]], list[bool]], page: PageArrays | None = None
) -> Measures:
    """Lengths and scores of every element under ``root`` (see the module doc); ``is_chrome``
    says which short blocks' own texts are chrome lines. ``page`` is the tree under ``root``
    as arrays, when the caller has read it already. Two compiled calls, and Python between them
    for the chrome patterns: every numpy call costs microseconds when the caches are cold."""
    page = page if page is not None else read_page(root)
    outside = []  # the root's parent and grandparent: a block's shares reach them
    holder = root.parent
    while holder is not None and len(outside) < 2:
        outside.append(holder)
        holder = holder.parent
    outside_keys = np.array([node.mem_id for node in outside], np.int64)
    tables = _kind_table(), _break_table()
    sums = _measure_sums(page.parents, page.tag_ids, page.codes, page.starts, len(outside), *tables)
    parents, kinds, breaks, total, linked, own, chars, marks, check, joined, bounds = sums
    chrome = []
    if len(check):  # the short blocks' own text, collapsed, for the chrome-line patterns
        text = joined.tobytes().decode("utf-32-le", "surrogatepass")
        bounds = bounds.tolist()
        chrome = is_chrome([text[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1)])
    sums = parents, kinds, total, linked, own, chars, marks
    best, ends, scored, scored_keys, scores, prose = _measure_scores(
        *sums, check, np.array(chrome, np.bool_), page.keys, outside_keys
    )
    tree = PageTree(page, parents, kinds, breaks, ends, total, linked, prose_before=prose)
    return Measures(NodeFinder(root, page, outside), max(best, 0), tree, scored, scores, scored_keys)


class NodeFinder:
    """selectolax nodes for positions of the measured tree. Reading the tree as arrays made no
    node objects, and few are ever needed (the best block, its siblings): each is found from its
    nearest found ancestor, down the path of first children and next siblings."""

    def __init__(self, root: LexborNode, page: PageArrays, outside: list[LexborNode]) -> None:
        self._keys = page.keys
        self._parents = page.parents
        self._outside = outside
        self._found: dict[int, LexborNode] = {0: root}

    def node(self, position: int) -> LexborNode:
        if position in self._found:
            return self._found[position]
        if position >= len(self._keys):
            return self._outside[position - len(self._keys)]
        path = []
        while position not in self._found:
            path.append(position)
            position = int(self._parents[position])
        node = self._found[position]
        for step in reversed(path):
            child = node.child
            key = self._keys[step]
            while child is not None and child.mem_id != key:
                child = child.next
            if child is None:
                raise LookupError(f"node {key} is no longer in the tree")
            self._found[step] = node = child
        return node


class ScoredNodes(Mapping[int, LexborNode]):
    """The scored nodes by address, found when asked for."""

    def __init__(self, finder: NodeFinder, positions: dict[int, int]) -> None:
        self._finder = finder
        self._positions = positions

    def __getitem__(self, key: int) -> LexborNode:
        return self._finder.node(self._positions[key])

    def __iter__(self) -> Iterator[int]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


# Prose: a block's own text of this many characters or more, with a sentence mark, at most a fifth
# of its text in links (what an article's paragraphs are, and a teaser, a menu or a caption not).
PROSE_BLOCK = 20


@kernel
def _measure_sums(page_parents, tag_ids, codes, starts, outside, kind_table, break_table):  # type: ignore[no-untyped-def]
    """Parents, kinds and line breaks of the nodes and the ``outside`` ones above the root (they
    come last), and :func:`_sums` over them, with the short blocks' own texts collapsed."""
    count = len(tag_ids)
    parents = np.empty(count + outside, np.int64)
    parents[:count] = page_parents
    if count:
        parents[0] = count if outside else -1
    for i in range(outside):
        parents[count + i] = count + i + 1 if i + 1 < outside else -1
    kinds = np.full(count + outside, _INLINE, np.int8)
    breaks = np.zeros(count, np.int8)
    for i in range(count):
        if tag_ids[i] < len(kind_table):
            kinds[i] = kind_table[tag_ids[i]]
        if tag_ids[i] < len(break_table):
            breaks[i] = break_table[tag_ids[i]]
    total, linked, own, chars, marks, check, owners, owned = _sums(parents, kinds, codes, starts)
    joined, bounds = _collapsed_own_texts(check, owners, owned, starts, codes)
    return parents, kinds, breaks, total, linked, own, chars, marks, check, joined, bounds


@kernel
def _measure_scores(parents, kinds, total, linked, own, chars, marks, check, chrome, keys, outside_keys):  # type: ignore[no-untyped-def]
    """Scores and the best block (the ``check``ed blocks found ``chrome`` weigh nothing); each
    node's subtree end; the scored nodes and their addresses, in document order; every node's
    score; the prose characters before each position (the prose under node ``i`` is
    ``prose[ends[i]] - prose[i]``: a subtree is a run of positions)."""
    count = len(keys)
    excluded = np.zeros(len(parents), np.bool_)
    for k in range(len(check)):
        excluded[check[k]] = chrome[k]
    scores, best = _scores(parents, kinds, total, linked, own, chars, marks, excluded, count)
    ends = _subtree_ends(parents, count)
    scored = np.flatnonzero(scores)
    scored_keys = np.empty(len(scored), np.int64)
    for k in range(len(scored)):
        i = scored[k]
        scored_keys[k] = keys[i] if i < count else outside_keys[i - count]
    prose = np.zeros(count + 1, np.int64)
    for i in range(count):
        is_prose = (
            kinds[i] == _BLOCK and chars[i] >= PROSE_BLOCK and marks[i] > 0 and linked[i] * 5 <= total[i]
        )
        prose[i + 1] = prose[i] + (chars[i] if is_prose else 0)
    return best, ends, scored, scored_keys, scores, prose


@kernel
def _sums(parents, kinds, codes, starts):  # type: ignore[no-untyped-def]
    """Every element's stripped text and link text in its subtree, and its own (text and inline
    children's); every block's own text with whitespace collapsed, its length and its sentence
    marks; and the blocks whose own text may be a chrome line, with their text nodes."""
    count = len(starts) - 1
    inner, marks, leads, trails, stripped, blank = _pieces(kinds, codes, starts)
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
def _pieces(kinds, codes, starts):  # type: ignore[no-untyped-def]
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
            if is_space(code):
                in_space = True
                continue
            if first < 0:
                first = j
            elif in_space:
                gaps += 1
            in_space = False
            last = j
            words += 1
            if is_sentence_mark(code):
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
    """The part's text as tokens in document order: a text node's position (``-2 - position``
    inside preformatted text), or -1 for a line break before and after each line-breaking element
    inside it; removed subtrees are skipped."""
    gone = np.zeros(len(breaks), np.bool_)
    for node in removed:
        if node >= 0:
            gone[node] = True
    end = ends[start]
    closing = np.zeros(end - start + 1, np.int64)  # line breaks after elements that end here
    tokens = np.empty(3 * (end - start), np.int64)
    preformatted_until = end if breaks[start] == 2 else start  # positions before it are in a <pre>
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
            if breaks[j] == 2 and ends[j] > preformatted_until:
                preformatted_until = ends[j]
        elif kinds[j] == _TEXT:
            tokens[k] = j if j >= preformatted_until else -2 - j
            k += 1
        j += 1
    for _ in range(closing[end - start]):
        tokens[k] = -1
        k += 1
    return tokens[:k]


@kernel
def _rendered(tokens, starts, codes):  # type: ignore[no-untyped-def]
    """The tokens' text as lines, as :func:`taoyu.extract.text.block_lines` renders them: each
    line's whitespace collapsed to single spaces and stripped, empty lines dropped, lines joined
    by newlines. A newline inside a text node is whitespace, taken out between two wide characters
    (:func:`taoyu.extract.chars.is_wide`); in preformatted text it ends a line. A blank line
    (whitespace holding two newlines) after a sentence's end (:func:`taoyu.extract.chars.
    is_paragraph_end`) ends one too: text written to be shown with its line breaks (a BBS post
    in a ``white-space: pre-wrap`` block, a paragraph break typed into a CMS's text) keeps its
    paragraphs, where a template's wrapping never leaves a blank line after a full stop."""
    size = len(tokens)
    for token in tokens:
        if token != -1:
            node = token if token >= 0 else -2 - token
            size += starts[node + 1] - starts[node]
    out = np.empty(size, np.uint32)
    used = 0
    words = False  # the line so far has a word
    space = False  # whitespace since the line's last word
    breaks = 0  # and the newlines in it
    for token in tokens:
        if token == -1:  # a line-breaking element ends the line
            first, last, preformatted = 0, 0, True
            if words:
                out[used] = 10
                used += 1
            words = space = False
            breaks = 0
        else:
            node = token if token >= 0 else -2 - token
            first, last, preformatted = starts[node], starts[node + 1], token < -1
        for j in range(first, last):
            code = codes[j]
            if code == 10 and preformatted:
                if words:
                    out[used] = 10
                    used += 1
                words = space = False
                breaks = 0
            elif is_space(code):
                if words:
                    space = True
                    breaks += code == 10
            else:
                if space and breaks >= 2 and is_paragraph_end(out[used - 1]):
                    out[used] = 10
                    used += 1
                elif space and not (breaks and is_wide(out[used - 1]) and is_wide(code)):
                    out[used] = 32
                    used += 1
                out[used] = code
                used += 1
                words, space, breaks = True, False, 0
    if used and out[used - 1] == 10:
        used -= 1
    return out[:used]


@kernel
def _collapse(code, out, used, words, space):  # type: ignore[no-untyped-def]
    """One character of text collapsed as ``" ".join(text.split())`` collapses it, into ``out``
    at ``used``: whitespace becomes one space, written before the next word only. ``words``:
    a word came before; ``space``: whitespace came since. Returns the three, moved on."""
    if is_space(code):
        return used, words, words
    if space:
        out[used] = 32
        used += 1
    out[used] = code
    return used + 1, True, False


@kernel
def _collapsed_own_texts(blocks, owners, owned, starts, codes):  # type: ignore[no-untyped-def]
    """Each block's own text (its ``owned`` text nodes, in document order) with whitespace
    collapsed to single spaces and stripped, as ``" ".join(text.split())``: all of them joined,
    and where each starts."""
    index = np.empty(len(starts), np.int64)  # a block's place among the blocks, by position
    for k in range(len(blocks)):
        index[blocks[k]] = k
    sizes = np.zeros(len(blocks) + 1, np.int64)
    for pair in range(len(owners)):
        sizes[index[owners[pair]] + 1] += starts[owned[pair] + 1] - starts[owned[pair]]
    offsets = np.cumsum(sizes)
    raw = np.empty(offsets[-1], np.uint32)
    filled = offsets[:-1].copy()
    for pair in range(len(owners)):
        k = index[owners[pair]]
        text = owned[pair]
        size = starts[text + 1] - starts[text]
        raw[filled[k] : filled[k] + size] = codes[starts[text] : starts[text + 1]]
        filled[k] += size
    out = np.empty(offsets[-1], np.uint32)
    bounds = np.zeros(len(blocks) + 1, np.int64)
    used = 0
    for k in range(len(blocks)):
        words = space = False
        for j in range(offsets[k], offsets[k + 1]):
            used, words, space = _collapse(raw[j], out, used, words, space)
        bounds[k + 1] = used
    return out[:used], bounds


@kernel
def _stripped_texts(node, removed, ends, kinds, starts, codes):  # type: ignore[no-untyped-def]
    """The node's text nodes, each stripped, then each link's in it, joined; where each starts."""
    gone = np.zeros(ends[node] - node, np.bool_)
    for block in removed:
        if node <= block < ends[node]:
            gone[block - node : ends[block] - node] = True
    targets = [node]
    for below in range(node + 1, ends[node]):
        if kinds[below] == _LINK and not gone[below - node]:
            targets.append(below)
    size = 0
    for target in targets:
        for below in range(target, ends[target]):
            if kinds[below] == _TEXT and not gone[below - node]:
                size += starts[below + 1] - starts[below]
    out = np.empty(size, np.uint32)
    bounds = np.zeros(len(targets) + 1, np.int64)
    used = 0
    for k in range(len(targets)):
        target = targets[k]
        for below in range(target, ends[target]):
            if kinds[below] != _TEXT or gone[below - node]:
                continue
            first, last = starts[below], starts[below + 1]
            while first < last and is_space(codes[first]):
                first += 1
            while last > first and is_space(codes[last - 1]):
                last -= 1
            out[used : used + last - first] = codes[first:last]
            used += last - first
        bounds[k + 1] = used
    return out[:used], bounds


@kernel
def _positions(keys, order, wanted):  # type: ignore[no-untyped-def]
    """Each wanted address's position among ``keys`` (``order`` sorts them); -1 if not there."""
    out = np.full(len(wanted), -1, np.int64)
    if not len(keys):
        return out
    for k in range(len(wanted)):
        low, high = 0, len(keys)
        while low < high:
            middle = (low + high) // 2
            if keys[order[middle]] < wanted[k]:
                low = middle + 1
            else:
                high = middle
        if low < len(keys) and keys[order[low]] == wanted[k]:
            out[k] = order[low]
    return out


@kernel
def _rendered_parts(parts, removed, ends, kinds, breaks, starts, codes):  # type: ignore[no-untyped-def]
    """Each part's lines (:func:`_rendered`), one after another; where each part starts."""
    pieces = []
    bounds = np.zeros(len(parts) + 1, np.int64)
    for k in range(len(parts)):
        if parts[k] < 0:
            pieces.append(np.empty(0, np.uint32))
        else:
            pieces.append(_rendered(_line_tokens(parts[k], removed, ends, kinds, breaks), starts, codes))
        bounds[k + 1] = bounds[k] + len(pieces[k])
    out = np.empty(bounds[-1], np.uint32)
    for k in range(len(parts)):
        out[bounds[k] : bounds[k + 1]] = pieces[k]
    return out, bounds


@kernel
def _outside(ranked, excluded, anchors, parents, ends):  # type: ignore[no-untyped-def]
    count = len(ends)
    skip = np.zeros(len(parents), np.bool_)
    for block in excluded:
        if 0 <= block < count:
            skip[block : ends[block]] = True  # the block and everything inside it
    holds = np.zeros(len(parents), np.bool_)
    for anchor in anchors:
        holder = parents[anchor] if anchor >= 0 else -1
        while holder >= 0 and not holds[holder]:
            holds[holder] = True
            holder = parents[holder]
    skip |= holds
    out = np.empty(len(ranked), np.int64)
    kept = 0
    for position in ranked:
        if not skip[position]:
            out[kept] = position
            kept += 1
    return out[:kept]
