# ruff: noqa: E501
"""Neutral text about sensitive topics: extra safe examples for training, and an evaluation of false alarms.

COLD's comments are all about race, region and gender, and about half of them are attacks, so a
classifier trained on COLD alone learns that the *topic* is evidence: a news sentence about
same-sex marriage, ethnic minorities or HIV scores like an insult. This module picks sentences
that name such a topic from reference text that is not offensive (Wikipedia, PRC statutes, CCTV
news transcripts), so that

* the trainer can add them as safe examples (``--neutral``), and the weights move from topic
  nouns to what actually offends (insults, slurs, hostility);
* ``bench/offensive.py`` can report the false-positive rate on a held-out part that no choice
  was made on.

Splits are fixed by a hash of each source document's id, never by position or a random draw, so
every sentence of one article falls on the same side and a retrain sees the same split. Sources
whose licence does not allow training a shipped model are evaluation only: all of their
documents are held out.

Sources (each with its licence; see ``../shared/data/*/README.md`` and ``SOURCE.md``):

========== ======================================================= ================ ==========
name       file                                                    licence          use
========== ======================================================= ================ ==========
wiki_cmrc  quality/wiki_cmrc.jsonl.zst (zh Wikipedia, Simplified)  CC BY-SA 4.0     train+eval
wiki_drcd  quality/wiki_drcd.jsonl.zst (zh Wikipedia, Traditional) CC BY-SA 3.0     train+eval
laws       corpus/laws/laws.jsonl.zst (PRC statutes)               not copyrighted  train+eval
xwlb       corpus/xinwenlianbo/news.jsonl.zst (CCTV news)          evaluation only  eval
========== ======================================================= ================ ==========
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xxhash

# Topic words: the groups COLD's attacks target, and the sensitive topics neutral news is about.
# Simplified and Traditional forms; matching is on the raw text (Latin terms case-insensitive).
TOPICS: dict[str, tuple[str, ...]] = {
    "lgbt": (
        "同性恋", "同性戀", "同性婚姻", "同性伴侣", "同性伴侶", "性少数", "性少數", "跨性别", "跨性別",
        "双性恋", "雙性戀", "性取向", "性倾向", "性傾向", "变性", "變性", "lgbt", "酷儿", "酷兒",
    ),
    "gender": (
        "性别", "性別", "女性", "男性", "妇女", "婦女", "女权", "女權", "男女平等", "女人", "男人",
        "女孩", "女童", "母亲", "母親", "孕妇", "孕婦",
    ),
    "race": (
        "种族", "種族", "黑人", "白人", "黄种人", "黃種人", "非洲人", "非裔", "亚裔", "亞裔", "移民", "难民", "難民",
    ),
    "ethnicity": (
        "民族", "少数民族", "少數民族", "维吾尔", "維吾爾", "藏族", "回族", "蒙古族", "壮族", "壯族", "原住民",
    ),
    "religion": (
        "宗教", "穆斯林", "伊斯兰", "伊斯蘭", "基督教", "天主教", "佛教", "犹太", "猶太", "清真", "信徒", "教徒",
    ),
    "disability": ("残疾", "殘疾", "残障", "殘障", "盲人", "聋人", "聾人", "智障", "自闭症", "自閉症"),
    "health": ("艾滋", "愛滋", "艾滋病", "hiv", "乙肝", "精神病", "抑郁症", "憂鬱症"),
    "region": (
        "地域", "农民工", "農民工", "外地人", "河南人", "东北人", "東北人", "上海人", "北京人", "广东人",
        "廣東人", "农村人", "農村人", "乡下", "鄉下", "外来务工", "外來務工", "户籍", "戶籍",
    ),
}  # fmt: skip
_TOPIC_OF = {w: topic for topic, words in TOPICS.items() for w in words}
_TOPIC_RE = re.compile("|".join(sorted(map(re.escape, _TOPIC_OF), key=len, reverse=True)), re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """A corpus of neutral text, where it lies under the shared data folder, and whether its
    licence lets a shipped model train on it (otherwise it is held out, for evaluation only)."""

    name: str
    path: str  # under the shared data folder
    licence: str
    trainable: bool


SOURCES = (
    Source("wiki_cmrc", "quality/wiki_cmrc.jsonl.zst", "CC BY-SA 4.0", True),
    Source("wiki_drcd", "quality/wiki_drcd.jsonl.zst", "CC BY-SA 3.0", True),
    Source(
        "laws", "corpus/laws/laws.jsonl.zst", "PRC statutes, not copyrighted (Copyright Law art. 5)", True
    ),
    Source("xwlb", "corpus/xinwenlianbo/news.jsonl.zst", "CCTV text, internal benchmarking only", False),
)
TRAIN, DEV, HELDOUT = "train", "dev", "heldout"
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")
_TAG = re.compile(r"<[^>]+>")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CHARS, MAX_CHARS = 8, 200


@dataclass(frozen=True)
class Sentence:
    """A neutral sentence that names a sensitive topic, with its source and document (the unit
    the train/dev/held-out split is made on)."""

    source: str
    doc: str  # the source document (article, statute, news item) it comes from
    split: str
    topic: str
    text: str


def split_of(source: Source, doc: str) -> str:
    """train / dev / heldout by a hash of the document id: 70 / 10 / 20, all heldout if evaluation only."""
    if not source.trainable:
        return HELDOUT
    bucket = xxhash.xxh64_intdigest(f"{source.name}\x00{doc}".encode(), 0) % 100
    return TRAIN if bucket < 70 else DEV if bucket < 80 else HELDOUT


def topic_of(text: str) -> str | None:
    """The topic of the first topic word in ``text``, or None."""
    m = _TOPIC_RE.search(text)
    return _TOPIC_OF[m.group(0).lower()] if m else None


def sentences(text: str) -> Iterator[str]:
    """Sentence-sized pieces of ``text`` (a line, or a line cut after 。！？; ), stripped of markup."""
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip().lstrip("#>-*| ").strip()
        if MIN_CHARS <= len(piece) <= MAX_CHARS and _CJK.search(piece):
            yield piece


def _read_jsonl_zst(path: Path) -> Iterator[dict]:
    import zstandard

    with open(path, "rb") as fh, zstandard.ZstdDecompressor().stream_reader(fh) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def documents(source: Source, shared_data: Path) -> Iterator[tuple[str, str]]:
    """(document id, text) of a source. A news transcript is cut into its items (``###`` sections)."""
    for row in _read_jsonl_zst(shared_data / source.path):
        if source.name == "xwlb":
            text = _TAG.sub("\n", row["text"])
            for k, item in enumerate(re.split(r"\n#{2,3} ", text)):
                yield f"{row['path']}#{k}", item
        elif source.name == "laws":
            yield row["path"], row["text"]
        else:
            yield row["id"], row["text"]


def topic_sentences(shared_data: Path, sources: tuple[Source, ...] = SOURCES) -> Iterator[Sentence]:
    """Every distinct sentence of ``sources`` that names a topic word, with its split."""
    for source in sources:
        seen: set[str] = set()
        for doc, text in documents(source, shared_data):
            split = split_of(source, doc)
            for s in sentences(text):
                topic = topic_of(s)
                if topic is None or s in seen:
                    continue
                seen.add(s)
                yield Sentence(source.name, doc, split, topic, s)


def capped(items: list[Sentence], per_source: int) -> list[Sentence]:
    """At most ``per_source`` sentences of each source, chosen by a hash of the text (so a fixed set)."""
    out: list[Sentence] = []
    for name in dict.fromkeys(s.source for s in items):
        mine = [s for s in items if s.source == name]
        mine.sort(key=lambda s: xxhash.xxh64_intdigest(s.text.encode(), 1))
        out += mine[:per_source]
    return out


def load(
    shared_data: Path, split: str, per_source: int = 4000, trainable_only: bool = False
) -> list[Sentence]:
    """The ``split`` part, capped per source; ``trainable_only`` leaves out evaluation-only sources."""
    sources = tuple(s for s in SOURCES if s.trainable or not trainable_only)
    return capped([s for s in topic_sentences(shared_data, sources) if s.split == split], per_source)


# Group nouns that can stand in for one another in a neutral sentence ("保障妇女的合法权益" →
# "保障同性恋者的合法权益"). The sources say little about some groups (sexual minorities, people with
# HIV, people from one province), so each neutral sentence that names a group is also kept with the
# group swapped for another: counterfactual augmentation, as in Dixon et al. (2018), "Measuring and
# mitigating unintended bias in text classification". Slurs are never swapped in.
GROUPS: tuple[str, ...] = (
    "同性恋者", "同性伴侣", "跨性别者", "性少数群体", "LGBT群体", "双性恋者", "艾滋病感染者", "艾滋病人",
    "女性", "妇女", "男性", "少数民族", "穆斯林", "黑人", "非洲裔", "白人", "残疾人", "盲人",
    "农民工", "河南人", "东北人", "外地人", "移民", "难民", "宗教信徒",
)  # fmt: skip
_GROUP_RE = re.compile("|".join(sorted(map(re.escape, GROUPS), key=len, reverse=True)))


def swapped(items: list[Sentence], copies: int = 1) -> list[Sentence]:
    """Each sentence that names a group in ``GROUPS``, ``copies`` times with another group in its place.

    The replacement is chosen by a hash of the sentence and the copy number: fixed, not drawn.
    """
    out: list[Sentence] = []
    for s in items:
        m = _GROUP_RE.search(s.text)
        if m is None:
            continue
        others = [g for g in GROUPS if g != m.group(0)]
        for k in range(copies):
            g = others[xxhash.xxh64_intdigest(f"{k}\x00{s.text}".encode(), 2) % len(others)]
            text = s.text[: m.start()] + g + s.text[m.end() :]
            out.append(Sentence(s.source + "+swap", s.doc, s.split, topic_of(g) or s.topic, text))
    return out
