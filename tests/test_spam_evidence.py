"""The spam step weighs how much evidence a page gives: a short page, or a list of headlines,
is no evidence of splicing."""

from __future__ import annotations

from taoyu.document import Document, Source
from taoyu.steps.spam import Spam
from taoyu.text import spam_lexicon

# Sentences on unrelated subjects: spliced, when a page is made of them.
_UNRELATED = [
    "追寻真正重要的东西，不要轻易被他人的看法左右。",
    "火山喷发后形成的玄武岩常常呈现六边形的柱状节理。",
    "这家面馆的牛肉汤底要用骨头连续熬煮十二个小时以上。",
    "新赛季的联赛将在三月初开幕，各队都在抓紧冬训备战。",
    "古籍修复师需要先给每一页纸张做酸碱度检测再动手。",
    "城市地铁的信号系统升级以后，高峰期发车间隔缩短了。",
    "冬季候鸟每年都会在湖区停留到第二年的春天才北飞。",
    "这款手机的电池在低温环境下续航时间会明显下降。",
]


def _drop_reason(text: str, title: str = "") -> str | None:
    doc = Document("d", text, Source("f", 0))
    if title:
        doc.meta["title"] = title
    event = Spam()(doc).dropped_by
    return event.reason if event is not None else None


def test_a_short_page_of_unrelated_sentences_is_no_evidence_of_splicing() -> None:
    """Three lines of advice from a graduate: nothing around them to be spliced into."""
    advice = "寄语：" + "".join(_UNRELATED[:4])
    text = "\n".join(["学科竞赛：化学竞赛一等奖", "保送院校：某某大学经济学院", advice])
    assert _drop_reason(text) is None


def test_a_spliced_block_inside_an_article_is_still_cut_out() -> None:
    """The same block inside a page that talks about one thing is a parasite: cut, page kept."""
    article = [
        "今年本市图书馆的借阅量比去年增长了两成，其中少儿图书的借阅增长最快。",
        "图书馆负责人介绍，少儿阅览区在暑假期间每天都要接待上千名小读者。",
        "为了满足小读者的需要，图书馆今年新购进了三万册少儿图书。",
        "图书馆还计划在各个街道开设分馆，让小读者在家门口就能借到图书。",
    ]
    text = "\n".join([*article[:2], "".join(_UNRELATED[:5]), *article[2:]])
    doc = Spam()(Document("d", text, Source("f", 0)))
    assert doc.dropped_by is None
    assert "玄武岩" not in doc.text and "少儿阅览区" in doc.text


def test_headlines_are_not_judged_as_sentences() -> None:
    """A portal article whose extraction kept a long list of headlines: headlines share no words
    with each other, because each stands alone, not because they were spliced in."""
    article = [
        "本報訊 市府今天宣布，明年起將擴大公共自行車的服務範圍，新增兩百個租借站點。",
        "市府交通局表示，新增站點將優先設在捷運站與學校附近，方便民眾轉乘。",
    ]
    headlines = [line.rstrip("。") for line in _UNRELATED]  # a headline has no closing mark
    assert _drop_reason("\n".join([*article, *headlines])) is None


def test_a_page_spliced_throughout_is_still_dropped() -> None:
    text = "\n".join("".join(_UNRELATED[i : i + 2]) for i in range(0, 8, 2))
    assert _drop_reason(text) == "spam:spliced"


# A news report on the black market: it names its subject in the title and keeps to it.
_REPORT = [
    "记者从市公安局获悉，警方近日捣毁一个非法代孕团伙，抓获犯罪嫌疑人十二名。",
    "据警方介绍，该团伙通过网络招揽客户，在城郊租用民房开展非法代孕活动。",
    "办案民警表示，非法代孕严重侵害妇女健康权益，扰乱正常的医疗秩序。",
    "目前，案件正在进一步审理中，警方提醒市民不要轻信网络上的代孕广告。",
    "卫生健康部门表示，将联合公安机关持续开展打击非法代孕的专项行动。",
    "专家指出，代孕涉及复杂的伦理和法律问题，我国法律明确禁止任何形式的代孕。",
    "警方还在团伙租用的民房内查获了大量药品和医疗器械，已全部依法扣押。",
    "下一步，警方将继续追查团伙的上下游人员，彻底斩断这条非法利益链条。",
    "市民如发现类似违法线索，可以拨打公安机关的举报电话进行举报。",
]


def test_one_lexicon_word_in_a_news_title_is_not_spam() -> None:
    """The title names the subject of a report that keeps to it: the page is news."""
    assert _drop_reason("\n".join(_REPORT), title="警方捣毁一非法代孕团伙") is None


def test_a_hijacked_title_still_drops_the_page() -> None:
    """A casino's name over an article that never mentions it: the title was put there."""
    tea = [line.replace("代孕", "茶叶") for line in _REPORT]
    assert _drop_reason("\n".join(tea), title="澳门葡京娱乐官网") == "spam:title_lexicon"


def test_a_lexicon_title_over_a_short_page_still_drops_it() -> None:
    """Two sentences are no article: one word in the title decides."""
    assert _drop_reason("\n".join(_REPORT[:2]), title="代孕咨询") == "spam:title_lexicon"


