"""``taoyu inspect OUT``: a small local web app to browse what a run kept and dropped.

Safe by construction, because it shows crawled text (the web's worst) on the user's own machine:

* it listens on 127.0.0.1 only, so nothing off the machine can reach it;
* every request needs the random token printed at start (as Jupyter does): given once in the URL,
  it is swapped for an HttpOnly, SameSite=Strict cookie and the URL is cleaned;
* a request whose Host header is not the loopback address and port gets 403, so a web page that
  rebinds its DNS name to 127.0.0.1 cannot read from it;
* every page is rendered by Jinja2 with autoescaping, crawled HTML is never rendered as HTML,
  there is no script at all, and a strict Content-Security-Policy (``default-src 'none'``) forbids
  scripts, frames, and any request to another origin; only GET is served;
* it makes no outbound request and sends no telemetry.
"""

from __future__ import annotations

import hmac
import secrets
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from jinja2 import Environment, select_autoescape

from taoyu.inspector.queries import PAGE_SIZE, Filters, RunIndex

COOKIE = "taoyu_inspect"
"""Prefix of the session cookie; the port is appended, because browsers share cookies across the
ports of one host and two inspectors must not log each other out."""
LOOPBACK = "127.0.0.1"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_FILTER_KEYS = ("outcome", "step", "reason", "domain", "industry", "text")


class Inspector(ThreadingHTTPServer):
    """The server: one output folder, one token, loopback only."""

    daemon_threads = True

    def __init__(self, output: Path, port: int = 0, token: str | None = None) -> None:
        self.index = RunIndex(output)
        self.token = token or secrets.token_urlsafe(32)
        self.output = output
        self.facets = self.index.facets()
        env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
        env.filters["num"] = lambda v: (
            f"{v:,}" if isinstance(v, int) else (f"{v:.4g}" if isinstance(v, float) else v)
        )
        folder = resources.files("taoyu.inspector")
        self.templates = {
            name: env.from_string(folder.joinpath(f"{name}.html.j2").read_text("utf-8"))
            for name in ("list", "doc")
        }
        self.css = folder.joinpath("style.css").read_bytes()
        super().__init__((LOOPBACK, port), Handler)

    @property
    def port(self) -> int:
        """The port actually bound: with port 0 the system picks a free one, known only after binding."""
        return self.server_address[1]

    @property
    def url(self) -> str:
        """The address to open, with the token."""
        return f"http://{LOOPBACK}:{self.port}/?token={self.token}"

    @property
    def cookie(self) -> str:
        """The session cookie's name, with the port: browsers share cookies across a host's ports, and two
        inspectors must not log each other out."""
        return f"{COOKIE}_{self.port}"

    def allowed_hosts(self) -> set[str]:
        """The only Host headers answered, so a page that rebinds its DNS name to 127.0.0.1 still gets 403."""
        return {f"{LOOPBACK}:{self.port}", f"localhost:{self.port}"}


