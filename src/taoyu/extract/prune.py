"""What is never content, removed before blocks are scored.

Scripts, styles, forms, navigation, footers, asides and hidden nodes go, and so do blocks whose
class or id names chrome (share bar, comments, related list, footer, breadcrumb, ad…) unless they
hold most of the page's text. ``display:none`` is always dropped (that is how SEO text hides);
content hidden by ``visibility:hidden`` until JavaScript runs (WeChat's ``#js_content``) is kept
when it is long.

The rules are decided on the page's arrays (:mod:`taoyu.extract.lexbor`) in one compiled pass
in document order, as the DOM queries they replace met the nodes: each rule sees the text left
by the rules before it. The removed subtrees are then unlinked from the DOM, so what reads the
tree afterwards (series, replies, link lists, Markdown) sees the pruned page.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from taoyu.extract.labels import LabelPattern
from taoyu.extract.lexbor import PageArrays, unlink
from taoyu.jit import kernel

NEVER_CONTENT = (
    "script, style, noscript, template, iframe, svg, canvas, select, button, input, textarea, "
    "nav, footer, aside, head, object, embed, map"
)
NEGATIVE = LabelPattern(
    r"comment|share|social|footer|foot\b|copyright|related|recommend|hot|rank|sidebar|side-|side_|aside|"
    r"breadcrumb|crumb|menu|navbar|nav\b|nav-|nav_|topbar|toolbar|tool-bar|header|masthead|login|register|"
    r"advert|\bad\b|ad-|ad_|ads|banner|sponsor|promo|popup|modal|qrcode|download|app-|appdown|subscribe|"
    r"pagination|pager|next|prev(?!iew)|tags?\b|keyword|widget|author-info|reward|dashang|report|jubao|player|"
    r"navbox|infobox|hatnote|ambox|noprint|\btoc\b"
)
# Chrome however much of the page it holds: a long article's reference list can outweigh its text.
ALWAYS_CHROME = LabelPattern(r"\breferences\b|reflist|footnotes|editsection|catlinks")
POSITIVE = LabelPattern(
    r"article|content|post|entry|main|text|body|story|detail|news|message|t_f|postmessage|js_content|rich"
)
REPLY_LABEL = LabelPattern(r"comment|reply|replies|answer|post")
# Forms are search boxes and comment boxes, except on ASP.NET WebForms sites, where one <form>
# wraps the whole page: a form holding this share of the page's text stays.
_PAGE_WIDE_FORM = 0.3
_CONTENT_BLOCK = 0.3  # a chrome-labelled block holding this share of the page is its content
_LONG_HIDDEN = 200  # characters of visibility:hidden text that are content waiting for a script


def prune(
    root: LexborNode, page: PageArrays, stripped: np.ndarray, thread_page: bool
) -> tuple[np.ndarray, set[int]]:
    """Remove what is never content from the tree under ``root``; return which of the page's
    nodes are left, and the addresses of the chrome-labelled blocks kept for holding most of the
    page (a "comments" block that is a thread). On a thread page, replies are content: a block
    labelled comment or reply stays. ``stripped`` is each text node's length, stripped."""
    hide_always = np.zeros(len(page.styled), np.bool_)
    hide_if_short = np.zeros(len(page.styled), np.bool_)
    for i, style in enumerate(page.styles):
        style = style.replace(" ", "").lower()
        hide_always[i] = "display:none" in style
        hide_if_short[i] = "visibility:hidden" in style
    candidates = np.zeros(len(page.labelled), np.bool_)
    always_chrome = np.zeros(len(page.labelled), np.bool_)
    for i, label in enumerate(page.labels):
        if negative_label(label) and not (thread_page and REPLY_LABEL.search(label)):
            candidates[i] = True
            always_chrome[i] = bool(ALWAYS_CHROME.search(label))
    tag_ids = page.tag_ids
    removed, kept_blocks = _decide(
        page.parents,
        _in_table(tag_ids, never_content()),
        _in_table(tag_ids, _tag_ids("form")),
        _in_table(tag_ids, _tag_ids("pre, code")),
        stripped,
        page.styled,
        hide_always,
        hide_if_short,
        page.labelled,
        candidates,
        always_chrome,
    )
    unlink(page, removed)
    return _left(page.parents, removed), set(page.keys[kept_blocks].tolist())