def test_a_traditional_page_is_judged_as_its_simplified_twin() -> None:
    """Words are cut and compared on the page folded to Simplified: a Traditional report has the
    same words, content words and stop words as its Simplified twin (the dictionary, the stop
    words and the generic words are Simplified), and a stuffed Traditional title is stuffed."""
    import opencc

    from taoyu.text.tokens import tokens_of

    text = "\n".join(_REPORT)
    hant = opencc.OpenCC("s2t").convert(text)
    assert hant != text
    twin, page = tokens_of(text), tokens_of(hant)
    assert page.content.tolist() == twin.content.tolist()
    assert page.stop.tolist() == twin.stop.tolist()
    title = "官網首頁-遊戲下載-會員註冊-手機版"  # four site words, once folded: 官网 下载 注册 手机版
    assert _drop_reason("\n".join(_REPORT[:3]), title=title) == "spam:title_stuffing"


def test_an_adult_game_promotion_is_spam_and_butter_is_not() -> None:
    """Adult games and comics are porn's lexicon too; 黄油 in a recipe is butter, and 18禁止 a ban."""
    promo = [
        "最新绅士游戏合集免费下载，全部汉化版，安卓直装，每日更新。",
        "本站收录了上千款18禁游戏，包括角色扮演、策略等多种类型。",
        "点击下方链接即可下载，解压密码见文末，会员专享高速通道。",
    ]
    assert _drop_reason("\n".join(promo), title="绅士游戏下载_黄油汉化版合集") == "spam:title_lexicon"
    recipe = [
        "将黄油放入锅中小火融化，再加入面粉翻炒至微黄，这是做奶油浓汤的第一步。",
        "商场入口贴着告示，未满18禁止入内的区域设在三楼，请家长看护好孩子。",
    ]
    assert spam_lexicon.hits("\n".join(recipe)) == {}


def test_an_injected_slogan_with_marks_is_still_a_spam_line() -> None:
    """Exclamations that repeat a casino's name link to each other, not to the report around
    them: the slogan is cut, the article kept."""
    tea = [line.replace("代孕", "茶叶") for line in _REPORT]
    slogan = "新葡京娱乐官网注册！新葡京注册送彩金！"
    doc = Spam()(Document("d", "\n".join([*tea[:4], slogan, *tea[4:]]), Source("f", 0)))
    assert doc.dropped_by is None
    assert slogan not in doc.text and tea[0] in doc.text


def test_a_hijacked_title_repeated_above_the_body_still_drops_the_page() -> None:
    """The title's own line (an h1 above the body) is not the body speaking of the title's word."""
    tea = [line.replace("代孕", "茶叶") for line in _REPORT]
    title = "澳门葡京娱乐官网"
    assert _drop_reason("\n".join([title, *tea]), title=title) == "spam:title_lexicon"


def test_a_site_title_of_site_words_over_an_article_is_kept() -> None:
    """A library's title made of site words (no segment or stem repeated) over an article is the
    site's own title; the same stuffing over three lines, or with a repeated stem, is spam."""
    tea = "\n".join(line.replace("代孕", "茶叶") for line in _REPORT)
    library = "图书馆官网-电子书下载-读者注册-手机版"
    assert _drop_reason(tea, title=library) is None
    assert _drop_reason("\n".join(_REPORT[:2]), title=library) == "spam:title_stuffing"
    assert _drop_reason(tea, title="星河官网-星河下载-星河注册-星河手机版") == "spam:title_stuffing"


def test_a_loosely_linked_paragraph_on_the_pages_subject_is_kept() -> None:
    """A feature story's paragraph whose sentences each turn to something new (no word shared
    with a neighbour) still speaks of the page's subject: many of its words are the page's words.
    The spliced block of unrelated sentences before it shares none and is still cut out."""
    article = [
        "老街修鞋师傅的铺子开了四十年，街坊们都认得师傅的工具和手艺。",
        "师傅说，修鞋的手艺是跟父亲学的，铺子的价钱几十年只涨过两回。",
        "如今师傅收了一个徒弟，每天在铺子里教徒弟修鞋。",
        "老街改造以后，街坊们还是习惯到师傅的铺子修鞋。",
    ]
    loose = (
        "清晨天还没亮，街坊们就在铺子门口排起了长队。师傅把修鞋的工具整整齐齐摆满了旧木桌。"
        "年轻的徒弟低着头一针一线地练习手艺。改造以后的老街两旁新开了好几家咖啡馆。"
    )
    doc = Spam()(Document("d", "\n".join([*article, "".join(_UNRELATED[:5]), loose]), Source("f", 0)))
    assert doc.dropped_by is None
    assert doc.text.split("\n") == [*article, loose]


def test_a_slogan_of_patriotism_is_not_porn() -> None:
    """做 meets 爱国, 爱党 and 爱心 in everyday prose (争做爱党爱国的好少年): words that meet, not
    the word, which is still found where it is one."""
    prose = ["争做爱党爱国、自立自强的新时代好少年。", "我们要做爱心人士，也要做爱岗敬业的好职工。"]
    assert spam_lexicon.hits("\n".join(prose)) == {}
    assert spam_lexicon.hits("在线做爱视频免费看") == {"porn": 1}
