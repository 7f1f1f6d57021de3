"""Steps applied to single documents, as a notebook user would, and through Pipeline.process."""

from __future__ import annotations

import encodings.aliases

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from taoyu import Document, Pipeline, Source
from taoyu.io.encoding import _common_han, decode_html, normalise_charset
from taoyu.steps.exact_dedup import ExactDedup, normalise_for_exact
from taoyu.steps.html_to_text import HtmlToText
from taoyu.steps.length import LengthFilter

from .conftest import article_html


def _doc(text: str = "", raw: bytes | None = None, i: int = 0, meta: dict | None = None) -> Document:
    return Document(f"d{i}", text, Source("mem", i), raw=raw, meta=meta or {})


class TestLengthFilter:
    def test_drop_carries_reason_score_and_threshold(self):
        doc = LengthFilter(min_chars=10)(_doc("短 文"))
        assert doc.is_dropped
        event = doc.dropped_by
        assert (event.step, event.reason, event.score, event.threshold) == (
            "length_filter",
            "too_short",
            2.0,
            10,
        )

    def test_keep_records_the_score_it_passed_with(self):
        doc = LengthFilter(min_chars=2, max_chars=100)(_doc("足够长的文本"))
        assert not doc.is_dropped
        assert doc.trace[-1].action == "keep" and doc.trace[-1].score == 6.0

    def test_too_long(self):
        doc = LengthFilter(min_chars=0, max_chars=3)(_doc("四个汉字"))
        assert doc.dropped_by.reason == "too_long"

    def test_scoring_is_separate_from_deciding(self):
        f = LengthFilter(min_chars=5)
        scores = f.score(_doc("一二三 四五六"))
        assert scores == {"chars": 6.0}
        assert f.decide(scores).keep and not LengthFilter(min_chars=7).decide(scores).keep

    def test_params_are_validated(self):
        with pytest.raises(ValueError, match="min_chars"):
            LengthFilter(min_chars=-1)
        with pytest.raises(ValueError, match="extra"):
            LengthFilter(min_char=3)


