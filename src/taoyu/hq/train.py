"""Training the quality model: reference text against web junk.

``python -m taoyu.hq.train --shared ../shared --out src/taoyu/hq`` builds the packaged model:

* **positives**: reference-quality Chinese text whose licences allow training a shipped model
  (``shared/data/quality``: Wikipedia via CMRC and DRCD, textbooks and technical documentation;
  ``shared/data/corpus/laws`` statutes; ``tidb_docs_cn``), cut into chunks of 300–3,000 characters;
* **negatives**: junk made here from those same texts, the shapes a crawl is full of: navigation
  menus, columns of dated headlines, keyword stuffing, fragments with no sentence that ends, a
  paragraph repeated, number tables, link and download bars, stubs. Made from the positives'
  own characters, so the model cannot learn a vocabulary and must learn how text is put together.
  No crawled page is used: crawled text is not ours to train a shipped model on.

``taoyu quality train --positives good.jsonl [--negatives crawl.jsonl]`` trains a user's own (the
negatives default to junk made from the positives, as here). Both hold out a fifth of each side
and report its accuracy and AUC in ``training_report.json``.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import orjson

from taoyu.hq.features import NAMES, matrix
from taoyu.hq.model import CLIP, MODEL_RESOURCE, QualityModel

JUNK_KINDS = (
    "menu",
    "headlines",
    "stuffing",
    "fragments",
    "repeated",
    "table",
    "links",
    "stub",
    "markup",
)


def make_junk(texts: Sequence[str], n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` junk pages (kind, text) built from pieces of ``texts``, kinds in turn."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = JUNK_KINDS[i % len(JUNK_KINDS)]
        out.append((kind, _JUNK[kind](rng, texts)))
    return out


def _piece(rng: random.Random, texts: Sequence[str], lo: int, hi: int) -> str:
    text = rng.choice(texts)
    clean = "".join(ch for ch in text if ch not in "，。！？；：、,.!?;:\n ")
    if len(clean) <= lo:
        return clean
    size = rng.randint(lo, min(hi, len(clean)))
    start = rng.randrange(0, len(clean) - size + 1)
    return clean[start : start + size]


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _menu(rng: random.Random, texts: Sequence[str]) -> str:
    sep = rng.choice([" | ", "\n", "  ", " > ", "｜"])
    return sep.join(_piece(rng, texts, 2, 6) for _ in range(rng.randint(8, 40)))


def _headlines(rng: random.Random, texts: Sequence[str]) -> str:
    return "\n".join(f"{_piece(rng, texts, 8, 24)} {_date(rng)}" for _ in range(rng.randint(8, 30)))


def _stuffing(rng: random.Random, texts: Sequence[str]) -> str:
    words = [_piece(rng, texts, 2, 6) for _ in range(rng.randint(2, 5))]
    return rng.choice(["，", ",", " ", "_"]).join(rng.choice(words) for _ in range(rng.randint(20, 80)))


def _fragments(rng: random.Random, texts: Sequence[str]) -> str:
    return "\n".join(_piece(rng, texts, 4, 16) for _ in range(rng.randint(10, 40)))


def _repeated(rng: random.Random, texts: Sequence[str]) -> str:
    text = rng.choice(texts)
    start = rng.randrange(0, max(len(text) - 80, 1))
    para = text[start : start + rng.randint(30, 80)].strip() or text[:60]
    return "\n".join([para] * rng.randint(4, 12))


def _table(rng: random.Random, texts: Sequence[str]) -> str:
    rows = []
    for _ in range(rng.randint(6, 30)):
        cells = [_piece(rng, texts, 2, 6)] + [str(rng.randint(0, 99999)) for _ in range(rng.randint(2, 6))]
        rows.append(rng.choice(["\t", " ", " | "]).join(cells))
    return "\n".join(rows)


def _links(rng: random.Random, texts: Sequence[str]) -> str:
    bars = ["点击下载", "立即注册", "登录", "http://www.", "查看更多>>", "返回首页", "上一页", "下一页"]
    lines = []
    for _ in range(rng.randint(6, 25)):
        host = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 10)))
        url = f"http://www.{host}.com/{rng.randint(1, 9999)}.html"
        lines.append(f"{rng.choice(bars)} {_piece(rng, texts, 4, 12)} {url}")
    return "\n".join(lines)


def _stub(rng: random.Random, texts: Sequence[str]) -> str:
    return _piece(rng, texts, 8, 40)


def _markup(rng: random.Random, texts: Sequence[str]) -> str:
    """A page whose markup leaked into the text: tags and attributes around pieces of prose."""
    tags = ["div", "span", "p", "a", "li", "td", "script", "style"]
    parts = []
    for _ in range(rng.randint(6, 30)):
        tag = rng.choice(tags)
        parts.append(f'<{tag} class="c{rng.randint(1, 99)}">{_piece(rng, texts, 4, 30)}</{tag}>')
    return rng.choice(["", "\n"]).join(parts)


_JUNK = {
    "menu": _menu,
    "headlines": _headlines,
    "stuffing": _stuffing,
    "fragments": _fragments,
    "repeated": _repeated,
    "table": _table,
    "links": _links,
    "stub": _stub,
    "markup": _markup,
}


VETOES = {
    "char_growth": ("low", 99.0),
    "duplicate_line_share": ("high", 100.0),
    "link_token_rate": ("high", 100.0),
}
"""Statistics whose bad side is known before any junk is seen (characters that stop being new,
repeated lines, links and download bars: taoyu.hq.model says why they veto), and the percentile of
the positives past which they do. Repeated lines and link tokens veto only past every reference
text: a document repeats code fences and table rules (a fifth of TiDB's documents are past the
positives' 99th percentile), and a manual names a download page; a junk page repeats a paragraph
(three quarters of its lines and more), a link bar has a URL or a 下载 on every line."""
VETO_ONLY = ("char_growth",)
"""Statistics that only veto, with no weight of their own: character growth is still highest in
the shortest texts, and with a weight of its own it moved poems up the ranking of real documents."""
VETO = 4.0
"""Log-odds taken off per spread (the positives' standard deviation) past a bound, for at most four
spreads. In a trial on bench/quality_model.py's left-out junk kinds, 2 gave keyword stuffing 0.933
and 4 gave 0.971 (docs/benchmarks.md has the shipped figures)."""


def genre_statistics(
    positives: np.ndarray, genres: Sequence[str], negatives: np.ndarray, negative_kinds: Sequence[str]
) -> list[str]:
    """The statistics that tell the positives' genres apart more than they tell junk from them:
    those left out of the weights (issue #22's genre neutrality).

    For each statistic, in units of its spread over all positives: the range of the genres' means
    (how far a statute and a manual differ), against the largest distance of a negative kind's mean
    from the positives' mean (how far the junk that statistic betrays lies). A statistic whose
    genres differ more than any junk does ranks good text by genre, not quality: Han and Latin
    shares, function words, questions and exclamations, list markers and brackets on the reference
    corpora (bench/quality_model.py). With fewer than two genres nothing is left out. Veto-only
    statistics are not judged here."""
    names = sorted(set(genres))
    if len(names) < 2 or not len(negatives):
        return []
    genre_of = np.asarray(genres)
    kinds = np.asarray(negative_kinds)
    spread = positives.std(axis=0)
    spread[spread < 1e-9] = 1.0
    centre = positives.mean(axis=0)
    means = np.array([positives[genre_of == g].mean(axis=0) for g in names])
    genre_range = (means.max(axis=0) - means.min(axis=0)) / spread
    junk_distance = np.max(
        [np.abs(negatives[kinds == k].mean(axis=0) - centre) / spread for k in sorted(set(negative_kinds))],
        axis=0,
    )
    return [
        name for i, name in enumerate(NAMES) if name not in VETO_ONLY and junk_distance[i] < genre_range[i]
    ]


def fit(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1e-3,
    epochs: int = 500,
    lr: float = 0.5,
    left_out: Sequence[str] = (),
) -> QualityModel:
    """Logistic regression on standardised statistics, full-batch gradient descent (a few thousand
    rows of two dozen columns: seconds), classes weighted to balance; then the vetoes' bounds,
    from the positives' rows alone (:data:`VETOES`). The statistics in ``left_out`` (and the
    veto-only ones) keep a weight of 0 (:func:`genre_statistics`)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.clip((x - mean) / scale, -CLIP, CLIP)
    pos = max(float(y.sum()), 1.0)
    neg = max(float(len(y) - y.sum()), 1.0)
    sample_weight = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))
    w = np.zeros(z.shape[1])
    b = 0.0
    weighed = np.array([name not in VETO_ONLY and name not in left_out for name in NAMES], np.float64)
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w + b, -40, 40)))
        g = (p - y) * sample_weight
        w -= lr * (z.T @ g / len(y) + l2 * w) * weighed
        b -= lr * float(g.mean())
    floor, ceiling, spread = _veto_bounds(x[y > 0], scale)
    return QualityModel(w, b, mean, scale, NAMES, floor, ceiling, spread, VETO)


