"""One page that takes every path of extraction, run once before a process extracts its first.

Extraction's compiled loops (:mod:`taoyu.jit`) are cached on disk, but a process loads each one
from that cache the first time it is called: a few milliseconds a loop, tens in all, spread over
whichever early pages first need link lists, replies or Markdown. Run once up front, they cost
the same, and no page's time depends on what came before it (a benchmark's warm-up call, a
worker's first record). ``tests/test_extract_warm_up.py`` checks that nothing compiles or loads
after it.
"""

from __future__ import annotations

from collections.abc import Callable

# Every path: pruned chrome (scripts, a form, a nav, hidden and long-hidden styles, chrome labels,
# one of them not ASCII, code), an article with a chrome line (and one in Traditional characters:
# the fold's loops), a teaser, a list of dated links and a plain link list in it, a thread's
# replies (the URL says thread), and a table of contents of a hundred links.
_CONTENTS = "".join(f'<li><a href="/c/{i}">第{i}章</a></li>' for i in range(100))
WARM_UP_PAGE = f"""<!doctype html><html><head><title>预热</title><script>var a = 1;</script></head><body>
<nav><a href="/">首页</a></nav><form><input name="q"></form>
<div style="display:none">隐藏</div><div style="visibility:hidden">等待脚本显示的正文</div>
<div class="share-bar"><a href="#">分享到微博</a></div><div class="侧栏 sidebar"><a href="#">热门</a></div>
<div class="article-content" id="content">
<h1>杭州发布城市更新计划</h1>
<p>杭州市今天发布了城市更新计划，涉及老旧小区改造、交通和公共空间。</p>
<p>计划提出，到明年年底完成一百个小区的改造，并新增公园和绿道。</p>
<p>责任编辑：张三</p>
<p>責任編輯：李四</p>
<p>更多内容详见官方网站……[详细]</p>
<pre><code class="keyword">print("hello")</code></pre>
<ul><li><a href="/a">相关报道一</a> (2024-04-27 14:32)</li><li><a href="/b">相关报道二</a> (2024-04-28)</li>
<li><a href="/c">相关报道三</a> (88)</li></ul>
<div><a href="/x">链接一</a><a href="/y">链接二</a><a href="/z">链接三</a></div>
</div>
<div class="comment-list"><div class="reply"><div class="reply-content">同意楼主的看法。</div></div>
<div class="reply"><div class="reply-content">羡慕！希望早日完成。</div></div></div>
<ol class="toc">{_CONTENTS}</ol>
<footer>版权所有</footer></body></html>"""
WARM_UP_URL = "https://bbs.example.com/thread-1-1-1.html"
# A blog post under a longer comment thread (the post is found outside the comments), and a feed
# of teasers beside a short article (the article is found outside the feed).
_COMMENTS = "".join(
    f"<div class='comment'><p>网友{i}：这篇文章写得很好，城市更新关系到每一个居民的生活，值得讨论。</p></div>"
    for i in range(12)
)
_TEASERS = "".join(
    f"<div class='item'><h3><a href='/n/{i}'>第{i}条新闻的标题</a></h3>"
    "<p>新闻摘要写在这里，说明了很多事情，很长很长。</p></div>"
    for i in range(6)
)
# A thread of twenty posts, each a block of the content: more than main_text sums in Python.
_POSTS = "".join(
    f"<div class='post' id='post_{i}'><div class='author'>用户{i}</div><div class='message'>"
    f"<p>第{i}楼：城市更新关系到每一个居民的生活，这个计划值得好好讨论一下。</p></div></div>"
    for i in range(20)
)
# A page written in Traditional: its chrome lines are also read through OpenCC's Taiwan phrase
# table (taoyu.text.script.taiwan_readings), whose converter takes 8 ms to load.
_TAIWAN = (
    "<body><div class='article'><p>市政府今天宣佈，明年將擴大公共自行車的服務範圍。</p>"
    "<p>交通局表示，新站點將優先設在捷運站與學校附近。</p><p>回覆</p><p>點選進入專題</p></div></body>"
)
WARM_UP_PAGES = [
    WARM_UP_PAGE,
    _TAIWAN,
    f"<body><div class='thread'>{_POSTS}</div></body>",
    f"<body><div class='post'><h2>城市更新</h2><p>杭州市今天发布了城市更新计划。</p></div>"
    f"<div id='comments'>{_COMMENTS}</div></body>",
    f"<body><div class='story'><p>一条短新闻，只有一句话，但它是正文。</p></div>{_TEASERS}</body>",
]


def warm_up(extract: Callable[[str, str | None, str], str]) -> None:
    """Run ``extract(html, url, format)`` over the warm-up pages: as articles and as threads,
    as text and as Markdown."""
    for page in WARM_UP_PAGES:
        for url in (None, WARM_UP_URL):
            for format in ("text", "markdown"):
                extract(page, url, format)
