"""Finding Chinese PII: ID numbers, phones, bank cards, emails, IPs, passports, QQ and WeChat IDs.

Two rules shape every pattern here:

* **Boundaries are digit and letter boundaries, never ``\\b``.** Python's ``\\b`` treats Han
  characters as word characters, so ``电话13812345678。`` has no word boundary before the number;
  the anchors that rely on ``\\b`` miss exactly the way Chinese text writes numbers.
* **A number is PII only if it is valid as one.** ID numbers must pass the GB 11643 MOD 11-2
  check with a real birth date and province; bank cards must pass Luhn and start like a card;
  mobile numbers must carry an allocated prefix. Dates, prices, order and tracking numbers,
  ISBNs and numbers inside URLs fail these tests or are excluded by their context.

A phone number is personal data only when it is a person's. Numbers an organisation or a public
service publishes (``教育局值班电话：``, ``传真：``, ``服务热线：``) are still found, as mobiles and
landlines, but marked ``institutional`` (``_classify_phones``): the redaction step keeps them,
counts them as ``org_phone`` and never as personal data.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from taoyu.jit import kernel
from taoyu.text import chars
from taoyu.text.chars import char_flags, codes
from taoyu.text.literals import WordLists
from taoyu.text.script import text_of

ID_CARD, MOBILE, LANDLINE, BANK_CARD = "id_card", "mobile", "landline", "bank_card"
EMAIL, IPV4, IPV6, PASSPORT, HK_MACAU_PERMIT, QQ, WECHAT = (
    "email",
    "ipv4",
    "ipv6",
    "passport",
    "hk_macau_permit",
    "qq",
    "wechat",
)
PII_TYPES = (ID_CARD, MOBILE, LANDLINE, BANK_CARD, EMAIL, IPV4, IPV6, PASSPORT, HK_MACAU_PERMIT, QQ, WECHAT)
ORG_PHONE = "org_phone"
"""What an institutional mobile or landline finding is counted as (``Finding.category``): an
organisation's or a public service's number, public, not personal data. Not a type to ask
``find_pii`` for: the mobile and landline detectors find these numbers."""

# When two findings overlap, the more specific (validated) one wins.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        (ID_CARD, BANK_CARD, EMAIL, PASSPORT, HK_MACAU_PERMIT, MOBILE, LANDLINE, QQ, WECHAT, IPV6, IPV4)
    )
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found: its type, its span in the text, and its value as written there."""

    type: str
    start: int
    end: int
    value: str
    institutional: bool = False
    """A mobile or landline its context labels as an organisation's (值班电话, 传真, 某某局电话)."""

    @property
    def category(self) -> str:
        """The type, or ``org_phone`` for an institutional number: what counts are kept under."""
        return ORG_PHONE if self.institutional else self.type


# --- resident ID numbers (GB 11643-1999) ------------------------------------------------------------

