"""kimsite.parse.mdplain writes plain Markdown without the engine: whatever it accepts must be
exactly what the full, stock Python-Markdown engine (kimsite's extensions, no drop-ins) writes."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kimsite.parse.markup import _heading_slug, python_markdown
from kimsite.parse.mdplain import _CONTROL, AMPERSAND, addresses, convert_plain, needs_no_sanitizing, unique_id
from kimsite.schema.frontmatter import split_front_matter

REPO = Path(__file__).resolve().parent.parent


def _engine(text: str) -> str:
    return python_markdown(text, trimmed=False)


def _plain(text: str) -> str | None:
    return convert_plain(text, _heading_slug)


# Pieces of plain text and of everything near it: the syntax the reader writes, and the
# characters and forms that make it refuse (or that it must not misread).
WORDS = ["kata", "Warga", "desa", "RT 03", "Rp10.000", "(BLT)", "+62 812", "2024", "1.000", "e-KTP", "ü", "—",
         "don't", '"kutip"', "!", "?", ":", ";", ",", ".", "&", "&amp;", "&copy;", "&x", "a&b;", "AT&T", "50%",
         "x=y", "a+b", "a-b", "/", "~", "(", ")", "a*b*c"]
# Syntax the reader writes itself.
PLAIN_MARKS = ["**tebal**", "*miring*", "**dua kata**", "*a* dan *b*", "**[t](u)** x", "[tautan](https://a.id/x)", "[**tebal**](https://b.id/a_b?c=1&d=2)",
               "[*m*](c)", "[a *b*](u)", "![alt](media/f.jpg)", "![](g.png)", "![a *b* _c_ & d](h_i.jpg)",
               "![a'b](c.jpg)", "Seru! [a](b)",
               "**[t](https://c.id)**", "*[t](u)*", "[t](u**v**)", "[a](b)(c)"]
# Syntax it leaves to the engine, and characters near which it could go wrong.
HOSTILE = ["***", "_", "__", "snake_case", "  ", "\n\n", "\n\n\n", "[", "]", "![", "](", "[^1]", "[![a](b.png)](c)",
           "[ a ](b)", "[a](b \"judul\")", "[a]( b )", "[a](<b>)", "\t", "\r\n", "\x02", "<b>", ">", "`", "\\",
           "|", "~~~", "\u00a0", "\u2028", " \n", "\n- ", "\n## ", "\n1. ", "\n    ", "\n* ", "\n---\n"]
HOSTILE += ["\n", "**", "*", "* ", " *", "** ", " **", "&#39;", "&#x41;", "&#1", "#1", "#", "2*3*4*"]
HOSTILE += ['![spanduk "Stop Hoaks"](s.jpg)', '!["](y)', "[a](b![c](d)e)"]  # refused since found by fuzz/
PLAIN_PARTS = WORDS * 3 + PLAIN_MARKS
PARTS = PLAIN_PARTS * 3 + HOSTILE
LINE_STARTS = ["", "", "", "", "", "- ", "- ", "- ", "1. ", "2. ", "## ", "# ", "### ", "###### ", "**Catatan:** ",
               "####### ", "#", "#Tagar", "* ", "+ ", "01. ", "1) ", "10. ", " ", "  - ", "    ", "> ", "---",
               "***", "* * *", "===", "- - x ", "- # ", "- 1. ", "1. - ", "*", "[a]: https://d.id", "[^1]: ", "| ",
               "\u00a0"]
LINE_ENDS = ["\n", "\n", "\n", "\n\n", "\n\n", "", " \n", "\n  \n", "\n\n\n"]
def _plain_documents() -> st.SearchStrategy[str]:
    """Paragraphs, headings and lists as people write them (most are accepted)."""
    text = st.lists(st.sampled_from(PLAIN_PARTS), min_size=1, max_size=8).map(" ".join)
    paragraph = st.lists(text, min_size=1, max_size=3).map("\n".join)
    heading = st.tuples(st.integers(1, 6), st.lists(st.sampled_from(["Judul", "Rapat", "RT 03", "(BLT)", "2024", "e-KTP",
                                                                      "Warga", "ü", "!"]), min_size=1, max_size=4))
    headings = heading.map(lambda h: "#" * h[0] + " " + " ".join(h[1]))
    bullets = st.lists(text, min_size=1, max_size=4).map(lambda items: "\n".join("- " + item for item in items))
    numbers = st.lists(text, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1)))
    # numbered as people renumber them: another start, a "1." again further down
    renumbered = st.tuples(st.lists(st.sampled_from([1, 1, 2, 4, 10]), min_size=1, max_size=4),
                           st.lists(text, min_size=4, max_size=4)).map(
        lambda pair: "\n".join(f"{n}. {item}" for n, item in zip(*pair)))
    block = st.one_of(paragraph, paragraph, headings, bullets, numbers, renumbered)
    joined = st.lists(st.tuples(block, st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"])), max_size=10)
    return joined.map(lambda blocks: "".join(b + sep for b, sep in blocks))


def _documents() -> st.SearchStrategy[str]:
    """Plain texts, and texts of lines made of any piece (most are refused, but some of the
    pieces next to plain ones are not)."""
    line = st.tuples(st.sampled_from(LINE_STARTS), st.lists(st.sampled_from(PARTS), min_size=1, max_size=8),
                     st.sampled_from(LINE_ENDS))
    lines = st.lists(line, max_size=12).map(
        lambda lines: "".join(s + " ".join(p).replace(" \n ", "\n") + e for s, p, e in lines))
    return st.one_of(_plain_documents(), lines)


@settings(max_examples=4000, deadline=None)
@given(_documents())
def test_plain_reader_writes_what_the_engine_writes(text: str) -> None:
    plain = _plain(text)
    if plain is not None:
        assert plain == _engine(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PARTS + LINE_STARTS + LINE_ENDS), max_size=30))
def test_plain_reader_on_free_text(parts: list[str]) -> None:
    text = "".join(parts)
    plain = _plain(text)
    if plain is not None:
        assert plain == _engine(text)


def test_the_generated_texts_reach_the_reader() -> None:
    """The two tests above compare something: a good share of their texts is accepted."""
    accepted = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(_documents())
    def collect(text: str) -> None:
        if len(text) > 60 and _plain(text) is not None:
            accepted.append(text)

    collect()
    assert len(accepted) >= 40


# What a KIM writes every day: read without the engine, exactly as the engine reads it.
EVERYDAY = [
    "",
    "Satu paragraf.",
    "Baris satu\nbaris dua.\n\n\nParagraf kedua.",
    "## Jadwal posyandu\n\nSetiap **Selasa** dan *Kamis* di balai desa.",
    "Teks\n## Judul di tengah\nteks lagi\n",
    "# A\n\n# A\n\n## A\n\n### Rapat warga (RT 03)",
    "- satu\n- dua [tautan](https://desa.id/a_b?x=1&y=2)\n- **tiga**\n",
    "1. daftar\n2. datang\n3. pulang\n",
    "3. mulai dari tiga\n4. empat\n",
    "- a\n- b\n\n- c\n- d\n\n- e\n\nPenutup.",
    "1. a\n\n1. b\n\n- c",
    "Syarat:\n- KTP\n- KK\n\nLangkah:\n1. daftar\n2. datang",
    "![Jembatan gantung, lantai papan baru](media/jembatan.jpg)\n\nKeterangan & sumber: KIM.",
    "**Catatan:** bawa KTP & KK.\n\n*Diperbarui* 3 Des.",
    "[**Baca** selengkapnya](https://kab.go.id/berita/2024/**x**)",
    "2024. Tahun baru",  # a list starting at 2024, as the engine reads it
    "Harga naik 10% (sekitar Rp2.000)! Benarkah? Tidak.",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_texts_are_read_without_the_engine(text: str) -> None:
    plain = _plain(text)
    assert plain is not None, text
    assert plain == _engine(text)


REFUSED = [
    "a  \nb",                      # two spaces: a line break
    "teks _miring_ di sini",       # underscores are emphasis outside an address
    "<b>tebal</b>",
    "    kode",
    "- a\n  - b",                  # nested list
    "- a\nlanjutan",               # lazy continuation
    "Judul\n===",                  # setext heading
    "---",
    "* * *",
    "a * b * c",                   # stars by spaces stay stars
    "***tebal miring***",
    "*a***b**",                    # a run of three, even where the engine would pair it
    "**a *b* c**",
    "[a] tanpa alamat",
    "[a](b \"judul\")",
    "[![a](b.png)](c)",
    '![Spanduk "Stop Hoaks" di balai desa](media/x.jpg)',  # an image with a quote in its alt
    "[a](b![c](d.jpg)e)",          # an image in a link's address
    "## Langkah\n4. buka\n1. ketik",  # after a heading the engine splits this list before "1."
    "| a | b |\n|---|---|",
    "```\nkode\n```",
    "[^1]\n\n[^1]: catatan",
    "[TOC]",
    "#Tagar",
    "## Judul ##",
    "a\tb",
    "a\r\nb",
    " awal berspasi",
    "akhir berspasi ",
    "x" * 100_001,
]


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_left_to_the_engine(text: str) -> None:
    assert _plain(text) is None


def _bodies() -> list[tuple[str, str]]:
    files = sorted({*REPO.glob("content/**/*.md"), *REPO.glob("sites/**/*.md"), *REPO.glob("tests/fixtures/**/*.md"),
                    *REPO.glob("docs/*.md")})
    bodies = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        split, _problems = split_front_matter(text, str(path))
        bodies.append((str(path.relative_to(REPO)), split.body if split else text))
    return bodies


def test_every_shipped_article_reads_the_same() -> None:
    bodies = _bodies()
    accepted = 0
    for name, body in bodies:
        plain = _plain(body)
        if plain is not None:
            accepted += 1
            assert plain == _engine(body), name
    # Most of the demo regency's articles are plain (so the comparison above compares something).
    assert accepted >= len(bodies) // 2


# Marks edited into shipped articles: what a volunteer's slip or a copy from elsewhere adds.
# (tests/fuzz_fast_paths.py runs the same edits for as long as it is given; it found the
# image whose alt holds a quote, the image in an address and the list after a heading.)
EDIT_MARKS = ['"', "!", "![x](y.jpg)", "[a](b)", "*", "**", "_", "[", "]", "(", ")", "#", "## ", "\n", "\n\n",
              "- ", "1. ", "2. ", "4. ", "\n1. ", "\n4. ", "&", "&amp;", ":", " ", "é"]


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_edited_shipped_articles_read_the_same(data) -> None:
    bodies = _shipped_bodies()
    text = data.draw(st.sampled_from(bodies))
    if len(text) > 1500:
        start = data.draw(st.integers(0, len(text) - 1500))
        text = text[start:start + 1500]
    for fraction, mark in data.draw(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(EDIT_MARKS)),
                                             min_size=1, max_size=6)):
        at = int(fraction * len(text))
        text = text[:at] + mark + text[at:]
    plain = _plain(text)
    if plain is not None:
        assert plain == _engine(text)


@lru_cache(maxsize=1)
def _shipped_bodies() -> tuple[str, ...]:
    return tuple(body for _name, body in _bodies() if body.strip())


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.text(alphabet="ab_1-", max_size=6), max_size=12))
def test_heading_ids_are_made_unique_as_the_toc_extension_does(idents: list[str]) -> None:
    from markdown.extensions.toc import unique

    ours: set[str] = set()
    theirs: set[str] = set()
    assert [unique_id(ident, ours) for ident in idents] == [unique(ident, theirs) for ident in idents]


def test_ampersands_are_escaped_by_the_serializers_own_pattern() -> None:
    from markdown.serializers import RE_AMP

    assert (AMPERSAND.pattern, AMPERSAND.flags) == (RE_AMP.pattern, RE_AMP.flags)


def test_a_plain_text_is_read_without_importing_the_engine() -> None:
    import subprocess
    import sys

    program = ("import sys\n"
               "from kimsite.parse.markup import python_markdown\n"
               "html = python_markdown('## Judul\\n\\nKominfo & warga, **RT 03** [tautan](https://a.id/?a=1&b=2)\\n\\n- a\\n- b\\n')\n"
               "assert html.startswith('<h2 id=\"judul\">'), html\n"
               "print(sorted(name for name in sys.modules if name == 'markdown' or name.startswith('markdown.')))\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- the sanitizer is not run over a plain text's output that it would return unchanged ---------

# Addresses, entities and characters the sanitizer rewrites or removes, and their harmless
# neighbours: a link or image to each is accepted by the plain reader.
ADDRESSES = ["javascript:alert(1)", "JavaScript:x", "vbscript:x", "data:image/png;base64,xx", "ftp://x", "x:y",
             "javascript&colon;x", "https:x", "Https://x", "mailto:a@b.id", "tel:+62812", "//x.id/a", "#atas",
             "?q=1", "./a.jpg", "../b", "media/a.jpg", "https://a.id/?a=1&b=2", "http://a.id", "a/b:c"]
CHARACTERS = ["&copy;", "&nbsp;", "&quot;", "&lt;", "&amp;", "a&b;", "&x", "\u00a0", "\ufffe", "\uffff", "\u200b",
              "'", '"', "=", '="', 'href="x:y"', "ü"]


def _hostile_plain_documents() -> st.SearchStrategy[str]:
    link = st.tuples(st.sampled_from(["[a]", "![a]", "[**b**]", "[a b]"]), st.sampled_from(ADDRESSES)).map(
        lambda pair: f"{pair[0]}({pair[1]})")
    piece = st.one_of(st.sampled_from(PLAIN_PARTS), st.sampled_from(CHARACTERS), link)
    line = st.tuples(st.sampled_from(["", "", "- ", "1. ", "## "]), st.lists(piece, min_size=1, max_size=8))
    return st.lists(line, min_size=1, max_size=6).map(lambda lines: "\n\n".join(s + " ".join(p) for s, p in lines))


def _sanitized(markup: str) -> str:
    from kimsite.parse.sanitize import sanitize_html

    return sanitize_html(markup)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_documents(), _hostile_plain_documents()))
def test_a_plain_output_left_unsanitized_is_what_the_sanitizer_returns(text: str) -> None:
    from kimsite.parse.markup import render_markdown

    plain = _plain(text)
    if plain is not None and needs_no_sanitizing(plain):
        assert _sanitized(plain) == plain
    # Whatever the path, the default dialect's output is the sanitized engine's, as before.
    assert render_markdown(text)[0] == _sanitized(_engine(text))


@pytest.mark.parametrize("text", [
    "[a](JavaScript:alert)", "Baca [di sini](vbscript:x) ya.", "![a](data:image/png;base64,xx)",
    "[a](javascript&colon;x)", "[a](ftp://x)", "[a](x:y)", "&copy; Kominfo", "a&b; c",
    "Harga &quot;murah&quot;", "RT\u00a003", "a \ufffe b", "- [x](h:y)\n- b", "## Judul\n\n![a](javascript:x)",
])
def test_what_the_sanitizer_changes_is_sanitized(text: str) -> None:
    from kimsite.parse.markup import render_markdown

    plain = _plain(text)
    assert plain is not None, "read by the plain reader, so its check is what decides"
    assert not needs_no_sanitizing(plain)
    assert _sanitized(plain) != plain
    assert render_markdown(text)[0] == _sanitized(plain)
    assert "script" not in render_markdown(text)[0].lower().replace("<p>", "")


def test_most_plain_outputs_need_no_sanitizer() -> None:
    """The everyday texts above, and most of the demo regency's articles, skip the sanitizer
    (the saving is real), and the generated texts reach both sides of the check."""
    assert all(needs_no_sanitizing(_plain(text)) for text in EVERYDAY if "&" not in text)  # type: ignore[arg-type]
    bodies = [body for _name, body in _bodies()]
    plain = [out for out in map(_plain, bodies) if out is not None]
    assert sum(map(needs_no_sanitizing, plain)) >= len(plain) * 3 // 4


# What mdplain.addresses must find: the expression it replaces.
ADDRESS = re.compile(r'(?:href|src)="([^"]*)"')
# Pieces that make and break attribute values: names that end in href or src, quotes, '=' runs.
ADDRESS_PIECES = ["href", "src", "hre", "rc", "s", "f", "=", '"', '="', 'href="', 'src="', "x", ":", " ", "\n",
                  "<a ", "<img ", ">", "javascript:", "https://a.id/", "data-src", "xhref", "a&amp;b"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ADDRESS_PIECES), max_size=30))
def test_addresses_are_what_the_expression_finds(pieces: list[str]) -> None:
    markup = "".join(pieces)
    assert addresses(markup) == ADDRESS.findall(markup)


def test_addresses_of_real_outputs_are_what_the_expression_finds() -> None:
    outputs = [out for out in map(_plain, (body for _name, body in _bodies())) if out is not None]
    assert sum(1 for out in outputs if 'href="' in out) >= 3  # some shipped articles link
    for out in outputs:
        assert addresses(out) == ADDRESS.findall(out)


def test_every_character_refused_as_a_control_is_one_isprintable_refuses() -> None:
    """convert_plain runs _CONTROL only on a text with a line str.isprintable refuses."""
    assert not [hex(code) for code in range(0x110000) if _CONTROL.match(chr(code)) and chr(code).isprintable()]
    assert convert_plain("a\u00a0b", _heading_slug) is not None  # not printable, yet not a control
    for control in ("\x00", "\t", "\x1f", "\x7f", "\x85", "\u2028", "\u2029"):
        assert convert_plain(f"Paragraf{control}satu.", _heading_slug) is None, repr(control)


def test_every_character_the_sanitizer_changes_is_known():
    """Each character in a plain output's text and attributes: unchanged by the sanitizer, or
    known to need it (the ASCII controls and DEL never reach here: the plain reader refuses them)."""
    for code in [*range(0x20, 0x3400), *range(0xFB00, 0x10000), *range(0x1F000, 0x20000, 7), 0x10FFFF]:
        if 0xD800 <= code <= 0xDFFF or code == 0x7F or chr(code) in "<>&\"'":
            continue
        character = chr(code)
        for markup in (f"<p>a{character}b</p>", f'<p><img alt="a{character}b" src="x{character}.jpg"></p>'):
            if needs_no_sanitizing(markup):
                assert _sanitized(markup) == markup, hex(code)
            else:
                # C1 controls, the no-break space, XML's two non-characters, and ":" (an address
                # "x:.jpg" has a scheme to the sanitizer)
                assert code in (0x3A, 0xA0, 0xFFFE, 0xFFFF) or 0x80 <= code <= 0x9F, hex(code)


def test_an_image_with_a_quote_in_its_alt_stays_an_image() -> None:
    """The plain reader once took such an image for a link after a "!" (a quote is no part of the
    alt it reads): the page showed "!" and a link instead of the picture."""
    from kimsite.parse.markup import render_markdown

    text = 'Warga memasang ![spanduk "Stop Hoaks" di balai desa](media/spanduk.jpg) kemarin.'
    assert _plain(text) is None
    html, _warning = render_markdown(text, "default", "id")
    assert '<img alt="spanduk &quot;Stop Hoaks&quot; di balai desa" src="media/spanduk.jpg">' in html
    assert html == _engine(text)
