"""What the gfm dialect saves per article by leaving out the sanitizer when it would change
nothing (kimsite/parse/gfm_safe.py), and how many articles do.

    python benchmarks/gfm_sanitizer.py                  # 4,000 articles of a generated corpus
    python benchmarks/gfm_sanitizer.py --articles 10000 --rounds 5

CPU time of this process (time.process_time) per article for cmark-gfm, the sanitizer and the
check that decides whether it is needed; then, for the generated corpus, the demo regency
(content/) and the test fixtures: how many articles skip the sanitizer (each one checked to be
what the sanitizer returns).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_plain import arguments, generated_articles  # noqa: E402

from kimsite.parse.gfm_safe import needs_no_sanitizing  # noqa: E402
from kimsite.parse.markup import _github_markdown  # noqa: E402
from kimsite.parse.sanitize import sanitize_html  # noqa: E402
from kimsite.schema.frontmatter import split_front_matter  # noqa: E402


def bodies_of(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        split, _problems = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if split is not None:
            found.append(split.body)
    return found


def microseconds(step: Callable[[str, str], object], texts: list[str], markups: list[str]) -> float:
    started = time.process_time()
    for text, markup in zip(texts, markups):
        step(text, markup)
    return (time.process_time() - started) / len(texts) * 1e6


def skipped(texts: list[str]) -> tuple[int, int]:
    convert = _github_markdown()
    count = 0
    for text in texts:
        markup = convert(text)
        if needs_no_sanitizing(text, markup):
            assert sanitize_html(markup) == markup, "the check let through what the sanitizer changes"
            count += 1
    return count, len(texts)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    convert = _github_markdown()
    with tempfile.TemporaryDirectory() as folder:
        texts = bodies_of(generated_articles(folder, args.articles))
    markups = [convert(text) for text in texts]
    steps = (("cmark-gfm", lambda text, _markup: convert(text)),
             ("sanitizer", lambda _text, markup: sanitize_html(markup)),
             ("check (gfm_safe.needs_no_sanitizing)", needs_no_sanitizing))
    rounds: dict[str, list[float]] = {label: [] for label, _step in steps}
    for _ in range(args.rounds):
        for label, step in steps:
            rounds[label].append(microseconds(step, texts, markups))
    print(f"{len(texts)} generated articles, {args.rounds} rounds; CPU µs per article")
    print("| step | µs per article (each round) |\n|---|---|")
    for label, figures in rounds.items():
        print(f"| {label} | {', '.join(f'{us:.1f}' for us in figures)} |")
    print("\n| articles | skip the sanitizer |\n|---|---:|")
    for label, group in (("generated corpus", texts),
                         ("demo regency (content/)", bodies_of(sorted((ROOT / "content").rglob("*.md")))),
                         ("test fixtures (tests/fixtures/)",
                          bodies_of(sorted((ROOT / "tests" / "fixtures").rglob("*.md"))))):
        count, total = skipped(group)
        print(f"| {label} | {count} of {total} |")


if __name__ == "__main__":
    main()