def negative_label(label: str) -> bool:
    """Whether a class/id names chrome; labels repeat within and across pages, so it is memoised."""
    return _negative_label(label)


@lru_cache(maxsize=1 << 16)
def _negative_label(label: str) -> bool:
    return bool(NEGATIVE.search(label) or ALWAYS_CHROME.search(label)) and not POSITIVE.search(label)


@cache
def _tag_ids(selector: str) -> np.ndarray:
    """lexbor's ids of a list of tags, as a lookup table by id."""
    probe = LexborHTMLParser("")
    ids = [probe.create_node(tag).tag_id for tag in selector.split(", ")]
    table = np.zeros(max(ids) + 1, np.bool_)
    table[ids] = True
    return table


def never_content() -> np.ndarray:
    """The never-content tags by lexbor's tag id: their subtrees need not be read."""
    return _tag_ids(NEVER_CONTENT)


def _in_table(tag_ids: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each tag id is in the table (an unknown tag's id is past its end)."""
    found = np.zeros(len(tag_ids), np.bool_)
    known = tag_ids < len(table)
    found[known] = table[tag_ids[known]]
    return found


@kernel
def _decide(  # type: ignore[no-untyped-def]
    parents, never, forms, code, stripped, styled, hide_always, hide_if_short, labelled, candidates, chrome
):
    """The removed subtrees' roots and the kept chrome-labelled blocks, rule after rule in
    document order. ``left`` is each node's text still in the tree: removing a subtree takes its
    text from every ancestor's."""
    count = len(parents)
    left = stripped.copy()
    for i in range(count - 1, 0, -1):
        left[parents[i]] += left[i]
    gone = np.zeros(count, np.bool_)
    for i in range(count):
        if never[i] and not _in(gone, parents, i):
            _remove(i, gone, left, parents)
    total = max(left[0], 1)
    for i in range(count):
        if forms[i] and not _in(gone, parents, i) and left[i] < _PAGE_WIDE_FORM * total:
            _remove(i, gone, left, parents)
    for k in range(len(styled)):
        i = styled[k]
        if _in(gone, parents, i):
            continue
        if hide_always[k] or (hide_if_short[k] and left[i] < _LONG_HIDDEN):
            _remove(i, gone, left, parents)
    kept = np.zeros(count, np.bool_)
    for k in range(len(labelled)):
        i = labelled[k]
        if not candidates[k] or _in(gone, parents, i) or _below(code, parents, i):
            continue
        if left[i] >= _CONTENT_BLOCK * total and not chrome[k]:
            kept[i] = True
        elif not _below(kept, parents, i):
            _remove(i, gone, left, parents)
    return np.flatnonzero(gone), np.flatnonzero(kept)


@kernel
def _in(flags, parents, i):  # type: ignore[no-untyped-def]
    """Whether node ``i`` or one of its ancestors is flagged."""
    while i >= 0:
        if flags[i]:
            return True
        i = parents[i]
    return False


@kernel
def _below(flags, parents, i):  # type: ignore[no-untyped-def]
    """Whether one of node ``i``'s ancestors (not the node) is flagged."""
    return _in(flags, parents, parents[i])


@kernel
def _remove(i, gone, left, parents):  # type: ignore[no-untyped-def]
    gone[i] = True
    taken = left[i]
    while i >= 0:
        left[i] -= taken
        i = parents[i]


@kernel
def _left(parents, removed):  # type: ignore[no-untyped-def]
    """Whether each node is still in the tree: not in a removed subtree."""
    count = len(parents)
    gone = np.zeros(count, np.bool_)
    for i in removed:
        gone[i] = True
    for i in range(1, count):
        gone[i] = gone[i] or gone[parents[i]]
    if count and gone[0]:
        gone[:] = True
    return ~gone
