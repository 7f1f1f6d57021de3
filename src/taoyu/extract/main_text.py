"""Main-content extraction for Chinese-first web pages.

How it decides, in order:

1. **Decode** bytes with the rule in :mod:`taoyu.io.encoding` (no silent mojibake).
2. **Prune** what is never content: scripts, styles, forms, navigation, footers, asides, and
   hidden nodes. ``display:none`` is always dropped (that is how SEO text hides); content hidden by
   ``visibility:hidden`` until JavaScript runs (WeChat's ``#js_content``) is kept when it is long.
   Nodes whose class or id says share bar, comments, related list, footer, breadcrumb, ad… are
   dropped unless they hold most of the page's text.
3. **Score blocks.** Every text-bearing block (p, div/td/li with own text, br-separated runs)
   gets a score from its non-link characters, with Chinese and Western sentence punctuation as
   the strongest sign of prose; link-dense blocks score near zero. Scores flow to the parent in
   full and the grandparent in half (readability's idea), so the container of the article — or of
   a forum thread's posts — collects the most. The page is read once, through lexbor's C
   functions (:mod:`taoyu.extract.lexbor`), and pruning (:mod:`taoyu.extract.prune`), scoring
   (:mod:`taoyu.extract.measure`), choosing (:mod:`taoyu.extract.blocks`) and rendering run on
   those arrays in compiled loops.
4. **Choose** the best container, and keep its sibling blocks that are prose too. When the best
   block is one of a series of same-shaped blocks (a forum thread's posts, a page of reviews,
   each in its own wrapper), the whole series is kept; a series of teasers with linked headlines
   is a feed, not a thread: when a teaser wins, the best block outside the feed is the article.
   A "comments" block that holds most of the page's text is the content, and its items survive
   pruning.
4a. **Threads and tables of contents.** On a thread page (:mod:`taoyu.extract.page_type`: a forum
   topic, a Q&A question) the replies are content, not chrome: comment blocks are not pruned, and
   the reply series outside the chosen block is added, each reply without its header (user,
   time, 回复). A list of a hundred links or more that holds half the page is its content (a
   novel's chapter list), not navigation.
4b. **Link lists** inside the chosen blocks are dropped: blocks mostly of links, and lists of
   linked headlines whose other text is dates, times and counts (related reports, a thread's
   index of replies).
5. **Clean lines**, one paragraph per line: portal chrome lines (【打印】【关闭】, 责任编辑, 分享到,
   版权所有, 举报电话, 打开APP, bylines, datelines, disclaimers…; :mod:`taoyu.extract.boilerplate`)
   are dropped, and so are teasers (a summary cut short with a link to the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import Literal

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from taoyu.extract.app_state import STATE_IDS, STATE_SCRIPTS, state_lines, with_state
from taoyu.extract.blocks import is_feed, prose_siblings
from taoyu.extract.blocks import series as series_of
from taoyu.extract.boilerplate import chrome_texts, without_chrome_lines
from taoyu.extract.labels import LabelPattern
from taoyu.extract.lexbor import PageArrays, read_page, tag_id
from taoyu.extract.link_lists import TEASER_BELOW, drop_link_lists, linked_headlines
from taoyu.extract.markdown import block_markdown
from taoyu.extract.measure import Measures, PageTree, measure
from taoyu.extract.page_type import is_thread_page
from taoyu.extract.prune import (
    ARTICLE_BODY,
    CONSENT_MANAGER_SELECTOR,
    POSITIVE,
    REPLY_LABEL,
    never_content,
    prune,
)
from taoyu.extract.warm_up import warm_up
from taoyu.io.encoding import decode_html
from taoyu.jit import kernel
from taoyu.text.chrome_vocabulary import is_credit_line, is_paywall
from taoyu.text.script import fold, holds_foldable

_REPLY_BODY = LabelPattern(r"content|text|message|body|markdown|detail|rich|t_f\b")
_REPLY_CHROME = LabelPattern(r"meta|info|user|author|avatar|time|date|head|foot|action|tool|opera")
_REPLY_TAGS = {"div", "li", "article", "section", "table", "tr", "dl", "dd"}


Format = Literal["text", "markdown"]


@dataclass(frozen=True, slots=True)
class PageShape:
    """How much text the page shows and how much of it is links, beside the same for the content
    chosen: what tells an article from a list of headlines, a menu or an empty shell, which the
    extracted text alone cannot (a list page's extraction is its longest list)."""

    page_chars: int = 0
    """Visible text of the page once scripts, navigation, forms and hidden nodes are gone."""
    page_link_chars: int = 0
    """Of which inside links."""
    content_chars: int = 0
    """Text of the blocks chosen as the content, less the link lists dropped from them."""
    content_link_chars: int = 0
    """Of which inside links."""
    state_chars: int = 0
    """Characters of content added from the app state the page embeds (:mod:`taoyu.extract.app_state`)."""
    recovered: bool = False
    """Whether the first extraction collapsed and this is the second reading (``extract_tree``)."""
    headline_lines: int = 0
    """Lines of the content that are a link alone, 8 characters or more: linked headlines."""
    teaser_lines: int = 0
    """Lines in the items those headlines lead: each headline and up to two lines under it (its
    summary, its date), and the short lines of a row's details below those (author, replies, last
    poster: :func:`_item_detail`), the shape of a column's page of teasers or a board's index
    (:func:`_teasers`)."""
    lines: int = 0
    """Lines of the content, counted when it has linked headlines."""
    other_chars: int = 0
    """Characters of the content's lines outside those items (whitespace aside): an article's
    paragraphs above a list of headlines, where a page of teasers has a heading at most."""
    lead_chars: int = 0
    """Of those, the characters of lines with a full stop (。) above the first headline: a short
    report over a column of related teasers, where a column's page has its name there."""
    paywall: bool = False
    """Whether a line removed as chrome was a paywall's message (订阅会员即可阅读全文): the page
    holds a teaser of its story (``chrome_vocabulary.is_paywall``)."""

    def as_meta(self) -> dict[str, int]:
        """The shape as the extract_html step stores it in ``meta.page_shape`` (the optional
        fields only when set), for page_body and for a reader of the dataset."""
        meta = {
            "page_chars": self.page_chars,
            "page_link_chars": self.page_link_chars,
            "content_chars": self.content_chars,
            "content_link_chars": self.content_link_chars,
        }
        if self.state_chars:
            meta["state_chars"] = self.state_chars
        if self.recovered:
            meta["recovered"] = 1
        if self.paywall:
            meta["paywall"] = 1
        if self.headline_lines:
            meta["headline_lines"] = self.headline_lines
            meta["teaser_lines"] = self.teaser_lines
            meta["lines"] = self.lines
            meta["other_chars"] = self.other_chars
            meta["lead_chars"] = self.lead_chars
        return meta


@dataclass(frozen=True, slots=True)
class Extraction:
    """The main text of a page, the shape of the page it came from, and the credits and records
    taken out of the text as chrome (a reporter's line, 来源：…, a dateline: at most
    :data:`_CREDITS`), which say what kind of text it is."""

    text: str
    shape: PageShape
    credits: tuple[str, ...] = ()


_EMPTY = Extraction("", PageShape())
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)")


