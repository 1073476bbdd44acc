"""The trimmed Python-Markdown engines (extensions and inline patterns loaded only when
their syntax occurs, plus kimsite.parse.mdfast's drop-ins that skip patterns and block
processors which cannot match) must render exactly what the full, stock engine renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kimsite.schema.frontmatter import split_front_matter
from kimsite.parse.markup import _OPTIONAL_EXTENSIONS, _python_markdown_engine, python_markdown
from kimsite.parse.mdfast import (FastHtmlBlockPreprocessor, FastNormalizeWhitespace, FastTocTreeprocessor,
                            TriggeredInlineProcessor, pattern_triggers)

REPO = Path(__file__).resolve().parent.parent

FRAGMENTS = [
    "kata", "Warga", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\*", "<", ">",
    "<b>", "</b>", "<https://a.id>", "<x@y.id>", "&amp;", "&", "&#39;", "[", "]", "(", ")", "![", "[^1]",
    "[^1]: catatan\n", "[a]: https://b.id\n", "[teks](https://c.id)", "![alt](media/x.jpg)", "# ", "## ",
    "- ", "  - ", "1. ", "> ", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\nkode\n```\n", "~~~\n", "---\n",
    "    kode", "\t", "ü", "—",
    # placeholders next to and inside emphasis, links inside emphasis, code spans by stars
    "**[tautan](https://d.id)**", "*[a]*", "_[a](b)_", "**`kode`**", "`*`", "*`x`*", "`**`**", "***", "___",
    "**a*", "*a**", "__init__", "snake_case_kata", "a*b*c", "**&amp;**", "*<i>x</i>*", "\\**", "\\_",
    "[**tebal**](https://e.id)", "[a]", "[A]: https://f.id 'judul'\n", "![a][A]", "[a][]", "[^2]: *c*\n",
    "<!-- k -->", "<div>\nblok\n</div>\n", "&copy;", "&#x41;", "&#65;", "  \n\n", "\\\n",
    # block syntax: headings, rules, quotes, nested lists, code, tables, the toc marker
    "\n# Judul\n", "\n## Sub *miring* ##\n", "#Tanpa", "Judul\n===\n", "Sub\n---\n", "\n***\n", "\n_ _ _\n",
    "\n> kutip\n> > dalam\n", "\n- a\n  - b\n    - c\n", "\n1. a\n   1. b\n", "\n2) x\n", "\n* a\n\n  lanjut\n",
    "\n    kode\n", "[TOC]", "\n[TOC]\n", "TOC", "a|b", "\n|x|\n|-|\n", "\r\n", "\x02", "\x03", "\u00a0",
]
_BLOCK_STARTS = ["", "# ", "## ", "> ", "- ", "  - ", "    - ", "1. ", "    ", "   ", "* ", "---", "===", "[TOC]",
                 "| ", "[a]: https://g.id", "[^1]: ", "```", "\t"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_trimmed_engines_equal_full_engine(parts: list[str]) -> None:
    text = "".join(parts)
    assert python_markdown(text, trimmed=True) == python_markdown(text, trimmed=False)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BLOCK_STARTS), st.lists(st.sampled_from(FRAGMENTS), max_size=6),
                          st.booleans()), max_size=14))
def test_trimmed_engines_equal_full_engine_on_lines(lines: list[tuple[str, list[str], bool]]) -> None:
    # Line-shaped documents reach the block processors (headings, quotes, lists...) more often.
    text = "".join(start + "".join(parts) + ("\n\n" if blank else "\n") for start, parts, blank in lines)
    assert python_markdown(text, trimmed=True) == python_markdown(text, trimmed=False)


@pytest.mark.parametrize("text", [
    "[TOC]\n\n# Satu\n\n## Dua *tiga*\n", "- [TOC]\n", "> [TOC]\n\n# A", "**a [b](c) `d` e**\n\n[TOC] x",
    "a  \nb\\\nc &amp; <b>d</b> <https://h.id> ![i](j.png) [^1]\n\n[^1]: catatan\n",
    "x\n\n    \n  \n\t\n\ny", "<div>\n\n</div>\n\n&copy; dan <span>a</span>",
    # marks that appear only after preprocessing: spaces before an HTML block, "\r\n",
    # STX/ETX (deleted by Python-Markdown) inside a fence, a footnote or a line break
    "===\n   <div>\nblok\n</div>\n", "a  \r\nb", "a \x02 \nb", "`\x02``\nkode\n`\x02``\n",
    "a[\x02^1]\n\n[\x03^1]: c\n",
])
def test_known_cases_equal_full_engine(text: str) -> None:
    assert python_markdown(text, trimmed=True) == python_markdown(text, trimmed=False)


def test_fast_engines_use_the_drop_ins() -> None:
    # Guards against a Python-Markdown upgrade silently disabling them (they check the
    # regexes they were derived from); the equality tests alone would still pass.
    engine = _python_markdown_engine("id", frozenset(dict(_OPTIONAL_EXTENSIONS)), frozenset(), True)
    assert isinstance(engine.treeprocessors["inline"], TriggeredInlineProcessor)
    assert isinstance(engine.preprocessors["normalize_whitespace"], FastNormalizeWhitespace)
    assert isinstance(engine.preprocessors["html_block"], FastHtmlBlockPreprocessor)
    assert all(pattern_triggers(name, engine.inlinePatterns[name]) is not None for name in engine.inlinePatterns._data)
    for name in ("hashheader", "setextheader", "hr", "quote", "footnote", "reference", "table"):
        assert "test" in vars(engine.parser.blockprocessors[name]), name
    assert isinstance(engine.treeprocessors["toc"], FastTocTreeprocessor)
    full = _python_markdown_engine("id", frozenset(dict(_OPTIONAL_EXTENSIONS)), frozenset())
    assert type(full.treeprocessors["inline"]).__name__ == "InlineProcessor"


def test_demo_articles_render_identically() -> None:
    for path in sorted((REPO / "content").rglob("*.md")):
        split, _ = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        if split is not None:
            assert python_markdown(split.body, trimmed=True) == python_markdown(split.body, trimmed=False), path


def test_the_source_test_and_the_inline_processor_share_one_trigger_table() -> None:
    from kimsite.parse.mdfast import SOURCE_TRIGGERS

    engine = _python_markdown_engine("id", frozenset(dict(_OPTIONAL_EXTENSIONS)), frozenset(), True)
    for name, marks in SOURCE_TRIGGERS.items():
        assert pattern_triggers(name, engine.inlinePatterns[name]) == marks, name
    assert "linebreak" not in SOURCE_TRIGGERS  # "  \n" can come from "  \r\n" only after preprocessing
