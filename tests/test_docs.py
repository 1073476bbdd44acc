"""Every command the guides show runs, in order, and succeeds.

Conventions (also described in docs/guide.md, "Testing the guides"):

* Each guide (docs/panduan.md, docs/guide.md) is replayed from top to bottom in its own
  empty temporary folder, as a reader would follow it.
* In fenced blocks tagged ```bash, ```sh or ```console, every line starting with `kimsite `
  (after an optional `$ ` prompt) is a command: it is run with this checkout's kimsite
  (`python -m kimsite ...`) and must exit with code 0. A line `cd DIR` changes the folder of
  the following commands. Other lines (pip, git, comments) are not run.
* A fenced block whose info string carries `file=PATH` (```yaml file=sites/x.yaml) is
  written to PATH (relative to the current folder) at that point: it is the content the
  guide tells the reader to put in that file.
* A command line may end with a comment `# docs-test: skip` (not run) or
  `# docs-test: exit=N` (expected exit code N).
* Commands that need the network or a remote run against local equivalents:
  - `kimsite serve` is started on a free loopback port, must answer HTTP 200 at the
    configured base path, and is then stopped;
  - `kimsite fetch`: every `feed:` in sites/*.yaml is pointed at a feed served on loopback
    by this test (and kimsite.yaml allows that host);
  - `kimsite deploy`: the workspace is made a git repository with everything committed and
    an `origin` remote that is a local bare repository; the test then checks that the
    gh-pages branch arrived there.

The test also checks that the error messages the guides explain are the real ones.
"""

from __future__ import annotations