def main_text(html: str | bytes, url: str | None = None, format: Format = "text") -> str:
    """The main content of a page, one paragraph per line ("" when there is none).

    ``format="markdown"`` keeps headings, lists, tables, code blocks and emphasis as Markdown.
    """
    if isinstance(html, bytes):
        html = decode_html(html).text
    if not html or html.isspace():  # (not strip(): that copies the page)
        return ""
    return extract_tree(LexborHTMLParser(html), format, url, html).text


def main_text_of_tree(tree: LexborHTMLParser, format: Format = "text", url: str | None = None) -> str:
    """``main_text`` on an already parsed page, for callers that read other things from the tree
    first (title, date): parsing twice would double the cost of extraction. Prunes the tree.
    Without the page's source a collapsed extraction is not read again: ``extract_tree`` with
    ``html`` does that."""
    return extract_tree(tree, format, url).text


def extract_tree(
    tree: LexborHTMLParser, format: Format = "text", url: str | None = None, html: str | None = None
) -> Extraction:
    """``main_text_of_tree`` with the page's shape (:class:`PageShape`), for the steps that judge
    whether a page has a body of its own. Prunes the tree. Given the page's ``html`` (the tree's
    source), an extraction that collapsed is retried (:func:`_recovered`)."""
    if not _warmed:
        _warm()
    extraction = _extract(tree, format, url)
    if html is not None and len(extraction.text) < _COLLAPSED_BELOW:
        # Only when the page holds many more full stops than the result: one count of the page
        # (30 µs), where a second reading costs as much as the first.
        stops = html.count("。")
        if stops >= _RECOVERED_STOPS and stops >= _RECOVERED_FACTOR * (extraction.text.count("。") + 1):
            return _recovered(extraction, html, format, url)
    return extraction


