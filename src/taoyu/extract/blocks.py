"""The content's blocks, chosen on the measured tree by position: a series of same-shaped blocks
(a thread's posts, or a feed of teasers), and the best block's prose siblings.

:mod:`taoyu.extract.main_text` states the rules; these are them in compiled loops over the
arrays the page was measured from, where asking the DOM cost a CSS query over the whole page
(the series) and a node object a sibling (the siblings). Only the blocks finally kept become
selectolax nodes, and only when Markdown or a thread's replies need them.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from taoyu.extract.chars import is_space, is_wide
from taoyu.extract.lexbor import tag_ids
from taoyu.extract.measure import PROSE_BLOCK, TEXT, PageTree
from taoyu.jit import kernel

_SERIES_SHARE, _SERIES_FLOOR = 0.05, 20.0  # of the best block's score, and at least
_SIBLING_SHARE, _SIBLING_FLOOR = 0.2, 50.0
_HEADINGS = ("h1", "h2", "h3", "h4")


@cache
def _tag_ids() -> np.ndarray:
    """lexbor's tag ids: body, html, a, then the headings a feed's headlines sit in."""
    return tag_ids("body", "html", "a", *_HEADINGS)


def series(tree: PageTree, best: int, scores: np.ndarray, least: int) -> list[int]:
    """Every block shaped like the best one (the same tag and class), when it is one of a series
    of ``least`` or more: outermost only, each scoring at least a twentieth of the best."""
    page = tree.page
    arrays = page.tag_ids, page.labelled, page.label_starts, page.label_ids, page.label_bytes
    return _series(best, least, *arrays, scores, tree.ends, _tag_ids()).tolist()  # type: ignore[no-any-return]


def is_feed(tree: PageTree, items: list[int]) -> bool:
    """Whether half the items or more hold a linked headline (a link in a heading, or a heading
    in a link): a feed of teasers, not a thread."""
    arrays = np.array(items, np.int64), tree.page.tag_ids, tree.parents, tree.ends
    return bool(_is_feed(*arrays, _tag_ids()))


def prose_siblings(
    tree: PageTree, best: int, scores: np.ndarray, skip: np.ndarray, closing: bool = True
) -> list[int]:
    """The best block and its siblings that score at least a fifth of it (and 50), but not the
    ``skip`` ones (positions): readability's sibling step. With ``closing``, a sibling that
    weighs less is taken too when it holds 20 characters of prose or more (``PROSE_BLOCK``), no
    link, and ends a Chinese sentence: readability's rule for short paragraphs, which keeps an
    article's closing wish or its lead when each sits in a block of its own."""
    arrays = tree.page.tag_ids, tree.kinds, tree.parents, tree.ends, tree.linked, tree.prose_before
    text = tree.page.starts, tree.page.codes
    return _prose_siblings(best, *arrays, *text, scores, skip, closing, _tag_ids()).tolist()  # type: ignore[no-any-return]


@kernel
def _series(best, least, tag_ids, labelled, label_starts, label_ids, label_bytes, scores, ends, tags):  # type: ignore[no-untyped-def]
    count = len(tag_ids)
    none = np.zeros(0, np.int64)
    if best < 0 or best >= count or tag_ids[best] == tags[0] or tag_ids[best] == tags[1]:
        return none
    class_start = np.full(count, -1, np.int64)  # each labelled element's class, in label_bytes
    class_end = np.full(count, -1, np.int64)
    for k in range(len(labelled)):
        class_start[labelled[k]] = label_starts[k]
        class_end[labelled[k]] = label_ids[k] - 1
    size = class_end[best] - class_start[best]
    if class_start[best] < 0 or size <= 0:  # no class, or an empty one
        return none
    floor = max(_SERIES_SHARE * scores[best], _SERIES_FLOOR)
    found = np.empty(count, np.int64)
    kept = 0
    covered = 0  # one past the last chosen block: a block before it is inside that one
    for i in range(count):
        if tag_ids[i] != tag_ids[best] or class_start[i] < 0 or class_end[i] - class_start[i] != size:
            continue
        if scores[i] < floor or i < covered:
            continue
        same = True
        for m in range(size):
            if label_bytes[class_start[i] + m] != label_bytes[class_start[best] + m]:
                same = False
                break
        if same:
            found[kept] = i
            kept += 1
            covered = ends[i]
    return found[:kept] if kept >= least else none


