"""kimsite.parse.gfm_safe: cmark-gfm's output is left unsanitized only when the sanitizer would
return it unchanged, and the gfm dialect's output is the sanitized output, whichever path."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kimsite.parse.gfm_safe import needs_no_sanitizing
from kimsite.parse.markup import _github_markdown, render_markdown
from kimsite.parse.sanitize import sanitize_html
from kimsite.schema.frontmatter import split_front_matter

REPO = Path(__file__).resolve().parent.parent


def _cmark(text: str) -> str:
    return _github_markdown()(text)


# Pieces of everyday text and of the syntax cmark-gfm writes tags for.
WORDS = ["kata", "Warga", "desa", "RT 03", "Rp10.000", "(BLT)", "+62 812", "2024", "ü", "—", "don't", "!", "?",
         ":", ";", ",", ".", "50%", "x=y", "a+b", "a-b", "/", "(", ")", "#tagar", "e-KTP"]
MARKS = ["**tebal**", "*miring*", "_miring_", "~~coret~~", "`kode`", "[tautan](https://a.id/x)",
         "[t](https://b.id/a_b?c=1&d=2)", "[t](media/f.pdf)", "[t](#bagian)", "[t](u \"judul\")",
         "https://c.id/x", "www.d.id", "warga@e.id", "**[t](https://c.id)**", "[a *b*](u)"]
# Forms the sanitizer rewrites or removes, and characters near which the check could go wrong.
HOSTILE = ["<b>x</b>", "<script>x</script>", "<", ">", "&", "&amp;", "&copy;", "&#60;", "&#x41;", "&quot;", '"kutip"',
           "'", "\u00a0", "\u2028", "\r", "\r\n", "\x01", "\x7f", "\x85", "\\", "*", "_", "**", "~", "`", "|",
           "[^1]", "![gambar](g.jpg)", "[a](JavaScript:x)", "[a](javascript:x)", "[a](javascript&colon;x)",
           "[a](HTTP://x.id)", "[a](ftp://x)", "[a](x:y)", "[a](mailto:a@b.id)", "[a](tel:+62)",
           "[a](<u v>)", "  \n", "\\\n", "[", "]", "](", "&#xFFFE;", "\ufeff", "ﬀ", "\t"]
# Addresses the sanitizer's URL parser may refuse, or read otherwise.
HOSTILE += ["[t](https://a.id:80/x)", "[t](https://a..id)", "[t](https://-a.id)", "[t](https://a.id.)",
            "[t](https://a_b.id)", "[t](//x.id)", "[t](https://a.id/ü)", "[t](https://ü.id)", "[t](https://user@a.id)",
            "[t](https://a.id:99999)", "[t](https://1.2.3.4/)", "[t](https://[::1]/)", "[t](http:a.id)",
            "[t](https:/a.id)", "[t](https://a.id\\b)", "[t](mailto:a@b)", "[t](mailto:?subject=x)", "[t](tel:)",
            "[t](https://a.id/%zz)", "[t](https://a%2eid)", "%", "%5C", "@", "//", "https://", "http://x.id/a b",
            "a@b.c_d", "www.x-.id", "https://a.id/(x)", "[t](wa.me/62)", "[t](https://a.id#x#y)",
            "[a]: https://d.id", "https://d.id", "Rp10.000", "0x1f", "[t](https://a.0x1f)", "[t](https://1.2.3.04)",
            "[t](https://a.id:8080/)"]
PARTS = WORDS * 3 + MARKS * 2 + HOSTILE
LINE_STARTS = ["", "", "", "", "- ", "- ", "* ", "1. ", "3. ", "10) ", "## ", "# ", "###### ", "> ", "> > ", "    ",
               "- [ ] ", "- [x] ", "---", "***", "```", "```python", "~~~", "| ", "[^1]: ", "[a]: https://d.id",
               "\u00a0", "#", "  - "]
LINE_ENDS = ["\n", "\n", "\n", "\n\n", "\n\n", "", " |\n", "  \n", "\n\n\n"]
TABLES = ["| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |\n|:--|:-:|\n| x | y |\n",
          "| a |\n|--:|\n| *m* |\n", "a | b\n--|--\n[t](u) | `k`\n"]


def _everyday_documents() -> st.SearchStrategy[str]:
    """Paragraphs, headings, lists, quotes, code and tables as people write them."""
    text = st.lists(st.sampled_from(WORDS * 2 + MARKS), min_size=1, max_size=8).map(" ".join)
    paragraph = st.lists(text, min_size=1, max_size=3).map("\n".join)
    heading = st.tuples(st.integers(1, 6), text).map(lambda h: "#" * h[0] + " " + h[1])
    bullets = st.lists(text, min_size=1, max_size=4).map(lambda items: "\n".join("- " + item for item in items))
    numbers = st.tuples(st.sampled_from([1, 1, 2, 7]), st.lists(text, min_size=1, max_size=4)).map(
        lambda pair: "\n".join(f"{n}. {item}" for n, item in enumerate(pair[1], start=pair[0])))
    quote = paragraph.map(lambda p: "\n".join("> " + line for line in p.split("\n")))
    code = st.tuples(st.sampled_from(["", "python", "js", "c++", "c#"]), text).map(
        lambda pair: f"```{pair[0]}\n{pair[1]}\n```")
    block = st.one_of(paragraph, paragraph, heading, bullets, numbers, quote, code, st.sampled_from(TABLES))
    return st.lists(block, max_size=10).map("\n\n".join)


def _documents() -> st.SearchStrategy[str]:
    """Everyday texts, and texts of lines made of any piece (many are refused)."""
    line = st.tuples(st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(PARTS), min_size=1, max_size=8),
                     st.sampled_from(LINE_ENDS))
    lines = st.lists(line, max_size=12).map(lambda found: "".join(s + " ".join(p) + e for s, p, e in found))
    return st.one_of(_everyday_documents(), lines)


def _check(text: str) -> bool:
    markup = _cmark(text)
    skipped = needs_no_sanitizing(text, markup)
    if skipped:
        assert sanitize_html(markup) == markup
    # Whatever the path, the gfm dialect writes what the sanitizer makes of cmark-gfm's output.
    assert render_markdown(text, "gfm") == (sanitize_html(markup), "")
    return skipped


@settings(max_examples=3000, deadline=None)
@given(_documents())
def test_an_output_left_unsanitized_is_what_the_sanitizer_returns(text: str) -> None:
    _check(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PARTS + LINE_STARTS + LINE_ENDS + TABLES), max_size=30))
def test_free_text(parts: list[str]) -> None:
    _check("".join(parts))


def test_the_generated_texts_reach_both_sides_of_the_check() -> None:
    """The tests above compare something: many everyday texts skip the sanitizer, and the
    pieces the sanitizer changes are refused."""
    seen: list[tuple[str, bool]] = []

    @settings(max_examples=300, deadline=None, database=None)
    @given(_documents())
    def collect(text: str) -> None:
        seen.append((text, _check(text)))

    collect()
    assert sum(1 for text, skipped in seen if skipped and len(text) > 60) >= 40
    assert sum(1 for _text, skipped in seen if not skipped) >= 40


EVERYDAY = [
    "Warga RT 03 **bergotong royong** membersihkan saluran.\n\n## Jadwal\n\n1. Senin\n2. Selasa\n",
    "- satu\n- *dua*\n- [tiga](https://a.id/x?y=1&z=2)\n\n> Kata Pak Lurah: `siaga`\n",
    "| Dusun | KK |\n|:--|--:|\n| Krajan | 120 |\n\n```python\nprint(1)\n```\n",
    "Lihat www.jabarprov.go.id atau tulis ke kim@desa.id. ~~Hoaks~~ sudah diluruskan.\n",
    "### Sumber\n\n3. ketiga\n4. keempat\n\n[Unduh](media/surat.pdf \"Surat edaran\")\n",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_texts_skip_the_sanitizer(text: str) -> None:
    assert _check(text)


@pytest.mark.parametrize("text", [
    "<b>tebal</b>", "a <script>alert(1)</script>", "[a](JavaScript:alert(1))", "[a](javascript&colon;x)",
    "[a](ftp://x)", "![foto](foto.jpg)", "baris  \nbaru", "a\n\n---\n\nb", "catatan[^1]\n\n[^1]: sumber",
    "- [ ] tugas", 'Harga "murah"', "RT\u00a003", "a\x01b", "a \x85 b",
    "[a](HTTP://x.id)", "<http://a.id>", "[a]: https://d.id\\ kata", "www.d.id|", "[a](http://%C3%BC.id)",
    "kata[a]: https://d.idRp10.000", "[t](https://a.id:99999)",
])
def test_what_the_sanitizer_changes_is_sanitized(text: str) -> None:
    markup = _cmark(text)
    assert not needs_no_sanitizing(text, markup)
    assert render_markdown(text, "gfm")[0] == sanitize_html(markup)
    assert "<script" not in render_markdown(text, "gfm")[0]


def test_most_demo_articles_skip_the_sanitizer() -> None:
    """The demo regency's articles, read as gfm: most skip the sanitizer, and every one is what
    the sanitizer makes of it."""
    bodies = []
    for path in sorted((REPO / "content").rglob("*.md")):
        split, _problems = split_front_matter(path.read_text(encoding="utf-8"), str(path))
        if split is not None:
            bodies.append(split.body)
    assert len(bodies) >= 20
    skipped = [_check(body) for body in bodies]
    assert sum(skipped) >= len(skipped) // 2


def test_markup_nested_too_deep_is_still_refused() -> None:
    """More tags than the sanitizer's nesting limit go to it, which refuses markup nested too deep."""
    text = "> " * 600 + "kata"
    assert not needs_no_sanitizing(text, _cmark(text))
    assert render_markdown(text, "gfm")[1] == "html_nested_too_deep"
