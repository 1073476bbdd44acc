"""Content written for other generators (Jekyll, Hugo) or saved by Notepad: `.markdown` files are
articles; near-miss names, Hugo's `_index.md`, TOML front matter, Hugo shortcodes and Liquid tags
each get a message saying what they are and what to write instead, the same in check and build."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kimsite.cli import main

SITE = "name: KIM Uji\nkecamatan: Maniis\n"
FM = "---\ntitle: Rapat Warga\ndate: 2026-12-03\n---\n"  # the body starts on line 5


def workspace(make_workspace, files: dict[str, str | bytes]) -> Path:
    return make_workspace({"sites/uji.yaml": SITE, **files})


def check(root: Path, lang: str = "id") -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "-C", str(root), "--lang", lang, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)["problems"]


def build(root: Path, lang: str = "id") -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-C", str(root), "--lang", lang])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def found(problems: list[dict]) -> set[tuple[str, str, int | None, str]]:
    return {(p["severity"], p["file"], p["line"], p["code"]) for p in problems}


def agree(root: Path) -> tuple[int, list[dict], str]:
    """check's problems; build reports every one of them (same file, line and text)."""
    code, problems = check(root)
    build_code, output = build(root)
    assert build_code == code
    for problem in problems:
        location = f"{problem['file']}:{problem['line']}" if problem["line"] else problem["file"]
        assert f"{location}: " in output and problem["message"] in output, (problem, output)
    return code, problems, output


def test_markdown_extension_is_an_article(make_workspace):
    root = workspace(make_workspace, {"content/uji/2026-12-03-rapat.markdown": FM + "Isi rapat.\n",
                                      "content/uji/2026-12-04-lain.MD": FM.replace("Rapat", "Lain") + "isi\n",
                                      "content/uji/2026-12-05-tautan.md": FM.replace("Rapat", "Tautan")
                                      + "[rapat](2026-12-03-rapat.markdown)\n"})
    code, problems, _ = agree(root)
    assert code == 0 and problems == []
    page = (root / "_site/uji/2026/12/rapat/index.html").read_text(encoding="utf-8")
    assert "Isi rapat." in page
    assert (root / "_site/uji/2026/12/2026-12-04-lain/index.html").exists() is False
    assert (root / "_site/uji/2026/12/lain/index.html").exists()
    linking = (root / "_site/uji/2026/12/tautan/index.html").read_text(encoding="utf-8")
    assert 'href="/repo/uji/2026/12/rapat/"' in linking


def test_near_miss_names_are_reported_with_the_fix(make_workspace):
    root = workspace(make_workspace, {
        "content/uji/2026-12-03-rapat.md.txt": FM + "isi\n",
        "content/uji/2026-12-04-kerja.mdown": FM + "isi\n",
        "content/uji/media/catatan.md.txt": "boleh: berkas biasa di media/\n",
        "content/uji/2026-12-05-ok.md": FM + "isi\n",
    })
    code, problems, output = agree(root)
    assert code == 0
    assert found(problems) == {
        ("warning", "content/uji/2026-12-03-rapat.md.txt", None, "markdown_name_near_miss"),
        ("warning", "content/uji/2026-12-04-kerja.mdown", None, "markdown_name_near_miss"),
    }
    assert "menjadi 2026-12-03-rapat.md " in output and "menjadi 2026-12-04-kerja.md " in output
    assert not (root / "_site/uji/2026-12-03-rapat.md.txt").exists()  # never published as a text file
    assert (root / "_site/uji/media/catatan.md.txt").exists()


def test_hugo_index_page_is_explained_not_published(make_workspace):
    root = workspace(make_workspace, {"content/uji/_index.md": "---\ntitle: Beranda\n---\nSelamat datang\n",
                                      "content/uji/2026-12-05-ok.md": FM + "isi\n"})
    code, problems, output = agree(root)
    assert code == 0
    assert found(problems) == {("warning", "content/uji/_index.md", None, "hugo_index_page")}
    assert "halaman daftar milik Hugo" in output
    assert not list((root / "_site/uji").rglob("index/index.html"))
    assert "Selamat datang" not in "".join(p.read_text(encoding="utf-8") for p in (root / "_site").rglob("*.html"))