# Province-level codes that begin every resident ID number.
_PROVINCES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id18_checksum_ok(number: str) -> bool:
    """Whether an 18-character ID number's last character is its GB 11643 MOD 11-2 check digit."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


_LATEST_BIRTH = _dt.date(2030, 12, 31)
"""A fixed horizon, not today: the same input must give the same output whatever day it runs."""


def _valid_date(year: int, month: int, day: int) -> bool:
    if year < 1900:
        return False
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        return False
    return born <= _LATEST_BIRTH


def valid_id18(number: str) -> bool:
    """Whether an 18-digit number is a resident ID: a province, a real birth date, its check digit."""
    return (
        number[:2] in _PROVINCES
        and _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        and id18_checksum_ok(number)
    )


def valid_id15(number: str) -> bool:
    """Whether a 15-digit number is an old-form resident ID (no check digit): a province and a real
    birth date in the 1900s."""
    return number[:2] in _PROVINCES and _valid_date(
        1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
    )


# --- phones --------------------------------------------------------------------------------------------
#
# Patterns start with a literal where they can: Python's re scans for a literal prefix in C, 40x
# faster than trying a pattern that opens with a lookbehind at every position. Boundaries are
# checked afterwards in Python instead (``_free``).

# Allocated mobile prefixes (MIIT numbering plan), so 12x/10x/11x never match.
_MOBILE = re.compile(
    r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])(?:[ \-]?\d{4}[ \-]?|\.\d{4}\.)\d{4}"
)
_PHONE_WORD_BEFORE = re.compile(r"(?:tel|Tel|TEL|phone|Phone|PHONE|mobile|Mobile|MOBILE|fax|Fax|FAX)\.?$")
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\+|00)?86[ \-]?$")
# Area code (010, 02x or 0[3-9]xx) then a 7-8 digit local number that starts 2-8, with a
# separator or brackets: the bare 11-12 digit form is too ambiguous without a context word.
_LOCAL = r"[ ]?[2-8]\d{2,3}[ \-]?\d{4}(?:[ \-]?(?:转|ext\.?|x)\d{1,5})?"
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[ \-]" + _LOCAL)
_LANDLINE_BRACKETED = (
    re.compile(r"\(0(?:10|2\d|[3-9]\d{2})\)" + _LOCAL),
    re.compile(r"（0(?:10|2\d|[3-9]\d{2})）" + _LOCAL),
)
_LANDLINE_BARE = re.compile(
    r"(?:电话|座机|固话|tel|Tel|TEL|联系方式)[：: ]{0,2}(0(?:10|2\d|[3-9]\d{2})[2-8]\d{6,7})"
)
_LANDLINE_WORDS = ("电话", "座机", "固话", "tel", "Tel", "TEL", "联系方式")

# --- long numbers: ID cards and bank cards ---------------------------------------------------------------

_LONG_NUMBER = re.compile(r"\d{15,19}[Xx]?")
_SPACED_GROUPS = re.compile(r"[ \-.]\d{4}[ \-.]\d{4}[ \-.]\d{4}")
_SPACED_CARD = re.compile(r"\d{4}(?:[ \-.]\d{4}){3}(?:[ \-.]?\d{1,3})?")
# ID numbers written in groups: region, birth date, the rest (6-8-4) or 3-3-4-4-4, one separator
# throughout (a space, a dash or a dot).
_GROUPED_ID = re.compile(
    r"(?<!\d)(?:\d{6}(?P<a>[ \-.])\d{8}(?P=a)\d{3}[\dXx]"
    r"|\d{3}(?P<b>[ \-.])\d{3}(?P=b)\d{4}(?P=b)\d{4}(?P=b)\d{3}[\dXx])(?!\d)"
)
# Issuer prefixes and the lengths each scheme issues: an 18-digit number starting with 4 is a
# database timestamp, not a Visa card.
_CARD_PREFIX = re.compile(
    r"(?:(?P<unionpay>62|81)|(?P<visa>4)|(?P<mastercard>5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))"
    r"|(?P<jcb>35)|(?P<discover>60|65))"
)
_CARD_LENGTHS = {
    "unionpay": {16, 17, 18, 19},
    "visa": {16},
    "mastercard": {16},
    "jcb": {16, 17, 18, 19},
    "discover": {16, 19},
}
_NOT_A_CARD_CONTEXT = re.compile(
    r"(?:订单|单号|运单|快递|物流|流水|编号|交易号|序列号|ISBN|isbn|工单|发票|批次|条码|追踪)[^\n]{0,6}$"
)


def luhn_ok(digits: str) -> bool:
    """Whether a card number passes the Luhn check, as every bank card's last digit does."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _is_card(digits: str) -> bool:
    prefix = _CARD_PREFIX.match(digits)
    return prefix is not None and len(digits) in _CARD_LENGTHS[prefix.lastgroup or ""] and luhn_ok(digits)


# --- the rest ------------------------------------------------------------------------------------------

