"""Label patterns answer exactly as IGNORECASE patterns do, whatever the label holds, and the
compiled vocabulary answers as the patterns do."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.extract.labels import LabelPattern, LabelVocabulary, _factored
from taoyu.extract.prune import ALWAYS_CHROME, NEGATIVE, POSITIVE, REPLY_LABEL

# Letters of the patterns in both cases, separators, and characters that case-fold onto ASCII
# letters under IGNORECASE (Kelvin sign, long s, dotted capital I).
LETTERS = "adefhilmnoprstuvwxyzADEFHILMNOPRSTUVWXYZ-_ 0123\u212a\u017f\u0130"
LABEL = st.text(st.sampled_from(list(LETTERS)), max_size=30)


@settings(max_examples=400, deadline=None)
@given(LABEL)
def test_label_patterns_agree_with_ignorecase(label: str) -> None:
    for pattern in (NEGATIVE, POSITIVE, LabelPattern(r"post|\bad\b|nav\b|side-|tags?\b|\btoc\b|po|s m+")):
        expected = re.compile(pattern.pattern, re.IGNORECASE)
        assert bool(pattern.search(label)) == bool(expected.search(label)), (pattern.pattern, label)
        assert bool(pattern.match(label)) == bool(expected.match(label)), (pattern.pattern, label)


def test_a_label_pattern_must_be_written_in_lower_case() -> None:
    with pytest.raises(ValueError, match="lower case"):
        LabelPattern(r"\S+Comment")


@pytest.mark.parametrize("label", ["\u017fidebar", "nav\u0130gation", "\u212aeyword-list"])
def test_characters_that_fold_onto_ascii_letters_still_match(label: str) -> None:
    # Long s, dotted capital I and the Kelvin sign match s, i and k under IGNORECASE; lower-casing
    # alone gets the first two wrong, so labels that are not ASCII take the IGNORECASE pattern.
    assert LabelPattern(r"sidebar|navigation|keyword").search(label)


def test_words_are_factored_into_a_trie_and_other_patterns_are_left_alone() -> None:
    factored = r"(?:a(?:(?<!\wa)d\b)|co(?:mment|pyright)|tag(?:s?\b))"
    assert _factored(r"comment|copyright|\bad\b|tags?\b") == factored
    assert _factored(r"(?:^|/)topic|bbs") == r"(?:^|/)topic|bbs"  # an alternative without a literal start


VOCABULARY_PATTERNS = [
    (NEGATIVE, 1),
    (POSITIVE, 2),
    (ALWAYS_CHROME, 4),
    (REPLY_LABEL, 8),
    (LabelPattern(r"post|\bad\b|nav\b|side-|tags?\b|\btoc\b|prev(?!iew)|x_y"), 16),
]
VOCABULARY = LabelVocabulary(VOCABULARY_PATTERNS)
# Pieces of the patterns' words, so generated labels hit them, their edges and their near misses.
PIECES = ["nav", "navbar", "ad", "ads", "tag", "tags", "toc", "prev", "preview", "iew", "side", "post",
          "comment", "reference", "references", "content", "foot", "x_y", "Nav", "AD", "PrevIEW", "é",
          "\u212a", "-", "_", " ", "1", "a", "s"]  # fmt: skip


def bits_by_patterns(label: str) -> int:
    return sum(bit for pattern, bit in VOCABULARY_PATTERNS if pattern.search(label))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), max_size=20))
def test_the_compiled_vocabulary_matches_as_the_patterns_do(labels: list[str]) -> None:
    data = [label.encode("utf-8") for label in labels]
    starts = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=starts[1:])
    bits, not_ascii = VOCABULARY.match(np.frombuffer(b"".join(data), np.uint8), starts)
    assert not_ascii.tolist() == [k for k, label in enumerate(labels) if not label.isascii()]
    for k, label in enumerate(labels):
        if label.isascii():
            assert bits[k] == bits_by_patterns(label), label


@pytest.mark.parametrize("pattern", [r"nav\s", r"\b-x", r"a.b", r"(?:x|y)z", r"x-\b", r"a+"])
def test_a_pattern_the_trie_cannot_state_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="label trie"):
        LabelVocabulary([(LabelPattern(pattern), 1)])


INNOCENT = LabelVocabulary([(NEGATIVE, 1), (POSITIVE, 2)], innocent=("publish", "catalog", "thread", "frank"))


def _bits(vocabulary: LabelVocabulary, labels: list[str]) -> list[int]:
    data = [label.encode("utf-8") for label in labels]
    starts = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=starts[1:])
    return vocabulary.match(np.frombuffer(b"".join(data), np.uint8), starts)[0].tolist()


@pytest.mark.parametrize(
    ("label", "bits"),
    [
        ("l-publishArea", 0),  # "share" runs from publish into Area
        ("catalogIndex", 0),  # "login" from catalog into Index
        ("threadsortswait", 0),  # "ads" from thread into sorts
        ("franklin-bio", 0),  # "rank" inside Frank
        ("publish-share", 1),  # a word beside an innocent one is not cut by it
        ("bdsharebuttonbox", 1),
        ("thread-ad", 1),
        ("catalog-login", 1),
        ("publishArea post-content", 2),  # the other words of the label still count
    ],
)
def test_an_innocent_word_voids_the_matches_it_cuts(label: str, bits: int) -> None:
    assert _bits(INNOCENT, [label]) == [bits]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*PIECES, "share", "publish", "thread"]), max_size=6).map("".join)))
def test_innocent_words_change_nothing_where_none_occurs(labels: list[str]) -> None:
    plain = LabelVocabulary([(NEGATIVE, 1), (POSITIVE, 2)])
    expected = _bits(plain, labels)
    got = _bits(INNOCENT, labels)
    for k, label in enumerate(labels):
        lowered = label.lower()
        if not any(word in lowered for word in INNOCENT.innocent):
            assert got[k] == expected[k], label
        else:
            assert got[k] & ~expected[k] == 0, label  # voiding only takes bits away


def test_an_innocent_word_must_be_a_word_of_the_trie() -> None:
    with pytest.raises(ValueError, match="innocent"):
        LabelVocabulary([(NEGATIVE, 1)], innocent=("photo album",))