# Extraction collapse: on a page with thousands of characters of body text, the rules that make
# extraction precise (chrome labels, hidden styles, <aside>, <noscript>, a form) can remove the
# body itself; what is left is a sidebar, a cookie banner or a UI string. A short result is
# checked against the page read with none of those rules: when the content that reading chooses
# holds several times as much prose (Han characters in sentences, few links), the first result
# was a failure, and the second is taken. (A body scored but split into pieces that each lose to
# a widget is not recovered this way: the second reading scores it the same.)
_COLLAPSED_BELOW = 400  # characters: a result this short may be a collapse (one check of its length)
_RECOVERED_PROSE = 300  # Han characters in sentences the second reading must hold
_RECOVERED_FACTOR = 3  # and this many times the Han characters of the first result
_RECOVERED_LINKS = 0.3  # at most this share of its content inside links
_RECOVERED_STOPS = 20  # full stops (。) the page's source must hold for a second reading to be tried
# What is never text a person reads, whatever the page does with it, and a consent manager's
# policy: the second reading keeps navigation, asides, footers, forms, <noscript>, <template>,
# hidden and chrome-labelled blocks.
_NEVER_READ = (
    "script, style, head, svg, canvas, object, embed, map, iframe, select, button, input, rt, rp, "
    + CONSENT_MANAGER_SELECTOR  # a consent manager's policy is no page's body
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE = re.compile(r"[。！？；!?;]")


def _recovered(first: Extraction, html: str, format: Format, url: str | None) -> Extraction:
    """``first``, or the page extracted again without pruning when that holds the body ``first``
    lost (see above)."""
    second = _extract(LexborHTMLParser(html), format, url, prune_rules=False)
    shape = second.shape
    if shape.content_link_chars > _RECOVERED_LINKS * max(shape.content_chars, 1):
        return first
    prose = sum(len(_HAN.findall(line)) for line in second.text.split("\n") if _SENTENCE.search(line))
    if prose < _RECOVERED_PROSE or prose < _RECOVERED_FACTOR * len(_HAN.findall(first.text)):
        return first
    return Extraction(second.text, replace(second.shape, recovered=True))


_warmed = False


def _warm() -> None:
    """Load every compiled loop before the first page (:mod:`taoyu.extract.warm_up`)."""
    global _warmed
    _warmed = True
    warm_up(lambda html, url, format: _extract(LexborHTMLParser(html), format, url).text)  # type: ignore[arg-type]


def _extract(tree: LexborHTMLParser, format: Format, url: str | None, prune_rules: bool = True) -> Extraction:
    """The main text of a parsed page and its shape: read and prune the page, choose its content
    blocks, add a thread's replies or a table of contents, drop link lists, and render."""
    root = tree.body or tree.root
    if root is None:
        return _EMPTY
    page, state, thread_page, threads, topic = _read_and_prune(tree, root, url, prune_rules)
    # Whether a chrome pattern must see folded text: one pass over the page's code points, which
    # spares the fold's own check of each list of lines and block texts on a Simplified page.
    traditional = holds_foldable(page.codes)
    if not len(page.keys):  # the root itself was pruned (a <body class="footer">): nothing is left
        return Extraction("\n".join(state), PageShape()) if state else _EMPTY
    measures = measure(root, partial(chrome_texts, traditional=traditional), page)
    blocks = partial(
        _extract_blocks,
        root,
        measures,
        state,
        thread_page,
        threads,
        traditional,
        format,
        pruned=prune_rules,
        topic=topic,
    )
    extraction, positions = blocks()
    if extraction.text or not extraction.shape.content_chars:
        return extraction
    # Every line chosen was chrome: a disclaimer or a copyright footer (long, so not screened when
    # blocks are scored) outscored a short article. The best block outside it is the content, if
    # it holds a sentence (on a list page, the next block is one more teaser, cut short).
    chosen = set(measures.tree.page.keys[positions].tolist())
    ranked = _ranked_outside(chosen, chosen & set(measures.scores), measures)
    if not len(ranked) or measures.score_at[ranked[0]] <= 0:
        return extraction
    best = int(ranked[0])
    second = blocks(best)[0]
    return second if _SENTENCE_END.search(second.text) else extraction


def _extract_blocks(
    root: LexborNode,
    measures: Measures,
    state: list[str],
    thread_page: bool,
    threads: set[int],
    traditional: bool,
    format: Format,
    best: int | None = None,
    *,
    pruned: bool = True,
    topic: str | None = None,
) -> tuple[Extraction, list[int]]:
    """The blocks chosen around the best one (the page's best unless ``best`` is given), with a
    thread's replies or a table of contents, less link lists, rendered; and their positions.
    ``pruned``: whether what is never content was pruned first (see :func:`_chosen_blocks`).
    ``topic``: the page's heading (:func:`_topic`), put first on a thread page (not on any page
    of same-classed blocks: an article set in them keeps its headline in the title field)."""
    measured = measures.tree
    positions, posts = _chosen_blocks(measures, threads, thread_page, best, pruned=pruned)
    # As selectolax nodes, when something needs them; found before link lists leave the DOM.
    parts: list[LexborNode] | None = None
    thread = thread_page and not posts  # a series of posts already holds the replies
    if thread or format == "markdown":
        parts = [measures.node_at(position) for position in positions]
    removed: list[int] = []
    if thread and parts is not None:
        replies = _replies(root, parts, measures)
        headers = [header for part in parts for header in _post_headers(part, measures)]
        if headers:  # out of the DOM too, for Markdown
            measured.remove(headers)
            removed += headers
        parts += replies
        positions += measured.positions(replies)
    for part in positions:
        removed += drop_link_lists(part, measured)
    directory = _directory(root, positions, measures)
    if directory is not None:
        positions += measured.positions([directory])
        if parts is not None:
            parts.append(directory)
    shape = _shape(measured, positions, removed)
    extraction = _rendered(measured, positions, parts, removed, shape, state, traditional, format)
    if shape.content_link_chars >= _HEADLINE_GATE * shape.content_chars and shape.content_link_chars:
        extraction = _teasers(extraction, measured, positions, removed, format)
    if topic and extraction.text:  # a topic is read on thread pages only
        extraction = _with_topic(extraction, topic, format)
    return extraction, positions


def _topic(tree: LexborHTMLParser) -> str | None:
    """The page's first <h1> when the <title> holds it and it is not a link: on a forum or a Q&A
    page, the topic or the question that the posts answer; with the question's detail after it
    when the blocks that follow the heading hold it (:func:`_detail`). Read before pruning, which
    takes a thread's or a question's header with its chrome (class ``QuestionHeader``,
    ``thread-header``). Lines are separated by newlines."""
    heading = tree.css_first("h1")
    if heading is None:
        return None
    text = _WHITESPACE.sub(" ", heading.text(separator=" ")).strip()
    if len(text) < _TOPIC_CHARS or heading.css_first("a") is not None:
        return None
    title = tree.css_first("title")
    within = _WHITESPACE.sub("", title.text()) if title is not None else ""
    if _WHITESPACE.sub("", text) not in within:
        return None
    return "\n".join([text, *_detail(heading)])


_TOPIC_CHARS = 4
_HELD_CLAUSE = 8  # characters of a detail's clause found in the text that say it is there
_CLAUSE_BREAK = re.compile(r"[\s。！？；!?;，,、：:]+")
# A question's detail: the blocks right after its heading (its siblings, or its parent's when the
# heading stands alone in a wrapper) that read as prose: a sentence, this many Han characters,
# few links. At most this many blocks, and the first block that is not prose ends it.
_DETAIL_HAN = 15
_DETAIL_BLOCKS = 3
_DETAIL_LINKS = 0.3


def _detail(heading: LexborNode) -> list[str]:
    """The lines of a question's detail under its heading (see above); none when the blocks after
    the heading are not prose (a forum's [复制链接], a Q&A page's list of answers' counts)."""
    node: LexborNode | None = heading
    for _ in range(2):  # the heading's next siblings, or its wrapper's
        if node is None:
            return []
        following = node.next
        while following is not None and not following.is_element_node:
            following = following.next
        if following is not None:
            break
        node = node.parent
    lines: list[str] = []
    block = following
    while block is not None and len(lines) < _DETAIL_BLOCKS:
        if block.is_element_node:
            text = _WHITESPACE.sub(" ", block.text(separator=" ")).strip()
            linked = sum(len(link.text()) for link in block.css("a"))
            prose = _SENTENCE.search(text) and len(_HAN.findall(text)) >= _DETAIL_HAN
            if not prose or linked > _DETAIL_LINKS * len(text):
                break
            lines.append(text)
        block = block.next
    return without_chrome_lines(lines) if lines else lines


def _with_topic(extraction: Extraction, topic: str, format: Format) -> Extraction:
    """``extraction`` with the thread's topic (and its question's detail) as its first lines,
    less those its text holds already. The gold of forum and Q&A pages keeps the topic (12 of
    the 13 forum pages of magic_html_bench that have an <h1>), where an article's gold leaves its
    headline to the title field."""
    held = _WHITESPACE.sub("", extraction.text)
    heading, *detail = topic.split("\n")
    # The detail goes in only when none of its clauses is in the text already: a forum's first
    # post beside its heading is in it, less its header (user, time) that the detail would bring.
    clauses = [clause for line in detail for clause in _CLAUSE_BREAK.split(line)]
    if any(len(clause) >= _HELD_CLAUSE and clause in held for clause in clauses):
        detail = []
    lines = [line for line in (heading, *detail) if _WHITESPACE.sub("", line) not in held]
    if not lines:
        return extraction
    if format == "markdown" and lines[0] == heading:
        lines[0] = f"# {heading}"
    separator = "\n\n" if format == "markdown" else "\n"
    return Extraction(separator.join([*lines, extraction.text]), extraction.shape)


# Linked headlines. A column's page of teasers (each a linked headline over a summary and a date)
# keeps most of its text outside links, so the share of links does not tell it from an article;
# its lines do: most are a headline or the line or two under one. Counted only where links are a
# tenth of the content or more (an article's inline links never fill a line of their own).
_HEADLINE_GATE = 0.1


# A board's or a table's row holds more under its linked title than a teaser does: the author, the
# replies and views, the last poster and the dates, each a short line of its own. Such lines
# continue the item past TEASER_BELOW, up to this many lines under the headline; a sentence or a
# longer line ends it.
_ITEM_LINES = 6
_ITEM_DETAIL_CHARS = 16


def _item_detail(line: str, under: int) -> bool:
    """Whether ``line``, ``under`` lines below a linked headline, is one of its item's details (a
    name, a count, a date): short, and not a sentence."""
    return under <= _ITEM_LINES and len(line) <= _ITEM_DETAIL_CHARS and not _SENTENCE.search(line)


def _teasers(
    extraction: Extraction, tree: PageTree, positions: list[int], removed: list[int], format: Format
) -> Extraction:
    """``extraction`` with its linked headlines and the lines of the items they lead counted in
    its shape (:class:`PageShape`): a line is a headline when it is the whole text of a link in the
    chosen blocks (whitespace aside). Lines are the plain text's in either format (Markdown
    writes a headline as a link, [headline](url), and the page is the same page)."""
    links: set[str] = set()
    for position in positions:
        if 0 <= position < len(tree.page.keys):
            links.update(linked_headlines(tree, position, removed))
    if not links:
        return extraction
    if format == "markdown":
        plain = [line for part in tree.lines(positions, removed) for line in part]
    else:
        plain = extraction.text.split("\n")
    lines = [line for line in (_WHITESPACE.sub("", line) for line in plain) if line]
    headlines = teaser = other = lead = 0
    under = _ITEM_LINES + 1  # lines since the last headline (none yet)
    in_item = False  # whether the lines since the last headline all belong to its item
    for line in lines:
        if line in links:
            headlines += 1
            under, in_item = 0, True
        else:
            under += 1
            in_item = in_item and (under <= TEASER_BELOW or _item_detail(line, under))
        if in_item:
            teaser += 1
        else:
            other += len(line)
            if not headlines and "。" in line:  # a report's sentence; a thread's title ends with ？
                lead += len(line)
    if not headlines:
        return extraction
    shape = replace(
        extraction.shape,
        headline_lines=headlines,
        teaser_lines=teaser,
        lines=len(lines),
        other_chars=other,
        lead_chars=lead,
    )
    return Extraction(extraction.text, shape)


_WHITESPACE = re.compile(r"\s+")


def _read_and_prune(
    tree: LexborHTMLParser, root: LexborNode, url: str | None, prune_rules: bool
) -> tuple[PageArrays, list[str], bool, set[int], str | None]:
    """The page read into arrays, with the lines of its app state, whether it is a thread page,
    the comment threads kept for holding most of it, and a thread page's topic (:func:`_topic`).
    With ``prune_rules`` everything that is never content is pruned first; without (a second
    reading, after a collapse) only what is never read as text goes."""
    if prune_rules:
        page = read_page(root, never_content())
        state = _app_state(tree, page)  # before pruning takes the scripts
        thread_page = is_thread_page(tree, url, page)  # from the page as read: pruning drops its signs
        topic = _topic(tree) if thread_page else None  # before pruning takes a thread's header
        page, threads = prune(root, page, thread_page)
        return page, state, thread_page, threads, topic
    for node in root.css(_NEVER_READ):  # out of the DOM too, for Markdown (a rare page)
        node.decompose()
    return read_page(root), [], False, set(), None


def _chosen_blocks(
    measures: Measures, threads: set[int], thread_page: bool, best: int | None = None, *, pruned: bool = True
) -> tuple[list[int], bool]:
    """The positions of the content blocks, and whether they are a series of posts (a thread's,
    a page of reviews): the best block (the page's, unless ``best`` is given) and its prose
    siblings or its series, after the choice between comments and the post above them and
    between a feed's teaser and the article. A short sibling that closes a sentence is taken
    only on a ``pruned`` page: on a second reading (after a collapse) a cookie banner or a
    widget's notice still stands beside the body."""
    measured = measures.tree
    scores = measures.score_at
    best = measures.best_at if best is None else best
    in_threads = _mask(measured, threads)  # the comment threads kept for holding most of the page
    in_thread = bool(threads) and _inside_any(measured, best, in_threads)
    if in_thread:
        # Comments won. On a blog the post above them is the content, when it says so (class
        # post, article, content…), even at a twentieth of their length; on a forum or a review
        # page there is no such block and the comments are the content.
        post = _labelled_content_outside(threads, best, measures)
        if post is not None:
            best, in_thread = post, False
    least = 2 if thread_page else 3  # on a thread page, a topic with one reply is a series
    series = series_of(measured, best, scores, least)
    feed = bool(series) and is_feed(measured, series)
    if feed:
        # A teaser beat a short article: the article is the best block outside the feed.
        in_series = set(measured.page.keys[series].tolist())
        ranked = _ranked_outside(in_series, in_series, measures)
        if len(ranked):
            best = int(ranked[0])
            in_thread = bool(threads) and _inside_any(measured, best, in_threads)
            series = series_of(measured, best, scores, least)
            feed = bool(series) and is_feed(measured, series)
    # Once the comments lost to the post, they do not come back as its sibling.
    skip = np.zeros(len(scores), np.bool_) if in_thread else in_threads
    # Same-classed blocks that are all children of one element, on a page that is not a thread,
    # are an article's paragraphs (an encyclopedia entry renders each paragraph a <div> of the
    # same classes, its headings <div>s of others between them): the element is the block, so the
    # headings come with them and the lead beside it can join as a sibling. A thread's posts stay
    # a series: page_type says it is a thread.
    if series and not feed and not thread_page and not in_thread:
        parent = int(measured.parents[series[0]])
        if parent > 0 and all(int(measured.parents[p]) == parent for p in series):
            best, series = parent, []
    positions = (series if not feed else []) or prose_siblings(measured, best, scores, skip, closing=pruned)
    posts = bool(series) and not feed
    if not thread_page and not posts:
        positions = _widened(measured, positions, skip)
    return positions, posts


def _rendered(
    measured: PageTree,
    positions: list[int],
    parts: list[LexborNode] | None,
    removed: list[int],
    shape: PageShape,
    state: list[str],
    traditional: bool,
    format: Format,
) -> Extraction:
    """The chosen blocks as lines, less chrome lines, with the app state's lines: Markdown from
    the DOM nodes (it needs the tags), plain text from the tree as it was measured."""
    lines: list[str] = []
    if format == "markdown" and parts is not None:  # Markdown needs the tags
        gone = set(removed)  # a part that was itself a link list left the DOM: nothing to render
        for part, position in zip(parts, positions, strict=True):
            lines += [] if position in gone else block_markdown(part)
    else:  # plain text comes from the tree as it was measured, less the link lists dropped since
        for rendered in measured.lines(positions, removed):
            lines += rendered
    chrome: list[str] = []
    kept, added = with_state(without_chrome_lines(lines, traditional, chrome), state)
    text = _join_markdown(kept) if format == "markdown" and parts is not None else "\n".join(kept)
    credits, walled = _read_chrome(chrome)
    shape = replace(shape, paywall=True) if walled else shape
    return Extraction(text, _with_added(shape, added), credits)


_CREDITS = 3


def _read_chrome(chrome: list[str]) -> tuple[tuple[str, ...], bool]:
    """What the chrome lines removed say of the page, each line folded once: its credits and
    records (see :class:`Extraction`), as the page wrote them, and whether one was a paywall's
    message (:attr:`PageShape.paywall`)."""
    credits: list[str] = []
    walled = False
    for line in chrome:
        folded = fold(line).strip()
        walled = walled or is_paywall(folded)
        if len(credits) < _CREDITS and is_credit_line(folded):
            credits.append(line)
    return tuple(credits), walled


def _app_state(tree: LexborHTMLParser, page: PageArrays) -> list[str]:
    """The lines of the app state the page embeds, if it does. The page as read holds every
    element's id, so a page without such a script is told by a search of its labels' bytes; the
    CSS query that finds the script (most of a page's nodes visited) runs only on pages with one."""
    labels = page.label_bytes.tobytes()
    if not (STATE_IDS[0] in labels or STATE_IDS[1] in labels or STATE_IDS[2] in labels):  # no genexpr: 3 µs
        return []
    script = tree.css_first(STATE_SCRIPTS)
    return state_lines(script.text(deep=True)) if script is not None else []


def _with_added(shape: PageShape, added: int) -> PageShape:
    """The shape with the characters an app's state added counted as content outside links."""
    if not added:
        return shape
    return replace(shape, content_chars=shape.content_chars + added, state_chars=added)


def _shape(tree: PageTree, positions: list[int], removed: list[int]) -> PageShape:
    """The page's text and link characters (at the root), and the chosen blocks' (none of which
    holds another) less the link lists dropped from them."""
    if not len(tree.parents):
        return PageShape()
    total, linked = tree.total.item, tree.linked.item  # Python ints, no numpy scalars
    if len(positions) + len(removed) <= _FEW:
        chars = sum(map(total, positions)) - sum(map(total, removed))
        links = sum(map(linked, positions)) - sum(map(linked, removed))
    else:
        chosen, gone = np.array(positions, np.int64), np.array(removed, np.int64)
        prose = tree.prose_before if tree.prose_before is not None else np.zeros(len(tree.ends) + 1, np.int64)
        chars, links, _ = _sums_over(tree.total, tree.linked, tree.ends, prose, chosen, gone)
    return PageShape(total(0), linked(0), max(chars, 0), max(links, 0))


# Up to this many blocks, sums are taken in Python: a compiled call's arguments cost more to
# check (each array's type) than a few reads.
_FEW = 16


@kernel
def _sums_over(total, linked, ends, prose_before, chosen, gone):  # type: ignore[no-untyped-def]
    """Text and link characters of the ``chosen`` blocks less the ``gone`` ones, and the prose
    under the chosen (``prose_before``: see :class:`taoyu.extract.measure.PageTree`), in one call:
    a series may choose dozens of blocks, and numpy's scalars cost a call apiece."""
    chars = links = prose = 0
    for p in chosen:
        chars += total[p]
        links += linked[p]
        if p < len(ends):  # (the root's parent and grandparent, past the page's nodes, hold no prose)
            prose += prose_before[ends[p]] - prose_before[p]
    for p in gone:
        chars -= total[p]
        links -= linked[p]
    return chars, links, prose


def _mask(tree: PageTree, keys: set[int]) -> np.ndarray:
    """The blocks given by address, as a mask over the measured tree's positions."""
    mask = np.zeros(len(tree.parents), np.bool_)
    if keys:
        found = tree.positions_of(keys)
        mask[found[found >= 0]] = True
    return mask


def _inside_any(tree: PageTree, position: int, mask: np.ndarray) -> bool:
    """Whether the block or one of its ancestors is in the mask."""
    parents = tree.parents
    while position >= 0:
        if mask[position]:
            return True
        position = int(parents[position])
    return False


# Characters of prose an article container needs to be worth widening to: four short paragraphs
# (a WeChat post of a few lines was cut to one paragraph when this was 200, and when a page needed
# 400 characters of prose before its coverage was judged; no page of the four extraction sources
# moved with either).
_PROSE_HELD = 80
# The chosen blocks must hold this share of their content container's prose. A CMS that cuts an
# article into chunks (each in a grid beside an ad rail) leaves the best chunk with 62-69% of it on
# the extraction sources' pages; at 0.6 those lost their other chunks. Chosen blocks holding 73-79%
# of an <article> are articles whose container also holds a headline, a standfirst and captions.
_COVERED = 0.7


def _widened(tree: PageTree, positions: list[int], skip: np.ndarray) -> list[int]:
    """The chosen blocks, or the article container around them when they hold too little of its
    prose. Scores favour the block with the most prose directly under it, so when an article's
    paragraphs are wrapped one by one in nested sections (WeChat's editors do that) and only its
    last ones share a wrapper, that wrapper wins and the article loses its beginning. The
    container is what the markup names as the article's body (``#js_content``, ``articleBody``,
    ``<article>``), so teasers and comments elsewhere on the page never widen the choice; a
    container that holds blocks the choice must ``skip`` (a comment thread that lost to the post)
    is not taken either. Prose is a block's own text with a sentence mark and few links
    (``measure.PROSE_BLOCK``)."""
    count = len(tree.page.keys)
    chosen = [p for p in positions if 0 < p < count]
    below, ends = tree.prose_before, tree.ends
    if below is None or not chosen:
        return positions
    page_prose = below.item(-1)
    if len(chosen) <= _FEW:
        before, end = below.item, ends.item
        covered = sum(before(end(p)) - before(p) for p in chosen)
    else:
        empty = np.zeros(0, np.int64)
        covered = int(_sums_over(tree.total, tree.linked, ends, below, np.array(chosen, np.int64), empty)[2])
    if covered >= _COVERED * page_prose:
        return positions  # the page as a whole: most pages stop here
    article = _article_tag()
    holder = int(tree.parents[chosen[0]])
    while 0 < holder < count:
        if all(holder <= p < ends[holder] for p in chosen) and (
            tree.tag_ids[holder] == article or ARTICLE_BODY.search(tree.page.label(holder))
        ):
            if skip[holder : ends[holder]].any():
                return positions  # the comments that lost to the post are in it
            held = int(below[ends[holder]] - below[holder])
            return [holder] if covered < _COVERED * held and held >= _PROSE_HELD else positions
        holder = int(tree.parents[holder])
    return positions


@cache
def _article_tag() -> int:
    return tag_id("article")


_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-*] |\d+\. |> )")


