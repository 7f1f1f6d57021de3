"""Industry labels: the taxonomy format, seed words, features, the shipped model, the trainer and
the content type. Fixture texts are written here (never taken from ../shared)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.industry import content_type
from taoyu.industry.features import UNIGRAM_VALUE, buckets, featurize, head_of
from taoyu.industry.model import LabelModel
from taoyu.industry.seeds import SeedMatcher
from taoyu.industry.taxonomy import OTHER, TaxonomyError, builtin, load, parse
from taoyu.industry.train import TrainConfig, read_texts, train

# -- taxonomy ---------------------------------------------------------------------------------


def test_builtin_taxonomy_is_the_twenty_sections_of_gbt4754():
    taxonomy = builtin()
    assert taxonomy.codes == list("ABCDEFGHIJKLMNOPQRST")
    assert all(len(label.seeds) >= 40 for label in taxonomy.labels)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([{"code": "a", "seeds": ["x"]}], "at least two labels"),
        ([{"code": "a", "seeds": ["x"]}, {"code": "a", "seeds": ["y"]}], "used twice"),
        ([{"code": "a", "seeds": ["x"]}, {"code": "A", "seeds": ["y"]}], "used twice"),
        ([{"code": "a", "seeds": ["x"]}, {"code": "other", "seeds": ["y"]}], "reserved"),
        (
            [{"code": "a", "seeds": ["x"]}, {"code": "b", "seeds": []}],
            r"label 2 \(b\): give at least one seed",
        ),
        ([{"code": "a", "seeds": ["x"]}, {"code": "b c", "seeds": ["y"]}], "'code' must be"),
        ([{"code": "a", "seeds": ["x"]}, {"code": "b", "seeds": ["y"], "seed": 1}], "unknown keys"),
    ],
)
def test_taxonomy_errors_name_the_file_and_the_label(labels, message):
    with pytest.raises(TaxonomyError, match=message) as info:
        parse({"labels": labels}, "mine.yaml")
    assert str(info.value).startswith("mine.yaml")


def test_taxonomy_file_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels: [unclosed", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml: not valid YAML"):
        load(bad)
    with pytest.raises(TaxonomyError, match="cannot read"):
        load(tmp_path / "missing.yaml")


def test_url_patterns_pick_the_most_specific_label():
    taxonomy = parse(
        {
            "labels": [
                {"code": "a", "seeds": ["x"], "urls": ["/news/"]},
                {"code": "b", "seeds": ["y"], "urls": ["/news/money/"]},
            ]
        },
        "t",
    )
    assert taxonomy.url_label("https://site.cn/news/money/1.html") == 1
    assert taxonomy.url_label("https://site.cn/NEWS/2.html") == 0
    assert taxonomy.url_label("https://site.cn/sports/") is None
    assert taxonomy.url_label(None) is None


# -- seed words -------------------------------------------------------------------------------

TINY = parse(
    {
        "labels": [
            {"code": "money", "seeds": ["银行", "房贷利率", "利率", "AI基金"]},
            {"code": "tech", "seeds": ["AI", "芯片", "手机"]},
            {"code": "both", "seeds": ["市场", "手机"]},
        ]
    },
    "tiny",
)


def test_seed_words_count_longest_first_and_latin_words_whole():
    matcher = SeedMatcher(TINY)
    counts = matcher.counts("房贷利率下调，银行说利率还会降。MAIL 和 EMAILS 不算，但 ai 芯片和 AI 算")
    assert counts.hits.tolist() == [3, 3, 0]  # 房贷利率 once (not also 利率), 利率, 银行; ai, AI, 芯片
    assert counts.distinct.tolist() == [3, 2, 0]
    assert matcher.shared == ["手机"]  # in two labels: counts for neither
    assert matcher.counts("手机").hits.sum() == 0


_SEED_PIECES = [
    "银行",
    "房贷利率",
    "利率",
    "房贷",
    "AI基金",
    "AI",
    "ai",
    "芯片",
    "手机",
    "市场",
    "基金",
    "MAIL",
    "5G",
]


@pytest.mark.usefixtures("compiled_kernels")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_SEED_PIECES), st.text(alphabet="银行利房贷率AIai9 ，x芯", max_size=4))
    )
)
def test_the_compiled_walk_counts_what_the_expression_finds(pieces: list[str]) -> None:
    # Seeds run into each other, overlap, and touch Latin letters and digits: the walk takes the
    # longest seed at each position and a Latin one only where nothing alphanumeric touches it,
    # as the expression of every seed, longest first, does.
    text = "".join(pieces)
    matcher = SeedMatcher(TINY)
    walked, found = matcher.counts(text), matcher.counts_by_expression(text)
    assert walked.hits.tolist() == found.hits.tolist()
    assert walked.distinct.tolist() == found.distinct.tolist()
    # Many texts in one walk: each counted as alone, no seed read across two ("…A" then "I…").
    hits, distinct = matcher.counts_of(pieces)
    for row, piece in enumerate(pieces):
        alone = matcher.counts_by_expression(piece)
        assert hits[row].tolist() == alone.hits.tolist() and distinct[row].tolist() == alone.distinct.tolist()


def test_seed_words_match_traditional_text():
    assert SeedMatcher(TINY).counts("銀行調整房貸利率").hits[0] == 2


def test_weak_label_needs_two_seeds_and_a_margin():
    matcher = SeedMatcher(TINY)
    assert matcher.weak_label("银行上调利率") == 0
    assert matcher.weak_label("银行") is None  # one seed word is not enough
    assert matcher.weak_label("银行 利率 AI 芯片") is None  # no label leads two to one
    assert matcher.masked("银行上调利率").count("，") == 2


# -- features ---------------------------------------------------------------------------------


def test_rows_without_features_anywhere_in_a_batch():
    batch = featurize(["银行", "123 …", ""])
    assert batch.indptr.tolist()[1:] == [3, 3, 3] and batch.scale[1:].tolist() == [1.0, 1.0]


def test_a_latin_word_is_one_feature_wherever_it_stands():
    first, later = set(buckets("NBA 篮球")[0].tolist()), set(buckets("篮球 NBA")[0].tolist())
    assert first == later


def test_features_are_characters_pairs_and_latin_words():
    cols, vals = buckets("股市")
    assert len(cols) == 3  # 股, 市, 股市
    assert sorted(vals.tolist()) == [UNIGRAM_VALUE, UNIGRAM_VALUE, 1.0]
    assert buckets("iPhone")[0].tolist() == buckets("IPHONE")[0].tolist()  # Latin case-folded
    assert len(buckets("5")[0]) == 0 and len(buckets("a")[0]) == 0  # too short to be a word
    assert buckets("銀行")[0].tolist() == buckets("银行")[0].tolist()  # Traditional reads as Simplified


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_features_of_any_text_are_sorted_distinct_and_unit_length(text):
    cols, _ = buckets(text)
    assert np.all(np.diff(cols) > 0)
    assert np.all((cols >= 0) & (cols < 1 << 17))
    batch = featurize([text, text + "银行"])
    norms = [
        np.sqrt(np.sum((batch.vals[batch.indptr[i] : batch.indptr[i + 1]] * batch.scale[i]) ** 2))
        for i in range(2)
    ]
    assert norms[1] == pytest.approx(1.0)
    assert norms[0] == pytest.approx(1.0 if len(cols) else 0.0)


def test_head_adds_the_title_and_cuts_at_a_line_end():
    text = "第一段。\n" * 400
    head = head_of(text, "标题", max_chars=1000)
    assert head.startswith("标题\n") and head.endswith("第一段。") and len(head) <= 1003
    assert head_of("标题 正文", "标题") == "标题 正文"  # the text already starts with its title


# -- the shipped model ------------------------------------------------------------------------

CLEAR_TEXTS = {
    "J": "沪深两市今天高开，券商股领涨，基金经理认为降息预期提振了投资者信心。",
    "K": "开发商降价促销，新楼盘每平方米均价下调三千元，购房者可以享受首付优惠和房贷利率折扣。",
    "P": "期末考试结束后，班主任给家长发了成绩单，提醒学生寒假也要按时完成作业。",
    "R": "主队在加时赛中凭借点球绝杀对手，球迷在体育场外庆祝球队夺得联赛冠军。",
    "A": "今年小麦喜获丰收，合作社的联合收割机在田间忙着抢收，农民算了算每亩增收两百元。",
    "Q": "医生提醒，糖尿病患者要定期到医院复查血糖，按时服药，出现不适及时就医。",
    "I": "这款手机升级了处理器和摄像头，系统更新后支持卫星通信，网友在发布会后抢购。",
}


def test_shipped_model_labels_plain_texts_of_each_field():
    model = LabelModel.load()
    predictions = model.predict(list(CLEAR_TEXTS.values()))
    assert [p.label for p in predictions] == list(CLEAR_TEXTS)
    assert all(p.score >= model.threshold for p in predictions)


def test_shipped_model_reads_traditional_chinese_as_simplified():
    model = LabelModel.load()
    simplified = CLEAR_TEXTS["J"]
    traditional = "滬深兩市今天高開，券商股領漲，基金經理認為降息預期提振了投資者信心。"
    assert model.predict([traditional])[0] == model.predict([simplified])[0]
    # The same logits, not only the same (saturated) label.
    assert np.array_equal(model.logits(featurize([traditional])), model.logits(featurize([simplified])))


def test_probabilities_sum_to_one_and_low_scores_are_other():
    model = LabelModel.load()
    probs = model.predict_proba(["", "的了是", CLEAR_TEXTS["K"]])
    assert np.allclose(probs.sum(axis=1), 1.0)
    empty = model.predict([""])[0]
    assert empty.label == OTHER and empty.best in model.codes and empty.score < model.threshold


def test_the_step_threshold_overrides_the_models():
    from taoyu.document import Document, Source
    from taoyu.steps.industry import Industry

    doc = Document("d", CLEAR_TEXTS["J"], Source("f", 0))
    assert Industry(threshold=0.99)(doc).meta["industry"] in ("J", OTHER)
    strict = Industry(threshold=0.999999)(Document("e", "本周的活动安排已经确定。", Source("f", 1)))
    assert strict.meta["industry"] == OTHER
    event = strict.trace[-1]
    assert (
        event.details["industry_best"] in LabelModel.load().codes
        and event.score == strict.meta["industry_score"]
    )


def test_seed_words_weigh_beside_the_learned_weights():
    # A text that names its subject in the taxonomy's own words is labelled surer of it; without
    # the seed weight the same model states what the learned weights alone say.
    model = LabelModel.load()
    text = "央行宣布下调存款准备金率，多家银行随后调整房贷利率，基金和股市应声上涨。"
    j = model.codes.index("J")
    weighed = model.predict_proba([text])[0, j]
    plain = LabelModel(
        model.taxonomy,
        model.weights,
        model.bias,
        bits=model.bits,
        temperature=model.temperature,
        seed_weight=0.0,
    ).predict_proba([text])[0, j]
    assert model.seed_weight > 0 and weighed > plain
    seeds = model.seeds.counts(text).distinct
    assert seeds[j] >= 3 and seeds.sum() == seeds[j]


def test_a_channel_url_moves_the_label():
    model = LabelModel.load()
    text = "本周的活动安排已经确定，欢迎大家报名参加。"
    plain = model.predict_proba([text])[0]
    boosted = model.predict_proba([text], urls=["https://news.site.cn/finance/2026/1.html"])[0]
    j = model.codes.index("J")
    assert boosted[j] > plain[j]


def test_saved_models_are_byte_identical_and_bad_files_name_themselves(tmp_path: Path):
    model = LabelModel.load()
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    model.save(a)
    model.save(b)
    assert a.read_bytes() == b.read_bytes()
    again = LabelModel.load(a)
    assert again.predict([CLEAR_TEXTS["P"]]) == model.predict([CLEAR_TEXTS["P"]])
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=r"junk\.npz: not a taoyu label model"):
        LabelModel.load(junk)


# -- the trainer ------------------------------------------------------------------------------

THREE = parse(
    {
        "name": "three",
        "labels": [
            {"code": "tea", "description": "茶叶的种植和品饮", "seeds": ["茶叶", "茶园", "绿茶"]},
            {"code": "rail", "description": "铁路和火车", "seeds": ["铁路", "火车", "高铁"]},
            {"code": "opera", "description": "戏曲演出", "seeds": ["戏曲", "京剧", "唱腔"]},
        ],
    },
    "three",
)

_CORPUS_WORDS = {
    "tea": ["茶农", "采茶", "炒青", "龙井", "茶香", "茶汤", "茶山", "春茶", "毛尖", "茶杯"],
    "rail": ["车站", "列车", "轨道", "乘客", "车厢", "站台", "车次", "铁轨", "调度", "检票"],
    "opera": ["戏台", "花旦", "老生", "锣鼓", "剧目", "票友", "青衣", "水袖", "戏班", "唱段"],
}


def _corpus(seed: int, n: int) -> list[tuple[str, str]]:
    """Texts of each label: a few seed words in some, only the label's other words in most."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        for code, words in _CORPUS_WORDS.items():
            picked = [words[i] for i in rng.integers(0, len(words), 6)]
            if rng.random() < 0.3:
                label = next(lb for lb in THREE.labels if lb.code == code)
                picked += list(label.seeds[:2])
            out.append(("，".join(picked) + "。", code))
    return out


