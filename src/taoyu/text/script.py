"""A character fold from Traditional to Simplified Chinese, so that rules written once match both.

The phrase rules (chrome lines in ``steps.chrome_lines`` and ``extract.boilerplate``, the spam
lexicon) are written in Simplified. A Taiwan or Hong Kong portal writes the same chrome in
Traditional (責任編輯, 版權所有, 轉載請註明出處, 上一篇), so the rules are matched against the text
*folded*: every Traditional character replaced by its Simplified form, one character for one
(編 → 编, 權 → 权, 於 → 于). The page itself is never changed: a line is judged on its folded
form and the original line is kept or removed. Because the fold keeps every character's position,
a span or a line found in the folded text is the same span or line of the original.

This is not OpenCC's conversion (``normalize``'s ``to_simplified``): that converts phrases
(乾淨 → 干净 but 乾隆 stays; 臺灣 → 台湾), whose tables may give a phrase of another length, and
costs 63 µs for a 1,200-character page. Matching needs neither: the rules only have to see 编辑
where the page says 編輯, and a character table does that in one compiled pass (5.6 µs for the
same page). Text without a Traditional character, nearly every Simplified page, is only checked
and returned as it is: a regex below 500 characters, else a compiled loop over its code points
and an 8 KiB bitmap (about 1 ns a character, the encoding included).

The table is derived at first use from the dictionaries the ``opencc`` package ships (no copy of
them lives in taoyu): each character of the Basic Multilingual Plane is converted alone with
OpenCC's ``t2s`` (TSCharacters: the first candidate of an entry) and kept when it gives one other
BMP character. Hong Kong and Taiwan variant forms (``hk2s``, ``tw2s``: 衞 → 卫, 粧 → 妆) are added
for characters GB2312 lacks, so that Simplified text keeps its own characters (``tw2s`` maps 么 to
幺). Chains are followed to their end, so folding twice is folding once. A handful of the table's
characters also occur in Simplified text (乾, 於, 後…); they are folded there too, which is
harmless: the rules are written in characters the fold leaves alone (tests check this).
"""

from __future__ import annotations

import functools
import re
from itertools import accumulate, pairwise

import numpy as np

from taoyu.jit import kernel
from taoyu.text.chars import codes


@functools.cache
def fold_map() -> dict[str, str]:
    """Traditional character → its Simplified character, for every character the fold changes."""
    import opencc

    # Controls end OpenCC's C strings early; Han characters start at U+2E80.
    chars = [chr(c) for c in range(0x2E80, 0x10000) if not 0xD800 <= c < 0xE000]

    def converted(config: str) -> dict[str, str]:
        out = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
        if len(out) != len(chars):
            raise RuntimeError(f"opencc {config}: one character per line expected")
        return {a: b for a, b in zip(chars, out, strict=True) if b != a and len(b) == 1 and b <= "\uffff"}

    table = converted("t2s")
    for config in ("hk2s", "tw2s"):
        for a, b in converted(config).items():
            if a not in table and not _in_gb2312(a):
                table[a] = b
    for a, b in table.items():
        seen = {a}
        while b in table and b not in seen:  # 薴 → 苧 → 苎
            seen.add(b)
            b = table[b]
        table[a] = b
    return {a: b for a, b in table.items() if a != b}


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _tables() -> tuple[re.Pattern[str], np.ndarray, np.ndarray]:
    """A regex of the characters the fold changes; the fold as a table of the BMP; and which
    characters it changes, one bit each (8 KiB: the check stays in the CPU's cache)."""
    mapping = fold_map()
    table = np.arange(0x10000, dtype=np.uint32)
    for a, b in mapping.items():
        table[ord(a)] = ord(b)
    changes = np.packbits(table != np.arange(0x10000, dtype=np.uint32), bitorder="little")
    # A character class of ranges: re looks each character up in one bitmap.
    keys = sorted(map(ord, mapping))
    ranges: list[list[int]] = []
    for c in keys:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    folded = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return re.compile(f"[{folded}]"), table, changes


@kernel
def _first_change(points: np.ndarray, changes: np.ndarray) -> int:
    """The index of the first character the fold changes, or -1."""
    for i in range(len(points)):
        c = points[i]
        if c < 0x10000 and (changes[c >> 3] >> (c & 7)) & 1:
            return i
    return -1


