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
from taoyu.pii.detect import (
    _ID_CHECK,
    _ID_WEIGHTS,
    _classify_phones,
    _findings,
    _resolve_overlaps,
    luhn_ok,
    valid_id18,
)
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


GROUPINGS = st.sampled_from([" ", "-", "."])
WIDE = str.maketrans("0123456789 -.", "０１２３４５６７８９　－．")


@settings(max_examples=200, deadline=None)
@given(region=REGIONS, birth=BIRTHS, seq=st.integers(0, 999), sep=GROUPINGS, five=st.booleans())
def test_an_id_number_written_in_groups_is_found(region, birth, seq, sep, five):
    """6-8-4 (region, birth date, the rest) or 3-3-4-4-4, one separator throughout."""
    number = _make_id(region, birth.strftime("%Y%m%d"), f"{seq:03d}")
    cuts = (3, 6, 10, 14) if five else (6, 14)
    shown = sep.join(number[a:b] for a, b in zip((0, *cuts), (*cuts, 18), strict=True))
    assert kinds(f"身份证{shown}已登记") == [("id_card", shown)]


@settings(max_examples=200, deadline=None)
@given(region=REGIONS, birth=BIRTHS, seq=st.integers(0, 999), card=bank_cards(), sep=GROUPINGS)
def test_full_width_numbers_are_found_as_written_with_or_without_normalize(region, birth, seq, card, sep):
    """Full-width digits (and separators) are found where they stand, their value as written, and
    the same identifiers are found after normalize folds them."""
    from taoyu.steps.normalize import normalize_text

    number = _make_id(region, birth.strftime("%Y%m%d"), f"{seq:03d}")
    mobile = f"139{seq:04d}{seq * 7 % 10000:04d}"
    groups = sep.join(card[i : i + 4] for i in range(0, len(card), 4))
    text = f"身份证{number}，手机：{mobile}（微信同号），银行卡{groups}。"
    wide = text.translate(WIDE)
    expected = [("id_card", number), ("mobile", mobile), ("bank_card", groups)]
    assert kinds(wide) == [(kind, value.translate(WIDE)) for kind, value in expected]
    assert [kind for kind, _ in kinds(normalize_text(wide)[0])] == [kind for kind, _ in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证 330106 19740804 0391 已登记", [("id_card", "330106 19740804 0391")]),
        ("电话 138.1234.5678", [("mobile", "138.1234.5678")]),
        ("手机：１３９５６７４８２７５（微信同号）", [("mobile", "１３９５６７４８２７５")]),
    ],
)
def test_the_forms_people_write_are_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "身份证 330106 19740804 0392",  # a wrong check digit, grouped
        "编号 330106-19740804.0391",  # two separators: not one number written in groups
        "日期 2024.01.01 价格 139.99元",
        "价格１３９．９９元，日期２０２４．０１．０１",
        "热线 400-800-1234，95588",
        "订单 1381 2345 6789 0123",  # four groups of four that fail Luhn
    ],
)
def test_grouped_and_full_width_near_misses_are_never_flagged(text):
    assert kinds(text) == []


def test_redaction_placeholder_and_pseudonym():
    text = "电话13812345678，备用138 1234 5678，邮箱a.b@example.cn"
    redacted, counts = redact(text, find_pii(text))
    assert redacted == "电话<手机号>，备用<手机号>，邮箱<邮箱>"
    assert counts == {"mobile": 2, "email": 1}
    pseudo, _ = redact(text, find_pii(text), "pseudonym")
    assert pseudo == "电话<手机号1>，备用<手机号1>，邮箱<邮箱1>"  # the same number, however written