class Handler(BaseHTTPRequestHandler):
    """Routes: ``/`` (the list), ``/doc?id=…`` (one document), ``/style.css``."""

    server: Inspector
    server_version = "taoyu-inspect"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines would carry the token."""

    def do_GET(self) -> None:
        """Answer a GET; any failure becomes a plain 400, never a traceback in the browser or terminal."""
        try:
            self._get()
        except Exception as exc:  # never a traceback to the client or the terminal
            self._error(HTTPStatus.BAD_REQUEST, f"bad request: {type(exc).__name__}")

    def _get(self) -> None:
        if self.headers.get("Host", "") not in self.server.allowed_hosts():
            return self._error(
                HTTPStatus.FORBIDDEN, "forbidden: this server answers only to its loopback address"
            )
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        given = (query.get("token") or [""])[0]
        if given:
            if not _same(given, self.server.token):
                return self._error(HTTPStatus.FORBIDDEN, "forbidden: wrong token")
            query.pop("token")
            clean = parts.path + ("?" + urlencode(query, doseq=True) if query else "")
            return self._redirect(clean, set_cookie=True)
        if not self._has_cookie():
            return self._error(
                HTTPStatus.FORBIDDEN, "forbidden: open the address taoyu inspect printed (it has the token)"
            )
        try:
            if parts.path == "/":
                return self._send(200, "text/html; charset=utf-8", self._list(query))
            if parts.path == "/doc":
                source_file = (query.get("file") or [None])[0]
                index = (query.get("index") or [None])[0]
                source_index = int(index) if index is not None and index.lstrip("-").isdigit() else None
                page = self._doc((query.get("id") or [""])[0], source_file, source_index)
                if page is None:
                    return self._error(HTTPStatus.NOT_FOUND, "no such document in this run's ledger")
                return self._send(200, "text/html; charset=utf-8", page)
            if parts.path == "/style.css":
                return self._send(200, "text/css; charset=utf-8", self.server.css)
            if parts.path == "/favicon.ico":
                return self._send(204, "image/x-icon", b"")
        except Exception as exc:  # a bad query must not take the server down
            return self._error(HTTPStatus.BAD_REQUEST, f"could not answer: {type(exc).__name__}")
        return self._error(HTTPStatus.NOT_FOUND, "not found")

    def _method_not_allowed(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "only GET is served")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed

    def do_HEAD(self) -> None:
        """Refused like every method but GET: the app only reads, so nothing else needs a door."""
        self._method_not_allowed()

    def _has_cookie(self) -> bool:
        """Whether the request carries this server's cookie. Parsed by hand: ``SimpleCookie`` gives
        up at the first cookie it cannot read, and other local apps set all kinds."""
        for header in self.headers.get_all("Cookie") or []:
            for part in header.split(";"):
                name, _, value = part.strip().partition("=")
                if name == self.server.cookie and _same(value.strip().strip('"'), self.server.token):
                    return True
        return False

    def _list(self, query: dict[str, list[str]]) -> bytes:
        values = {k: (query.get(k) or [""])[0].strip() for k in _FILTER_KEYS}
        try:
            page = max(int((query.get("page") or ["0"])[0]), 0)
        except ValueError:
            page = 0
        filters = Filters(**{k: v or None for k, v in values.items()})
        rows, total = self.server.index.list_docs(filters, page)
        base = {k: v for k, v in values.items() if v}
        pages = {
            "prev": "/?" + urlencode({**base, "page": page - 1}) if page > 0 else None,
            "next": "/?" + urlencode({**base, "page": page + 1}) if (page + 1) * PAGE_SIZE < total else None,
        }
        html = self.server.templates["list"].render(
            rows=rows,
            total=total,
            page=page,
            page_size=PAGE_SIZE,
            values=values,
            facets=self.server.facets,
            pages=pages,
            output=str(self.server.output),
            doc_link=lambda r: (
                "/doc?" + urlencode({"id": r["doc_id"], "file": r["source_file"], "index": r["source_index"]})
            ),
        )
        return html.encode("utf-8")

    def _doc(
        self, doc_id: str, source_file: str | None = None, source_index: int | None = None
    ) -> bytes | None:
        found = self.server.index.document(doc_id, source_file, source_index) if doc_id else None
        if found is None:
            return None
        html = self.server.templates["doc"].render(
            doc=found,
            output=str(self.server.output),
            doc_link=lambda other: "/doc?" + urlencode({"id": other}),
            pretty=_pretty,
        )
        return html.encode("utf-8")

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, set_cookie: bool) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location or "/")
        if set_cookie:
            self.send_header(
                "Set-Cookie", f"{self.server.cookie}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"
            )
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The server's own errors (a malformed request line) as plain text with the same headers."""
        self._error(HTTPStatus(code), message or HTTPStatus(code).phrase)

    def _error(self, status: HTTPStatus, message: str) -> None:
        body = f"{int(status)} {message}\n".encode()
        self._send(int(status), "text/plain; charset=utf-8", body)


def _same(given: str, token: str) -> bool:
    """Constant-time comparison of what a request carries with the token, any characters."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


def _pretty(value: Any) -> str:
    """A trace event's details as indented JSON text (escaped by the template like any text)."""
    import orjson

    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
