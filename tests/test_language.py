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


def test_a_text_with_no_word_is_dropped_as_no_text_not_as_a_language():
    """An extraction that left nothing (a login form, an app shell) or only marks and spaces says
    nothing about a language: the ledger says there was no text."""
    for text in ("", " \n ", "© — · | ▶ ……"):
        assert Language()(_doc(text)).dropped_by.reason == "no_text"
    # A word cld2 cannot call is still a word: unknown or uncertain, not no text.
    assert Language()(_doc("ok")).dropped_by.reason != "no_text"


MIXED = "\n".join(
    [
        "异步提交",
        "该变量控制是否启用异步提交特性，开启后事务提交的延迟会明显降低。",
        "在高并发写入的场景下，建议同时开启一阶段提交。",
        "SET GLOBAL tidb_enable_async_commit = ON;",
        "SHOW VARIABLES LIKE 'tidb_enable_%';",
        "SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.id WHERE c.region = 'east';",
        "EXPLAIN ANALYZE SELECT * FROM orders WHERE created_at > NOW() - INTERVAL 1 DAY;",
        "ALTER TABLE orders ADD INDEX idx_created_at (created_at);",
    ]
)
ENGLISH_WITH_A_CHINESE_LINE = (
    "The async commit feature reduces the latency of writing transactions. "
    "Enable it with SET GLOBAL tidb_enable_async_commit = ON and check the variable afterwards. "
    "Most clusters see lower commit latency once it is enabled.\n异步提交\n"
)


def test_min_share_keeps_chinese_technical_pages_that_cld2_calls_mixed():
    from taoyu.steps.language import identify_with_shares

    code, confidence, shares = identify_with_shares(MIXED)
    assert "zh" in shares and "en" in shares, shares
    assert not (code == "zh" and confidence >= 0.5), "the case this option exists for"
    strict = Language(keep=["zh"])(_doc(MIXED))
    assert strict.is_dropped
    mixed = Language(keep=["zh"], min_share=0.3)(_doc(MIXED))
    assert not mixed.is_dropped and mixed.trace[-1].threshold == 0.3
    assert mixed.meta["script"] == "Hans" and mixed.meta["language_shares"]["zh"] >= 0.3
    english = Language(keep=["zh"], min_share=0.3)(_doc(ENGLISH_WITH_A_CHINESE_LINE))
    assert english.dropped_by.reason == "language:en"
