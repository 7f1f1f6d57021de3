"""Chinese sentences and content words, and how sentences hang together.

Spliced-sentence spam (sentences lifted from unrelated articles and run together) reads fluently
sentence by sentence, so a language model's perplexity does not see it (AUC 0.51). What gives it
away is that neighbouring sentences share no topic: an article's sentences keep returning to the
same names and things (杭州, 人工智能, 魔搭社区), spliced ones never do. A sentence is *linked*
when it shares a content word with a nearby sentence or with the title.

Content words are jieba words (rjieba, the Rust port: ~7 MB of text a second) of two or more
characters, minus the generic words every article uses (发展, 工作, 表示, 中国…), which would
link anything to anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import rjieba

from taoyu.text.words import line_words

# Sentence ends, and a space between two CJK characters: Chinese does not put spaces between
# words, so such a space is a seam (spliced text is often joined with one).
_SENTENCE_SPLIT = re.compile(
    r"(?<=[。！？!?；;…])\s*|(?<=[\u4e00-\u9fff”」』）)])\s+(?=[\u4e00-\u9fff“「『（(])"
)
_HAN = re.compile("[\u4e00-\u9fff]")
_HAN_ALL = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ENDS = frozenset("。！？!?；;…")
_CLAUSE = re.compile("[，,、；;：:。！？!?…\\s]+")
_SEAM_BEFORE = re.compile("[\u4e00-\u9fff”」』）)]")
_SEAM_AFTER = re.compile("[\u4e00-\u9fff“「『（(]")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")

# Words so common across all topics that sharing one says nothing about sharing a topic.
GENERIC_WORDS = frozenset(
    """
    一个 一些 一种 一样 一直 一定 一起 一步 一批 一项 一年 不是 不断 不能 不会 不仅 不过 中国 中央
    主要 之后 之前 也是 也有 了解 交流 今天 今年 介绍 他们 以上 以下 以及 以来 任何 企业 会议 作为
    作用 使用 健康 全国 全面 共同 关于 关注 其中 具有 内容 再次 出现 分别 利用 加强 加快 包括 单位
    即将 去年 参加 发现 发展 发挥 取得 受到 可以 可能 各地 各种 各类 同时 后来 告诉 员工 和平 因为
    因此 国内 国家 国际 地区 基本 增加 大家 大量 实现 实施 家庭 就是 工作 已经 市场 带来 帮助 开始
    开展 当地 影响 很多 必须 情况 成为 我们 我国 所以 所有 提出 提升 提供 提高 推动 推进 支持 政府
    效果 方面 方式 时候 时间 明年 是否 更加 最后 最近 服务 来说 没有 注意 活动 深入 准备 然后 特别
    现在 生活 由于 目前 相关 看到 知道 研究 社会 积极 空间 第一 等等 管理 经济 经过 继续 统一 能够
    自己 获得 要求 觉得 认为 记者 设计 设施 证明 该省 该市 负责 质量 起来 这个 这些 这样 这种 这是
    进一步 进入 进行 还是 还有 通过 造成 重要 重点 问题 随着 需要 非常 项目 领域 高度 日前 近日 今后
    如何 如果 那么 此外 而且 并且 但是 虽然 因而 于是 所在 表示 指出 强调 发布 举行 召开 建设 完善
    坚持 全球 世界 人民 群众 同志 城市 农村 部门 机构 组织 水平 能力 规模 体系 机制 制度 政策 措施
    条件 基础 环境 资源 技术 信息 数据 产品 产业 行业 公司 平台 网络 中心 国家级 省级 市级 有关 有效
    有限 主题 意义 方向 目标 任务 成果 合作 创新 改革 开放 安全 保障 稳定 增长 提醒 一月 二月 三月
    四月 五月 六月 七月 八月 九月 十月 十一月 十二月 上午 下午 晚上 昨天 明天 每天 每年 当天 时期
    """.split()  # noqa: SIM905 (a word list reads best as text)
)


def split_sentences(text: str) -> list[str]:
    """Sentences of one line (or paragraph) of Chinese text, stripped, non-empty."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s and s.strip()]


def content_words(sentence: str) -> set[str]:
    """Topic-bearing words: jieba words of 2+ Han characters, or Latin words of 3+, not generic."""
    return {w for w in map(_content_word, rjieba.cut(sentence)) if w}


