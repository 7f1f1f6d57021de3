"""Label patterns answer exactly as IGNORECASE patterns do, whatever the label holds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.extract.labels import LabelPattern, _factored
from taoyu.extract.prune import NEGATIVE, POSITIVE

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