def test_a_full_width_number_is_the_same_value_and_labelled_the_same():
    """Read as half-width: the same pseudonym as its ASCII twin, the same institutional label
    across an ideographic space, and a private address in full width is still private."""
    text = "手机１３８１２３４５６７８，又写作13812345678"
    pseudo, _ = redact(text, find_pii(text), "pseudonym")
    assert pseudo == "手机<手机号1>，又写作<手机号1>"
    (duty,) = find_pii("值班电话　１３８１２３４５６７８")
    assert duty.institutional and duty.value == "１３８１２３４５６７８"
    private = _doc("内网地址１９２．１６８．１．１" + "，正文" * 10)
    doc = RedactPii(mode="drop_if_dense", max_density=1)(private)
    assert doc.dropped_by is None


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
        "330106 19740804 0391",
        "330-106-1974-0804-0391",
        "１３９５６７４８２７５",
        "138.1234.5678",
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


# --- institutional numbers: an organisation's published numbers are not personal data ---------------

# A school's winter-break notice: six numbers of duty offices, a police station and the school.
# Before institutional numbers were told apart it held 6 findings in ~300 characters (about 20
# per 1,000) and drop_if_dense threw it away as a personal-data dump.
DUTY_NOTICE = (
    "寒假安全告家长书\n"
    "各位家长：寒假将至，为确保学生度过一个平安、愉快的假期，请督促孩子注意交通、用火、用电和饮食安全，"
    "不到江河湖塘游泳、滑冰，外出时告知去向，按时回家。如遇紧急情况，请及时与下列单位联系。\n"
    "市教育局值班电话：0791-86253147，传真：0791-86253150。\n"
    "区教育体育局值班电话：0791-88316042，传真：0791-88316045\n"
    "城东派出所报警电话：0791-88420110\n"
    "青禾实验中学值班电话(安全保卫)：18970213546\n"
    "市民服务热线12345，消费者投诉举报专线12315，客服热线400-820-1234。\n"
    "祝全体同学寒假愉快！\n"
    "青禾实验中学教务处\n"
)
DUTY_NUMBERS = [
    "0791-86253147",
    "0791-86253150",
    "0791-88316042",
    "0791-88316045",
    "0791-88420110",
    "18970213546",
]
PUPILS = ["李明轩", "王子涵", "张雨桐", "刘浩然", "陈思远", "杨梓萱", "赵一诺", "黄俊杰", "周欣怡", "吴宇航"]
PARENT_MOBILES = [f"139{7912 + 37 * i:04d}{2846 + 113 * i:04d}" for i in range(len(PUPILS))]


def test_a_notice_of_duty_office_numbers_is_not_a_personal_data_dump():
    doc = RedactPii(mode="drop_if_dense", max_density=5)(_doc(DUTY_NOTICE))
    assert not doc.is_dropped
    assert doc.text == DUTY_NOTICE  # public numbers are kept as written, service numbers too
    event = doc.trace[-1]
    assert event.details == {"pii": {"org_phone": 6}, "density_per_1k_chars": 0.0}


def test_duty_office_and_fax_numbers_are_classified_institutional():
    found = find_pii(DUTY_NOTICE)
    assert [f.value for f in found] == DUTY_NUMBERS
    assert all(f.institutional and f.category == "org_phone" for f in found)
    assert {f.type for f in found} == {"landline", "mobile"}  # still found as what they are


def test_hotlines_are_never_personal():
    text = (
        "市民服务热线12345，投诉专线12315，客服热线400-820-1234，"
        "售后电话800-830-5678，服务热线：0791-86011234。"
    )
    assert [(f.category, f.value) for f in find_pii(text)] == [("org_phone", "0791-86011234")]
    doc = RedactPii(mode="drop_if_dense")(_doc(text))
    assert not doc.is_dropped and doc.text == text
    assert doc.trace[-1].details["pii"] == {"org_phone": 1}


def test_a_contact_list_of_people_and_mobiles_is_still_dropped():
    roster = "青禾实验中学初二（3）班家长通讯录\n" + "\n".join(
        f"{pupil} 家长手机：{mobile}" for pupil, mobile in zip(PUPILS, PARENT_MOBILES, strict=True)
    )
    assert [f.category for f in find_pii(roster)] == ["mobile"] * len(PUPILS)
    doc = RedactPii(mode="drop_if_dense", max_density=5)(_doc(roster))
    assert doc.is_dropped and doc.dropped_by.reason == "pii_dense"
    assert doc.dropped_by.details["pii"] == {"mobile": len(PUPILS)}


