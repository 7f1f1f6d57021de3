"""Thread or article: what the page says about itself (URL, schema.org, forum software, post ids)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from taoyu.extract.page_type import is_thread_page

EMPTY = LexborHTMLParser("<html><body><p>正文</p></body></html>")


@pytest.mark.parametrize(
    "url",
    [
        "https://bbs.example.cn/read.php?id=1",
        "https://club.example.cn/forum.php?mod=viewthread&tid=38733",
        "https://www.example.cn/thread-38733-1-1.html",
        "https://zhidao.example.com/question/1247295277.html",
        "https://discuss.example.org/d/15648",
        "https://forum.example.com/t/how-to/123",
        "https://example.cn/topic/detail/1102",
        "https://movie.example.com/subject/1/comments?status=P",
        "https://patent.bbscloud.example/info/1454",
    ],
)
def test_thread_urls(url: str) -> None:
    assert is_thread_page(EMPTY, url)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "https://news.example.cn/2026/01/14/c_123.html",
        "https://blog.example.com/post/my-first-article",  # blogs put articles under /post/
        "https://news.example.jp/topics/detail/26442071/",  # news sites call stories topics
        "https://example.com/what-is-a-t-cell",
        "https://www.example.com/questionnaire-results",
    ],
)
def test_article_urls(url: str | None) -> None:
    assert not is_thread_page(EMPTY, url)


@pytest.mark.parametrize(
    "html",
    [
        "<div itemscope itemtype='https://schema.org/DiscussionForumPosting'>帖子</div>",
        '<script type=\'application/ld+json\'>{"@type": "QAPage"}</script>',
        "<div id='post_101'>一楼</div><div id='post_102'>二楼</div>",
    ],
)
def test_thread_markup(html: str) -> None:
    assert is_thread_page(LexborHTMLParser(f"<html><body>{html}</body></html>"))


def test_a_single_numbered_block_or_numbered_comments_do_not_make_a_thread() -> None:
    # News pages number their comments too; that makes them an article with comments.
    html = "<div id='post_101'>正文</div><div id='comment-1'>评论</div><div id='comment-2'>评论</div>"
    assert not is_thread_page(LexborHTMLParser(f"<html><body>{html}</body></html>"))


def test_faq_markup_on_an_article_is_not_a_thread() -> None:
    faq = '{"@type": "FAQPage", "mainEntity": [{"@type": "Question", "name": "怎么去？"}]}'
    html = f"<script type='application/ld+json'>{faq}</script><p>正文</p>"
    assert not is_thread_page(LexborHTMLParser(f"<html><body>{html}</body></html>"))


@pytest.mark.parametrize(
    "html",
    [
        "<html itemscope itemtype='https://schema.org/QAPage'><body><p>问题</p></body></html>",
        "<html><head><meta name='generator' content='Discuz! X3.4'></head><body><p>帖子</p></body></html>",
        '<html><head><script type="Application/LD+JSON">{"@type": "DiscussionForumPosting"}</script></head>'
        "<body><p>帖子</p></body></html>",
        "<html id='post-1'><body><div id='POST-2'>二楼</div></body></html>",
    ],
)
def test_signs_in_the_head_and_on_the_html_element(html: str) -> None:
    # The extraction reads the body into arrays; the head and <html> itself are read apart.
    assert is_thread_page(LexborHTMLParser(html))


def test_a_generator_that_is_not_forum_software_is_no_sign() -> None:
    html = "<html><head><meta name='generator' content='WordPress 6.4'></head><body><p>文章</p></body></html>"
    assert not is_thread_page(LexborHTMLParser(html))
