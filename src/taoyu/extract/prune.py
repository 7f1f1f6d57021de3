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
from selectolax.lexbor import LexborNode

from taoyu.extract.chars import is_space, is_wide
from taoyu.extract.labels import LabelPattern, LabelVocabulary, match_labels
from taoyu.extract.lexbor import PageArrays, kept_arrays, tag_table, unlink, unlink_nodes, unlinker
from taoyu.jit import kernel

NEVER_CONTENT = (
    "script, style, noscript, template, iframe, svg, canvas, select, button, input, textarea, "
    "nav, footer, aside, head, object, embed, map, rt, rp"
)
# Inline markup: inside running text, a chrome label on one of these (a topic link tagged "tag" or
# "keyword", a word linked to a share target) marks a word of the sentence, not a block of chrome.
INLINE = (
    "a, span, em, strong, b, i, u, s, font, mark, small, big, sup, sub, abbr, cite, q, dfn, code, kbd, "
    "var, time, label, ruby, rb, ins, del, bdi, bdo"
)
_INLINE_WORD = 40  # characters at most of an inline element read as a word or phrase of its sentence
NEGATIVE = LabelPattern(
    r"comment|share|social|footer|foot\b|copyright|related|recommend|hot|rank|sidebar|side-|side_|aside|"
    r"breadcrumb|crumb|menu|navbar|nav\b|nav-|nav_|topbar|toolbar|tool-bar|header|masthead|login|register|"
    r"advert|\bad\b|ad-|ad_|ads|banner|sponsor|promo|popup|modal|qrcode|download|app-|appdown|subscribe|"
    r"pagination|pager|next|prev(?!iew)|tags?\b|keyword|widget|author-info|reward|dashang|report|jubao|player|"
    r"navbox|infobox|hatnote|ambox|noprint|\btoc\b|cookie|consent|gdpr"
)
# Consent managers, by their vendors' names in the ids and classes thousands of sites load as they
# are (OneTrust, Cookiebot, Didomi, Quantcast's qc-cmp, TrustArc, Sourcepoint): a manager's cookie
# policy (OneTrust's preference centre is thousands of words) can outweigh a short article, and
# "consent" alone names a site's feature flags too (<body class="…-consent-management-enabled">).
CONSENT_MANAGERS = ("onetrust", "cookiebot", "didomi", "qc-cmp", "truste-", "truste_", "sp_message")
# The same as a CSS selector, for a reading that prunes nothing else (main_text's second reading).
CONSENT_MANAGER_SELECTOR = ", ".join(f'[id*="{name}" i], [class*="{name}" i]' for name in CONSENT_MANAGERS)
# Chrome however much of the page it holds: a long article's reference list can outweigh its text,
# and a consent manager's policy a short article's.
ALWAYS_CHROME = LabelPattern(
    r"\breferences\b|reflist|footnotes|editsection|catlinks|" + "|".join(CONSENT_MANAGERS)
)
POSITIVE = LabelPattern(
    r"article|content|post|entry|main|text|body|story|detail|news|message|t_f|postmessage|js_content|rich"
)
REPLY_LABEL = LabelPattern(r"comment|reply|replies|answer|post")
# English words that hold a chrome word without meaning it (a match they cut is void; see
# LabelVocabulary): publishArea shares nothing, catalogIndex and blogIndex log no one in, threads
# show no ads, Franklin is no rank, an inside-column no side column. Not "photo" (its "hot" is
# read): a photo's block is a figure, whose caption is chrome as a figcaption's is; not "read"
# (its "ad-"): read-more, read-count and reading-time blocks are chrome.
INNOCENT_WORDS = ("publish", "catalog", "blog", "thread", "frank", "inside")
# What a page's markup calls the one container of its article: WeChat's js_content, schema.org's
# articleBody used as a class, the common CMS names (<article> says the same). Hidden by its style
# it is waiting for a script to show it (WeChat hides every article so), whatever its length;
# main_text widens a choice to it when the choice holds too little of its prose.
ARTICLE_BODY = LabelPattern(
    r"js_content|rich_media_content|articlebody|article-body|article_body|article-content|"
    r"article_content|articlecontent|post-content|post_content|entry-content|entry_content|story-body"
)
# Forms are search boxes and comment boxes, except on ASP.NET WebForms sites, where one <form>
# wraps the whole page: a form holding this share of the page's text stays.
_PAGE_WIDE_FORM = 0.3
_CONTENT_BLOCK = 0.3  # a chrome-labelled block holding this share of the page is its content
_LONG_HIDDEN = 200  # characters of visibility:hidden text that are content waiting for a script
# Captions of the page's pictures. Those written in Chinese or Japanese are read as the article's
# (the human gold of Chinese and Japanese pages keeps them: 37 of 39 on the four extraction sources),
# those in an alphabet are not (the gold leaves 111 of 114 out, as trafilatura
# does, and they are mostly credits: "Credit: Getty Images", "(Image credit: NASA)"). Unless they
# hold this share of the page's text: then the page is a gallery, and its captions are its text.
_GALLERY = 0.5
_NEVER, _FORM, _CODE, _INLINE, _CAPTION = 1, 2, 4, 8, 16  # tag rules
_TAG_RULES = (
    (NEVER_CONTENT, _NEVER),
    ("form", _FORM),
    ("pre, code", _CODE),
    (INLINE, _INLINE),
    ("figcaption", _CAPTION),
)
_HIDE, _HIDE_IF_SHORT = 1, 2  # style rules


