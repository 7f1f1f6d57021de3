"""Generic words: what every Chinese article uses whatever it is about (发展, 工作, 表示, 中国…).

A sentence linked to its neighbours only by one of these shares no topic with them, so the spam
step's cohesion test (:mod:`taoyu.text.sentences`) does not count them as content words; the
tokens' classifier (:mod:`taoyu.text.tokens`) marks them in the same pass as the stop words. A
module of its own, like :mod:`taoyu.text.stop_words`, so that both can import it.
"""

from __future__ import annotations

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
