"""Drop pages whose publishers said "not for AI training", from what the crawl recorded.

First in a recipe, so an opted-out page is never extracted, labelled or copied into the ledger's
details. It works offline: the response headers the WARC reader kept (``meta['http_headers']``),
the page's own ``<meta>`` tags, and, when the recipe names them, the sites' ``tdmrep.json`` and
``robots.txt`` files as a crawl saved them and a list of domains that opted out by other means.
The rules of each signal are in :mod:`taoyu.optout.signals`.

Every drop names its signal as the reason (``tdm_reservation``, ``noai``, ``content_usage``,
``robots_txt``, ``domain_list``) and, in the details, where it was found (the header or tag as
written, or the file and rule), so a publisher's complaint can be answered from the ledger.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field

from taoyu.document import Document, Event
from taoyu.optout import signals
from taoyu.registry import register
from taoyu.steps.base import Filter, StepParams, Verdict

AI_TRAINING_AGENTS = (
    "GPTBot",
    "ClaudeBot",
    "anthropic-ai",
    "Google-Extended",
    "Applebot-Extended",
    "CCBot",
    "Bytespider",
    "meta-externalagent",
    "FacebookBot",
    "cohere-training-data-crawler",
    "cohere-ai",
    "AI2Bot",
    "Ai2Bot-Dolma",
    "Amazonbot",
    "Omgilibot",
    "Diffbot",
    "PanguBot",
    "Timpibot",
    "ImagesiftBot",
)
"""Crawlers that collect training data, by the product tokens their operators publish (their
search and user-fetch crawlers, which do not train, are left out)."""


class OptOutParams(StepParams):
    """Which crawlers count as AI training, and which saved opt-out files to consult. All offline: a
    page is judged by what its publisher said when it was crawled."""

    agents: list[str] = Field(default_factory=lambda: list(AI_TRAINING_AGENTS))
    """AI-training crawlers whose robots.txt groups, robots meta names and ``X-Robots-Tag``
    prefixes count as an opt-out."""
    robots: list[str] = Field(default_factory=list)
    """robots.txt as the crawl saved them: folders of ``HOST.txt`` or ``HOST/robots.txt`` files, or
    WARC files of robots.txt captures (Common Crawl's ``robotstxt/`` segment files). Each worker
    reads them all once and holds every host's text in memory (a few KB a host): name the files of
    the segments being processed, not a whole crawl's."""
    robots_all_agents: bool = False
    """Also count ``User-agent: *`` disallows. Off: a rule for every crawler is not about AI, and the
    page was crawled anyway."""
    tdmrep: str | None = None
    """A folder of ``tdmrep.json`` files: ``HOST.json``, ``HOST/tdmrep.json`` or
    ``HOST/.well-known/tdmrep.json``."""
    domains: str | None = None
    """A file of domains that opted out (one per line, ``#`` comments); subdomains are included."""
    content_usage: list[str] = Field(default_factory=lambda: ["train-ai", "train-genai", "bots", "all"])
    """``Content-Usage`` categories that speak for AI training, most specific first: the first one
    the header states decides (``train-ai=y, bots=n`` allows training). ``train-ai`` is the current
    draft's; ``train-genai``, ``bots`` and ``all`` are earlier drafts' narrower and broader
    categories, whose refusal covers training too."""


@register("optout")
class OptOut(Filter):
    """Drop pages reserved from AI training by TDMRep, ``noai``, ``Content-Usage``, robots.txt or a
    domain list, naming the signal and where it was found."""

    Params = OptOutParams
    params: OptOutParams
    record_keeps = False

    def artifacts(self) -> list[tuple[str, Path]]:
        """The opt-out lists the step reads: the domain list, the tdmrep.json folder and each
        robots.txt folder or WARC file (a folder is one entry, digested over its listing)."""
        p = self.params
        out: list[tuple[str, Path]] = []
        if p.domains:
            out.append(("domains", Path(p.domains)))
        if p.tdmrep:
            out.append(("tdmrep", Path(p.tdmrep)))
        out += [("robots", Path(entry)) for entry in p.robots]
        return out

    def setup(self) -> None:
        """Read the domain list, tdmrep.json and robots.txt files once per worker; robots.txt texts are
        parsed only when a page of their host turns up."""
        p = self.params
        self._agents = tuple(p.agents)
        self._agent_names = frozenset(a.lower() for a in p.agents)
        self._domains = _read_domains(Path(p.domains)) if p.domains else frozenset()
        self._tdmrep = _read_tdmrep(Path(p.tdmrep)) if p.tdmrep else {}
        self._robots_text: dict[str, tuple[str, str]] = {}
        for entry in p.robots:
            self._robots_text.update(_read_robots(Path(entry)))
        self._robots: dict[str, signals.RobotsTxt] = {}

    def score(self, doc: Document) -> dict[str, float]:
        """1.0 when any opt-out signal applies, for callers of the ``Filter`` interface; ``process`` goes
        straight to the signal, to record where it was found."""
        return {"opted_out": 1.0 if self.signal(doc) else 0.0}

    def decide(self, scores: dict[str, float]) -> Verdict:
        """Drop whatever opted out: a publisher's reservation is not a threshold to tune."""
        return Verdict.drop("opted_out", 1.0) if scores["opted_out"] else Verdict.ok()

    def process(self, doc: Document) -> Document:
        """Drop on the first signal found, with where it was found as the details rather than a score, so
        a publisher's complaint can be answered from the ledger. Keeps go unrecorded."""
        found = self.signal(doc)
        if found is not None:
            reason, details = found
            doc.trace.append(Event(self.name, "drop", reason, 1.0, None, details))
        return doc

    def signal(self, doc: Document) -> tuple[str, dict[str, Any]] | None:
        """The first opt-out that applies to ``doc``, as (reason, details), or None."""
        if not hasattr(self, "_agents"):
            self.setup()
        return next(self._signals(doc), None)

    def _signals(self, doc: Document) -> Iterator[tuple[str, dict[str, Any]]]:
        url = doc.url or ""
        host = _host(url)
        headers = _headers(doc.meta.get("http_headers"))
        if host and self._domains:
            listed = _listed_domain(host, self._domains)
            if listed:
                yield "domain_list", {"signal": "domain_list", "where": f"{self.params.domains}: {listed}"}
        tags = signals.meta_tags(doc.raw) if doc.raw else []
        tdm = self._tdm(url, host, headers, tags)
        if tdm is not None:
            yield "tdm_reservation", tdm
        noai = signals.meta_noai(tags, self._agent_names)
        if noai:
            yield "noai", {"signal": "noai", "where": "html meta", "value": noai}
        noai = signals.header_noai(_strings(headers.get("x-robots-tag")), self._agent_names)
        if noai:
            yield "noai", {"signal": "noai", "where": "http header X-Robots-Tag", "value": noai}
        usage_lines = _strings(headers.get("content-usage"))
        if usage_lines:
            prefs = signals.content_usage(usage_lines) or {}
            stated = next((prefs[c] for c in self.params.content_usage if c in prefs), None)
            if stated == "n":
                yield (
                    "content_usage",
                    {
                        "signal": "content_usage",
                        "where": "http header Content-Usage",
                        "value": ", ".join(usage_lines),
                    },
                )
        if host and url and host in self._robots_text:
            robots = self._robots.get(host)
            if robots is None:
                robots = self._robots[host] = signals.RobotsTxt.parse(self._robots_text[host][1])
            agent = robots.disallowing_agent(url, self._agents, self.params.robots_all_agents)
            if agent:
                yield (
                    "robots_txt",
                    {"signal": "robots_txt", "where": self._robots_text[host][0], "agent": agent},
                )

    def _tdm(
        self, url: str, host: str, headers: dict[str, list[str]], tags: list[tuple[str, str]]
    ) -> dict[str, Any] | None:
        """The TDMRep reservation of the page by the spec's precedence (HTML over header over
        file, an invalid value leaving the decision to the next), as details when it is 1."""
        meta_values = [content for name, content in tags if name == "tdm-reservation"]
        levels: list[tuple[int | None, str, str | None]] = []
        if meta_values:
            policy = next((c for n, c in tags if n == "tdm-policy"), None)
            levels.append((signals.header_tdm_value(meta_values), "html meta", policy))
        header_values = _strings(headers.get("tdm-reservation"))
        if header_values:
            policy = next(iter(_strings(headers.get("tdm-policy"))), None)
            levels.append((signals.header_tdm_value(header_values), "http header", policy))
        rules = self._tdmrep.get(host) if host else None
        if rules:
            where, parsed = rules
            rule = signals.tdmrep_rule(parsed, signals.url_path(url))
            if rule is not None:
                levels.append((rule.reservation, f"{where} (location {rule.location})", rule.policy))
        for value, where, policy in levels:
            if value is None:
                continue
            if value == 1:
                details: dict[str, Any] = {"signal": "tdm_reservation", "where": where}
                if policy:
                    details["policy"] = policy
                return details
            return None  # an explicit 0 at a higher level overrides a reservation below it
        return None


def _strings(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None]
    return [] if value is None else [str(value)]


def _headers(value: object) -> dict[str, list[str]]:
    """Response headers as the reader kept them, or as a JSONL/Parquet input spells them (any case,
    a value or a list of values): names in lower case, values as lists of strings."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, list[str]] = {}
    for name, values in value.items():
        out.setdefault(str(name).strip().lower(), []).extend(_strings(values))
    return out


def _host(url: str) -> str:
    """The URL's host in lower case, internationalised names as their ASCII (punycode) form so a
    list entry matches however either is written; "" when the URL has none or does not parse."""
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return _ascii_host(host)


def _ascii_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _listed_domain(host: str, domains: frozenset[str]) -> str | None:
    parts = host.split(".")
    for i in range(len(parts)):
        candidate = ".".join(parts[i:])
        if candidate in domains:
            return candidate
    return None


def _read_domains(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"optout: cannot read the domain list {path}: {exc}") from None
    out = set()
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        if "://" in entry:
            entry = _host(entry)
        entry = _ascii_host(entry.removeprefix("*.").strip("."))
        if entry:
            out.add(entry)
    return frozenset(out)


def _host_of_file(root: Path, path: Path, name: str, suffix: str) -> str:
    """The host a saved file belongs to, or "" for a file that is not one: ``HOST.txt`` (or
    ``HOST.json``) directly in the folder, or a file called ``name`` in a host's folder
    (``HOST/robots.txt``, ``HOST/.well-known/tdmrep.json``), never a sitemap beside it."""
    rel = path.relative_to(root)
    if len(rel.parts) == 1:
        return _ascii_host(rel.stem) if rel.suffix == suffix and rel.name != name else ""
    if rel.name != name:
        return ""
    return _ascii_host(rel.parts[0])


def _read_tdmrep(root: Path) -> dict[str, tuple[str, list[signals.TdmRule]]]:
    if not root.is_dir():
        raise ValueError(f"optout: tdmrep folder {root} does not exist")
    out = {}
    for path in sorted(root.rglob("*.json")):
        host = _host_of_file(root, path, "tdmrep.json", ".json")
        if not host:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"optout: cannot read {path}: {exc}") from None
        out[host] = (str(path), signals.parse_tdmrep(text, str(path)))
    return out


def _read_robots(entry: Path) -> dict[str, tuple[str, str]]:
    """host → (where it came from, robots.txt text), from a folder of files or a WARC of captures."""
    if entry.is_dir():
        out = {}
        for path in sorted(entry.rglob("*")):
            if not path.is_file():
                continue
            host = _host_of_file(entry, path, "robots.txt", ".txt")
            if host:
                out[host] = (str(path), path.read_bytes().decode("utf-8", "replace"))
        return out
    if entry.is_file():
        return _robots_from_warc(entry)
    raise ValueError(f"optout: robots.txt source {entry} does not exist")


def _robots_from_warc(path: Path) -> dict[str, tuple[str, str]]:
    """The successful robots.txt responses of a WARC file, by host (a later capture replaces an
    earlier one). Imported here: only recipes that name such files need the WARC reader."""
    from taoyu.io.warc import read_warc

    out = {}
    for item in read_warc(str(path), ["response"], 1 << 24):
        if not isinstance(item, Document) or not item.url or item.raw is None:
            continue
        try:
            parts = urlsplit(item.url)
            hostname = parts.hostname
        except ValueError:
            continue
        if parts.path != "/robots.txt" or item.meta.get("http_status") != 200 or not hostname:
            continue
        where = f"{path} ({item.url})"
        out[_ascii_host(hostname)] = (where, item.raw.decode("utf-8", "replace"))
    return out
