"""Helpers of the `kimsite import` tests: a loopback picture and feed server, workspaces, runs."""

from __future__ import annotations

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from click.testing import CliRunner, Result
from PIL import Image

from kimsite.cli import main
from conftest import MINIMAL_CONFIG, write_workspace

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
CONFIG = MINIMAL_CONFIG + 'fetch:\n  timeout: 5\n  allow_hosts: ["127.0.0.1"]\n'  # pictures from loopback


def picture(kind: str = "JPEG", colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, kind)
    return out.getvalue()


class LoopbackServer:
    """Answers GET on 127.0.0.1: pictures for any address with a picture name, a body set per
    path in `pages`, 404 for addresses containing "hilang" (a picture gone from the old blog)
    and for "hanya-kecil" pictures but their small copies (`-300x200.jpg`)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.pages: dict[str, tuple[bytes, str]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                server.requests.append(self.path)
                if "raksasa" in self.path:  # claims 30 MB: refused before reading it
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(30 * 1024 * 1024))
                    self.end_headers()
                    self.wfile.write(b"\xff\xd8\xff" + b"\0" * 1024)
                    return
                body, kind = server.answer(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def answer(self, path: str) -> tuple[bytes | None, str]:
        if path in self.pages:
            return self.pages[path]
        if "hilang" in path or ("hanya-kecil" in path and not re.search(r"-\d+x\d+\.", path)):
            return None, ""
        if "not-a-picture" in path:
            return b"<html>Halaman tidak ditemukan</html>", "text/html"
        if re.search(r"\.png$", path, re.IGNORECASE):
            return picture("PNG", (30, 90, 200)), "image/png"
        if re.search(r"\.(jpe?g)$", path, re.IGNORECASE):
            return picture(), "image/jpeg"
        return None, ""

    def __enter__(self) -> "LoopbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def workspace(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    return write_workspace(root, {"kimsite.yaml": CONFIG, **(extra or {})})


def export_copy(name: str, target: Path, replace: dict[str, str] | None = None) -> Path:
    """A fixture export, with addresses replaced (the old blog's picture hosts -> loopback)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target


def kimsite(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def front_matter(path: Path) -> dict:
    """The front matter as kimsite reads it (dates stay text)."""
    from kimsite.base.yamlio import load_mapping

    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    doc, problems = load_mapping(text.split("---\n", 2)[1], path.name)
    assert doc is not None and not problems
    return doc.data


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]
