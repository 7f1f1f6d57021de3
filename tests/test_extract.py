"""Main-content extraction on small pages written here, one per failure mode the field shows."""

from __future__ import annotations

import time

import pytest
from selectolax.lexbor import LexborHTMLParser

from taoyu import Document, Source
from taoyu.extract import main_text
from taoyu.extract.boilerplate import chrome_texts, is_chrome_line, without_chrome_lines
from taoyu.extract.main_text import extract_tree
from taoyu.steps.extract_html import ExtractHtml
from taoyu.steps.html_to_text import HtmlToText

from .zh_hant_fixtures import HANT_BOOKSHOP, HANT_SHORT_PROSE, LINE_FAMILIES

ARTICLE = "".join(
    f"<p>第{i}段：杭州市今年继续推进城市更新，老旧小区改造惠及数万户居民，社区配套设施也得到完善。</p>"
    for i in range(1, 6)
)
CHROME = """
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/app">下载客户端</a></div>
<div class="share-bar">分享到：<a>微信</a> <a>微博</a></div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/1">杭州发布秋冬季旅游线路推荐</a></li><li><a href="/2">钱塘江观潮指南</a></li></ul></div>
<p>【我来说两句】【打印】【关闭】</p><p>（责任编辑：赵一）</p>
<div class="footer">版权所有 © 2026 示例网 违法和不良信息举报电话：0571-00000000</div>
"""


def page(body: str, head: str = "<title>城市更新惠及数万户_示例网</title>") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_article_is_kept_and_chrome_dropped():
    text = main_text(page(f"{CHROME}<div class='article'><h1>城市更新惠及数万户</h1>{ARTICLE}</div>{CHROME}"))
    lines = text.split("\n")
    assert sum("杭州市今年继续推进城市更新" in line for line in lines) == 5
    for chrome in ("分享到", "相关新闻", "责任编辑", "版权所有", "【打印】", "下载客户端", "举报电话"):
        assert chrome not in text, chrome


def test_self_media_disclaimers_datelines_and_page_controls_are_dropped():
    chrome = [
        "平台声明：该文观点仅代表作者本人，示例号系信息发布平台，示例网仅提供信息存储空间服务。",
        "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
        "发布于：浙江省",
        "时间：2026.01.05",
        "本文来源于示例商报 2026-01-05 09:47:48",
        "本主题由 管理员 于 2026-1-5 20:57 审核通过",
        "[打印]",
        "← 返回",
        "仅看楼主",
        "回复 1",
        "+1",
        "第1页/共2页",
        "<< 上一页 | 下一页 >>",
        "最新评论",
        "需要 登录 后方可回复",
        "本文为示例网原创，转载请注明出处。",
        "复制链接",
        "当前位置：首页",
        "作者：张三",
        "2026-01-05 09:47",
        "(阅读:3727;评论:63)",
        "凡本网注明“来源：示例网”的所有作品，版权均属于示例网，未经授权不得转载。",
    ]
    body = "<div class='article'>" + ARTICLE + "".join(f"<p>{line}</p>" for line in chrome) + "</div>"
    text = main_text(page(body))
    assert "第5段" in text
    assert [line for line in chrome if line in text] == []


def test_a_listing_of_teasers_gives_no_text_and_breadcrumbs_are_chrome():
    teaser = (
        "<dl><dt><h2><a href='/a{0}'>杭州城市更新的第{0}个故事...</a></h2>"
        "<p>老旧小区改造惠及数万户居民，社区配套设施也得到完善，居民们纷纷表示..."
        "<span>[<a href='/a{0}'>详细</a>]</span></p></dt></dl>"
    )
    listing = "<div class='list'>" + "".join(teaser.format(i) for i in range(2)) + "</div>"
    assert main_text(page(listing)) == ""
    crumbs = "<p>当前位置：首页 > 城市 > 正文</p><p>示例网 > 新闻频道 > 杭州</p>"
    text = main_text(page(f"<div class='article'>{crumbs}{ARTICLE}<p>更多内容请看...[阅读全文]</p></div>"))
    assert "第5段" in text and "首页" not in text and "新闻频道" not in text and "更多内容" not in text


def test_a_breadcrumb_ending_with_the_headline_is_chrome_but_a_manuals_path_sentence_is_not():
    crumb = "示例社会学论坛·示例网社会论坛 » 学术前沿 » 社会资本、人力资本与下岗职工的再就业"
    manual = "打开菜单 > 更多工具 > 开发者工具。"
    text = main_text(page(f"<div class='article'><p>{crumb}</p>{ARTICLE}<p>{manual}</p></div>"))
    assert "学术前沿" not in text and manual in text and "第5段" in text


def test_linked_headlines_and_their_items_are_counted_in_either_format():
    item = "<li><a href='/n/{0}'>第{0}条新闻的标题文字</a><p>这是第{0}条新闻的摘要，写了一句话。</p></li>"
    items = "".join(item.format(i) for i in range(6))
    html = page(f"<ul>{items}</ul>")
    for format in ("text", "markdown"):
        shape = extract_tree(LexborHTMLParser(html), format, None, html).shape
        counted = shape.headline_lines, shape.teaser_lines, shape.lines, shape.other_chars
        assert counted == (6, 12, 12, 0), format
    article = extract_tree(LexborHTMLParser(page(ARTICLE)), "text", None, page(ARTICLE)).shape
    assert article.headline_lines == 0 and "headline_lines" not in article.as_meta()