_EMAIL_DOMAIN = re.compile(r"@(?:[A-Za-z0-9\-]{1,63}\.)+[A-Za-z]{2,24}")
_FILE_EXTENSIONS = frozenset(
    (
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "svg",
        "bmp",
        "ico",
        "css",
        "js",
        "json",
        "html",
        "htm",
        "pdf",
        "mp4",
        "zip",
    )
)
_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}$")
_IPV4_TAIL = re.compile(r"\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})")
_CLAUSE_UNITS = frozenset("条节款章项版")
_VERSION_CONTEXT = re.compile(r"(?:[vV]|版本|version|Version|ver\.?)[ :：]?$")
_IPV6_CORE = re.compile(r":[0-9A-Fa-f]{0,4}:")
_HEX_OR_COLON = frozenset("0123456789abcdefABCDEF:")
_PASSPORT = re.compile(
    r"(?:护照|passport|Passport|PASSPORT)[^\n，。；]{0,8}?(?<![A-Za-z0-9])([EGDSP][A-Z0-9]?\d{7,8})(?![A-Za-z0-9])"
)
_PERMIT = re.compile(
    r"(?:通行证|回乡证|港澳证)[^\n，。；]{0,8}?(?<![A-Za-z0-9])([CWH][A-Z0-9]?\d{7,8})(?![A-Za-z0-9])"
)
_QQ = re.compile(r"(?:QQ|qq|Qq|扣扣)(?:号码|号|群)?[ ]?[：:]?[ ]?([1-9]\d{4,10})(?![0-9])")
# The keyword must introduce an ID: "微信号", "加微信", or a keyword and a colon. After a bare "微信"
# the ID must hold a digit or underscore, as account IDs do and product names ("微信Android版",
# "WeChat Official Accounts") do not.
_WECHAT_ID = r"([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])"
_WECHAT = re.compile(
    r"(?:(?:微信号|加我?的?微信)[ ]?[：:]?|(?:微信|wechat|WeChat|WECHAT|vx|VX|wx|WX)号?[ ]?[：:])[ ]?"
    + _WECHAT_ID
    + r"|微信[ ]?(?=[A-Za-z][-_A-Za-z0-9]*[_0-9])"
    + _WECHAT_ID.replace("(", "(?P<bare>", 1)
)
_URL = re.compile(r"(?:https?://|www\.)[!#-;=?-~]+")  # printable ASCII: never the Chinese text after it
_PII_QUERY_KEY = re.compile(r"(?:phone|mobile|tel|idcard|id_card|sfz|card)=$", re.IGNORECASE)

_CONTEXT_PATTERNS = ((_PASSPORT, PASSPORT), (_PERMIT, HK_MACAU_PERMIT), (_QQ, QQ), (_WECHAT, WECHAT))
# Per pattern above (and the bare landline pattern), the words one of which each of its matches
# holds: a page without them is not searched. All are looked for in one pass (``WordLists``).
_CONTEXT_WORDS = WordLists(
    {
        PASSPORT: ("护照", "assport", "ASSPORT"),
        HK_MACAU_PERMIT: ("通行证", "回乡证", "港澳证"),
        QQ: ("QQ", "qq", "Qq", "扣扣"),
        WECHAT: ("微信", "wechat", "WeChat", "WECHAT", "vx", "VX", "wx", "WX"),
        LANDLINE: _LANDLINE_WORDS,
    }
)


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _free(text: str, start: int, end: int) -> bool:
    """No ASCII letter or digit touches the span: CJK text around it is fine."""
    return (start == 0 or not _alnum(text[start - 1])) and (end >= len(text) or not _alnum(text[end]))


def find_pii(text: str, types: frozenset[str] | None = None) -> list[Finding]:
    """All PII findings in ``text`` (of ``types``, default all), without overlaps, in order of position.

    Types are filtered before overlaps are resolved, so asking only for QQ numbers still finds
    "QQ：13812345678" even though the digits also read as a mobile number.
    """
    found, read = _read(text, screen=True)
    if types is not None:
        found = [f for f in found if f.type in types]
    if not found:
        return []
    if "://" in read or "www." in read:
        urls = [(m.start(), m.end()) for m in _URL.finditer(read)]
        found = [f for f in found if not _inside_url_but_not_pii(f, read, urls)]
    # Classified on the text as read (half-width: 值班电话　１３８… is labelled as 值班电话：138… is),
    # then given their values as the text writes them.
    found = _classify_phones(read, _resolve_overlaps(found))
    return found if read is text else [_as_written(f, text) for f in found]


