"""The run report and the inspector, looked at in a real browser (headless Chromium from Debian's
package, driven by Playwright from PyPI: no browser download)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from taoyu.industry.taxonomy import builtin

from .conftest import REPO, ledger_rows, run_cli, write_jsonl, write_recipe

CHROMIUM = os.environ.get("TAOYU_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (apt-get install chromium): .ci/run installs it")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    run_cli("run", "recipes/zh-web.yaml", "--output", str(out), "--keep-rejects", check=True)
    proc = run_cli("report", str(out), check=True)
    assert "report.html" in proc.stdout
    return out


def _watch(page) -> tuple[list[str], list[str]]:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return requests, errors


# -- the report ------------------------------------------------------------------------------------


def test_report_is_one_offline_file_with_every_section(example_run: Path, browser):
    report = example_run / "report.html"
    assert report.stat().st_size < 2_000_000
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    page = browser.new_page()
    requests, errors = _watch(page)
    page.goto(report.as_uri())
    assert requests == [report.as_uri()] and errors == []
    for section in ("funnel", "steps", "filters", "composition", "sites", "samples", "run"):
        assert page.locator(f"section#{section} h2").is_visible()
    stats = json.loads((example_run / "stats.json").read_text())
    for key in ("records_in", "kept", "dropped", "input_errors"):
        assert page.inner_text(f"td[data-count={key}]") == f"{stats[key]:,}"
    shown = run_cli("stats", str(example_run), check=True).stdout
    assert (
        f"reconciles: {stats['records_in']} in = {stats['kept']} kept + {stats['dropped']} dropped" in shown
    )
    for row in stats["dropped_by"]:
        cells = page.locator(f"table.reasons tr[data-step='{row['step']}'][data-reason='{row['reason']}'] td")
        assert cells.nth(2).inner_text() == f"{row['count']:,}"
        assert (
            page.locator(f"div.drop-sample[data-step='{row['step']}'][data-reason='{row['reason']}']").count()
            == 1
        )
    scored = {
        e["step"]
        for r in ledger_rows(example_run)
        for e in json.loads(r["trace"] or "[]")
        if e.get("score") is not None
    }
    for step in scored - {"optout", "industry"}:
        assert page.locator(f"div.filter[data-step='{step}'] svg").count() == 1
    assert "threshold 50" in page.inner_text("div.filter[data-step='length_filter']")
    assert page.locator("table.pii td").first.inner_text() in ("landline", "wechat")
    # Each section the kept documents were labelled with, by its code and its name in Chinese.
    labelled = {row["industry"] for row in pq.read_table(example_run / "data").to_pylist()} - {"other"}
    names = {label.code: label.name for label in builtin().labels}
    shown_labels = page.inner_text("div.label[data-label='industry']")
    assert labelled and all(f"{code} {names[code]}" in shown_labels for code in labelled)
    assert page.locator("div.edit-sample del").count() >= 1
    assert "casino-888.example" in page.inner_text("table.sites")
    assert "examples/zh-web.warc.gz" in page.inner_text("section#run")
    page.close()


# -- the inspector -----------------------------------------------------------------------------------


class Served:
    def __init__(self, out: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "taoyu.cli", "inspect", str(out)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+))/\?token=(\S+)", line)
        assert match, line + self.proc.stderr.read()
        self.base, self.port, self.token = match.group(1), int(match.group(2)), match.group(3)
        self.url = f"{self.base}/?token={self.token}"

    def status(self, path: str, headers: dict[str, str] | None = None) -> int:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def served(example_run: Path):
    s = Served(example_run)
    yield s
    s.close()


def test_inspector_needs_the_token_and_its_own_host(served: Served):
    assert served.status("/") == 403
    assert served.status("/doc?id=x") == 403
    assert served.status("/?token=wrong") == 403
    name = f"taoyu_inspect_{served.port}"  # per port: two inspectors must not log each other out
    assert served.status("/", {"Cookie": f"{name}=wrong"}) == 403
    assert served.status("/", {"Cookie": f"taoyu_inspect={served.token}"}) == 403
    assert served.status("/?token=%C3%A9") == 403  # a non-ASCII token is just wrong
    assert served.status("/", {"Cookie": f'{name}="\\303\\251"'}) == 403
    cookie = {"Cookie": f"{name}={served.token}"}
    assert served.status("/", cookie) == 200
    assert served.status("/", {**cookie, "Host": f"evil.example:{served.port}"}) == 403
    assert served.status("/", {**cookie, "Host": "127.0.0.1"}) == 403
    with urllib.request.urlopen(urllib.request.Request(served.base + "/", headers=cookie), timeout=10) as r:
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
    # Other local apps' cookies, even ones SimpleCookie cannot parse, do not hide ours.
    messy = f'a="x y"; b={{"k": 1}}; c=é;; {name}={served.token}'
    assert served.status("/", {"Cookie": messy}) == 200
    request = urllib.request.Request(served.base + "/", data=b"x", headers=cookie, method="POST")
    with pytest.raises(urllib.error.HTTPError) as posted:
        urllib.request.urlopen(request, timeout=10)
    assert posted.value.code == 405

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(f"{served.base}/?token={served.token}&outcome=kept", timeout=10)
    assert redirected.value.code == 303 and redirected.value.headers["Location"] == "/?outcome=kept"
    set_cookie = redirected.value.headers["Set-Cookie"]
    assert (
        set_cookie.startswith(f"{name}={served.token};")
        and "HttpOnly" in set_cookie
        and "SameSite=Strict" in set_cookie
    )


def test_inspector_listens_on_loopback_only(served: Served):
    addresses = set()
    with contextlib.suppress(OSError):
        addresses |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    addresses |= {a for a in out if ":" not in a}
    others = [a for a in addresses if not a.startswith("127.")]
    if not others:
        pytest.skip("this machine has no address but loopback")
    for address in others:
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((address, served.port)) != 0, address


def test_click_from_the_list_to_a_dropped_document(served: Served, example_run: Path, browser):
    page = browser.new_page()
    requests, errors = _watch(page)
    page.goto(served.url)
    page.select_option("select[name=outcome]", "dropped")
    page.select_option("select[name=step]", "length_filter")
    page.click("button[type=submit]")
    assert page.inner_text("#count").startswith("1 documents")
    page.click("a.doc")
    row = next(
        r for r in ledger_rows(example_run) if r["step"] == "length_filter" and r["outcome"] == "dropped"
    )
    assert page.inner_text("#doc-id") == row["doc_id"]
    assert page.inner_text("#reason") == row["reason"] == "too_short"
    assert float(page.inner_text("#score")) == row["score"]
    assert float(page.inner_text("#threshold")) == row["threshold"] == 50
    assert page.inner_text("#origin") == "From rejects/."
    assert errors == [] and all(u.startswith(served.base) for u in requests)
    page.close()


def test_duplicates_link_their_kept_twin(served: Served, browser):
    page = browser.new_page()
    page.goto(served.url)
    page.goto(served.base + "/?reason=near_duplicate")
    page.click("a.doc >> nth=0")
    twin = page.inner_text("#twin")
    page.click("#twin")
    assert page.inner_text("#doc-id") == twin and page.inner_text("#outcome") == "kept"
    page.close()


VECTORS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    "<iframe src=javascript:window.__xss=1>",
    "<body onload=window.__xss=1>",
    "<a href=javascript:window.__xss=1>x</a>",
    "<math><mtext></mtext><script>window.__xss=1</script></math>",
    "<details open ontoggle=window.__xss=1>",
    "</pre><script>window.__xss=1</script>",
    "</td></tr></table><img src=x onerror=window.__xss=1>",
    "<style>@import 'http://127.0.0.1:9/x.css';</style>",
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=1'>",
    "<object data=javascript:window.__xss=1>",
    "<embed src=javascript:window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<video><source onerror=window.__xss=1>",
    "{{7*7}}<script>window.__xss=1</script>",
    "<base href=javascript:/><a href=x>y</a>",
]


def _payloads() -> list[str]:
    wrappers = ["{}", "杭州新闻{}正文", "{}\n第二行", "&lt;{}&gt;", "%3C{}"]
    return [w.format(v) for v in VECTORS for w in wrappers]


def test_crawled_markup_never_runs(tmp_path: Path, browser):
    payloads = _payloads()
    assert len(payloads) == 100
    records = [
        {
            "id": f"x{i}",
            "text": f"{p}\n这是一段用来测试的中文正文，内容足够长。",
            "url": f"https://e.example/{i}?q={p}",
            "title": p,
            "note": p,
        }
        for i, p in enumerate(payloads)
    ]
    # Each page crawled twice: the copies are dropped, so the report shows crawled text as samples.
    copies = [{**r, "id": f"copy{i}"} for i, r in enumerate(records)]
    data = write_jsonl(tmp_path / "xss.jsonl", records + copies)
    out = tmp_path / "out"
    recipe = write_recipe(
        tmp_path / "r.yaml", [str(data)], out, "- step: length_filter\n  min_chars: 5\n- step: exact_dedup\n"
    )
    run_cli("run", str(recipe), "--keep-rejects", check=True)
    assert pq.read_table(out / "data").num_rows == 100
    run_cli("report", str(out), check=True)
    s = Served(out)
    try:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        requests, _ = _watch(page)
        page.goto(s.url)
        for i in range(100):
            page.goto(f"{s.base}/doc?id=x{i}")
            assert payloads[i] in page.inner_text("#text")
            assert payloads[i].split("\n")[0] in page.inner_text("#metadata")  # the title, in the meta JSON
            assert page.evaluate("window.__xss") is None
            assert (
                page.locator(
                    "script, iframe, object, embed, img, svg, video, details, math, input, meta[http-equiv]"
                ).count()
                == 0
            )
        page.goto(s.base + "/?text=" + urllib.request.quote("<script>"))
        expected = 2 * sum("<script>" in p for p in payloads)  # the kept pages and their dropped copies
        assert page.locator("a.doc").count() == expected and page.evaluate("window.__xss") is None
        page.goto((out / "report.html").as_uri())
        assert page.evaluate("window.__xss") is None
        samples = page.inner_text("#samples")
        assert "<script>window.__xss=1</script>" in samples  # shown as text
        assert page.locator("script, iframe, object, embed, img, video, details, input").count() == 0
        assert dialogs == [] and all(u.startswith(s.base) or u.startswith("file:") for u in requests)
        page.close()
    finally:
        s.close()


def test_list_filters_on_the_example(example_run: Path):
    from taoyu.inspector.queries import Filters, RunIndex

    index = RunIndex(example_run)
    rows = ledger_rows(example_run)
    _, total = index.list_docs(Filters())
    assert total == len(rows)
    news = [r for r in rows if "qiantang.example" in (r["url"] or "")]
    found, total = index.list_docs(Filters(domain="qiantang.example"))
    assert total == len(news) and {r["doc_id"] for r in found} == {r["doc_id"] for r in news}
    assert (
        index.list_docs(Filters(domain="antang.example"))[1] == 0
    )  # a host is matched whole, not as a suffix
    assert index.list_docs(Filters(domain="NEWS.qiantang.example"))[1] == sum(
        "news.qiantang" in (r["url"] or "") for r in rows
    )
    spam = [r for r in rows if (r["reason"] or "").startswith("spam")]
    assert index.list_docs(Filters(reason="spam"))[1] == len(spam) > 0
    industry = pq.read_table(example_run / "data").column("industry").to_pylist()
    assert index.list_docs(Filters(industry="R"))[1] == industry.count("R") > 0
    assert index.list_docs(Filters(text="地铁"))[1] >= 1
    assert index.list_docs(Filters(text="'; DROP TABLE ledger; --"))[1] == 0
    page, total = index.list_docs(Filters(), page=1, page_size=10)
    assert [r["doc_id"] for r in page] == [r["doc_id"] for r in index.list_docs(Filters(), 0, 20)[0][10:20]]
    facets = index.facets()
    assert (
        "optout" in facets["steps"] and "near_duplicate" in facets["reasons"] and "R" in facets["industries"]
    )


def test_paging_visits_every_document_once_under_a_join(tmp_path: Path):
    """A filter that joins data/ must not reorder the list between pages."""
    import random

    from taoyu.inspector.queries import Filters, RunIndex
    from taoyu.ledger import LEDGER_SCHEMA

    rng = random.Random(3)
    (tmp_path / "ledger").mkdir()
    (tmp_path / "data").mkdir()
    n = 0
    for shard in range(3):
        rows = []
        for _ in range(10_000):
            rows.append({"doc_id": f"d{n}", "source_file": "f", "source_index": n, "outcome": "kept"})
            n += 1
        pq.write_table(
            pa.Table.from_pylist(rows, schema=LEDGER_SCHEMA), tmp_path / "ledger" / f"p0-{shard}.parquet"
        )
    labels = [rng.choice("JPQ") for _ in range(n)]
    pq.write_table(
        pa.table({"id": [f"d{i}" for i in range(n)], "text": ["x"] * n, "industry": labels}),
        tmp_path / "data" / "part-0.parquet",
    )
    index = RunIndex(tmp_path)
    seen = []
    page = 0
    while True:
        rows, total = index.list_docs(Filters(industry="J"), page, page_size=500)
        if not rows:
            break
        seen += [r["doc_id"] for r in rows]
        page += 1
    assert total == labels.count("J") == len(seen) == len(set(seen))
    assert seen == [f"d{i}" for i in range(n) if labels[i] == "J"]  # the ledger's order


def test_report_of_a_run_that_kept_nothing_and_repeated_ids(tmp_path: Path, browser):
    records = [
        {"id": "same", "text": "第一条记录的正文。", "url": "https://a.example/1"},
        {"id": "same", "text": "第二条记录的正文。", "url": "https://a.example/2"},
    ]
    data = write_jsonl(tmp_path / "a.jsonl", records)
    out = tmp_path / "none"
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], out, "- step: length_filter\n  min_chars: 1000\n")
    run_cli("run", str(recipe), "--keep-rejects", check=True)
    run_cli("report", str(out), check=True)
    page = browser.new_page()
    page.goto((out / "report.html").as_uri())
    assert page.inner_text("td[data-count=kept]") == "0" and page.inner_text("td[data-count=dropped]") == "2"
    page.close()

    from taoyu.inspector.queries import Filters, RunIndex

    index = RunIndex(out)
    rows, total = index.list_docs(Filters())
    assert total == 2 and [r["doc_id"] for r in rows] == ["same", "same"]
    texts = [index.document(r["doc_id"], r["source_file"], r["source_index"])["text"] for r in rows]
    assert texts == ["第一条记录的正文。", "第二条记录的正文。"]
    for path in (out / "ledger").glob("*.parquet"):  # a ledger from before the url column
        pq.write_table(pq.read_table(path).drop(["url"]), path)
    assert RunIndex(out).list_docs(Filters(domain="a.example"))[1] == 0