def test_training_learns_words_that_are_not_seeds():
    corpus = [t for t, _ in _corpus(0, 120)]
    model, report = train(THREE, corpus, TrainConfig(seed_texts_per_label=100, epochs=4))
    held = _corpus(1, 20)
    # Texts without a single seed word, labelled by the words self-training learned.
    no_seed = [(t, c) for t, c in held if not any(s in t for lb in THREE.labels for s in lb.seeds)]
    right = sum(
        p.best == c for p, (_, c) in zip(model.predict([t for t, _ in no_seed]), no_seed, strict=True)
    )
    assert right / len(no_seed) >= 0.9
    assert sum(report.weak.values()) > 0 and report.corpus_labels


def test_a_seed_word_is_never_used_as_filler_in_seed_texts():
    # 数据 is one of the trainer's neutral words; a taxonomy that names it as a seed must not be
    # taught that it says nothing (it would be set, as filler, into every other label's texts).
    from taoyu.industry.train import NEUTRAL_WORDS, seed_texts

    assert "数据" in NEUTRAL_WORDS
    taxonomy = parse(
        {
            "labels": [
                {"code": "data", "seeds": ["数据", "数据库"]},
                {"code": "tea", "seeds": ["茶农", "龙井"]},
            ]
        },
        "mine",
    )
    texts, labels = seed_texts(taxonomy, [[], []], 400, np.random.default_rng(0))
    tea_texts = [t for t, k in zip(texts, labels, strict=True) if k == 1]
    assert not any("数据" in t for t in tea_texts)


