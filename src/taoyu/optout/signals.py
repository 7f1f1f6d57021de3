"""Publishers' "not for AI training" signals, parsed as their specifications say.

Each parser takes what a crawl recorded (an HTTP header's values, a page's ``<meta>`` tags, a
site's ``tdmrep.json`` or ``robots.txt``) and answers one question: did the publisher reserve this
page from AI training or text-and-data mining? None of them fetches anything.

* W3C TDMRep (Community Group Final Report, 2024): ``tdm-reservation`` is ``1`` (reserved) or
  ``0`` (not); any other value is a protocol error that leaves it unset. It can come from
  ``/.well-known/tdmrep.json`` (the first rule whose ``location`` matches the path wins), the HTTP
  header, or ``<meta name="tdm-reservation">``; a later source supersedes an earlier one, so the
  order of precedence is HTML, then header, then file. An invalid value at one level is treated as
  absent there, and the next level decides.
* ``noai`` (DeviantArt, 2022), in robots meta tags and ``X-Robots-Tag`` headers, with the header's
  optional user-agent prefix (``X-Robots-Tag: GPTBot: noai``); ``noimageai`` reserves images only,
  so it does not reserve a page's text.
* IETF AI preferences (draft-ietf-aipref-vocab, -attach): ``Content-Usage`` is a Structured Fields
  dictionary of ``category=y|n``; ``train-ai=n`` refuses training. A dictionary that does not parse
  (an upper-case key, say) says nothing; unknown categories and parameters are ignored; several
  field lines are one list, so a later ``train-ai`` overrides an earlier one.
* robots.txt (RFC 9309, matched by protego): a page is reserved when a group naming one of the AI
  training crawlers disallows it. A rule for all crawlers (``User-agent: *``) counts only when
  asked: it is how sites keep every crawler out of a folder, not a statement about AI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson
from protego import Protego

# -- TDMRep ---------------------------------------------------------------------------------------


def tdm_value(value: object) -> int | None:
    """A ``tdm-reservation`` value as the spec reads it: 1, 0, or None (unset or a protocol error)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in (0, 1) else None
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    return None


def header_tdm_value(values: Sequence[str]) -> int | None:
    """The header's reservation; repeated lines that disagree are a protocol error (unset)."""
    parsed = {tdm_value(v) for v in values}
    if len(parsed) != 1:
        return None
    return parsed.pop()


@dataclass(frozen=True, slots=True)
class TdmRule:
    """One rule of a ``tdmrep.json`` file."""

    location: str
    reservation: int | None
    policy: str | None
    pattern: re.Pattern[str]


