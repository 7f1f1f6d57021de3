"""No sentence is ever cut: markup inside a paragraph never takes words out of it.

A topic link tagged ``class="tag"`` or ``keyword…`` inside a paragraph is a word of the sentence,
whatever its label says; emphasis, ruby and line breaks are markup around words. Each case is
checked through the compiled lexbor reader and the selectolax fallback, in text and Markdown.
"""

from __future__ import annotations

import re

import pytest

from taoyu.extract import lexbor, main_text

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

_FILLER = "".join(
    f"<p>第{i}段：社区图书馆今年延长了开放时间，周末也有志愿者讲解馆藏，读者反映借阅更方便了。</p>"
    for i in range(5)
)

# (paragraph HTML, the sentence that must come out whole)
CASES = {
    "topic link labelled tag": (
        '<p>研究者指出，一个人若身为<a class="tag" href="/t/1">左撇子</a>、在校园里常会遇到不便。</p>',
        "研究者指出，一个人若身为左撇子、在校园里常会遇到不便。",
    ),
    "keyword link": (
        '<p>今年<a class="keyword-link" href="/k/2">电动自行车</a>的销量增长很快，新国标也已实施。</p>',
        "今年电动自行车的销量增长很快，新国标也已实施。",
    ),
    "span labelled tags": (
        '<p>专家认为<span class="tags">垃圾分类</span>需要长期坚持，不能一阵风。</p>',
        "专家认为垃圾分类需要长期坚持，不能一阵风。",
    ),
    "link labelled share": (
        '<p>记者从<a class="share-target" href="#">区教育局</a>获悉，秋季将新开两所小学。</p>',
        "记者从区教育局获悉，秋季将新开两所小学。",
    ),
    "link labelled related, sentence end": (
        '<p>详情可参见<a class="related" href="/r">去年的报道</a>。</p>',
        "详情可参见去年的报道。",
    ),
    "emphasis": (
        "<p>这是<em>非常</em>重要的<strong>提醒</strong>，请大家<b>务必</b>按时<i>接种</i>。</p>",
        "这是非常重要的提醒，请大家务必按时接种。",
    ),
    "ruby": (
        "<p>这个字读作<ruby>乐<rp>(</rp><rt>yuè</rt><rp>)</rp></ruby>，是音乐的乐。</p>",
        "这个字读作乐，是音乐的乐。",
    ),
    "Traditional, tagged link": (
        '<p>考量一個人若是身為<a class="tag" href="/t/3">雙語者</a>、其求職處境往往更有優勢。</p>',
        "考量一個人若是身為雙語者、其求職處境往往更有優勢。",
    ),
}


def _page(paragraph: str) -> str:
    return (
        "<html><body><div class='article'><h1>社区新闻</h1>"
        f"{_FILLER}{paragraph}{_FILLER}</div>"
        "<div class='sidebar'><a href='/'>首页</a><a href='/n'>新闻</a></div></body></html>"
    )


def _plain(markdown: str) -> str:
    return re.sub(r"[*_`]", "", markdown)


@pytest.mark.parametrize("compiled", [True, False], ids=["lexbor", "selectolax"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("case", list(CASES))
def test_markup_inside_a_paragraph_never_cuts_the_sentence(
    case: str, fmt: str, compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexbor, "AVAILABLE", compiled and lexbor.AVAILABLE)
    paragraph, sentence = CASES[case]
    out = main_text(_page(paragraph), None, fmt)  # type: ignore[arg-type]
    lines = [_plain(line) if fmt == "markdown" else line for line in out.splitlines()]
    assert sentence in lines


@pytest.mark.parametrize("compiled", [True, False], ids=["lexbor", "selectolax"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_line_break_inside_a_paragraph_loses_no_word(
    fmt: str, compiled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexbor, "AVAILABLE", compiled and lexbor.AVAILABLE)
    out = main_text(_page("<p>第一句话写到这里，<br>第二句话从这里接着写完。</p>"), None, fmt)  # type: ignore[arg-type]
    assert "第一句话写到这里，" in out and "第二句话从这里接着写完。" in out
    assert re.sub(r"\s", "", out).count("第一句话写到这里，第二句话从这里接着写完。") == 1


@pytest.mark.parametrize("compiled", [True, False], ids=["lexbor", "selectolax"])
def test_a_tag_list_on_its_own_is_still_chrome(compiled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard is for words inside running text: tag links after the last sentence are chrome."""
    monkeypatch.setattr(lexbor, "AVAILABLE", compiled and lexbor.AVAILABLE)
    tags = (
        '<p>馆方表示，明年还将增加儿童阅览区的座位，并开设更多的周末讲座。'
        '<a class="tag" href="/a">阅览室</a> <a class="tag" href="/b">讲座</a></p>'
    )
    out = main_text(_page(tags))
    assert "开设更多的周末讲座。" in out
    assert "阅览室" not in out
