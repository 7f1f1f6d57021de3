"""Link lists inside the chosen content: "相关报道" under the story, a list of earlier pieces on
the same topic, a tag cloud, a thread's index of replies.

They sit inside the article's container, so choosing the container keeps them; readability
cleans them out the same way. A block of the kinds lists are made of (``ul, ol, dl, div, table,
td, section, p``) with two links or more is one when it is mostly links and the part's prose is
elsewhere, when it is linked headlines whose other text is dates, times and counts, or when it is
teasers of other pages (为你推荐: linked headlines over a line or two of summary each) beside an
article that holds more words than they do.

The blocks are found on the measured tree's arrays (:class:`taoyu.extract.measure.PageTree`),
in document order as a DOM query meets them, and their metadata is counted in compiled code.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from taoyu.extract.chars import is_space
from taoyu.extract.lexbor import tag_table
from taoyu.extract.measure import LINK, PageTree, stripped_codes
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


_TEASERS = 3  # linked headlines a list of teasers has at least
_TEASER_LINK_SHARE = 0.15  # of a list of teasers' text, in links (the headlines) at least
HEADLINE_CHARS = 8  # a link alone on its line this long is a headline, not a name or a control
TEASER_BELOW = 2  # lines of summary, date and source under a headline that belong to its item
_TEASER_LINE = 120  # a longer line under a headline is a paragraph, not a teaser's summary
_LIST_TITLE = 16  # a line above the first headline as long as a list's title (为你推荐)
_SUMMARY_WORDS = 10  # letters (Han included) in a line under a headline that says something


def linked_headlines(tree: PageTree, node: int, removed: list[int]) -> list[str]:
    """The texts of the links in the block at position ``node`` long enough to be headlines
    (``HEADLINE_CHARS``), whitespace taken out: a line equal to one is a linked headline."""
    codes, bounds = stripped_codes(tree, node, removed)
    text, starts = codes.tobytes().decode("utf-32-le", "surrogatepass"), bounds.tolist()
    return [  # the block's own text first, then each link's
        _WHITESPACE.sub("", text[starts[k] : starts[k + 1]])
        for k in range(1, len(starts) - 1)
        if starts[k + 1] - starts[k] >= HEADLINE_CHARS
    ]


def _is_teaser_list(node: int, tree: PageTree, removed: list[int]) -> bool:
    """Whether the block is linked headlines, each over at most two short lines (a summary, a
    date), and nothing else but a short title above them: a line is a headline when it is the
    whole text of a link in the block (a link that shows its URL is not one)."""
    links = {link for link in linked_headlines(tree, node, removed) if not _ADDRESS.match(link)}
    if len(links) < _TEASERS:
        return False  # too few headlines to be a list of teasers: no need to render the block
    headlines = summaries = 0
    under = 0
    for line in tree.lines([node], removed)[0]:
        line = _WHITESPACE.sub("", line)
        if not line:
            continue
        if line in links:
            headlines += 1
            under = 0
            continue
        under += 1
        if headlines and (under > TEASER_BELOW or len(line) > _TEASER_LINE):
            return False
        if not headlines and (under > 1 or len(line) > _LIST_TITLE):
            return False
        summaries += headlines > 0 and sum(char.isalpha() for char in line) >= _SUMMARY_WORDS
    # Most teasers say something under the headline; a table's linked names over figures do not.
    return headlines >= _TEASERS and 2 * summaries >= headlines


_WHITESPACE = re.compile(r"\s+")
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)  # a link that shows its URL


def drop_link_lists(part: int, tree: PageTree) -> list[int]:
    """Remove the link lists inside the part at position ``part`` of the measured tree from the
    DOM, and return their positions (the measured arrays stay as they were)."""
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
        few = (1 - _LISTED_WITH_METADATA) * chars
        words = _Words(node, tree, removed) if links >= _LISTED_SHARE * chars else None
        if words is not None and words.at_least() <= few and words.exactly() <= few:
            part_words = part_words or _Words(part, tree, removed)
            if words.exactly() < 0.5 * part_words.at_least() or words.exactly() < 0.5 * part_words.exactly():
                removed.append(node)
                continue
        # Linked headlines over a line or two of summary each (为你推荐, 相关阅读, 猜你喜欢):
        # teasers of other pages, beside an article that holds more words than they do.
        if (
            links >= _TEASERS * HEADLINE_CHARS
            and chars - links < 0.5 * prose
            and _is_teaser_list(node, tree, removed)
        ):
            removed.append(node)
    if removed:
        tree.remove(removed)
    return removed


class _Words:
    """Characters of a block's text outside its links that are not item metadata (dates, times,
    counts, and the brackets and dots around them): ``at_least`` those that can be no part of any
    metadata less all link text, ``exactly`` the text less what the metadata pattern matches.

    The pattern costs ~80 ns a character in ``re``, slow on a whole article, and it can only
    match inside runs of the characters it is made of; a run without a digit can only lose its
    separators (each metadata alternative but the last needs a digit). So a compiled pass counts
    the characters, finds the runs and matches the pattern in the runs with digits
    (``_metadata_at``); ``re`` reads only a run with a character it alone knows (a digit of
    another script?)."""

    def __init__(self, node: int, tree: PageTree, removed: list[int]) -> None:
        # The block's text, then each of its links' (selectolax's text(strip=True) of each).
        codes, bounds = stripped_codes(tree, node, removed)
        not_maybe, words = word_counts(codes, bounds)
        self._at_least = not_maybe[0] - int(bounds[-1] - bounds[1])
        self._exactly = words[0] - sum(words[1:])

    def at_least(self) -> int:
        return self._at_least

    def exactly(self) -> int:
        return self._exactly


def word_counts(codes: np.ndarray, bounds: np.ndarray) -> tuple[list[int], list[int]]:
    """For each text (``codes[bounds[k]:bounds[k + 1]]``): its characters outside
    ``_MAYBE_METADATA``, and those left when ``_ITEM_METADATA`` is taken out."""
    counted = _metadata_counts(codes, bounds, _MARKS_TABLE, _EXTRA_WIDE)
    not_maybe, matched, unknown, runs, run_bounds, lengths = counted
    not_maybe, matched, lengths = not_maybe.tolist(), matched.tolist(), lengths.tolist()
    for text, code in unknown.tolist():  # characters only Python knows: a digit of another script?
        not_maybe[text] -= chr(code).isdecimal()
    if len(runs):  # each text's runs, NUL between them: no metadata match reaches across one
        joined, run_bounds = runs.tobytes().decode("utf-32-le", "surrogatepass"), run_bounds.tolist()
        for text in range(len(lengths)):
            if run_bounds[text] < run_bounds[text + 1]:
                piece = joined[run_bounds[text] : run_bounds[text + 1]]
                matched[text] += len(piece) - len(_ITEM_METADATA.sub("", piece))
    return not_maybe, [length - taken for length, taken in zip(lengths, matched, strict=True)]


# The characters the metadata patterns are made of, besides digits and whitespace: separators
# (metadata alone), and letters that are metadata only beside digits.
_SEPARATORS = "·•|【】()（）[]<>《》:：,，/_~-"
_BESIDE_DIGITS = ".年月日字次楼回复阅读评论AaPpMm"
_SEPARATOR, _BESIDE, _DIGIT = 1, 2, 3
_MARKS_TABLE = np.zeros(128, np.uint8)  # ASCII by code
for _char in _SEPARATORS + _BESIDE_DIGITS:
    if ord(_char) < 128:
        _MARKS_TABLE[ord(_char)] = _SEPARATOR if _char in _SEPARATORS else _BESIDE
_MARKS_TABLE[ord("0") : ord("9") + 1] = _DIGIT
# The wide ones, code then class, by code.
_EXTRA_WIDE = np.array(
    sorted(
        (ord(c), _SEPARATOR if c in _SEPARATORS else _BESIDE)
        for c in _SEPARATORS + _BESIDE_DIGITS
        if ord(c) >= 128
    ),
    np.int64,
)
# Ranges without a decimal digit (checked in tests): a character in none of them may be one.
_NO_DIGITS = np.array(
    [(0x80, 0x65F), (0x2000, 0x206F), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFF0F),
     (0xFF1A, 0xFFEF)],
    np.int64,
)  # fmt: skip


@kernel
def _metadata_counts(codes, bounds, ascii_marks, wide_marks):  # type: ignore[no-untyped-def]
    """Per text: characters outside the metadata classes (an unknown wide character counted as
    outside, and listed for Python to check), and the characters the metadata pattern takes in
    runs without unknown characters; the runs with one, for the pattern (joined by NULs, and
    where each text's runs start); and each text's length."""
    count = len(bounds) - 1
    not_maybe = np.zeros(count, np.int64)
    matched = np.zeros(count, np.int64)
    unknown = np.empty((len(codes) + 1, 2), np.int64)
    runs = np.empty(2 * len(codes) + 1, np.uint32)
    run_bounds = np.zeros(count + 1, np.int64)
    found_unknown = used = 0
    for k in range(count):
        run_start = -1
        run_digit = run_unknown = False
        run_separators = 0
        for j in range(bounds[k], bounds[k + 1] + 1):
            kind = 0  # a word character: ends a run
            if j < bounds[k + 1]:
                code = codes[j]
                if is_space(code):
                    kind = _SEPARATOR
                elif code < 128:
                    kind = ascii_marks[code]
                else:
                    kind = _wide_mark(wide_marks, code)
                    if kind == 0 and not _no_digits(code):
                        kind = _DIGIT  # unknown: maybe a digit
                        not_maybe[k] += 1
                        unknown[found_unknown, 0], unknown[found_unknown, 1] = k, code
                        found_unknown += 1
                if kind == 0:
                    not_maybe[k] += 1
            if kind:
                if run_start < 0:
                    run_start, run_digit, run_unknown, run_separators = j, False, False, 0
                run_digit = run_digit or kind == _DIGIT
                run_unknown = run_unknown or (kind == _DIGIT and codes[j] >= 128)
                run_separators += kind == _SEPARATOR
            elif run_start >= 0:
                if run_unknown:  # a character only Python knows: the pattern reads the run
                    runs[used : used + j - run_start] = codes[run_start:j]
                    runs[used + j - run_start] = 0
                    used += j - run_start + 1
                elif run_digit:
                    matched[k] += _metadata_matched(codes, run_start, j, ascii_marks, wide_marks)
                else:
                    matched[k] += run_separators
                run_start = -1
        run_bounds[k + 1] = used
    lengths = bounds[1:] - bounds[:-1]
    return not_maybe, matched, unknown[:found_unknown], runs[:used], run_bounds, lengths


@kernel
def _metadata_matched(codes, start, end, ascii_marks, wide_marks):  # type: ignore[no-untyped-def]
    """How many characters ``_ITEM_METADATA.sub`` takes out of ``codes[start:end]``, a run whose
    digits are all ASCII: the pattern's alternatives tried in order at each position, as ``re``
    does, each with its own backtracking (tested against the pattern)."""
    taken = 0
    at = start
    while at < end:
        size = _metadata_at(codes, at, end, ascii_marks, wide_marks)
        if size:
            taken += size
            at += size
        else:
            at += 1
    return taken


@kernel
def _digits(codes, at, end, most):  # type: ignore[no-untyped-def]
    """How many ASCII digits start at ``at`` (at most ``most``)."""
    count = 0
    while at + count < end and count < most and 48 <= codes[at + count] <= 57:
        count += 1
    return count


@kernel
def _spaces_from(codes, at, end):  # type: ignore[no-untyped-def]
    while at < end and is_space(codes[at]):
        at += 1
    return at


@kernel
def _is(codes, at, end, a, b, c, d):  # type: ignore[no-untyped-def]
    """Whether the character at ``at`` is one of ``a b c d``."""
    return at < end and (codes[at] == a or codes[at] == b or codes[at] == c or codes[at] == d)


@kernel
def _metadata_at(codes, at, end, ascii_marks, wide_marks):  # type: ignore[no-untyped-def]
    """The length of ``_ITEM_METADATA``'s match at ``at`` (0 for none).

    One compiled loop on purpose (taoyu.jit): split into functions, it would pay a call and hand its
    state over per character or node, the overhead the kernel exists to avoid."""
    many = end - at
    dash, slash, dot, colon, day, month, year = 45, 47, 46, 58, 0x65E5, 0x6708, 0x5E74
    # \d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?
    if _digits(codes, at, end, 4) == 4 and _is(codes, at + 4, end, dash, slash, dot, year):
        first = at + 5
        for size in range(_digits(codes, first, end, 2), 0, -1):
            second = first + size
            if _is(codes, second, end, dash, slash, dot, month) and _digits(codes, second + 1, end, 2):
                stop = second + 1 + _digits(codes, second + 1, end, 2)
                return stop + _is(codes, stop, end, day, day, day, day) - at
    # \d{4}年\d{1,2}月
    if _digits(codes, at, end, 4) == 4 and _is(codes, at + 4, end, year, year, year, year):
        for size in range(_digits(codes, at + 5, end, 2), 0, -1):
            if _is(codes, at + 5 + size, end, month, month, month, month):
                return 6 + size
    # \d{1,2}[-/月]\d{1,2}日?
    for size in range(_digits(codes, at, end, 2), 0, -1):
        if _is(codes, at + size, end, dash, slash, month, month) and _digits(codes, at + size + 1, end, 2):
            stop = at + size + 1 + _digits(codes, at + size + 1, end, 2)
            return stop + _is(codes, stop, end, day, day, day, day) - at
    # \d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?
    for size in range(_digits(codes, at, end, 2), 0, -1):
        if (
            _is(codes, at + size, end, colon, colon, colon, colon)
            and _digits(codes, at + size + 1, end, 2) == 2
        ):
            stop = at + size + 3
            if _is(codes, stop, end, colon, colon, colon, colon) and _digits(codes, stop + 1, end, 2) == 2:
                stop += 3
            after = _spaces_from(codes, stop, end)
            if _is(codes, after, end, 65, 97, 80, 112) and _is(codes, after + 1, end, 77, 109, 77, 109):
                stop = after + 2
            return stop - at
    # \d+\s*(?:字|次|楼|回复|阅读|评论)
    digits = _digits(codes, at, end, many)
    if digits:
        after = _spaces_from(codes, at + digits, end)
        if _is(codes, after, end, 0x5B57, 0x6B21, 0x697C, 0x697C):  # 字 次 楼
            return after + 1 - at
        if (
            (
                _is(codes, after, end, 0x56DE, 0x56DE, 0x56DE, 0x56DE)
                and _is(codes, after + 1, end, 0x590D, 0x590D, 0x590D, 0x590D)
            )
            or (
                _is(codes, after, end, 0x9605, 0x9605, 0x9605, 0x9605)
                and _is(codes, after + 1, end, 0x8BFB, 0x8BFB, 0x8BFB, 0x8BFB)
            )
            or (
                _is(codes, after, end, 0x8BC4, 0x8BC4, 0x8BC4, 0x8BC4)
                and _is(codes, after + 1, end, 0x8BBA, 0x8BBA, 0x8BBA, 0x8BBA)
            )
        ):  # 回复 阅读 评论
            return after + 2 - at
    # \[\s*\d+(?:\s*/\s*\d+)*\s*\]
    if _is(codes, at, end, 91, 91, 91, 91):
        stop = _spaces_from(codes, at + 1, end)
        digits = _digits(codes, stop, end, many)
        if digits:
            stop += digits
            while True:
                after = _spaces_from(codes, stop, end)
                if not _is(codes, after, end, slash, slash, slash, slash):
                    break
                after = _spaces_from(codes, after + 1, end)
                digits = _digits(codes, after, end, many)
                if not digits:
                    break
                stop = after + digits
            after = _spaces_from(codes, stop, end)
            if _is(codes, after, end, 93, 93, 93, 93):
                return after + 1 - at
    # [(（]\s*\d+\s*[)）]
    if _is(codes, at, end, 40, 0xFF08, 40, 40):
        stop = _spaces_from(codes, at + 1, end)
        digits = _digits(codes, stop, end, many)
        if digits:
            after = _spaces_from(codes, stop + digits, end)
            if _is(codes, after, end, 41, 0xFF09, 41, 41):
                return after + 1 - at
    # [\s·•|【】()（）\[\]<>《》:：,，/_~-]
    code = codes[at]
    if is_space(code):
        return 1
    kind = ascii_marks[code] if code < 128 else _wide_mark(wide_marks, code)
    return 1 if kind == _SEPARATOR else 0


@kernel
def _wide_mark(wide_marks, code):  # type: ignore[no-untyped-def]
    """The class of a character past ASCII among the metadata's (sorted by code), or 0."""
    low, high = 0, len(wide_marks)
    while low < high:
        middle = (low + high) // 2
        if wide_marks[middle, 0] < code:
            low = middle + 1
        else:
            high = middle
    return wide_marks[low, 1] if low < len(wide_marks) and wide_marks[low, 0] == code else 0


@kernel
def _no_digits(code):  # type: ignore[no-untyped-def]
    if 0x4E00 <= code <= 0x9FFF:  # Chinese, most of the text: no digit among them
        return True
    for m in range(len(_NO_DIGITS)):  # noqa: SIM110 (numba compiles the loop, not a generator)
        if _NO_DIGITS[m, 0] <= code <= _NO_DIGITS[m, 1]:
            return True
    return False


@cache
def _list_blocks() -> np.ndarray:
    """Whether a tag is one of the list blocks, by lexbor's tag id."""
    return tag_table(_LIST_BLOCKS)


@kernel
def _candidates(part, parents, ends, kinds, tag_ids, blocks, text_chars, link_chars):  # type: ignore[no-untyped-def]
    """The list blocks in the part (the part too, as a DOM query includes it), in document order,
    with text, at least a sixth of it in links (teasers' summaries are most of theirs), and two
    links or more."""
    links = np.zeros(ends[part] - part, np.int64)  # links in each node's subtree, bottom-up
    for node in range(ends[part] - 1, part, -1):
        links[parents[node] - part] += links[node - part] + (kinds[node] == LINK)
    found = np.zeros(ends[part] - part, np.bool_)
    for node in range(part, ends[part]):
        chars = text_chars[node]
        block = tag_ids[node] < len(blocks) and blocks[tag_ids[node]]
        listed = block and chars and link_chars[node] >= _TEASER_LINK_SHARE * chars
        found[node - part] = listed and links[node - part] >= _LEAST_LINKS
    return part + np.flatnonzero(found)


def _inside_one(node: int, blocks: list[int], ends: np.ndarray) -> bool:
    return any(block <= node < ends[block] for block in blocks)
