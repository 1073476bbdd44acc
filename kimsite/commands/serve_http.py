"""The HTTP side of `kimsite serve`: files of the serve output, live reload, error page.

Pages are served from the private output folder under the configured base path.
HTML responses get a small live-reload script injected at response time (the
files on disk never contain it); the script listens to Server-Sent Events on
EVENTS_PATH and reloads the page when a rebuild finished. While the last build
failed, every HTML request answers with a page listing the problems.
"""

from __future__ import annotations

import mimetypes
import posixpath
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit, parse_qs

from kimsite.base.problems import Problem

EVENTS_PATH = "/__kimsite/events"
KEEPALIVE_SECONDS = 10.0

_TYPES = {".xml": "application/xml", ".ics": "text/calendar", ".opml": "text/x-opml",
          ".webp": "image/webp", ".svg": "image/svg+xml", ".json": "application/json",
          ".csv": "text/csv", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}
_TEXT_TYPES = ("text/", "application/xml", "application/json", "text/javascript")


def reload_script(generation: int) -> str:
    """The snippet added to served HTML: reload when the server announces a newer build."""
    return (
        "<script>/* kimsite serve: live reload */(function(){"
        f"var g={generation};"
        "if(!window.EventSource)return;"
        f"var s=new EventSource('{EVENTS_PATH}?g='+g);"
        "s.addEventListener('reload',function(){s.close();location.reload();});"
        "})();</script>"
    )


def inject(html: bytes, generation: int, banner: str = "") -> bytes:
    """`html` with the reload script before </body> (or at the end), and `banner` (the last
    build's warnings) at the start of the body."""
    script = reload_script(generation).encode()
    lower = html.lower()
    if banner:
        opening = lower.find(b"<body")
        start = lower.find(b">", opening) + 1 if opening >= 0 else 0
        html = html[:start] + banner.encode() + html[start:]
        lower = html.lower()
    position = lower.rfind(b"</body>")
    if position < 0:
        return html + script
    return html[:position] + script + html[position:]


@dataclass
class ServeState:
    """What the server shows; updated by the rebuild thread, read by request threads."""

    output_dir: Path
    base_path: str  # "/" or "/repo/"
    lang: str
    generation: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # of the last good build, shown as a banner
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, errors: list[Problem]) -> None:
        """A build finished (errors empty) or failed: tell every open page."""
        with self.changed:
            self.errors = list(errors)
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith(_TEXT_TYPES) and "charset" not in kind:
        kind += "; charset=utf-8"
    return kind


class Handler(BaseHTTPRequestHandler):
    server_version = "kimsite-serve"
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm the body then waits for the
    # browser's delayed acknowledgement (about 40 ms on Linux) on every kept-alive connection.
    disable_nagle_algorithm = True
    state: ServeState  # set on the subclass made by make_server

    # --- plumbing --------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # the terminal shows builds and problems, not every request

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _send(self, status: int, body: bytes, kind: str, head: bool, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str, head: bool) -> None:
        self._send(HTTPStatus.FOUND, b"", "text/plain; charset=utf-8", head, {"Location": location})

    # --- routing -----------------------------------------------------------------------
    def _respond(self, head: bool) -> None:
        state = self.state
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == EVENTS_PATH:
            self._events(parse_qs(parts.query).get("g", [""])[0])
            return
        base = state.base_path
        if path == base.rstrip("/") and base != "/":
            self._redirect(base, head)
            return
        if not path.startswith(base):
            if path in ("/", "/index.html"):
                self._redirect(base, head)
                return
            self._not_found(head)
            return
        rel = path[len(base):]
        wants_html = rel == "" or rel.endswith("/") or rel.endswith(".html") or "." not in posixpath.basename(rel)
        if state.errors and wants_html:
            self._error_page(head)
            return
        target = self._resolve(rel)
        if target is None:
            self._not_found(head)
            return
        if target.is_dir():
            self._redirect(base + rel + "/" + (f"?{parts.query}" if parts.query else ""), head)
            return
        try:
            body = target.read_bytes()
        except OSError:
            self._not_found(head)
            return
        kind = content_type(target)
        if kind.startswith("text/html"):
            body = inject(body, state.generation, self._banner())
        self._send(HTTPStatus.OK, body, kind, head)

    def _resolve(self, rel: str) -> Path | None:
        """The file for a path inside the base path; None when missing or outside the output."""
        output = self.state.output_dir.resolve()
        clean = posixpath.normpath("/" + rel).lstrip("/")
        target = (output / clean).resolve() if clean not in ("", ".") else output
        if not target.is_relative_to(output):
            return None
        if target.is_dir():
            if rel and not rel.endswith("/"):
                return target
            target = target / "index.html"
        return target if target.is_file() else None

    def _banner(self) -> str:
        from kimsite.commands.serve_page import warning_banner

        warnings = self.state.warnings
        return warning_banner(warnings, self.state.lang) if warnings else ""

    def _not_found(self, head: bool) -> None:
        page = self.state.output_dir / "404.html"
        try:
            body = inject(page.read_bytes(), self.state.generation, self._banner())
        except OSError:
            body = inject(b"<!doctype html><title>404</title><h1>404</h1>", self.state.generation)
        self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", head)

    def _error_page(self, head: bool) -> None:
        from kimsite.commands.serve_page import error_page

        state = self.state
        body = inject(error_page(state.errors, state.lang).encode(), state.generation)
        self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/html; charset=utf-8", head)

    # --- Server-Sent Events ---------------------------------------------------------------
    def _events(self, seen: str) -> None:
        state = self.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with state.changed:
            generation = int(seen) if seen.isdigit() else state.generation
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                with state.changed:
                    if state.generation == generation and not state.stopping:
                        state.changed.wait(KEEPALIVE_SECONDS)
                    current, stopping = state.generation, state.stopping
                if stopping:
                    return
                if current != generation:
                    generation = current
                    self.wfile.write(f"event: reload\ndata: {current}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(host: str, port: int, state: ServeState) -> Server:
    handler = type("KimsiteHandler", (Handler,), {"state": state})
    return Server((host, port), handler)