def test_a_persons_mobile_in_a_notice_is_still_redacted():
    text = DUTY_NOTICE + "报名咨询请联系教务处。联系人：王老师 13979120458\n"
    doc = RedactPii(mode="drop_if_dense")(_doc(text))
    assert not doc.is_dropped
    assert "13979120458" not in doc.text and "联系人：王老师 <手机号>" in doc.text
    assert all(number in doc.text for number in DUTY_NUMBERS)
    assert doc.trace[-1].details["pii"] == {"mobile": 1, "org_phone": 6}


@pytest.mark.parametrize(
    "text",
    [
        "省教育厅值班电话：020-83451276",
        "传真：020-83451290",
        "电话/传真：0571-87654321",
        "城东派出所报警电话 0571-87001110",
        "青禾中学值班电话(安全方面):18957120436",
        "学校办公室电话：0571-88137260",
        "卫健委咨询热线：0571-87065432",
        "教务处：0571-87654321",
        "区教育局：0791-88316042",
        "某某大学 Tel: 010-62751234",
        "区人民医院急救电话：0571-86520120",
        "本店电话：13857124680",
        "值班手机号：13912345678",
        "市场监管局举报电话：0571-85102315",
        "总机：0571-87236000转8012",
    ],
)
def test_numbers_an_institution_or_service_labels_are_institutional(text):
    assert [f.category for f in find_pii(text)] == ["org_phone"]


@pytest.mark.parametrize(
    "text",
    [
        "联系人：王老师 13979120458",
        "联系人：张三 值班电话：13979120458",  # a contact person in the clause
        "王老师值班电话：13979120458",  # a person right before the label
        "值班电话：13979120458（李老师）",  # a person right after the number
        "家长手机：13979120458",
        "本人手机号：13979120458",
        "学校家长咨询电话：13979120458",
        "电话13812345678",  # a phone word alone says nothing about whose
        "市政府近日召开会议，会后拨打13812345678",
        "住处电话：0571-87654321",
        "执行电话13812345678",  # 执行 is not a bank branch
        "前所未有13812345678",
        "经市政府13812345678批准",  # an institution's name alone must be followed by a colon or space
        "市教育局值班电话：\n0791-88316042",  # a label on another line claims nothing
        "某某公司张经理手机：13912345678",
        "张三 13812345678，李四 13912345678",
    ],
)
def test_numbers_a_person_or_nothing_labels_stay_personal(text):
    assert all(not f.institutional for f in find_pii(text))
    assert find_pii(text)


ORG_NAMES = st.sampled_from(
    ["市教育局", "省教育厅", "区卫健委", "青禾实验中学", "城东派出所", "第一人民医院", "市政府办"]
)
SERVICE_LABELS = st.sampled_from(
    ["值班电话", "办公电话", "咨询电话", "服务热线", "举报电话", "投诉电话", "传真", "联系电话", "电话"]
)
PEOPLE = st.sampled_from(["王老师", "赵先生", "刘女士", "陈经理", "张医生"])
SEPARATORS = st.sampled_from(["：", ":", " ", "：（24小时）", "(值班室)："])


@st.composite
def phone_numbers(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(["138", "159", "186", "177"])) + "".join(
            draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8))
        )
    area = draw(st.sampled_from(["010", "021", "0571", "0791"]))
    local = str(draw(st.integers(2, 8))) + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7))
    )
    return f"{area}-{local}"