def parse_tdmrep(text: str, where: str) -> list[TdmRule]:
    """The rules of a ``tdmrep.json`` file, in order; a file that is not the spec's JSON array of
    objects with a ``location`` raises ``ValueError`` naming ``where``."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise ValueError(f"{where}: a tdmrep.json file is a JSON array of rules")
    rules = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("location"), str):
            raise ValueError(f"{where}: rule {i} has no 'location' string")
        policy = item.get("tdm-policy")
        rules.append(
            TdmRule(
                item["location"],
                tdm_value(item.get("tdm-reservation")),
                policy if isinstance(policy, str) else None,
                path_pattern(item["location"]),
            )
        )
    return rules


def tdmrep_rule(rules: Sequence[TdmRule], path: str) -> TdmRule | None:
    """The rule that governs ``path``: the first that matches (the spec's "most specific match is the
    first in sequence"), or None."""
    for rule in rules:
        if rule.pattern.match(path):
            return rule
    return None


_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def _canonical(path: str) -> str:
    """A path in the one spelling patterns and URLs are compared in: unreserved characters
    (letters, digits, ``-._~``) percent-decoded, other escapes in upper case, non-ASCII characters
    percent-encoded as UTF-8 and ``$`` written ``%24`` (so a pattern's ``%24`` is a literal dollar)."""

    def repl(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if (ch.isascii() and ch.isalnum()) or ch in "-._~" else m.group(0).upper()

    out = []
    for ch in _PERCENT.sub(repl, path):
        if ch == "$":
            out.append("%24")
        elif ord(ch) > 127:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def path_pattern(location: str) -> re.Pattern[str]:
    """A robots-style path pattern (``*`` any run of characters, a final ``$`` the end) as a regex
    anchored at the start of the path; matching is case-sensitive, as both specs say."""
    end = location.endswith("$")
    if end:
        location = location[:-1]
    body = ".*".join(re.escape(_canonical(part)) for part in location.split("*"))
    return re.compile(body + ("$" if end else ""), re.DOTALL)


def url_path(url: str) -> str:
    """The path and query of a URL in the spelling patterns are matched against."""
    m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*", url)
    rest = url[m.end() :] if m else url
    rest = rest.split("#", 1)[0] or "/"
    if not rest.startswith("/"):
        rest = "/" + rest
    return _canonical(rest)


# -- HTML meta tags -----------------------------------------------------------------------------

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
HEAD_LIMIT = 1 << 18
"""Bytes of a page searched for opt-out meta tags when it has no ``</head>`` earlier: the specs put
them in the head, and a page's body can be megabytes."""


def page_head(html: bytes) -> bytes:
    """The page up to its ``</head>`` or ``<body>`` (at most :data:`HEAD_LIMIT` bytes): where
    opt-out meta tags are, found with plain byte searches (no per-byte regex over a long body)."""
    window = html[:HEAD_LIMIT]
    marks = (b"</head", b"</HEAD", b"<body", b"<BODY")
    ends = [i for i in (window.find(m) for m in marks) if i >= 0]
    return window[: min(ends)] if ends else window


def meta_tags(html: bytes) -> list[tuple[str, str]]:
    """``(name, content)`` of the ``<meta name=… content=…>`` tags in the page's head that can carry
    an opt-out (when the head mentions ``noai`` or ``tdm-``); names in lower case, contents as
    written. Tags inside HTML comments do not count. A head without either word costs a few byte
    searches."""
    head = page_head(html)
    low = head.lower()
    if low.find(b"noai") < 0 and low.find(b"tdm-") < 0:
        return []
    if b"<!--" in head:
        head = _COMMENT.sub(b"", head)
    out = []
    for tag in _META.finditer(head):
        attrs = {k.lower(): v.strip(b"\"'") for k, v in _ATTR.findall(tag.group(0))}
        name, content = attrs.get(b"name"), attrs.get(b"content")
        if name is None or content is None:
            continue
        out.append((name.decode("latin-1").strip().lower(), content.decode("utf-8", "replace").strip()))
    return out


# -- noai --------------------------------------------------------------------------------------------

_VALUED_DIRECTIVES = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")  # RFC 9309 product-token characters, digits included (AI2Bot)


def meta_noai(tags: Iterable[tuple[str, str]], agents: frozenset[str]) -> str | None:
    """The meta tag that says ``noai`` to every robot or to one of ``agents`` (lower case), or None."""
    for name, content in tags:
        if name != "robots" and name not in agents:
            continue
        if "noai" in _directives(content):
            return f'<meta name="{name}" content="{content}">'
    return None


def _directives(content: str) -> set[str]:
    return {d.strip().lower() for d in re.split(r"[,\s]+", content) if d.strip()}


def header_noai(values: Sequence[str], agents: frozenset[str]) -> str | None:
    """The ``X-Robots-Tag`` value that says ``noai`` to every robot or to one of ``agents``, or None.

    A value may name a user agent before its rules (``GPTBot: noai``); the name holds until the
    next one. Rules with their own colon (``max-snippet: 50``) are not names.
    """
    for value in values:
        agent: str | None = None
        for item in value.split(","):
            item = item.strip()
            head, sep, tail = item.partition(":")
            if sep and _TOKEN.match(head.strip()) and head.strip().lower() not in _VALUED_DIRECTIVES:
                agent = head.strip().lower()
                item = tail.strip()
            if item.lower() == "noai" and (agent is None or agent in agents):
                return value
    return None


# -- Content-Usage (IETF aipref) -----------------------------------------------------------------

_SF_KEY = re.compile(r"[a-z*][a-z0-9_.*-]*")
_SF_TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~:/0-9A-Za-z]*")
_SF_BARE = re.compile(r"""\?[01]|-?[0-9][0-9.]*|"(?:[^"\\]|\\.)*"|:[A-Za-z0-9+/=]*:|@-?[0-9]+|%"[^"]*\"""")


def content_usage(values: Sequence[str]) -> dict[str, str] | None:
    """The preferences of ``Content-Usage`` field lines: category → ``"y"`` or ``"n"``, for the
    categories whose value is one of those tokens. None when the dictionary does not parse (then
    nothing is known). Field lines are joined as one list, so a later key overrides an earlier one."""
    text = ", ".join(v for v in values)
    prefs: dict[str, str] = {}
    pos, n = 0, len(text)

    def skip_ows(i: int) -> int:
        while i < n and text[i] in " \t":
            i += 1
        return i

    pos = skip_ows(pos)
    while pos < n:
        m = _SF_KEY.match(text, pos)
        if not m:
            return None
        key, pos = m.group(0), m.end()
        value: str | None = None
        if pos < n and text[pos] == "=":
            pos += 1
            if pos < n and text[pos] == "(":
                pos = _skip_inner_list(text, pos)  # a valid member of no meaning to aipref
                if pos < 0:
                    return None
            else:
                m = _SF_TOKEN.match(text, pos) or _SF_BARE.match(text, pos)
                if not m:
                    return None
                raw, pos = m.group(0), m.end()
                value = raw if raw in ("y", "n") else None
        pos = _skip_params(text, pos)
        if pos < 0:
            return None
        if value is None:
            prefs.pop(key, None)  # a later member replaces an earlier one, whatever it holds
        else:
            prefs[key] = value
        pos = skip_ows(pos)
        if pos >= n:
            break
        if text[pos] != ",":
            return None
        pos = skip_ows(pos + 1)
        if pos >= n:
            return None  # a trailing comma
    return prefs


def _skip_inner_list(text: str, pos: int) -> int:
    """Skip an inner list ``(item item;param)`` (RFC 8941 4.2.1.2); -1 when it does not parse."""
    n = len(text)
    pos += 1
    while True:
        while pos < n and text[pos] == " ":
            pos += 1
        if pos < n and text[pos] == ")":
            return pos + 1
        m = _SF_TOKEN.match(text, pos) or _SF_BARE.match(text, pos)
        if not m:
            return -1
        pos = _skip_params(text, m.end())
        if pos < 0 or pos >= n or text[pos] not in " )":
            return -1


def _skip_params(text: str, pos: int) -> int:
    """Skip ``;key[=value]`` parameters (ignored by aipref); -1 when they do not parse."""
    n = len(text)
    while pos < n and text[pos] == ";":
        pos += 1
        while pos < n and text[pos] == " ":
            pos += 1
        m = _SF_KEY.match(text, pos)
        if not m:
            return -1
        pos = m.end()
        if pos < n and text[pos] == "=":
            m = _SF_TOKEN.match(text, pos + 1) or _SF_BARE.match(text, pos + 1)
            if not m:
                return -1
            pos = m.end()
    return pos


# -- robots.txt ---------------------------------------------------------------------------------------

_USER_AGENT_LINE = re.compile(r"^\s*user-agent\s*:\s*([^#\s]+)", re.IGNORECASE | re.MULTILINE)


@dataclass(slots=True)
class RobotsTxt:
    """A parsed robots.txt, knowing which crawlers it names in its groups."""

    parser: Protego
    named: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> RobotsTxt:
        """Parse with protego (RFC 9309 longest match, ``*`` and ``$``, allow wins a tie)."""
        named = frozenset(m.group(1).strip().lower() for m in _USER_AGENT_LINE.finditer(text))
        return cls(Protego.parse(text), named)

    def disallowing_agent(self, url: str, agents: Sequence[str], all_agents: bool) -> str | None:
        """The first of ``agents`` whose own group disallows ``url`` (or, with ``all_agents``, that
        the ``*`` group disallows it for), or None."""
        for agent in agents:
            if agent.lower() not in self.named and not all_agents:
                continue
            if not self.parser.can_fetch(url, agent):
                return agent
        return None