def half_width(value: str) -> str:
    """A value as it is read: full-width digits, letters and number marks as ASCII (a finding's
    value keeps the page's own characters; compare and parse it in this form). The same mapping
    the detectors read the page through (:func:`_half_width`)."""
    return text_of(_half_width(codes(value)))


def _as_written(finding: Finding, text: str) -> Finding:
    """The finding with its value as the text writes it (found in the half-width reading)."""
    return Finding(
        finding.type, finding.start, finding.end, text[finding.start : finding.end], finding.institutional
    )


def _findings(text: str, screen: bool) -> list[Finding]:
    """Every detector's findings, overlaps and all. With ``screen``, detectors the page cannot
    feed are skipped: one compiled pass measures its digit runs, and one looks for every context
    word (a ``\\d`` pattern costs a regex step per character even where no digit is). Without it
    every detector runs, which is what tests compare the screens against."""
    return _read(text, screen)[0]


def _read(text: str, screen: bool) -> tuple[list[Finding], str]:
    """:func:`_findings`, and the text as the detectors read it (``text`` itself, or its
    half-width form when it holds full-width digits or letters: the same places)."""
    points = codes(text)
    longest, runs_of_4, wide, grouped = _digit_runs(points, char_flags())
    if wide:  # read as half-width, at the same places (find_pii takes the values from the original)
        points = _half_width(points)
        text = text_of(points)
    if screen:
        words = _CONTEXT_WORDS.present_in(points)
    else:
        longest = runs_of_4 = len(text)
        grouped = True
        words = dict.fromkeys(_CONTEXT_WORDS.names, True)
    found: list[Finding] = []
    if longest >= 15:  # an ID or card number is one run of 15-19 digits
        found.extend(_long_numbers(text))
    if runs_of_4 >= 3:  # a spaced card shows at least three groups of four
        found.extend(_spaced_cards(text))
    if grouped:  # runs of digits in an ID number's groups (330106 19740804 039X)
        found.extend(_grouped_ids(text))
    if runs_of_4:  # every phone pattern holds four digits in a row
        found.extend(_mobiles(text))
        found.extend(_landlines(text, words[LANDLINE]))
    if "@" in text:
        found.extend(_emails(text))
    if "." in text:
        found.extend(_ipv4(text))
    if ":" in text:
        found.extend(_ipv6(text))
    for pattern, kind in _CONTEXT_PATTERNS:
        if words[kind]:
            for m in pattern.finditer(text):
                group = 1 if m.group(1) is not None else m.lastindex or 1
                found.append(Finding(kind, m.start(group), m.end(group), m.group(group)))
    return found, text


@kernel
def _digit_runs(points: np.ndarray, flags: np.ndarray) -> tuple[int, int, bool, bool]:
    """The longest run of decimal digits (re's ``\\d``) in ``points``; how many runs have four or
    more; whether a character :func:`_half_width` changes is there; and whether runs of digits
    stand in an ID number's groups (6-8-4 or 3-3-4-4-4, a final X counted as a digit, one
    separator throughout: what :data:`_GROUPED_ID` needs, or its full-width form). The work for a
    run is done where it ends: most characters cost one table read."""
    longest = runs_of_4 = run = 0
    wide = grouped = False
    chain = np.zeros(6, np.int64)  # chain[0]: runs in the chain; chain[1..4]: their lengths, latest first
    chain[5] = -1  # the chain's separator
    n = len(points)
    for i in range(n):
        c = points[i]
        if flags[c] & chars.DECIMAL:
            run += 1
            if run == 4:
                runs_of_4 += 1
            if run > longest:
                longest = run
            if c >= 0xFF10:
                wide = True
            continue
        if run:
            # Most runs end at a word ("2024年") with no chain before them: nothing to do.
            if chain[0] or _separator(c) >= 0 or c == 88 or c == 120 or c == 0xFF38 or c == 0xFF58:
                nxt = points[i + 1] if i + 1 < n else -1
                follows = nxt >= 0 and (flags[nxt] & chars.DECIMAL) != 0
                grouped = _run_ended(chain, run, c, follows) or grouped
                wide = wide or (c == 0x3000 and follows)  # an ideographic space between digits
            run = 0
        if c >= 0xFF0B and not wide:
            wide = _is_wide(c)
    if run:
        grouped = _run_ended(chain, run, -1, False) or grouped
    return longest, runs_of_4, wide, grouped


