"""Spam, SEO and parasite pages: remove an injected spam block, drop a page that is spam throughout.

Parasite pages are genuine articles (often on hacked or abandoned sites) into which a generator
has put a block of its own: a porn or gambling title, spliced sentences lifted from unrelated
articles, a fake post-meta line, hidden random inline tags. The article is worth keeping; the
block is not. A page the generator wrote from scratch (a keyword-stuffed title over spliced
sentences) is worth nothing.

Signals, each recorded as a score:

* lexicon: short lines (titles) and the page title/URL matching the curated porn/gambling/black
  market lexicon (:mod:`taoyu.text.spam_lexicon`), never the big community lists;
* spliced sentences: sentences sharing no content word with their neighbours or the title
  (:mod:`taoyu.text.sentences`): a line of several such sentences is a spliced block, a page made
  mostly of them is spliced throughout;
* title stuffing: the same segment, or the same stem, repeated across the title's segments, or
  many 官网/下载/注册/登录 segments;
* hidden random tags, counted by ``normalize`` (meta ``hidden_tags``): recorded and reported,
  they strengthen nothing on their own because genuine pages on hacked sites carry them too.

Keyword-stuffed bodies are left to the ``quality`` step's repetition rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import Field

from taoyu.document import Document, Event, meta_count
from taoyu.jit import kernel
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict
from taoyu.text import spam_lexicon
from taoyu.text.script import fold
from taoyu.text.sentences import sentence_arrays
from taoyu.text.tokens import tokens_of

_TITLE_SEP = re.compile(r"[-_|｜—–·,，、/\s]+")
_SITE_WORDS = re.compile(r"官网|官方|下载|注册|登录|登陆|入口|网址|平台|app|APP|App|手机版|最新版|客户端")
_HEADLINE_CHARS = 10
_PROSE_END = re.compile(r"[。！？!?]")
_PREPARED_CHARS = 100_000  # longer pages are segmented when analysed, not ahead


class SpamParams(StepParams):
    """What makes a sentence unlinked, a line a spliced block and a title stuffed, and how much spam a
    page may hold before it is dropped rather than cleaned."""

    window: int = Field(3, ge=1)
    """A sentence is linked if it shares a content word with a sentence at most this far away."""
    min_sentence_chars: int = Field(12, ge=1)
    """Sentences with fewer Han characters (headings, code, numbers) are not judged for linkage."""
    spliced_line_sentences: int = Field(3, ge=2)
    """A line needs this many judged sentences before it can be called spliced."""
    spliced_line_unlinked: float = Field(0.75, gt=0, le=1)
    """Share of a line's judged sentences that are unlinked for the line to be a spliced block."""
    page_words: float = Field(0.35, ge=0, le=1)
    """A line that shares at least this share of its distinct content words with the rest of the
    page is the page's own, not a spliced block: text spliced in from elsewhere shares a tenth
    or so, a paragraph of the article a third or more."""
    spliced_doc_sentences: int = Field(8, ge=2)
    """A page needs this many judged sentences before it can be called spliced throughout. A
    short article's sentences hang together by what they tell more than by the words they share
    (a shop's story in six sentences shares 老板娘 between two of them): four unlinked sentences
    of six are too little evidence. At 8 (was 6) the filters bench drops no clean row for this
    (two before) and catches two spam rows fewer (docs/filters.md)."""
    spliced_doc_unlinked: float = Field(0.6, gt=0, le=1)
    """Share of a page's judged sentences that are unlinked for the page to be spliced throughout."""
    max_title_line_chars: int = Field(40, ge=1)
    """A lexicon hit on a line up to this long (a title, a link) makes it a spam line."""
    article_sentences: int = Field(8, ge=1)
    """One lexicon word in the title (and none in the URL) drops the page only when the body does
    not read as an article about it: the body uses the word too, has this many judged sentences,
    at most ``article_unlinked`` of them unlinked, and no spam line. A news report titled
    警方捣毁代孕团伙 is about the black market; a generator's page is spliced or made of spam
    lines, and a hijacked title (a casino's name over a tea shop's article) names what the body
    never mentions."""
    article_unlinked: float = Field(0.3, ge=0, le=1)
    """See ``article_sentences``."""
    title_stuffing: float = Field(0.6, gt=0, le=1)
    """Title stuffing score at or above which the page is dropped."""
    max_spam_share: float = Field(0.5, gt=0, le=1)
    """A page whose spam lines are more than this share of its characters is dropped, not cleaned."""
    max_logged_lines: int = Field(20, ge=0)