@kernel
def _fold_from(points: np.ndarray, table: np.ndarray, changes: np.ndarray, start: int) -> np.ndarray:
    """The code points folded from ``start`` on. The 256 KiB table is read only for characters
    the 8 KiB bitmap says it changes: on a Simplified page with a stray 於 that is a handful of
    reads, where a read per character missed the cache on every one (30 µs a page)."""
    out = points.copy()
    for i in range(start, len(points)):
        c = points[i]
        if c < 0x10000 and (changes[c >> 3] >> (c & 7)) & 1:
            out[i] = table[c]
    return out


# Below this length re's scan of the text (3 ns a character) costs less than encoding it for
# the compiled pass (1 µs, then under 1 ns a character).
_SHORT = 500


def fold_codes(points: np.ndarray) -> np.ndarray | None:
    """The code points folded, or None when the fold changes none (one compiled pass)."""
    _, table, changes = _tables()
    first = _first_change(points, changes)
    return None if first < 0 else _fold_from(points, table, changes, first)


def holds_foldable(points: np.ndarray) -> bool:
    """Whether the code points hold a character the fold changes (one compiled pass)."""
    return bool(_first_change(points, _tables()[2]) >= 0)


def text_of(points: np.ndarray) -> str:
    """The text of ``points`` (the inverse of :func:`taoyu.text.chars.codes`)."""
    return points.tobytes().decode("utf-32-le", "surrogatepass")


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a character the fold changes."""
    return fold(text) is not text


def fold(text: str) -> str:
    """``text`` with each Traditional character replaced by its Simplified one: the same length,
    every other character where it was. Text with nothing to fold is returned as it is (the same
    object), so ``fold(s) is s`` says that nothing changed."""
    if text.isascii():
        return text
    foldable, table, changes = _tables()
    if len(text) < _SHORT:
        if foldable.search(text) is None:
            return text
        return text_of(_fold_from(codes(text), table, changes, 0))
    folded = fold_codes(codes(text))
    return text if folded is None else text_of(folded)


def taiwan_readings(
    texts: list[str], folded: list[str], longest: int | None = None, opening: int = 0
) -> list[str | None]:
    """A second reading of each text for the Simplified rules, on a page written in Traditional:
    the text read through OpenCC's Taiwan phrase table (``tw2sp``) and folded, where that differs
    from its fold (``folded``, from :func:`fold_each`); None elsewhere. A line is chrome when
    either reading is. The fold gives 点选, 回覆, 使用者名称 and 免责宣告 where a Taiwan portal writes
    點選, 回覆, 使用者名稱 and 免責宣告, and rules written as 点击, 回复, 用户名 and 免责声明 miss them;
    the phrase table gives the mainland words, but also words the rules know in the fold's form
    (資料來源 becomes 数据源), hence two readings, not one.

    A page is written in Traditional when at least a fifth of the texts hold a character the fold
    changes: a Simplified page with a stray 於 or 後 is not, and pays nothing more (the phrase
    table costs about 3 µs a line). Words like 回覆 hold no such character, so on a Traditional
    page every text is read, not only the changed ones. When ``longest`` is given, a longer text
    is read only as far as its first ``opening`` characters (a disclaimer's heading, 免責宣告：;
    none by default): the table costs by the character, and an article's paragraphs are most of a
    page's."""
    changed = sum(done != text for text, done in zip(texts, folded, strict=True))
    if not changed or changed < _TRADITIONAL_SHARE * len(texts):
        return [None] * len(texts)
    read, seen = texts, folded
    if longest is not None:  # the fold keeps lengths: a text's opening folds to its fold's opening
        read = [text if len(text) <= longest else text[:opening] for text in texts]
        seen = [done[: len(text)] for text, done in zip(read, folded, strict=True)]
    converted = _mainland_phrases().convert("\n".join(read)).split("\n")
    if len(converted) != len(read):  # a text held a line break of its own
        converted = [_mainland_phrases().convert(text) for text in read]
    readings: list[str | None] = []
    for text, done in zip(converted, seen, strict=True):
        reading = fold(text)
        readings.append(reading if text and reading != done else None)
    return readings


_TRADITIONAL_SHARE = 0.2


@functools.cache
def _mainland_phrases():  # type: ignore[no-untyped-def]
    """OpenCC's Taiwan-to-mainland converter (phrases, then characters), made once."""
    import opencc

    return opencc.OpenCC("tw2sp")


def fold_each(texts: list[str]) -> list[str]:
    """:func:`fold` of each text, with one check for all of them; ``texts`` itself when none
    holds a Traditional character (the common case: a Simplified page's lines)."""
    joined = "".join(texts)
    folded = fold(joined)
    if folded is joined:
        return texts
    bounds = list(accumulate(map(len, texts), initial=0))
    return [folded[start:end] for start, end in pairwise(bounds)]