@kernel
def _run_ended(chain: np.ndarray, run: int, after: int, follows: bool) -> bool:
    """A run of ``run`` digits ended at ``after`` (-1: the text's end; ``follows``: a digit comes
    next): whether it completes an ID number's groups, and the chain carried on or cut."""
    length = run + (after == 88 or after == 120 or after == 0xFF38 or after == 0xFF58)  # a check digit X
    count, r1, r2, r3, r4 = chain[0], chain[1], chain[2], chain[3], chain[4]
    done = (count >= 2 and r2 == 6 and r1 == 8 and length == 4) or (
        count >= 4 and r4 == 3 and r3 == 3 and r2 == 4 and r1 == 4 and length == 4
    )
    mark = _separator(after)
    if mark >= 0 and follows:
        if mark != chain[5]:  # another separator: the chain starts again at this run
            chain[0] = chain[1] = chain[2] = chain[3] = chain[4] = 0
        chain[4], chain[3], chain[2], chain[1] = chain[3], chain[2], chain[1], run
        chain[0] += 1
        chain[5] = mark
    else:
        chain[0] = chain[1] = chain[2] = chain[3] = chain[4] = 0
        chain[5] = -1
    return done


@kernel
def _separator(c: int) -> int:
    """The separator a character is between groups of digits (space, dash, dot, half or full
    width), as its ASCII code, or -1."""
    if c == 32 or c == 0x3000:
        return 32
    if c == 45 or c == 0xFF0D:
        return 45
    if c == 46 or c == 0xFF0E:
        return 46
    return -1


@kernel
def _is_wide(c: int) -> bool:
    """Full-width digits and letters, ＋ － ． ＠, and the ideographic space (read as a space only
    between digits: it is how Chinese text indents, and a page of it needs no second reading)."""
    return (
        0xFF10 <= c <= 0xFF19
        or 0xFF20 <= c <= 0xFF3A
        or 0xFF41 <= c <= 0xFF5A
        or c in (0xFF0B, 0xFF0D, 0xFF0E, 0x3000)
    )


@kernel
def _half_width(points: np.ndarray) -> np.ndarray:
    """Full-width digits, letters and the marks numbers are written with, as ASCII, one character
    for one, so "手机：１３９５６７４８２７５" is found as its half-width form is, at the same
    place, with or without the normalize step before. Chinese punctuation (，：（）) stays: the
    patterns and the context rules read it."""
    out = points.copy()
    for i in range(len(points)):
        c = points[i]
        if c == 0x3000:
            out[i] = 32
        elif _is_wide(c):
            out[i] = c - 0xFEE0
    return out


def _long_numbers(text: str) -> Iterator[Finding]:
    for m in _LONG_NUMBER.finditer(text):
        start, end, value = m.start(), m.end(), m.group()
        if not _free(text, start, end):
            continue
        serial_context = _NOT_A_CARD_CONTEXT.search(text, max(0, start - 12), start) is not None
        if len(value) == 18 and valid_id18(value):
            yield Finding(ID_CARD, start, end, value)
        elif len(value) == 15 and valid_id15(value) and not serial_context:
            # The old 15-digit form has no check digit: after 订单号 it is an order number.
            yield Finding(ID_CARD, start, end, value)
        elif value.isascii() and value.isdigit() and _is_card(value) and not serial_context:
            yield Finding(BANK_CARD, start, end, value)


def _grouped_ids(text: str) -> Iterator[Finding]:
    """ID numbers written in groups (330106 19740804 0391), valid as an ID number once joined."""
    for m in _GROUPED_ID.finditer(text):
        start, end = m.start(), m.end()
        digits = re.sub(r"[ \-.]", "", m.group())
        if _free(text, start, end) and valid_id18(digits):
            yield Finding(ID_CARD, start, end, m.group())