@register("spam")
class Spam(Filter):
    """Remove injected spam blocks (lexicon titles, spliced sentences); drop pages spammed throughout."""

    Params = SpamParams
    params: SpamParams

    def prepare(self, docs: Sequence[Document]) -> None:
        """Segment the batch's pages in one run before analysing any: jieba's dictionary stays in
        the cache, where analysing each page between two segmentations evicts it (0.02 ms a page,
        a tenth of the step). The segmentations wait in ``tokens_of``'s memory for ``analyse``
        and the quality step; pages too long to be remembered are left to ``analyse``."""
        for doc in docs:
            if len(doc.text) <= _PREPARED_CHARS:
                try:
                    tokens_of(doc.text)
                except Exception:  # analyse meets the same page and reports its failure
                    continue

    def process(self, doc: Document) -> Document:
        """Drop a page spammed throughout; otherwise cut its spam lines and keep it, since an injected block
        does not spoil the article around it. The ledger logs the start of each removed line."""
        lines, spam_lines, scores = self.analyse(doc)
        verdict = self.decide(scores)
        if not verdict.keep:
            details = dict(scores)
            doc.trace.append(
                Event(self.name, "drop", verdict.reason, verdict.score, verdict.threshold, details)
            )
            return doc
        if spam_lines:
            removed_chars = sum(len(lines[i]) for i in spam_lines)
            block = {
                "lines": len(spam_lines),
                "chars": removed_chars,
                "reasons": dict(Counter(spam_lines.values())),
            }
            doc.meta["spam_block"] = block
            kept = [line for i, line in enumerate(lines) if i not in spam_lines]
            doc.text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
            logged = [
                [i, spam_lines[i], lines[i].strip()[:40]]
                for i in sorted(spam_lines)[: self.params.max_logged_lines]
            ]
            doc.trace.append(Event(self.name, "edit", "spam_block", details={**block, "removed": logged}))
        doc.trace.append(Event(self.name, "keep", None, verdict.score, verdict.threshold))
        return doc

    def score(self, doc: Document) -> Mapping[str, float]:
        """The page's spam scores from ``analyse``, without the lines, for the ``Filter`` interface."""
        return self.analyse(doc)[2]

    def analyse(self, doc: Document) -> tuple[list[str], dict[int, str], dict[str, float]]:
        """The page's lines, its spam lines (index → reason) and its scores."""
        p = self.params
        lines = doc.text.split("\n")
        title = page_title(doc)
        spam = _lexicon_title_lines(doc.text, lines, title, p)
        # Per sentence, in order: its line, Han characters, linked or not, verse or not.
        on_line, chars, linked, verse = sentence_arrays(doc.text, title, window=p.window)
        _spare_lexicon_prose(doc.text, lines, spam, p)
        judged = (chars >= p.min_sentence_chars) & ~verse
        if len(judged):
            # A line with no sentence mark is a headline, a caption or a list item: it shares no
            # word with its neighbours because it stands alone, not because it was spliced in.
            judged &= _prose_lines(lines)[on_line]
        page_own = _PageOwn(doc.text, p.page_words)
        _add_spliced_lines(spam, on_line, linked, judged, p, page_own)
        total = 1  # characters of the page, needed only to weigh spam lines
        if spam:
            total = _grow_spam_blocks(lines, spam, on_line, linked, judged, page_own)
        scores = _page_scores(doc, lines, title, spam, judged, linked, total, p)
        return lines, spam, scores

    def _one_word_over_an_article(self, scores: Mapping[str, float]) -> bool:
        """One lexicon word in the title, none in the URL, over a body that reads as an article:
        a report on the black market, not a page of it."""
        one_word = scores["title_lexicon"] == 1 and scores.get("url_lexicon", 0) == 0
        about_it = scores.get("title_word_in_body", 0) == 1
        return one_word and about_it and _weighs_as_article(scores, self.params)

    def _a_site_title_over_an_article(self, scores: Mapping[str, float]) -> bool:
        """A title stuffed only with site words (图书馆官网-电子书下载-读者注册-手机版: no repeated
        segment or stem) over a body that reads as an article: a site's own title, not a spam
        page's. Repeated stems (XX娱乐官网-XX娱乐下载…) are stuffing over any body."""
        return scores.get("title_site_words_only", 0) == 1 and _weighs_as_article(scores, self.params)

    def decide(self, scores: Mapping[str, float]) -> Verdict:
        """Drop for a lexicon word in the title or URL, a stuffed title, a spliced body or mostly spam
        lines. The exceptions spare a report on the black market and a site's own wordy title when the
        body reads as a real article."""
        p = self.params
        if scores["title_lexicon"] >= 1 and not self._one_word_over_an_article(scores):
            return Verdict.drop("spam:title_lexicon", scores["title_lexicon"], 1)
        if scores["title_stuffing"] >= p.title_stuffing and not self._a_site_title_over_an_article(scores):
            return Verdict.drop("spam:title_stuffing", scores["title_stuffing"], p.title_stuffing)
        if scores["unlinked_share"] >= p.spliced_doc_unlinked:
            return Verdict.drop("spam:spliced", scores["unlinked_share"], p.spliced_doc_unlinked)
        if scores["spam_share"] > p.max_spam_share:
            # Named after what the spam is made of: a page of spliced text whose every line was
            # recognised as a block is "spliced", like one judged on its sentences as a whole.
            spliced = scores["spliced_share"] >= scores["spam_share"] / 2
            return Verdict.drop(
                "spam:spliced" if spliced else "spam:mostly_spam", scores["spam_share"], p.max_spam_share
            )
        return Verdict.ok(scores["unlinked_share"], p.spliced_doc_unlinked)