def test_a_pager_is_chrome_in_any_order():
    pagers = ["< 第一页 |上一页| 1 | 下一页 | 最末页>", "首页 上一页 1 2 下一页 尾页", "[首頁] [末頁]"]
    lines = "".join(f"<p>{pager}</p>" for pager in pagers)
    text = main_text(page(f"<div class='article'>{ARTICLE}{lines}</div>"))
    assert "第5段" in text and "页" not in text and "頁" not in text


def test_hidden_seo_text_is_dropped_but_wechat_content_is_kept():
    seo = "<div style='display:none'>澳门赌场官网注册送彩金，澳门赌场官网下载，真人百家乐在线投注。</div>"
    wechat = f"<div id='js_content' style='visibility: hidden;'>{ARTICLE}</div>"
    text = main_text(page(seo + wechat))
    assert "赌场" not in text and text.count("城市更新") == 5


def test_fragment_without_html_tag():
    assert main_text(ARTICLE).count("城市更新") == 5


def test_empty_and_junk_input_give_empty_text_not_errors():
    assert main_text("") == "" and main_text(b"") == "" and main_text("<html></html>") == ""
    assert main_text("<<<>>>&&&") in ("", "<<<>>>&&&")


def test_gbk_bytes_are_decoded():
    raw = page(ARTICLE, "<meta charset='gb2312'><title>测试</title>").encode("gbk")
    assert main_text(raw).count("城市更新") == 5


def test_a_20_mb_page_is_handled():
    big = page("<div>" + ARTICLE * 31000 + "</div>").encode()
    assert len(big) > 20 * 2**20
    started = time.perf_counter()
    text = main_text(big)
    assert text.count("城市更新") == 5 * 31000 and time.perf_counter() - started < 120


def test_step_extracts_title_date_and_records_the_edit():
    head = (
        "<title>城市更新惠及数万户_示例网</title>"
        "<meta property='article:published_time' content='2026-09-28T08:00:00+08:00'>"
    )
    doc = Document("d", "", Source("m", 0), raw=page(ARTICLE, head).encode())
    doc = ExtractHtml()(doc)
    assert doc.meta["title"] == "城市更新惠及数万户_示例网" and doc.meta["publish_date"] == "2026-09-28"
    assert doc.raw is None and doc.meta["charset"] == "utf-8"
    assert doc.trace[-1].step == "extract_html" and doc.trace[-1].details["chars"] == len(doc.text)


def test_date_from_the_text_when_no_meta():
    doc = ExtractHtml()(
        Document("d", "", Source("m", 0), raw=page("<p>发布时间：2025年3月7日</p>" + ARTICLE).encode())
    )
    assert doc.meta["publish_date"] == "2025-03-07" and "发布时间" not in doc.text  # a dateline is chrome
    tagged = "<div><span>时间：</span><b>2024.05.20</b></div><p>1998年，这里还是一片农田。</p>"
    doc = ExtractHtml()(Document("d", "", Source("m", 0), raw=page(tagged + ARTICLE).encode()))
    assert doc.meta["publish_date"] == "2024-05-20"
    doc = ExtractHtml()(
        Document("d", "", Source("m", 0), raw=page("<p>2023-11-02 08:00</p>" + ARTICLE).encode())
    )
    assert doc.meta["publish_date"] == "2023-11-02"


def test_binary_junk_is_an_error_event():
    doc = ExtractHtml()(Document("d", "", Source("m", 0), raw=bytes(range(128, 256)) * 50))
    assert doc.is_dropped and doc.dropped_by.reason == "undecodable bytes"


def test_never_closed_font_tags_are_fast_and_whole():
    sentence = "杭州市今年继续推进城市更新，社区配套设施也得到完善。"
    html = "<html><body>" + f"<font class='x'>{sentence}" * 3000 + "</body></html>"
    started = time.perf_counter()
    text = main_text(html)
    assert text.count("城市更新") == 3000 and time.perf_counter() - started < 10


POSTS = [
    "楼主：下周想带父母去西溪湿地，老人腿脚不便，走哪个入口比较好？需要提前订船票吗？",
    "建议从周家村入口进，离停车场近。摇橹船周末人多，最好前一天在公众号上预约。",
    "可以先坐电瓶船到深潭口，再步行去河渚街，一路都是平路，老人走起来不累。",
    "十一月中下旬芦花最好，秋雪庵那边拍照很好看，记得带件外套，湿地里风大。",
]


def test_a_forum_thread_keeps_every_post_even_inside_a_comments_block():
    # Douban-style: each post in its own wrapper inside a block whose class says "comments". The
    # posts are the content, and they are cousins, not siblings.
    posts = "".join(
        f"<div class='comment-item'><div class='avatar'><a>用户{i}</a></div><div class='comment'>"
        f"<p class='comment-content'><span class='short'>{text}</span></p></div></div>"
        for i, text in enumerate(POSTS)
    )
    text = main_text(page(f"{CHROME}<div id='comments' class='comment-list'>{posts}</div>{CHROME}"))
    for post in POSTS:
        assert post in text, post
    assert "分享到" not in text and "版权所有" not in text


