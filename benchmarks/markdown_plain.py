"""What the plain-Markdown reader (kimsite/parse/mdplain.py) saves per article, and how much
of a workspace it reads without Python-Markdown.

    python benchmarks/markdown_plain.py                 # 4,000 articles of a generated corpus
    python benchmarks/markdown_plain.py --articles 10000 --rounds 5

CPU time of this process (time.process_time) to parse each article the way a build does
(reading, front matter, fields, Markdown, sanitizing, hashing), with the plain reader and with
it turned off (every text goes to the engine), alternating; then, for the generated corpus,
the demo regency (content/) and the test fixtures: how many articles the reader accepts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from kimsite.model.model import SourceFile  # noqa: E402
from kimsite.parse import mdplain  # noqa: E402
from kimsite.parse.article import ParseSettings  # noqa: E402
from kimsite.parse.markup import _heading_slug  # noqa: E402
from kimsite.parse.parallel import read_and_parse  # noqa: E402
from kimsite.schema.frontmatter import split_front_matter  # noqa: E402


def per_article_ms(paths: list[Path], settings: ParseSettings) -> float:
    items = [(SourceFile(path.parent.name, str(path), path.name, "article"), str(path)) for path in paths]
    for source, path in items[:100]:  # warm: engines made, modules imported, files cached
        read_and_parse(source, path, settings)
    started = time.process_time()
    for source, path in items:
        read_and_parse(source, path, settings)
    return (time.process_time() - started) / len(items) * 1000


def accepted(paths: list[Path]) -> tuple[int, int]:
    count = 0
    for path in paths:
        split, _problems = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if split is not None and mdplain.convert_plain(split.body, _heading_slug) is not None:
            count += 1
    return count, len(paths)


def arguments(description: str) -> argparse.Namespace:
    """--articles and --rounds (this script's, and benchmarks/front_matter.py's)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def generated_articles(folder: str, articles: int) -> list[Path]:
    """The articles of a corpus of `articles` over 136 KIMs generated in `folder`."""
    corpus = Path(folder) / "corpus"
    generate(corpus, articles, 136)
    return sorted((corpus / "kimsite" / "content").rglob("*.md"))


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    settings = ParseSettings("Asia/Jakarta", "default", "id")
    real = mdplain.convert_plain
    with tempfile.TemporaryDirectory() as folder:
        paths = generated_articles(folder, args.articles)
        engine, plain = [], []
        for _ in range(args.rounds):
            mdplain.convert_plain = lambda text, slug: None  # type: ignore[assignment]
            engine.append(per_article_ms(paths, settings))
            mdplain.convert_plain = real
            plain.append(per_article_ms(paths, settings))
        print(f"{len(paths)} generated articles, {args.rounds} rounds; CPU ms to parse one article")
        print("| reader | ms per article (each round) |\n|---|---|")
        print(f"| Python-Markdown for every text | {', '.join(f'{ms:.3f}' for ms in engine)} |")
        print(f"| plain reader first | {', '.join(f'{ms:.3f}' for ms in plain)} |")
        print("\n| articles | read without the engine |\n|---|---:|")
        for label, group in (("generated corpus", paths),
                             ("demo regency (content/)", sorted((ROOT / "content").rglob("*.md"))),
                             ("test fixtures (tests/fixtures/)", sorted((ROOT / "tests" / "fixtures").rglob("*.md")))):
            count, total = accepted(group)
            print(f"| {label} | {count} of {total} |")


if __name__ == "__main__":
    main()
