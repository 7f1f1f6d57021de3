"""PII: every format is found glued to Chinese text, and no near miss is ever flagged."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu import Document, Source
from taoyu.pii import find_pii, redact
from taoyu.pii.detect import _ID_CHECK, _ID_WEIGHTS, _findings, luhn_ok, valid_id18
from taoyu.steps.redact_pii import RedactPii

from .conftest import ledger_rows, run_cli, write_jsonl

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example number


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.type, f.value) for f in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证号{VALID_ID}，", [("id_card", VALID_ID)]),
        ("身份证：110105491231002", [("id_card", "110105491231002")]),  # old 15-digit form
        ("电话13812345678。", [("mobile", "13812345678")]),
        ("手机：138 1234 5678", [("mobile", "138 1234 5678")]),
        ("联系138-1234-5678吧", [("mobile", "138-1234-5678")]),
        ("请拨+86 13812345678", [("mobile", "+86 13812345678")]),
        ("号码008613812345678", [("mobile", "008613812345678")]),
        ("座机0571-87654321转123", [("landline", "0571-87654321转123")]),
        ("电话（010）62345678", [("landline", "（010）62345678")]),
        ("电话 (021)62345678", [("landline", "(021)62345678")]),
        ("固话：057187654321", [("landline", "057187654321")]),
        ("卡号6222021234567890128到账", [("bank_card", "6222021234567890128")]),
        ("卡号 6222 0212 3456 7890 128", [("bank_card", "6222 0212 3456 7890 128")]),
        ("邮箱zhang.san@example.com。", [("email", "zhang.san@example.com")]),
        ("来自192.168.1.10的访问", [("ipv4", "192.168.1.10")]),
        ("地址2001:db8:85a3::8a2e:370:7334可用", [("ipv6", "2001:db8:85a3::8a2e:370:7334")]),
        ("护照号码：E12345678", [("passport", "E12345678")]),
        ("港澳通行证号码：C12345678", [("hk_macau_permit", "C12345678")]),
        ("加QQ：123456789", [("qq", "123456789")]),
        ("微信号：zhangsan_88，", [("wechat", "zhangsan_88")]),
        ("WeChat: zhang_san1", [("wechat", "zhang_san1")]),
        ("WECHAT：zhang_san1", [("wechat", "zhang_san1")]),  # its pattern knew it, its trigger words did not
        ("访问www.abc.com联系电话13812345678", [("mobile", "13812345678")]),  # a bare domain ends at CJK
        ("Tel13812345678", [("mobile", "13812345678")]),
        ("卡号621702010006220001", [("bank_card", "621702010006220001")]),  # not an ID born in 0100
        ("生于1986 13812345678", [("mobile", "13812345678")]),  # the 86 of a year is no country code
    ],
)
def test_each_format_is_found_glued_to_chinese(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "身份证号11010519491231002Y",  # bad check digit
        "身份证号110105194912310021",  # valid shape, wrong checksum
        "编号110105194902300028",  # 30 February
        "号码1101051949123100",  # wrong length
        "热线12345678901",  # 12x is not an allocated mobile prefix
        "号码1381234567",  # ten digits
        "号码138123456789",  # twelve digits
        "客服400-800-1234，投诉800-820-8820",  # business numbers
        "会议于2023-11-26 12:30:45举行",  # dates and times
        "价格￥1999.00，共计12,345元",
        "订单号6222021234567890128",  # Luhn-valid, but an order number
        "运单号 6222021234567890128",
        "ISBN 978-7-111-12345-6",
        "卡号6222021234567890127",  # fails Luhn
        "TSO 435214495848857605",  # an 18-digit timestamp starting with 4 is not a Visa card
        "见 https://news.example.cn/2023/1126/13812345678.html",  # digits in a URL path
        "版本 1.2.3.4 已发布",
        "时间12:30:45",
        "型号E12345678",  # no passport context
        "关注微信公众号",
        "@人民日报 发布",
        "联系人：张三",
        "订单号：110105491231002",  # the old 15-digit ID shape, as an order number
        "订单号：3201 0519 8805 1234",
        "依照第5.1.3.2条执行",
        "使用WeChat Official Accounts",
        "下载微信Android版",
        "图标 logo@2x.png",
        "公式 x².1.2.3",
    ],
)
def test_near_misses_are_never_flagged(text):
    assert kinds(text) == []


def test_type_filter_applies_before_overlaps():
    from taoyu.pii.detect import QQ

    assert kinds("QQ：13812345678") == [("mobile", "13812345678")]
    assert [(f.type, f.value) for f in find_pii("QQ：13812345678", frozenset({QQ}))] == [
        ("qq", "13812345678")
    ]


def test_pii_in_a_url_query_is_still_pii():
    assert kinds("https://x.cn/reg?phone=13812345678") == [("mobile", "13812345678")]


def test_id_number_wins_over_card_where_both_would_match():
    # 62xxxx is both a Gansu region code and the UnionPay prefix.
    number = _make_id("620102", "19800101", "123")
    assert kinds(f"证件{number}") == [("id_card", number)]


def _make_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


REGIONS = st.sampled_from(["110105", "310104", "330106", "440305", "510107", "620102", "650102"])
BIRTHS = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))
GLUE = st.sampled_from(["", "，", "号码", "：", " ", "。"])


@settings(max_examples=300, deadline=None)
@given(region=REGIONS, birth=BIRTHS, seq=st.integers(0, 999), before=GLUE, after=GLUE)
def test_every_valid_id_is_found(region, birth, seq, before, after):
    number = _make_id(region, birth.strftime("%Y%m%d"), f"{seq:03d}")
    assert valid_id18(number)
    assert kinds(f"张三{before}{number}{after}住址") == [("id_card", number)]


@st.composite
def bank_cards(draw):
    prefix = draw(st.sampled_from(["6222", "6217", "6228", "6212", "4367", "5187"]))
    length = draw(st.sampled_from([16, 17, 18, 19])) if prefix.startswith("62") else 16
    digits = draw(st.lists(st.sampled_from("0123456789"), min_size=length - 5, max_size=length - 5))
    body = prefix + "".join(digits)
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    return body + check


@settings(max_examples=300, deadline=None)
@given(card=bank_cards(), spaced=st.booleans(), before=GLUE)
def test_every_valid_card_is_found(card, spaced, before):
    shown = " ".join(card[i : i + 4] for i in range(0, len(card), 4)) if spaced else card
    assert kinds(f"银行卡{before}{shown}。") == [("bank_card", shown)]


@settings(max_examples=200, deadline=None)
@given(card=bank_cards())
def test_a_card_with_a_wrong_check_digit_is_never_flagged(card):
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert kinds(f"卡号{wrong}") == []


def test_redaction_placeholder_and_pseudonym():
    text = "电话13812345678，备用138 1234 5678，邮箱a.b@example.cn"
    redacted, counts = redact(text, find_pii(text))
    assert redacted == "电话<手机号>，备用<手机号>，邮箱<邮箱>"
    assert counts == {"mobile": 2, "email": 1}
    pseudo, _ = redact(text, find_pii(text), "pseudonym")
    assert pseudo == "电话<手机号1>，备用<手机号1>，邮箱<邮箱1>"  # the same number, however written


def _doc(text: str) -> Document:
    return Document("d", text, Source("mem", 0))


def test_step_records_counts_never_values():
    doc = RedactPii()(_doc(f"联系人电话13812345678，身份证{VALID_ID}。这是一段正常的文字内容。"))
    assert "13812345678" not in doc.text and VALID_ID not in doc.text
    event = doc.trace[-1]
    assert event.details["pii"] == {"id_card": 1, "mobile": 1}
    assert "13812345678" not in json.dumps(event.as_dict(), ensure_ascii=False)


def test_step_drops_personal_data_dumps():
    dump = "\n".join(f"张{i} 13812345{i:03d} 邮箱u{i}@example.cn" for i in range(50))
    doc = RedactPii(mode="drop_if_dense", max_density=5)(_doc(dump))
    assert doc.is_dropped and doc.dropped_by.reason == "pii_dense"
    assert doc.dropped_by.score > 5 and doc.dropped_by.threshold == 5
    ok = RedactPii(mode="drop_if_dense")(_doc("正文很长的一篇文章，" * 50 + "电话13812345678"))
    assert not ok.is_dropped and "<手机号>" in ok.text


def test_unknown_type_is_a_validation_error():
    with pytest.raises(ValueError, match="unknown PII types"):
        RedactPii(types=["phone"])


def test_step_in_a_run_keeps_values_out_of_the_ledger(tmp_path: Path):
    from taoyu import Pipeline

    path = write_jsonl(tmp_path / "a.jsonl", [{"text": "请联系13812345678或邮箱x@example.com"}])
    out = tmp_path / "out"
    Pipeline([RedactPii()]).run([str(path)], out, workers=1)
    ledger = json.dumps(ledger_rows(out), ensure_ascii=False)
    assert "13812345678" not in ledger and "x@example.com" not in ledger
    assert '\\"mobile\\":1' in ledger or '"mobile":1' in ledger


def test_cli_reports_and_redacts(tmp_path: Path):
    path = tmp_path / "t.txt"
    path.write_text("第一行\n电话13812345678，邮箱a@example.cn\n", encoding="utf-8")
    report = run_cli("pii", str(path), check=True)
    assert "mobile" in report.stdout and "email" in report.stdout and "13812345678" not in report.stdout
    redacted = run_cli("pii", "--redact", str(path), check=True)
    assert redacted.stdout == "第一行\n电话<手机号>，邮箱<邮箱>\n"
    missing = run_cli("pii", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


PII_PIECES = st.sampled_from(
    [
        "110105194912310021",
        "110105491231002",
        "6222 0212 3456 7894",
        "138 1234 5678",
        "+86 13812345678",
        "(010)6552-1234",
        "电话：057187654321",
        "QQ：123456789",
        "微信号：abc_12345",
        "WECHAT：abc_12345",
        "座机：02161234567",
        "护照E12345678",
        "a.b@example.com",
        "192.168.1.1",
        "2001:db8::1",
        "٣٨١٢٣٤٥٦٧٨٩٠١٢٣٤٥",
    ]
)
PII_NOISE = st.text(alphabet="0123456789١٢٣０１２ -()（）：:.@xX转号码电话微信护照QqWwvx，。年", max_size=24)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PII_PIECES, PII_NOISE), max_size=8))
def test_screens_skip_only_detectors_that_could_not_fire(parts: list[str]) -> None:
    text = "".join(parts)
    assert _findings(text, screen=True) == _findings(text, screen=False)
