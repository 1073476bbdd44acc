"""The plainest front matter is read without PyYAML's parser (kimsite.base.yamlio.read_plain):
whenever that reading gives a document, it is the parser's, field for field (values, lines,
plain texts, the lines and texts of list items); whatever it is unsure of goes to the parser."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from kimsite.base.yamlio import YamlDocument, load_mapping, read_plain, read_with_parser
from kimsite.schema.frontmatter import decode_text, split_front_matter

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="kimsite-hypothesis-"))
MANY = settings(max_examples=1500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
REPOSITORY = Path(__file__).resolve().parents[1]

# Words YAML reads as something else than text, or that begin or hold its syntax.
TRICKY = ["yes", "No", "ON", "off", "true", "False", "y", "n", "~", "null", "Null", "12", "-3", "+4", "0o17",
          "0x1F", "1e3", "1.5", "-.5", ".inf", "-.INF", ".nan", "1:20", "190:20:30", "1_000", "0b101", "<<",
          "=", "2024-01-01", "2024-01-01 10:00", "2024-01-01T10:00:00Z", "a: b", "a:", "a #b", "a#b", "#a",
          "- a", "-a", "? a", "?a", ":a", "&a", "*a", "!a", "!!str a", "|", ">", "%a", "@a", "`a", "'a'",
          '"a"', "'", '"', "'it''s'", '"a\\"b"', '"a\\nb"', "[a]", "{a: b}", "a, b", "a,b", "a [b]", "a {b}",
          "Rapat RT 03/RW 05", "Kerja bakti, Minggu pagi", "Harga cabai Rp 80.000/kg", "Pak Haji's sapi",
          'Kata "hoaks" itu', "café", "naïve", "\u00a0nbsp", "tab\there", "line\u2028sep", "nel\x85x",
          "bom\ufeffx", "ctrl\x07x", "del\x7fx", "\U0001F389 pesta", "a  b", " lead", "trail ", "100%", "50 %"]

keys = st.sampled_from(["title", "judul", "date", "tags", "summary", "category", "yes", "on", "a_b", "Title",
                        "x1", "_k", "1a", "a-b", "kode wilayah", "?", ""])
words = st.sampled_from(TRICKY) | st.text(
    alphabet=st.sampled_from(list("aZ09 .,:#-_'\"[]{}&*!|>%@`?~\\/\té\u00a0\u2028\x85\ufeff\x07\U0001F389")),
    max_size=25)
values = (words
          | words.map(lambda w: f'"{w}"') | words.map(lambda w: f"'{w}'")
          | st.lists(words | words.map(lambda w: f'"{w}"'), max_size=4).map(lambda items: f"[{', '.join(items)}]")
          | st.lists(words, max_size=3).map(lambda items: f"[{','.join(items)}]"))
lines = (st.tuples(st.sampled_from(["", "", "", " ", "\t"]), keys, st.sampled_from([": ", ":  ", ":", " : ", ":\t"]),
                   values, st.sampled_from(["", "", " ", "  # note", "\t"]))
         .map(lambda parts: "".join(parts))
         | st.sampled_from(["", "# komentar", "---", "...", "- a", "  - a", "title:", "tags:"]))
texts = st.lists(lines, min_size=1, max_size=7).map("\n".join)
# Texts close to those read without the parser: good keys, `: `, words of everyday text with
# an occasional character or word YAML reads otherwise.
everyday = st.text(alphabet=st.sampled_from(list("abcdeRT09 .,/()-'\"é!?:#%&") + ["\u00a0"]),
                   min_size=1, max_size=20)
near_value = (everyday | st.sampled_from(TRICKY) | everyday.map(lambda w: f'"{w}"') | everyday.map(lambda w: f"'{w}'")
              | st.lists(everyday | everyday.map(lambda w: f'"{w}"'), max_size=4)
              .map(lambda items: f"[{', '.join(items)}]"))
near_line = st.tuples(st.sampled_from(["title", "date", "tags", "summary", "author", "kategori"]),
                      near_value).map(lambda parts: f"{parts[0]}: {parts[1]}")
near_plain_texts = st.lists(near_line, min_size=1, max_size=4, unique_by=lambda line: line.split(":")[0]).map(
    "\n".join)


def assert_same_as_parser(text: str, first_line: int = 1) -> YamlDocument | None:
    plain = read_plain(text, first_line)
    if plain is not None:
        parsed, problems = read_with_parser(text, "uji.md", first_line)
        assert parsed is not None, (text, problems)
        assert plain == parsed, text
        assert plain.nested == parsed.nested and plain.nested_raw == parsed.nested_raw, text
    return plain


@MANY
@given(texts | near_plain_texts, st.integers(min_value=1, max_value=3))
@example("title: Rapat warga\ntags: [posyandu, balita]", 2)
@example('summary: "Kerja bakti, Minggu pagi"\nauthor: \'Pak RT\'', 1)
@example("tags: []\ntitle: x", 1)
@example("title: [0:?]", 1)  # inside brackets YAML reads `:` as a key's end
def test_the_plain_reading_is_the_parsers(text: str, first_line: int) -> None:
    assert_same_as_parser(text, first_line)


def test_the_property_test_reaches_the_plain_reading():
    """(else the test above could pass by comparing nothing)"""
    found = {"plain": 0, "all": 0}

    @settings(max_examples=400, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(near_plain_texts)
    def count(text: str) -> None:
        found["all"] += 1
        found["plain"] += assert_same_as_parser(text) is not None

    count()
    assert found["plain"] >= found["all"] // 4, found


@pytest.mark.parametrize("text", [
    "title: Rapat warga RT 03\ndate: 2024-05-01 08:00\ncategory: Kegiatan\ntags: [posyandu, balita sehat]\n",
    'title: "Hoaks: bantuan Rp 5 juta"\nsummary: \'Pesan berantai itu palsu.\'\ntype: klarifikasi\nverdict: HOAKS\n',
    "title: Panen raya\n\nauthor: Siti Aminah\nfoto: media/panen.jpg\ntags: []\n",
])
def test_ordinary_front_matter_is_read_without_the_parser(text: str) -> None:
    assert assert_same_as_parser(text, 2) is not None


@pytest.mark.parametrize("text", [
    "title: yes", "title: 2024", "title: ~", "title:", "title: a: b", "title: a #b", "  title: x", "# c\ntitle: x",
    "title: x\ntitle: y", "tags: [1, 2]", "tags: [a, [b]]", "tags: [a, , b]", "title: 'it''s'", 'title: "a\\nb"',
    "title: [a", "title: a]", "title: {a: b}", "title: &a x", "title: !!str x", "title: |", "title: tab\there",
    "title: x\u2028y", "judul wilayah: x", "- a",
])
def test_anything_else_goes_to_the_parser(text: str) -> None:
    assert read_plain(text) is None


def _front_matters(folder: Path) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        text, _ = decode_text(path.read_bytes(), str(path))
        split, _ = split_front_matter(text, str(path)) if text is not None else (None, [])
        if split is not None:
            found.append((str(path), split.front_matter, split.front_matter_line))
    return found


def test_every_front_matter_of_the_demo_and_the_fixtures_reads_the_same():
    demo = _front_matters(REPOSITORY / "content")
    fixtures = _front_matters(REPOSITORY / "tests" / "fixtures")
    assert len(demo) > 50 and len(fixtures) > 50
    taken = [path for path, text, line in demo + fixtures if assert_same_as_parser(text, line) is not None]
    # most articles are written this plainly (the point of reading them without the parser)
    assert len([path for path in taken if path.startswith(str(REPOSITORY / "content"))]) >= len(demo) // 2


def test_load_mapping_still_reports_typographic_quotes():
    doc, problems = load_mapping("title: \u201cRapat warga\u201d", "uji.md", 2)
    assert doc is not None and doc.data == {"title": "\u201cRapat warga\u201d"}
    assert [p.code for p in problems] == ["yaml_smart_quotes_kept"] and problems[0].line == 2


def test_the_plain_readers_resolvers_are_the_loaders_own():
    """The plain reader's copy of YAML's implicit resolvers (it reads without loading PyYAML) is the
    parser's loader's, pattern for pattern, dates left out as the loader leaves them."""
    from kimsite.base import yaml_parser, yamlio

    def shape(resolvers):
        return {first: [(tag, pattern.pattern, pattern.flags) for tag, pattern in found]
                for first, found in resolvers.items() if found}

    assert shape(yamlio.IMPLICIT_RESOLVERS) == shape(yaml_parser._Loader.yaml_implicit_resolvers)


def test_plain_front_matter_is_read_without_loading_pyyaml_and_libyaml_is_known_alike():
    import subprocess
    import sys

    script = ("import sys\n"
              "from kimsite.base import yamlio\n"
              "doc, problems = yamlio.load_mapping('title: Rapat RT 03\\ntags: [posyandu, umkm]\\n', 'a.md')\n"
              "assert doc.data == {'title': 'Rapat RT 03', 'tags': ['posyandu', 'umkm']} and not problems\n"
              "before = yamlio.WITH_LIBYAML\n"
              "print('yaml' in sys.modules, before)\n"
              "import yaml\n"
              "print(hasattr(yaml, 'CSafeLoader'), yamlio._libyaml_installed())\n"
              "doc, problems = yamlio.load_mapping('title: [a, {b: c}]\\n', 'a.md')\n"
              "print(doc.data)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded, before = done.stdout.splitlines()[0].split()
    with_libyaml, after = done.stdout.splitlines()[1].split()
    assert loaded == "False"
    assert before == with_libyaml == after
    assert done.stdout.splitlines()[2] == "{'title': ['a', {'b': 'c'}]}"
