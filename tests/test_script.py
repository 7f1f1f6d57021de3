"""The Traditional → Simplified character fold the phrase rules are matched through."""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.extract import boilerplate
from taoyu.steps import chrome_lines
from taoyu.text import chrome_vocabulary, script, spam_lexicon
from taoyu.text.script import fold, fold_each, fold_map, has_traditional, taiwan_readings

from .zh_fixtures import TOPICS, article
from .zh_hant_fixtures import HANT_BOOKSHOP

# CJK characters outside the table: the characters of Simplified text, bar a few (乾, 於, 後).
SIMPLIFIED_ONLY = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(
    lambda c: c not in fold_map()
)


def test_traditional_characters_fold_one_to_one():
    traditional = "編輯權轉載關閱讀與個於後裡為臺灣衞粧"
    assert fold(traditional) == "编辑权转载关阅读与个于后里为台湾卫妆"
    assert all(len(fold_map()[c]) == 1 for c in traditional)


def test_the_table_is_what_opencc_converts_each_character_to():
    t2s = opencc.OpenCC("t2s")
    table = fold_map()
    assert len(table) > 3000
    sample = sorted(table)[::50]
    assert sum(t2s.convert(c) == table[c] for c in sample) >= 0.95 * len(sample)  # the rest: HK/TW forms
    # A character of Simplified text keeps its meaning even where a regional table maps it
    # (tw2s: 么 → 幺, 著 → 着).
    assert fold("什么著作") == "什么著作"
    assert all(c not in table for c in table.values())  # folding twice is folding once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.text(st.sampled_from("編輯權轉載於後abc，。\n\U00020000"), max_size=600))
def test_fold_keeps_length_and_positions(text: str):
    folded = fold(text)
    assert len(folded) == len(text)
    assert [fold(c) for c in text] == list(folded)
    assert fold(folded) == folded
    assert fold_each(text.split("\n")) == folded.split("\n")
    assert has_traditional(text) == (folded != text)


@settings(max_examples=200, deadline=None)
@given(st.text(SIMPLIFIED_ONLY | st.characters(max_codepoint=0x7F), max_size=700))
def test_fold_is_the_identity_on_simplified_and_ascii_text(text: str):
    assert fold(text) is text
    lines = text.split("\n")
    assert fold_each(lines) is lines


def test_simplified_articles_are_left_as_they_are():
    for topic in TOPICS:
        text = article(topic)
        assert fold(text) is text
    assert fold(article(HANT_BOOKSHOP)) != article(HANT_BOOKSHOP)


def test_long_texts_fold_as_their_lines_do():
    # Past a few hundred characters the check runs compiled over the code points, not as a regex.
    text = "\n".join([article(HANT_BOOKSHOP)] * 3)
    assert len(text) > 500
    assert fold(text) == "\n".join(fold(line) for line in text.split("\n"))
    assert fold(text) != text and has_traditional(text)


def _rule_texts() -> list[str]:
    texts = []
    for module in (chrome_lines, boilerplate, spam_lexicon, chrome_vocabulary):
        texts += [value.pattern for value in vars(module).values() if isinstance(value, re.Pattern)]
    texts += [word for words in chrome_lines._SCREEN_WORDS.values() for word in words]
    # The shared vocabulary both modules build from, entry by entry.
    families = [value for value in vars(chrome_vocabulary).values() if isinstance(value, tuple)]
    texts += [entry for family in families for entry in family]
    texts += spam_lexicon.ANCHORS
    return texts


@pytest.mark.parametrize("rule", _rule_texts())
def test_every_rule_is_written_in_characters_the_fold_leaves_alone(rule: str):
    # Rules see folded text: a Traditional character in a rule could never match.
    assert fold(rule) == rule


# A page written in Traditional: its prose holds characters the fold changes.
_TAIWAN_PAGE = [
    *HANT_BOOKSHOP[:3],
    "回覆 1",
    "免責宣告：本文僅代表作者本人觀點。",
    "（資料來源：參考訊息、海外網等）",
    # A disclaimer's length: the extractor reads it as far as its heading (特別宣告：).
    "特別宣告：以上內容為自媒體平臺使用者上傳併發布，本平臺僅提供資訊儲存服務，內容的真實性請讀者自行判斷並且審慎參考使用，謝謝。",
]


def test_a_traditional_page_has_taiwan_readings_of_its_lines():
    """回覆 holds no character the fold changes, and 宣告 is not 声明 in any fold: the phrase table
    gives the mainland words. Lines the phrase table leaves as the fold does have no reading."""
    readings = taiwan_readings(_TAIWAN_PAGE, fold_each(_TAIWAN_PAGE))
    assert readings[3] == "回复 1"
    assert readings[4] is not None and readings[4].startswith("免责声明：")
    assert all(r is None or r != fold(line) for r, line in zip(readings, _TAIWAN_PAGE, strict=True))


def test_a_simplified_page_with_a_stray_character_has_no_readings(monkeypatch):
    """A stray 於 does not make a page Traditional: the phrase table is not even asked."""

    def unused():
        raise AssertionError("the phrase table was asked")

    monkeypatch.setattr(script, "_mainland_phrases", unused)
    lines = [f"{sentence}。" for sentence in article(TOPICS[0], 8).split("。") if sentence]
    lines.append("位於城西的图书馆今天开放。")
    assert len(lines) >= 6
    assert taiwan_readings(lines, fold_each(lines)) == [None] * len(lines)


def test_both_chrome_screens_remove_taiwan_words_and_keep_the_article():
    """Chrome in Taiwan words goes from the extractor's lines and the chrome_lines step alike: in
    its Taiwan reading (回覆, 免責宣告) or in its fold (資料來源, which the phrase table would make
    数据源)."""
    article_lines = _TAIWAN_PAGE[:3]
    assert boilerplate.without_chrome_lines(_TAIWAN_PAGE) == article_lines
    reasons = chrome_lines.chrome_reasons(_TAIWAN_PAGE, chrome_lines.ChromeLinesParams())
    assert sorted(reasons) == [3, 4, 5, 6]


def test_the_chrome_lines_step_judges_taiwan_readings_past_its_page_screen():
    """The step rules patterns out for a whole page by what its folded text holds (点击 is not in
    點選進入); a Taiwan reading is judged by every pattern, and a list heading in Taiwan words
    (相關連結) starts a link list too."""
    from taoyu.document import Document, Source

    items = ["市立圖書館週末延長開放", "老街咖啡館推出讀書角"]
    text = "\n".join(
        [HANT_BOOKSHOP[0], "點選進入專題>>", *HANT_BOOKSHOP[1:3], "相關連結", *items, HANT_BOOKSHOP[3]]
    )
    doc = chrome_lines.ChromeLines()(Document("d", text, Source("f", 0)))
    assert doc.text.split("\n") == HANT_BOOKSHOP[:4]