class TestHtmlToText:
    def test_gbk_page_with_title_and_blocks_on_lines(self):
        raw = article_html(1, title="杭州新闻", charset="gb2312").encode("gbk")
        doc = HtmlToText()(_doc(raw=raw))
        assert doc.raw is None
        assert doc.meta["title"] == "杭州新闻"
        assert doc.meta["charset"] == "gb18030" and doc.meta["charset_declared"] == "gb2312"
        lines = doc.text.split("\n")
        assert lines[0] == "首页 | 新闻"
        assert len(lines) == 5 and all(line.endswith("第1篇。") for line in lines[1:])
        assert doc.trace[-1].action == "edit"

    def test_binary_junk_is_an_error_not_mojibake(self):
        doc = HtmlToText()(_doc(raw=bytes(range(128, 256)) * 20))
        assert doc.is_dropped and doc.dropped_by.action == "error"
        assert doc.dropped_by.reason == "undecodable bytes"

    def test_text_documents_pass_through(self):
        doc = HtmlToText()(_doc("已经是文本"))
        assert doc.text == "已经是文本" and not doc.trace

    def test_fragment_without_html_tag(self):
        doc = HtmlToText()(_doc(raw="<p>第一段</p><p>第二段</p>".encode()))
        assert doc.text == "第一段\n第二段"


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class TestEncoding:
    def test_stale_meta_on_utf8_page(self):
        raw = '<meta charset="gb2312"><p>浙江杭州</p>'.encode()
        assert decode_html(raw).encoding == "utf-8"

    def test_http_header_wins_over_meta(self):
        raw = '<meta charset="big5"><p>浙江杭州</p>'.encode("gbk")
        assert decode_html(raw, "gbk").encoding == "gb18030"

    def test_short_gbk_text_that_is_also_valid_utf8(self):
        raw = "<p>一</p>".encode("gbk")  # D2 BB is valid UTF-8 for Cyrillic "һ"
        assert raw.decode("utf-8") == "<p>һ</p>"
        assert decode_html(raw, "gbk").text == "<p>一</p>"
        assert decode_html(raw).text == "<p>һ</p>"  # undeclared: UTF-8, never guessed into Chinese

    TRADITIONAL = (
        "<html><head><title>市政府公告</title></head><body>"
        "<p>臺北市政府今天宣布，捷運新路線將於明年春天開始營運，沿線居民對此表示歡迎。</p>"
        "<p>交通局長說明，這條路線連接東區與學校，預計每天可以服務超過十萬名乘客。</p>"
        "</body></html>"
    )

    def test_undeclared_big5_page_is_read_as_big5(self):
        """GB18030 decodes Big5 bytes without an error, into kana and rare characters."""
        raw = self.TRADITIONAL.encode("big5")
        assert raw.decode("gb18030") != self.TRADITIONAL  # the reading the old rule took
        decoded = decode_html(raw)
        assert decoded.text == self.TRADITIONAL and decoded.encoding == "big5hkscs"

    def test_undeclared_gbk_page_stays_gb18030(self):
        text = "<p>杭州市政府今天宣布，地铁新线路将于明年春天开始运营，沿线居民表示欢迎。</p>"
        decoded = decode_html(text.encode("gbk"))
        assert decoded.text == text and decoded.encoding == "gb18030"

    def test_declared_big5_page_with_a_vendor_code_or_a_stray_byte_stays_big5(self):
        """cp950's euro sign is not in Big5-HKSCS, and one broken byte is not a reason to read a
        Big5 page as GB18030."""
        page = self.TRADITIONAL.replace("十萬名", "十萬名（票價 20 €）")
        raw = page.replace("charset", "").encode("cp950")
        assert decode_html(raw, "big5").text == page
        # 0x81 0x40 is a character to GB18030 and no character to either Big5
        more = "<p>市民可以上網查詢時刻表。</p>" * 30
        article = self.TRADITIONAL.replace("</body>", more + "</body>")
        broken = article.encode("big5").replace("說明".encode("big5"), b"\x81\x40\x81\x41")
        decoded = decode_html(broken, "big5")
        assert decoded.text == article.replace("說明", "\ufffd@\ufffdA") and decoded.replacements == 2

    def test_a_declared_japanese_page_with_a_stray_byte_stays_japanese(self):
        """The declared codec's reading is the one a Chinese codec must clearly beat."""
        page = (
            "<p>"
            + "東京の図書館は今日から夜九時まで開いています。週末には子ども向けの読み聞かせもあります。" * 4
            + "</p>"
        )
        raw = page.encode("shift_jis").replace(b"<p>", b"<p>\x80", 1)
        decoded = decode_html(raw, "shift_jis")
        assert decoded.encoding == "shift_jis" and decoded.text == page.replace("<p>", "<p>\ufffd", 1)

    @pytest.mark.parametrize("codec", ["big5", "gbk"])
    def test_undeclared_common_text_round_trips_in_either_script(self, codec):
        """Any run of 20 or more common characters a codec can write comes back as written, undeclared."""
        alphabet = sorted(ch for ch in _common_han() if _encodes(ch, codec))

        @settings(max_examples=150, deadline=None)
        @given(text=st.text(alphabet=st.sampled_from(alphabet) | st.sampled_from("，。 abc"), min_size=24))
        def round_trip(text):
            raw = f"<p>{text}</p>".encode(codec)
            assume(sum(ch >= "\u3400" for ch in text) >= 20)  # a sentence or two: a page holds more
            assume(not _is_utf8(raw))  # valid UTF-8 by chance: the UTF-8 rule decides (tested above)
            assert decode_html(raw).text == f"<p>{text}</p>"

        round_trip()

    def test_bom(self):
        assert decode_html(b"\xef\xbb\xbf<p>\xe4\xb8\xad</p>").text == "<p>中</p>"

    def test_charset_names(self):
        assert normalise_charset("GB2312") == "gb18030"
        assert normalise_charset("x-unknown") is None
        assert normalise_charset("utf\x00-8") is None  # a NUL in a header's charset (bench/fuzz.py)

    @pytest.mark.parametrize(
        "charset",
        sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | {"undefined"}),
    )
    def test_every_codec_name_python_knows_decodes(self, charset):
        """A header can name any codec Python has, including ones that read no page (undefined,
        idna, base64, found by hypothesis): those are read as undeclared, never raised."""
        for data in (b"\x80<p>\xd6\xd0</p>", b"\xe4\xb8\xad\xff", b"<p>ok</p>"):
            decoded = decode_html(data, charset)
            assert isinstance(decoded.text, str) and decoded.encoding

    @settings(max_examples=300, deadline=None)
    @given(data=st.binary(max_size=300), charset=st.none() | st.text(max_size=20))
    def test_any_bytes_under_any_declared_charset_decode(self, data, charset):
        """The decoding rule takes whatever a crawl holds: it never raises, and says what it used."""
        decoded = decode_html(data, charset)
        assert isinstance(decoded.text, str) and decoded.encoding

    @settings(max_examples=200, deadline=None)
    @given(
        text=st.text(
            alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
            | st.sampled_from("，。、abc 123"),
            min_size=1,
            max_size=200,
        ).filter(lambda t: sum(ch >= "\u4e00" for ch in t) >= 8)
    )
    def test_round_trip_without_mojibake(self, text):
        # Below a few Han characters GBK bytes can also be valid UTF-8 Han ("婕丂" is "漁@"): no
        # rule can tell those apart; a page's worth of text always can. Short cases have their
        # own tests above.
        for codec, declared in (
            ("utf-8", None),
            ("utf-8", "gb2312"),
            ("gb18030", "gbk"),
            ("gb18030", "gb2312"),
        ):
            raw = f"<html><body><p>{text}</p></body></html>".encode(codec)
            decoded = decode_html(raw, declared)
            assert decoded.replacements == 0
            assert text in decoded.text