def test_a_chrome_word_read_across_two_words_of_a_label_does_not_prune_the_posts():
    # Each post's body in a block labelled publishArea: "share" runs from publish into Area. Read
    # as a share bar, every post went and the thread kept only its posters' names and dates.
    posts = "".join(
        f"<div class='l-articlePage' id='post-{i}'><div class='l-navigation__item'><a>用户{i}</a>"
        f"<span>2024-05-0{i + 1} 10:0{i}</span></div><div class='l-publishArea'><article>{text}</article>"
        "</div></div>"
        for i, text in enumerate(POSTS)
    )
    text = main_text(page(f"{CHROME}<h1>西溪湿地怎么玩</h1>{posts}{CHROME}"), "https://forum.example.com/t/1")
    for post in POSTS:
        assert post in text, post


def test_the_posts_inside_the_chosen_block_lose_their_headers_on_a_thread_page():
    # Discuz: the thread's posts inside one container, each a table of the poster's column (name,
    # profile, floor) and the post's body. The container wins; each post keeps only its body.
    posts = "".join(
        f"<div id='post_{i}'><table class='plhin'><tr><td class='pls'><div class='authi'><a>用户{i}</a></div>"
        f"<dl class='pil'><dt>帖子</dt><dd>{100 + i}</dd><dt>积分</dt><dd>{300 + i}</dd></dl></td>"
        f"<td class='plc'><div class='pi'><strong>{i + 1}#</strong><em>发表于 2024-05-0{i + 1}</em></div>"
        f"<div class='t_f' id='postmessage_{i}'>{text}</div></td></tr></table></div>"
        for i, text in enumerate(POSTS)
    )
    html = page(f"{CHROME}<div id='postlist'>{posts}</div>{CHROME}").replace(
        "<head>", "<head><meta name='generator' content='Discuz! X3.4'>"
    )
    text = main_text(html)
    for post in POSTS:
        assert post in text, post
    for header in ("用户0", "帖子", "积分", "101", "1#"):
        assert header not in text.split("\n"), header
    assert "用户" not in text and "积分" not in text


def test_a_feed_of_teasers_is_not_taken_for_a_thread():
    teasers = "".join(
        f"<li><div class='item'><h3><a href='/n{i}'>示例新闻标题{i}</a></h3>"
        f"<p>这是第{i}条新闻的摘要，介绍了城市更新项目的最新进展，以及居民、商户和专家的反馈意见。</p></div></li>"
        for i in range(8)
    )
    short = "<p>杭州市今年继续推进城市更新，老旧小区改造惠及数万户居民。</p>"
    text = main_text(page(f"<div class='article'><h1>城市更新</h1>{short}</div><ul>{teasers}</ul>"))
    assert "摘要" not in text, "a page of teasers is not a thread of posts, nor the article"
    assert "杭州市今年继续推进城市更新" in text


def test_author_source_and_canonical_url_go_into_metadata():
    def meta(html: str, url: str | None = "https://news.example.cn/2026/01/a.html") -> dict:
        doc = Document("d", "", Source("f.warc", 0), url=url, raw=html.encode())
        ExtractHtml()(doc)
        return {k: doc.meta.get(k) for k in ("author", "source", "canonical_url")}

    info = "<div class='info'>2026-01-14 来源：<a href='/'>钱塘新闻网</a></div>"
    head = "<link rel='canonical' href='/2026/01/a-full.html'><meta name='author' content='林晓'>"
    tagged = page(f"{info}<div class='article'>{ARTICLE}</div>", head=f"<title>t</title>{head}")
    assert meta(tagged) == {
        "author": "林晓",
        "source": "钱塘新闻网",
        "canonical_url": "https://news.example.cn/2026/01/a-full.html",
    }
    byline = page(f"<p>本报记者 王逸飞 报道</p><div class='article'>{ARTICLE}</div>")
    assert meta(byline)["author"] == "王逸飞"
    # "文明城市" starts with 文 (a byline label) but has no separator: not an author.
    assert meta(page("<p>文明城市建设取得新进展，市民文化生活更加丰富多彩。</p>"))["author"] is None


STRUCTURED = (
    "<div class='article'><h1>城市更新</h1>"
    "<p>杭州市今年继续推进<strong>城市更新</strong>，老旧小区改造惠及数万户居民，社区配套设施也得到完善。</p>"
    "<h2>改造内容</h2><ul><li>加装电梯 120 部</li>"
    "<li>改造管网<ul><li>雨水管</li><li>污水管</li></ul></li></ul>"
    "<table><tr><th>区</th><th>小区数</th></tr><tr><td>上城</td><td>35</td></tr>"
    "<tr><td>西湖|北</td><td>28</td></tr></table>"
    "<pre><code>SELECT count(*)\nFROM t;</code></pre>"
    f"{ARTICLE}</div>"
)


def test_markdown_keeps_headings_lists_tables_and_code():
    md = main_text(page(f"{CHROME}{STRUCTURED}{CHROME}"), format="markdown")
    assert "# 城市更新" in md and "## 改造内容" in md
    assert "**城市更新**" in md
    assert "- 加装电梯 120 部\n- 改造管网\n  - 雨水管\n  - 污水管" in md
    assert "| 区 | 小区数 |\n| --- | --- |\n| 上城 | 35 |\n| 西湖\\|北 | 28 |" in md
    assert "```\nSELECT count(*)\nFROM t;\n```" in md
    assert "\n\n## 改造内容\n\n" in md  # blocks apart, as Markdown needs
    for chrome in ("分享到", "相关新闻", "版权所有"):
        assert chrome not in md
    plain = main_text(page(f"{CHROME}{STRUCTURED}{CHROME}"))
    assert "#" not in plain and "**" not in plain and "|" not in plain.replace("西湖|北", "")


