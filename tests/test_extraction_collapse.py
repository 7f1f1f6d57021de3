"""Extraction collapse: when the rules that make extraction precise remove a page's body (it sits
in an <aside>, a <noscript>, a hidden or chrome-labelled wrapper), what is left is a widget or a
banner. A short result is checked against a second reading of the page without those rules, and
the body is taken from it; a page that really is short keeps its first result."""

from __future__ import annotations

import json

import pytest

from taoyu.document import Document, Source
from taoyu.extract import lexbor, main_text
from taoyu.steps.extract_html import ExtractHtml

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

# An article of our own: 21 paragraphs of distinct sentences, about 650 Han characters.
_ARTICLE = [
    "清晨六点，老街的早餐铺已经排起了长队，蒸笼里冒出的白气笼罩着半条街。",
    "店主说这家铺子开了三十多年，从父亲手里接过来时，每天只卖两百个包子。",
    "如今附近新建了三所学校和一个产业园，早上的客流比过去多了好几倍。",
    "为了赶上早高峰，他每天凌晨三点起床和面，馅料也要前一天晚上准备好。",
    "街道办今年帮沿街商户统一更换了招牌，还在路口增设了两处非机动车停放点。",
    "一位在这里住了四十年的老人告诉记者，街上的老邻居搬走了不少，但味道没变。",
    "附近的年轻人喜欢在周末来这里拍照，有人专门把老街的早晨拍成了短视频。",
    "店主打算明年让儿子学着掌勺，他说只要街坊还爱吃，这门手艺就要传下去。",
    "傍晚时分，卖菜的小贩收了摊，街角的修鞋师傅还在灯下忙着最后一单活。",
    "社区今年还组织志愿者给独居老人送饭，每周三次，风雨无阻。",
    "有居民提议在老街设一面照片墙，把几十年来的变化留给后来的人看。",
    "夜里十点，早餐铺的灯又亮了起来，第二天的面团已经开始发酵。",
    "老街的历史可以追溯到清朝末年，当时这里是附近几个村子赶集的地方。",
    "上世纪八十年代，街上开起了第一家照相馆和第一家录像厅。",
    "九十年代以后，随着新城区的建设，不少老住户陆续搬进了楼房。",
    "这几年，区里对老街的排水管网进行了改造，雨天再也不积水了。",
    "沿街的老房子也做了加固，外立面尽量保留了原来的样子。",
    "每逢春节，街坊们还会在街口搭起戏台，请剧团来唱上几天大戏。",
    "一些在外地工作的年轻人说，回到老街，才觉得真正回到了家。",
    "文化部门正在整理老街的口述历史，已经采访了三十多位老人。",
    "整理好的资料将在明年编印成书，送给每一户老街居民。",
]
_WIDGET = "Notifications"
_BANNER = "本站使用Cookie以改善浏览体验，继续浏览即表示同意。"


def _page(wrapper_open: str, wrapper_close: str) -> str:
    body = "".join(f"<p>{line}</p>" for line in _ARTICLE)
    return (
        "<html><head><title>老街的早晨</title></head><body>"
        f'<div class="topbar"><a href="/">首页</a><span class="bell">{_WIDGET}</span></div>'
        f"{wrapper_open}<h1>老街的早晨</h1>{body}{wrapper_close}"
        f'<div class="cookie-notice"><p>{_BANNER}</p><button>同意</button></div>'
        "</body></html>"
    )


# Wrappers that the first reading removes whole: the body is never scored.
_WRAPPERS = {
    "aside": ("<aside>", "</aside>"),
    "noscript": ("<noscript>", "</noscript>"),
    "display_none": ('<div id="app" style="display:none">', "</div>"),
    "chrome_label": ('<div class="sidebar-widget related">', "</div>"),
}