def _join_markdown(texts: list[str]) -> str:
    """Blocks separated by a blank line, as Markdown needs; items of one list or quote stay together."""
    out: list[str] = []
    for block in texts:
        if out and _LIST_OR_QUOTE.match(block) and _LIST_OR_QUOTE.match(out[-1].rsplit("\n", 1)[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


def _ranked_outside(excluded: set[int], anchors: set[int], measures: Measures) -> np.ndarray:
    """The positions of scored blocks, best first, that are not excluded, not inside an excluded
    block, and do not hold one of the ``anchors`` (the excluded blocks that were scored)."""
    tree = measures.tree
    return tree.outside(measures.ranked, tree.positions_of(excluded), tree.positions_of(anchors))


def _labelled_content_outside(threads: set[int], best: int, measures: Measures) -> int | None:
    """The best block outside the comment threads whose class or id says it is the content."""
    values, page = measures.score_at, measures.tree.page
    floor = 0.05 * values[best]
    anchors = {key for key in threads if key in measures.scores}  # the threads that were scored
    for position in _ranked_outside(threads, anchors, measures).tolist():
        if values[position] < floor:
            return None
        if POSITIVE.search(page.label(position)):
            return int(position)
    return None


def _replies(root: LexborNode, parts: list[LexborNode], measures: Measures) -> list[LexborNode]:
    """On a thread page, the replies to the opening post: the series of same-shaped blocks outside
    the chosen content with the most non-link text (:func:`_reply_series`), each without its
    header (:func:`_reply_bodies`)."""
    taken = {part.mem_id for part in parts}
    holders = _ancestors(parts)
    candidates = [
        node
        for node in root.css("[class]")
        if node.tag in _REPLY_TAGS
        and node.mem_id not in taken
        and node.mem_id not in holders
        and not _inside(node, taken)
    ]
    text_chars = measures.text_chars
    return [body for item in _reply_series(candidates, measures) for body in _reply_bodies(item, text_chars)]


def _reply_series(candidates: list[LexborNode], measures: Measures) -> list[LexborNode]:
    """Of the ``candidates`` (in document order), the series of same-shaped blocks (tag and class)
    with the most non-link text: outermost only, two or more, labelled as replies, more prose
    than links, and not a feed of teasers. Replies are often one line each ("同意", "羡慕！"), too
    short for block scores to see, so the series is found by its shape, and a link-heavy series
    (a list of related questions) or a feed of teasers is not one."""
    text_chars, link_chars = measures.text_chars, measures.link_chars
    groups: dict[tuple[str, str], list[LexborNode]] = {}
    for node in candidates:
        groups.setdefault((node.tag, node.attributes.get("class") or ""), []).append(node)
    best: list[LexborNode] = []
    best_chars = 0
    for items in groups.values():
        if len(items) < 2:
            continue
        members: set[int] = set()
        outer = []
        for node in items:  # a reply quoting or nesting a reply of the same shape is inside it
            if not _inside(node, members):
                members.add(node.mem_id)
                outer.append(node)
        chars = sum(text_chars.get(node.mem_id, 0) for node in outer)
        prose = chars - sum(link_chars.get(node.mem_id, 0) for node in outer)
        if len(outer) < 2 or prose <= best_chars or prose < 0.5 * chars or not _labelled_reply(outer[0]):
            continue
        if is_feed(measures.tree, measures.tree.positions(outer)):
            continue
        best, best_chars = outer, prose
    return best


def _post_headers(part: LexborNode, measures: Measures) -> list[int]:
    """On a thread page, the headers of the posts inside a chosen block (the poster's name and
    profile, the floor, the time, 回复 and 举报): in each post of the block's reply series
    (:func:`_reply_series`), what lies outside the blocks labelled as its body
    (:func:`_reply_bodies`), as the positions of the outermost such subtrees. A post whose
    bodies hold less than half its text keeps its header: then the labels do not say which part
    is the post."""
    text_chars = measures.text_chars
    candidates = [node for node in part.css("[class]") if node.tag in _REPLY_TAGS]
    tree = measures.tree
    headers: list[int] = []
    for item in _reply_series(candidates, measures):
        bodies = _reply_bodies(item, text_chars)
        held = sum(text_chars.get(body.mem_id, 0) for body in bodies)
        if bodies == [item] or 2 * held < text_chars.get(item.mem_id, 0):
            continue
        spans = sorted((at, int(tree.ends[at])) for at in tree.positions(bodies) if at >= 0)
        start = tree.positions([item])[0]
        if start < 0 or not spans:
            continue
        headers += _outside_spans(start + 1, int(tree.ends[start]), spans, tree.ends)
    return headers


def _outside_spans(first: int, end: int, spans: list[tuple[int, int]], ends: np.ndarray) -> list[int]:
    """The outermost subtrees among positions ``first`` … ``end`` (a subtree's positions run to its
    ``ends``) that neither lie in nor hold one of the ``spans`` (sorted, disjoint)."""
    out = []
    at = first
    while at < end:
        inside = next((span_end for start, span_end in spans if start <= at < span_end), None)
        if inside is not None:
            at = inside  # a body: kept whole
        elif any(at < start < int(ends[at]) for start, _ in spans):
            at += 1  # holds a body: its children are judged one by one
        else:
            out.append(at)
            at = int(ends[at])
    return out


def _reply_bodies(item: LexborNode, text_chars: dict[int, int]) -> list[LexborNode]:
    """The text of a reply without its header (user name, time, floor number, 回复/举报 links):
    the outermost blocks in it labelled as its body, or the whole reply when none is, or none
    that holds text (``<i class="anticon-message">`` is an icon, not a body)."""
    bodies: set[int] = set()
    out = []
    for node in item.css("[class], [id]"):
        label = _label(node)
        if _REPLY_BODY.search(label) and not _REPLY_CHROME.search(label) and not _inside(node, bodies):
            bodies.add(node.mem_id)
            out.append(node)
    return out if any(text_chars.get(node.mem_id) for node in out) else [item]


def _directory(root: LexborNode, parts: list[int], measures: Measures) -> LexborNode | None:
    """A list of links that is most of the page: a table of contents (a novel's chapters, an
    archive's index). Block scores give links nothing, because on an article page they are
    navigation; here they are what the page is. A list holding at least half of the page's
    text, with a hundred links or more, is one; a page's menus and sitemaps never hold that much."""
    tree = measures.tree
    measured = len(tree.page.keys) > 0  # the root is at position 0
    total, links = (int(tree.total[0]), int(tree.linked[0])) if measured else (0, 0)
    if links < 0.5 * total:  # no list can hold more links than the page
        return None
    link_chars = measures.link_chars
    for node in root.css("ul, ol, dl"):  # document order: the outermost such list comes first
        if link_chars.get(node.mem_id, 0) >= 0.5 * total:
            taken = set(tree.page.keys[parts].tolist())
            if len(node.css("a")) < 100 or node.mem_id in taken or _inside(node, taken):
                return None
            return node
    return None


def _labelled_reply(item: LexborNode) -> bool:
    """Whether the item, its parent or its grandparent is labelled as a reply, comment, answer or
    post: a series of reply headers (user name, time) or of sidebar entries is not one."""
    node: LexborNode | None = item
    for _ in range(3):
        if node is None:
            return False
        if REPLY_LABEL.search(_label(node)):
            return True
        node = node.parent
    return False


def _label(node: LexborNode) -> str:
    """Class and id together: what a block's markup says it is."""
    attributes = node.attributes  # one read: selectolax builds the dict on every access
    return f"{attributes.get('class') or ''} {attributes.get('id') or ''}"


def _ancestors(nodes: Iterable[LexborNode]) -> set[int]:
    """Every block that holds one of ``nodes``: choosing one of them would take the nodes too."""
    holders: set[int] = set()
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in holders:
            holders.add(parent.mem_id)
            parent = parent.parent
    return holders


def _inside(node: LexborNode, ancestors: set[int]) -> bool:
    if not ancestors:
        return False
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ancestors:
            return True
        parent = parent.parent
    return False
