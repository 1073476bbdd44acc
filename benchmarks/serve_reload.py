"""`kimsite serve`: the time from saving an article to the browser showing the new text.

    python benchmarks/serve_reload.py                    # the demo regency, 7 saves
    python benchmarks/serve_reload.py --articles 10000   # a generated 10,000-article regency

Measured as a user meets it: headless Chromium (Playwright, /usr/bin/chromium) shows the
article served by `kimsite serve`; the article's source gets a new paragraph (written to a
temporary file and renamed over the source, as editors save). Two clocks stop:

- "painted": the first contentful paint of the reloaded page that holds the paragraph, by the
  browser's own clock (performance.timeOrigin + the paint entry; the same system clock as the
  save's): when the reader sees the new page. The target is taken on this one.
- "detected": when Playwright's polling (every 5 ms, set up again in each new document) finds
  the paragraph in the page: the painted time plus the test harness's own delay (about 50-90 ms
  here), kept to show that the paragraph really is in that page.

Both include the watcher's debounce, the rebuild, the server's reload event and the browser
fetching, parsing and laying out the page and its stylesheet.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


# Epoch milliseconds of the current document's first contentful paint (0 when none yet).
PAINTED = """(() => { const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return paint ? performance.timeOrigin + paint.startTime : 0; })()"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def workspace(folder: Path, articles: int) -> Path:
    if articles:
        from generate import generate

        generate(folder / "corpus", articles, 136)
        return folder / "corpus" / "kimsite"
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import copy_demo  # the tests' copy of the demo regency

    return copy_demo(folder / "demo")


def wait_for_server(port: int, process: subprocess.Popen, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kimsite serve ended early:\n{process.stdout.read() if process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("kimsite serve did not start")


def article_location(site: Path, source: Path) -> str | None:
    """The served path of `source`'s article page, found by its slug in the output."""
    slug = source.stem.split("-", 3)[-1]
    pages = sorted(site.glob(f"{source.parent.name}/*/*/{slug}/index.html"))
    return pages[0].parent.relative_to(site).as_posix() + "/" if pages else None


def base_path(root: Path) -> str:
    """The path the site is served under (that of its base_url, as on GitHub Pages)."""
    from kimsite.workspace.config import load_workspace_config

    config, _problems = load_workspace_config(root)
    return config.base_path if config is not None else "/"


def save(source: Path, text: str) -> None:
    temporary = source.with_name(f".{source.name}.swp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=0, help="a generated regency instead of the demo")
    parser.add_argument("--saves", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temporary:
        root = workspace(Path(temporary), args.articles)
        port = free_port()
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        started = time.monotonic()
        server = subprocess.Popen([sys.executable, "-m", "kimsite", "serve", "-C", str(root), "--port", str(port)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
        try:
            wait_for_server(port, server, 600)
            sources = sorted((root / "content").glob("*/*.md"))
            source = sources[len(sources) // 2]
            deadline = time.monotonic() + 600
            while (location := article_location(root / ".kimsite" / "serve", source)) is None:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"no page for {source}")
                time.sleep(0.2)  # the first build is still running
            url = f"http://127.0.0.1:{port}{base_path(root)}{location}"
            print(f"serve ready after {time.monotonic() - started:.1f} s: {url}", flush=True)
            # The saves measure an editing session, not the first build's tail: its files (21,000
            # at 10,000 articles) go to disk before the first save instead of during the first saves.
            os.sync()
            results: list[float] = []
            detected: list[float] = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url, wait_until="load")
                original = source.read_text(encoding="utf-8")
                for number in range(args.saves):
                    marker = f"penanda-simpan-{number}-{time.monotonic_ns()}"
                    time.sleep(1.0)  # the page has settled and subscribed to the reload events
                    saved_at = time.time()
                    clock = time.perf_counter()
                    save(source, original + f"\n{marker}\n")
                    page.wait_for_function(f"document.body && document.body.innerText.includes({marker!r})",
                                           polling=5, timeout=120_000)
                    detected.append(time.perf_counter() - clock)
                    painted_at = page.evaluate(PAINTED)
                    results.append(painted_at / 1000 - saved_at if painted_at else float("nan"))
                    print(f"  save {number + 1}: painted {results[-1] * 1000:.0f} ms, "
                          f"detected {detected[-1] * 1000:.0f} ms", flush=True)
                browser.close()
            save(source, original)
        finally:
            server.terminate()
            try:
                output, _ = server.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                output, _ = server.communicate()
    print("kimsite serve said (last lines):\n  " + "\n  ".join((output or "").strip().splitlines()[-2 * args.saves:]))
    what = f"{args.articles} generated articles" if args.articles else "the demo"
    for name, values in (("painted", results), ("detected", detected)):
        ordered = sorted(values)
        print(f"save → reloaded page {name}, {what}: median {ordered[len(ordered) // 2] * 1000:.0f} ms, "
              f"fastest {ordered[0] * 1000:.0f} ms, slowest {ordered[-1] * 1000:.0f} ms over {len(ordered)} saves")


if __name__ == "__main__":
    main()