class TestExactDedup:
    def test_normalisation_folds_width_case_and_spacing(self):
        assert normalise_for_exact("ＡＢＣ 杭州\n西湖") == normalise_for_exact("abc杭州西湖")

    def test_pipeline_process_keeps_first_copy_and_explains_the_rest(self):
        docs = [_doc("杭州西湖", i=0), _doc("别的内容", i=1), _doc("杭州 西湖", i=2), _doc("杭州西湖", i=3)]
        out = list(Pipeline([ExactDedup()]).process(docs))
        assert [d.is_dropped for d in out] == [False, False, True, True]
        assert out[2].dropped_by.details["dup_of"] == "d0"
        assert out[2].dropped_by.details["cluster"] == out[3].dropped_by.details["cluster"]
        assert out[2].dropped_by.score == 1.0

    def test_process_runs_local_steps_after_global_ones(self):
        docs = [_doc("短", i=0), _doc("短", i=1), _doc("这是一段足够长的文字", i=2)]
        out = list(Pipeline([ExactDedup(), LengthFilter(min_chars=3)]).process(docs))
        assert [d.dropped_by.step if d.is_dropped else None for d in out] == [
            "length_filter",
            "exact_dedup",
            None,
        ]


def test_step_batches_end_at_a_count_or_a_size_and_lose_nothing():
    from taoyu.steps.base import STEP_BATCH, STEP_BATCH_CHARS, step_batches

    short = [Document(f"s{i}", "短文", Source("m", i)) for i in range(STEP_BATCH + 3)]
    assert [len(b) for b in step_batches(short)] == [STEP_BATCH, 3]
    long_text = "长" * (STEP_BATCH_CHARS // 3 + 1)
    long = [Document(f"l{i}", long_text, Source("m", i)) for i in range(7)]
    batches = list(step_batches(long))
    assert [len(b) for b in batches] == [3, 3, 1]  # the third page takes a batch past the size
    assert [d.id for b in batches for d in b] == [d.id for d in long]
    assert list(step_batches([])) == []
