"""Offensive classifier: the packaged model loads and behaves, hashing never drifts, training learns."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.safety import HashSpec, OffensiveModel, hashed_ngrams, normalize
from taoyu.safety.offensive import normalize_batch
from taoyu.safety.train_offensive import best_threshold, fit, metrics

TEXTS = [
    "今天天气很好，我们去公园散步。",
    "你这个人说话真难听",
    "",
    "   ",
    "ＡＢＣ full-width and ascii",
    "emoji 😀 and a lone surrogate \ud800 survive",
    "很长的句子" * 400,
]


@pytest.fixture(scope="module")
def model() -> OffensiveModel:
    return OffensiveModel.load()


def test_packaged_model_loads_once_per_process(model: OffensiveModel) -> None:
    assert OffensiveModel.load() is model
    assert model.weights.shape == (1 << model.spec.bits,)
    assert model.spec.bits <= 18
    assert 0.0 < model.threshold < 1.0
    assert np.isfinite(model.weights).all()
    assert np.abs(model.weights).max() > 0.1, "an untrained (all-zero) model was shipped"


def test_probabilities_are_in_range_and_repeatable(model: OffensiveModel) -> None:
    first = model.predict_proba(TEXTS)
    assert first.shape == (len(TEXTS),)
    assert first.dtype == np.float64
    assert ((first >= 0) & (first <= 1)).all()
    np.testing.assert_array_equal(model.predict_proba(TEXTS), first)


def test_batch_equals_one_at_a_time(model: OffensiveModel) -> None:
    batch = model.predict_proba(TEXTS)
    single = np.array([model.predict_proba([t])[0] for t in TEXTS])
    np.testing.assert_allclose(batch, single, rtol=0, atol=1e-12)


def test_batches_larger_than_one_chunk(model: OffensiveModel) -> None:
    texts = [f"第{i}条评论，内容{i % 7}" for i in range(20_000)]
    probs = model.predict_proba(texts)
    np.testing.assert_allclose(
        probs[[0, 9_000, 19_999]], model.predict_proba([texts[0], texts[9_000], texts[19_999]])
    )


def test_empty_inputs(model: OffensiveModel) -> None:
    assert model.predict_proba([]).shape == (0,)
    assert model.predict([""]).dtype == bool
    # Whitespace-only text normalises to the empty text.
    assert model.predict_proba([""])[0] == model.predict_proba([" \n\t "])[0]


def test_clear_cases(model: OffensiveModel) -> None:
    """Loose sanity on the shipped weights, in COLD's own sense: attacks on a region, race or gender.

    (Generic insults with no group target are not what COLD labels, and the model mostly misses them.)
    """
    neutral = model.predict_proba(["今天天气很好，我们去公园散步。", "本文介绍了一种新的图像分割算法。"])
    attacks = model.predict_proba(["河南人都是骗子", "女人就是不行", "黑鬼都该滚回非洲"])
    assert neutral.max() < model.threshold < attacks.min()


# Neutral news about the groups COLD's attacks target. COLD alone taught the model that these topics
# are evidence of offence (the model before neutral-topic training flagged several of these lines).
NEUTRAL_TOPIC_SENTENCES = [
    "艾滋病病毒感染者的隐私受法律保护，医疗机构不得泄露。",
    "抗病毒治疗让艾滋病感染者的预期寿命接近普通人群。",
    "联合国秘书长在国际不再恐同日发表致辞，呼吁终结对同性恋者的歧视。",
    "多国外交官联合发表声明，支持保障性少数群体的平等权利。",
    "法院裁定，雇主不得因员工的性取向将其解雇。",
    "政府为少数民族聚居地区修建了新的学校和医院。",
    "来自河南的农民工在城市建设中作出了重要贡献。",
    "这项调查比较了东北人和广东人的饮食习惯。",
]
NEUTRAL_TOPIC_PAGES = {
    "lgbt rights": [
        "联合国人权理事会通过决议，呼吁各国保护性少数群体免受暴力和歧视。",
        "人权组织发布报告，指出跨性别者在就业和医疗方面仍面临困难。",
        "该国议会以多数票通过同性婚姻法案，同性伴侣从此可以登记结婚。",
    ],
    "hiv": [
        "世界艾滋病日前夕，疾控中心发布最新数据，新发感染人数继续下降。",
        "艾滋病感染者享有就业、就医和入学的平等权利，任何单位不得歧视。",
    ],
    "ethnic minorities": [
        "自治区大力发展民族教育，少数民族学生入学率持续提高。",
        "这位维吾尔族歌手的新专辑在全国发行。",
    ],
    "a region's people": [
        "河南人口众多，每年有大量劳动力外出务工。",
        "东北人冬天喜欢吃炖菜，这与当地寒冷的气候有关。",
    ],
    "casual, not offensive": [
        "如果我和女朋友互换性别二十四小时，我大概会先去体验一下她每天化妆要花多久。",
        "要是明天醒来变成了男生，我第一件事应该是去剪个短发，然后约朋友打球。",
        "互换身体一天的话，估计我俩都会手忙脚乱，哈哈。",
    ],
}
INSULT_PAGE = ["河南人全是小偷骗子，一个都不能信", "同性恋都是变态，恶心死了", "滚回你们非洲去吧黑鬼"]


def test_neutral_sentences_about_sensitive_topics_are_not_offensive(model: OffensiveModel) -> None:
    probs = model.predict_proba(NEUTRAL_TOPIC_SENTENCES)
    assert probs.max() < model.threshold, dict(zip(NEUTRAL_TOPIC_SENTENCES, probs.round(3), strict=True))


def _safety(text: str):
    from taoyu.document import Document, Source
    from taoyu.steps.safety import Safety

    return Safety()(Document("d", text, Source("f.jsonl", 0)))


@pytest.mark.parametrize("topic", NEUTRAL_TOPIC_PAGES)
def test_the_safety_step_keeps_neutral_news_about_sensitive_topics(topic: str) -> None:
    doc = _safety("\n".join(NEUTRAL_TOPIC_PAGES[topic]))
    assert not doc.is_dropped, doc.dropped_by


def test_the_safety_step_still_drops_clear_insults(model: OffensiveModel) -> None:
    assert model.predict(INSULT_PAGE).all()
    doc = _safety("\n".join(INSULT_PAGE))
    assert doc.dropped_by.reason == "safety:offensive"


def test_one_high_scoring_sentence_does_not_drop_a_short_page() -> None:
    """A page needs two offensive units: one hot line in a two-line page is not enough evidence."""
    from taoyu.document import Document, Source
    from taoyu.steps.safety import Safety

    text = "\n".join([INSULT_PAGE[0], NEUTRAL_TOPIC_PAGES["a region's people"][0]])
    scores = Safety().score(Document("d", text, Source("f.jsonl", 0)))
    assert scores["offensive_lines"] == 1 and scores["offensive_share"] >= 0.3  # the old rule dropped it
    assert not _safety(text).is_dropped


def test_long_lines_are_scored_by_sentence() -> None:
    from taoyu.steps.safety import Safety

    step = Safety()
    paragraph = "".join(NEUTRAL_TOPIC_SENTENCES)  # one long line of several sentences
    assert step._scored_lines(paragraph) == NEUTRAL_TOPIC_SENTENCES
    assert step._scored_lines(INSULT_PAGE[0]) == [INSULT_PAGE[0]]  # comment-sized lines stay whole


def test_neutral_topic_split_is_fixed_by_document() -> None:
    from taoyu.safety import neutral_topics as nt

    wiki, news = nt.SOURCES[0], nt.SOURCES[-1]
    assert not news.trainable
    assert {nt.split_of(news, f"n{i}") for i in range(50)} == {nt.HELDOUT}  # evaluation only
    splits = [nt.split_of(wiki, f"w{i}") for i in range(2000)]
    assert splits == [nt.split_of(wiki, f"w{i}") for i in range(2000)]
    assert 0.6 < splits.count(nt.TRAIN) / 2000 < 0.8 and 0.15 < splits.count(nt.HELDOUT) / 2000 < 0.25
    assert nt.topic_of("呼吁保护LGBT群体") == "lgbt" and nt.topic_of("今天天气很好") is None
    swapped = nt.swapped([nt.Sentence("laws", "a", nt.TRAIN, "gender", "保障妇女的合法权益。")], copies=2)
    assert len(swapped) == 2 and all(
        "妇女" not in s.text and s.text.endswith("的合法权益。") for s in swapped
    )


def test_normalize_folds_width_case_and_spaces() -> None:
    assert normalize(" ＳＢ\u3000Ｓb\n\n你好 ") == "sb sb 你好"
    assert normalize("\x02a\x03") == "a"  # the n-gram boundary markers cannot be forged by input


def test_hash_buckets_are_frozen() -> None:
    """Bucket ids are part of the model file's meaning: if this changes, the shipped weights are garbage."""
    rows = hashed_ngrams(["Ｈi，你好"], HashSpec(orders=(1, 2, 3), bits=18, seed=0))
    assert rows.cols.tolist() == [
        36362, 47952, 62831, 74267, 79022, 94706, 105740, 111519, 122949,
        132056, 135701, 149529, 164598, 166258, 184912, 219152, 229393, 247450,
    ]  # fmt: skip
    assert rows.rows.tolist() == [0] * 18
    small = hashed_ngrams(["hi,你好"], HashSpec(orders=(1, 2), bits=12, seed=7))
    assert small.cols.tolist() == [263, 534, 668, 672, 1145, 1164, 1366, 1578, 2032, 2038, 2472, 3680, 4035]
    assert small.scale[0] == pytest.approx(1 / np.sqrt(13))