def test_a_paragraph_wrapped_in_the_source_is_one_line_in_text_and_markdown():
    """A template's line breaks inside a paragraph are whitespace: none between two Han
    characters, a space beside a Latin word; a code block keeps its lines."""
    wrapped = "<p>FreeCell\n  Quest是一款游戏，一个巫师统治了这\n  里，玩家踏上了冒险的征程，故事很长。</p>"
    code = "<pre>a = 1\nb = 2</pre>"
    html = page(f"<div>{wrapped}{ARTICLE}{code}</div>")
    line = "FreeCell Quest是一款游戏，一个巫师统治了这里，玩家踏上了冒险的征程，故事很长。"
    assert line in main_text(html).split("\n") and "a = 1\nb = 2" in main_text(html)
    assert line in main_text(html, format="markdown").split("\n")


def test_the_step_writes_markdown_when_asked():
    doc = Document("d", "", Source("f.warc", 0), raw=page(STRUCTURED).encode())
    ExtractHtml(format="markdown")(doc)
    assert doc.text.startswith("# 城市更新")


def test_a_blog_post_beats_its_longer_comment_thread_and_a_page_wide_form_is_not_pruned():
    comments = "".join(
        f"<div class='comment'><p># re: 城市更新 2026-01-0{i % 9 + 1} 网友{i}</p><p>{POSTS[i % 4]}</p></div>"
        for i in range(12)
    )
    # ASP.NET WebForms: one <form> wraps the whole page.
    post = f"<div class='post'><h2>城市更新</h2>{ARTICLE}</div>"
    body = f"<form id='Form1'>{CHROME}{post}<div id='comments'>{comments}</div></form>"
    text = main_text(page(body))
    assert sum("杭州市今年继续推进城市更新" in line for line in text.split("\n")) == 5
    assert POSTS[1] not in text and "网友" not in text


REPLIES = ["同意楼上！", "羡慕，我们只放一天。", "好好休息，年后继续努力。"]


def thread_page(head: str = "<title>元旦放假安排_示例论坛</title>", reply_id: str = "r") -> str:
    """A topic under its replies, each reply with a header (user, time, 回复) and a body; the
    replies sit in a block labelled "comments", which on an article page is chrome."""
    replies = "".join(
        f"<div class='comment-item' id='{reply_id}{70 + i}'><div class='comment-meta'><a>用户{i}</a>"
        f"<span>2026-01-0{i + 1} 10:3{i}</span></div><div class='comment-content'><p>{text}</p></div>"
        f"<div class='actions'><a>回复</a></div></div>"
        for i, text in enumerate(REPLIES)
    )
    topic = "<article class='topic-detail'><h1>元旦放假安排</h1>" + ARTICLE + "</article>"
    return page(f"{CHROME}{topic}<div class='comments'>{replies}</div>{CHROME}", head=head)


def test_a_thread_page_keeps_its_short_replies_without_their_headers():
    text = main_text(thread_page(), url="https://bbs.example.cn/topic/detail/1102")
    assert "第1段" in text
    for reply in REPLIES:
        assert reply in text, reply
    assert "用户0" not in text and "2026-01-01" not in text, "a reply's header is not its text"
    assert "分享到" not in text


def test_replies_rendered_as_markdown_previews_or_beside_message_icons_are_kept():
    # "preview" is not "prev" (a pager's link), and an icon labelled "message" is no reply body.
    reply = (
        "<div class='comment-item'><div class='comment-meta'><a>用户{0}</a></div>"
        "<div class='comment-detail'><i class='anticon anticon-message'></i>"
        "<div class='markdown-preview'><p>{1}</p></div></div></div>"
    )
    replies = "".join(reply.format(i, text) for i, text in enumerate(REPLIES))
    topic = "<article class='topic-detail'><h1>元旦放假安排</h1>" + ARTICLE + "</article>"
    html = page(f"{topic}<div class='comment-list'>{replies}</div>")
    text = main_text(html, url="https://bbs.example.cn/topic/detail/1103")
    assert all(reply in text for reply in REPLIES) and "第1段" in text
    bare = "".join(
        f"<div class='comment-item'><i class='icon-message'></i><p>{text}</p></div>" for text in REPLIES
    )
    text = main_text(page(f"{topic}<div class='comment-list'>{bare}</div>"), url="https://bbs.example.cn/t/7")
    assert all(reply in text for reply in REPLIES)


def test_the_same_comments_under_an_article_are_chrome():
    text = main_text(thread_page(), url="https://news.example.cn/2026/01/a.html")
    assert "第1段" in text
    assert not any(reply in text for reply in REPLIES)


_ANSWERS = (
    "作为一名儿科医生，我的建议是先观察孩子的精神状态，精神好、能吃能玩就可以先在家物理降温。",
    "家里常备退烧药和体温计，晚上每隔两三个小时量一次体温，千万不要给孩子捂汗。",
    "两次服用退烧药要间隔四到六小时，一天不超过四次，最好遵医嘱。",
)


