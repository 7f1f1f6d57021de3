"""Picture captions: read as the article's when written in Chinese or Japanese, left out when
written in an alphabet (as the human gold of English pages leaves them out), unless the page is a
gallery whose captions are its text. Through the compiled lexbor reader and the selectolax
fallback."""

from __future__ import annotations

import pytest

from taoyu.extract import lexbor, main_text

pytestmark = pytest.mark.usefixtures("compiled_kernels")  # the compiled code is what is tested

_EN = [
    f"Paragraph {i}: the city council met on Tuesday to argue about the new bus lanes and the fees "
    "that drivers will pay to park in the centre from next spring."
    for i in range(6)
]
_ZH = [
    f"第{i}段：记者在新区市民中心看到，前来办事的群众排起了长队，窗口工作人员耐心地解答各种问题。"
    for i in range(6)
]


def _article(paragraphs: list[str], caption: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    body += f"<figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure>"
    body += "".join(f"<p>{p}</p>" for p in paragraphs[2:])
    return f"<html><body><div class='main'><article>{body}</article></div></body></html>"


@pytest.fixture(params=[True, False], ids=["lexbor", "selectolax"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexbor, "AVAILABLE", request.param and lexbor.AVAILABLE)


@pytest.mark.usefixtures("reader")
def test_an_english_caption_and_its_credit_are_left_out() -> None:
    caption = "A bus waits at the new stop on Market Street. <span>Credit: Getty Images</span>"
    assert main_text(_article(_EN, caption)).splitlines() == _EN


@pytest.mark.usefixtures("reader")
@pytest.mark.parametrize(
    "caption",
    [
        "2019年10月底的新区市民中心，该区域为新区成立后第一处地标区域。",
        "图为 Market Street 的新车站",
        "市民中心の夜景",
    ],
)
def test_a_caption_in_chinese_or_japanese_is_read(caption: str) -> None:
    lines = main_text(_article(_ZH, caption)).splitlines()
    assert lines == [*_ZH[:2], caption, *_ZH[2:]]


@pytest.mark.usefixtures("reader")
def test_a_gallerys_captions_are_its_text() -> None:
    """Captions holding half of the page's text or more are what the page is about."""
    captions = [
        f"Picture {i}: the old tram depot on the river, before the city turned it into a market hall."
        for i in range(8)
    ]
    figures = "".join(
        f"<figure><img src='{i}.jpg'><figcaption>{c}</figcaption></figure>" for i, c in enumerate(captions)
    )
    page = f"<html><body><article><p>{_EN[0]}</p>{figures}</article></body></html>"
    assert main_text(page).splitlines() == [_EN[0], *captions]
