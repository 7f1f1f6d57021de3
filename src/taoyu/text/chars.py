"""Character classes as bit flags per code point, for the compiled loops (:mod:`taoyu.jit`).

Kernels cannot call ``str.isspace`` or run a regex; they look a code point up in this table
instead. Every class is taken from the definition the Python code it replaced used (``str``
methods, ``re`` classes), so a kernel and that code agree on every character.
"""

from __future__ import annotations

import functools

import numpy as np

SPACE = 1  # str.isspace, and re's \s
ALNUM = 2  # str.isalnum: with "_", what re's \w matches
HAN = 4  # CJK ideographs, extension A and compatibility ideographs
HAN_START = 8  # CJK unified ideographs (a Chinese content word starts with one)
SENTENCE_END = 16  # 。！？!?；;…
CLAUSE_END = 32  # ，,、；;：:。！？!?…
CLOSES = 64  # a CJK character or a closing mark: text before a seam of spaces
OPENS = 128  # a CJK character or an opening mark: text after a seam of spaces
ASCII_ALPHA = 256
ASCII_DIGIT = 512
LINE_END = 1024  # a punctuated line ends in one of these
INNER_MARK = 2048  # a Chinese sentence mark inside a line: ，。；！？
DECIMAL = 4096  # str.isdecimal: what re's \d matches in a str pattern (any script's digits)

SENTENCE_ENDS = "。！？!?；;…"
CLAUSE_ENDS = "，,、；;：:。！？!?…"
LINE_ENDS = '。！？!?…；;：:.」』”"）)】》~～'


@functools.cache
def char_flags() -> np.ndarray:
    """The flags of every code point (built once per process, ~0.1 s)."""
    flags = np.zeros(0x110000, np.uint16)
    flags[np.fromiter(map(str.isalnum, map(chr, range(0x110000))), bool, 0x110000)] |= ALNUM
    flags[[c for c in range(0x3001) if chr(c).isspace()]] |= SPACE  # none above U+3000
    flags[np.fromiter(map(str.isdecimal, map(chr, range(0x110000))), bool, 0x110000)] |= DECIMAL
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        flags[lo : hi + 1] |= HAN
    flags[0x4E00:0xA000] |= HAN_START | CLOSES | OPENS
    for chars, flag in (
        (SENTENCE_ENDS, SENTENCE_END),
        (CLAUSE_ENDS, CLAUSE_END),
        ("”」』）)", CLOSES),
        ("“「『（(", OPENS),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", ASCII_ALPHA),
        ("0123456789", ASCII_DIGIT),
        (LINE_ENDS, LINE_END),
        ("，。；！？", INNER_MARK),
    ):
        flags[[ord(c) for c in chars]] |= flag
    return flags


def codes(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included), as uint32."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