def test_toml_front_matter(make_workspace):
    root = workspace(make_workspace, {"content/uji/2026-12-03-rapat.md":
                                      '+++\ntitle = "Rapat"\ndate = 2026-12-03\n+++\nisi\n'})
    code, problems, output = agree(root)
    assert code == 1
    assert found(problems) == {("error", "content/uji/2026-12-03-rapat.md", 1, "fm_toml")}
    assert "TOML" in output and "ganti kedua baris +++ dengan ---" in output
    _, english = check(root, "en")
    assert "replace both +++ lines with ---" in english[0]["message"]


def test_shortcodes_and_liquid_tags(make_workspace):
    text = (FM + "Foto kegiatan:\n\n"
            '{{< figure src="media/rapat.jpg" >}}\n\n'  # line 7
            "{{< youtube dQw4w9WgXcQ >}}\n\n"  # line 9: kimsite renders it
            "{% include peta.html %}\n\n"  # line 11
            "Dari {{ site.title }} dan {{% notice info %}}\n\n"  # line 13
            "`{{ ini kode }}` tetap, begitu pula:\n\n```\n{% raw %}\n```\n")
    root = workspace(make_workspace, {"content/uji/2026-12-03-rapat.md": text})
    code, problems, output = agree(root)
    assert code == 1
    article = "content/uji/2026-12-03-rapat.md"
    assert found(problems) == {("error", article, 7, "hugo_figure"), ("error", article, 11, "liquid_include"),
                               ("error", article, 13, "template_variable"),
                               ("error", article, 13, "hugo_shortcode")}
    assert "![keterangan](media/nama-berkas.jpg)" in output
    assert "Jekyll (Liquid)" in output


def test_template_syntax_inside_code_is_fine(make_workspace):
    text = FM + "Contoh: `{{ site.title }}` dan `{% include x %}`.\n\n~~~\n{{< figure >}}\n~~~\n"
    root = workspace(make_workspace, {"content/uji/2026-12-03-rapat.md": text})
    code, problems, _ = agree(root)
    assert code == 0 and problems == []
    page = (root / "_site/uji/2026/12/rapat/index.html").read_text(encoding="utf-8")
    assert "{{ site.title }}" in page and "{{&lt; figure &gt;}}" in page


def test_link_to_a_missing_article_is_reported_with_the_close_name(make_workspace):
    root = workspace(make_workspace, {
        "content/uji/2026-12-03-rapat.md": FM + "Lihat [hasil](2026-12-04-Hasil-Rapat.md).\n",
        "content/uji/2026-12-04-hasil-rapat.md": FM.replace("Rapat Warga", "Hasil") + "isi\n",
    })
    code, problems, output = agree(root)
    assert code == 0
    assert found(problems) == {("warning", "content/uji/2026-12-03-rapat.md", 5, "link_missing_article")}
    assert 'maksud Anda "2026-12-04-hasil-rapat.md"?' in output and "beranda KIM" in output


def test_youtube_shortcode_in_a_form_kimsite_cannot_show(make_workspace):
    text = (FM + '{{< youtube dQw4w9WgXcQ "Lagu" >}}\n\n'  # line 5: shown as a video
            '{{< youtube id="dQw4w9WgXcQ" >}}\n\n'  # line 7: Hugo's named form
            "Tonton {{< youtube dQw4w9WgXcQ >}} ya\n")  # line 9: not alone on its line
    root = workspace(make_workspace, {"content/uji/2026-12-03-rapat.md": text})
    code, problems, output = agree(root)
    assert code == 1
    assert found(problems) == {("error", "content/uji/2026-12-03-rapat.md", 7, "youtube_shortcode_form"),
                               ("error", "content/uji/2026-12-03-rapat.md", 9, "youtube_shortcode_form")}
    assert "ID video 11 karakter" in output


def test_import_sees_existing_markdown_files(tmp_path):
    """`kimsite import` does not write a second copy of an article kept as .markdown."""
    from kimsite.importer.existing import scan_folder

    folder = tmp_path / "uji"
    (folder / "halaman").mkdir(parents=True)
    (folder / "2019-05-01-rapat.markdown").write_text(FM, encoding="utf-8")
    (folder / "halaman/profil.MD").write_text(FM, encoding="utf-8")
    (folder / "folder.md").mkdir()  # a folder named like a source is not one
    index = scan_folder(folder)
    assert ("2019/05", "rapat") in index.article_slots and "profil" in index.page_slugs
