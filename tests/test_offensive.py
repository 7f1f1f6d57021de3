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