@kernel
def _is_feed(items, tag_ids, parents, ends, tags):  # type: ignore[no-untyped-def]
    count = len(tag_ids)
    link = np.zeros(count, np.bool_)
    heading = np.zeros(count, np.bool_)
    for i in range(count):
        link[i] = tag_ids[i] == tags[2]
        for h in range(3, len(tags)):
            heading[i] = heading[i] or tag_ids[i] == tags[h]
    # Whether a link or a heading is above each node (its ancestors, however far up).
    link_above = np.zeros(count, np.bool_)
    heading_above = np.zeros(count, np.bool_)
    for i in range(1, count):
        parent = parents[i]
        link_above[i] = link_above[parent] or link[parent]
        heading_above[i] = heading_above[parent] or heading[parent]
    headlines = 0
    for item in items:
        for i in range(item, ends[item]):
            if (link[i] and heading_above[i]) or (heading[i] and link_above[i]):
                headlines += 1
                break
    return headlines * 2 >= len(items)


@kernel
def _prose_siblings(
    best, tag_ids, kinds, parents, ends, linked, prose, starts, codes, scores, skip, closing, tags
):  # type: ignore[no-untyped-def]
    count = len(tag_ids)
    alone = np.full(1, best, np.int64)
    parent = parents[best]
    if parent < 0 or parent >= count or tag_ids[best] == tags[0] or tag_ids[best] == tags[1]:
        return alone
    floor = max(_SIBLING_SHARE * scores[best], _SIBLING_FLOOR)
    found = np.empty(ends[parent] - parent, np.int64)
    kept = 0
    child = parent + 1
    while child < ends[parent]:
        # A short paragraph that closes a Chinese sentence and holds no link is the article's
        # too, however little it weighs: readability's rule for short paragraphs, read in Chinese.
        short = closing and linked[child] == 0 and prose[ends[child]] - prose[child] >= PROSE_BLOCK
        short = short and _ends_chinese_sentence(child, ends[child], starts, codes)
        taken = kinds[child] != TEXT and (scores[child] >= floor or short) and not skip[child]
        if child == best or taken:
            found[kept] = child
            kept += 1
        child = ends[child]
    return found[:kept]


@kernel
def _ends_chinese_sentence(first, end, starts, codes):  # type: ignore[no-untyped-def]
    """Whether the text of positions ``first`` to ``end`` ends a Chinese sentence: its last
    character, closing quotes and brackets aside, is 。！？ or …, or a Latin . ! ? after a wide
    character (a full stop typed on the wrong keyboard)."""
    last = -1
    for node in range(end - 1, first - 1, -1):
        for j in range(starts[node + 1] - 1, starts[node] - 1, -1):
            code = codes[j]
            if is_space(code):
                continue
            if last < 0:
                if _is_closer(code):
                    continue
                if code == 0x3002 or code == 0xFF01 or code == 0xFF1F or code == 0x2026:
                    return True
                if code != 46 and code != 33 and code != 63:
                    return False
                last = code
                continue
            return bool(is_wide(code))
    return False


@kernel
def _is_closer(code):  # type: ignore[no-untyped-def]
    """Closing quotes and brackets, which a sentence's end may stand inside."""
    return (
        code == 0x201D or code == 0x2019 or code == 0x300D or code == 0x300F or code == 0xFF09
        or code == 41 or code == 34 or code == 39 or code == 0x300B or code == 0x3011
    )  # fmt: skip
