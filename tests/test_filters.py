"""Chrome lines, spam blocks and quality rules on Chinese text written for these tests."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.document import Document, Source
from taoyu.steps import chrome_lines
from taoyu.steps.chrome_lines import ChromeLines
from taoyu.steps.normalize import NormalizeParams, normalize_text
from taoyu.steps.quality import Quality, QualityParams, quality_scores
from taoyu.steps.safety import Safety
from taoyu.steps.spam import Spam, title_stuffing
from taoyu.text import spam_lexicon
from taoyu.text.sentences import content_words, split_sentences

from .zh_fixtures import APP_CHROME, LINK_LIST, RAIL, TEA, article, spliced, spliced_sentences
from .zh_hant_fixtures import CHROME_FAMILIES, HANT_BOOKSHOP, HANT_SHORT_PROSE


def make(text: str, **meta) -> Document:
    return Document("d", text, Source("f.jsonl", 0), meta=dict(meta))


# --- normalize: what the spam step builds on -------------------------------------------------


def test_normalize_counts_random_hidden_tags_apart_from_markup_residue():
    text, changes = normalize_text('正文。\n<kbd date-time="BUeEFQ"></kbd><del id="ukJ7r"></del>\n</p><br/>')
    assert text == "正文。"
    assert changes["random_tags"] == 2
    assert changes["tags_removed"] == 6  # every tag, open and close, is stripped


def test_traditional_to_simplified_is_opt_in():
    assert normalize_text("臺灣漢字。")[0] == "臺灣漢字。"
    text, changes = normalize_text("臺灣漢字。", NormalizeParams(to_simplified=True))
    assert text == "台湾汉字。"
    assert changes["to_simplified"] == 3


# --- chrome lines -----------------------------------------------------------------------------


def test_chrome_lines_removes_prompts_bars_counters_bylines_and_link_lists():
    body = article(TEA)
    doc = make(body + "\n" + "\n".join(APP_CHROME + LINK_LIST))
    ChromeLines()(doc)
    assert doc.text == body
    event = doc.trace[-1]
    assert event.step == "chrome_lines"
    assert event.details["lines_removed"] == len(APP_CHROME) + len(LINK_LIST)
    reasons = {line: reason for _, reason, line in event.details["removed"]}
    assert reasons["打开APP，阅读全文"] == "app_prompt"
    assert reasons["阅读 120345"] == "widget"
    assert reasons["责任编辑：李明"] == "byline"
    assert reasons["• 夜市经济带动街区消费"] == "link_list"
    assert doc.meta["chrome_lines"] == len(APP_CHROME) + len(LINK_LIST)


def test_chrome_patterns_leave_prose_that_mentions_the_same_words():
    prose = [
        "记者注意到，不少茶农开始通过微信公众号和短视频平台直接向消费者销售新茶，订单比去年多了三成。",
        "分享经济在茶区也有新形式，几户茶农合用一台炒茶机，按小时计费。",
        "相关阅读",  # a heading word on its own is a list heading only when a list follows
        "村里还准备建一座茶文化博物馆，展示龙井茶从采摘到炒制的全过程，预计明年对外开放。",
    ]
    doc = make("\n".join(prose))
    ChromeLines()(doc)
    assert doc.text.split("\n") == [prose[0], prose[1], prose[3]]


def test_a_name_and_a_date_under_the_title_are_metadata_further_down_content():
    """Who published a page and when, on a line of its own under the title, is metadata; the
    same shape inside the body is the page's own line (a notice's deadline)."""
    deadline = "报名截止 2024-05-10"
    lines = ["龙井茶采摘节开幕", "西湖区农业农村局 2024-04-02", "点击次数:", *article(TEA).split("\n")]
    lines += [deadline, article(RAIL)]
    doc = make("\n".join(lines))
    ChromeLines()(doc)
    reasons = {line: reason for _, reason, line in doc.trace[-1].details["removed"]}
    assert reasons == {"西湖区农业农村局 2024-04-02": "post_meta", "点击次数:": "widget"}
    assert deadline in doc.text.split("\n")
    # On one line (a template that wrapped them in its source), with the counter a script fills in.
    joined = "西湖区农业农村局 2024-04-02 点击次数:"
    doc = make("\n".join(["龙井茶采摘节开幕", joined, *article(TEA).split("\n"), deadline]))
    ChromeLines()(doc)
    assert [line for _, _, line in doc.trace[-1].details["removed"]] == [joined]
    assert deadline in doc.text.split("\n")


def test_a_bar_of_links_on_one_line_goes_at_any_length_a_table_row_and_a_spec_line_stay():
    """A site's link bar, however many links it holds (a template that wraps it in its source
    puts it on one line), is navigation; a Markdown table's row, a line of specifications with
    their colons, a sentence that lists names and a short route stay."""
    links = ["ChinaRen", "搜狐招聘", "网站登录", "网站建设", "设置首页", "广告服务", "联系方式"]
    bar = " - ".join([*links, "保护隐私权", "About SOHU"])
    assert chrome_lines.PageScreen.of(f"正文。\n{bar}").link_bar  # a line's separators are the page's
    kept = [
        "| 名称 | 类型 | 说明 | 默认 |",
        "发动机总排量：1171ml | 最大功率：51Kw | 驱动型式：前置前驱 | 变速箱：手动五速",
        "甲 - 乙 - 丙 - 丁四个人一起去了北京，路上说了很多话。",
        "西湖 - 灵隐寺 - 龙井村",  # a route of three stops, not a bar
    ]
    doc = make("\n".join([*kept, *article(TEA).split("\n"), bar, "首页 | 新闻 | 体育 | 关于我们"]))
    ChromeLines()(doc)
    assert [reason for _, reason, _ in doc.trace[-1].details["removed"]] == ["navigation", "navigation"]
    lines = doc.text.split("\n")
    assert bar not in lines and "首页 | 新闻 | 体育 | 关于我们" not in lines
    assert all(line in lines for line in kept)


def test_a_government_page_record_and_site_record_go_its_notice_stays():
    """A public-sector page's document record (索引号, 发文字号), its site links and its site
    record (网站标识码, the browser it wants) are metadata; prose using the same words stays."""
    notice = [
        "市政府发布了关于做好防汛工作的通知，要求各地加强值守，及时发布预警信息。",
        "关于我们学校的历史，要从一百年前的一所私塾说起。",
        "记者联系了市政府办公室，对方表示将尽快公开相关信息。",
    ]
    record = ["索引号：000014349/2024-00012", "发文字号：某政办〔2024〕12号", "信息来源：市政府办公厅"]
    site = ["网站地图 | 联系我们 | 关于我们", "网站标识码：3301000001", "建议使用1024×768分辨率浏览"]
    doc = make("\n".join([*record, *notice, *site]))
    ChromeLines()(doc)
    assert doc.text.split("\n") == notice
    reasons = {line: reason for _, reason, line in doc.trace[-1].details["removed"]}
    assert reasons["索引号：000014349/2024-00012"] == "post_meta"
    assert reasons["网站地图 | 联系我们 | 关于我们"] == "widget"


def test_a_recommendation_heading_takes_its_list_with_it():
    items = ["• 城郊湿地公园迎来今冬第一批越冬候鸟，市民可前往观赏", "• 夜市带动老街区消费，周末客流翻了一番"]
    doc = make(article(TEA) + "\n重点推荐\n" + "\n".join(items))
    ChromeLines()(doc)
    assert doc.text == article(TEA)


def test_a_source_and_author_line_under_a_story_goes():
    doc = make(article(TEA) + "\n本文来源：示例财经日报 作者：李明")
    ChromeLines()(doc)
    assert doc.text == article(TEA)


def test_a_posters_profile_goes_but_a_single_field_and_a_resume_stay():
    profile = ["级别：入学了", "积分：235", "", "12 帖子", "注册时间：2005-3-1"]
    doc = make("\n".join([*profile, article(TEA)]))
    ChromeLines()(doc)
    assert doc.text == article(TEA)
    kept = ["积分：235", article(TEA), "姓名：张三", "性别：男", "级别：正处级", article(RAIL)]
    kept += ["招聘要求", "经验：三年以上", "等级：高级工", article(TEA)]  # fields prose writes too
    doc = make("\n".join(kept))
    ChromeLines()(doc)
    assert doc.text == "\n".join(kept)


def test_chrome_lines_leaves_a_clean_article_untouched():
    doc = make(article(RAIL))
    ChromeLines()(doc)
    assert doc.text == article(RAIL)
    assert doc.trace == []


def test_trailing_fragments_go_only_when_chrome_surrounds_them():
    body = article(TEA)
    with_footer = make(body + "\n打开APP，阅读全文\n年轻人都在这里")
    ChromeLines()(with_footer)
    assert with_footer.text == body
    signature = make(body + "\n杭州市茶叶协会")
    ChromeLines()(signature)
    assert signature.text.endswith("杭州市茶叶协会")


# --- spam ---------------------------------------------------------------------------------------


def test_sentences_split_on_chinese_ends_and_on_spliced_seams():
    assert split_sentences("第一句。第二句！第三句") == ["第一句。", "第二句！", "第三句"]
    assert split_sentences("社区图书馆重新开放 台风即将登陆。") == ["社区图书馆重新开放", "台风即将登陆。"]
    assert "龙井茶" in content_words(TEA[0] + TEA[2])
    assert "发展" not in content_words("推动经济社会高质量发展。")


def test_injected_block_is_removed_and_the_article_kept():
    body = article(TEA)
    block = "《国产在线视频精品》\n" + spliced(5, start=1)
    doc = make(body + "\n\n" + block, title="西湖龙井开采")
    Spam()(doc)
    assert not doc.is_dropped
    assert doc.text == body
    assert doc.meta["spam_block"]["lines"] == 2
    assert doc.meta["spam_block"]["reasons"] == {"lexicon_title": 1, "spliced": 1}
    edit = next(e for e in doc.trace if e.action == "edit")
    assert edit.reason == "spam_block"
    assert [r for _, r, _ in edit.details["removed"]] == ["lexicon_title", "spliced"]


def test_a_block_in_the_middle_of_an_article_is_found_too():
    doc = make(article(TEA[:4]) + "\n\n" + spliced(4, start=2) + "\n\n" + article(TEA[4:]), title="龙井茶")
    Spam()(doc)
    assert doc.text == article(TEA[:4]) + "\n\n" + article(TEA[4:])
    assert doc.meta["spam_block"]["reasons"] == {"spliced": 1}


def test_a_page_of_spliced_sentences_is_dropped():
    sentences = spliced_sentences(16)
    page = "\n".join("".join(sentences[i : i + 4]) for i in range(0, 16, 4))
    doc = Spam()(make(page, title="今日要闻"))
    assert doc.dropped_by.reason == "spam:spliced"
    assert doc.dropped_by.score >= doc.dropped_by.threshold


def test_a_short_page_is_not_evidence_of_splicing():
    """Six or seven sentences, most of them sharing no word with their neighbours, are what a
    short story of a shop reads like as often as a spliced page: eight judged sentences are needed
    before a page is spliced throughout; a page of eight spliced sentences still is."""
    for count in (6, 7):
        short = "\n".join(spliced_sentences(count))
        assert not Spam()(make(short, title="今日要闻")).is_dropped, count
    eight = "\n".join(spliced_sentences(8))
    assert Spam()(make(eight, title="今日要闻")).dropped_by.reason == "spam:spliced"


def test_spam_title_and_stuffed_title_drop_the_page():
    lexicon = Spam()(make(article(TEA), title="澳门葡京娱乐官网"))
    assert lexicon.dropped_by.reason == "spam:title_lexicon"
    stuffed = Spam()(make(article(TEA), title="星河娱乐官网-星河娱乐下载-星河娱乐注册登录-星河娱乐app"))
    assert stuffed.dropped_by.reason == "spam:title_stuffing"


def test_clean_articles_pass_spam_untouched():
    for sentences, title in ((TEA, "西湖龙井开采"), (RAIL, "城际铁路开通")):
        doc = Spam()(make(article(sentences), title=title))
        assert not doc.is_dropped
        assert doc.text == article(sentences)
        assert "spam_block" not in doc.meta


def test_title_stuffing_scores():
    assert title_stuffing("城际铁路新线开通 - 交通频道 - 某某新闻网") == 0.0
    assert title_stuffing("A娱乐官网_A娱乐下载_A娱乐注册") == 1.0
    assert title_stuffing("龙井_龙井_龙井_茶叶") == 0.75


def test_a_headline_among_the_site_names_is_not_stuffing():
    """A portal's column, channel and site segments share its name; with one long headline among
    them the title is the page's own, not a keyword list. Keywords around a stem, or a repeated
    segment, with no headline (all short, or the long one repeated) are still stuffing."""
    assert title_stuffing("新闻眼｜城西新区的旧厂房变成了社区图书馆-新闻网浙江频道-新闻网") == 0.0
    assert title_stuffing("城西新区的旧厂房变成了社区图书馆_晨报网_晨报网") == 0.0
    assert title_stuffing("新闻眼｜城西图书馆开放-新闻网-新闻") == 0.75  # no headline: too short
    assert (
        title_stuffing("澳门最新娱乐网站大全推荐-星河娱乐城真人百家乐-星河棋牌-星河彩票") == 0.75
    )  # not twice as long
    assert (
        title_stuffing("星河娱乐城官方网站注册入口-星河娱乐-星河官网") == 1.0
    )  # the long one shares the stem
    assert title_stuffing("全网最安全的娱乐平台注册就送-全网最安全的娱乐平台注册就送-星河") > 0  # said twice


# --- quality ------------------------------------------------------------------------------------


def test_clean_chinese_article_passes_every_quality_rule():
    doc = Quality()(make(article(TEA + RAIL)))
    assert not doc.is_dropped
    scores = quality_scores(article(TEA + RAIL))
    assert scores["line_punct_ratio"] == 1.0  # Chinese sentence ends count as punctuation
    assert 1.0 < scores["mean_word_chars"] < 3.0  # jieba words, not whitespace "words"
    assert scores["stop_words"] >= 2


def test_repeated_lines_and_keyword_stuffing_are_dropped_with_the_rule_that_failed():
    repeated = Quality()(make("\n".join(TEA[:3] * 4)))
    assert repeated.dropped_by.reason == "quality:dup_line_frac"
    keywords = "龙井茶官网龙井茶价格龙井茶批发龙井茶哪里买。"
    stuffed_text = "".join(f"{s}{keywords}{keywords}" for s in TEA)
    stuffed = Quality()(make(stuffed_text))
    assert stuffed.dropped_by.reason.startswith("quality:")
    assert "gram" in stuffed.dropped_by.reason or "char13" in stuffed.dropped_by.reason
    event = stuffed.dropped_by
    assert event.score > event.threshold and event.details


def test_a_short_brief_that_prints_one_caption_twice_is_not_a_repeating_page():
    """Under 100 words, one caption printed under three pictures (once with a note) is already
    nearly half repeated 5-grams: no evidence of a page that repeats itself. Past 100 words it
    is, and a line repeated outright counts at any length."""
    lead = "市图书馆今天起延长周末开放时间，晚上九点闭馆，市民可以凭借阅证入馆自习和借书。"
    noted = "6月1日，在市图书馆二楼阅览室（左），读者们正在安静地自习和查阅资料。 记者 王明 摄"
    caption = noted.replace("（左）", "")
    brief = "\n".join([lead, noted, caption, caption])
    scores = quality_scores(brief)
    assert scores["words"] < 100 and scores["dup_5gram_share"] > QualityParams().max_dup_ngram_share[5]
    assert not Quality()(make(brief)).is_dropped
    longer = "\n".join([lead, *TEA[:3], noted, caption, caption, noted, caption])
    assert quality_scores(longer)["words"] >= 100
    assert Quality()(make(longer)).dropped_by.reason == "quality:dup_5gram_share"


def test_a_sports_brief_without_function_words_is_not_a_keyword_list():
    """Four sentences of a match report (50–80 words) can lack 的, 了 and 是 altogether; from 80
    words a text with fewer than two stop words is a keyword list, not prose."""
    brief = "\n".join(
        [
            "北京时间5月20日，今天季后赛步行者130-109战胜尼克斯，大比分4-3晋级东部决赛。",
            "尼克斯官方宣布，主力后卫第三节遭遇左手骨折，本场比赛不会回归。",
            "这名后卫全场出战29分钟，投篮17投6得到17分9次助攻。",
            "步行者东部决赛对阵凯尔特人，首场比赛定于北京时间5月22日举行。",
        ]
    )
    scores = quality_scores(brief)
    assert 50 <= scores["words"] < 80 and scores["stop_words"] < 2
    assert not Quality()(make(brief)).is_dropped
    keywords = (
        "，".join(["龙井茶价格", "龙井茶批发", "西湖龙井官网", "明前龙井", "龙井茶哪里买", "正宗龙井"] * 6)
        + "。"
    )
    assert quality_scores(keywords)["words"] >= 80
    assert Quality()(make(keywords)).is_dropped


def test_english_and_short_texts_fail_the_chinese_rules():
    english = Quality()(make("This page is written in English only. " * 20))
    assert english.dropped_by.reason == "quality:han_ratio"
    short = Quality()(make(TEA[0]))
    assert short.dropped_by.reason == "quality:chars"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_quality_scores_are_bounded_for_any_text(text):
    scores = quality_scores(text)
    for key, value in scores.items():
        if key.endswith(("share", "ratio", "frac", "repeat")):
            assert 0.0 <= value <= 1.0, (key, value)
    json.dumps(scores)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="龙井茶杭州西湖。，！ ab\n", max_size=30), max_size=20))
def test_spam_never_loses_text_it_does_not_report(lines):
    doc = make("\n".join(lines))
    before = doc.text
    Spam()(doc)
    if doc.is_dropped:
        return
    removed = doc.meta.get("spam_block", {}).get("chars", 0)
    kept = sum(len(line) for line in doc.text.split("\n"))
    assert kept + removed >= sum(len(line) for line in before.split("\n")) - before.count("\n")


# --- safety and the lexicon ---------------------------------------------------------------------

GAMBLING_PAGE = "\n".join(
    [
        "澳门葡京娱乐官网，真人百家乐在线投注，首存送彩金。",
        "时时彩计划每日更新，北京赛车pk10开奖直播，百家乐技巧分享。",
        "棋牌游戏平台下载，捕鱼游戏app注册送38元彩金。",
    ]
)
HOSTILE_THREAD = [
    "河南人都是骗子，素质太差，滚出我们城市",
    "这些外地人真恶心，一个个都是垃圾",
    "黑人就是懒，什么都不干还要救济",
]


def test_a_gambling_page_is_dropped_by_lexicon_density():
    doc = Safety()(make(GAMBLING_PAGE))
    assert doc.dropped_by.reason == "safety:gambling"
    assert doc.dropped_by.score >= doc.dropped_by.threshold
    assert doc.dropped_by.details["gambling_hits"] >= 5


def test_a_report_that_names_gambling_once_is_kept():
    report = article(TEA) + "\n\n警方提醒，网上所谓的真人百家乐多为骗局，市民切勿参与。"
    doc = Safety()(make(report))
    assert not doc.is_dropped
    assert doc.trace[-1].action == "keep"


def test_a_page_of_offensive_comments_is_dropped_but_one_comment_under_an_article_is_not():
    thread = Safety()(make("\n".join([*HOSTILE_THREAD, TEA[0]])))
    assert thread.dropped_by.reason == "safety:offensive"
    assert thread.dropped_by.details["offensive_max"] > 0.9
    one = Safety()(make(article(TEA + RAIL) + "\n\n" + HOSTILE_THREAD[0]))
    assert not one.is_dropped


def test_lexicon_anchor_windows_find_exactly_what_the_full_patterns_find():
    spam_titles = ["《国产在线视频精品》", "福彩3D第2025802期平台", "冰雪传奇私服"]
    texts = [GAMBLING_PAGE, *HOSTILE_THREAD, article(TEA), *spam_titles]
    texts += [t[i:] for t in texts for i in (1, 3)]  # matches cut at every edge
    for text in texts:
        assert spam_lexicon.hits(text) == spam_lexicon.hits_exhaustive(text), text
    assert spam_lexicon.hits("《国产在线视频精品》") == {"porn": 1}
    assert not spam_lexicon.search(article(TEA + RAIL))


def test_verse_is_not_held_to_the_prose_rules():
    poem = "\n".join(
        [
            *("西湖春水绿。", "孤山映晚霞。", "断桥残雪尽。", "柳岸早莺斜。", "画舫穿烟过。"),
            *("渔舟唱月归。", "钱塘潮正起。", "吴越梦依稀。", "茶香飘满院。", "竹影上窗扉。"),
        ]
    )
    scores = quality_scores(poem)
    assert scores["verse_share"] == 1.0 and scores["mean_line_chars"] < 10
    assert not Quality()(make(poem)).is_dropped
    menu = "\n".join(["首页", "新闻中心", "体育频道", "娱乐八卦", "财经要闻", "科技前沿"] * 3) + "\n" + TEA[0]
    assert Quality()(make(menu)).dropped_by.reason == "quality:mean_line_chars"


def test_extraction_counts_hidden_random_tags_for_the_spam_step():
    from taoyu.steps.extract_html import ExtractHtml

    salt = "".join(f'<kbd date-time="Q{i}x7Zp"></kbd><del id="r{i}Kq2"></del>' for i in range(3))
    page = f"<html><body><article>{salt}<p>{TEA[0]}</p><p>{TEA[1]}</p></article></body></html>"
    doc = Document("d", "", Source("f.warc", 0), raw=page.encode())
    ExtractHtml()(doc)
    assert doc.meta["hidden_tags"] == 6
    assert TEA[0] in doc.text and "kbd" not in doc.text
    assert Spam().score(doc)["hidden_tags"] == 6.0


def test_remembered_segmentations_are_bounded_by_characters_and_change_nothing():
    from taoyu.text import tokens
    from taoyu.text.recent import RecentPages

    text = article(TEA + RAIL)
    first = quality_scores(text)
    bounded = RecentPages[int](max_chars=100)
    for i in range(50):
        bounded.get(f"第{i}页的内容。" * 3, len)
    assert bounded._chars <= 100 and len(bounded) == 4
    assert bounded.get("长" * 500, len) == 500 and "长" * 500 not in bounded  # too big to keep
    tokens._recent.max_chars = len(text) + 10
    try:
        tokens.tokens_of(text)
        tokens.tokens_of("另一页的内容。" * 5)
        assert text not in tokens._recent
        assert quality_scores(text) == first
    finally:
        tokens._recent.max_chars = 1_000_000


def test_a_spam_line_on_top_of_text_without_a_title_is_cut_not_taken_for_the_title():
    body = "西湖龙井开采\n\n" + article(TEA)
    doc = Spam()(make("《国产在线视频精品》\n" + body))  # WET/JSONL: no title in metadata
    assert not doc.is_dropped
    assert doc.text == body
    assert doc.meta["spam_block"]["reasons"] == {"lexicon_title": 1}


_SCREENED = [
    (chrome_lines._TIMESTAMP, "dated"),
    (chrome_lines._POST_META, "dated"),
    (chrome_lines._NAVIGATION, "navigation"),
    (chrome_lines._APP_PROMPT, "app_prompt"),
    (chrome_lines._WIDGET_NAME, "widget"),
    (chrome_lines._COUNTER_META, "counter_meta"),
    (chrome_lines._DISCLAIMER, "disclaimer"),
]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_page_screens_never_rule_out_a_line_their_pattern_matches(data):
    # Strings built from each pattern itself: whatever the pattern can match, its screen must
    # pass on a page holding that line, or the line would be kept without being looked at.
    for pattern, field in _SCREENED:
        line = data.draw(st.from_regex(pattern).filter(lambda s: "\n" not in s))
        page = f"正文第一段。\n{line}\n正文第二段。"
        assert getattr(chrome_lines.PageScreen.of(page), field), (pattern.pattern, line)
        assert getattr(chrome_lines.PageScreen.of(line), field), (pattern.pattern, line)


def test_safety_scores_lines_up_to_the_one_that_passes_its_budget():
    step = Safety(max_scored_chars=100)
    step.setup()
    seen: list[list[str]] = []

    class Recorder:  # the packaged model is shared by the process: wrap it, never patch it
        def __init__(self, model):
            self.model = model

        def predict_proba(self, lines):
            seen.append(list(lines))
            return self.model.predict_proba(lines)

    step._model = Recorder(step._model)
    lines = [f"第{i}行" + "正常的句子内容" * 5 for i in range(6)]  # 38 characters each
    step(make("\n".join(["短", *lines])))  # a line under min_line_chars is not scored, nor counted
    assert seen == [lines[:3]]  # 38 + 38 + 38 > 100: the third line is the last


def test_a_page_spam_cannot_segment_ahead_fails_alone_when_analysed(monkeypatch):
    from taoyu.steps.base import run_steps
    from taoyu.text import tokens

    real = tokens._segment

    def segment(text):
        if "坏" in text:
            raise ValueError("cannot segment")
        return real(text)

    monkeypatch.setattr(tokens, "_segment", segment)
    good, bad = make(article(TEA)), make(article(TEA) + "坏")
    errors = []
    run_steps([bad, good], [Spam()], lambda step, doc, exc: errors.append((step.name, doc, str(exc))))
    assert errors == [("spam", bad, "cannot segment")]  # prepare() passed over it; process() reported it
    assert good.trace[-1].step == "spam" and good.trace[-1].action == "keep"


def test_safety_scores_a_prepared_batch_as_it_scores_each_page_alone():
    from taoyu.steps.base import run_steps

    texts = [article(TEA), "你这个人说话真难听，滚出去吧你这个废物\n" + article(TEA), "短", article(TEA) * 3]
    alone = [Safety().score(make(t)) for t in texts]
    docs = [make(t) for t in texts]
    step = Safety()
    run_steps(docs, [step])  # as the runners take a batch
    assert [d.trace[-1].step for d in docs] == ["safety"] * len(docs)
    step.prepare(docs)
    assert [step.score(d) for d in docs] == alone
    step.prepare(docs)
    docs[1].text = article(TEA)  # edited after prepare: scored afresh, not from the batch
    assert step.score(docs[1]) == Safety().score(make(article(TEA)))


# --- both scripts: the rules are written in Simplified and see the text folded -------------------


def _families() -> list:
    return [
        pytest.param(lines, id=f"{name}-{script}")
        for name, pair in CHROME_FAMILIES.items()
        for script, lines in zip(("hans", "hant"), pair, strict=True)
    ]


@pytest.mark.parametrize("chrome", _families())
def test_each_chrome_family_goes_in_either_script(chrome):
    body = article(TEA)
    doc = make(body + "\n" + "\n".join(chrome) + "\n\n" + article(RAIL))
    ChromeLines()(doc)
    assert doc.text == body + "\n\n" + article(RAIL), chrome
    assert doc.trace[-1].details["lines_removed"] == len(chrome)
    # The ledger names the page's own lines, not their Simplified fold.
    assert [line for _, _, line in doc.trace[-1].details["removed"]] == chrome


def test_a_traditional_article_and_prose_that_uses_chrome_words_are_kept():
    text = article(HANT_BOOKSHOP) + "\n\n" + "\n".join(HANT_SHORT_PROSE)
    doc = make(text)
    ChromeLines()(doc)
    assert doc.text == text and doc.trace == []
    assert not spam_lexicon.search(text) and not spam_lexicon.hits(text)
    assert [line for line in text.split("\n") if spam_lexicon.search(line)] == []


def test_a_traditional_page_loses_its_chrome_and_keeps_its_article():
    chrome = [line for _, traditional in CHROME_FAMILIES.values() for line in traditional[:1]]
    body = article(HANT_BOOKSHOP)
    doc = make("\n".join(chrome[:6]) + "\n" + body + "\n" + "\n".join(chrome[6:]))
    ChromeLines()(doc)
    assert doc.text == body


def test_site_patterns_see_the_line_as_written():
    doc = make(article(TEA) + "\n臺北分社供稿")
    ChromeLines(extra_patterns=["^臺北分社"])(doc)
    assert doc.text == article(TEA)
    assert chrome_lines.chrome_reasons(["臺北分社供稿"], chrome_lines.ChromeLinesParams()) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《國產自拍視頻在線觀看》", {"porn": 1}),
        ("真人百家樂 澳門葡京娛樂官網", {"gambling": 2}),
        ("代開發票 出售銀行卡", {"black_market": 2}),
    ],
)
def test_lexicon_phrases_written_in_traditional_are_found(text, expected):
    assert spam_lexicon.hits(text) == expected == spam_lexicon.hits_exhaustive(text)
    page = article(HANT_BOOKSHOP) + "\n" + text + "\n" + article(HANT_BOOKSHOP)
    assert spam_lexicon.anchored_lines(page) == [page.split("\n").index(text)]
    assert spam_lexicon.hits(page) == expected  # a page's spans are the original's too