def question_page(heading: str = "<h1>孩子半夜发烧怎么办？</h1>") -> str:
    """A Q&A page: the question in a header block (pruned as chrome with its buttons), then the
    answers, each in a block of its own."""
    answers = "".join(
        f"<div class='AnswerItem'><div class='AuthorInfo'><a href='/people/{i}'>答主{i}</a></div>"
        f"<div class='RichContent'><p>{text}</p></div><div class='actions'><a>赞同</a></div></div>"
        for i, text in enumerate(_ANSWERS)
    )
    buttons = "<div class='QuestionHeader-actions'>关注问题 写回答</div>"
    header = f"<div class='QuestionHeader'>{heading}{buttons}</div>"
    return page(
        f"{CHROME}{header}<div class='List'>{answers}</div>",
        head="<title>孩子半夜发烧怎么办？ - 问答社区</title>",
    )


def test_a_threads_topic_leads_its_posts_even_from_a_pruned_header():
    # The gold of forum and Q&A pages keeps the topic or the question; its header block, with the
    # page's buttons, is chrome by its class. The question is read before pruning.
    url = "https://wenda.example.cn/question/1024"
    text = main_text(question_page(), url=url)
    assert text.split("\n")[0] == "孩子半夜发烧怎么办？"
    assert all(answer in text for answer in _ANSWERS) and "关注问题" not in text
    assert main_text(question_page(), url=url, format="markdown").startswith("# 孩子半夜发烧怎么办？\n\n")
    # Not the site's name in an <h1>, which the <title> does not hold, nor a linked logo.
    for logo in ("<h1>问答社区首页推荐</h1>", "<h1><a href='/'>孩子半夜发烧怎么办？</a></h1>"):
        assert not main_text(question_page(logo), url=url).startswith(
            ("问答社区首页推荐", "孩子半夜发烧怎么办")
        )
    # An article's headline stays in the title field: the page is not a thread.
    article = page(
        f"<div class='article-header'><h1>城市更新惠及数万户</h1></div><div class='article'>{ARTICLE}</div>"
    )
    assert "城市更新惠及数万户" not in main_text(article, url="https://news.example.cn/2026/01/a.html")


_QUESTION = "孩子今年三岁，昨晚半夜突然发烧到三十九度，精神还可以。请问需要马上去医院吗？"
_DETAIL = f"<div class='QuestionRichText'>{_QUESTION}</div>"


def test_a_questions_detail_follows_its_heading_out_of_the_pruned_header():
    url = "https://wenda.example.cn/question/1024"
    heading = f"<h1>孩子半夜发烧怎么办？</h1>{_DETAIL}"
    lines = main_text(question_page(heading), url=url).split("\n")
    assert lines[:2] == ["孩子半夜发烧怎么办？", _QUESTION]
    assert all(answer in lines for answer in _ANSWERS)
    # In a wrapper of its own, the heading's wrapper's next block is the detail.
    wrapped = f"<div class='QuestionHeader-title'><h1>孩子半夜发烧怎么办？</h1></div>{_DETAIL}"
    assert main_text(question_page(wrapped), url=url).split("\n")[1].startswith("孩子今年三岁")
    # A block that is not prose after the heading is no detail (a forum's [复制链接], topics' links).
    for after in ("<span>[复制链接]</span>", "<div><a href='/t/1'>育儿</a> <a href='/t/2'>发烧</a></div>"):
        text = main_text(question_page(f"<h1>孩子半夜发烧怎么办？</h1>{after}{_DETAIL}"), url=url)
        assert "孩子今年三岁" not in text and "复制链接" not in text


def test_a_detail_the_text_holds_already_is_not_put_twice():
    # A forum's heading beside its first post: the post is in the text (less its header); the
    # detail would bring it again.
    said = "今天在西溪湿地看到了白鹭，一共有七八只，在水边觅食。"
    post = f"<div class='post'><p>楼主 发表于 2024-05-01</p><p>{said}</p></div>"
    head = "<title>城市更新惠及数万户_示例网</title><meta name='generator' content='Discuz! X3.4'>"
    html = thread_page(head=head).replace("<body>", f"<body><h1>城市更新惠及数万户</h1>{post}", 1)
    text = main_text(html)
    assert text.startswith("城市更新惠及数万户\n") and text.count("今天在西溪湿地看到了白鹭") == 1


def test_numbered_posts_or_forum_software_make_a_thread_page_without_a_telling_url():
    numbered = main_text(thread_page(reply_id="post_"), url="https://example.cn/p/9")
    assert all(reply in numbered for reply in REPLIES)
    discuz = main_text(thread_page(head="<meta name='generator' content='Discuz! X3.4'>"))
    assert all(reply in discuz for reply in REPLIES)