def test_builtin_seeds_are_not_words_every_headline_uses():
    # A seed counts as evidence for its section; a word news of every kind uses (网友, 孩子, 科技,
    # 创新) is not. The three left are the plainest words of their sections.
    from taoyu.industry.train import NEUTRAL_WORDS

    seeds = {str(s) for label in builtin().labels for s in label.seeds}
    assert seeds & set(NEUTRAL_WORDS) <= {"农村", "政府", "政策"}


def test_two_labels_keep_other_above_chance():
    two = parse({"labels": [THREE.as_dict()["labels"][0], THREE.as_dict()["labels"][1]]}, "two")
    corpus = [t for t, c in _corpus(0, 40) if c != "opera"]
    model, _ = train(two, corpus, TrainConfig(seed_texts_per_label=50))
    assert 0.75 <= model.threshold <= 1.0  # twice chance would be 1.0: halfway to certainty instead


def test_training_is_deterministic(tmp_path: Path):
    corpus = [t for t, _ in _corpus(0, 30)]
    config = TrainConfig(seed_texts_per_label=50, epochs=2, rounds=1)
    for name in ("a", "b"):
        train(THREE, corpus, config)[0].save(tmp_path / f"{name}.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_corpus_reader_takes_jsonl_parquet_text_and_run_folders(tmp_path: Path):
    from .conftest import write_jsonl, write_parquet

    write_jsonl(tmp_path / "a.jsonl.zst", [{"text": "甲"}, {"text": "乙", "x": 1}], compress="zst")
    run = tmp_path / "run"
    (run / "data").mkdir(parents=True)
    (run / "run.json").write_text("{}")
    (run / "ledger").mkdir()
    write_parquet(run / "data" / "part.parquet", [{"text": "丙"}])
    write_parquet(run / "ledger" / "l.parquet", [{"doc_id": "not text"}])
    (tmp_path / "d.txt").write_text("丁" * 4000, encoding="utf-8")
    texts = list(read_texts([tmp_path / "a.jsonl.zst", run, tmp_path / "d.txt"], chunk_chars=1500))
    assert texts[:3] == ["甲", "乙", "丙"] and "".join(texts[3:]) == "丁" * 4000 and len(texts) == 6
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl: line 2 is not JSON"):
        list(read_texts([bad]))
    import zstandard

    frame = zstandard.ZstdCompressor().compress(b'{"text": "x"}\n' * 1000)
    broken = tmp_path / "broken.jsonl.zst"
    broken.write_bytes(frame[:10] + b"\xff" * 20 + frame[30:])  # the decompressor's own error
    with pytest.raises(ValueError, match=r"broken\.jsonl\.zst: cannot read"):
        list(read_texts([broken]))
    broken.write_bytes(frame[: len(frame) // 2])  # a truncated stream
    with pytest.raises(ValueError, match=r"broken\.jsonl\.zst: cannot read"):
        list(read_texts([broken]))


# -- content type -----------------------------------------------------------------------------

KIND_TEXTS = {
    "news": "本报讯（记者王明）市交通局近日表示，三条公交线路将于下月调整。据了解，调整后换乘更方便。\n责任编辑：李华",
    "government_notice": "关于开展秋季消防安全检查的通知\n各有关单位：\n现将有关事项通知如下：\n一、检查范围。\n特此通知。",
    "legal": "第一章 总则\n第一条 为了规范物业管理活动，制定本条例。\n第二条 本条例适用于本市行政区域。\n第三条 业主应当遵守。",
    "forum": "楼主 发表于 2026-3-1\n这台洗衣机值得买吗？\n沙发\n2楼 回复 楼主：我家用了三年\n3楼 引用 2楼的帖子",
    "tutorial": "如何更换水龙头\n第一步：关闭总阀。\n第二步：用扳手拆下旧龙头。\n第三步：缠好生料带，装上新龙头。",
    "qa": "问：公积金可以提取几次？\n答：每年可以提取一次。\n问：需要什么材料？\n答：身份证和购房合同。",
    "product": "品牌：某厂\n型号：K3\n价格：￥199\n颜色分类：白色\n月销 500+\n加入购物车 包邮",
    "listing": "\n".join(f"本地要闻第{i}条标题" for i in range(20)),
}


@pytest.mark.parametrize("kind", sorted(KIND_TEXTS))
def test_content_type_reads_the_conventions_of_each_genre(kind):
    result = content_type.classify(KIND_TEXTS[kind])
    assert result.kind == kind, result.scores


@pytest.mark.parametrize("kind", sorted(KIND_TEXTS))
def test_content_type_reads_a_text_written_in_traditional_as_its_simplified_twin(kind):
    # The cues are written in Simplified; a Taiwan report's 記者 and a notice's 特此通知 in
    # Traditional mark the same genres.
    traditional = opencc.OpenCC("s2twp").convert(KIND_TEXTS[kind])
    assert traditional != KIND_TEXTS[kind]
    result = content_type.classify(traditional)
    assert result.kind == kind, result.scores


def test_a_computer_on_this_desk_is_not_a_news_agency():
    text = "如何查看本台电脑的IP地址？打开设置，点击网络。本台电视机支持4K。"
    assert content_type.classify(text).scores["news"] == 0.0


def test_plain_prose_without_genre_marks_is_other():
    result = content_type.classify("秋天的西湖边很安静，湖面上飘着几片落叶。")
    assert result.kind == content_type.OTHER and result.score < content_type.MIN_SCORE


# How reports open on portals that carry them, each of which alone makes a text news.
NEWS_LEADS = [
    "（原标题：三条公交线路下月调整）\n市交通局决定调整三条公交线路，调整后换乘更方便。",
    "原标题：三条公交线路下月调整\n市交通局决定调整三条公交线路，调整后换乘更方便。",
    "示例晚报讯（记者 王明）市交通局决定调整三条公交线路，调整后换乘更方便。",
    "示例网-示例客户端讯 市交通局决定调整三条公交线路，调整后换乘更方便。",
    "今（9）日，市交通局决定调整三条公交线路，调整后换乘更方便。",
    "市民今日（23日）起可以乘坐新开通的公交线路，换乘更方便。",
    "记者从市交通局获悉，三条公交线路将于下月调整，调整后换乘更方便。",
]


@pytest.mark.parametrize("text", NEWS_LEADS)
def test_a_reports_lead_makes_it_news(text):
    result = content_type.classify(text)
    assert result.kind == "news", result.scores


@pytest.mark.parametrize(
    "text",
    [
        "移动通讯，是指移动用户之间的通信方式，包括无线电话和寻呼。",  # 讯 of a word, not of a newsroom
        "1949年10月1日，中华人民共和国中央人民政府宣告成立，首都定在北京。",  # an encyclopedia's date
    ],
)
def test_a_word_or_a_date_alone_does_not_make_news(text):
    assert content_type.classify(text).kind != "news"


def test_a_question_page_is_qa_by_its_title_and_address():
    """A Q&A site's answer says nothing of its genre in its text: its title asks, and its
    address is a question's. Either alone is not enough (a report may ask in its headline)."""
    answer = "我去年在社区办过一次，材料准备齐全的话当天就能拿到回执，记得提前预约。"
    title, url = "居住证怎么办理？ - 示例问答", "https://www.example.com/question/123/answer/456"
    assert content_type.classify(answer, title=title, url=url).kind == "qa"
    assert content_type.classify(answer, title=title).kind == content_type.OTHER
    report = "示例晚报讯（记者 王明）居住证今年起可以在网上办理，材料准备齐全的话当天就能拿到回执。"
    assert (
        content_type.classify(report, title="居住证还要排队吗？", url="https://news.example.com/a/1").kind
        == "news"
    )


def test_a_forums_address_counts_for_forum():
    post = "楼主 发表于 2026-3-1\n这台洗衣机值得买吗？"
    plain = content_type.classify(post)
    addressed = content_type.classify(post, url="https://bbs.example.com/thread-123-1-1.html")
    assert addressed.scores["forum"] > plain.scores["forum"] and addressed.kind == "forum"


def test_the_step_reads_a_pages_title_and_address_for_its_content_type():
    from taoyu.document import Document, Source
    from taoyu.steps.industry import Industry

    answer = "我去年在社区办过一次，材料准备齐全的话当天就能拿到回执，记得提前预约。"
    doc = Document("d", answer, Source("f", 0), url="https://www.example.com/question/123")
    doc.meta["title"] = "居住证怎么办理？ - 示例问答"
    assert Industry()(doc).meta["content_type"] == "qa"


def test_the_step_reads_the_credits_extraction_took_out_for_its_content_type():
    # A report's byline and source are chrome to a reader, and extraction takes them out of the
    # text; they are what says the text is a report.
    from taoyu.document import Document, Source
    from taoyu.steps.industry import Industry

    report = "杭州地铁三条新线同日开通，城西居民通勤时间缩短近半。沿线居民对此表示欢迎。"
    plain = Document("d", report, Source("f", 0))
    credited = Document("e", report, Source("f", 0))
    credited.meta["credits"] = ["2026-09-28 来源：本报记者 林晓"]
    assert Industry()(plain).meta["content_type"] != "news"
    assert Industry()(credited).meta["content_type"] == "news"


@pytest.mark.parametrize(
    "lead",
    [
        "〔記者王小明／台北報導〕立法院今天三讀通過修正案。",
        "（中央社記者陳大文台北1日電）行政院今天宣布新措施。",
    ],
)
def test_taiwans_reporter_lines_and_datelines_mark_a_report(lead):
    assert content_type.classify(lead).kind == "news"


def test_a_reporter_named_in_a_sentence_is_no_reporters_line():
    assert content_type.classify("我的记者朋友说他在台北报导过这件事。").kind != "news"