def _lexicon_title_lines(text: str, lines: list[str], title: str, p: SpamParams) -> dict[int, str]:
    """The short lines (other than the page's title) that match the spam lexicon, each marked
    ``lexicon_title``: the injected titles that start a generator's block."""
    spam: dict[int, str] = {}
    for i in spam_lexicon.anchored_lines(text):
        s = lines[i].strip()
        if s and len(s) <= p.max_title_line_chars and s != title and spam_lexicon.search(s):
            spam[i] = "lexicon_title"
    return spam


def _spare_lexicon_prose(text: str, lines: list[str], spam: dict[int, str], p: SpamParams) -> None:
    """Take back from ``spam`` the lexicon lines that are prose about the subject, not injected.

    A lexicon line that is one sentence of the page (a closing mark, and a word shared with
    the lines around it, not only with the title) is prose about the subject, as in a report
    on the black market or a law on invoices; an injected title stands alone, and a slogan
    of several exclamations links only to itself.
    """
    reported = [i for i in spam if _PROSE_END.search(lines[i])]
    if reported:
        around = sentence_arrays(text, "", window=p.window)  # the title left out
        for i in reported:
            mine = around[0] == i
            if mine.sum() == 1 and around[2][mine][0]:
                del spam[i]


def _add_spliced_lines(
    spam: dict[int, str],
    on_line: np.ndarray,
    linked: np.ndarray,
    judged: np.ndarray,
    p: SpamParams,
    page_own: _PageOwn,
) -> None:
    """Mark as ``spliced`` the lines of several judged sentences that link to nothing around them.

    A block is spliced against the page around it: a page with too few judged sentences
    besides the block (three lines of advice) is no evidence either way, and a paragraph of the
    page's own words (:class:`_PageOwn`) is not spliced, however loosely its sentences follow
    one another.
    """
    found = _spliced_lines(on_line, linked, judged, p.spliced_line_sentences, p.spliced_line_unlinked)
    rest_of_page = int(judged.sum())
    for i in found.tolist():
        if rest_of_page - int(judged[on_line == i].sum()) < p.spliced_line_sentences:
            continue
        if not page_own(i):
            spam.setdefault(int(i), "spliced")


class _PageOwn:
    """Whether a line is the page's own: at least ``share`` of its distinct content words are
    used elsewhere on the page (``SpamParams.page_words``). Text spliced in from elsewhere shares
    a tenth or so; a paragraph of the article shares a third or more even when its sentences do
    not follow one another (a feature story's paragraph on its protagonist, an essay's turn to a
    legend it goes on to discuss). Asked only of lines already suspected, so only they pay; the
    page's tokens are the segmentation the sentences were linked on (``tokens_of`` remembers it),
    asked for only then: a page too long to be remembered is segmented again."""

    def __init__(self, text: str, share: float) -> None:
        self._text = text
        self._share = share
        self._words: tuple[np.ndarray, np.ndarray] | None = None  # content words and their lines

    def __call__(self, line: int) -> bool:
        if self._words is None:
            tokens = tokens_of(self._text)
            content = tokens.content >= 0
            self._words = tokens.content[content], tokens.line[content]
        words, lines = self._words
        on_line = lines == line
        mine = np.unique(words[on_line])
        if not len(mine):
            return False
        return float(np.isin(mine, words[~on_line]).mean()) >= self._share