def test_hashing_is_per_text_and_seeded() -> None:
    spec = HashSpec(orders=(1, 2, 3), bits=16, seed=0)
    together = hashed_ngrams(["甲乙", "丙丁"], spec)
    apart = [hashed_ngrams([t], spec).cols.tolist() for t in ("甲乙", "丙丁")]
    # No n-gram spans two texts of a batch, and a text's buckets do not depend on its neighbours.
    assert together.cols[together.rows == 0].tolist() == apart[0]
    assert together.cols[together.rows == 1].tolist() == apart[1]
    other_seed = hashed_ngrams(["甲乙"], HashSpec(orders=(1, 2, 3), bits=16, seed=1))
    assert other_seed.cols.tolist() != apart[0]


def test_save_load_round_trip_is_byte_stable(tmp_path, model: OffensiveModel) -> None:
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    model.save(a)
    model.save(b)
    assert a.read_bytes() == b.read_bytes()
    again = OffensiveModel.load(a)
    assert again.spec == model.spec and again.threshold == model.threshold
    np.testing.assert_array_equal(again.predict_proba(TEXTS), model.predict_proba(TEXTS))


def _synthetic(rng: random.Random, n: int) -> tuple[list[str], np.ndarray]:
    """Filler of common characters; offensive ones carry the marker 蠢货 somewhere inside."""
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"  # noqa: E501
    texts, labels = [], []
    for i in range(n):
        body = "".join(rng.choice(pool) for _ in range(rng.randint(8, 30)))
        if i % 2:
            cut = rng.randint(0, len(body))
            body = body[:cut] + "蠢货" + body[cut:]
        texts.append(body)
        labels.append(i % 2)
    return texts, np.array(labels, dtype=np.int8)


