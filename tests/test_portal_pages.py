"""A portal's article page through zh-web.yaml, end to end (a real CLI run over HTML files), in
Traditional and in Simplified: the article is kept whole, every chrome line around it goes, and
the two scripts are treated alike. The page is written for the tests (no third-party text)."""

from __future__ import annotations

from pathlib import Path

import opencc
import pyarrow.parquet as pq
import pytest

from .conftest import ledger_rows, run_cli
from .zh_hant_fixtures import HANT_BOOKSHOP

_RELATED = ["市立圖書館週末延長開放時間", "老街咖啡館推出讀書角", "文化局公布年度閱讀報告"]
# The chrome a Taiwan portal puts around an article, one line of each kind.
_CHROME = [
    "您現在的位置：首頁 > 文化 > 正文",
    "記者林佳慧／台北報導",
    "字級：小 中 大",
    "責任編輯：王曉明",
    "分享到：Facebook LINE 轉寄",
    "相關新聞",
    "本網站著作權所有，轉載必究",
]


def _page(script: opencc.OpenCC | None) -> str:
    def s(text: str) -> str:
        return script.convert(text) if script is not None else text

    paragraphs = "".join(f"<p>{s(line)}</p>" for line in HANT_BOOKSHOP)
    related = "".join(f'<li><a href="/n/{i}.html">{s(title)}</a></li>' for i, title in enumerate(_RELATED))
    return (
        '<html><head><meta charset="utf-8">'
        f'<title>{s("獨立書店開業十週年 - 示例新聞網")}</title></head><body>'
        f'<div class="top"><a href="/">{s("首頁")}</a> <a href="/news">{s("新聞")}</a></div>'
        f'<div class="crumb">{s(_CHROME[0])}</div>'
        f'<div class="main"><h1>{s("獨立書店開業十週年")}</h1>'
        f'<div class="info">{s(_CHROME[1])}　2026-03-01 10:20</div><div class="font">{s(_CHROME[2])}</div>'
        f'<div class="article-body">{paragraphs}<p>{s(_CHROME[3])}</p></div>'
        f'<div class="share">{s(_CHROME[4])}</div>'
        f"<div><h3>{s(_CHROME[5])}</h3><ul>{related}</ul></div></div>"
        f'<div class="copy">{s(_CHROME[6])} © 2026</div></body></html>'
    )


@pytest.fixture(scope="module")
def portal_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, opencc.OpenCC]:
    pages = tmp_path_factory.mktemp("pages")
    to_simplified = opencc.OpenCC("t2s")
    (pages / "hant.html").write_text(_page(None), encoding="utf-8")
    (pages / "hans.html").write_text(_page(to_simplified), encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    run_cli("run", "recipes/zh-web.yaml", "--input", str(pages), "--output", str(out), check=True)
    return out, to_simplified


@pytest.mark.parametrize("script", ["hant", "hans"])
def test_a_portal_article_is_kept_whole_and_its_chrome_goes(
    portal_run: tuple[Path, opencc.OpenCC], script: str
) -> None:
    out, to_simplified = portal_run
    rows = {Path(row["source_file"]).stem: row for row in ledger_rows(out)}
    assert rows[script]["outcome"] == "kept", rows[script]
    kept = {Path(row["source_file"]).stem: row["text"] for row in pq.read_table(out / "data").to_pylist()}
    lines = [line.strip() for line in kept[script].split("\n") if line.strip()]

    def s(text: str) -> str:
        return to_simplified.convert(text) if script == "hans" else text

    for sentence in HANT_BOOKSHOP:
        assert s(sentence) in lines
    for chrome in [*_CHROME, *_RELATED]:
        assert not any(s(chrome) in line for line in lines), chrome
