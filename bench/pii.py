"""PII detection: precision and recall per type on a labelled set built from real sentences.

    python bench/pii.py [--samples 400] [--dj-python bench/_work/djvenv/bin/python]

The set is built here, deterministically: real sentences from ../shared/data/corpus/ (news
transcripts, laws, technical docs) with one value inserted each, in the formats people write
(glued to Chinese text or not, spaced, dashed, +86, with or without a context word). For every
type there are valid values (which must be found) and near misses (wrong checksum, wrong length,
dates, order and tracking numbers, versions, service numbers: which must not be). Clean sentences
with nothing inserted count false positives too.

Both tools are scored the same way, on redaction: a value counts as found when it no longer
appears in the output and a placeholder of its type does. Data-Juicer's ``pii_redaction_mapper``
(py-data-juicer 1.6.1, bench-only, in its own venv) runs side by side when --dj-python is given.

It also counts ID and bank-card findings over the whole clean corpora (the target is none) and
measures taoyu's throughput on the make_corpus benchmark documents.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import re
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

import zstandard

from taoyu.jit import compile_at_first_call
from taoyu.pii import find_pii, redact
from taoyu.pii.detect import _ID_CHECK, _ID_WEIGHTS, PII_TYPES, luhn_ok

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPORA = ["xinwenlianbo/news.jsonl.zst", "laws/laws.jsonl.zst", "tidb_docs_cn/docs.jsonl.zst"]
ALL_CLEAN = [*CORPORA, "poetry/poems.jsonl.zst"]
TYPES = list(PII_TYPES)

# How each tool marks each type in its redacted output.
TAOYU_MARK = {
    "id_card": "<身份证号>", "mobile": "<手机号>", "landline": "<电话>", "bank_card": "<银行卡号>",
    "email": "<邮箱>",
    "ipv4": "<IP>", "ipv6": "<IP>", "passport": "<护照号>", "hk_macau_permit": "<通行证号>", "qq": "<QQ号>",
    "wechat": "<微信号>",
}  # fmt: skip
DJ_MARK = {
    "id_card": "[ID_CARD_REDACTED]", "mobile": "[PHONE_REDACTED]", "landline": "[PHONE_REDACTED]",
    "bank_card": None, "email": "[EMAIL_REDACTED]", "ipv4": "[IP_REDACTED]", "ipv6": "[IP_REDACTED]",
    "passport": None, "hk_macau_permit": None, "qq": None, "wechat": None,
}  # fmt: skip
ANY_MARK = re.compile(r"<[^<>]{1,8}>|\[[A-Z_]+_REDACTED\]|\[REDACTED\]")


def read_texts(rel: str):
    with open(SHARED / "data" / "corpus" / rel, "rb") as fh:
        reader = zstandard.ZstdDecompressor().stream_reader(fh)
        for line in io.TextIOWrapper(reader, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)["text"]


def sentences(rng: random.Random, n: int) -> list[str]:
    pool = []
    for rel in CORPORA:
        for i, text in enumerate(read_texts(rel)):
            if i > 400:
                break
            for s in re.split(r"(?<=[。！？；])", text):
                s = re.sub(r"<[^>]+>|[#*`|>\[\]()]", "", s).strip()
                if (
                    12 <= len(s) <= 80
                    and re.search(r"[\u4e00-\u9fff]{6}", s)
                    and not re.search(r"\d{5}|@|://", s)
                ):
                    pool.append(s)
    rng.shuffle(pool)
    return pool[:n]


# --- value generators: (text to insert, the value itself, is_pii) ------------------------------------

REGIONS = ["110105", "310104", "330106", "440305", "510107", "420111", "320102", "610113", "500103", "370202"]


def id18(rng: random.Random, valid: bool = True) -> str:
    birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = rng.choice(REGIONS) + birth + f"{rng.randint(0, 999):03d}"
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check


def card(rng: random.Random, length: int, valid: bool = True, prefix: str = "6222") -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    for d in "0123456789":
        if luhn_ok(body + d) == valid:
            return body + d
    raise AssertionError


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "186", "177", "199", "135", "188", "166"]) + "".join(
        str(rng.randint(0, 9)) for _ in range(8)
    )


_WIDE = str.maketrans("0123456789 -.+", "０１２３４５６７８９　－．＋")


def _wide(rng: random.Random, value: str) -> str:
    """A tenth of the values written in full-width digits, as some pages write them."""
    return value.translate(_WIDE) if rng.random() < 0.1 else value


def positives(rng: random.Random, kind: str) -> tuple[str, str]:
    """(text to insert, the PII value inside it)."""
    if kind == "id_card":
        v = id18(rng)
        if rng.random() < 0.15:
            v = v[:6] + v[8:17]  # the old 15-digit form drops the century and the check digit
        if len(v) == 18 and rng.random() < 0.3:  # written in groups: 6-8-4 or 3-3-4-4-4
            sep = rng.choice([" ", "-", "."])
            cuts = rng.choice([(0, 6, 14, 18), (0, 3, 6, 10, 14, 18)])
            v = sep.join(v[a:b] for a, b in itertools.pairwise(cuts))
        v = _wide(rng, v)
        return rng.choice(["身份证号{}", "身份证：{}", "{}", "证件号码 {}"]).format(v), v
    if kind == "mobile":
        m = mobile(rng)
        a, b, c = m[:3], m[3:7], m[7:]
        forms = [m, m, f"{a} {b} {c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+86 {m}", f"+86{m}", f"0086{m}"]
        v = rng.choice([*forms, f"86-{m}"])
        v = _wide(rng, v)
        return rng.choice(["电话{}", "手机：{}", "联系{}", "{}"]).format(v), v.strip()
    if kind == "landline":
        area = rng.choice(["010", "021", "0571", "0755", "020", "0574"])
        local = str(rng.randint(2, 8)) + "".join(
            str(rng.randint(0, 9)) for _ in range(7 if len(area) == 3 else rng.choice([6, 7]))
        )
        v = rng.choice(["{}-{}", "({}){}", "{} {}", "（{}）{}"]).format(area, local)
        return rng.choice(["电话{}", "座机：{}", "{}", "联系电话 {}"]).format(v), v
    if kind == "bank_card":
        # UnionPay cards run 16-19 digits; the Visa and Mastercard cards Chinese banks issue are 16.
        prefix = rng.choice(["6222", "6217", "6228", "4367", "5187"])
        c = card(rng, rng.choice([16, 17, 18, 19]) if prefix.startswith("62") else 16, prefix=prefix)
        sep = rng.choice([" ", " ", "-", "."])
        v = sep.join(c[i : i + 4] for i in range(0, len(c), 4)) if rng.random() < 0.4 else c
        v = _wide(rng, v)
        return rng.choice(["卡号{}", "银行卡：{}", "{}", "账号 {}"]).format(v), v
    if kind == "email":
        v = (
            rng.choice(["zhang.wei", "li_na88", "wangfang", "chen-jie", "service01"])
            + "@"
            + rng.choice(["qq.com", "163.com", "example.cn", "mail.zju.edu.cn"])
        )
        return rng.choice(["邮箱{}", "发送至{}", "{}", "Email: {}"]).format(v), v
    if kind == "ipv4":
        v = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        return rng.choice(["IP地址{}", "来自{}的请求", "{}"]).format(v), v
    if kind == "ipv6":
        groups = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
        v = ":".join(groups) if rng.random() < 0.5 else ":".join(groups[:3]) + "::" + groups[7]
        return rng.choice(["IPv6地址{}", "{}"]).format(v), v
    if kind == "passport":
        v = rng.choice(["E", "G", "EA"]) + "".join(
            str(rng.randint(0, 9)) for _ in range(8 if rng.random() < 0.5 else 7)
        )
        v = v[:9]
        return rng.choice(["护照号码：{}", "护照号{}", "护照 {}"]).format(v), v
    if kind == "hk_macau_permit":
        v = "C" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        return rng.choice(["港澳通行证号码：{}", "通行证{}"]).format(v), v
    if kind == "qq":
        v = str(rng.randint(10000, 3999999999))
        return rng.choice(["QQ：{}", "QQ号{}", "qq {}", "加QQ{}"]).format(v), v
    if kind == "wechat":
        v = rng.choice(["zhangsan", "wx_li", "Tom", "hzliu"]) + "_" + str(rng.randint(10, 9999))
        return rng.choice(["微信号：{}", "微信{}", "加微信 {}"]).format(v), v
    raise ValueError(kind)


def near_misses(rng: random.Random, kind: str) -> tuple[str, str]:
    """Values that look like ``kind`` but are not PII."""
    if kind == "id_card":
        bad = id18(rng, valid=False)
        grouped = [f"{bad[:6]} {bad[6:14]} {bad[14:]}", f"{bad[:6]}-{bad[6:14]}.{bad[14:]}"]
        v = rng.choice([bad, id18(rng)[:17], id18(rng) + "1", "110105" + "19991350" + "1234", *grouped])
        return rng.choice(["编号{}", "{}"]).format(v), v
    if kind == "mobile":
        v = rng.choice(
            [
                "12" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                mobile(rng)[:10],
                mobile(rng) + "3",
                "10086",
                "12345",
            ]
        )
        return rng.choice(["热线{}", "{}", "拨打{}"]).format(v), v
    if kind == "landline":
        v = rng.choice(["400-800-1234", "800-820-8820", "95588", "2023-11-26", "4008-123-456", "12:30-13:45"])
        return rng.choice(["客服{}", "{}", "时间{}"]).format(v), v
    if kind == "bank_card":
        choice = rng.random()
        if choice < 0.4:
            v = card(rng, rng.choice([16, 19]), valid=False)
            return rng.choice(["卡号{}", "{}"]).format(v), v
        if choice < 0.8:
            v = card(rng, rng.choice([16, 18, 19]), prefix=rng.choice(["2023", "6222", "4000"]))
            return rng.choice(["订单号{}", "订单号：{}", "运单号 {}", "交易流水号{}"]).format(v), v
        v = rng.choice(
            [
                "ISBN 978-7-111-" + str(rng.randint(10000, 99999)) + "-6",
                "20231126" + str(rng.randint(10**9, 10**10 - 1)),
            ]
        )
        return f"{v}", v
    if kind == "email":
        v = rng.choice(["@人民日报", "name@localhost", "user@", "a@b"])
        return rng.choice(["{}", "转发{}"]).format(v), v
    if kind == "ipv4":
        v = rng.choice(
            [
                "1.2.3",
                "999.1.1.1",
                f"{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
            ]
        )
        return ("版本 {}" if v.count(".") == 3 and not v.startswith("999") else "{}").format(v), v
    if kind == "ipv6":
        v = rng.choice(["12:30:45", "2023:11:26", "08:00"])
        return rng.choice(["时间{}", "{}"]).format(v), v
    if kind == "passport":
        v = "E" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        return rng.choice(["型号{}", "产品编号{}"]).format(v), v
    if kind == "hk_macau_permit":
        v = "C" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        return rng.choice(["车次{}", "编号{}"]).format(v), v
    if kind == "qq":
        v = str(rng.randint(10000, 999999999))
        return rng.choice(["编号{}", "人口{}人", "共{}元"]).format(v), v
    if kind == "wechat":
        v = rng.choice(["公众号", "支付", "小程序"])
        return "微信" + v, "微信" + v
    raise ValueError(kind)


def _alnum_at(s: str, i: int) -> bool:
    return 0 <= i < len(s) and s[i].isascii() and s[i].isalnum()


def build_set(rng: random.Random, samples: int) -> list[dict]:
    base = sentences(rng, samples * len(TYPES) * 2 + samples)
    out = []
    it = iter(base)
    for kind in TYPES:
        for label, make in ((True, positives), (False, near_misses)):
            for _ in range(samples):
                s = next(it)
                insert, value = make(rng, kind)
                # Insert between characters that do not extend the value (a digit next to a number
                # makes a different number): what people write, not a typo generator.
                cuts = [i for i in range(len(s) + 1) if not _alnum_at(s, i - 1) and not _alnum_at(s, i)]
                cut = rng.choice(cuts or [len(s)])
                out.append({"type": kind, "pii": label, "value": value, "text": s[:cut] + insert + s[cut:]})
    for _ in range(samples):
        out.append({"type": None, "pii": False, "value": None, "text": next(it)})
    return out


def taoyu_redact(texts: list[str]) -> list[str]:
    return [redact(t, find_pii(t))[0] for t in texts]


def dj_redact(texts: list[str], dj_python: str) -> list[str]:
    script = (
        "import sys, json\n"
        "from data_juicer.ops.mapper.pii_redaction_mapper import PiiRedactionMapper\n"
        "op = PiiRedactionMapper()\n"
        "for line in sys.stdin:\n"
        "    sample = {'text': json.loads(line)}\n"
        "    print(json.dumps(op.process_single(sample)['text'], ensure_ascii=False))\n"
    )
    proc = subprocess.run(
        [dj_python, "-c", script],
        input="".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [json.loads(line) for line in proc.stdout.splitlines()]


def score(samples: list[dict], outputs: list[str], marks: dict[str, str | None]) -> dict[str, dict]:
    tp, fn, fp = Counter(), Counter(), Counter()
    for s, out in zip(samples, outputs, strict=True):
        kind = s["type"]
        if kind is None:
            for m in ANY_MARK.findall(out):
                fp[next((k for k, v in marks.items() if v == m), "other")] += 1
            continue
        mark = marks[kind]
        found = s["value"] not in out and mark is not None and mark in out
        if s["pii"]:
            tp[kind] += found
            fn[kind] += not found
        elif s["value"] not in out:
            fp[kind] += 1
    result = {}
    for kind in TYPES:
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        result[kind] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "tp": tp[kind],
            "fp": fp[kind],
            "fn": fn[kind],
        }
    return result


def clean_corpus_false_positives() -> dict[str, list[str]]:
    hits: dict[str, list[str]] = defaultdict(list)
    for rel in ALL_CLEAN:
        for text in read_texts(rel):
            for f in find_pii(text):
                if f.type in ("id_card", "bank_card"):
                    hits[f.type].append(f"{rel}: {f.value}")
    return hits


def throughput() -> tuple[float, int]:
    corpus = REPO / "bench" / "_work" / "corpus_20000.jsonl"
    if corpus.exists():
        texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    else:
        texts = [t for rel in CORPORA for t in read_texts(rel)][:5000]
    started = time.perf_counter()
    for t in texts:
        redact(t, find_pii(t))
    return len(texts) / (time.perf_counter() - started), len(texts)


def main() -> None:
    compile_at_first_call()  # time compiled code, as a long run runs it (taoyu.jit)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=400, help="positives and near misses per type")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dj-python", help="python of a venv with py-data-juicer installed")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    samples = build_set(rng, args.samples)
    texts = [s["text"] for s in samples]
    results = {"taoyu": score(samples, taoyu_redact(texts), TAOYU_MARK)}
    if args.dj_python:
        results["data-juicer"] = score(samples, dj_redact(texts, args.dj_python), DJ_MARK)

    n = args.samples
    print(f"{len(samples)} samples: {n} valid and {n} near-miss per type, {n} clean\n")
    tools = list(results)
    print("| type | " + " | ".join(f"{t} P | {t} R" for t in tools) + " |")
    print("|---|" + "---|---|" * len(tools))
    for kind in TYPES:
        cells = [f"{results[t][kind]['precision']:.3f} | {results[t][kind]['recall']:.3f}" for t in tools]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    hits = clean_corpus_false_positives()
    ids, cards = len(hits["id_card"]), len(hits["bank_card"])
    print(f"\nclean corpora ({', '.join(ALL_CLEAN)}): ID findings {ids}, bank-card findings {cards}")
    for h in (hits["id_card"] + hits["bank_card"])[:10]:
        print("   ", h)
    rate, n = throughput()
    print(f"\nthroughput: {rate:,.0f} docs/s on one core ({n:,} make_corpus documents, detect + redact)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": results, "clean_hits": hits, "docs_per_s": rate}, ensure_ascii=False, indent=2
            )
        )
    misses = [
        s
        for s, o in zip(samples, taoyu_redact(texts), strict=True)
        if s["type"] and (s["value"] in o) == s["pii"]
    ]
    if misses:
        print(f"\n{len(misses)} taoyu errors, first ones:")
        for s in misses[:15]:
            print(
                f"   {'miss' if s['pii'] else 'false positive'} {s['type']}: {s['value']!r} in {s['text']!r}"
            )


if __name__ == "__main__":
    main()