def prune(root: LexborNode, page: PageArrays, thread_page: bool) -> tuple[PageArrays, set[int]]:
    """Remove what is never content from the tree under ``root`` (``page``, read with
    :func:`never_content` as leaves); return the page that is left, and the addresses of the
    chrome-labelled blocks kept for holding most of the page (a "comments" block that is a
    thread). On a thread page, replies are content: a block labelled comment or reply stays."""
    styles = np.array([_style_rule(style) for style in page.styles], np.uint8)
    for k in np.flatnonzero(styles & _HIDE_IF_SHORT).tolist():  # rare: visibility:hidden
        if ARTICLE_BODY.search(page.label(int(page.styled[k]))):
            styles[k] &= ~np.uint8(_HIDE_IF_SHORT)  # an article body waiting for its script
    functions = unlinker(page)
    if len(functions):  # read in compiled code: one call does it all, unless a label is not ASCII
        labels = page.labelled, page.label_bytes, page.label_starts, page.label_ids
        text = page.starts, page.codes
        done, *kept, kept_blocks = _pruned(
            page.keys, page.parents, page.tag_ids, page.elements, *text, *labels, page.styled, styles,
            _tag_rules(), thread_page, functions, *_VOCABULARY.arrays,
        )  # fmt: skip
        if done:
            return PageArrays.of_kept(tuple(kept)), set(kept_blocks.tolist())
    labels, not_ascii = _VOCABULARY.match(page.label_bytes, page.label_starts)
    if len(not_ascii):  # the trie reads ASCII only: the patterns read the rest
        texts = page.labels
        for k in not_ascii.tolist():
            labels[k] = sum(bit for pattern, bit in _VOCABULARY.patterns if pattern.search(texts[k]))
    decided = _decide(page.parents, page.tag_ids, page.starts, page.codes, _tag_rules(), page.styled, styles)
    labelled = page.labelled, labels, thread_page
    keep, kept_blocks, removed = _decided(
        page.keys, page.parents, page.elements, *labelled, functions, *decided
    )
    if not len(functions):  # read through Python: selectolax removes the nodes
        unlink(page, removed)
    return page.kept(keep), set(kept_blocks.tolist())


@lru_cache(maxsize=1 << 12)
def _style_rule(style: str) -> int:
    style = style.replace(" ", "").lower()
    return _HIDE * ("display:none" in style) | _HIDE_IF_SHORT * ("visibility:hidden" in style)


_NEGATIVE_BIT, _ALWAYS_BIT, _POSITIVE_BIT, _REPLY_BIT = 1, 2, 4, 8
_VOCABULARY = LabelVocabulary(
    [
        (NEGATIVE, _NEGATIVE_BIT),
        (ALWAYS_CHROME, _ALWAYS_BIT),
        (POSITIVE, _POSITIVE_BIT),
        (REPLY_LABEL, _REPLY_BIT),
    ],
    innocent=INNOCENT_WORDS,
)