def _grow_spam_blocks(
    lines: list[str],
    spam: dict[int, str],
    on_line: np.ndarray,
    linked: np.ndarray,
    judged: np.ndarray,
    page_own: _PageOwn,
) -> int:
    """Grow each spam line into its whole block (:func:`_grow_block`), take the block's sentences
    out of ``judged`` (in place) and return the page's characters, which weigh the spam lines."""
    per_line: dict[int, list[bool]] = {}
    for k in np.flatnonzero(judged).tolist():
        per_line.setdefault(int(on_line[k]), []).append(bool(linked[k]))
    _grow_block(lines, spam, per_line, set(on_line[linked].tolist()), page_own)
    # "Spliced throughout" is judged on what would remain: an article with a block of
    # spliced text injected is cleaned, not dropped.
    judged &= ~np.isin(on_line, list(spam))
    return sum(len(line.strip()) for line in lines) or 1


def _page_scores(
    doc: Document,
    lines: list[str],
    title: str,
    spam: dict[int, str],
    judged: np.ndarray,
    linked: np.ndarray,
    total: int,
    p: SpamParams,
) -> dict[str, float]:
    """The page's spam scores, from its spam lines, the sentences still judged, its title and
    URL: what ``decide`` reads and the ledger records."""
    rest = int(judged.sum())
    unlinked_share = int((judged & ~linked).sum()) / rest if rest >= p.spliced_doc_sentences else 0.0
    title_hits = spam_lexicon.hits(title) if title else {}
    stuffing = _stuffing_shares(title) if title else (0.0, 0.0, 0.0)
    url_hits = len(_url_hits(doc.url or ""))
    # Whether the body speaks of what the title's lexicon word names (a report on 代孕 uses the
    # word again; a hijacked title over an unrelated article does not).
    if title_hits:  # (the title's own line, an h1 above the body, is no evidence)
        body = "\n".join(line for line in lines if line.strip() != title)
        in_body = _all_in(spam_lexicon.matches(title), fold(body))
    else:
        in_body = False
    return {
        "title_lexicon": float(sum(title_hits.values()) + url_hits),
        "url_lexicon": float(url_hits),
        "title_word_in_body": float(in_body),
        "title_stuffing": round(max(stuffing), 4),
        "title_site_words_only": float(stuffing[0] == stuffing[1] == 0 < stuffing[2]),
        "unlinked_share": round(unlinked_share, 4),
        "judged_sentences": float(rest),
        "spam_share": round(sum(len(lines[i].strip()) for i in spam) / total, 4),
        "spliced_share": round(
            sum(len(lines[i].strip()) for i, r in spam.items() if r != "lexicon_title") / total, 4
        ),
        "spam_lines": float(len(spam)),
        "hidden_tags": float(meta_count(doc.meta, "hidden_tags")),
    }


def _all_in(words: list[str], text: str) -> bool:
    return bool(words) and all(word in text for word in words)


def _weighs_as_article(scores: Mapping[str, float], p: SpamParams) -> bool:
    """Whether the body reads as a coherent article with no spam in it (see ``article_sentences``)."""
    return (
        scores["judged_sentences"] >= p.article_sentences
        and scores["unlinked_share"] <= p.article_unlinked
        and scores["spam_lines"] == 0
    )


def _prose_lines(lines: list[str]) -> np.ndarray:
    """Whether each line holds a sentence mark: the lines whose sentences are judged for linkage."""
    return np.array([_PROSE_END.search(line) is not None for line in lines], np.bool_)


def _grow_block(
    lines: list[str],
    spam: dict[int, str],
    per_line: dict[int, list[bool]],
    linked_lines: set[int],
    page_own: _PageOwn,
) -> None:
    """Take in the lines that sit between or beside spam lines and cannot stand on their own.

    A generator's block is a title, a meta line and spliced text; the short pieces of it that
    match nothing (a byline, a lone spliced sentence) are recognised by where they are: next to
    spam, not prose, and sharing no word with the page; a paragraph whose sentences link to
    nothing joins the block unless its words are the page's own (:class:`_PageOwn`). Each spam
    line is visited once (a queue), so a long page with many spam lines stays linear.
    """
    queue = sorted(spam)
    while queue:
        i = queue.pop()
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j].strip():
                j += step
            if not 0 <= j < len(lines) or j in spam:
                continue
            s = lines[j].strip()
            flags = per_line.get(j)
            # A heading shares the article's words (西湖龙井开采 above an article on 龙井茶).
            fragment = len(s) <= 40 and not _PROSE_END.search(s) and j not in linked_lines
            orphan = bool(flags) and not any(flags) and not page_own(j)
            # Beside a lexicon title, text that is mostly unlinked is the block's spliced part
            # even when sentences from one source happen to share a word or two.
            loose = bool(flags) and spam[i] == "lexicon_title" and flags.count(False) * 2 >= len(flags)
            if fragment or orphan or loose:
                spam[j] = "block"
                queue.append(j)


