"""Normalisation: Chinese punctuation survives, width variants fold, crawl damage is repaired."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from taoyu import Document, Source
from taoyu.steps.normalize import Normalize, NormalizeParams, normalize_text

CHINESE_PUNCTUATION = "，。、；：？！“”‘’（）《》【】—…·"


def test_chinese_punctuation_is_kept_and_full_width_alnum_folds():
    text, changes = normalize_text("ＡＰＰ下载量达１２３万，同比增长！（数据：２０２６年）")
    assert text == "APP下载量达123万，同比增长！（数据：2026年）"
    assert changes == {"width_folded": 10}


def test_crawl_damage_is_repaired_and_counted():
    raw = (
        '第一段\u200b内容&nbsp;完<kbd date-time="09x3"></kbd>\r\n\r\n\r\n\r\n　　第二段\x07  有  空格\t\u00a0'
    )
    text, changes = normalize_text(raw)
    assert text == "第一段内容 完\n\n第二段 有 空格"
    assert changes["tags_removed"] == 2 and changes["entities_unescaped"] == 1
    assert changes["invisible_removed"] == 1 and changes["control_removed"] == 1


def test_technical_text_is_not_mistaken_for_tags():
    text, changes = normalize_text("当 a<b and c>d 时，返回 <电话> 和 x > 3")
    assert text == "当 a<b and c>d 时，返回 <电话> 和 x > 3" and "tags_removed" not in changes


def test_step_records_changes_and_tag_residue():
    doc = Normalize()(Document("d", "正文<kbd></kbd><kbd></kbd>内容", Source("m", 0)))
    assert doc.text == "正文内容" and doc.meta["tag_residue"] == 4
    assert doc.trace[-1].details == {"tags_removed": 4}
    untouched = Normalize()(Document("e", "干净的文本。", Source("m", 1)))
    assert untouched.trace == []


def test_each_part_can_be_switched_off():
    text, _ = normalize_text("ＡＢ&amp;", NormalizeParams(fold_width=False, unescape_entities=False))
    assert text == "ＡＢ&amp;"


TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
    | st.sampled_from(list(CHINESE_PUNCTUATION) + list("ＡＺａ０９ \t\n\r\u3000\u200b\x00<>/p"))
    | st.characters(min_codepoint=32, max_codepoint=126).filter(lambda c: c != "&"),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_idempotent_and_clean(text):
    once, _ = normalize_text(text)
    twice, changes = normalize_text(once)
    assert twice == once and changes == {}
    assert not any(c in once for c in "\u200b\x00\r\t")
    assert not any(
        "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff3a" or "\uff41" <= c <= "\uff5a" for c in once
    )
    for mark in CHINESE_PUNCTUATION:
        assert once.count(mark) == text.count(mark)


def test_review_cases_entities_queries_line_separators_and_emoji():
    assert normalize_text("使用&lt;p&gt;标签")[0] == "使用<p>标签"
    assert normalize_text("见 ?id=1&notice=2&copy=3 和 &amp;")[0] == "见 ?id=1&notice=2&copy=3 和 &"
    assert normalize_text("第一行\u2028第二行")[0] == "第一行\n第二行"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert normalize_text(f"全家福{family}")[0] == f"全家福{family}"


def test_lone_surrogates_are_removed_so_later_steps_can_segment_the_text():
    from taoyu.document import Document, Source
    from taoyu.steps.quality import quality_scores
    from taoyu.steps.spam import Spam

    text, changes = normalize_text("杭州\ud800西湖，😀龙井\udfff茶。")
    assert text == "杭州西湖，😀龙井茶。" and changes["control_removed"] == 2
    doc = Spam().process(Document(id="d", text=text * 20, source=Source(file="f", index=0)))
    assert not doc.is_dropped and quality_scores(doc.text)["han_ratio"] > 0.5


def _regex_edits(text: str, p: NormalizeParams) -> tuple[str, dict[str, int]]:
    """The definition of the compiled pass: the regex edits it replaced, one after another."""
    import re

    from taoyu.steps import normalize as nm

    changes: dict[str, int] = {}

    def count(kind: str, n: int) -> None:
        if n:
            changes[kind] = changes.get(kind, 0) + n

    if p.strip_invisible:
        text, n = nm._INVISIBLE.subn("", text)
        count("invisible_removed", n)
        text, n = nm._CONTROL.subn("", text)
        count("control_removed", n)
    if p.fold_width and nm._FULL_WIDTH_ALNUM.search(text):
        count("width_folded", len(nm._FULL_WIDTH_ALNUM.findall(text)))
        text = nm._FULL_WIDTH_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    if p.whitespace:
        before = text
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        text = re.sub(" {2,}", " ", nm._ODD_SPACES.sub(" ", text))
        text = re.sub("\n{3,}", "\n\n", "\n".join(line.strip(" \u3000") for line in text.split("\n")))
        text = text.strip("\n")
        if text != before:
            count("whitespace_fixed", 1)
    return text, changes


# Pieces the edits act on, so that runs of them (three newlines, spaces around U+3000, a CR
# before an invisible character and a LF) come up often; any other character now and then.
SPACING = st.lists(
    st.sampled_from(
        [
            *("中", "a，", " ", "  ", "\n", "\n\n\n", "\r\n", "\r", "\t", "\u3000", "\u00a0", "\u2028"),
            *("\u2029", "\u200b", "\ufeff", "\u00ad", "\x00", "\x0b", "\x85", "\ud800", "Ａ", "１", "ｚ"),
        ]
    )
    | st.characters(),
    max_size=24,
).map("".join)
SWITCHES = st.builds(
    NormalizeParams,
    strip_invisible=st.booleans(),
    fold_width=st.booleans(),
    whitespace=st.booleans(),
    unescape_entities=st.just(False),
    strip_tag_residue=st.just(False),
)


@settings(max_examples=1000, deadline=None)
@given(SPACING, SWITCHES)
@example(" \u3000a  \u3000 b\u200b\r\n\n\n\n\tc \n", NormalizeParams())
def test_compiled_pass_equals_the_regex_edits(text: str, params: NormalizeParams) -> None:
    assert normalize_text(text, params) == _regex_edits(text, params)
