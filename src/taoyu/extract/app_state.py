"""The text a JavaScript app page carries in its embedded state, for pages whose DOM shows little.

A Q&A site, a Next.js or a Nuxt page is often an app shell: the HTML a crawler saves holds one
answer, or a UI string ("你今天的邀请回答名额已用完"), while every answer, the question's details
and the article itself sit in a JSON blob the app reads when it starts (zhihu's
``<script id="js-initialData">``, Next.js's ``<script id="__NEXT_DATA__">``, Nuxt's
``__NUXT_DATA__``). That blob is data,
so what is content in it is told by what the strings are, not by the site's field names:

- a string holding paragraph markup (``<p>``, ``<br>``) is rich text: rendered to lines;
- a plain string of a sentence or more (a sentence mark, 40 characters) is prose;
- summaries, excerpts, descriptions and SEO fields repeat the content in short and are skipped,
  and so is a string whose text was already taken (an answer's excerpt inside its content);
- a fragment of markup that is mostly links over several lines is the site's header or footer,
  rendered into the state (a Next.js news page carries its menus so): skipped.

Found in document order of the JSON. Only the scripts named above are read: extraction finds their
ids among the labels it reads anyway, and only then queries the page for them (a substring search
over a Chinese page's text, or a CSS query, would cost a tenth of extraction on every page). A
state assigned in JavaScript (``window.__INITIAL_STATE__ = …``) is not JSON and is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser

from taoyu.extract.text import block_lines

STATE_IDS = (b"js-initialData", b"__NEXT_DATA__", b"__NUXT_DATA__")
"""The ids of the scripts that hold an app's state as JSON."""
STATE_SCRIPTS = ", ".join(f"script#{name.decode()}" for name in STATE_IDS)
"""The CSS query that finds them."""
_RICH = re.compile(r"<(?:p|br|h[1-6]|li|blockquote)\b", re.IGNORECASE)
_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|&[a-z]+;|&#\d+;")
_SENTENCE = re.compile(r"[。！？!?]|[.](?:\s|$)")
_SKIPPED_KEYS = re.compile(
    r"excerpt|summary|description|desc$|abstract|seo|^meta|^og|share|digest|preview|snippet|tooltip|"
    r"placeholder|^url|link$|href|^src|image|avatar|headline|^title$|^name$",
    re.IGNORECASE,
)
_MIN_PROSE = 40  # characters of a plain string that reads as content
_MIN_ADDED = 30  # characters the state must add to the page's text to be used
_MIN_RICH = 10  # characters of rendered rich text worth keeping
_NAVIGATION_LINKS = 0.6  # share of a fragment's text in links that makes it navigation...
_NAVIGATION_LINES = 4  # ...when it renders to this many lines or more (a paragraph's links do not)
_MAX_DEPTH = 64
_MAX_STATE_CHARS = 20_000_000  # a larger blob is not parsed


def state_lines(state: str) -> list[str]:
    """The content in an app's embedded state (the JSON text of one of :data:`STATE_SCRIPTS`), a
    paragraph per line; none when the state does not parse (Nuxt's can be JavaScript)."""
    if not state or len(state) > _MAX_STATE_CHARS:
        return []
    try:
        blob = orjson.loads(state)
    except orjson.JSONDecodeError:
        return []
    lines: list[str] = []
    seen: set[str] = set()
    for value in _strings(blob, "", 0):
        for line in _lines(value):
            if line not in seen:
                seen.add(line)
                lines.append(line)
    return lines


def with_state(lines: list[str], state: list[str]) -> tuple[list[str], int]:
    """The page's extracted lines, followed by the state's lines that are not among them (the
    answers the DOM did not show); and the characters added. Used only when the state holds at
    least as much again as the DOM showed: an app shell shows a UI string or one answer of
    several, while a page rendered on the server shows its content, and its state then adds
    only what extraction rightly left out (an author's bio, a sidebar's widgets). The DOM's own
    text comes first: a state's copy of the first answer is often cut short ("显示全部")."""
    if not state:
        return lines, 0
    shown = "\n".join(lines)
    extra = [line for line in state if line not in shown]
    added = sum(map(len, extra))
    if added < max(_MIN_ADDED, len(shown)):
        return lines, 0
    return lines + extra, added


def _strings(value: Any, key: str, depth: int) -> Iterator[str]:
    """Content-looking strings under ``value``, in order, skipping keys that hold summaries."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if not _SKIPPED_KEYS.search(str(k)):
                yield from _strings(v, str(k), depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key, depth + 1)
    elif isinstance(value, str) and len(value) >= _MIN_RICH and _is_content(value):
        yield value


def _is_content(value: str) -> bool:
    """Rich text, or a plain string of a sentence or more; not an address or serialised data."""
    if value.startswith(("http://", "https://", "/", "{", "[")):
        return False
    return bool(_RICH.search(value)) or (len(value) >= _MIN_PROSE and bool(_SENTENCE.search(value)))


def _lines(value: str) -> list[str]:
    """Rich text rendered a block per line; plain text split at its line breaks."""
    if _MARKUP.search(value):
        tree = LexborHTMLParser(value)
        root = tree.body or tree.root
        lines = block_lines(root) if root is not None else []
        text = sum(map(len, lines))
        if len(lines) >= _NAVIGATION_LINES and root is not None:
            linked = sum(len("".join(link.text().split())) for link in root.css("a"))
            if linked >= _NAVIGATION_LINKS * sum(len("".join(line.split())) for line in lines):
                return []  # a header's or a footer's menus
        return lines if text >= _MIN_RICH else []
    return [" ".join(line.split()) for line in value.splitlines() if line.strip()]
