"""Publishers' opt-outs: each signal's specification examples, precedence, and the step on a crawl.

The spec cases come from W3C TDMRep (CG Final Report 2024), DeviantArt's noai, IETF
draft-ietf-aipref-vocab and RFC 9309; the pages and files are written here.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from taoyu.document import Document, Source
from taoyu.io.warc import read_warc, warc_response_record
from taoyu.optout import signals
from taoyu.steps.optout import OptOut

from .conftest import ledger_rows, run_cli, write_recipe

# -- TDMRep ----------------------------------------------------------------------------------------

SPEC_TDMREP = """[
  {"location": "/directory-a/", "tdm-reservation": 1},
  {"location": "/directory-b/html/", "tdm-reservation": 1,
   "tdm-policy": "https://provider.com/policies/policy.json"},
  {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0}
]"""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://provider.com/directory-a/x.pdf", (1, None)),
        ("https://provider.com/directory-b/html/p.html", (1, "https://provider.com/policies/policy.json")),
        ("https://provider.com/directory-b/images/a.jpg", (0, None)),
        ("https://provider.com/directory-b/images/a.png", None),
        ("https://provider.com/other", None),
    ],
)
def test_tdmrep_file_spec_example(url, expected):
    rules = signals.parse_tdmrep(SPEC_TDMREP, "tdmrep.json")
    rule = signals.tdmrep_rule(rules, signals.url_path(url))
    assert (rule and (rule.reservation, rule.policy)) == expected


def test_tdmrep_first_rule_wins_not_the_longest():
    rules = signals.parse_tdmrep(
        '[{"location": "/a/", "tdm-reservation": 0}, {"location": "/a/b/", "tdm-reservation": 1}]', "f"
    )
    assert signals.tdmrep_rule(rules, "/a/b/x").reservation == 0


@pytest.mark.parametrize(
    ("location", "path", "matches"),
    [
        ("/", "/anything/at/all", True),
        ("/fish", "/fish.html", True),
        ("/fish", "/Fish.html", False),  # case-sensitive
        ("/fish$", "/fish", True),
        ("/fish$", "/fish/", False),
        ("/*.php$", "/folder/filename.php", True),
        ("/*.php$", "/filename.php?parameters", False),
        ("/path/foo-%24", "/path/foo-$", True),  # %24 is a literal dollar
        ("/%7Euser/", "/~user/page", True),  # unreserved escapes are decoded
        ("/新闻/", "/%E6%96%B0%E9%97%BB/1.html", True),
    ],
)
def test_tdmrep_location_patterns(location, path, matches):
    assert bool(signals.path_pattern(location).match(signals.url_path("https://h.example" + path))) is matches


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0", 0),
        (" 1 ", 1),
        ("2", None),
        ("yes", None),
        ("", None),
        (1, 1),
        (True, None),
        (None, None),
    ],
)
def test_tdm_reservation_values(value, expected):
    assert signals.tdm_value(value) == expected


def test_tdmrep_file_errors_name_the_file():
    with pytest.raises(ValueError, match=r"site/tdmrep\.json"):
        signals.parse_tdmrep('{"location": "/"}', "site/tdmrep.json")
    with pytest.raises(ValueError, match="rule 0"):
        signals.parse_tdmrep('[{"tdm-reservation": 1}]', "x")


# -- noai --------------------------------------------------------------------------------------------

AGENTS = frozenset({"gptbot", "ccbot"})


@pytest.mark.parametrize(
    ("values", "opted_out"),
    [
        (["noai"], True),
        (["NOAI"], True),
        (["noindex", "noai, noimageai"], True),
        (["GPTBot: noai"], True),
        (["otherbot: noai"], False),
        (["noindex", "otherbot: noai"], False),
        (["noindex, gptbot: nofollow, noai"], True),  # the name holds until the next one
        (["noimageai"], False),  # images only
        (["unavailable_after: 25 Jun 2010 15:00:00 PST, noai"], True),  # a valued rule is not a name
        (["max-snippet: 50"], False),
    ],
)
def test_x_robots_tag_noai(values, opted_out):
    assert bool(signals.header_noai(values, AGENTS)) is opted_out


@pytest.mark.parametrize(
    ("html", "opted_out"),
    [
        (b'<head><meta name="robots" content="noai, noimageai"></head>', True),
        (b"<head><META NAME='Robots' CONTENT='NoAI'></head>", True),
        (b'<head><meta name="GPTBot" content="noai"></head>', True),
        (b'<head><meta name="otherbot" content="noai"></head>', False),
        (b'<head><meta name="robots" content="noimageai"></head>', False),
        (b'<head><meta name="description" content="noai art"></head>', False),
        (b'<head><meta content="noai" name="robots"></head>', True),
    ],
)
def test_meta_noai(html, opted_out):
    assert bool(signals.meta_noai(signals.meta_tags(html), AGENTS)) is opted_out


# -- Content-Usage (IETF aipref) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["train-ai=y, search=n"], {"train-ai": "y", "search": "n"}),
        (['train-ai=y, train-ai, search=n, search="n"'], {}),  # the vocabulary draft's own example
        (["train-ai;allow=n, train-ai=y"], {"train-ai": "y"}),
        (['train-ai;has;parameters="?";'], None),
        (["Train-AI=n"], None),  # upper case: the dictionary does not parse
        (["train-ai=N"], {}),
        (["foo=n, train-ai=n"], {"foo": "n", "train-ai": "n"}),
        (["train-ai=?0"], {}),
        (["train-ai=n", "train-ai=y"], {"train-ai": "y"}),  # field lines join; the later member wins
        (["train-ai=n,"], None),
    ],
)
def test_content_usage(lines, expected):
    assert signals.content_usage(lines) == expected


@given(st.text(max_size=60))
def test_content_usage_never_raises(text):
    result = signals.content_usage([text])
    assert result is None or all(v in ("y", "n") for v in result.values())


# -- robots.txt ----------------------------------------------------------------------------------------

RFC_ROBOTS = """User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot
"""


@pytest.mark.parametrize(
    ("agent", "path", "allowed"),
    [
        ("foobot", "/example/page.html", True),
        ("foobot", "/example/allowed.gif", True),
        ("foobot", "/other", False),
        ("barbot", "/example/page.html", False),
        ("bazbot", "/example/page.html", False),
        ("barbot", "/other", True),
        ("quxbot", "/example/x", True),
        ("FooBot", "/other", False),  # product tokens match case-insensitively
    ],
)
def test_robots_rfc9309_groups(agent, path, allowed):
    robots = signals.RobotsTxt.parse(RFC_ROBOTS)
    assert (robots.disallowing_agent("https://h.example" + path, [agent], False) is None) is allowed


def test_robots_longest_match_and_tie_to_allow():
    robots = signals.RobotsTxt.parse(
        "User-agent: GPTBot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n"
        "Allow: /same\nDisallow: /same\n"
    )
    assert robots.disallowing_agent("https://h.example/example/page/disallowed.gif", ["GPTBot"], False)
    assert not robots.disallowing_agent("https://h.example/example/page/ok.html", ["GPTBot"], False)
    assert not robots.disallowing_agent("https://h.example/same", ["GPTBot"], False)


def test_robots_wildcard_group_counts_only_when_asked():
    robots = signals.RobotsTxt.parse("User-agent: *\nDisallow: /private/\n")
    url = "https://h.example/private/a.html"
    assert robots.disallowing_agent(url, ["GPTBot"], all_agents=False) is None
    assert robots.disallowing_agent(url, ["GPTBot"], all_agents=True) == "GPTBot"


def test_robots_named_group_allowing_ai_overrides_star():
    robots = signals.RobotsTxt.parse("User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nAllow: /\n")
    assert robots.disallowing_agent("https://h.example/a", ["GPTBot"], all_agents=True) is None


# -- the step -------------------------------------------------------------------------------------------


def _doc(url: str, html: bytes = b"<html><p>\xe6\xad\xa3\xe6\x96\x87</p></html>", headers=None) -> Document:
    meta = {"http_headers": headers} if headers else {}
    return Document("d", "", Source("f", 0), url, meta, raw=html)


def _reason(step: OptOut, doc: Document):
    found = step.signal(doc)
    return found and found[0]


@pytest.fixture
def sites(tmp_path: Path) -> Path:
    (tmp_path / "robots").mkdir()
    (tmp_path / "robots" / "ai-off.example.txt").write_text("User-agent: GPTBot\nDisallow: /\n")
    (tmp_path / "robots" / "star.example").mkdir()
    (tmp_path / "robots" / "star.example" / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    wk = tmp_path / "tdmrep" / "tdm.example" / ".well-known"
    wk.mkdir(parents=True)
    (wk / "tdmrep.json").write_text(
        '[{"location": "/open/", "tdm-reservation": 0}, {"location": "/", "tdm-reservation": 1}]'
    )
    (tmp_path / "domains.txt").write_text("# by letter\nasked.example\n*.wild.example\n")
    return tmp_path


def test_step_precedence_html_over_header_over_file(sites: Path):
    step = OptOut(tdmrep=str(sites / "tdmrep"))
    meta0 = b'<head><meta name="tdm-reservation" content="0"></head>'
    meta1 = b'<head><meta name="tdm-reservation" content="1"></head>'
    bad = b'<head><meta name="tdm-reservation" content="2"></head>'
    assert _reason(step, _doc("https://tdm.example/a")) == "tdm_reservation"  # the file
    assert _reason(step, _doc("https://tdm.example/open/a")) is None
    assert _reason(step, _doc("https://tdm.example/a", headers={"tdm-reservation": ["0"]})) is None
    assert (
        _reason(step, _doc("https://tdm.example/open/a", headers={"tdm-reservation": ["1"]}))
        == "tdm_reservation"
    )
    assert _reason(step, _doc("https://x.example/a", meta0, {"tdm-reservation": ["1"]})) is None
    assert _reason(step, _doc("https://x.example/a", meta1, {"tdm-reservation": ["0"]})) == "tdm_reservation"
    # An invalid value is absent at its level: the next level decides.
    assert _reason(step, _doc("https://x.example/a", bad, {"tdm-reservation": ["1"]})) == "tdm_reservation"
    assert (
        _reason(step, _doc("https://tdm.example/a", headers={"tdm-reservation": ["maybe"]}))
        == "tdm_reservation"
    )
    # Repeated header lines that disagree are a protocol error.
    assert _reason(step, _doc("https://x.example/a", headers={"tdm-reservation": ["1", "0"]})) is None


def test_step_robots_domains_and_where(sites: Path):
    step = OptOut(robots=[str(sites / "robots")], domains=str(sites / "domains.txt"))
    found = step.signal(_doc("https://www.ai-off.example/news/1.html"))
    assert found is None  # robots.txt is per host: www. is another host
    found = step.signal(_doc("https://ai-off.example/news/1.html"))
    assert (
        found[0] == "robots_txt"
        and found[1]["agent"] == "GPTBot"
        and "ai-off.example.txt" in found[1]["where"]
    )
    assert _reason(step, _doc("https://star.example/a")) is None  # User-agent: * is not about AI
    assert (
        _reason(
            OptOut(robots=[str(sites / "robots")], robots_all_agents=True), _doc("https://star.example/a")
        )
        == "robots_txt"
    )
    assert _reason(step, _doc("https://news.asked.example/a")) == "domain_list"
    assert _reason(step, _doc("https://wild.example/a")) == "domain_list"
    assert _reason(step, _doc("https://notasked.example/a")) is None


def test_step_reads_robots_from_a_warc_of_captures(tmp_path: Path):
    warc = tmp_path / "robotstxt.warc.gz"
    warc.write_bytes(
        warc_response_record(
            "https://ai-off.example/robots.txt",
            b"User-agent: CCBot\nDisallow: /\n",
            content_type="text/plain",
        )
        + warc_response_record(
            "https://open.example/robots.txt", b"User-agent: *\nAllow: /\n", content_type="text/plain"
        )
    )
    step = OptOut(robots=[str(warc)])
    found = step.signal(_doc("https://ai-off.example/x"))
    assert (
        found[0] == "robots_txt" and found[1]["agent"] == "CCBot" and "robotstxt.warc.gz" in found[1]["where"]
    )
    assert step.signal(_doc("https://open.example/x")) is None


def test_step_artifacts_name_each_list_once(sites: Path):
    step = OptOut(
        robots=[str(sites / "robots")], tdmrep=str(sites / "tdmrep"), domains=str(sites / "domains.txt")
    )
    assert sorted((role, path.name) for role, path in step.artifacts()) == [
        ("domains", "domains.txt"),
        ("robots", "robots"),
        ("tdmrep", "tdmrep"),
    ]


def test_only_robots_and_tdmrep_files_count_in_a_host_folder(tmp_path: Path):
    host = tmp_path / "robots" / "ai-off.example"
    host.mkdir(parents=True)
    (host / "robots.txt").write_text("User-agent: GPTBot\nDisallow: /\n")
    (host / "sitemap.xml").write_text("<urlset/>")  # sorts after robots.txt; must not replace it
    wk = tmp_path / "tdmrep" / "tdm.example" / ".well-known"
    wk.mkdir(parents=True)
    (wk / "tdmrep.json").write_text('[{"location": "/", "tdm-reservation": 1}]')
    (wk / "assetlinks.json").write_text('[{"relation": ["x"]}]')  # not a tdmrep file
    step = OptOut(robots=[str(tmp_path / "robots")], tdmrep=str(tmp_path / "tdmrep"))
    assert _reason(step, _doc("https://ai-off.example/a")) == "robots_txt"
    assert _reason(step, _doc("https://tdm.example/a")) == "tdm_reservation"


def test_headers_from_tabular_input_in_any_case_and_bad_urls():
    step = OptOut()
    assert _reason(step, _doc("https://h.example/a", headers={"X-Robots-Tag": "noai"})) == "noai"
    assert _reason(step, _doc("https://h.example/a", headers={"Tdm-Reservation": 1})) == "tdm_reservation"
    assert _reason(step, _doc("http://[bad/x", headers={"content-usage": "train-ai=n"})) == "content_usage"
    assert _reason(step, _doc("http://[bad/x")) is None
    assert _reason(step, _doc("https://h.example/a", headers="not a mapping")) is None


@pytest.mark.parametrize(
    ("value", "opted_out"),
    [
        ("train-ai=n", True),
        ("bots=n", True),  # an earlier draft's broader category: no automated use at all
        ("train-genai=n", True),
        ("train-ai=y, bots=n", False),  # the specific category stated decides
        ("search=n", False),
        ("train-ai=n, foo=(a b)", True),  # an inner list is valid Structured Fields
    ],
)
def test_content_usage_categories(value, opted_out):
    assert (
        _reason(OptOut(), _doc("https://h.example/a", headers={"content-usage": [value]})) == "content_usage"
    ) is opted_out


def test_ai_crawler_names_with_digits_in_x_robots_tag():
    assert (
        _reason(OptOut(), _doc("https://h.example/a", headers={"x-robots-tag": ["AI2Bot: noai"]})) == "noai"
    )


def test_meta_tags_in_comments_or_the_body_do_not_count():
    step = OptOut()
    commented = b'<html><head><!-- <meta name="robots" content="noai"> --></head><body>x</body></html>'
    in_body = b'<html><head><title>t</title></head><body><p>noai</p><meta name="robots" content="noai"></body></html>'
    assert _reason(step, _doc("https://h.example/a", commented)) is None
    assert _reason(step, _doc("https://h.example/a", in_body)) is None
    policy = b'<head><meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="https://H.example/Policy.json"></head>'
    assert step.signal(_doc("https://h.example/a", policy))[1]["policy"] == "https://H.example/Policy.json"


def test_internationalised_domains_match_either_spelling(tmp_path: Path):
    listed = tmp_path / "domains.txt"
    listed.write_text("例子.中国\nxn--fiqs8s.example\n", encoding="utf-8")
    step = OptOut(domains=str(listed))
    assert _reason(step, _doc("https://www.xn--fsqu00a.xn--fiqs8s/a")) == "domain_list"
    assert _reason(step, _doc("https://news.中国.example/a")) == "domain_list"
    assert _reason(step, _doc("https://其他.中国/a")) is None


def test_missing_optout_files_are_named(tmp_path: Path):
    with pytest.raises(ValueError, match=r"nowhere\.txt"):
        OptOut(domains=str(tmp_path / "nowhere.txt")).setup()
    with pytest.raises(ValueError, match="no-robots"):
        OptOut(robots=[str(tmp_path / "no-robots")]).setup()


def test_warc_reader_keeps_the_optout_headers(tmp_path: Path):
    path = tmp_path / "a.warc.gz"
    path.write_bytes(
        warc_response_record(
            "https://h.example/a",
            b"<p>x</p>",
            headers=[
                ("TDM-Reservation", "1"),
                ("X-Robots-Tag", "noindex"),
                ("X-Robots-Tag", "GPTBot: noai"),
                ("Server", "nginx"),
            ],
        )
    )
    (doc,) = list(read_warc(str(path), ["response"], 1 << 20))
    assert doc.meta["http_headers"] == {"tdm-reservation": ["1"], "x-robots-tag": ["noindex", "GPTBot: noai"]}


def test_example_drops_exactly_the_opted_out_pages(tmp_path: Path):
    """The built-in example has one page per signal and two whose signals, by precedence, keep
    them; without the step every one of the eight pages would be kept."""
    out = tmp_path / "out"
    run_cli("run", "recipes/zh-web.yaml", "--output", str(out), check=True)
    rows = ledger_rows(out)
    dropped = {r["url"]: r["reason"] for r in rows if r["step"] == "optout"}
    assert dropped == {
        "https://www.dongcheng-news.example/2026/1008/library.html": "tdm_reservation",
        "https://www.gongshu-life.example/garden.html": "tdm_reservation",
        "https://www.hehu-daily.example/reports/river.html": "tdm_reservation",
        "https://www.shangcheng-today.example/canteen.html": "noai",
        "https://www.binjiang-green.example/bikeway.html": "noai",
        "https://www.museum-city.example/exhibit/song.html": "content_usage",
        "https://www.canal-market.example/nightmarket.html": "robots_txt",
        "https://news.shanxiang.example/firefight.html": "domain_list",
    }
    kept = {r["url"] for r in rows if r["outcome"] == "kept"}
    assert {
        "https://www.hehu-daily.example/open/rainwater.html",
        "https://www.orchard-news.example/orchard.html",
    } <= kept

    recipe = (Path(__file__).resolve().parents[1] / "recipes" / "zh-web.yaml").read_text(encoding="utf-8")
    start = recipe.index("  - step: optout")
    without = recipe[:start] + recipe[recipe.index("  - step: extract_html") :]
    plain = tmp_path / "plain.yaml"
    plain.write_text(without, encoding="utf-8")
    out2 = tmp_path / "plain"
    run_cli("run", str(plain), "--output", str(out2), check=True)
    kept2 = {r["url"] for r in ledger_rows(out2) if r["outcome"] == "kept"}
    assert set(dropped) <= kept2
    assert pq.read_metadata(next((out2 / "data").glob("*.parquet"))).num_rows == len(kept) + len(dropped)


def test_jsonl_documents_pass_without_signals(tmp_path: Path):
    data = tmp_path / "a.jsonl"
    data.write_text('{"id": "1", "text": "正文内容", "url": "https://h.example/a"}\n', encoding="utf-8")
    recipe = write_recipe(tmp_path / "r.yaml", [str(data)], tmp_path / "out", "- step: optout\n")
    run_cli("run", str(recipe), check=True)
    assert [r["outcome"] for r in ledger_rows(tmp_path / "out")] == ["kept"]