def test_a_table_of_contents_that_is_the_page_is_kept():
    # A novel's chapter list: every line a link. On an article page, a list of links is navigation;
    # here it is the page.
    chapters = "".join(f"<li><a href='/c/{i}.html'>第{i}章 山雨欲来</a></li>" for i in range(1, 151))
    intro = "<div class='intro'><h1>示例小说</h1><p>一个少年，一把旧剑，一段江湖往事。</p></div>"
    html = page(f"{CHROME}{intro}<div class='mulu'><ul>{chapters}</ul></div>")
    text = main_text(html)
    assert "第1章 山雨欲来" in text and "第150章 山雨欲来" in text
    assert "一段江湖往事" in text
    # In Markdown the list chosen whole is a list, an item a line.
    markdown = main_text(html, format="markdown")
    assert "- 第1章 山雨欲来\n- 第2章 山雨欲来" in markdown


def test_a_short_menu_beside_an_article_stays_navigation():
    menu = "".join(f"<li><a href='/s/{i}'>栏目{i}</a></li>" for i in range(60))
    text = main_text(page(f"<div class='article'>{ARTICLE}</div><ul>{menu}</ul>"))
    assert "第1段" in text and "栏目1" not in text


def test_a_list_of_related_links_inside_the_article_container_is_dropped():
    title = "杭州老旧小区改造进展：相关报道第{}篇"
    related = "".join(f"<li><a href='/r{i}'>{title.format(i)}</a>（2026-01-0{i}）</li>" for i in range(1, 7))
    body = f"<div class='article'>{ARTICLE}<p>相关报道：</p><ul>{related}</ul></div>"
    text = main_text(page(body))
    assert "第5段" in text and "相关报道第1篇" not in text


def test_dated_and_counted_link_lists_are_dropped_but_a_table_of_figures_is_not():
    # Half of each item is its date or its counts, so the links alone are under 60% of the text.
    headline = "<a href='/r{0}'>杭州城市更新系列报道之老旧小区改造第{0}篇</a>"
    dated = "".join(f"<li>· {headline.format(i)} (2026-01-0{i} 14:3{i}PM)</li>" for i in range(1, 8))
    thread = "<a href='/t{0}'>关于老旧小区改造的讨论第{0}帖</a>【<a href='/u{0}'>网友{0}</a>】"
    replies = "".join(f"<li>{thread.format(i)}08-1{i} 16:0{i} 29{i}字 [43{i}/8{i}]</li>" for i in range(1, 8))
    cells = "<tr><td><a href='/d{0}'>杭州市西湖区第{0}街道</a></td><td>31{0}.5</td><td>27.3{0}</td></tr>"
    rows = "".join(cells.format(i) for i in range(6))
    counted = "".join(f"<li><a href='/c{i}'>分类{i}</a> (8{i})</li>" for i in range(6))
    lists = f"<ul>{dated}</ul><table>{rows}</table><ul>{replies}</ul><ul>{counted}</ul>"
    body = f"<div class='article'>{ARTICLE}{lists}</div>"
    text = main_text(page(body))
    assert "第5段" in text
    assert "老旧小区改造第1篇" not in text and "讨论第1帖" not in text and "分类1" not in text
    assert "西湖区第1街道" in text and "313.5" in text


def test_a_short_article_above_a_long_link_list_is_not_dropped_with_it():
    related = "".join(f"<li><a href='/r{i}'>城市更新相关报道第{i}篇标题</a></li>" for i in range(1, 30))
    short = "<p>杭州市今年继续推进城市更新，老旧小区改造惠及数万户居民。</p>"
    text = main_text(page(f"<div class='article'><div class='inner'>{short}<ul>{related}</ul></div></div>"))
    assert "老旧小区改造惠及数万户居民" in text


def test_syntax_highlighted_code_keeps_its_keywords():
    # Highlighters label tokens with classes such as "keyword", which name chrome elsewhere.
    code = "<pre><span class='keyword'>import</span> numpy <span class='keyword'>as</span> np</pre>"
    text = main_text(page(f"<div class='article'>{ARTICLE}{code}</div>"))
    assert "import numpy as np" in text


def test_a_video_players_controls_are_not_text():
    controls = "倍速 2.0X 1.5X 正在为您切换到高清 480P,请稍候..."
    player = f"<div class='video-player'><div class='playerControl'>{controls}</div></div>"
    text = main_text(page(f"<div class='article'>{player}{ARTICLE}</div>"))
    assert "第1段" in text and "倍速" not in text and "请稍候" not in text


def test_a_wiki_articles_references_and_edit_links_are_dropped_even_when_long():
    cite = "示例作者{}. 城市更新报道. 示例日报. 2026-01-05"
    refs = "".join(f"<li><span class='reference-text'>{cite.format(i)}</span></li>" for i in range(80))
    body = (
        "<div id='mw-content-text'><h2>概况<span class='mw-editsection'>[编辑]</span></h2>"
        f"{ARTICLE}<div class='reflist'><ol class='references'>{refs}</ol></div></div>"
    )
    text = main_text(page(body))
    assert "第5段" in text and "概况" in text
    assert "示例日报" not in text and "[编辑]" not in text


# --- both scripts: chrome lines are judged on the text folded to Simplified ----------------------


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(line, id=f"{name}-{script}")
        for name, pair in LINE_FAMILIES.items()
        for script, lines in zip(("hans", "hant"), pair, strict=True)
        for line in lines
    ],
)
def test_each_chrome_line_is_chrome_in_either_script(line):
    assert is_chrome_line(line)
    assert without_chrome_lines(["正文第一段。", line, "正文第二段。"]) == ["正文第一段。", "正文第二段。"]


