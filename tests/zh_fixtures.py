"""Chinese test texts written for taoyu's tests (no third-party text): articles on distinct topics,
so that sentences spliced from them share no topic, and the chrome a crawled page carries."""

from __future__ import annotations

TEA = [
    "清明前后，杭州西湖龙井茶区迎来一年中最忙碌的采摘季。",
    "在梅家坞村，茶农天还没亮就背着竹篓上山，赶在露水干之前采下第一批嫩芽。",
    "今年春季气温回升较早，龙井茶的开采时间比往年提前了五天左右。",
    "村里的老茶农说，明前龙井讲究一芽一叶，一斤干茶需要采摘约四万个芽头。",
    "为了保证龙井茶的品质，梅家坞的炒茶师傅仍然坚持手工炒制，青锅和辉锅两道工序都不能省。",
    "近年来，龙井茶区引入了溯源二维码，消费者扫码就能看到茶叶的产地和采摘日期。",
    "茶农们表示，溯源系统让正宗西湖龙井的价格更加透明，也减少了冒牌茶叶对茶区的冲击。",
    "据介绍，今年西湖龙井茶的核心产区预计产量与去年持平，茶叶品质总体优于往年。",
]
RAIL = [
    "连接两座城市的城际铁路新线本周正式开通运营，沿线设有八座车站。",
    "新线采用时速三百五十公里的动车组列车，两地之间的通行时间缩短到四十分钟以内。",
    "铁路部门介绍，开通初期每天安排动车组列车三十二对，周末还将加开夜间列车。",
    "为了方便旅客换乘，新线的三座车站与地铁站实现了站内换乘，旅客无需出站。",
    "车站还增设了无障碍通道和母婴室，售票大厅的自助取票机也更新为刷脸进站设备。",
    "沿线居民说，过去往返两地需要转两趟长途汽车，现在坐动车当天就能来回。",
]
LIBRARY = [
    "老城区的一座社区图书馆经过半年改造，日前重新向居民开放。",
    "改造后的图书馆把原来的阅览室隔出一间儿童绘本区，书架高度专门按照孩子的身高设计。",
    "馆长介绍，图书馆新增藏书六千余册，其中地方史志和老年读物占了相当比例。",
    "每逢周末，图书馆还会邀请退休教师给孩子们讲故事，很受附近家长欢迎。",
]
TYPHOON = [
    "受今年第九号台风影响，沿海渔港已有上千艘渔船回港避风。",
    "气象台预计台风将在明天夜间登陆，登陆时中心附近最大风力可达十四级。",
    "防汛部门提醒沿海居民，台风登陆前后不要前往海边观浪，低洼地带的群众要及时转移。",
]
BATTERY = [
    "随着新能源汽车保有量快速增长，第一批动力电池开始进入集中退役期。",
    "一家电池回收企业的负责人说，退役电池经过检测后，容量较高的可以用于储能电站。",
    "无法梯次利用的电池会被拆解，从中提炼出锂、钴、镍等金属重新用于生产。",
]
BOOKS = [
    "省图书馆古籍修复室里，几位修复师正在处理一批被虫蛀的清代家谱。",
    "修复一页破损严重的古籍，往往需要补纸、托裱、压平等十几道工序。",
    "修复师介绍，补纸的颜色和厚度要与原纸尽量一致，修好的书页要做到修旧如旧。",
]

TOPICS = [TEA, RAIL, LIBRARY, TYPHOON, BATTERY, BOOKS]


def article(sentences: list[str], per_line: int = 2) -> str:
    """Sentences grouped into paragraph lines, the way an article is laid out."""
    lines = ["".join(sentences[i : i + per_line]) for i in range(0, len(sentences), per_line)]
    return "\n\n".join(lines)


def spliced_sentences(n: int, start: int = 0) -> list[str]:
    """``n`` sentences, each from the next topic in turn: the way spam generators splice text.
    Sentences of one topic are six apart, further than the spam step's linking window."""
    picks = []
    for k in range(n):
        topic = TOPICS[(start + k) % len(TOPICS)]
        picks.append(topic[(start + k // len(TOPICS)) % len(topic)])
    return picks


def spliced(n: int, start: int = 0) -> str:
    return "".join(spliced_sentences(n, start))


APP_CHROME = [
    "打开APP，阅读全文",
    "分享到： 微信 微博 QQ空间",
    "阅读 120345",
    "88人点赞",
    "举报",
    "责任编辑：李明",
    "上一篇：市民公园下月开放",
    "本文仅代表作者观点，不代表本站立场，如有侵权请联系删除。",
]
LINK_LIST = [
    "相关阅读",
    "• 城郊湿地公园迎来候鸟越冬",
    "• 夜市经济带动街区消费",
    "2026-01-15 08:30",
]