def page_title(doc: Document) -> str:
    """The page's title: from metadata, else the first line when it looks like a heading.

    A first line that matches the spam lexicon is not taken for the title of text without one
    (WET, JSONL): it is an injected line at the top of the article, removed as one, where a real
    title matching the lexicon drops the page.
    """
    title = doc.meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    first = doc.text.lstrip().split("\n", 1)[0].strip()
    if first and len(first) <= 60 and not _PROSE_END.search(first[-1:]) and not spam_lexicon.search(first):
        return first
    return ""


def _url_hits(url: str) -> list[str]:
    # URLs are Latin: only the Latin terms of the lexicon can match them.
    return re.findall(r"bet365|[pP][kK]10|baijiale|liuhecai|shishicai|(?<![a-z])av(?:[0-9]|tt|hd)", url)


def title_stuffing(title: str) -> float:
    """How stuffed a title is, 0–1: the share of its segments that repeat one segment or stem.

    "XX娱乐官网-XX娱乐下载-XX娱乐注册登录-XX娱乐app" repeats the stem "XX" in every segment and has
    four site words; an ordinary "标题 - 频道 - 网站" title has three unrelated segments.
    """
    return round(max(_stuffing_shares(title)), 4)


def _stuffing_shares(title: str) -> tuple[float, float, float]:
    """The shares of a title's segments that repeat one segment, that share one stem, and that
    are site words (官网, 下载, 登录…); each 0 below its least count.

    A title led by a headline of its own is not a keyword list, however often the site's name
    recurs in the column, channel and site segments around it (新华视界｜<headline>-新华网河北频道-新华网):
    repetition and stems count only when no segment is a headline (``_has_headline``)."""
    segments = [s for s in _TITLE_SEP.split(fold(title)) if s]  # 官網 and 下載 are site words too
    if len(segments) < 3:
        return 0.0, 0.0, 0.0
    n = len(segments)
    site = sum(bool(_SITE_WORDS.search(s)) for s in segments)
    site_share = site / n if site >= 3 else 0.0
    stems = Counter(s[:2] for s in segments if len(s) >= 2)
    if _has_headline(segments, stems):
        return 0.0, 0.0, site_share
    repeated = max(Counter(segments).values())
    stem = max(stems.values(), default=0)
    return repeated / n if repeated >= 2 else 0.0, stem / n if stem >= 3 else 0.0, site_share


def _has_headline(segments: list[str], stems: Counter[str]) -> bool:
    """Whether a title's longest segment reads as a headline: at least ``_HEADLINE_CHARS`` long,
    twice as long as any other segment (so said once), and not opening with a stem other segments
    share. A stuffed title is keywords of one length around one stem; a page's own title is one
    long headline among short names of its column, channel and site."""
    longest = max(segments, key=len)
    others = [s for s in segments if s is not longest]
    return (
        len(longest) >= _HEADLINE_CHARS
        and all(2 * len(s) <= len(longest) for s in others)
        and stems[longest[:2]] == 1
    )


@kernel
def _spliced_lines(
    line: np.ndarray, linked: np.ndarray, judged: np.ndarray, min_sentences: int, min_unlinked: float
) -> np.ndarray:
    """Lines with at least ``min_sentences`` judged sentences of which ``min_unlinked`` or more
    (a share) are linked to nothing: spliced blocks. A line's sentences are consecutive."""
    out = np.empty(len(line), np.int64)
    found = 0
    k = 0
    while k < len(line):
        end = k
        n = unlinked = 0
        while end < len(line) and line[end] == line[k]:
            if judged[end]:
                n += 1
                unlinked += not linked[end]
            end += 1
        if n >= min_sentences and unlinked / n >= min_unlinked:
            out[found] = line[k]
            found += 1
        k = end
    return out[:found]