def _veto_bounds(positives: np.ndarray, scale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floors and ceilings (NaN: none) and spreads of the statistics in :data:`VETOES`, from the
    positives' rows. A spread is the positives' standard deviation, but at least a tenth of the
    statistic's spread over all the training rows (``scale``): positives that never repeat a line
    would otherwise make one repeated line a veto of thousands."""
    floor, ceiling = np.full(len(NAMES), np.nan), np.full(len(NAMES), np.nan)
    spread = np.ones(len(NAMES))
    if not len(positives):
        return floor, ceiling, spread
    for name, (bad, percentile) in VETOES.items():
        i = NAMES.index(name)
        column = positives[:, i]
        spread[i] = max(float(column.std()), float(scale[i]) / 10, 1e-6)
        if bad == "high":
            ceiling[i] = float(np.percentile(column, percentile))
        else:
            floor[i] = float(np.percentile(column, 100 - percentile))
    return floor, ceiling, spread


def auc(scores_pos: np.ndarray, scores_neg: np.ndarray) -> float:
    """The probability that a positive outscores a negative (ties count half)."""
    if not len(scores_pos) or not len(scores_neg):
        return float("nan")
    both = np.concatenate([scores_pos, scores_neg])
    ranks = np.argsort(np.argsort(both, kind="stable"), kind="stable").astype(np.float64) + 1
    # average ranks of ties
    order = np.argsort(both, kind="stable")
    sorted_scores = both[order]
    i = 0
    while i < len(both):
        j = i
        while j + 1 < len(both) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        if j > i:
            ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: len(scores_pos)].sum()
    return float((r_pos - len(scores_pos) * (len(scores_pos) + 1) / 2) / (len(scores_pos) * len(scores_neg)))


def train(
    positives: Sequence[str],
    negatives: Sequence[str] | None = None,
    seed: int = 0,
    genres: Sequence[str] | None = None,
    negative_kinds: Sequence[str] | None = None,
) -> tuple[QualityModel, dict[str, object]]:
    """Train on ``positives`` against ``negatives`` (default: junk made from the positives), holding
    out a fifth of each for the report; the model returned is refitted on everything.

    ``genres`` names each positive's genre (its source); given two or more, the statistics that
    tell the genres apart more than they tell junk from them get no weight
    (:func:`genre_statistics`), so the score ranks good text of every genre alike.
    ``negative_kinds`` names each negative's kind of junk (made junk knows its own); without it,
    the negatives are one kind."""
    rng = random.Random(seed)
    if genres is not None and len(genres) != len(positives):
        raise ValueError(f"{len(genres)} genres for {len(positives)} positive texts")
    paired = list(zip(positives, genres if genres is not None else [""] * len(positives), strict=True))
    if not paired:
        raise ValueError("no positive texts to train on")
    pos = [text for text, _ in paired]
    if negative_kinds is not None and negatives is not None and len(negative_kinds) != len(negatives):
        raise ValueError(f"{len(negative_kinds)} kinds for {len(negatives)} negative texts")
    if negatives is not None:
        kinds = negative_kinds if negative_kinds is not None else [""] * len(negatives)
        made = list(zip(kinds, negatives, strict=True))
    else:
        made = make_junk(pos, len(pos), seed)
    if not made:
        raise ValueError("no negative texts to train on")
    rng.shuffle(paired)
    rng.shuffle(made)
    pos = [text for text, _ in paired]
    neg = [text for _, text in made]
    cut_p, cut_n = len(pos) // 5, len(neg) // 5
    x_pos, x_neg = matrix(pos), matrix(neg)
    genres_of, kinds_of = [g for _, g in paired], [k for k, _ in made]
    held = fit(  # the held-out fifth is not seen, not even to choose the statistics
        np.vstack([x_pos[cut_p:], x_neg[cut_n:]]),
        np.concatenate([np.ones(len(pos) - cut_p), np.zeros(len(neg) - cut_n)]),
        left_out=genre_statistics(x_pos[cut_p:], genres_of[cut_p:], x_neg[cut_n:], kinds_of[cut_n:]),
    )
    left_out = genre_statistics(x_pos, genres_of, x_neg, kinds_of)
    s_pos = held.score(pos[:cut_p])
    s_neg = held.score(neg[:cut_n])
    report: dict[str, object] = {
        "positives": len(pos),
        "negatives": len(neg),
        "held_out": {
            "positives": cut_p,
            "negatives": cut_n,
            "accuracy": round(float(((s_pos >= 0.5).sum() + (s_neg < 0.5).sum()) / (cut_p + cut_n)), 4)
            if cut_p and cut_n
            else None,
            "auc": round(auc(s_pos, s_neg), 4) if cut_p and cut_n else None,
        },
    }
    model = fit(
        np.vstack([x_pos, x_neg]), np.concatenate([np.ones(len(pos)), np.zeros(len(neg))]), left_out=left_out
    )
    report["genre_statistics"] = left_out
    report["weights"] = {name: round(float(w), 4) for name, w in zip(NAMES, model.weights, strict=True)}
    return model, report


def read_texts(path: Path, field: str = "text") -> list[str]:
    """Texts of a JSON Lines file (plain, .gz or .zst), one object a line; errors name the line."""
    from taoyu.io.compression import open_decompressed

    out = []
    with open_decompressed(str(path)) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"{path} line {n}: not valid JSON ({exc})") from None
            text = record.get(field) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise ValueError(f"{path} line {n}: no '{field}' string")
            out.append(text)
    return out


def chunks(texts: Iterable[str], lo: int = 300, hi: int = 3000) -> list[str]:
    """Texts cut at paragraph breaks into pieces of ``lo``–``hi`` characters (shorter ones dropped)."""
    out = []
    for text in texts:
        piece: list[str] = []
        size = 0
        for para in text.split("\n"):
            para = para.strip()
            if not para:
                continue
            piece.append(para)
            size += len(para)
            if size >= lo:
                out.append("\n".join(piece)[:hi])
                piece, size = [], 0
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Build the packaged quality model from ../shared data.")
    ap.add_argument("--shared", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent)
    ap.add_argument("--per-source", type=int, default=600, help="chunks taken from each source at most")
    args = ap.parse_args(argv)
    sources = sorted((args.shared / "data" / "quality").glob("*.jsonl.zst"))
    sources += [args.shared / "data" / "corpus" / "laws" / "laws.jsonl.zst"]
    sources += [args.shared / "data" / "corpus" / "tidb_docs_cn" / "docs.jsonl.zst"]
    rng = random.Random(0)
    positives: list[str] = []
    genres: list[str] = []
    per_source = {}
    for path in sources:
        pieces = chunks(read_texts(path))
        rng.shuffle(pieces)
        pieces = pieces[: args.per_source]
        per_source[path.name if path.parent.name == "quality" else f"{path.parent.name}/{path.name}"] = len(
            pieces
        )
        positives += pieces
        genres += [path.name] * len(pieces)
    model, report = train(positives, seed=0, genres=genres)
    report["sources"] = per_source
    report["junk_kinds"] = list(JUNK_KINDS)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save(args.out / MODEL_RESOURCE)
    (args.out / "training_report.json").write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2))
    print(orjson.dumps(report["held_out"]).decode())


if __name__ == "__main__":
    main()
