"""Fuzz target for the whole article pipeline: parse_source, then a build of a one-article workspace.

Run it longer by hand (from the repository root):

    python fuzz/fuzz_article.py --seconds 600          # ten minutes
    python fuzz/fuzz_article.py --seconds 60 --build-every 1 --seed 7

Inputs are generated with Hypothesis: front matter built from real and hostile keys and
values, bodies built from dangerous Markdown/HTML fragments and random text, in odd
encodings (UTF-16, Windows-1252, BOMs, CR/CRLF line ends), sometimes with random bytes
mixed in. For every input:

* parse_source must not raise; every problem names the article and a line inside the file;
* a parsed body must be sanitized (no script, no event handler, no javascript:/data: URL);
* every `--build-every`-th input that parses is built as a one-KIM workspace in a temporary
  folder: the build must succeed or fail with problems (never a traceback), take less than
  `--build-limit` seconds, and every page and feed it writes must pass the same safety checks
  as the hostile-input suite (tests/test_hostile.py).

A failure stops the run and prints the smallest failing input Hypothesis found. Nothing is
written into the repository (Hypothesis keeps no example database here).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

from kimsite.parse.article import ParseSettings, parse_source  # noqa: E402
from kimsite.build import BuildOptions, build  # noqa: E402
from kimsite.model.model import SourceFile  # noqa: E402
from kimsite.base.problems import KimsiteError  # noqa: E402

from hostile_cases import SITE_FILE, Case  # noqa: E402
from test_hostile import assert_site_safe, inspect_html  # noqa: E402

SOURCE = SourceFile("uji", "content/uji/a.md", "a.md", "article")
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)

KEYS = ["title", "judul", "date", "tanggal", "updated", "summary", "ringkasan", "category", "kategori", "tags",
        "author", "penulis", "image", "gambar", "image_alt", "slug", "draft", "type", "jenis", "klaim", "label",
        "mulai", "tempat", "produsen", "harga", "foto", "warna", "title ", "\ufefftitle"]
VALUES = ["Judul", "no", "yes", "2021", "1.5", "~", "null", "''", '""', "[]", "{}", "[a, b]", "{a: b}",
          "2025-01-02", "2025-02-30", "2025-01-02 10:00 WIB", "0001-01-01", "9999-12-31", "20250102",
          "../../etc/passwd", "a/b", "%2e%2e", "media\\foto.jpg", "C:\\foto.jpg", "javascript:alert(1)",
          "'</title><script>alert(1)</script>'", '"\\x01\\x1b\\u0085"', "&a [x]", "*a", "!!python/object:os.system x",
          "!!binary aGVsbG8=", "|\n  blok\n  teks", ">\n  lipat", "\u201cpetik\u201d", "\u200bnol", "\U0001F389",
          "klarifikasi", "agenda", "produk", "HOAKS", "Rp 15.000", "[media/a.jpg, ../b.jpg]"]
FRAGMENTS = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[a](javascript:alert(1))",
             "![a](JaVaScRiPt:alert(1))", "[a]( java\tscript:x )", '<a href="&#106;avascript:x">a</a>',
             '<a href="data:text/html,x">d</a>', "<iframe src=//x.example/>", "<svg onload=alert(1)>",
             '[x](https://a.example/ "t\\" onmouseover=\\"x")', "<!--", "-->", "&#1;", "&#xFFFE;", "\x01",
             "> ", "- ", "1. ", "    ", "```", "~~~", "`", "*", "_", "**", "[", "]", "(", ")", "![", "<", ">",
             "|", "|-|", "#", "---", "===", "[^1]", "[^1]: x", "[r]: javascript:x", "\\", "<div>", "</div>",
             "\n", "\n\n", "\t", "\r", "\r\n", "kata ", "Rapat warga. ", "https://a.example/x_y", "<https://a.example>"]

front_matter = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES) | st.text(max_size=12)),
                        max_size=8).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))
body = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=60).map("".join)
repeat = st.tuples(st.sampled_from(FRAGMENTS), st.integers(min_value=1, max_value=3000)).map(lambda t: t[0] * t[1])
encoding = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "crlf", "cr"])


@st.composite
def article_bytes(draw) -> bytes:
    fm = draw(front_matter)
    if draw(st.booleans()):
        fm = "title: Judul\ndate: 2025-01-02\n" + fm
    text = f"---\n{fm}---\n{draw(body)}{draw(repeat) if draw(st.booleans()) else ''}"
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text = text.replace("---\n", "", draw(st.integers(min_value=0, max_value=2)))  # unclosed / missing
    kind = draw(encoding)
    if kind == "crlf":
        raw = text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    elif kind == "cr":
        raw = text.replace("\n", "\r").encode("utf-8", "surrogatepass")
    else:
        raw = text.encode(kind, "replace" if kind == "cp1252" else "surrogatepass")
    if draw(st.integers(min_value=0, max_value=7)) == 0:  # random bytes somewhere
        position = draw(st.integers(min_value=0, max_value=len(raw)))
        raw = raw[:position] + draw(st.binary(max_size=16)) + raw[position:]
    return raw


class Fuzzer:
    def __init__(self, build_every: int, build_limit: float, scratch: Path) -> None:
        self.build_every = build_every
        self.build_limit = build_limit
        self.scratch = scratch
        self.examples = 0
        self.parsed = 0
        self.builds = 0

    def check(self, raw: bytes, dialect: str) -> None:
        self.examples += 1
        settings_ = ParseSettings("Asia/Jakarta", dialect, "id")
        result = parse_source(SOURCE, raw, settings_)
        lines = raw.count(b"\n") + raw.count(b"\r") + 2
        for problem in result.problems:
            assert problem.file == SOURCE.path, problem
            assert problem.line is None or 1 <= problem.line <= lines, (problem, lines)
            assert problem.text("id") and problem.text("en")
        if result.document is None:
            return
        self.parsed += 1
        inspect_html(result.body_html, "body")
        if self.parsed % self.build_every == 0:
            self.build_one(raw, dialect)

    def build_one(self, raw: bytes, dialect: str) -> None:
        self.builds += 1
        root = self.scratch / f"ws{self.builds}"
        (root / "sites").mkdir(parents=True)
        (root / "content/uji").mkdir(parents=True)
        (root / "kimsite.yaml").write_text("base_url: https://example.github.io/repo/\nlanguage: id\n"
                                           f"timezone: Asia/Jakarta\ntheme: default\noutput: _site\n"
                                           f"markdown: {dialect}\n", encoding="utf-8")
        (root / "sites/uji.yaml").write_text(SITE_FILE, encoding="utf-8")
        (root / "content/uji/a.md").write_bytes(raw)
        started = time.perf_counter()
        try:
            build(root, BuildOptions(now=NOW, jobs=1))
            built = True
        except KimsiteError as exc:
            built = False
            assert all(p.text("en") for p in exc.problems)
        elapsed = time.perf_counter() - started
        assert elapsed < self.build_limit, f"the build took {elapsed:.1f} s"
        if built:
            assert_site_safe(root / "_site", Case("fuzz", {}, "safe", article=None))
        shutil.rmtree(root, ignore_errors=True)


def run(seconds: float, build_every: int, build_limit: float, batch: int, first_seed: int | None) -> int:
    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="kimsite-fuzz-hypothesis-"))
    scratch = Path(tempfile.mkdtemp(prefix="kimsite-fuzz-"))
    fuzzer = Fuzzer(build_every, build_limit, scratch)
    deadline = time.monotonic() + seconds
    rounds = 0
    try:
        while time.monotonic() < deadline:
            @settings(max_examples=batch, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(article_bytes(), st.sampled_from(["default", "gfm"]))
            def one_round(raw: bytes, dialect: str) -> None:
                fuzzer.check(raw, dialect)

            if first_seed is not None:
                one_round = seed(first_seed + rounds)(one_round)
            one_round()
            rounds += 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"fuzz_article: {fuzzer.examples} inputs, {fuzzer.parsed} parsed, {fuzzer.builds} built, "
          f"{rounds} rounds, no failure")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long to run (default 30)")
    parser.add_argument("--build-every", type=int, default=10,
                        help="build a workspace for every Nth input that parses (default 10)")
    parser.add_argument("--build-limit", type=float, default=10.0, help="seconds one build may take (default 10)")
    parser.add_argument("--batch", type=int, default=200, help="Hypothesis examples per round (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="make the run reproducible")
    args = parser.parse_args(argv)
    return run(args.seconds, max(1, args.build_every), args.build_limit, args.batch, args.seed)


if __name__ == "__main__":
    sys.exit(main())