@pytest.mark.parametrize("compiled", [True, False], ids=["lexbor", "selectolax"])
@pytest.mark.parametrize("wrapper", sorted(_WRAPPERS))
def test_a_body_the_rules_removed_is_recovered(
    wrapper: str, compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not compiled:
        monkeypatch.setattr(lexbor, "AVAILABLE", False)
    text = main_text(_page(*_WRAPPERS[wrapper]))
    for line in _ARTICLE:
        assert line in text
    assert _WIDGET not in text and _BANNER not in text


def test_the_step_records_a_recovered_page() -> None:
    html = _page(*_WRAPPERS["aside"])
    doc = ExtractHtml()(Document("a", "", Source("f", 0), url="https://example.cn/a", raw=html.encode()))
    assert doc.meta["page_shape"]["recovered"] == 1
    assert all(line in doc.text for line in _ARTICLE)


def test_a_page_that_is_short_keeps_its_first_result() -> None:
    """A short notice, and prose the first reading removed that is not several times as long (an
    aside of three sentences): the notice is the page's body, and it stays the result. (The
    page's full stops, which decide whether a second reading is tried, are mostly in a script.)"""
    aside = "".join(f"<p>{line}</p>" for line in _ARTICLE[:3])
    state = json.dumps({"comments": _ARTICLE}, ensure_ascii=False)
    html = (
        f'<html><body><aside>{aside}</aside><div class="content"><h1>停水通知</h1>'
        f"<p>{_ARTICLE[4]}</p></div><script>var data = {state};</script></body></html>"
    )
    assert main_text(html) == f"停水通知\n{_ARTICLE[4]}"


def test_prose_that_is_mostly_links_is_not_recovered_as_a_body() -> None:
    """The second reading's content must be prose, not links: paragraphs half made of links
    (teasers with a linked headline) that the first reading removed stay removed."""
    teasers = "".join(
        f'<p><a href="/t{i}">{line[: len(line) // 2]}</a>{line[len(line) // 2 :]}</p>'
        for i, line in enumerate(_ARTICLE)
    )
    html = (
        f'<html><body><aside>{teasers}</aside><div class="content"><h1>停水通知</h1>'
        f"<p>{_ARTICLE[4]}</p></div></body></html>"
    )
    assert main_text(html) == f"停水通知\n{_ARTICLE[4]}"


def test_a_recovered_page_in_markdown_leaves_out_controls() -> None:
    """The second reading keeps asides and hidden blocks, never form controls or ruby notes."""
    controls = "<button>点赞按钮</button><select><option>选项甲</option></select>"
    html = _page("<aside>", f"<p>欢迎读者留言。{controls}</p></aside>")
    markdown = main_text(html, format="markdown")
    assert _ARTICLE[0] in markdown
    assert "点赞按钮" not in markdown and "选项甲" not in markdown


@pytest.mark.parametrize("format", ["text", "markdown"])
def test_a_short_article_is_not_lost_to_a_disclaimer_that_outscored_it(format) -> None:
    """A statement under a one-paragraph report (a disclaimer, with more sentences than the report)
    wins the block scores, and every one of its lines is chrome: the result would be empty. The
    best block outside it is the content."""
    statement = (
        "【免责声明】本文仅代表作者本人观点，与本网站无关。本网站对文中陈述、观点判断保持中立，"
        "不对所包含内容的准确性、可靠性或完整性提供任何保证。请读者仅作参考，并自行承担全部责任。"
    )
    report = f'{_ARTICLE[9][:8]}<a href="/topic">志愿者</a>{_ARTICLE[9][8:]}'
    html = (
        '<html><body><div class="nav"><a href="/">首页</a></div>'
        f'<div class="art_context"><div class="box"><p>{report}</p><div>（责任编辑：王五）</div></div></div>'
        f'<div class="statement"><p>{statement}</p></div>'
        '<div class="footer">客服电话：0571-88888888 版权所有 复制必究</div></body></html>'
    )
    text = main_text(html, format=format)
    assert "志愿者" in text and "风雨无阻" in text
    assert "免责声明" not in text


def test_a_list_of_teasers_stays_empty_when_every_block_is_a_teaser() -> None:
    """On a list page every block is a teaser cut short: the next best block is one more, whose
    headline is all that is left of it, so an empty result stays empty."""
    teasers = "".join(
        f'<p>{line[:-1]}，{_ARTICLE[i + 1][:10]}... <a href="/a{i}">[详细]</a></p>'
        for i, line in enumerate(_ARTICLE[:6])
    )
    one = (
        f'<dl><dt><a href="/b">栏目标题</a> [专栏]</dt><dd>{_ARTICLE[8][:-1]}，{_ARTICLE[9][:12]}... '
        '<a href="/b">[详细]</a></dd></dl>'
    )
    html = f'<html><body><div class="list">{teasers}</div><div class="box">{one}</div></body></html>'
    assert main_text(html) == ""