@settings(max_examples=300, deadline=None)
@given(
    org=ORG_NAMES,
    label=SERVICE_LABELS,
    sep=SEPARATORS,
    number=phone_numbers(),
    person=PEOPLE,
    where=st.sampled_from(["contact", "before", "inside", "after"]),
)
def test_an_institutions_label_makes_a_number_institutional_and_a_person_undoes_it(
    org, label, sep, number, person, where
):
    line = f"{org}{label}{sep}{number}"
    assert [(f.value, f.institutional) for f in find_pii(line)] == [(number, True)]
    personal = {
        "contact": f"联系人：{person} {line}",
        "before": f"{org}{person}{label}{sep}{number}",
        "inside": f"{org}{label}（{person}）：{number}",
        "after": f"{line}（{person}）",
    }[where]
    assert [(f.value, f.institutional) for f in find_pii(personal)] == [(number, False)]


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.booleans(), ORG_NAMES, SERVICE_LABELS, phone_numbers(), st.sampled_from(PUPILS)),
        min_size=1,
        max_size=12,
        unique_by=lambda line: line[3],  # one number is one line's
    )
)
def test_only_personal_numbers_count_towards_density(lines):
    text = "\n".join(
        f"{org}{label}：{number}" if public else f"{pupil} 家长手机：{number}"
        for public, org, label, number, pupil in lines
    )
    doc = RedactPii(mode="drop_if_dense", max_density=1e9)(_doc(text))
    personal = sum(not public for public, *_ in lines)
    assert doc.trace[-1].details["density_per_1k_chars"] == round(1000 * personal / len(text), 3)
    for public, _org, _label, number, _pupil in lines:
        assert (number in doc.text) == public


LABEL_PIECES = st.sampled_from(
    [
        "市教育局", "青禾中学", "派出所", "教务处", "本店", "营业厅", "值班", "咨询", "举报", "传真", "热线",
        "总机", "电话", "联系电话", "手机", "号码", "Tel", "Fax", "的", "/", "、", "：", ":", " ", "是",
        "（24小时）", "(安全方面)", "）", "（", "，", "。", "\n", "联系人", "王老师", "家长", "住处",
        "局", "处", "所", "行", "厅",
    ]
)  # fmt: skip


NUMBER_PIECES = st.sampled_from(["13912345678", "0791-88316042", "(010)62345678", "18970213546"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.lists(LABEL_PIECES, max_size=5), NUMBER_PIECES), max_size=4))
def test_the_label_screen_settles_only_numbers_no_label_could_claim(lines) -> None:
    text = "".join("".join(words) + number for words, number in lines)
    found = _resolve_overlaps(_findings(text, screen=True))
    assert _classify_phones(text, found, screen=True) == _classify_phones(text, found, screen=False)


def test_institutional_numbers_can_be_redacted_too():
    doc = RedactPii(mode="drop_if_dense", org_phones="redact")(_doc(DUTY_NOTICE))
    assert not doc.is_dropped
    assert not any(number in doc.text for number in DUTY_NUMBERS)
    assert "市教育局值班电话：<电话>，传真：<电话>。" in doc.text and "(安全保卫)：<手机号>" in doc.text
    assert doc.trace[-1].details["pii"] == {"org_phone": 6}


def test_ledger_counts_institutional_numbers_apart_and_never_their_values(tmp_path: Path):
    from taoyu import Pipeline

    text = DUTY_NOTICE + "联系人：王老师 13979120458\n"
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": text}])
    out = tmp_path / "out"
    Pipeline([RedactPii(mode="drop_if_dense")]).run([str(path)], out, workers=1)
    ledger = json.dumps(ledger_rows(out), ensure_ascii=False)
    assert "org_phone" in ledger and "13979120458" not in ledger
    assert not any(number in ledger for number in DUTY_NUMBERS)


def test_the_credits_extraction_took_out_are_redacted_too():
    # They reach the output in meta: none may carry a phone number the text would have lost.
    doc = _doc("这是一段正常的文字内容，没有任何个人信息，只是一篇普通的报道。")
    doc.meta["credits"] = ["来源：某某 电话：13812345678", "作者：张三"]
    RedactPii()(doc)
    assert "13812345678" not in "".join(doc.meta["credits"]) and doc.meta["credits"][1] == "作者：张三"
