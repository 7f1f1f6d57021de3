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

# Sentence ends, and a space between two CJK characters: Chinese does not put spaces between
# words, so such a space is a seam (spliced text is often joined with one).
_SENTENCE_SPLIT = re.compile(
    r"(?<=[。！？!?；;…])\s*|(?<=[\u4e00-\u9fff”」』）)])\s+(?=[\u4e00-\u9fff“「『（(])"
)
_HAN = re.compile("[\u4e00-\u9fff]")
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
    words = set()
    for w in rjieba.cut(sentence):
        if len(w) >= 2 and _HAN.match(w) and w not in GENERIC_WORDS:
            words.add(w)
    words.update(m.lower() for m in _ASCII_WORD.findall(sentence))
    return words


@dataclass(slots=True)
class SentenceLinks:
    """For each sentence in order: its line, its length, and whether it is linked."""

    line: list[int]
    chars: list[int]
    linked: list[bool]


def sentence_links(
    lines: Sequence[str], title: str = "", window: int = 3, min_line_sentences: int = 1
) -> SentenceLinks:
    """Which sentences share a content word with a sentence at most ``window`` away, or the title.

    Sentences are numbered across the whole document in order, so the first sentence of a
    paragraph can be linked to the end of the previous one.
    """
    line_of: list[int] = []
    chars: list[int] = []
    words: list[set[str]] = []
    for i, line in enumerate(lines):
        sentences = split_sentences(line) if line.strip() else []
        if len(sentences) < min_line_sentences:
            continue
        for s in sentences:
            line_of.append(i)
            chars.append(len(s))
            words.append(content_words(s))
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
    return SentenceLinks(line_of, chars, linked)
