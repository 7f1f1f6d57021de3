"""Chinese stop-words for FineWeb-2's stop-word rule."""

# The most frequent function words of written Chinese: real prose cannot avoid them, lists of
# keywords, tables and spliced titles can.
STOP_WORDS = frozenset(
    """
    的 了 是 在 和 有 也 就 不 都 而 及 与 或 这 那 我 你 他 她
    它 们 我们 他们 一个 没有 对 为 以 于 将 被 把 从 向 等 但 并
    又 还 很 所 其 之 中 上 下 后 时 会 能 要 可以 已 已经 因为
    所以 如果 就是 这个 这些 通过 进行 其中 此外 以及 以来 比 共 由 该 各 每 并且 而且
    但是 或者 如 按 据 经 至 给 让 使 向 还是 更 最 再 却 只 才 便 即 则 因此 可 得 地 着 过
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