def _spaced_cards(text: str) -> Iterator[Finding]:
    if " " not in text and "-" not in text and "." not in text:
        return
    pos = 0
    while (m := _SPACED_GROUPS.search(text, pos)) is not None:
        pos = m.start() + 1
        # The three groups found are either groups 2-4 of a card or, with the separator in
        # front of the card, groups 1-3.
        for start in (m.start() - 4, m.start() + 1):
            full = _SPACED_CARD.match(text, start) if start >= 0 else None
            if full is None or not _free(text, full.start(), full.end()):
                continue
            digits = full.group().replace(" ", "").replace("-", "").replace(".", "")
            if _is_card(digits) and not _NOT_A_CARD_CONTEXT.search(text, max(0, start - 12), start):
                yield Finding(BANK_CARD, full.start(), full.end(), full.group())
                pos = full.end()
                break


def _mobiles(text: str) -> Iterator[Finding]:
    for m in _MOBILE.finditer(text):
        start, end = m.start(), m.end()
        code = _COUNTRY_CODE_BEFORE.search(text, max(0, start - 6), start)
        if code is not None and _free(text, code.start(), end):
            start = code.start()  # "+86 138…"; but the 86 of "1986 138…" is a year
        elif start > 0 and text[start - 1] == "+":
            continue
        right_free = end >= len(text) or not _alnum(text[end])
        if _free(text, start, end) or (
            right_free and _PHONE_WORD_BEFORE.search(text, max(0, start - 8), start)
        ):
            yield Finding(MOBILE, start, end, text[start:end])


def _landlines(text: str, context_word: bool) -> Iterator[Finding]:
    for m in _LANDLINE.finditer(text):
        if _free(text, m.start(), m.end()) and not _NOT_A_CARD_CONTEXT.search(
            text, max(0, m.start() - 12), m.start()
        ):
            yield Finding(LANDLINE, m.start(), m.end(), m.group())
    for pattern in _LANDLINE_BRACKETED:
        for m in pattern.finditer(text):
            if _free(text, m.start(), m.end()):
                yield Finding(LANDLINE, m.start(), m.end(), m.group())
    if context_word:  # the bare form needs 电话, 座机… before it
        for m in _LANDLINE_BARE.finditer(text):
            if _free(text, m.start(1), m.end(1)):
                yield Finding(LANDLINE, m.start(1), m.end(1), m.group(1))


# --- institutional numbers ------------------------------------------------------------------------
#
# A number is an organisation's when the words right before it, in its own clause, label it so: a
# service label (传真, 热线, 总机, 值班电话, 咨询电话, 举报电话…) or an institution's name (教育局,
# 某某中学, 派出所) followed by a phone word (教育局电话) or by a colon or space alone (教务处：).
# Everything else stays personal: an unlabelled number, one after 电话 alone, one with a person
# (联系人 in the clause; 王老师 or 家长 right before or inside the label; （李老师） right after it).
# Service numbers (12345, 12315, 95588, 400-/800- numbers) match no phone pattern: never findings.

_CONTEXT_CHARS = 32
"""How far before a number its label is looked for (and never past the previous finding)."""
_CLAUSE_BREAK = re.compile(r"[\n。；！？;!?，,][^\n。；！？;!?，,]*\Z")
_LONGEST_LABEL = 18
"""Characters a label can span before its notes and separators: 办公室 的/电话/传真."""
_ORG_NAMES = (
    *("公司", "集团", "银行", "分行", "支行", "营业厅", "超市", "商场", "酒店", "宾馆", "物业"),
    *("医院", "卫生院", "诊所", "门诊", "学校", "中学", "小学", "大学", "学院", "幼儿园"),
    *("派出所", "研究所", "事务所", "律所", "研究院", "政府", "法院", "检察院"),
    *("海关", "公安", "交警", "消防"),
    *("中心", "委员会", "居委会", "村委会", "管委会", "协会", "学会", "商会", "工会", "基金会", "社区"),
    *("办公室", "办事处", "管理处", "教务处", "学生处", "保卫处", "人事处", "财务处", "招生处", "后勤处"),
    *("机场", "车站", "景区", "部门"),
)
# A one-character suffix (教育局, 卫健委, 本店) counts only after a Han character and only where the
# label below anchors it, right before a phone word or a colon: 局面 never gets there. 处, 所 and
# 行 are left to the names above: 并处, 前所未有 and 执行 are far more common than any office.
_ORG_SUFFIXES = "局厅委办科站馆院部队店校园台社厂"
_PHONE_WORDS = (
    *("联系电话", "电话号码", "电话", "号码", "座机", "固话", "手机号码", "手机号", "手机", "热线"),
    *("Tel", "tel", "TEL", "Phone", "phone", "PHONE"),
)
_SERVICE_LABELS = ("传真", "热线", "总机", "客服", "值班室", "服务台", "前台", "总台", "Fax", "fax", "FAX")
"""Words that label a number an organisation's on their own."""
_SERVICES = (
    *("值班", "办公", "咨询", "服务", "客服", "举报", "投诉", "监督", "报警", "求助", "救援", "急救"),
    *("招生", "预约", "订票", "售后", "受理", "查询"),
)
"""Words that do so before a phone word: 值班电话, 咨询热线, 举报电话."""