@cache
def _tag_rules() -> np.ndarray:
    """The rules for each tag, by lexbor's tag id: never content, a form, code."""
    tables = [tag_table(tags.split(", "), np.uint8, rule) for tags, rule in _TAG_RULES]
    table = np.zeros(max(map(len, tables)), np.uint8)
    for rules in tables:
        table[: len(rules)] |= rules
    return table


@cache
def never_content() -> np.ndarray:
    """Whether a tag is never content, by lexbor's tag id: such subtrees need not be read."""
    return (_tag_rules() & _NEVER) > 0


@kernel
def _pruned(  # type: ignore[no-untyped-def]
    keys, parents, tag_ids, elements, starts, codes, labelled, label_bytes, label_starts, label_ids, styled,
    style_rules, tag_rules, thread_page, functions, *vocabulary,
):  # fmt: skip
    """:func:`prune` in one compiled call: the labels' bits, the removals (unlinked from the DOM)
    and the page that is left, with the kept blocks' addresses. Not done (and nothing removed)
    when a label is not ASCII: the patterns must read it first."""
    bits, not_ascii = match_labels(label_bytes, label_starts, *vocabulary)
    if len(not_ascii):
        empty = np.zeros(0, np.int64)
        kept = kept_arrays(
            keys, parents, tag_ids, elements, starts, codes, labelled, label_bytes, label_starts, label_ids,
            np.zeros(len(parents), np.bool_),
        )  # fmt: skip
        return (False, *kept, empty)
    decided = _decide(parents, tag_ids, starts, codes, tag_rules, styled, style_rules)
    keep, kept_blocks, _ = _decided(keys, parents, elements, labelled, bits, thread_page, functions, *decided)
    kept = kept_arrays(
        keys, parents, tag_ids, elements, starts, codes, labelled, label_bytes, label_starts, label_ids, keep
    )
    return (True, *kept, kept_blocks)


@kernel
def _decide(parents, tag_ids, starts, codes, tag_rules, styled, style_rules):  # type: ignore[no-untyped-def]
    """Each node's rules by its tag; each node's stripped text (``str.strip`` of each text node,
    summed over the subtree); then the never-content, form and hidden-style removals in
    document order, each rule seeing the text the rules before it left: the nodes gone, the
    text left in each subtree, and the page's text (after the never-content removals)."""
    count = len(parents)
    rules = np.zeros(count, np.uint8)
    left = np.zeros(count, np.int64)
    for i in range(count):
        if tag_ids[i] < len(tag_rules):
            rules[i] = tag_rules[tag_ids[i]]
        first, last = starts[i], starts[i + 1]
        while first < last and is_space(codes[first]):
            first += 1
        while last > first and is_space(codes[last - 1]):
            last -= 1
        left[i] = last - first
    for i in range(count - 1, 0, -1):
        left[parents[i]] += left[i]
    gone = np.zeros(count, np.bool_)
    for i in range(count):
        if rules[i] & _NEVER and not _in(gone, parents, i):
            _remove(i, gone, left, parents)
    total = max(left[0], 1) if count else 1
    for i in range(count):
        if rules[i] & _FORM and not _in(gone, parents, i) and left[i] < _PAGE_WIDE_FORM * total:
            _remove(i, gone, left, parents)
    for k in range(len(styled)):
        i = styled[k]
        if _in(gone, parents, i):
            continue
        if style_rules[k] & _HIDE or (style_rules[k] & _HIDE_IF_SHORT and left[i] < _LONG_HIDDEN):
            _remove(i, gone, left, parents)
    _remove_alphabetic_captions(parents, rules, starts, codes, gone, left)
    return rules, gone, left, total


@kernel
def _remove_alphabetic_captions(parents, rules, starts, codes, gone, left):  # type: ignore[no-untyped-def]
    """Remove the picture captions left that hold no Chinese, Japanese or Korean character, unless
    together they hold :data:`_GALLERY` of the page's text left (see ``_CAPTION``)."""
    count = len(parents)
    captions = np.zeros(count, np.bool_)
    held = 0
    for i in range(count):
        if not rules[i] & _CAPTION or left[i] == 0 or _in(gone, parents, i):
            continue
        if _below(rules, _CAPTION, parents, i):
            continue
        alphabetic = True
        j = i
        while alphabetic and j < count and (j == i or _descends(parents, j, i)):
            for c in range(starts[j], starts[j + 1]):
                code = codes[c]
                if is_wide(code) or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
                    alphabetic = False
                    break
            j += 1
        if alphabetic:
            captions[i] = True
            held += left[i]
    if held == 0 or held >= _GALLERY * max(left[0], 1):
        return
    for i in range(count):
        if captions[i]:
            _remove(i, gone, left, parents)


