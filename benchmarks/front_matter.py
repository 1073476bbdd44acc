"""What reading the plainest front matter without PyYAML's parser (kimsite.base.yamlio.read_plain)
saves per article, and how many front matters it reads.

    python benchmarks/front_matter.py                 # 4,000 articles of a generated corpus
    python benchmarks/front_matter.py --articles 10000 --rounds 5

CPU time of this process (time.process_time), alternating with the plain reading on and off
(every front matter to the parser): to read each front matter (`load_mapping`), and to parse each
article the way a build does (reading, front matter, fields, Markdown, sanitizing, hashing).
Then, for the generated corpus, the demo regency (content/) and the test fixtures: how many
front matters are read without the parser.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_plain import arguments, generated_articles, per_article_ms  # noqa: E402

from kimsite.base import yamlio  # noqa: E402
from kimsite.parse.article import ParseSettings  # noqa: E402
from kimsite.schema.frontmatter import split_front_matter  # noqa: E402


def front_matters(paths: list[Path]) -> list[tuple[str, int]]:
    found = []
    for path in paths:
        split, _problems = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if split is not None:
            found.append((split.front_matter, split.front_matter_line))
    return found


def per_front_matter_us(texts: list[tuple[str, int]]) -> float:
    started = time.process_time()
    for text, line in texts:
        yamlio.load_mapping(text, "uji.md", line)
    return (time.process_time() - started) / len(texts) * 1e6


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    settings = ParseSettings("Asia/Jakarta", "default", "id")
    real = yamlio.read_plain
    with tempfile.TemporaryDirectory() as folder:
        paths = generated_articles(folder, args.articles)
        texts = front_matters(paths)
        rows: dict[str, list[tuple[float, float]]] = {"parser": [], "plain": []}
        for _ in range(args.rounds):
            for label in ("parser", "plain"):
                yamlio.read_plain = real if label == "plain" else (lambda text, first_line=1: None)
                rows[label].append((per_front_matter_us(texts), per_article_ms(paths, settings)))
        yamlio.read_plain = real
        print(f"{len(paths)} generated articles, {args.rounds} rounds; CPU time of one article")
        print("| front matter read by | µs per front matter (each round) | ms to parse the article (each round) |")
        print("|---|---|---|")
        for label, title in (("parser", "PyYAML's parser always"), ("plain", "read_plain first")):
            print(f"| {title} | {', '.join(f'{us:.1f}' for us, _ms in rows[label])} "
                  f"| {', '.join(f'{ms:.3f}' for _us, ms in rows[label])} |")
        print("\n| front matters | read without the parser |\n|---|---:|")
        for label, group in (("generated corpus", paths),
                             ("demo regency (content/)", sorted((ROOT / "content").rglob("*.md"))),
                             ("test fixtures (tests/fixtures/)", sorted((ROOT / "tests" / "fixtures").rglob("*.md")))):
            found = front_matters(group)
            plain = sum(real(text, line) is not None for text, line in found)
            print(f"| {label} | {plain} of {len(found)} |")


if __name__ == "__main__":
    main()
