"""YAML mistakes volunteers make, reported in Indonesian and English with the fix, on the line to
fix; one YAML error never hides the file's other problems."""

from __future__ import annotations

import pytest

from test_written_elsewhere import agree, check, found, workspace

FILE = "content/uji/rapat.md"


@pytest.mark.parametrize("front, line, code, indonesian, english", [
    ("title: Rapat\ntags:\n\t- warga\ndate: 2026-12-03\n", 4, "yaml_tab",
     "ganti Tab dengan spasi", "replace the Tab with spaces"),
    ("title: Rapat: hasil musyawarah\ndate: 2026-12-03\n", 2, "yaml_colon",
     'apit nilainya dengan tanda kutip lurus, misalnya title: "Rapat: hasil musyawarah"',
     'put the value between straight quotes, e.g. title: "Rapat: hasil musyawarah"'),
    ("title: \u201cRapat: Warga\u201d\ndate: 2026-12-03\n", 2, "yaml_smart_quotes",
     "apit nilainya dengan tanda kutip lurus", "put it between straight quotes"),
    ('date: 2026-12-03\ntitle: "Rapat Warga\nsummary: ringkas\n', 3, "yaml_unclosed_quote",
     "tanda kutip di baris ini tidak ditutup", "the quote on this line is never closed"),
    ("title: [Rapat Warga\ndate: 2026-12-03\n", 2, "yaml_unclosed_bracket",
     "kurung di baris ini tidak ditutup", "the bracket on this line is never closed"),
    ("title: Rapat\n  date: 2026-12-03\n", 3, "yaml_indented",
     "hapus spasi di awal baris", "remove the spaces at its start"),
])
def test_common_yaml_mistakes(make_workspace, front, line, code, indonesian, english):
    root = workspace(make_workspace, {FILE: f"---\n{front}---\nIsi.\n"})
    status, problems, output = agree(root)
    assert status == 1
    assert found(problems) == {("error", FILE, line, code)}
    assert f"{FILE}:{line}: galat: " in output and indonesian in output
    assert "YAML tidak valid" not in output  # PyYAML's English is not shown
    _, problems_en = check(root, "en")
    assert english in problems_en[0]["message"]


def test_smart_quotes_kept_in_a_title_warn(make_workspace):
    root = workspace(make_workspace, {FILE: "---\ntitle: \u201cRapat Warga\u201d\ndate: 2026-12-03\n---\nIsi.\n"})
    status, problems, output = agree(root)
    assert status == 0
    assert found(problems) == {("warning", FILE, 2, "yaml_smart_quotes_kept")}
    assert "tanda kutip miring" in output


def test_one_yaml_error_does_not_hide_the_others(make_workspace):
    text = ("---\ntitle: Rapat: hasil\ndate: 31/02/2026\nkategory: Berita\ntags:\n\t- a\n---\n"
            "{{< figure src=\"x.jpg\" >}}\n")
    root = workspace(make_workspace, {FILE: text, "content/uji/baik.md": "---\ntitle: Baik\ndate: 2026-12-01\n---\n"})
    status, problems, _ = agree(root)
    assert status == 1
    assert found(problems) == {
        ("error", FILE, 2, "yaml_colon"), ("error", FILE, 3, "date_invalid"),
        ("warning", FILE, 4, "field_unknown"), ("error", FILE, 6, "yaml_tab"), ("error", FILE, 8, "hugo_figure"),
    }
    unknown = next(p for p in problems if p["code"] == "field_unknown")
    assert 'maksud Anda "kategori"' in unknown["message"]


def test_site_file_yaml_mistake(make_workspace):
    root = make_workspace({"sites/uji.yaml": "name: KIM Uji: Maniis\nkecamatan: Maniis\n",
                           "content/uji/baik.md": "---\ntitle: Baik\ndate: 2026-12-01\n---\n"})
    status, problems = check(root)
    assert status == 1
    assert ("error", "sites/uji.yaml", 1, "yaml_colon") in found(problems)
