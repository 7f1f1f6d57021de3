"""Fuzz every reader and the decoding rule with mutated real inputs, then whole runs over mutated files.

    python bench/fuzz.py --inputs 1000000 --runs 1000          # the documented run (docs/benchmarks.md)
    python bench/fuzz.py --inputs 3000 --runs 5                # the short version CI runs
    python bench/fuzz.py --replay 123456                       # rebuild input 123456 and read it again

**Readers, in process.** Input ``i`` is built from ``(--seed, i)`` alone, so any finding replays.
It is one file of a format drawn at random (WARC plain, .gz and .zst; WET plain and .gz; JSONL
plain, .gz and .zst; Parquet; an HTML file), made from real pages: the records of the built-in
example crawl (``examples/zh-web.warc.gz``: GBK, Big5 and UTF-8 pages), and the pages under
``--pages`` when given (``../shared/data/realweb-dev`` for the documented run), each re-encoded in
another charset now and then, declared truly, falsely or not at all. Then it is mutated: in its
structure (a WARC Content-Length or charset changed, a JSON field of another type, a Parquet
column of another type, records cut or spliced) and in its bytes, before or after compression
(bit flips, bytes set to boundary values, runs inserted, erased, copied or truncated: libFuzzer's
byte mutations). The harness plans it as a run would, reads every task with ``read_task``, and
decodes every page with ``decode_html``. An exception that escapes is a crash; an input still
running after ``--time-limit`` seconds is a hang (a watchdog kills that worker and starts another
after it, so a hang in compiled code is caught too). Crashes and hangs are saved under
``OUT/findings`` with the input's bytes and the traceback.

**Whole runs.** Each of ``--runs`` runs gets a folder of one to four mutated files of mixed
formats, runs ``recipes/zh-web.yaml`` over it in process (small slices, so JSONL and Parquet are
read in several tasks), and checks that every record the readers yield or report as broken
appears in the ledger exactly once (the multiset of ``(file, index, offset)`` is the same), and
that the funnel reconciles.

Hypothesis drives the property tests of the same readers in ``tests/test_readers.py``; this harness
is a seeded mutation engine instead because it must run a million inputs across processes, replay
any one by its number, and survive a hang inside fastwarc or Arrow (docs/decisions.md).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from taoyu.document import Document  # noqa: E402
from taoyu.io.base import InputError  # noqa: E402
from taoyu.io.encoding import decode_html  # noqa: E402
from taoyu.io.read import read_task  # noqa: E402
from taoyu.io.tasks import expand_inputs, plan_tasks  # noqa: E402
from taoyu.io.warc import read_warc  # noqa: E402
from taoyu.recipe import ReaderConfig  # noqa: E402

FORMATS = {
    "warc": 2,
    "warc.gz": 4,
    "warc.zst": 2,
    "wet": 1,
    "wet.gz": 1,
    "jsonl": 3,
    "jsonl.gz": 2,
    "jsonl.zst": 2,
    "parquet": 3,
    "html": 3,
}
CHARSETS = ("utf-8", "gbk", "gb18030", "big5", "utf-16", "shift_jis", "euc-kr", "latin-1", "cp1252")
INTERESTING = (0, 1, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x20, 0x22, 0x3A, 0x3C, 0x3E, 0x7B, 0x7D, 0xE4, 0xEF)
SLICE_BYTES = 4096  # small slices, so files are read in several tasks as a large crawl's are


# ---------------------------------------------------------------- seed material


def seed_pages(pages_dir: str | None, cap: int = 24_000) -> list[tuple[str, bytes, str | None]]:
    """(url, page bytes, charset in the HTTP header) of the example crawl and of ``pages_dir``.

    Pages are cut to ``cap`` bytes: the readers' paths do not depend on a page's length, and small
    inputs buy more of them per second."""
    pages = []
    for item in read_warc(str(REPO / "examples" / "zh-web.warc.gz"), ["response", "resource"], 1 << 30):
        if isinstance(item, Document) and item.raw:
            pages.append((item.url or "https://example.cn/", item.raw[:cap], item.meta.get("http_charset")))
    if pages_dir:
        for path in sorted(Path(pages_dir).rglob("*")):
            if path.is_file() and path.suffix.lower() in (".html", ".htm"):
                pages.append(
                    (f"https://{path.parent.name}.example/{path.name}", path.read_bytes()[:cap], None)
                )
    return pages


def _reencoded(rng: random.Random, page: bytes, declared: str | None) -> tuple[bytes, str | None]:
    """The page in another charset, declared in its meta tag truly, falsely or not at all."""
    text = decode_html(page, declared).text
    charset = rng.choice(CHARSETS)
    body = text.encode(charset, errors=rng.choice(["replace", "xmlcharrefreplace", "ignore"]))
    if charset == "utf-16" and rng.random() < 0.5:
        body = body[2:]  # no BOM
    told = rng.choice([charset, rng.choice(CHARSETS), None, "x-unknown-charset", ""])
    if told is not None and rng.random() < 0.5:
        body = f'<meta charset="{told}">'.encode("ascii", "ignore") + body
    return body, rng.choice([told, None, charset])


def _page(rng: random.Random, pages: list[tuple[str, bytes, str | None]]) -> tuple[str, bytes, str | None]:
    url, body, charset = rng.choice(pages)
    if rng.random() < 0.3:
        body, charset = _reencoded(rng, body, charset)
    if rng.random() < 0.3:
        start = rng.randrange(len(body) + 1)
        body = body[start : start + rng.randrange(1, 4000)]
    return url, body, charset


# ---------------------------------------------------------------- byte mutations


def mutate_bytes(rng: random.Random, data: bytes, other: bytes = b"") -> bytes:
    """One to four of libFuzzer's byte mutations, on random places."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(9)
        at = rng.randrange(len(buf) + 1)
        if kind == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif kind == 1 and buf:
            buf[rng.randrange(len(buf))] = rng.choice(INTERESTING)
        elif kind == 2:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind == 3 and buf:
            del buf[at : at + rng.randint(1, 64)]
        elif kind == 4 and buf:
            i = rng.randrange(len(buf))
            buf[at:at] = buf[i : i + rng.randint(1, 256)]
        elif kind == 5:
            del buf[at:]  # truncation
        elif kind == 6 and other:
            i = rng.randrange(len(other))
            buf[at:at] = other[i : i + rng.randint(1, 512)]  # cross-over
        elif kind == 7:
            number = str(rng.choice([0, -1, 2**31, 2**63, 10**30, rng.randrange(10**6)])).encode()
            buf[at:at] = number
        else:
            buf[at:at] = rng.choice(
                [b"\r\n", b"\r\n\r\n", b"\x00", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\\ud800"]
            )
    return bytes(buf)


# ---------------------------------------------------------------- formats


def _warc_record(rng: random.Random, url: str, body: bytes, charset: str | None, wet: bool) -> bytes:
    """One WARC record, sometimes with a header mutated in its structure."""
    if wet:
        kind, content_type = "conversion", "text/plain"
        block = decode_html(body, charset).text.encode("utf-8", "surrogatepass")
    else:
        kind, content_type = rng.choice(
            [("response", "application/http; msgtype=response")] * 6
            + [
                ("resource", "text/html"),
                ("request", "application/http; msgtype=request"),
                ("metadata", "text/plain"),
            ]
        )
        http_type = rng.choice(
            ["text/html", "text/plain", "application/pdf", "image/png", "", "text/html; q"]
        )
        if charset is not None:
            http_type += f"; charset={charset}"
        status = rng.choice(
            [b"HTTP/1.1 200 OK", b"HTTP/1.1 404 Not Found", b"HTTP/1.0 301", b"HTTP/2 200", b"GARBAGE"]
        )
        headers = [b"Content-Type: " + http_type.encode("latin-1", "replace")]
        if rng.random() < 0.2:
            headers.append(rng.choice([b"tdm-reservation: 1", b"X-Robots-Tag: noai", b"Content-Length: -5"]))
        block = status + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n" + body if kind != "resource" else body
    length = len(block)
    if rng.random() < 0.05:
        length = rng.choice([0, length - 1, length + 1, length * 2, 2**40, -1])
    date = rng.choice(["2026-01-01T00:00:00Z", "not a date", "2026-13-45T99:99:99Z", ""])
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{rng.getrandbits(128):032x}>\r\n"
        f"WARC-Date: {date}\r\nWARC-Target-URI: {url}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode("utf-8", "surrogatepass")
    return head + block + b"\r\n\r\n"


def _jsonl_line(rng: random.Random, url: str, body: bytes, charset: str | None) -> bytes:
    """One JSON line; now and then a field of another type, or a line that is not an object."""
    text: object = decode_html(body, charset).text
    record: dict[str, object] = {"text": text, "id": f"r{rng.randrange(10**6)}", "url": url}
    roll = rng.random()
    if roll < 0.05:
        record["text"] = rng.choice([None, 5, 1.5, ["a"], {"x": 1}, True])
    elif roll < 0.1:
        del record["text"]
    elif roll < 0.15:
        record["id"] = rng.choice([None, "", 0, [1], {"a": None}])
    if rng.random() < 0.1:
        record[rng.choice(["crawl_date", "date", "meta", "title"])] = rng.choice(
            [1, "x", None, [1, {"b": 2}]]
        )
    line = json.dumps(record, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:
        line = rng.choice([b"[1,2]", b'"str"', b"null", b"[" * 2000 + b"]" * 2000, b"{", b"\xff\xfe"])
    return line + rng.choice([b"\n"] * 8 + [b"\r\n", b"\n\n"])


def _parquet_file(rng: random.Random, pages: list) -> bytes:
    """A Parquet file of a few rows in a few row groups, its text column sometimes of another type."""
    n = rng.randint(0, 12)
    rows = [_page(rng, pages) for _ in range(n)]
    texts = [decode_html(body, charset).text for _, body, charset in rows]
    kind = rng.randrange(10)
    if kind == 0:
        text_col = pa.array([t.encode("utf-8", "surrogatepass") for t in texts], pa.binary())
    elif kind == 1:
        text_col = pa.array([len(t) for t in texts], pa.int64())
    elif kind == 2:
        text_col = pa.array([None if rng.random() < 0.5 else t for t in texts], pa.large_string())
    else:
        text_col = pa.array([t.encode("utf-8", "replace").decode("utf-8") for t in texts], pa.string())
    columns = {"text": text_col, "url": pa.array([u for u, _, _ in rows], pa.string())}
    if rng.random() < 0.2:
        columns["date"] = pa.array([rng.randrange(2**40) for _ in rows], pa.timestamp("ms"))
    if rng.random() < 0.2:
        columns["meta"] = pa.array([{"k": rng.randrange(9)} for _ in rows], pa.struct([("k", pa.int64())]))
    if rng.random() < 0.1:
        columns = {("body" if k == "text" else k): v for k, v in columns.items()}
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink, row_group_size=rng.choice([1, 2, 5, 100]))
    return sink.getvalue()


def _compress(rng: random.Random, fmt: str, records: list[bytes]) -> bytes:
    if fmt.endswith(".gz"):
        if rng.random() < 0.7:
            return b"".join(gzip.compress(r, mtime=0) for r in records)  # a member per record, as crawlers
        return gzip.compress(b"".join(records), mtime=0)
    if fmt.endswith(".zst"):
        cctx = zstandard.ZstdCompressor()
        if rng.random() < 0.5:
            return b"".join(cctx.compress(r) for r in records)
        return cctx.compress(b"".join(records))
    return b"".join(records)


def build_input(seed: int, i: int, pages: list, fmt: str | None = None) -> tuple[str, bytes]:
    """Input ``i``: its format (the file's suffix) and its bytes, from ``(seed, i)`` alone."""
    rng = random.Random(f"{seed}:{i}")
    fmt = fmt or rng.choices(list(FORMATS), weights=list(FORMATS.values()))[0]
    if fmt == "parquet":
        data = _parquet_file(rng, pages)
        return fmt, mutate_bytes(rng, data) if rng.random() < 0.6 else data
    if fmt == "html":
        _, body, _ = _page(rng, pages)
        return rng.choice(["html", "htm", "xhtml"]), mutate_bytes(rng, body) if rng.random() < 0.7 else body
    records = []
    for _ in range(rng.randint(1, 4)):
        url, body, charset = _page(rng, pages)
        if fmt.startswith("jsonl"):
            records.append(_jsonl_line(rng, url, body, charset))
        else:
            records.append(_warc_record(rng, url, body, charset, wet=fmt.startswith("wet")))
    if rng.random() < 0.5:  # structure kept, bytes changed before compression
        k = rng.randrange(len(records))
        records[k] = mutate_bytes(rng, records[k], rng.choice(pages)[1])
    data = _compress(rng, fmt, records)
    if fmt.endswith((".gz", ".zst")) and rng.random() < 0.3:  # the compressed bytes themselves
        data = mutate_bytes(rng, data)
    return fmt, data


# ---------------------------------------------------------------- reading


def read_items(path: str) -> list:
    """Everything a run's readers yield for ``path``, planned as a run plans it, pages decoded."""
    cfg = ReaderConfig()
    items = []
    for task in plan_tasks(expand_inputs([path]), SLICE_BYTES):
        for item in read_task(task, cfg):
            if isinstance(item, Document) and item.raw is not None:
                decode_html(item.raw, item.meta.get("http_charset"))
            items.append(item)
    return items


def _worker(args: tuple) -> None:
    seed, start, stop, stride, pages_dir, progress, slot, queue, scratch = args
    pages = seed_pages(pages_dir)
    counts: Counter[str] = Counter()
    folder = Path(tempfile.mkdtemp(dir=scratch))
    for i in range(start, stop, stride):
        progress[slot] = i
        fmt, data = build_input(seed, i, pages)
        path = folder / f"input.{fmt}"
        path.write_bytes(data)
        try:
            items = read_items(str(path))
            counts["documents"] += sum(isinstance(x, Document) for x in items)
            counts["input_errors"] += sum(isinstance(x, InputError) for x in items)
        except Exception:
            queue.put(("crash", i, fmt, traceback.format_exc()))
        counts[f"format:{fmt}"] += 1
        counts["inputs"] += 1
        if counts["inputs"] >= 500:  # counted as it goes: a worker killed for a hang loses none
            queue.put(("counts", slot, dict(counts), i + stride))
            counts.clear()
    progress[slot] = -1
    queue.put(("done", slot, dict(counts), stop))


def fuzz_readers(
    seed: int, inputs: int, processes: int, pages_dir: str | None, limit: float, out: Path
) -> dict:
    """Run ``inputs`` inputs over ``processes`` workers, each taking every ``processes``-th input, with a
    watchdog that turns an input running past ``limit`` seconds into a hang and goes on after it."""
    ctx = mp.get_context("fork")
    progress = ctx.Array("q", processes, lock=False)
    queue = ctx.Queue()
    scratch = tempfile.mkdtemp(prefix="taoyu-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    totals: Counter[str] = Counter()
    findings: list[dict] = []
    started = time.perf_counter()
    workers: dict[int, tuple] = {}
    counted: dict[int, int] = {}  # per worker: the first input not yet in ``totals``

    def start(slot: int, first: int) -> None:
        progress[slot] = first
        counted[slot] = first
        args = (seed, first, inputs, processes, pages_dir, progress, slot, queue, scratch)
        proc = ctx.Process(target=_worker, args=(args,), daemon=True)
        proc.start()
        workers[slot] = (proc, first, time.monotonic(), first)

    for slot in range(processes):
        if slot < inputs:
            start(slot, slot)
    try:
        while workers:
            while not queue.empty():
                message = queue.get()
                if message[0] == "crash":
                    findings.append(_save(out, "crash", message[1], message[3], seed, pages_dir))
                    continue
                totals.update(message[2])
                counted[message[1]] = message[3]
                if message[0] == "done":
                    workers.pop(message[1])[0].join()
            now = time.monotonic()
            for slot, (proc, first, since, last) in list(workers.items()):
                current = progress[slot]
                if current != last:
                    workers[slot] = (proc, first, now, current)
                elif now - since > limit or not proc.is_alive():
                    if not proc.is_alive() and current == -1:
                        continue  # finished; its "done" message is on its way
                    proc.kill()
                    proc.join()
                    kind = "hang" if now - since > limit else "died"
                    detail = (
                        f"still running after {limit:g} s" if kind == "hang" else f"exit code {proc.exitcode}"
                    )
                    findings.append(_save(out, kind, current, detail, seed, pages_dir))
                    totals["inputs"] += (
                        current - counted[slot]
                    ) // processes + 1  # read since its last count
                    workers.pop(slot)
                    if current + processes < inputs:
                        start(slot, current + processes)
            _report(totals, workers, progress, inputs, started)
            time.sleep(0.2)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.perf_counter() - started
    return {
        "inputs": totals["inputs"],
        "documents": totals["documents"],
        "input_errors": totals["input_errors"],
        "formats": {k.split(":", 1)[1]: v for k, v in sorted(totals.items()) if k.startswith("format:")},
        "crashes": sum(f["kind"] == "crash" for f in findings),
        "hangs": sum(f["kind"] == "hang" for f in findings),
        "died": sum(f["kind"] == "died" for f in findings),
        "findings": findings,
        "seconds": round(seconds, 1),
        "inputs_per_second": round(totals["inputs"] / seconds, 1) if seconds else None,
    }


_last_report = [0.0]


def _report(totals: Counter, workers: dict, progress, inputs: int, started: float) -> None:
    if time.perf_counter() - _last_report[0] < 30:
        return
    _last_report[0] = time.perf_counter()
    done = min((progress[s] for s in workers), default=inputs)
    print(f"  ... about {done:,} of {inputs:,} inputs, {time.perf_counter() - started:.0f} s", flush=True)


def _save(out: Path, kind: str, i: int, detail: str, seed: int, pages_dir: str | None) -> dict:
    """Keep a finding's input and traceback, so it can be read and replayed."""
    findings = out / "findings"
    findings.mkdir(parents=True, exist_ok=True)
    fmt, data = build_input(seed, i, seed_pages(pages_dir))
    (findings / f"{kind}-{i}.{fmt}").write_bytes(data)
    (findings / f"{kind}-{i}.txt").write_text(detail, encoding="utf-8")
    print(
        f"  {kind} at input {i} ({fmt}): {detail.strip().splitlines()[-1] if detail.strip() else ''}",
        flush=True,
    )
    return {"kind": kind, "input": i, "format": fmt, "detail": detail.strip().splitlines()[-1:]}


# ---------------------------------------------------------------- whole runs


def _ledger_sources(out: Path) -> Counter:
    """The multiset of ``(file, index, offset)`` of the run's ledger rows."""
    if not any((out / "ledger").glob("*.parquet")):
        return Counter()  # inputs that hold no record asked for (a WARC of request records only)
    table = pq.read_table(out / "ledger", columns=["source_file", "source_index", "source_offset"])
    return Counter(zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True))


def fuzz_runs(seed: int, runs: int, pages_dir: str | None, out: Path) -> dict:
    """Run the zh-web recipe in process over ``runs`` folders of mutated files; check the ledger holds
    every record the readers yield or report, exactly once, and that the funnel reconciles."""
    from taoyu.io.tasks import display_path
    from taoyu.pipeline import Pipeline

    pages = seed_pages(pages_dir)
    pipeline = Pipeline.from_recipe(REPO / "recipes" / "zh-web.yaml")
    pipeline.recipe.reader.slice_mb = SLICE_BYTES / 2**20
    problems: list[dict] = []
    records = 0
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="taoyu-fuzz-runs-"))
    try:
        for r in range(runs):
            folder = scratch / f"in{r}"
            folder.mkdir()
            rng = random.Random(f"{seed}:run:{r}")
            for k in range(rng.randint(1, 4)):
                fmt, data = build_input(seed, 10**9 + r * 8 + k, pages)
                (folder / f"f{k}.{fmt}").write_bytes(data)
            expected: Counter = Counter()
            for path in sorted(folder.iterdir()):
                for item in read_items(str(path)):
                    source = item.source
                    expected[(display_path(source.file), source.index, source.offset)] += 1
            run_out = scratch / f"out{r}"
            try:
                summary = pipeline.run([str(folder)], run_out, workers=1)
                found = _ledger_sources(run_out)
                if found != expected or not summary.funnel.reconciles:
                    lost, extra = expected - found, found - expected
                    problems.append(
                        {
                            "run": r,
                            "lost": len(lost),
                            "extra": len(extra),
                            "examples": str(lost or extra)[:300],
                        }
                    )
                records += sum(expected.values())
            except Exception:
                problems.append({"run": r, "error": traceback.format_exc().strip().splitlines()[-1]})
            if problems and problems[-1].get("run") == r:
                kept = out / "findings" / f"run-{r}"
                shutil.copytree(folder, kept, dirs_exist_ok=True)
                print(f"  run {r}: {problems[-1]}", flush=True)
            shutil.rmtree(folder)
            shutil.rmtree(run_out, ignore_errors=True)
            if (r + 1) % 100 == 0:
                print(f"  ... {r + 1:,} of {runs:,} runs, {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "runs": runs,
        "records": records,
        "runs_with_records_lost_or_doubled": sum("lost" in p for p in problems),
        "runs_failed": sum("error" in p for p in problems),
        "problems": problems,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds an input may take")
    parser.add_argument("--pages", default=None, help="a folder of real pages to mutate as well")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "_work" / "fuzz")
    parser.add_argument(
        "--replay", type=int, default=None, help="rebuild and read one input, with its traceback"
    )
    args = parser.parse_args(argv)
    if args.replay is not None:
        fmt, data = build_input(args.seed, args.replay, seed_pages(args.pages))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"input.{fmt}"
            path.write_bytes(data)
            print(f"input {args.replay}: {fmt}, {len(data):,} bytes")
            for item in read_items(str(path)):
                print(" ", type(item).__name__, item.source, getattr(item, "message", ""))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict = {"command": "python bench/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    print(f"readers: {args.inputs:,} inputs on {args.processes} processes", flush=True)
    report["readers"] = fuzz_readers(
        args.seed, args.inputs, args.processes, args.pages, args.time_limit, args.out
    )
    print(json.dumps({k: v for k, v in report["readers"].items() if k != "findings"}, ensure_ascii=False))
    print(f"whole runs: {args.runs:,}", flush=True)
    report["runs"] = fuzz_runs(args.seed, args.runs, args.pages, args.out)
    print(json.dumps({k: v for k, v in report["runs"].items() if k != "problems"}, ensure_ascii=False))
    (args.out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    readers, runs = report["readers"], report["runs"]
    bad = readers["crashes"] + readers["hangs"] + readers["died"]
    bad += runs["runs_with_records_lost_or_doubled"] + runs["runs_failed"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