def test_training_learns_a_separable_marker() -> None:
    rng = random.Random(3)
    train_texts, train_labels = _synthetic(rng, 600)
    test_texts, test_labels = _synthetic(rng, 300)
    model = fit(train_texts, train_labels, HashSpec(orders=(1, 2, 3), bits=14, seed=0), l2=1e-5, epochs=8)
    m = metrics(model.predict(test_texts), test_labels)
    assert m.accuracy >= 0.97, m
    assert m.f1 >= 0.97, m
    # Confident, not just on the right side of 0.5: a barely-moved model would also sort these right.
    probs = model.predict_proba(test_texts)
    assert probs[test_labels == 1].mean() > 0.9
    assert probs[test_labels == 0].mean() < 0.1


def test_training_is_deterministic() -> None:
    texts, labels = _synthetic(random.Random(5), 200)
    spec = HashSpec(orders=(1, 2), bits=12, seed=0)
    a = fit(texts, labels, spec, epochs=2, seed=11)
    b = fit(texts, labels, spec, epochs=2, seed=11)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.bias == b.bias


def test_best_threshold_and_metrics_by_hand() -> None:
    probs = np.array([0.9, 0.8, 0.6, 0.4, 0.2])
    labels = np.array([1, 1, 0, 1, 0])
    threshold, f1 = best_threshold(probs, labels)
    # Flagging the top four catches all three positives with one false alarm: P 3/4, R 1, F1 6/7.
    assert threshold == pytest.approx(0.3)
    assert f1 == pytest.approx(6 / 7)
    m = metrics(probs >= threshold, labels)
    assert (m.precision, m.recall, m.accuracy) == (pytest.approx(0.75), 1.0, pytest.approx(0.8))


def test_best_threshold_never_splits_ties() -> None:
    # Cutting inside the tie at 0.5 would look better (F1 of the first 0.5 alone) but is not a threshold.
    probs = np.array([0.5, 0.5, 0.1])
    labels = np.array([1, 0, 0])
    threshold, f1 = best_threshold(probs, labels)
    assert threshold < 0.5
    assert f1 == pytest.approx(metrics(probs >= threshold, labels).f1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_batch_normalisation_equals_per_text_normalisation(texts):
    assert normalize_batch(texts) == [normalize(t) for t in texts]
