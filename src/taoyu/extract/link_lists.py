"""Link lists inside the chosen content: "相关报道" under the story, a list of earlier pieces on
the same topic, a tag cloud, a thread's index of replies.

They sit inside the article's container, so choosing the container keeps them; readability
cleans them out the same way. A block of the kinds lists are made of (``ul, ol, dl, div, table,
td, section, p``) with two links or more is one when it is mostly links and the part's prose is
elsewhere, or when it is linked headlines whose other text is dates, times and counts.

The blocks are found on the measured tree's arrays (:class:`taoyu.extract.measure.PageTree`),
in document order as a DOM query meets them; only the few blocks that come close are read as
text, for the metadata patterns.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from taoyu.extract.measure import LINK, PageTree, stripped_texts
from taoyu.jit import kernel

_LIST_BLOCKS = ("ul", "ol", "dl", "div", "table", "td", "section", "p")
_LINK_SHARE = 0.6
_LEAST_LINKS = 2
# A list of linked headlines that each carry a date, a time or counts ("(2005-04-27 14:32)",
# "08-11 16:06 298字 [4321/87]") is still a list of links: that text is the items' metadata.
_LISTED_SHARE = 0.3
_LISTED_WITH_METADATA = 0.8
_ITEM_METADATA = re.compile(
    r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{4}年\d{1,2}月|\d{1,2}[-/月]\d{1,2}日?"  # dates
    r"|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?"  # times
    r"|\d+\s*(?:字|次|楼|回复|阅读|评论)|\[\s*\d+(?:\s*/\s*\d+)*\s*\]|[(（]\s*\d+\s*[)）]"  # 29字 [43/8] (88)
    r"|[\s·•|【】()（）\[\]<>《》:：,，/_~-]"  # what brackets and separates them
)
# Runs of characters that could be part of item metadata: what is left is words for certain.
_MAYBE_METADATA = re.compile(r"[\d\s·•|【】()（）\[\]<>《》:：,，/_~\-.年月日字次楼回复阅读评论AaPpMm]+")


def drop_link_lists(part: int, tree: PageTree) -> list[int]:
    """Remove the link lists inside the part at position ``part`` of the measured tree, from the
    DOM and from ``tree.gone``; return their positions."""
    removed: list[int] = []
    text_chars, link_chars = tree.total, tree.linked
    if part < 0 or not link_chars[part]:  # no links in it, so no link list
        return removed
    prose = text_chars[part] - link_chars[part]
    part_words: _Words | None = None  # the part's words outside links, read when first needed
    arrays = tree.parents, tree.ends, tree.kinds, tree.tag_ids, _list_blocks(), text_chars, link_chars
    candidates = _candidates(part, *arrays)
    for node in candidates.tolist():
        if removed and _inside_one(node, removed, tree.ends):  # removed with an outer block
            continue
        chars, links = text_chars[node], link_chars[node]
        # A short article under a long list of links: the block holding the article is not one.
        if links >= _LINK_SHARE * chars and chars - links < 0.5 * prose:
            removed.append(node)
            continue
        # Linked headlines with dates, times or counts beside them: once that metadata is out,
        # a few characters an item are left, and the article, not the list, holds the words.
        words = _Words(node, tree, removed)
        few = (1 - _LISTED_WITH_METADATA) * chars
        if words.at_least() > few or words.exactly() > few:
            continue
        part_words = part_words or _Words(part, tree, removed)
        if words.exactly() < 0.5 * part_words.at_least() or words.exactly() < 0.5 * part_words.exactly():
            removed.append(node)
    if removed:
        tree.remove(removed)
    return removed


class _Words:
    """Characters of a block's text outside its links that are not item metadata (dates, times,
    counts, and the brackets and dots around them). Finding the metadata takes a regex over the
    text (~80 ns a character, slow on a whole article); a lower bound, the characters that can
    be no part of any metadata less all link text, takes a pass of one character class (~30 ns)
    and often decides."""

    def __init__(self, node: int, tree: PageTree, removed: list[int]) -> None:
        texts = stripped_texts(tree, node, removed)  # the block's, then each of its links'
        self._text = texts[0]
        self._links = texts[1:]
        self._exactly = -1

    def at_least(self) -> int:
        return len(_MAYBE_METADATA.sub("", self._text)) - sum(map(len, self._links))

    def exactly(self) -> int:
        if self._exactly < 0:
            self._exactly = _words(self._text) - sum(map(_words, self._links))
        return self._exactly


def _words(text: str) -> int:
    return len(_ITEM_METADATA.sub("", text))


@cache
def _list_blocks() -> np.ndarray:
    """Whether a tag is one of the list blocks, by lexbor's tag id."""
    probe = LexborHTMLParser("")
    ids = [probe.create_node(tag).tag_id for tag in _LIST_BLOCKS]
    table = np.zeros(max(ids) + 1, np.bool_)
    table[ids] = True
    return table


@kernel
def _candidates(part, parents, ends, kinds, tag_ids, blocks, text_chars, link_chars):  # type: ignore[no-untyped-def]
    """The list blocks in the part (the part too, as a DOM query includes it), in document order,
    with text, at least a third of it in links, and two links or more."""
    links = np.zeros(ends[part] - part, np.int64)  # links in each node's subtree, bottom-up
    for node in range(ends[part] - 1, part, -1):
        links[parents[node] - part] += links[node - part] + (kinds[node] == LINK)
    found = np.zeros(ends[part] - part, np.bool_)
    for node in range(part, ends[part]):
        chars = text_chars[node]
        block = tag_ids[node] < len(blocks) and blocks[tag_ids[node]]
        listed = block and chars and link_chars[node] >= _LISTED_SHARE * chars
        found[node - part] = listed and links[node - part] >= _LEAST_LINKS
    return part + np.flatnonzero(found)


def _inside_one(node: int, blocks: list[int], ends: np.ndarray) -> bool:
    return any(block <= node < ends[block] for block in blocks)
