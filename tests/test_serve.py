"""`kimsite serve` in a real subprocess on a free loopback port.

The server builds a small workspace hosted under a sub-path (/repo/), serves it,
watches the files and pushes a "reload" Server-Sent Event after each rebuild.
The subprocess is always terminated (fixture with finally).
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import write_workspace

ARTICLE = """\
---
title: {title}
date: 2021-12-21 09:00
summary: Warga membersihkan saluran irigasi bersama-sama.
category: Lingkungan
---

Gotong royong dimulai pukul tujuh pagi.
"""

BROKEN = """\
---
title: Gotong Royong
date: 2021-13-45
---

Isi.
"""

ARTICLE_PATH = "content/kim-uji/2021-12-21-gotong-royong.md"
ARTICLE_URL = "/repo/kim-uji/2021/12/gotong-royong/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        env = dict(os.environ, KIMSITE_LANG="id", PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kimsite", "serve", "-C", str(root), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)
            self.lines.put(line)

    def wait_for_output(self, needle: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if needle in line:
                return line
        raise AssertionError(f"no {needle!r} in server output:\n{''.join(self.log)}")

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class EventStream:
    """Reads Server-Sent Events in a thread; `next_event` waits for one."""

    def __init__(self, port: int, generation: int):
        self.events: "queue.Queue[tuple[str, str]]" = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", f"/__kimsite/events?g={generation}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = "message", ""
        try:
            while True:
                raw = self.response.fp.readline()
                if not raw:
                    return
                line = raw.decode().rstrip("\n")
                if line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
                elif line == "" and data:
                    self.events.put((name, data))
                    name, data = "message", ""
        except OSError:
            return

    def next_event(self, timeout: float = 30) -> tuple[str, str]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.connection.close()


def generation_of(page: str) -> int:
    match = re.search(r"var g=(\d+);", page)
    assert match, "the live-reload script is missing from the served page"
    return int(match.group(1))


@pytest.fixture
def served(tmp_path):
    root = write_workspace(tmp_path / "ws", {
        "kimsite.yaml": """\
            base_url: https://contoh.github.io/repo/
            language: id
            timezone: Asia/Jakarta
            """,
        "sites/kim-uji.yaml": """\
            name: KIM Uji Coba
            kecamatan: Maniis
            desa: Citamiang
            """,
        ARTICLE_PATH: ARTICLE.format(title="Gotong Royong Bersihkan Irigasi"),
        "content/kim-uji/2021-12-22-panen.md": ARTICLE.format(title="Panen Padi Gadu"),
    })
    server = ServeProcess(root)
    try:
        server.wait_for_output("pratinjau siap")
        yield server
    finally:
        server.stop()


def write_source(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_page_loads_under_base_path_with_injected_script(served):
    status, _, page = served.get(ARTICLE_URL)
    assert status == 200
    assert "Gotong Royong Bersihkan Irigasi" in page
    assert "/__kimsite/events" in page and "EventSource" in page
    assert page.rindex("EventSource") < page.lower().rindex("</body>")

    status, headers, _ = served.get("/")
    assert status == 302 and headers["Location"] == "/repo/"
    status, _, home = served.get("/repo/kim-uji/")
    assert status == 200 and "Panen Padi Gadu" in home

    status, _, missing = served.get("/repo/kim-uji/tidak-ada/")
    assert status == 404 and "EventSource" in missing

    status, headers, css = served.get("/repo/kim-uji/feed.xml")
    assert status == 200 and "xml" in headers["Content-Type"] and "EventSource" not in css

    output = served.root / ".kimsite" / "serve"
    html_files = list(output.rglob("*.html"))
    assert html_files, "serve builds into .kimsite/serve/"
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"__kimsite" not in data and b"EventSource" not in data, path
    assert not (served.root / "_site").exists(), "serve never writes the published _site/"
    # Links in the served pages carry the configured base path on the local address.
    assert f'href="{ARTICLE_URL}"' in home


def test_edit_rebuilds_and_sends_reload(served):
    status, _, page = served.get(ARTICLE_URL)
    events = EventStream(served.port, generation_of(page))
    try:
        started = time.monotonic()
        write_source(served.root / ARTICLE_PATH, ARTICLE.format(title="Judul Baru Setelah Disunting"))
        name, _ = events.next_event()
        assert name == "reload"
        assert time.monotonic() - started < 20
    finally:
        events.close()
    status, _, page = served.get(ARTICLE_URL)
    assert status == 200 and "Judul Baru Setelah Disunting" in page
    served.wait_for_output("dibangun ulang")


def test_temporary_editor_files_are_ignored(served):
    _, _, page = served.get(ARTICLE_URL)
    events = EventStream(served.port, generation_of(page))
    try:
        (served.root / "content/kim-uji/.2021-12-21-gotong-royong.md.swp").write_text("x")
        (served.root / "content/kim-uji/2021-12-21-gotong-royong.md~").write_text("x")
        with pytest.raises(queue.Empty):
            events.next_event(timeout=1.5)
    finally:
        events.close()


def test_broken_article_shows_error_page_and_fixing_recovers(served):
    _, _, page = served.get(ARTICLE_URL)
    events = EventStream(served.port, generation_of(page))
    try:
        write_source(served.root / ARTICLE_PATH, BROKEN)
        assert events.next_event()[0] == "reload"
        served.wait_for_output("galat")
        for path in (ARTICLE_URL, "/repo/kim-uji/", "/repo/kim-uji/2021/12/panen/"):
            status, _, error_page = served.get(path)
            assert status == 500
            assert f"{ARTICLE_PATH}:3" in error_page  # the file and the line of date:
            assert "bukan tanggal yang valid" in error_page
            assert "EventSource" in error_page  # the page reloads itself once fixed
        assert served.process.poll() is None, "a content error must not stop the server"

        write_source(served.root / ARTICLE_PATH, ARTICLE.format(title="Sudah Diperbaiki"))
        assert events.next_event()[0] == "reload"
    finally:
        events.close()
    status, _, page = served.get(ARTICLE_URL)
    assert status == 200 and "Sudah Diperbaiki" in page
    served.wait_for_output("galat sudah diperbaiki")


def test_paths_outside_the_output_are_not_served(served):
    for path in ("/repo/../kimsite.yaml", "/repo/%2e%2e/kimsite.yaml", "/repo/kim-uji/../../kimsite.yaml",
                 "/lain/"):
        status, _, body = served.get(path)
        assert status in (404, 302), path
        assert "base_url" not in body


def test_server_starting_with_a_broken_article_recovers(tmp_path):
    root = write_workspace(tmp_path / "rusak", {
        "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n",
        ARTICLE_PATH: BROKEN,
    })
    server = ServeProcess(root)
    try:
        server.wait_for_output("pratinjau siap")
        status, _, page = server.get("/repo/kim-uji/")
        assert status == 500 and f"{ARTICLE_PATH}:3" in page
        events = EventStream(server.port, generation_of(page))
        try:
            write_source(root / ARTICLE_PATH, ARTICLE.format(title="Akhirnya Tampil"))
            assert events.next_event()[0] == "reload"
        finally:
            events.close()
        status, _, page = server.get(ARTICLE_URL)
        assert status == 200 and "Akhirnya Tampil" in page
    finally:
        server.stop()


# --- the pieces, in process -------------------------------------------------------------

def test_only_build_inputs_are_relevant(tmp_path):
    from kimsite.commands.serve_watch import relevant

    root = tmp_path.resolve()
    ignored = (".kimsite", "_site", ".git")
    assert relevant(root, str(root / "content/kim/2021-12-21-a.md"), ignored) == "content/kim/2021-12-21-a.md"
    assert relevant(root, str(root / "kimsite.yaml"), ignored) == "kimsite.yaml"
    assert relevant(root, str(root / "themes/default/templates/base.html"), ignored)
    assert relevant(root, str(root / "feeds/kim-luar.json"), ignored)
    assert relevant(root, str(root / "sites/kim.yaml"), ignored)
    for name in ("content/kim/.a.md.swp", "content/kim/a.md~", "content/kim/#a.md#", "content/kim/4913",
                 "content/kim/.#a.md", "_site/index.html", ".kimsite/serve/index.html", ".git/index",
                 "README.md", "content/kim/x.tmp"):
        assert relevant(root, str(root / name), ignored) is None, name
    assert relevant(root, "/elsewhere/content/a.md", ignored) is None


def test_debouncer_turns_a_burst_into_one_rebuild():
    from kimsite.commands.serve_watch import Debouncer

    calls: list[list[str]] = []
    done = threading.Event()

    def action(changed):
        calls.append(sorted(changed))
        done.set()

    debouncer = Debouncer(action, delay=0.2)
    try:
        for index in range(10):
            debouncer.notify(f"content/kim/{index % 3}.md")
            time.sleep(0.02)
        assert done.wait(5)
        time.sleep(0.4)
        assert calls == [["content/kim/0.md", "content/kim/1.md", "content/kim/2.md"]]
    finally:
        debouncer.stop()


def test_injection_places_the_script_before_body_end():
    from kimsite.commands.serve_http import inject

    page = inject(b"<html><body><p>x</p></body></html>", 7)
    assert page.endswith(b"</script></body></html>")
    assert b"var g=7;" in page
    assert inject(b"<p>tanpa body</p>", 1).startswith(b"<p>tanpa body</p><script>")
