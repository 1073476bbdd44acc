"""`kimsite serve`: build, serve on loopback, watch the sources, rebuild and reload the browser.

The site is built into a private folder (SERVE_OUTPUT, never the published
_site/), with its own cache and journal (build.PREVIEW_STATE_DIR), with
base_url = http://HOST:PORT + the configured base path, so links
behave as they will once published under a sub-path. Rebuilds go through the
normal incremental build; a failed build keeps the server running and shows the
problems in the terminal and in the browser until the next good save.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click

from kimsite.build import STATE_DIR, BuildOptions, BuildResult, BuildSession, build
from kimsite.workspace.config import load_workspace_config
from kimsite.base.messages import message
from kimsite.workspace.output_guard import PREVIEW_OUTPUT
from kimsite.base.problems import KimsiteError, Problem, error

SERVE_OUTPUT = PREVIEW_OUTPUT


@dataclass
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    future: bool = False
    lang: str = "id"


class Rebuilder:
    """Runs one build at a time and publishes its outcome to the server state."""

    def __init__(self, root: Path, settings: ServeSettings, state, port: int, echo: Callable[[str], None]):
        self.root = root
        self.port = port
        self.settings = settings
        self.state = state
        self.echo = echo
        self.lock = threading.Lock()
        self.base_url = ""
        self.shown_warnings: set[Problem] = set()
        self.failed = False
        self.session = BuildSession()  # each rebuild walks again only the KIM folders that changed

    def base_url_for(self, base_path: str) -> str:
        host = self.settings.host
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else (f"[{host}]" if ":" in host else host)
        return f"http://{shown}:{self.port}{base_path}"

    def run(self, changed: list[str] | None = None) -> BuildResult | None:
        with self.lock:
            return self._run(changed)

    def _run(self, changed: list[str] | None) -> BuildResult | None:
        lang = self.settings.lang
        config, _ = load_workspace_config(self.root)
        if config is not None and config.base_path != self.state.base_path:
            self.state.base_path = config.base_path
        self.base_url = self.base_url_for(self.state.base_path)
        options = BuildOptions(base_url=self.base_url, output=SERVE_OUTPUT, drafts=self.settings.drafts,
                               future=self.settings.future, preview=True)
        started = time.perf_counter()
        self.session.note_changes(changed)
        try:
            result = build(self.root, options, self.session)
        except KimsiteError as exc:
            self._failed(exc.problems)
            return None
        except Exception as exc:  # a bug must not take the preview down
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._failed([error("", None, "serve_crash", detail=detail)])
            return None
        seconds = time.perf_counter() - started
        self._show_warnings(result.problems)
        self.state.warnings = sorted(dict.fromkeys(p for p in result.problems if p.severity == "warning"),
                                     key=Problem.sort_key)
        recovered = self.failed
        self.failed = False
        if recovered:
            self.echo(message("serve_recovered", lang))
        if changed is not None:
            self.echo(message("serve_rebuilt", lang, changed=_describe(changed), seconds=f"{seconds:.2f}",
                              written=0 if result.up_to_date else result.written))
        if recovered or changed is None or not result.up_to_date and (result.written or result.removed):
            self.state.publish([])
        return result

    def _failed(self, problems: list[Problem]) -> None:
        lang = self.settings.lang
        errors = sorted(dict.fromkeys(p for p in problems if p.severity == "error"), key=Problem.sort_key)
        if not errors:  # only warnings can stop a build in --strict mode; serve never uses it
            errors = sorted(dict.fromkeys(problems), key=Problem.sort_key)
        for problem in errors:
            self.echo(problem.format(lang))
        self.echo(message("serve_failed", lang, count=len(errors)))
        self.failed = True
        self.state.publish(errors)

    def _show_warnings(self, problems: list[Problem]) -> None:
        warnings = set(p for p in problems if p.severity == "warning")
        for problem in sorted(warnings - self.shown_warnings, key=Problem.sort_key):
            self.echo(problem.format(self.settings.lang))
        self.shown_warnings = warnings


def _describe(changed: list[str]) -> str:
    shown = ", ".join(sorted(changed)[:3])
    return shown + (f" (+{len(changed) - 3})" if len(changed) > 3 else "")


def serve(root: Path, settings: ServeSettings, echo: Callable[[str], None] = click.echo) -> int:
    """Run the preview server until interrupted; returns the exit code."""
    from kimsite.commands.serve_http import ServeState, make_server
    from kimsite.commands.serve_watch import Watcher

    root = root.resolve()
    lang = settings.lang
    config, problems = load_workspace_config(root)
    if config is None:
        for problem in problems:
            echo(problem.format(lang))
        return 1
    state = ServeState(output_dir=root / SERVE_OUTPUT, base_path=config.base_path, lang=lang)
    try:
        server = make_server(settings.host, settings.port, state)
    except OSError as exc:
        echo(message("serve_port_busy", lang, host=settings.host, port=settings.port,
                     reason=exc.strerror or str(exc)))
        return 1
    rebuilder = Rebuilder(root, settings, state, server.server_address[1], echo)

    ignored = (STATE_DIR, config.output, ".git")
    watcher = Watcher(root, lambda changed: (rebuilder.run(changed), watcher.refresh()), ignored)
    server_pid = os.getpid()

    def stop(_signum, _frame):
        if os.getpid() != server_pid:  # a forked build worker being shut down by its pool
            os._exit(0)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    watcher.start()
    try:  # Ctrl+C (kimsite.base.interrupt) may come during the first build too: the same cleanup
        rebuilder.run(None)
        echo(message("serve_ready", lang, url=rebuilder.base_url))
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:  # SIGTERM; Ctrl+C ends the program with 130 after this cleanup
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        state.stop()
        watcher.stop()
        server.server_close()
        echo(message("serve_stopped", lang))
    return 0
