"""Long mutation campaigns against kimsite's fast paths, each held to the slow path it stands for:

- `plain`: kimsite.parse.mdplain (Markdown without the engine) against stock Python-Markdown,
  and `needs_no_sanitizing` against the sanitizer;
- `engine`: the trimmed engine (kimsite.parse.mdfast's drop-ins, patterns skipped by trigger)
  against the full one;
- `yaml`: kimsite.base.yamlio.read_plain against PyYAML's parser;
- `feeds`: feed_xml's templates against feedgen's whole-tree output.

The texts are the Markdown files the project ships (demo, fixtures, guides), cut and edited at
random places with the characters and marks that begin syntax. Where the tests' properties
build texts from chosen pieces, these start from what people write; each campaign runs until the
time is up, and the first difference is shrunk and printed, with exit status 1.

    python fuzz/fuzz_fast_paths.py --minutes 10 [--seed 7] [--only plain,engine]

The suite runs it for a few seconds (tests/test_fuzz_fast_paths.py); run it for longer after
changing a fast path.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from kimsite.base.yamlio import read_plain, read_with_parser  # noqa: E402
from kimsite.parse.markup import _engine_markdown, _heading_slug, python_markdown  # noqa: E402
from kimsite.parse.mdplain import convert_plain, needs_no_sanitizing  # noqa: E402
from kimsite.parse.sanitize import sanitize_html  # noqa: E402
from kimsite.schema.frontmatter import split_front_matter  # noqa: E402

MARKS = ["*", "**", "_", "__", "[", "]", "(", ")", "!", "#", "## ", "- ", "1. ", "2. ", "10. ", "\n", "\n\n", " ",
         "  ", "\t", "&", "&amp;", "&#38;", "&copy;", "&#x41;", "&#1", ";", ":", "\\", "`", "``", "```\n", "<", ">",
         "<b>", "</b>", "<div>", "</div>", "<!--", "-->", "|", "| a |", "~", "~~", "http://a.id", "<http://a.id>",
         "javascript:", "\u00a0", "é", "'", '"', "=", "+", "    ", "\n    ", "\n- ", "\n1. ", "\n# ", "\n> ", "[a](b)",
         "![x](y.jpg)", "**[a](b)**", "*a*", "[^1]", "[^1]: n\n", "[ref]", "[ref]: http://r.id\n", "*[HTML]: H\n",
         "---", "***", "\n---\n", "\n===\n", "{#id}", "{: .c}", "\x02", "\x03", "\r", "\r\n", "[TOC]", "...", "--"]
YAML_MARKS = [":", ": ", " #", "#", "'", '"', "[", "]", ",", "-", "- ", "?", "&", "*", "!", "|", ">", "%", "@", "`",
              "{", "}", " ", "  ", "\t", "\n", "\n  ", "yes", "no", "on", "true", "null", "~", "0", "0x1", "0o7", "1e3",
              ".5", "1_000", "2024-01-05", "12:30", "\u00a0", "é", "\u201c", "\u2028", "\\", "''", '""', "<<", ".inf",
              "+1", "Y", "NULL", "key: value\n", "tags: [a, b]\n", "x: 'a''b'\n", "...", "---"]


class Mismatch(Exception):
    def __init__(self, text: str, fast: object, slow: object):
        super().__init__(text)
        self.text, self.fast, self.slow = text, fast, slow


def _shipped() -> tuple[list[str], list[str]]:
    """(bodies, front matters) of every Markdown file the project ships."""
    bodies, heads = [], []
    for pattern in ("content/**/*.md", "sites/**/*.md", "tests/fixtures/**/*.md", "docs/*.md"):
        for path in sorted(REPO.glob(pattern)):
            text = path.read_text(encoding="utf-8", errors="replace")
            split, _problems = split_front_matter(text, str(path))
            bodies.append(split.body if split else text)
            if split and split.front_matter:
                heads.append(split.front_matter)
    return [b for b in bodies if b.strip()], heads


def _edited(rng: random.Random, texts: list[str], marks: list[str], longest: int = 1500) -> str:
    text = rng.choice(texts)
    if len(text) > longest:
        start = rng.randrange(len(text) - longest // 2)
        text = text[start:start + rng.randrange(100, longest)]
    for _ in range(rng.randrange(1, 7)):
        at, roll = rng.randrange(len(text) + 1), rng.random()
        if roll < 0.65:
            text = text[:at] + rng.choice(marks) + text[at:]
        elif roll < 0.85:
            text = text[:at] + text[at + rng.randrange(1, 20):]
        else:
            lines = text.split("\n")
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
            text = "\n".join(lines)
    return text


def check_plain(text: str) -> bool:
    plain = convert_plain(text, _heading_slug)
    if plain is None:
        return False
    engine = python_markdown(text, trimmed=False)
    if plain != engine:
        raise Mismatch(text, plain, engine)
    if needs_no_sanitizing(plain) and (sanitized := sanitize_html(plain)) != plain:
        raise Mismatch(text, plain, sanitized)
    return True


def _outcome(convert: Callable[[], object]) -> object:
    try:
        return convert()
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return f"{type(exc).__name__}"


def check_engine(text: str) -> bool:
    trimmed = _outcome(lambda: _engine_markdown(text, "id", True))
    full = _outcome(lambda: _engine_markdown(text, "id", False))
    if trimmed != full:
        raise Mismatch(text, trimmed, full)
    return True


def check_yaml(text: str) -> bool:
    plain = read_plain(text, 2)
    if plain is None:
        return False
    parsed, problems = read_with_parser(text, "fuzz.md", 2)
    if parsed is None or plain != parsed or plain.nested != parsed.nested or plain.nested_raw != parsed.nested_raw:
        raise Mismatch(text, plain, (parsed, problems))
    return True


FEED_TEXT = ["a", "B", " ", "  ", "\n", "\r", "\r\n", "\t", "&", "&amp;", "<", ">", '"', "'", "]]>", "é", "\U0001F389",
             "\x00", "\x01", "\x0b", "\x7f", "\x85", "\u00a0", "\u2028", "\ufffe", "\U0010ffff", "&#x1;", "<![CDATA[",
             "-->", "\\", "%", "\u200b", "İ", "x" * 50]


def check_feeds(rng: random.Random) -> bool:
    from test_feed_bytes import reference

    from kimsite.pages.feeds import FeedInfo, FeedItem, build_feed

    def text(most: int = 8) -> str:
        return "".join(rng.choice(FEED_TEXT) for _ in range(rng.randrange(most)))

    items = []
    for n in range(rng.randrange(4)):
        moment = datetime(2025, 1, 1 + n, n, n, tzinfo=timezone(timedelta(hours=rng.choice([7, 0, -5, 8]))))
        link = "https://kim.example.id/a-" + "".join(rng.choice(["a", "&", "<", '"', "%", "é"]) for _ in range(4))
        items.append(FeedItem(id=link, title=text(), link=link, summary=text(),
                              html=rng.choice(["", f"<p>{text()}</p>", text()]), published=moment,
                              updated=moment + timedelta(hours=rng.randrange(3)),
                              author=rng.choice([None, "", text(5), "Penulis"]),
                              categories=tuple(text(4) for _ in range(rng.randrange(3)))))
    info = FeedInfo(title=text() or "t", description=text(), home="https://kim.example.id/",
                    self_url="https://kim.example.id/feed.xml", language="id")
    for fmt in ("rss", "atom"):
        expected, made = _outcome(lambda: reference(info, items, fmt)), _outcome(lambda: build_feed(info, items, fmt))
        if expected != made and not (isinstance(expected, str) and isinstance(made, str)):
            raise Mismatch(repr((info, items, fmt)), made, expected)
    return True


def shrink(text: str, check: Callable[[str], bool]) -> str:
    """A shorter text that still fails `check`: pieces removed while the difference stays."""
    def fails(candidate: str) -> bool:
        try:
            check(candidate)
        except Mismatch:
            return True
        return False

    size = max(1, len(text) // 2)
    while size >= 1:
        at = 0
        while at < len(text):
            candidate = text[:at] + text[at + size:]
            if candidate != text and fails(candidate):
                text = candidate
            else:
                at += size
        size //= 2
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--only", default="plain,engine,yaml,feeds")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bodies, heads = _shipped()
    # name -> (a new text to check, or None when the check makes its own input; the check)
    campaigns: dict[str, tuple[Callable[[], str] | None, Callable]] = {
        "plain": (lambda: _edited(rng, bodies, MARKS), check_plain),
        "engine": (lambda: _edited(rng, bodies, MARKS, 800), check_engine),
        "yaml": (lambda: _edited(rng, heads, YAML_MARKS), check_yaml),
        "feeds": (None, lambda: check_feeds(rng)),
    }
    chosen = [name for name in args.only.split(",") if name in campaigns]
    tried = dict.fromkeys(chosen, 0)
    compared = dict.fromkeys(chosen, 0)
    print(f"seed {args.seed}: {len(bodies)} texts, {len(heads)} front matters; {', '.join(chosen)}", flush=True)
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline:
        for name in chosen:
            make, check = campaigns[name]
            try:
                compared[name] += check(make()) if make else check()
            except Mismatch as found:
                if make:
                    small = shrink(found.text, check)
                    try:
                        check(small)
                    except Mismatch as smaller:
                        found = smaller
                print(f"\n{name}: the fast path differs (seed {args.seed})\ninput: {found.text!r}\n"
                      f"fast: {found.fast!r}\nslow: {found.slow!r}")
                return 1
            tried[name] += 1
    for name in chosen:
        print(f"{name}: {tried[name]:,} inputs, {compared[name]:,} compared, no difference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