@kernel
def _descends(parents, j, i):  # type: ignore[no-untyped-def]
    """Whether node ``j`` lies below node ``i`` (a parent comes before its children)."""
    k = parents[j]
    while k > i:
        k = parents[k]
    return k == i


@kernel
def _decided(keys, parents, elements, labelled, labels, thread_page, functions, rules, gone, left, total):  # type: ignore[no-untyped-def]
    """The chrome-labelled blocks, in document order (``labels``: the vocabulary's bits): kept
    when they hold most of the page, else removed. A label names chrome when it matches the
    negative or always-chrome words and no positive one; on a thread page, not when it names
    replies. Chrome inside a kept block stays with it (a thread's replies inside its "comments"
    block), but always-chrome goes wherever it stands. An inline element with text on both sides
    of it in its parent is a word of a sentence, whatever its label says: removing it would cut
    the sentence. Then the removed
    subtrees are unlinked from the DOM (through lexbor, when ``functions`` are given); returns
    which nodes are left, the kept blocks' addresses, and the removed subtrees' roots."""
    count = len(parents)
    kept = np.zeros(count, np.bool_)
    first_text, last_text = _text_children(parents, elements, left)
    for k in range(len(labelled)):
        i = labelled[k]
        bits = labels[k]
        chrome = (bits & (_NEGATIVE_BIT | _ALWAYS_BIT)) != 0 and (bits & _POSITIVE_BIT) == 0
        if not chrome or (thread_page and (bits & _REPLY_BIT) != 0):
            continue
        if _in(gone, parents, i) or _below(rules, _CODE, parents, i):
            continue
        if rules[i] & _INLINE and i > 0 and left[i] <= _INLINE_WORD:
            parent = parents[i]
            if first_text[parent] < i < last_text[parent]:  # inside running text: a word of it
                continue
        always = (bits & _ALWAYS_BIT) != 0
        if left[i] >= _CONTENT_BLOCK * total and not always:
            kept[i] = True
        elif always or not _below(kept, True, parents, i):  # always-chrome goes from a kept block too
            _remove(i, gone, left, parents)
    removed = np.flatnonzero(gone)
    if len(functions):
        unlink_nodes(keys, parents, removed, functions)
    keep = np.ones(count, np.bool_)
    for i in range(count):
        keep[i] = not gone[i] and (i == 0 or keep[parents[i]])
    if count and gone[0]:
        keep[:] = False
    return keep, keys[np.flatnonzero(kept)], removed


@kernel
def _text_children(parents, elements, left):  # type: ignore[no-untyped-def]
    """For each node, the positions of its first and last child that is a text node with text
    left (``count`` and -1 when it has none): an element between them sits inside running text."""
    count = len(parents)
    first = np.full(count, count, np.int64)
    last = np.full(count, -1, np.int64)
    for j in range(1, count):
        if not elements[j] and left[j] > 0:
            parent = parents[j]
            if j < first[parent]:
                first[parent] = j
            last[parent] = j
    return first, last


@kernel
def _in(flags, parents, i):  # type: ignore[no-untyped-def]
    """Whether node ``i`` or one of its ancestors is flagged."""
    while i >= 0:
        if flags[i]:
            return True
        i = parents[i]
    return False


@kernel
def _below(flags, flag, parents, i):  # type: ignore[no-untyped-def]
    """Whether one of node ``i``'s ancestors (not the node) has the ``flag``."""
    i = parents[i]
    while i >= 0:
        if flags[i] & flag:
            return True
        i = parents[i]
    return False


@kernel
def _remove(i, gone, left, parents):  # type: ignore[no-untyped-def]
    gone[i] = True
    taken = left[i]
    while i >= 0:
        left[i] -= taken
        i = parents[i]
