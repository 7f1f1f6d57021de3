"""Language ID: Simplified vs Traditional Chinese, kana-less 'Japanese', and keeping by recipe."""

from __future__ import annotations

from taoyu import Document, Source
from taoyu.steps.language import Language, identify


def _doc(text: str) -> Document:
    return Document("d", text, Source("m", 0))


def test_simplified_and_traditional_are_told_apart():
    assert identify("杭州今年新建了二十个口袋公园，周边居民散步的去处越来越多。")[0] == "zh"
    assert identify("秋天的西湖，湖面平靜，遠處的保俶塔在夕陽下格外醒目。")[0] == "zh-Hant"


def test_japanese_needs_kana():
    assert identify("東京都の天気は晴れです。今日は散歩に行きます。")[0] == "ja"
    code, _ = identify("日本語")  # Han only: cld2 is unsure, and without kana it is Chinese
    assert code == "zh"


def test_step_records_language_script_and_confidence_and_keeps_by_recipe():
    kept = Language()(_doc("秋天的西湖，湖面平靜，遠處的保俶塔在夕陽下格外醒目。"))
    assert not kept.is_dropped
    assert (
        kept.meta["language"] == "zh"
        and kept.meta["script"] == "Hant"
        and kept.meta["language_confidence"] > 0.5
    )
    dropped = Language()(_doc("The quick brown fox jumps over the lazy dog again and again."))
    assert dropped.dropped_by.reason == "language:en" and dropped.dropped_by.details["language"] == "en"
    english_ok = Language(keep=["en", "zh"])(
        _doc("The quick brown fox jumps over the lazy dog again and again.")
    )
    assert not english_ok.is_dropped
    only_hant = Language(keep=["zh-Hant"])(_doc("杭州今年新建了二十个口袋公园，周边居民散步的去处越来越多。"))
    assert only_hant.dropped_by.reason == "language:zh"


def test_empty_and_odd_text_do_not_crash():
    assert Language()(_doc("")).is_dropped
    code, confidence = identify("\ud800 broken surrogate 中文")  # a lone surrogate is not valid UTF-8
    assert code and 0 <= confidence <= 1