def _alternatives(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_ORG = rf"(?:{_alternatives(_ORG_NAMES)}|(?<=[\u4e00-\u9fff])[{_ORG_SUFFIXES}])"
_PHONE_WORD = _alternatives(_PHONE_WORDS)
_SERVICE_LABEL = _alternatives(_SERVICE_LABELS)
_NOTE = r"(?:[（(][^（()）\n]{0,12}[)）])?"  # (安全方面), （24小时）, before or after the colon
_SEPARATORS = " \t:：/是为"
_INSTITUTIONAL_LABEL = re.compile(
    rf"(?:(?:{_SERVICE_LABEL}|{_alternatives(_SERVICES)}[/、]?{_PHONE_WORD}|{_ORG}[ ]?的?[/、]?{_PHONE_WORD})"
    rf"(?:[/、](?:{_SERVICE_LABEL}|{_PHONE_WORD}))?{_NOTE}[ \t:：/是为]{{0,3}}"
    rf"|{_ORG}{_NOTE}[ \t:：]{{1,3}}){_NOTE}[ ]?\Z"
)
_LABEL_LAST_CHARS = frozenset(
    _ORG_SUFFIXES + "".join(w[-1] for w in (*_ORG_NAMES, *_PHONE_WORDS, *_SERVICE_LABELS))
)
"""Every label ends with one of these: a number after anything else needs no regex."""
_PERSON_IN_CLAUSE = re.compile(r"联系人|负责人|本人|监护人|紧急联系|个人|私人|姓名")
_PERSON_WORDS = (
    "老师|先生|女士|小姐|同学|师傅|经理|医生|大夫|律师|阿姨|叔叔|爸爸|妈妈|父亲|母亲|家长|家属|房东|"
    "业主|住宅|住所|住处|家庭|宅电|宿舍|(?<!值班)手机号"
)
_PERSON_NEAR = re.compile(_PERSON_WORDS)
_PERSON_AFTER = re.compile(rf"[ ]?[（(]?[\u4e00-\u9fff]{{0,3}}?(?:{_PERSON_WORDS}|联系人)")


def _classify_phones(text: str, findings: list[Finding], screen: bool = True) -> list[Finding]:
    """Mark the mobile and landline findings an organisation's label introduces as institutional.

    Runs only on findings, on a window of ``_CONTEXT_CHARS`` before each. With ``screen``, a number
    whose last character before it (past separators and notes) ends no label is settled without a
    regex: in a dump of ``张三 138…`` lines that is every number. Tests compare it with ``screen=False``."""
    out = []
    floor = 0
    for f in findings:
        if f.type in (MOBILE, LANDLINE) and _institutional(text, f.start, f.end, floor, screen):
            f = Finding(f.type, f.start, f.end, f.value, institutional=True)
        out.append(f)
        floor = f.end
    return out


def _institutional(text: str, start: int, end: int, floor: int, screen: bool) -> bool:
    lo = max(floor, start - _CONTEXT_CHARS)
    p = start  # where the label ends: past separators and bracketed notes
    while p > lo:
        ch = text[p - 1]
        if ch in _SEPARATORS:
            p -= 1
        elif ch in "）)" and 0 <= (q := max(text.rfind("（", lo, p), text.rfind("(", lo, p))) >= p - 14:
            # a note, at most 12 characters between its brackets (``_NOTE``)
            p = q
        else:
            break
    if screen and (p == lo or text[p - 1] not in _LABEL_LAST_CHARS):
        return False
    brk = _CLAUSE_BREAK.search(text, lo, start)
    clause = lo if brk is None else brk.start() + 1
    label = _INSTITUTIONAL_LABEL.search(text, max(clause, p - _LONGEST_LABEL), start)
    if label is None:
        return False
    return not (
        _PERSON_IN_CLAUSE.search(text, clause, start)
        or _PERSON_NEAR.search(text, max(clause, label.start() - 4), start)
        or _PERSON_AFTER.match(text, end, end + 8)
    )


def _emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL_DOMAIN.finditer(text):
        local = _EMAIL_LOCAL.search(text, max(0, m.start() - 64), m.start())
        if local is None or local.group().startswith(".") or local.group().endswith("."):
            continue
        end = m.end()
        if end < len(text) and _alnum(text[end]):
            continue
        if m.group().rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS:
            continue  # logo@2x.png is an image, not an address
        yield Finding(EMAIL, local.start(), end, text[local.start() : end])


def _ipv4(text: str) -> Iterator[Finding]:
    for m in _IPV4_TAIL.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 3 and "0" <= text[start - 1] <= "9":
            start -= 1
        first = text[start : m.start()]
        octets = [first, *m.groups()]
        if not first or not all(_octet(o) for o in octets):
            continue
        end = m.end()
        if start > 0 and (text[start - 1] == "." or _alnum(text[start - 1])):
            continue
        if end < len(text) and (
            _alnum(text[end]) or (text[end] == "." and text[end + 1 : end + 2].isdigit())
        ):
            continue
        if _VERSION_CONTEXT.search(text, max(0, start - 10), start):
            continue
        if text[start - 1 : start] == "第" or text[end : end + 1] in _CLAUSE_UNITS:
            continue  # 第5.1.3.2条 numbers a clause
        yield Finding(IPV4, start, end, text[start:end])


def _octet(value: str) -> bool:
    return (
        value.isascii()
        and value.isdigit()
        and int(value) <= 255
        and (value == "0" or not value.startswith("0"))
    )


def _ipv6(text: str) -> Iterator[Finding]:
    last_end = -1
    for m in _IPV6_CORE.finditer(text):
        if m.start() < last_end:
            continue
        start, end = m.start(), m.end()
        while start > 0 and text[start - 1] in _HEX_OR_COLON:
            start -= 1
        while end < len(text) and text[end] in _HEX_OR_COLON:
            end += 1
        last_end = end
        candidate = text[start:end]
        if not _free(text, start, end) or len(candidate.replace(":", "")) < 4:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue  # clock times (12:30:45) and the like are not valid addresses
        yield Finding(IPV6, start, end, candidate)


_NUMERIC_TYPES = frozenset({MOBILE, LANDLINE, BANK_CARD, QQ, IPV4})


def _inside_url_but_not_pii(f: Finding, text: str, urls: list[tuple[int, int]]) -> bool:
    """Digits in a URL path are article ids, not phones, unless a query key names them."""
    if f.type not in _NUMERIC_TYPES:
        return False
    for start, end in urls:
        if start <= f.start < end:
            return not _PII_QUERY_KEY.search(text, max(start, f.start - 12), f.start)
    return False


def _resolve_overlaps(found: list[Finding]) -> list[Finding]:
    """Keep the highest-priority finding where findings overlap (O(n log n): dumps have thousands)."""
    starts: list[int] = []
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (_PRIORITY[f.type], f.start, f.start - f.end)):
        i = bisect.bisect_right(starts, f.start)
        if i > 0 and kept[i - 1].end > f.start:
            continue
        if i < len(kept) and kept[i].start < f.end:
            continue
        starts.insert(i, f.start)
        kept.insert(i, f)
    return kept
