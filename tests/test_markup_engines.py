"""The trimmed Python-Markdown engines (extensions and inline patterns loaded only when
their syntax occurs) must render exactly what the full engine renders."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kimsite.frontmatter import split_front_matter
from kimsite.markup import python_markdown

REPO = Path(__file__).resolve().parent.parent

FRAGMENTS = [
    "kata", "Warga", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\*", "<", ">",
    "<b>", "</b>", "<https://a.id>", "<x@y.id>", "&amp;", "&", "&#39;", "[", "]", "(", ")", "![", "[^1]",
    "[^1]: catatan\n", "[a]: https://b.id\n", "[teks](https://c.id)", "![alt](media/x.jpg)", "# ", "## ",
    "- ", "  - ", "1. ", "> ", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\nkode\n```\n", "~~~\n", "---\n",
    "    kode", "\t", "ü", "—",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_trimmed_engines_equal_full_engine(parts: list[str]) -> None:
    text = "".join(parts)
    assert python_markdown(text, trimmed=True) == python_markdown(text, trimmed=False)


def test_demo_articles_render_identically() -> None:
    for path in sorted((REPO / "content").rglob("*.md")):
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        if split is not None:
            assert python_markdown(split.body, trimmed=True) == python_markdown(split.body, trimmed=False), path