_SPACE, _END, _WORD = 1, 2, 3
_TOKEN_CACHE: dict[str, tuple[int, str | None, int]] = {}
_TOKEN_CACHE_MAX = 500_000


def _token(tok: str) -> tuple[int, str | None, int]:
    """(kind, content word or None, Han characters) of a jieba token, memoised: a corpus reuses
    a small vocabulary, and a dict lookup is several times cheaper than the checks it replaces."""
    info = _TOKEN_CACHE.get(tok)
    if info is None:
        if tok.isspace():
            info = (_SPACE, None, 0)
        elif tok[-1] in _ENDS:
            info = (_END, None, 0)
        else:
            info = (_WORD, _content_word(tok), len(_HAN_ALL.findall(tok)))
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_MAX:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[tok] = info
    return info


def _content_word(w: str) -> str | None:
    if len(w) < 2 or w in GENERIC_WORDS:
        return None
    if _HAN.match(w):
        return w
    if _ASCII_WORD.fullmatch(w):
        return w.lower()
    return None


def token_sentences(tokens: Sequence[str]) -> list[list[str]]:
    """A line's jieba tokens grouped into sentences, with the same boundaries as split_sentences:
    after a sentence end, and at a space between CJK text (a seam)."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for k, tok in enumerate(tokens):
        kind = _token(tok)[0]
        if kind == _SPACE:
            if current and _is_seam(current[-1], tokens, k):
                sentences.append(current)
                current = []
            continue
        current.append(tok)
        if kind == _END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _is_seam(prev: str, tokens: Sequence[str], k: int) -> bool:
    nxt = tokens[k + 1][0] if k + 1 < len(tokens) else ""
    return bool(_SEAM_BEFORE.match(prev[-1]) and _SEAM_AFTER.match(nxt))


@dataclass(slots=True)
class SentenceLinks:
    """For each sentence in order: its line, its length, and whether it is linked."""

    line: list[int]
    chars: list[int]
    """Han characters: code, numbers and Latin text in a sentence are not what is judged."""
    linked: list[bool]
    verse: list[bool]
    """Lines of verse (short clauses of even length) carry no topic words and are not judged."""


def sentence_links(text: str, title: str = "", window: int = 3, verse_min_chars: int = 12) -> SentenceLinks:
    """Which sentences share a content word with a sentence at most ``window`` away, or the title.

    Sentences are numbered across the whole document in order, so the first sentence of a
    paragraph can be linked to the end of the previous one. Verse is only looked for in
    sentences of at least ``verse_min_chars`` (shorter ones are not judged anyway).
    """
    line_of: list[int] = []
    chars: list[int] = []
    words: list[set[str]] = []
    verse: list[bool] = []

    def close(i: int, current: list[str], found: set[str], han: int) -> None:
        line_of.append(i)
        chars.append(han)
        words.append(found)
        verse.append(han >= verse_min_chars and is_verse("".join(current)))

    for i, tokens in enumerate(line_words(text)):
        current: list[str] = []
        found: set[str] = set()
        han = 0
        for k, tok in enumerate(tokens):
            kind, word, n_han = _token(tok)
            if kind == _SPACE:
                if current and _is_seam(current[-1], tokens, k):
                    close(i, current, found, han)
                    current, found, han = [], set(), 0
                continue
            current.append(tok)
            han += n_han
            if word:
                found.add(word)
            if kind == _END:
                close(i, current, found, han)
                current, found, han = [], set(), 0
        if current:
            close(i, current, found, han)
    title_words = content_words(title) if title else set()
    where: dict[str, list[int]] = {}
    for k, ws in enumerate(words):
        for w in ws:
            where.setdefault(w, []).append(k)
    linked = []
    for k, ws in enumerate(words):
        hit = bool(ws & title_words) or any(
            any(j != k and abs(j - k) <= window for j in where[w]) for w in ws
        )
        linked.append(hit)
    return SentenceLinks(line_of, chars, linked, verse)


def is_verse(sentence: str, min_clauses: int = 2) -> bool:
    """Classical verse: two or more clauses of at most seven characters (五言, 七言, 词 lines).

    A poem's lines share no content words and would read as spliced; prose sentences almost
    never consist only of clauses this short.
    """
    clauses = [c for c in _CLAUSE.split(sentence) if c]
    return len(clauses) >= min_clauses and all(len(c) <= 7 for c in clauses)