def test_a_bar_of_links_goes_from_the_extracted_text_at_any_length():
    """A footer's links between spaced dashes, longer than other chrome lines may be, are not the
    article; a table row, a line of specifications and a three-stop route are kept."""
    links = ["ChinaRen", "搜狐招聘", "网站登录", "网站建设", "设置首页", "广告服务", "联系方式"]
    bar = " - ".join([*links, "保护隐私权", "About SOHU"])
    kept = ["| 名称 | 类型 | 说明 | 默认 |", "发动机总排量：1171ml | 最大功率：51Kw | 驱动 | 变速箱"]
    kept.append("西湖 - 灵隐寺 - 龙井村")
    assert len(bar) > 60 and not is_chrome_line(bar)  # past the other chrome's length
    article = ["正文第一段。", *kept, "正文第二段。"]
    assert without_chrome_lines([*article[:-1], bar, article[-1]]) == article


def test_traditional_prose_that_uses_chrome_words_is_not_chrome():
    lines = [*HANT_BOOKSHOP, *HANT_SHORT_PROSE]
    assert [line for line in lines if is_chrome_line(line)] == []
    assert without_chrome_lines(lines) == lines
    assert chrome_texts(lines) == [False] * len(lines)


def test_a_traditional_page_is_extracted_without_its_chrome():
    chrome = [line for simplified, traditional in LINE_FAMILIES.values() for line in traditional]
    story = "".join(f"<p>{sentence}</p>" for sentence in HANT_BOOKSHOP)
    lines = "".join(f"<p>{c}</p>" for c in chrome)
    body = f"<div class='article'><h1>獨立書店十週年</h1>{story}{lines}</div>"
    text = main_text(page(body, "<title>獨立書店十週年_示例新聞網</title>"))
    assert all(sentence in text for sentence in HANT_BOOKSHOP)
    assert [line for line in chrome if line in text.split("\n")] == []
    # A teaser in Traditional goes too, headline and all.
    teaser = "<p>老城區書店的第二個十年...</p><p>店主說，十年前開店時只有兩個書架，藏書已經超過...[詳細]</p>"
    assert "第二個十年" not in main_text(page("<div class='article'>" + story + teaser + "</div>"))


NOTICE = (
    "各位师生请注意：假期将至，为确保大家度过一个安全的假期，现将有关事项通知如下：一是不到水边玩耍，"
    "不私自下水游泳；二是外出注意交通安全，遵守交通规则；三是上山祭扫要做好防火措施，谨慎使用明火；"
    "四是集体活动要按程序报批，健全组织和应急预案；五是假期安排专人值班，如有突发事件要妥善处置，"
    "并及时上报学校。"
)


@pytest.mark.usefixtures("compiled_kernels")
@pytest.mark.parametrize("full_stop", ["。", ".", "！”"])
def test_a_short_closing_paragraph_beside_the_body_is_kept(full_stop: str) -> None:
    # A school's notice: long paragraphs, then a short closing wish in a block of its own. It
    # weighs far less than a fifth of the body, and it is still the notice's last sentence
    # (readability keeps a short paragraph that ends a sentence and holds no link). A full stop
    # typed on a Latin keyboard after Han characters ends a Chinese sentence too.
    closing = f"“没有比生命更宝贵的财富”，顺祝全校师生有一个安全而又愉快的假期{full_stop}"
    body = (
        "<div class='detail'><div class='title'><h3>关于做好假期师生安全工作的通知</h3>"
        "<span>示例中学 2014-04-04</span></div><div>本校三项措施：保障师生假期安全、平安返校</div>"
        f"<div><p>{NOTICE}</p><p>{NOTICE}</p></div><div>{closing}</div><div>示例中学安全领导小组</div>"
        "<div>相关阅读：<a href='/1'>校园开放日活动顺利举行，家长纷纷点赞。</a></div></div>"
    )
    text = main_text(page(f"{CHROME}{body}{CHROME}"))
    assert NOTICE in text and closing in text
    assert "三项措施" not in text, "a headline's line does not end a sentence: not taken"
    assert "校园开放日" not in text, "a block with a link is not a closing paragraph"


TEASERS = [
    ("金融委召开会议部署下一阶段重点工作", "国庆假期前，金融委召开会议，部署了一系列金融领域的重点工作。"),
    ("黄金周后市场怎么走，数据里有答案", "今天是节前最后一个交易日，持股还是持币过节又成为投资者的难题。"),
    ("我国又发现十亿吨级大油田，利好有多大", "国庆节前夕，一家石油公司发布公告，在鄂尔多斯勘探发现大油田。"),
    ("又见金融股权大笔划转，社保基金再添筹码", "以昨日收盘价计算，这次划转的股份对应市值约两百六十亿元。"),
]


def _teaser_list(items: list[tuple[str, str]]) -> str:
    return (
        "<div class='recommend'><h2>为你推荐</h2><div>"
        + "".join(
            f"<dl><dt><a href='/n{i}'><img src='/t{i}.jpg'></a></dt>"
            f"<dd class='t'><a href='/n{i}'>{headline}</a></dd><dd class='e'>{summary}</dd>"
            f"<dd class='d'>2019-09-30 07:4{i}</dd></dl>"
            for i, (headline, summary) in enumerate(items)
        )
        + "</div></div>"
    )