import http.client
import http.server
import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kimsite.base.messages import MESSAGES

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDES = ("panduan.md", "guide.md")
COMMAND_LANGS = {"bash", "sh", "console", "shell"}
_FENCE = re.compile(r"^(\s*)```([^\n`]*)$")

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>KIM Sukatani Berdaya</title>
<link>https://kimsukataniberdaya.blogspot.com/</link><description>Kabar desa</description>
<item><title>Panen Raya Peuyeum</title><link>https://kimsukataniberdaya.blogspot.com/2026/11/panen.html</link>
<guid>panen-raya-1</guid><pubDate>Tue, 17 Nov 2026 08:00:00 +0700</pubDate>
<description>Warga memanen singkong untuk peuyeum.</description></item>
</channel></rss>
"""


@dataclass
class Step:
    kind: str  # "command" or "file"
    text: str  # the command line, or the file content
    path: str = ""  # for files
    line: int = 0  # line in the guide


def steps_of(markdown: str) -> list[Step]:
    steps: list[Step] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        indent, info = match.group(1), match.group(2).strip()
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index][len(indent):] if lines[index].startswith(indent) else lines[index])
            index += 1
        index += 1
        words = info.split()
        lang = words[0].lower() if words else ""
        target = next((w[5:] for w in words[1:] if w.startswith("file=")), "")
        if target:
            steps.append(Step("file", "\n".join(body) + "\n", target, start + 1))
        elif lang in COMMAND_LANGS:
            pending = ""
            for offset, raw in enumerate(body):
                line = raw.strip()
                if line.startswith("$ "):
                    line = line[2:]
                if pending:
                    line = pending + " " + line
                    pending = ""
                if line.endswith("\\"):
                    pending = line[:-1].strip()
                    continue
                if line.startswith("kimsite ") or line.startswith("cd "):
                    steps.append(Step("command", line, line=start + 2 + offset))
    return steps


def guide_commands(name: str) -> list[str]:
    return [s.text for s in steps_of((DOCS / name).read_text(encoding="utf-8")) if s.kind == "command"]


# --- local stand-ins for the network ------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = RSS.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feeds/posts/default"
    finally:
        server.shutdown()
        server.server_close()


def _env() -> dict[str, str]:
    return dict(os.environ, KIMSITE_LANG="id", PYTHONUNBUFFERED="1", GIT_AUTHOR_NAME="Relawan KIM",
                GIT_AUTHOR_EMAIL="relawan@example.id", GIT_COMMITTER_NAME="Relawan KIM",
                GIT_COMMITTER_EMAIL="relawan@example.id", GIT_CONFIG_NOSYSTEM="1")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, text=True, check=True)


def prepare_fetch(cwd: Path, feed_url: str) -> None:
    for site in (cwd / "sites").glob("*.yaml"):
        text = site.read_text(encoding="utf-8")
        if re.search(r"^feed:", text, re.MULTILINE):
            site.write_text(re.sub(r"^feed:.*$", f"feed: {feed_url}", text, flags=re.MULTILINE), encoding="utf-8")
    config = cwd / "kimsite.yaml"
    text = config.read_text(encoding="utf-8")
    if "allow_hosts" not in text:
        config.write_text(text.rstrip("\n") + "\nfetch:\n  allow_hosts: [127.0.0.1]\n", encoding="utf-8")


def prepare_deploy(cwd: Path) -> Path:
    remote = cwd.parent / "remote.git"
    if not (cwd / ".git").exists():
        _git(cwd, "init", "-q", "-b", "main")
    if not remote.exists():
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=_env())
        _git(cwd, "remote", "add", "origin", str(remote))
    _git(cwd, "add", "-A")
    if _git(cwd, "status", "--porcelain").stdout.strip():
        _git(cwd, "commit", "-q", "-m", "Isi situs")
    return remote


def run_serve(args: list[str], cwd: Path) -> str:
    """Start `kimsite serve` on a free port, check it answers, stop it; returns its output."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kimsite", *args, "--port", str(port)], cwd=cwd, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: "queue.Queue[str]" = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        url = None
        while time.monotonic() < deadline and url is None:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+(/\S*)", line)
            if found and "pratinjau siap" in line:
                url = found.group(1)
        assert url, "".join(seen)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", url)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        assert response.status == 200, body[:2000]
        assert "<html" in body
        return "".join(seen)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def replay(guide: str, base: Path, feed_url: str) -> list[str]:
    """Follow a guide in `base`; returns the commands that ran."""
    cwd = base
    ran: list[str] = []
    for step in steps_of((DOCS / guide).read_text(encoding="utf-8")):
        where = f"{guide}:{step.line}"
        if step.kind == "file":
            target = cwd / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            continue
        line, _, directive = step.text.partition("# docs-test:")
        directive = directive.strip()
        if directive == "skip":
            continue
        expected = int(directive.split("=", 1)[1]) if directive.startswith("exit=") else 0
        args = shlex.split(line, comments=True)
        if args[0] == "cd":
            cwd = (cwd / args[1]).resolve()
            assert cwd.is_dir(), f"{where}: cd {args[1]}: no such folder"
            continue
        args = args[1:]
        ran.append(step.text)
        if args and args[0] == "serve":
            run_serve(args, cwd)
            continue
        if args and args[0] == "fetch":
            prepare_fetch(cwd, feed_url)
        remote = prepare_deploy(cwd) if args and args[0] == "deploy" else None
        done = subprocess.run([sys.executable, "-m", "kimsite", *args], cwd=cwd, env=_env(), capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == expected, (
            f"{where}: `{step.text}` exited {done.returncode}\n{done.stdout}\n{done.stderr}")
        if remote is not None and "--no-push" not in args:
            branches = subprocess.run(["git", "branch", "--list"], cwd=remote, capture_output=True, text=True).stdout
            assert "gh-pages" in branches, f"{where}: deploy did not push gh-pages"
    return ran


@pytest.mark.parametrize("guide", GUIDES)
def test_every_command_of_the_guide_runs(guide, tmp_path, feed_server):
    ran = replay(guide, tmp_path, feed_server)
    commands = {shlex.split(c)[1] for c in ran}
    # The guides walk through every command a webmaster uses.
    assert {"init", "new-kim", "new", "serve", "check", "build", "fetch", "deploy"} <= commands


def test_guides_show_the_new_templates_of_every_type():
    for guide in GUIDES:
        commands = " ".join(guide_commands(guide))
        for kind in ("klarifikasi", "agenda", "produk"):
            assert f"--type {kind}" in commands, (guide, kind)


# Messages the guides explain, which must be quoted exactly as kimsite prints them.
EXPLAINED = ("fm_missing", "fm_unclosed", "field_required", "field_empty", "date_invalid", "field_unknown",
             "yaml_syntax", "yaml_duplicate_key", "field_bad_choice", "field_tags_string", "url_conflict",
             "link_missing", "link_draft", "picture_missing", "image_alt_missing", "image_alt_field_missing",
             "title_too_long_share", "summary_required", "content_without_site", "slug_reserved",
             "file_not_utf8", "price_invalid", "whatsapp_invalid", "kim_unknown", "image_corrupt",
             "image_too_large")


@pytest.mark.parametrize("guide,language", [("panduan.md", 0), ("guide.md", 1)])
def test_explained_messages_are_the_real_ones(guide, language):
    text = (DOCS / guide).read_text(encoding="utf-8")
    for key in EXPLAINED:
        template = MESSAGES[key][language]
        assert f"`{template}`" in text.replace("\\|", "|"), f"{guide} does not quote the message {key!r} exactly"


def test_steps_parser_understands_the_conventions():
    sample = "\n".join([
        "```sh", "$ kimsite init x", "cd x", "git push", "kimsite check \\", "  --strict  # docs-test: exit=1", "```",
        "```yaml file=sites/a.yaml", "name: A", "```",
        "```text", "kimsite build", "```",
    ])
    steps = steps_of(sample)
    assert [(s.kind, s.text, s.path) for s in steps] == [
        ("command", "kimsite init x", ""), ("command", "cd x", ""),
        ("command", "kimsite check --strict  # docs-test: exit=1", ""),
        ("file", "name: A\n", "sites/a.yaml"),
    ]