@pytest.mark.usefixtures("compiled_kernels")
def test_teasers_of_other_pages_beside_a_short_article_are_dropped() -> None:
    # A market brief, then "为你推荐": linked headlines, each over a summary and a date, in the
    # article's own column. Their summaries are prose, so the list is not mostly links; each line
    # under a headline belongs to that headline's teaser, and the article holds more words.
    brief = (
        "证券时报讯，多家上市公司午间发布公告：一家材料公司以九千多万元竞得工业用地，将用于新材料产业基地；"
        "一家药企获高管增持；一家风电设备商确定为两个风电场项目的机组供应商，中标价七亿元；"
        "一家装备公司确认中标汽车涂装车间搬送设备项目，中标额六千多万元；一家精密机械公司收到监管部门的"
        "行政监管措施决定书；一家电气公司拟以一千多万元收购控股子公司的少数股权，交易完成后将全资持有该公司。"
    )
    column = f"<div class='left'><h2>午间公告</h2><div class='txt'>{brief}</div>{_teaser_list(TEASERS)}</div>"
    text = main_text(page(f"{CHROME}{column}{CHROME}"))
    assert brief in text
    for headline, summary in TEASERS:
        assert headline not in text and summary not in text
    assert "为你推荐" not in text


@pytest.mark.usefixtures("compiled_kernels")
def test_linked_names_over_paragraphs_are_the_article() -> None:
    # A guide whose places are each a linked name over a paragraph of its own, after a longer
    # introduction: the paragraphs are too long to be teasers' summaries, so the places stay.
    items = [
        (
            f"第{i}站：西溪国家湿地公园周家村入口，秋天看芦花、坐摇橹船、逛河渚街的好去处",
            "从周家村入口进，离停车场近，摇橹船周末人多，最好前一天在公众号上预约。" * 4
            + "湿地里风大，记得带件外套。",
        )
        for i in range(3)
    ]
    column = (
        f"<div class='left'><h2>杭州秋游</h2><div class='txt'>{ARTICLE * 3}{_teaser_list(items)}</div></div>"
    )
    text = main_text(page(f"{CHROME}{column}{CHROME}"))
    assert text.count("离停车场近") == 12 and text.count("杭州市今年继续推进城市更新") == 15


@pytest.mark.usefixtures("compiled_kernels")
def test_a_consent_managers_policy_is_chrome_however_long() -> None:
    # OneTrust's preference centre ships the site's whole tracking policy in the page, often more
    # text than a short article; a vendor's name marks it whatever its length. "consent" in a
    # site's own feature flags on <body> marks nothing.
    policy = "".join(
        f"<p>第{i}条：我们与合作伙伴使用追踪技术分析网站流量、衡量广告效果并提供个性化的内容与服务。</p>"
        for i in range(40)
    )
    brief = "<div class='story'>" + ARTICLE + "</div>"
    manager = (
        f"<div id='onetrust-consent-sdk'><div id='onetrust-pc-sdk' class='otPcCenter'>{policy}</div></div>"
    )
    html = page(brief + manager).replace("<body>", "<body class='mm-use-consent-management-enabled'>")
    text = main_text(html)
    assert text.count("杭州市今年继续推进城市更新") == 5
    assert "追踪技术" not in text


@pytest.mark.parametrize(
    ("written", "title"),
    [
        (
            "(99+ 封私信 / 81 条消息) 为什么同一件事情差这么多？ - 示例问答",
            "为什么同一件事情差这么多？ - 示例问答",
        ),
        ("(3 条消息) 城市更新惠及数万户", "城市更新惠及数万户"),
        ("(2 messages) Inbox", "Inbox"),
        ("(1) 第一章 山雨欲来", "(1) 第一章 山雨欲来"),  # a numbered title is the page's own
        ("（二）关于做好冬季工作的通知", "（二）关于做好冬季工作的通知"),
    ],
)
def test_a_sites_unread_count_is_not_the_pages_title(written: str, title: str) -> None:
    html = page(f"<div class='article'>{ARTICLE}</div>", head=f"<title>{written}</title>")
    for step in (ExtractHtml(), HtmlToText()):  # both steps that read a page's title
        doc = step(Document("d", "", Source("m", 0), raw=html.encode()))
        assert doc.meta["title"] == title, step.name


def test_the_credits_taken_out_of_the_text_are_handed_on():
    # A report's dated source line is chrome to a reader; extraction hands it on for the text's
    # content type (taoyu.steps.industry), and not other chrome.
    from selectolax.lexbor import LexborHTMLParser

    from taoyu.extract.main_text import extract_tree

    body = f"<p>2026-09-28 来源：本报记者 林晓</p>{ARTICLE}<p>分享到：微信 微博</p>"
    html = page(f"{CHROME}<div class='article'>{body}</div>")
    for format in ("text", "markdown"):
        extraction = extract_tree(LexborHTMLParser(html), format)
        assert "来源" not in extraction.text
        assert extraction.credits == ("2026-09-28 来源：本报记者 林晓",)
    # As the page wrote it: a Taiwan report's reporter line stays in Traditional.
    taiwan = page(f"<div class='article'><p>記者王小明／台北報導</p>{ARTICLE}</div>")
    assert extract_tree(LexborHTMLParser(taiwan)).credits == ("記者王小明／台北報導",)
